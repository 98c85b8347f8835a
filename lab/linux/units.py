"""iproute2 units: rates (``10mbit``, ``500kbit``, ``1gbit``, ``12345bit``, ``2mbps`` = bytes/s),
sizes (``1600b``, ``15k``, ``5kb``) and handles (``1:``, ``1:10``, hex minor numbers), printed
the way ``tc`` prints them (``150Mbit``, ``1500Kbit``, ``1600b``, ``5Kb``)."""

from __future__ import annotations

import re

_RATE_RE = re.compile(r"^(\d+(?:\.\d+)?)([a-z]*)$", re.IGNORECASE)
_RATE_UNITS = {
    "": 1,
    "bit": 1,
    "kbit": 1e3,
    "mbit": 1e6,
    "gbit": 1e9,
    "tbit": 1e12,
    "kibit": 1024,
    "mibit": 1024**2,
    "gibit": 1024**3,
    "tibit": 1024**4,
    "bps": 8,
    "kbps": 8e3,
    "mbps": 8e6,
    "gbps": 8e9,
    "tbps": 8e12,
    "kibps": 8 * 1024,
    "mibps": 8 * 1024**2,
    "gibps": 8 * 1024**3,
}
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "kb": 1024,
    "m": 1024**2,
    "mb": 1024**2,
    "g": 1024**3,
    "gb": 1024**3,
    "kbit": 128,
    "mbit": 128 * 1024,
    "gbit": 128 * 1024**2,
}


def parse_rate_bps(text: str) -> int:
    """tc rate text -> bit/s; :class:`ValueError` if it is not one."""
    m = _RATE_RE.match(text)
    if not m or m.group(2).lower() not in _RATE_UNITS:
        raise ValueError(text)
    return int(float(m.group(1)) * _RATE_UNITS[m.group(2).lower()])


def parse_size_bytes(text: str) -> int:
    """tc size text (burst, cburst, quantum) -> bytes; :class:`ValueError` if not one."""
    m = _RATE_RE.match(text)
    if not m or m.group(2).lower() not in _SIZE_UNITS:
        raise ValueError(text)
    return int(float(m.group(1)) * _SIZE_UNITS[m.group(2).lower()])


def format_rate(bps: float) -> str:
    """As iproute2's ``sprint_rate``: divide by 1000 while exact (or large), ``150Mbit``."""
    rate = int(bps)
    units = ["", "K", "M", "G", "T"]
    i = 0
    while i < len(units) - 1:
        if rate < 1000:
            break
        if rate % 1000 != 0 and rate < 1000 * 1000:
            break
        rate //= 1000
        i += 1
    return f"{rate}{units[i]}bit"


def format_size(size: int) -> str:
    """As iproute2's ``sprint_size``: ``1600b``, ``15Kb``, ``2Mb``."""
    if size >= 1024 * 1024 and size % (1024 * 1024) < 1024:
        return f"{size // (1024 * 1024)}Mb"
    if size >= 1024 and size % 1024 < 16:
        return f"{size // 1024}Kb"
    return f"{size}b"


def parse_handle(text: str) -> tuple[int, int]:
    """``"1:"`` -> (1, 0), ``"1:10"`` -> (1, 0x10), ``"root"`` is handled by callers.
    :class:`ValueError` for anything else (major and minor are hexadecimal)."""
    major, sep, minor = text.partition(":")
    if not sep:
        raise ValueError(text)
    return int(major or "0", 16), int(minor or "0", 16)


def format_handle(major: int, minor: int) -> str:
    return f"{major:x}:{minor:x}" if minor else f"{major:x}:"
