"""Pages cost a constant number of SQL queries whatever the size of the network (the mini
inventory against the 72-device sample, counted with a ``before_cursor_execute`` listener), and
hostile text from the inventory (agency names, interface and link descriptions, providers,
models: HTML/JS, quotes, right-to-left) is escaped on every page of the dashboard, devices and
links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from sqlalchemy import event

from tests.helpers import MINI
from tests.webui.conftest import SECRET, login
from tests.webui.data import seed_database
from tests.webui.network import HOT_LINK, feed_network

PAGES = ["/dashboard/", "/dashboard/data.json", "/devices/", "/links/", "/metrics"]


def _app(tmp: Path, inventory: Path) -> Flask:
    from webui import create_app

    url = f"sqlite:///{tmp / 'app.db'}"
    seed_database(url, inventory)
    return create_app(
        {"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": url, "INVENTORY": str(inventory)}
    )


def _queries(app: Flask, url: str) -> int:
    client = app.test_client()
    login(client, "engineer")
    app.extensions.pop("netops_dashboard", None)  # cold: no cached snapshot
    engine = app.extensions["netops"].engine
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        resp = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert resp.status_code == 200, url
    return len(seen)


def grown_mini(path: Path, extra: int) -> Path:
    """The mini inventory with ``extra`` more kecamatan agencies, each behind its own access
    router hanging off dist1 (so rsud and kec-utara, the test users' agencies, stay)."""
    doc = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    dist = next(d for d in doc["devices"] if d["hostname"] == "dist1")
    for i in range(extra):
        code = f"kec-x{i}"
        doc["agencies"].append(
            {
                "code": code,
                "name": f"Kecamatan X{i}",
                "kind": "kecamatan",
                "group": "kecamatan",
                "subnets": [f"10.30.{i}.0/24"],
                "quota": {
                    "guaranteed_down_mbps": 0.1,
                    "maximum_down_mbps": 10,
                    "guaranteed_up_mbps": 0.1,
                    "maximum_up_mbps": 5,
                },
            }
        )
        port = f"GigabitEthernet1/0/{3 + i}"
        dist["interfaces"].append({"name": port, "speed_mbps": 1000})
        doc["devices"].append(
            {
                "hostname": f"acc{i}",
                "mgmt_address": f"10.255.1.{i + 1}",
                "platform": "mikrotik_routeros",
                "role": "access",
                "site": "kec-utara",
                "credentials": "lab",
                "interfaces": [
                    {"name": "ether1", "speed_mbps": 1000},
                    {"name": "ether2", "speed_mbps": 100, "agency": code},
                ],
            }
        )
        doc["links"].append(
            {
                "a": {"device": "dist1", "interface": port},
                "b": {"device": f"acc{i}", "interface": "ether1"},
                "medium": "fiber",
                "length_km": 1.0,
                "capacity_mbps": 1000,
            }
        )
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_sizes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Flask]]:
    small = _app(tmp_path_factory.mktemp("small"), MINI)
    big_dir = tmp_path_factory.mktemp("big")
    big = _app(big_dir, grown_mini(big_dir / "inventory.yaml", 60))
    for app in (small, big):
        feed_network(app)
    yield small, big
    for app in (small, big):
        app.extensions["netops"].engine.dispose()


@pytest.mark.parametrize("url", PAGES)
def test_page_costs_the_same_queries_for_4_and_72_devices(
    two_sizes: tuple[Flask, Flask], url: str
) -> None:
    small, big = two_sizes
    assert _queries(small, url) == _queries(big, url)


def test_a_cached_dashboard_costs_one_query_more_than_the_login_check(
    two_sizes: tuple[Flask, Flask],
) -> None:
    small, big = two_sizes
    for app in (small, big):
        client = app.test_client()
        login(client, "engineer")
        client.get("/dashboard/")  # fills the cache
        engine = app.extensions["netops"].engine
        seen: list[str] = []

        def listener(*a: Any, seen: list[str] = seen) -> None:
            seen.append(a[2])

        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/dashboard/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert sum("device_state" in s for s in seen) == 1  # data_version only
        assert not any("interface_samples" in s for s in seen)


HOSTILE_NAME = "<script>alert('agency')</script> RSUD \"Kabupaten\" مستشفى"
HOSTILE_IFACE = '<img src=x onerror=alert("iface")>'
HOSTILE_LINK = "\"><svg onload=alert('link')>"
HOSTILE_PROVIDER = "ISP <b onmouseover=alert(1)>A</b> & 'Co'"
HOSTILE_MODEL = "<iframe src=javascript:alert(3)>"
RAW = ["<script>alert(", "<img src=x", "<svg onload", "<b onmouseover", "<iframe src"]


@pytest.fixture
def inventory_path(tmp_path: Path) -> Path:
    doc = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    next(a for a in doc["agencies"] if a["code"] == "rsud")["name"] = HOSTILE_NAME
    core = next(d for d in doc["devices"] if d["hostname"] == "core1")
    core["model"] = HOSTILE_MODEL
    next(i for i in core["interfaces"] if i["name"] == "ether2")["description"] = HOSTILE_IFACE
    doc["links"][0]["description"] = HOSTILE_LINK
    doc["uplinks"][0]["provider"] = HOSTILE_PROVIDER
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_hostile_inventory_text_is_escaped_on_every_page(app: Flask) -> None:
    feed_network(app)
    client = app.test_client()
    login(client, "engineer")
    pages = {
        url: client.get(url).get_data(as_text=True)
        for url in ["/dashboard/", "/devices/", "/devices/core1", "/links/", f"/links/{HOT_LINK}"]
    }
    sections = client.get("/dashboard/data.json").get_json()["sections"]
    pages.update({f"data.json:{k}": v for k, v in sections.items()})
    for url, html in pages.items():
        for raw in RAW:
            assert raw not in html, f"{url}: {raw!r} unescaped"
    assert "&lt;script&gt;alert(" in pages["/dashboard/"]  # the agency bar shows the name
    assert "مستشفى" in pages["/dashboard/"]  # right-to-left text kept, in an isolated element
    assert 'class="small text-muted bidi" dir="auto">&lt;script&gt;' in pages["/dashboard/"]
    assert "&lt;img src=x onerror=alert(" in pages["/devices/core1"]
    assert "&lt;iframe src=javascript:alert(3)&gt;" in pages["/devices/"]
    assert "&#34;&gt;&lt;svg onload=alert(" in pages["/links/"]
    assert (
        "ISP &lt;b onmouseover=alert(1)&gt;A&lt;/b&gt; &amp; &#39;Co&#39;" in pages["/dashboard/"]
    )
    api = client.get("/api/v1/dashboard").get_json()
    assert api["agencies"]["items"][0]["name"] in {
        HOSTILE_NAME,
        "Dinas Komunikasi dan Informatika",
        "Kecamatan Utara",
    }
