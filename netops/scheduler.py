"""APScheduler built inside a factory: nothing runs or is created at import time.

Jobs (intervals from :class:`~netops.settings.Settings`): counters every ``poll_counters_s``
(60 s), facts and neighbours every ``poll_facts_s``/``poll_neighbors_s`` (15 min), config
backup every ``poll_config_s`` (daily), queues with the counters, rollup/retention hourly.
Every job has ``max_instances=1`` (a slow cycle is never run twice at once), ``coalesce=True``
(missed runs collapse into one) and a misfire grace time.  Other components add their own jobs
with :func:`add_job` (e.g. the bandwidth boost and drift jobs).

Example::

    scheduler = build_scheduler(settings, poll=poller.poll, rollup=lambda: rollup_and_expire(db))
    scheduler.start()
    ...
    shutdown(scheduler)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from netops.settings import Settings

log = logging.getLogger(__name__)

JOB_DEFAULTS: dict[str, Any] = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}


def add_job(
    scheduler: Any, job_id: str, func: Callable[[], object], every_s: float, **kwargs: Any
) -> None:
    """Add (or replace) an interval job with the netops defaults (max_instances=1, coalesce)."""
    options = {**JOB_DEFAULTS, **kwargs}
    scheduler.add_job(
        _guarded(job_id, func),
        "interval",
        seconds=every_s,
        id=job_id,
        name=job_id,
        replace_existing=True,
        **options,
    )


def _guarded(job_id: str, func: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            func()
        except Exception:  # one failing job must not kill the scheduler
            log.exception("job %s failed", job_id)

    return run


def build_scheduler(
    settings: Settings,
    *,
    poll: Callable[[list[str]], object] | None = None,
    rollup: Callable[[], object] | None = None,
    extra_jobs: list[tuple[str, Callable[[], object], float]] | None = None,
    blocking: bool = False,
) -> Any:
    """A configured (not started) BackgroundScheduler, or BlockingScheduler for the foreground.

    ``poll(what)`` is called with ``["counters", "queues"]``, ``["facts", "interfaces"]``,
    ``["neighbors"]`` or ``["config"]``; ``extra_jobs`` are ``(id, callable, every_s)``.
    """
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(job_defaults=dict(JOB_DEFAULTS), timezone="UTC")
    if poll is not None:
        add_job(
            scheduler,
            "poll-counters",
            lambda: poll(["counters", "queues"]),
            settings.poll_counters_s,
        )
        add_job(
            scheduler, "poll-facts", lambda: poll(["facts", "interfaces"]), settings.poll_facts_s
        )
        add_job(scheduler, "poll-neighbors", lambda: poll(["neighbors"]), settings.poll_neighbors_s)
        add_job(scheduler, "backup-config", lambda: poll(["config"]), settings.poll_config_s)
    if rollup is not None:
        add_job(scheduler, "rollup-retention", rollup, 3600)
    for job_id, func, every_s in extra_jobs or []:
        add_job(scheduler, job_id, func, every_s)
    return scheduler


def shutdown(scheduler: Any, wait: bool = True) -> None:
    """Stop the scheduler, letting running jobs finish when ``wait``; never raises."""
    try:
        if scheduler.running:
            scheduler.shutdown(wait=wait)
    except Exception:
        log.exception("scheduler shutdown failed")
