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


def _store_failed_poll(app: Flask, polled_s: float) -> None:
    with app.extensions["netops"].engine.begin() as conn:
        conn.execute(
            insert(DeviceStateRow).values(
                device="rsud-gw", reachable=False, last_poll_s=polled_s, last_error_s=polled_s,
                last_error_kind="unreachable", last_error="no route", last_duration_s=1.0,
                consecutive_failures=1, status="failed",
            )  # fmt: skip
        )


def _page_statements(app: Flask) -> list[str]:
    client = app.test_client()
    login(client, "engineer")
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = app.extensions["netops"].engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/dashboard/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def _evaluates(statements: list[str]) -> bool:
    return any("interface_samples" in s or "queue_samples" in s for s in statements)


@pytest.mark.parametrize("warm_s", [0.0, 5.0], ids=["no-warmer", "warmer"])
def test_a_page_view_right_after_a_poll_evaluates_nothing_while_a_warmer_runs(
    app_config: dict[str, Any], warm_s: float
) -> None:
    app = create_app({**app_config, "DASHBOARD_WARM_S": warm_s})
    try:
        if warm_s:
            assert _until(lambda: (c := _cache(app)) is not None and c.cached_version is not None)
            app.extensions["netops_dashboard_warmer"].set()  # no further tick during the test
        else:
            assert _evaluates(_page_statements(app))  # the first view evaluates, then caches
        _store_failed_poll(app, 2_000_000_000.0)
        seen = _page_statements(app)
        # with a warmer the page shows the warmer's snapshot (one poll behind for a few seconds)
        # without evaluating or even asking for the data version; without one it evaluates
        assert _evaluates(seen) is (not warm_s)
    finally:
        if "netops_dashboard_warmer" in app.extensions:
            app.extensions["netops_dashboard_warmer"].set()
        app.extensions["netops"].engine.dispose()
