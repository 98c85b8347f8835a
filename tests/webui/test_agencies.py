"""Agencies: list (search, sort, paginate, constant SQL per page, CSV), detail (three numbers,
quota, chart data with the quota lines, percentile/volume/minutes at cap, suggestion, path and
weak points), usage CSV, monthly report, and agency users kept to their own agency."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from netops.bandwidth.measured import measured_series
from netops.bandwidth.plan import build_plan
from netops.inventory.loader import load_inventory
from netops.queries import agencies as q
from netops.storage.db import make_engine, session_factory
from netops.storage.models import Agency, Group, Quota
from tests.helpers import MINI
from tests.webui.conftest import login


@contextmanager
def count_queries(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs inside the block."""
    engine = app.extensions["netops"].engine
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _add_agencies(app: Flask, n: int) -> None:
    """``n`` more agencies (code ``zz-0000``...) with quotas in group ``opd``."""
    with app.extensions["netops"].sessions() as s:
        group = s.query(Group).filter_by(name="opd").one()
        for i in range(n):
            a = Agency(
                key=f"agency:zz-{i:04d}",
                code=f"zz-{i:04d}",
                name=f"Dinas Uji {i}",
                kind="dinas",
                group_id=group.id,
                subnets=[],
            )
            s.add(a)
            s.flush()
            s.add(
                Quota(
                    key=f"agency:zz-{i:04d}",
                    agency_id=a.id,
                    guaranteed_down_mbps=i % 50 + 1,
                    maximum_down_mbps=100,
                    guaranteed_up_mbps=1,
                    maximum_up_mbps=10,
                    priority=4,
                )
            )
        s.commit()


def _table_codes(html: str) -> list[str]:
    import re

    body = html.split('id="agency-table"', 1)[1]
    return re.findall(r'<a href="/agencies/([^"]+)">', body)


def test_list_shows_every_agency_with_its_quota(client: FlaskClient) -> None:
    login(client, "engineer")
    html = client.get("/agencies/").get_data(as_text=True)
    assert _table_codes(html) == ["diskominfo", "kec-utara", "rsud"]
    assert "RSUD Kabupaten Contoh" in html and "180,0 Mbps" in html


def test_list_search_matches_code_name_kind_and_group(client: FlaskClient) -> None:
    login(client, "engineer")
    for term, expected in [
        ("rsud", ["rsud"]),
        ("komunikasi", ["diskominfo"]),
        ("kecamatan", ["kec-utara"]),
        ("opd", ["diskominfo", "rsud"]),
        ("100%", []),
        ("_", []),
    ]:
        html = client.get("/agencies/", query_string={"q": term}).get_data(as_text=True)
        assert _table_codes(html) == expected, term


def test_list_sorts_by_each_column_both_ways(client: FlaskClient) -> None:
    login(client, "engineer")

    def codes(sort: str, desc: bool = False) -> list[str]:
        qs = {"sort": sort, **({"desc": "1"} if desc else {})}
        return _table_codes(client.get("/agencies/", query_string=qs).get_data(as_text=True))

    assert codes("guaranteed") == ["kec-utara", "diskominfo", "rsud"]
    assert codes("guaranteed", desc=True) == ["rsud", "diskominfo", "kec-utara"]
    assert codes("priority") == ["rsud", "diskominfo", "kec-utara"]
    assert codes("name") == ["diskominfo", "kec-utara", "rsud"]
    assert codes("nonsense") == codes("code")


def test_list_paginates(app: Flask, client: FlaskClient) -> None:
    _add_agencies(app, 60)
    login(client, "engineer")
    first = _table_codes(client.get("/agencies/").get_data(as_text=True))
    third = _table_codes(client.get("/agencies/?page=3").get_data(as_text=True))
    beyond = _table_codes(client.get("/agencies/?page=99").get_data(as_text=True))
    assert len(first) == 25 and len(third) == 13 and beyond == third
    assert set(first).isdisjoint(third)


def test_list_costs_the_same_sql_queries_for_3_and_303_agencies(app: Flask) -> None:
    client = app.test_client()
    login(client, "engineer")
    client.get("/agencies/")
    with count_queries(app) as small:
        assert client.get("/agencies/").status_code == 200
    _add_agencies(app, 300)
    with count_queries(app) as large:
        html = client.get("/agencies/?page=2").get_data(as_text=True)
    assert len(_table_codes(html)) == 25
    assert len(large) == len(small) <= 4, large


