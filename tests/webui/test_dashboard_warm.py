"""The dashboard warmer: each web process evaluates the dashboard in the background when new
telemetry is stored, so a page view after a poll finds it evaluated (no whole-network query on
the request path)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, insert

from netops.queries.dashboard import SnapshotCache
from netops.storage.telemetry import DeviceStateRow
from tests.webui.conftest import login
from webui import create_app


def _until(check: Callable[[], bool], timeout_s: float = 20.0) -> bool:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def warm_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app({**app_config, "DASHBOARD_WARM_S": 0.1})
    yield app
    app.extensions["netops_dashboard_warmer"].set()
    app.extensions["netops"].engine.dispose()


def _cache(app: Flask) -> SnapshotCache | None:
    cache = app.extensions.get("netops_dashboard")
    return cache if isinstance(cache, SnapshotCache) else None


def test_the_dashboard_is_evaluated_before_anyone_asks_and_again_after_a_new_poll(
    warm_app: Flask,
) -> None:
    assert _until(lambda: (c := _cache(warm_app)) is not None and c.cached_version is not None)
    cache = _cache(warm_app)
    assert cache is not None
    first = cache.cached_version
    assert first is not None

    engine = warm_app.extensions["netops"].engine
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    client = warm_app.test_client()
    login(client, "engineer")
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/dashboard/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert not any("interface_samples" in s or "queue_samples" in s for s in seen)

    # the poller stores a newer cycle: the warmer evaluates again without a page view
    polled_s = first[0] + 3600.0
    with engine.begin() as conn:
        conn.execute(
            insert(DeviceStateRow).values(
                device="rsud-gw",
                reachable=False,
                last_poll_s=polled_s,
                last_error_s=polled_s,
                last_error_kind="unreachable",
                last_error="no route",
                last_duration_s=1.0,
                consecutive_failures=1,
                status="failed",
            )  # fmt: skip
        )
    assert _until(lambda: cache.cached_version not in (None, first))
    version = cache.cached_version
    assert version is not None and version[0] == polled_s


def test_no_warmer_runs_in_testing_mode_unless_asked(app: Flask) -> None:
    time.sleep(0.3)
    assert "netops_dashboard_warmer" not in app.extensions
    assert _cache(app) is None
