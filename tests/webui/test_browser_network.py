"""End to end in Debian's Chromium (Playwright, headless) against the app served on 127.0.0.1:
an engineer logs in, sees the dashboard's uplink chart drawn by plotly (served by the app) and
refreshed without a reload, then opens a device's configuration diff.  Screenshots go to
``.artifacts/screenshots/``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.webui.conftest import LiveServer, browser_login, screenshot
from tests.webui.network import feed_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_engineer_sees_the_uplink_chart_refresh_and_a_config_diff(
    app: Any, live_server: LiveServer, page: Any
) -> None:
    feed_network(app)
    browser_login(page, live_server, "engineer")
    page.js_errors.clear()  # the login page's favicon.ico 404 is not these pages' business
    page.goto(f"{live_server.url}/dashboard/")
    chart = page.locator("#uplink-chart-0")
    chart.locator("svg.main-svg").first.wait_for(timeout=15_000)
    assert chart.get_attribute("data-rendered") == "1"
    assert page.locator("#uplink-chart-0 .scatterlayer .trace").count() == 2  # down and up
    assert page.locator("#alert-list li").count() >= 3
    # the page refreshes itself from data.json (the timer's event, fired now), no reload
    marker = page.evaluate("() => { window.__same_page = true; return 1; }")
    page.evaluate(
        "() => document.getElementById('dashboard').dispatchEvent(new Event('netops:refresh'))"
    )
    page.wait_for_function("() => document.getElementById('dashboard').dataset.refreshes === '1'")
    assert marker == 1 and page.evaluate("() => window.__same_page === true")
    chart.locator("svg.main-svg").first.wait_for(timeout=15_000)
    screenshot(page, "dashboard-engineer")

    page.goto(f"{live_server.url}/devices/core1")
    page.click("a.config-diff-link")
    page.locator("#config-diff tr.insert").first.wait_for(timeout=10_000)
    added = page.locator("#config-diff tr.insert td.right").all_inner_texts()
    assert "/ip dns set servers=10.0.0.53" in added
    body = page.content()
    assert "Sup3rSecret" not in body
    screenshot(page, "device-config-diff")
    assert page.js_errors == []
