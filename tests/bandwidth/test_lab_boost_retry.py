"""Boosts record only what happened on the routers: a failed push is retried by the next run
and not recorded, a window that ended before it was ever pushed is not recorded as applied, and
`netops poll run`'s scheduler carries the bandwidth jobs at the cadences in settings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netops.bandwidth import audit
from netops.bandwidth.jobs import run_boosts
from netops.cli.poll import poll_scheduler
from netops.endpoints import save_endpoints
from netops.settings import Settings
from netops.storage.db import make_engine

from .labkit import ros_queues

pytestmark = [pytest.mark.lab]

IN_PPDB = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)  # the mini inventory's PPDB boost: June 1..8
AFTER_PPDB = datetime(2026, 6, 8, 0, 5, tzinfo=UTC)


def _settings(tmp_path: Path, sqlite_url: str, inv: Path, lab: Any) -> Settings:
    save_endpoints(tmp_path / "lab-map.json", lab.endpoints)
    return Settings(
        data_dir=tmp_path,
        database_url=sqlite_url,
        inventory=inv,
        loopback_only=True,
        lab_map=tmp_path / "lab-map.json",
        device_timeout_s=4.0,
        bandwidth_boosts_every_s=60.0,
    )


def test_a_failed_boost_push_is_not_recorded_and_the_next_run_pushes_it(
    lab_factory: Any, mini_inventory: Any, tmp_path: Path, sqlite_url: str, mini_copy: Path
) -> None:
    lab = lab_factory(mini_inventory)
    settings = _settings(tmp_path, sqlite_url, mini_copy, lab)
    lab.fault("core1", "unreachable")
    assert run_boosts(settings, IN_PPDB) == 0
    engine = make_engine(sqlite_url)
    assert audit.boost_events(engine, "kec-utara") == []
    assert [p.result for p in audit.pushes(engine, "core1")] == ["failed"]
    lab.clear_faults("core1")
    assert run_boosts(settings, IN_PPDB.replace(minute=1)) == 1
    assert ros_queues(lab, "core1")["nx-a-kec-utara"]["max-limit"] == "30M/90M"
    assert [e.event for e in audit.boost_events(engine, "kec-utara")] == ["applied"]


def test_a_window_that_ended_before_it_was_pushed_is_not_recorded_as_applied(
    lab_factory: Any, mini_inventory: Any, tmp_path: Path, sqlite_url: str, mini_copy: Path
) -> None:
    lab = lab_factory(mini_inventory)
    settings = _settings(tmp_path, sqlite_url, mini_copy, lab)
    assert run_boosts(settings, AFTER_PPDB) == 0
    assert audit.boost_events(make_engine(sqlite_url)) == []
    assert "nx-a-kec-utara" not in ros_queues(lab, "core1")  # nothing was pushed either


def test_poll_run_schedules_the_bandwidth_jobs_at_the_cadence_in_settings(
    tmp_path: Path, sqlite_url: str, mini_copy: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=sqlite_url, inventory=mini_copy)
    settings = settings.model_copy(update={"bandwidth_boosts_every_s": 60.0})
    scheduler = poll_scheduler(settings, lambda what: None, lambda: None)
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert {"poll-counters", "bandwidth-boosts", "bandwidth-drift", "bandwidth-rollbacks"} <= set(
        jobs
    )
    assert jobs["bandwidth-boosts"].trigger.interval.total_seconds() == 60.0
    assert jobs["bandwidth-drift"].trigger.interval.total_seconds() == 3600.0
