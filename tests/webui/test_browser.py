"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
an agency user logs in, lands on its page and sees its usage chart drawn with the guaranteed
and maximum lines and its three numbers; the language switch turns formats Indonesian and back.
Screenshots go to .artifacts/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.webui.conftest import LiveServer, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _chart_traces(page: Any) -> list[dict[str, Any]]:
    page.wait_for_selector("#usage-chart[data-rendered='1']", timeout=20_000)
    traces: list[dict[str, Any]] = page.evaluate(
        "() => document.getElementById('usage-chart').data.map("
        "t => ({name: t.name, n: t.y.length, ymax: Math.max(...t.y), ymin: Math.min(...t.y)}))"
    )
    return traces


def test_agency_sees_its_usage_chart_with_quota_lines_and_three_numbers(
    page: Any, live_server: LiveServer
) -> None:
    browser_login(page, live_server, "agency")
    assert page.url.endswith("/agencies/rsud")
    traces = _chart_traces(page)
    by_name = {t["name"]: t for t in traces}
    assert by_name["Jaminan (Unduh)"]["ymin"] == by_name["Jaminan (Unduh)"]["ymax"] == 60
    assert by_name["Maksimum (Unduh)"]["ymin"] == by_name["Maksimum (Unduh)"]["ymax"] == 180
    assert by_name["Unduh"]["n"] > 200 and 0 < by_name["Unduh"]["ymax"] <= 180
    # the lines are drawn and named in the legend of the SVG plotly rendered
    legend = page.locator("#usage-chart .legendtext").all_text_contents()
    assert "Jaminan (Unduh)" in legend and "Maksimum (Unduh)" in legend
    assert page.locator("#usage-chart .scatterlayer .trace").count() == 4
    assert page.locator("#promised .value").inner_text() == "60,0 Mbps"
    assert page.locator("#full-contention .value").inner_text().endswith(" Mbps")
    assert re.fullmatch(r"[\d.]+,\d Mbps", page.locator("#getting-now .value").inner_text())
    screenshot(page, "agency-usage-chart")
    page.click("#period-switch a[data-period='7d']")
    traces = _chart_traces(page)
    assert len(traces) == 4
    screenshot(page, "agency-usage-chart-7d")
    assert page.js_errors == []


def test_language_switch_shows_indonesian_then_english_formats(
    page: Any, live_server: LiveServer
) -> None:
    browser_login(page, live_server, "agency")
    text = page.locator("main").inner_text()
    assert "Dijanjikan" in text and "60,0 Mbps" in text
    assert re.search(r"Sejak 1 [A-Z][a-z]+ \d{4}, 00\.00 WITA", text), text[:2000]
    page.click("#lang-en")
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "Promised" in text and "60.0 Mbps" in text and "Dijanjikan" not in text
    assert re.search(r"Since [A-Z][a-z]+ 1, \d{4}, 12:00\s?AM WITA", text), text[:2000]
    screenshot(page, "agency-english")
    page.click("#lang-id")
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "Dijanjikan" in text and "180,0 Mbps" in text
    screenshot(page, "agency-indonesian")
    # the chart follows the language too: Indonesian decimal comma on the axis
    _chart_traces(page)
    assert page.evaluate("() => document.getElementById('usage-chart').layout.separators") == ",."
    assert page.js_errors == []


def test_engineer_browses_the_agency_list_and_report(page: Any, live_server: LiveServer) -> None:
    browser_login(page, live_server, "engineer")
    page.goto(f"{live_server.url}/agencies/?sort=guaranteed&desc=1")
    first = page.locator("#agency-table tbody tr td a").first.inner_text()
    assert first == "rsud"
    page.goto(f"{live_server.url}/agencies/rsud/report")
    page.emulate_media(media="print")
    assert page.locator("nav.navbar").is_hidden()
    assert page.locator("#daily").is_visible()
    screenshot(page, "report-print")
    pdf_ok = page.pdf(format="A4")
    assert pdf_ok[:4] == b"%PDF"
    assert page.js_errors == []
