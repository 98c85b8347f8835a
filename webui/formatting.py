"""Jinja filters for numbers, rates, volumes and dates in the user's language, in WITA.

The web UI shows times in Asia/Makassar (WITA, UTC+8), the regency's zone.  Indonesian:
``1.234,5 Mbps``, ``4 Desember 2026``, ``4 Desember 2026, 13.03 WITA``; English: ``1,234.5
Mbps``, ``December 4, 2026``, ``December 4, 2026, 1:03 PM WITA``.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_decimal, format_time

TIMEZONE = "Asia/Makassar"
ZONE_LABEL = "WITA"


def number(value: float | int | None, digits: int = 1) -> str:
    """``1234.5`` -> ``1.234,5`` (id) / ``1,234.5`` (en); None -> an en dash."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return str(format_decimal(value, format=pattern))


def mbps(value: float | None, digits: int = 1) -> str:
    """A rate in Mbit/s: ``1.234,5 Mbps``."""
    return f"{number(value, digits)} Mbps"


def bps_as_mbps(value: float | None, digits: int = 1) -> str:
    return mbps(None if value is None else value / 1e6, digits)


def gigabytes(octets: float | None, digits: int = 2) -> str:
    return f"{number(None if octets is None else octets / 1e9, digits)} GB"


def percent(fraction: float | None, digits: int = 0) -> str:
    return f"{number(None if fraction is None else fraction * 100, digits)} %"


def long_date(value: date | datetime | None) -> str:
    """``4 Desember 2026`` (a datetime is taken in WITA first)."""
    if value is None:
        return "–"
    return str(format_date(value, "long"))


def date_time(value: datetime | None) -> str:
    """``4 Desember 2026, 13.03 WITA``."""
    if value is None:
        return "–"
    return f"{format_date(value, 'long')}, {format_time(value, 'short')} {ZONE_LABEL}"


FILTERS = {
    "number": number,
    "mbps": mbps,
    "bps_mbps": bps_as_mbps,
    "gigabytes": gigabytes,
    "percent": percent,
    "long_date": long_date,
    "date_time": date_time,
}


def register(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
