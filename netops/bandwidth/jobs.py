"""Scheduler jobs of the bandwidth manager, as plain callables.

``bandwidth_jobs(settings)`` returns ``(id, callable, every_s)`` tuples in the shape
``netops.scheduler.build_scheduler(extra_jobs=...)`` takes.  Each run reloads the inventory (so an
edited boost or quota is picked up), opens the database, and closes its sessions at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from netops.settings import Settings

if TYPE_CHECKING:
    from netops.bandwidth.service import BandwidthContext

log = logging.getLogger(__name__)


def _context(settings: Settings) -> BandwidthContext:
    from netops.bandwidth.service import BandwidthContext
    from netops.inventory.loader import load_inventory
    from netops.secrets import SecretStore
    from netops.storage.db import open_database

    inventory = load_inventory(settings.inventory).inventory
    return BandwidthContext(
        inventory,
        settings,
        SecretStore.from_env(settings.secrets_file),
        engine=open_database(settings),
    )


def run_boosts(settings: Settings, now: datetime | None = None) -> int:
    """Apply/expire boosts now; returns the number of boost events recorded."""
    from netops.bandwidth.service import apply_boosts

    ctx = _context(settings)
    try:
        events = apply_boosts(ctx, now or datetime.now(UTC))
    finally:
        ctx.close()
    for e in events:
        log.info("boost %s %s", e.window_key, e.event)
    return len(events)


def run_drift(settings: Settings) -> int:
    """Check every shaper; returns the number of devices that drifted (or failed)."""
    from netops.bandwidth.service import check_drift

    ctx = _context(settings)
    try:
        results = check_drift(ctx)
    finally:
        ctx.close()
    for r in results:
        if r.drifted:
            log.warning(
                "bandwidth drift on %s: %s",
                r.device,
                r.error if r.error else (r.diff.text() if r.diff else ""),
            )
    return sum(1 for r in results if r.drifted)


def run_rollbacks(settings: Settings) -> int:
    """Retry the rollbacks still owed whose next try is due; returns how many finished."""
    from netops.bandwidth.service import finish_pending_rollbacks

    ctx = _context(settings)
    try:
        outcomes = finish_pending_rollbacks(ctx)
    finally:
        ctx.close()
    for o in outcomes:
        log.info("pending rollback of %s: %s %s", o.device, o.result, o.error or "")
    return sum(1 for o in outcomes if o.result == "rolled-back")


def bandwidth_jobs(settings: Settings) -> list[tuple[str, Callable[[], object], float]]:
    """The boost job, the drift check and the pending-rollback retries for the scheduler, at
    the cadences of ``settings`` (``bandwidth_boosts_every_s``, ``bandwidth_drift_every_s``,
    ``bandwidth_rollback_every_s``)."""
    return [
        ("bandwidth-boosts", lambda: run_boosts(settings), settings.bandwidth_boosts_every_s),
        ("bandwidth-drift", lambda: run_drift(settings), settings.bandwidth_drift_every_s),
        (
            "bandwidth-rollbacks",
            lambda: run_rollbacks(settings),
            settings.bandwidth_rollback_every_s,
        ),
    ]
