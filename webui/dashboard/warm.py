"""The dashboard evaluated in the background: a daemon thread per app that, every
``web_dashboard_warm_s`` seconds, asks the app's snapshot cache for the current snapshot, so the
whole-network evaluation after a poll (alerts, every agency's rate: about 0.6 s at 2,000
agencies / 10,000 interfaces) runs off the request path and a page view finds it cached.

A cache hit costs one query (:func:`netops.queries.dashboard.data_version`); the cache itself
decides when to evaluate again (new poll, drift check or backup, or older than its maximum age).
Errors are logged once per kind and retried at the next tick; the thread never stops the app.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)


def start_warmer(app: Flask, interval_s: float) -> threading.Event:
    """Start warming ``app``'s dashboard every ``interval_s`` seconds; set the returned event
    to stop the thread."""
    from webui.context import web_context
    from webui.dashboard.data import now, snapshot_cache

    stop = threading.Event()
    last_error = ""

    def tick() -> None:
        nonlocal last_error
        with app.app_context():
            ctx = web_context()
            try:
                with ctx.sessions() as session:
                    snapshot_cache().get(session, ctx.inventory(), now())
            except Exception as exc:  # noqa: BLE001 - a bad inventory or database: log, retry
                kind = f"{type(exc).__name__}: {exc}"
                if kind != last_error:
                    log.warning("dashboard warmer: %s (retrying every %.0f s)", kind, interval_s)
                last_error = kind
            else:
                last_error = ""

    def run() -> None:
        while not stop.is_set():
            tick()
            stop.wait(interval_s)

    threading.Thread(target=run, name="netops-dashboard-warmer", daemon=True).start()
    return stop
