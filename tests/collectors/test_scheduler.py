"""The scheduler factory: jobs, max_instances=1 (no overlapping cycles), clean shutdown."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from netops.scheduler import build_scheduler, shutdown
from netops.settings import Settings


def test_jobs_are_configured_with_intervals_from_settings_and_no_overlap(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, poll_counters_s=30, poll_facts_s=600)
    sched = build_scheduler(
        settings,
        poll=lambda what: None,
        rollup=lambda: None,
        extra_jobs=[("bandwidth-drift", lambda: None, 300)],
    )
    jobs = {j.id: j for j in sched.get_jobs()}
    assert set(jobs) == {
        "poll-counters",
        "poll-facts",
        "poll-neighbors",
        "backup-config",
        "rollup-retention",
        "bandwidth-drift",
    }
    assert jobs["poll-counters"].trigger.interval.total_seconds() == 30
    assert jobs["poll-facts"].trigger.interval.total_seconds() == 600
    assert all(j.max_instances == 1 and j.coalesce for j in jobs.values())


def test_a_slow_cycle_never_runs_twice_at_once_and_shutdown_waits_for_it(tmp_path: Path) -> None:
    running = 0
    peak = 0
    finished: list[float] = []
    lock = threading.Lock()

    def slow_poll(what: list[str]) -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(1.5)  # longer than the 1 s interval
        with lock:
            running -= 1
        finished.append(time.monotonic())

    settings = Settings(
        data_dir=tmp_path,
        poll_counters_s=1,
        poll_facts_s=3600,
        poll_neighbors_s=3600,
        poll_config_s=86400,
    )
    sched = build_scheduler(settings, poll=slow_poll)
    sched.start()
    time.sleep(3.2)
    shutdown(sched, wait=True)
    assert peak == 1
    assert finished and running == 0  # the cycle in flight completed before shutdown returned
    assert not sched.running


def test_a_failing_job_does_not_stop_the_scheduler(tmp_path: Path) -> None:
    calls: list[int] = []

    def boom(what: list[str]) -> None:
        calls.append(1)
        raise RuntimeError("device exploded")

    settings = Settings(
        data_dir=tmp_path,
        poll_counters_s=1,
        poll_facts_s=3600,
        poll_neighbors_s=3600,
        poll_config_s=86400,
    )
    sched = build_scheduler(settings, poll=boom)
    sched.start()
    time.sleep(2.5)
    shutdown(sched)
    assert len(calls) >= 2
