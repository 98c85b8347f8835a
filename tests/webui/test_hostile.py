"""Hostile text in the inventory (HTML/JS, quotes, right-to-left, spreadsheet formulas) is shown
as text on every page, neutralised in CSV, and inert in the report and the chart data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.helpers import MINI
from tests.webui.conftest import login

RSUD_NAME = '=HYPERLINK("http://evil.example","x") <script>alert(\'rsud\')</script> مستشفى'
KEC_NAME = "+cmd|' /C calc'!A0 \"Kecamatan\" <img src=x onerror=alert(1)>"
DISK_NAME = "@SUM(1+1) Dinas </textarea><b>bold</b>"
GROUP_DESC = "<iframe src=//evil.example></iframe>"
BOOST_REASON = "-2+3 <svg onload=alert(2)>"
RAW = ["<script>alert", "<img src=x", "<b>bold</b>", "<iframe", "<svg onload"]


@pytest.fixture(scope="module")
def hostile_inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = MINI.read_text(encoding="utf-8")

    def yaml_str(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    for old, new in [
        ("name: RSUD Kabupaten Contoh", f"name: {yaml_str(RSUD_NAME)}"),
        ("name: Kecamatan Utara", f"name: {yaml_str(KEC_NAME)}"),
        ("name: Dinas Komunikasi dan Informatika", f"name: {yaml_str(DISK_NAME)}"),
        ("reason: PPDB}", f"reason: {yaml_str(BOOST_REASON)}}}"),
        ("  - name: opd\n", f"  - name: opd\n    description: {yaml_str(GROUP_DESC)}\n"),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path_factory.mktemp("hostile") / "inventory.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def inventory_path(hostile_inventory: Path) -> Path:
    return hostile_inventory


PAGES = [
    "/agencies/",
    "/agencies/?q=%3Cscript%3E",
    "/agencies/rsud",
    "/agencies/kec-utara",
    "/agencies/diskominfo",
    "/agencies/rsud/report",
    "/agencies/kec-utara/report",
]


@pytest.mark.parametrize("url", PAGES)
def test_hostile_names_are_escaped_on_every_page(client: FlaskClient, url: str) -> None:
    login(client, "admin")
    resp = client.get(url)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert [r for r in RAW if r in html] == []
    assert (
        "&lt;script&gt;" in html
        or "&lt;img" in html
        or "&lt;b&gt;" in html
        or url.endswith("?q=%3Cscript%3E")
    )


def test_right_to_left_names_are_isolated(client: FlaskClient) -> None:
    login(client, "admin")
    html = client.get("/agencies/rsud").get_data(as_text=True)
    head = html.split('id="agency-name"', 1)[0].rsplit("<h1", 1)[1]
    assert 'dir="auto"' in head and "bidi" in head


def test_search_text_is_escaped_back_into_the_form(client: FlaskClient) -> None:
    login(client, "admin")
    html = client.get('/agencies/?q="><script>alert(3)</script>').get_data(as_text=True)
    assert "<script>alert(3)" not in html and "&#34;&gt;&lt;script&gt;" in html


def _csv(client: FlaskClient, url: str) -> list[list[str]]:
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))


def test_list_csv_neutralises_formulas(client: FlaskClient) -> None:
    login(client, "admin")
    rows = _csv(client, "/agencies/export.csv")
    names = {r[0]: r[1] for r in rows[1:]}
    assert names["rsud"] == "'" + RSUD_NAME
    assert names["kec-utara"] == "'" + KEC_NAME
    assert names["diskominfo"] == "'" + DISK_NAME
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_usage_csv_neutralises_formulas(client: FlaskClient) -> None:
    login(client, "agency")
    rows = _csv(client, "/agencies/rsud/usage.csv?period=1h")
    assert rows[1][1] == "'" + RSUD_NAME


def test_chart_json_carries_no_names(client: FlaskClient) -> None:
    login(client, "agency")
    body = client.get("/agencies/rsud/usage.json?period=1h").get_data(as_text=True)
    assert "script" not in body and "HYPERLINK" not in body


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_neutralise_prefixes_every_formula_start(value: str) -> None:
    from webui.csvsafe import neutralise

    assert neutralise(value) == "'" + value
    assert neutralise("Dinas") == "Dinas" and neutralise(-1.5) == -1.5


def test_pdf_report_draws_hostile_names_as_text(client: FlaskClient) -> None:
    login(client, "admin")
    for code in ("rsud", "kec-utara", "diskominfo"):
        resp = client.get(f"/agencies/{code}/report.pdf")
        assert resp.status_code == 200 and resp.data[:5] == b"%PDF-", code
