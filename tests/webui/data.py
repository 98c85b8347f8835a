"""Test data for the web UI: a database synced from an inventory, a week of usage on every
agency's LAN port, and one user per role.

Usage pattern (download = octets out of the agency's port): each agency follows a daily curve
between 10 % and 100 % of its maximum, so its page has a 95th percentile near the maximum and
minutes at the cap (``rsud`` and ``kec-utara`` rise to their maximum every office-hours peak).
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from netops.auth.store import add_user
from netops.inventory.loader import load_inventory
from netops.storage.db import make_engine, session_factory, upgrade
from netops.storage.sync import sync_inventory
from netops.telemetry.store import Batch, write_batch

PASSWORD = "correct-horse-battery"
USERS: dict[str, dict[str, Any]] = {
    "admin": {"username": "adi", "role": "admin", "agency_code": None},
    "engineer": {"username": "eka", "role": "engineer", "agency_code": None},
    "agency": {"username": "rina", "role": "agency", "agency_code": "rsud", "language": "id"},
    "agency2": {"username": "utari", "role": "agency", "agency_code": "kec-utara"},
}
STEP_S = 300
DAYS = 7


def usage_fraction(t_s: float) -> float:
    """Fraction of the maximum used at ``t_s``: 0.1 at night, 1.0 around 10:00 WITA."""
    hour = ((t_s / 3600.0) + 8) % 24
    return max(0.1, min(1.0, 0.1 + 1.0 * math.exp(-(((hour - 10.0) / 2.5) ** 2))))


def usage_samples(inventory: Any, now_s: float, days: int = DAYS) -> list[dict[str, Any]]:
    """Interface samples every 5 minutes for ``days`` days on every agency LAN port."""
    maxima = {a.code: a.quota for a in inventory.agencies}
    rows: list[dict[str, Any]] = []
    start = int(now_s - days * 86400) // STEP_S * STEP_S
    for device in inventory.devices:
        for iface in device.interfaces:
            quota = maxima.get(iface.agency or "")
            if quota is None:
                continue
            octets_in = octets_out = 0
            for t in range(start, int(now_s), STEP_S):
                f = usage_fraction(t)
                down = f * quota.maximum_down_mbps * 1e6
                up = f * quota.maximum_up_mbps * 1e6 * 0.5
                octets_out += int(down * STEP_S / 8)
                octets_in += int(up * STEP_S / 8)
                rows.append(
                    {
                        "device": device.hostname,
                        "interface": iface.name,
                        "at_s": float(t),
                        "octets_in": octets_in % 2**63,
                        "octets_out": octets_out % 2**63,
                        "packets_in": 0,
                        "packets_out": 0,
                        "errors_in": 0,
                        "errors_out": 0,
                        "counter_bits": 64,
                        "speed_mbps": iface.speed_mbps,
                        "in_bps": up,
                        "out_bps": down,
                        "status": "ok",
                    }
                )
    return rows


def seed_database(url: str, inventory_path: Path, *, with_usage: bool = True) -> None:
    loaded = load_inventory(inventory_path)
    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_factory(engine)() as session:
            sync_inventory(session, loaded.inventory, source=str(inventory_path), sha256="0" * 64)
            session.commit()
            codes = {a.code for a in loaded.inventory.agencies}
            for spec in USERS.values():
                if spec["agency_code"] is not None and spec["agency_code"] not in codes:
                    continue  # e.g. kec-utara of the mini inventory, on another inventory
                add_user(
                    session,
                    spec["username"],
                    spec["role"],
                    PASSWORD,
                    agency_code=spec["agency_code"],
                    language=spec.get("language", "id"),
                    display_name=spec["username"].title(),
                )
            session.commit()
        if with_usage:
            write_batch(engine, Batch(samples=usage_samples(loaded.inventory, time.time())))
    finally:
        engine.dispose()
