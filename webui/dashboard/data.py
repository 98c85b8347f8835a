"""The dashboard's data for the current request: the app's snapshot cache, viewed as the current
user may see it (an agency user: its own agency only)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app

from netops.queries.dashboard import Dashboard, Snapshot, SnapshotCache, view
from webui.access import visible_agencies
from webui.context import db, web_context

CACHE_KEY = "netops_dashboard"


def snapshot_cache() -> SnapshotCache:
    cache = current_app.extensions.get(CACHE_KEY)
    if cache is None:
        cache = current_app.extensions[CACHE_KEY] = SnapshotCache()
    assert isinstance(cache, SnapshotCache)
    return cache


def now() -> datetime:
    """The time the dashboard is evaluated at (a function so that a benchmark can fix it)."""
    return datetime.now(UTC)


STALE_KEY = "netops_dashboard_stale_s"


def current_snapshot() -> Snapshot:
    """The snapshot a page shows.  With the warmer running (``DASHBOARD_WARM_S`` > 0) a page
    view takes the warmer's snapshot while the warmer found it current at most three intervals
    ago, and so never evaluates the network itself: right after a poll it may show the previous
    cycle for those few seconds."""
    stale_s = float(current_app.extensions.get(STALE_KEY, 0.0))
    return snapshot_cache().get(db(), web_context().inventory(), now(), stale_s=stale_s)


def current_dashboard(page: int = 1, per_page: int = 25) -> Dashboard:
    visible = visible_agencies()
    agency = None if visible is None else next(iter(sorted(visible)))
    return view(current_snapshot(), page=page, per_page=per_page, agency=agency)
