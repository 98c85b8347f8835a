"""Boosts applied and expired by the scheduler job, pushed to the lab router and recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netops.bandwidth import audit
from netops.bandwidth.jobs import bandwidth_jobs, run_boosts
from netops.endpoints import save_endpoints
from netops.settings import Settings

from .labkit import ros_queues

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def test_ppdb_boost_is_pushed_when_it_starts_and_removed_when_it_ends(
    lab_factory: Any,
    mini_inventory: Any,
    lab_password: str,
    tmp_path: Path,
    sqlite_url: str,
    mini_copy: Path,
) -> None:
    lab = lab_factory(mini_inventory)
    inv = mini_copy
    save_endpoints(tmp_path / "lab-map.json", lab.endpoints)
    settings = Settings(
        data_dir=tmp_path,
        database_url=sqlite_url,
        inventory=inv,
        loopback_only=True,
        lab_map=tmp_path / "lab-map.json",
        device_timeout_s=8.0,
    )
    assert [j[0] for j in bandwidth_jobs(settings)] == [
        "bandwidth-boosts",
        "bandwidth-drift",
        "bandwidth-rollbacks",
    ]

    assert run_boosts(settings, datetime(2026, 6, 2, 8, 0, tzinfo=UTC)) == 1
    assert ros_queues(lab, "core1")["nx-a-kec-utara"]["max-limit"] == "30M/90M"
    assert run_boosts(settings, datetime(2026, 6, 3, tzinfo=UTC)) == 0  # recorded once

    assert run_boosts(settings, datetime(2026, 6, 8, 0, 5, tzinfo=UTC)) == 1
    assert ros_queues(lab, "core1")["nx-a-kec-utara"]["max-limit"] == "30M/60M"

    from netops.storage.db import make_engine

    events = audit.boost_events(make_engine(sqlite_url), "kec-utara")
    assert [(e.event, e.maximum_down_mbps, e.reason) for e in events] == [
        ("applied", 90, "PPDB"),
        ("expired", 90, "PPDB"),
    ]
    pushes = audit.pushes(make_engine(sqlite_url), "core1")
    assert [p.actor for p in pushes] == ["scheduler:boosts", "scheduler:boosts"]
