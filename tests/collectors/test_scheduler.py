"""The scheduler factory: jobs, max_instances=1 (no overlapping cycles), clean shutdown.

Timing is observed through events with deadlines, never through fixed sleeps."""

from __future__ import annotations

import threading
from pathlib import Path

from apscheduler.events import EVENT_JOB_MAX_INSTANCES

from netops.scheduler import build_scheduler, shutdown
from netops.settings import Settings
from tests.helpers import wait_until


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


def _counters_every_second(tmp_path: Path) -> Settings:
    """Only the counters job fires within a test's lifetime (every 1 s)."""
    return Settings(
        data_dir=tmp_path,
        poll_counters_s=1,
        poll_facts_s=3600,
        poll_neighbors_s=3600,
        poll_config_s=86400,
    )


def test_a_cycle_still_running_at_its_next_tick_is_skipped_not_run_twice(tmp_path: Path) -> None:
    # The first cycle blocks until APScheduler reports that it refused a second instance at the
    # next 1 s tick; only then is it released.  No fixed sleep: every wait has a deadline.
    running = 0
    peak = 0
    lock = threading.Lock()
    started = threading.Event()
    release = threading.Event()
    refused = threading.Event()

    def slow_poll(what: list[str]) -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        started.set()
        release.wait(timeout=15)
        with lock:
            running -= 1

    sched = build_scheduler(_counters_every_second(tmp_path), poll=slow_poll)
    sched.add_listener(lambda event: refused.set(), EVENT_JOB_MAX_INSTANCES)
    sched.start()
    try:
        assert started.wait(timeout=15), "the counters job never started"
        assert refused.wait(timeout=15), "no tick was refused while the first cycle ran"
        assert peak == 1
    finally:
        release.set()
        shutdown(sched, wait=True)
    assert peak == 1 and running == 0


def test_shutdown_waits_for_the_cycle_in_flight(tmp_path: Path) -> None:
    order: list[str] = []
    started = threading.Event()
    release = threading.Event()

    def slow_poll(what: list[str]) -> None:
        started.set()
        release.wait(timeout=15)
        order.append("cycle finished")

    sched = build_scheduler(_counters_every_second(tmp_path), poll=slow_poll)
    sched.start()
    assert started.wait(timeout=15), "the counters job never started"

    def stop() -> None:
        shutdown(sched, wait=True)
        order.append("shutdown returned")

    stopper = threading.Thread(target=stop)
    stopper.start()
    # A shutdown that did not wait would return while the cycle is still blocked.
    stopper.join(timeout=0.5)
    release.set()
    stopper.join(timeout=15)
    assert not stopper.is_alive()
    assert order == ["cycle finished", "shutdown returned"]
    assert not sched.running


def test_a_failing_job_does_not_stop_the_scheduler(tmp_path: Path) -> None:
    calls: list[int] = []

    def boom(what: list[str]) -> None:
        calls.append(1)
        raise RuntimeError("device exploded")

    sched = build_scheduler(_counters_every_second(tmp_path), poll=boom)
    sched.start()
    try:
        # the job runs again after it raised: the scheduler survived the first failure
        wait_until(lambda: len(calls), lambda n: n >= 2, timeout_s=15)
        assert sched.running
    finally:
        shutdown(sched)