def test_list_csv_exports_the_filtered_rows(client: FlaskClient) -> None:
    login(client, "admin")
    resp = client.get("/agencies/export.csv?q=opd")
    assert resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["code", "name"] and [r[0] for r in rows[1:]] == ["diskominfo", "rsud"]


def test_agency_user_lands_on_its_own_page_and_no_other(client: FlaskClient) -> None:
    login(client, "agency")
    assert client.get("/").headers["Location"] == "/agencies/rsud"
    assert client.get("/agencies/").headers["Location"] == "/agencies/rsud"
    assert client.get("/agencies/rsud").status_code == 200
    for url in [
        "/agencies/kec-utara",
        "/agencies/kec-utara/usage.json",
        "/agencies/kec-utara/usage.csv",
        "/agencies/kec-utara/report",
        "/agencies/nope",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get("/agencies/export.csv").status_code == 403


def test_detail_shows_the_three_numbers_from_the_core(app: Flask, client: FlaskClient) -> None:
    login(client, "engineer")
    html = client.get("/agencies/rsud").get_data(as_text=True)
    now = datetime.now(UTC)
    inv = load_inventory(MINI).inventory
    plan = build_plan(inv, now)
    with app.extensions["netops"].sessions() as s:
        demand = q.current_demand_mbps(s, inv, plan, now)
    shares = q.shares_of(plan, "rsud", demand)["down"]
    assert shares.guaranteed_mbps == 60 and shares.maximum_mbps == 180
    assert shares.full_contention_mbps > shares.guaranteed_mbps
    for block, value in [
        ("promised", shares.guaranteed_mbps),
        ("full-contention", shares.full_contention_mbps),
    ]:
        part = html.split(f'id="{block}"', 1)[1].split("</div></div>", 1)[0]
        assert f"{value:.1f}".replace(".", ",") + " Mbps" in part, block
    assert 'id="getting-now"' in html
    assert "Dijanjikan" in html and "Saat semua penuh" in html


def test_detail_shows_usage_figures_suggestion_path_and_weak_points(client: FlaskClient) -> None:
    login(client, "engineer")
    html = client.get("/agencies/rsud").get_data(as_text=True)
    # the seeded curve reaches the maximum every office-hours peak
    p95 = html.split('id="p95-down"', 1)[1].split("</td>", 1)[0]
    assert "180,0 Mbps" in p95
    assert 'id="suggestion"' in html
    assert "rsud-gw → dist1 → core1" in html
    weak = html.split('id="weak-points"', 1)[1].split("</ul>", 1)[0]
    assert "dist1" in weak and "core1" in weak


def test_chart_data_has_the_period_series_and_the_quota_lines(client: FlaskClient) -> None:
    login(client, "agency")
    for period, points in [("1h", (10, 13)), ("24h", (280, 290)), ("7d", (590, 600))]:
        data = client.get(f"/agencies/rsud/usage.json?period={period}").get_json()
        assert points[0] <= len(data["down"]["mbps"]) <= points[1], (
            period,
            len(data["down"]["mbps"]),
        )
        assert len(data["down"]["t"]) == len(data["down"]["mbps"])
        assert data["guaranteed_down_mbps"] == 60 and data["maximum_down_mbps"] == 180
        assert max(data["down"]["mbps"]) <= 180.001
    assert client.get("/agencies/rsud/usage.json?period=bogus").get_json()["period"] == "24h"


def test_one_agency_series_equals_what_the_core_measures_for_all(app: Flask) -> None:
    inv = load_inventory(MINI).inventory
    now = datetime.now(UTC)
    plan = build_plan(inv, now)
    since = now - timedelta(days=2)
    with app.extensions["netops"].sessions() as s:
        everyone = measured_series(s, inv, plan, since, now)
        for code in ("rsud", "kec-utara", "diskominfo"):
            one = q.agency_series(s, inv, plan, code, since, now)
            assert one.down and one.down == everyone[code].down and one.up == everyone[code].up
            assert one.source == everyone[code].source


def test_usage_csv_has_one_row_per_chart_point(client: FlaskClient) -> None:
    login(client, "agency")
    resp = client.get("/agencies/rsud/usage.csv?period=24h")
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["code", "name", "time_utc", "down_mbps", "up_mbps"]
    assert 280 <= len(rows) - 1 <= 290 and all(r[0] == "rsud" for r in rows[1:])
    assert 'filename="rsud-usage-24h.csv"' in resp.headers["Content-Disposition"]


def test_monthly_report_lists_the_days_of_the_month(client: FlaskClient) -> None:
    login(client, "agency")
    now = datetime.now(UTC).astimezone(q.WITA)
    html = client.get("/agencies/rsud/report").get_data(as_text=True)
    assert "Laporan bandwidth" in html and "Cetak" in html
    rows = html.split('id="daily"', 1)[1].split("</table>", 1)[0].count("<tr>") - 1
    assert rows == now.day
    assert client.get("/agencies/rsud/report?month=2026-13").status_code == 400
    assert client.get("/agencies/rsud/report?month=2999-01").status_code == 404


def test_report_prints_on_a4_without_navigation(client: FlaskClient) -> None:
    css = client.get("/assets/netops/css/netops.css").get_data(as_text=True)
    assert "@page { size: A4" in css and ".navbar" in css.split("@media print", 1)[1]


def test_month_bounds_are_calendar_months_in_wita() -> None:
    start, end = q.month_bounds("2026-12")
    assert start == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        q.month_bounds("2026-1x")


def test_downsample_keeps_gaps_and_bounds_the_points() -> None:
    series = [(float(t), 1.0) for t in range(0, 1000)] + [
        (float(t), 3.0) for t in range(2000, 3000)
    ]
    out = q.downsample(series, 0, 3000, points=30)
    assert len(out) == 20  # 10 buckets of the gap have no samples
    assert {v for _, v in out} == {1.0, 3.0}
    assert q.downsample(series[:5], 0, 10) == series[:5]


def test_agency_record_is_none_for_a_retired_agency(app: Flask) -> None:
    engine = make_engine(str(app.extensions["netops"].engine.url))
    try:
        with session_factory(engine)() as s:
            assert q.agency_record(s, "rsud") is not None
            s.query(Agency).filter_by(code="rsud").update({"retired_at": datetime.now(UTC)})
            s.commit()
            assert q.agency_record(s, "rsud") is None
    finally:
        engine.dispose()


def test_detail_without_any_measurement_says_so(tmp_path: Any, app_config: dict[str, Any]) -> None:
    from tests.webui.data import seed_database
    from webui import create_app

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    seed_database(url, MINI, with_usage=False)
    app = create_app({**app_config, "DATABASE_URL": url})
    client = app.test_client()
    login(client, "agency")
    html = client.get("/agencies/rsud").get_data(as_text=True)
    assert "tidak ada pengukuran dalam 15 menit terakhir" in html
    assert "Saran" not in html  # no suggestion without data
    getting = html.split('id="getting-now"', 1)[1].split("</div></div>", 1)[0]
    assert "0,0 Mbps" in getting
    data = client.get("/agencies/rsud/usage.json?period=24h").get_json()
    assert data["down"]["mbps"] == [] and data["source"] == ""
    report = client.get("/agencies/rsud/report")
    assert report.status_code == 200
    app.extensions["netops"].engine.dispose()


def test_detail_explains_a_missing_inventory_file(
    app_config: dict[str, Any], tmp_path: Any
) -> None:
    from webui import create_app

    app = create_app({**app_config, "INVENTORY": str(tmp_path / "missing.yaml")})
    client = app.test_client()
    login(client, "engineer")
    resp = client.get("/agencies/rsud")
    assert resp.status_code == 200
    assert "missing.yaml" in resp.get_data(as_text=True)
    assert client.get("/agencies/rsud/usage.json").status_code == 503


def test_monthly_report_downloads_as_an_a4_pdf(client: FlaskClient) -> None:
    login(client, "agency")
    html = client.get("/agencies/rsud/report").get_data(as_text=True)
    assert 'id="report-pdf"' in html
    resp = client.get("/agencies/rsud/report.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data[:5] == b"%PDF-" and len(resp.data) > 5000
    assert b"/MediaBox [ 0 0 595.44 841.68 ]" in resp.data  # A4 in points
    month = datetime.now(UTC).astimezone(q.WITA).strftime("%Y-%m")
    assert f'filename="rsud-report-{month}.pdf"' in resp.headers["Content-Disposition"]
    assert client.get("/agencies/kec-utara/report.pdf").status_code == 404
