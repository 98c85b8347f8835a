"""Dashboard, devices and links pages, their JSON, ``/metrics`` and ``/api/v1``, through the
Flask test client on a database the poller's batch code filled (tests/webui/network.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from tests.webui.conftest import login
from tests.webui.network import CONFIG_2, HOT_LINK, SECRET_1, SECRET_2, api_token, feed_network


@pytest.fixture
def fed(app: Flask) -> Flask:
    feed_network(app)
    return app


def test_engineer_dashboard_shows_uplinks_bars_alerts_and_weak_points(fed: Flask) -> None:
    client = fed.test_client()
    login(client, "engineer")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="uplink-chart-0"' in html and "plotly" in html and "dashboard.js" in html
    assert "isp-a" in html
    assert "rsud-gw" in html  # device down and its link
    assert HOT_LINK in html  # hot link alert
    assert 'id="agency-bars"' in html and "rsud" in html and "kec-utara" in html
    assert 'id="weak-points"' in html and "dist1" in html
    charts = json.loads(html.split('id="dashboard-charts">', 1)[1].split("</script>", 1)[0])
    assert charts["charts"][0]["name"] == "isp-a"
    assert charts["charts"][0]["down"][-1] == pytest.approx(75.0, abs=0.5)


def test_dashboard_json_refreshes_sections_and_charts(fed: Flask) -> None:
    client = fed.test_client()
    login(client, "engineer")
    data = client.get("/dashboard/data.json").get_json()
    assert set(data["sections"]) == {"alerts", "status", "uplinks", "agencies", "weak"}
    assert "rsud-gw" in data["sections"]["alerts"]
    assert data["charts"][0]["up"][-1] == pytest.approx(40.0, abs=0.5)


def test_dashboard_speaks_the_users_language(fed: Flask) -> None:
    client = fed.test_client()
    login(client, "agency")  # rina: Indonesian
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "Peringatan" in html and "Instansi: dijanjikan dan terpakai" in html
    assert "Alerts" not in html


def test_agency_dashboard_holds_only_its_own_agency(fed: Flask) -> None:
    client = fed.test_client()
    login(client, "agency")  # rsud
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "rsud" in html
    for other in ("kec-utara", "diskominfo"):
        assert other not in html
    # the network's state is not theirs: no down devices or links, only their own alerts
    assert 'id="devices-down-count">0 / 4' in html and "tidak dapat dijangkau" not in html
    assert "dist1:GigabitEthernet1/0/2--rsud-gw:eth0" in html  # a weak point on its own path


def test_devices_list_detail_config_and_diff_keep_secrets_masked(fed: Flask) -> None:
    client = fed.test_client()
    login(client, "engineer")
    listing = client.get("/devices/").get_data(as_text=True)
    assert "core1" in listing and "SN-core1" not in listing  # serial on the detail page
    assert "connection refused" in listing  # rsud-gw's last error
    assert "rsud-gw" in client.get("/devices/?state=down").get_data(as_text=True)
    assert "core1" not in client.get("/devices/?state=down").get_data(as_text=True)
    detail = client.get("/devices/core1").get_data(as_text=True)
    assert "SN-core1" in detail and 'id="interface-table"' in detail and "ether4" in detail
    assert 'href="/devices/core1/configs/1/diff/2"' in detail
    config = client.get("/devices/core1/configs/2").get_data(as_text=True)
    assert "servers=10.0.0.53" in config and SECRET_2 not in config and "&lt;masked&gt;" in config
    diff = client.get("/devices/core1/configs/1/diff/2").get_data(as_text=True)
    assert 'id="config-diff"' in diff and 'class="insert"' in diff
    assert "/ip dns set servers=10.0.0.53" in diff
    assert SECRET_1 not in diff and SECRET_2 not in diff
    resp = client.get("/devices/core1/compare?a=2&b=1")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/configs/1/diff/2")
    assert client.get("/devices/nope").status_code == 404
    assert client.get("/devices/core1/configs/9").status_code == 404
    assert client.get("/devices/core1/configs/1/diff/9").status_code == 404
    assert CONFIG_2.splitlines()[0] in config


def test_links_list_and_history(fed: Flask) -> None:
    client = fed.test_client()
    login(client, "engineer")
    listing = client.get("/links/").get_data(as_text=True)
    assert f'href="/links/{HOT_LINK}"' in listing and "90" in listing
    detail = client.get(f"/links/{HOT_LINK}?hours=1").get_data(as_text=True)
    chart = json.loads(detail.split('id="link-chart-data">', 1)[1].split("</script>", 1)[0])
    assert chart["ab"][-1] == pytest.approx(90.0, abs=0.5)
    assert "link.js" in detail
    down = client.get("/links/dist1:GigabitEthernet1/0/2--rsud-gw:eth0").get_data(as_text=True)
    assert "unreachable" in down or "tidak terjangkau" in down
    assert client.get("/links/a:b--c:d").status_code == 404


@pytest.mark.parametrize("url", ["/devices/", "/devices/core1", "/links/", "/metrics"])
def test_agency_users_may_not_open_network_pages(fed: Flask, url: str) -> None:
    client = fed.test_client()
    login(client, "agency")
    assert client.get(url).status_code == 403


def _metrics(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_metrics_in_prometheus_format_with_a_bearer_token(fed: Flask) -> None:
    client = fed.test_client()
    assert client.get("/metrics").status_code == 401
    token = api_token(fed, "engineer")
    resp = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200 and resp.mimetype == "text/plain"
    m = _metrics(resp.get_data(as_text=True))
    assert m[("netops_uplink_rate_bps", (("direction", "down"), ("uplink", "isp-a")))] == (
        pytest.approx(150e6, rel=1e-3)
    )
    assert m[("netops_uplink_utilization_ratio", (("direction", "up"), ("uplink", "isp-a")))] == (
        pytest.approx(0.4, rel=1e-3)
    )
    rsud = (("agency", "rsud"), ("direction", "down"))
    assert m[("netops_agency_rate_bps", rsud)] == pytest.approx(175e6, rel=1e-3)
    assert m[("netops_agency_maximum_bps", rsud)] == 180e6
    assert m[("netops_devices_down", ())] == 1
    assert m[("netops_device_up", (("device", "rsud-gw"),))] == 0
    assert m[("netops_device_up", (("device", "core1"),))] == 1
    assert m[("netops_alerts", (("kind", "link-hot"), ("severity", "warning")))] == 1
    agency = api_token(fed, "agency")
    assert client.get("/metrics", headers={"Authorization": f"Bearer {agency}"}).status_code == 403


def _api(client: FlaskClient, token: str, url: str) -> Any:
    resp = client.get(url, headers={"Authorization": f"Bearer {token}"})
    return resp.status_code, resp.get_json()


def test_api_serves_the_same_data_with_a_token(fed: Flask) -> None:
    client = fed.test_client()
    token = api_token(fed, "engineer")
    code, d = _api(client, token, "/api/v1/dashboard")
    assert code == 200 and d["uplinks"][0]["current_down_bps"] == pytest.approx(150e6, rel=1e-3)
    assert {a["kind"] for a in d["alerts"]} >= {"link-hot", "device-unreachable", "link-down"}
    code, alerts = _api(client, token, "/api/v1/alerts?severity=critical")
    assert code == 200 and {a["severity"] for a in alerts} == {"critical"}
    code, devices = _api(client, token, "/api/v1/devices?per_page=2")
    assert code == 200 and devices["total"] == 4 and len(devices["items"]) == 2
    code, core = _api(client, token, "/api/v1/devices/core1")
    assert code == 200 and [c["version"] for c in core["configs"]] == [2, 1]
    code, diff = _api(client, token, "/api/v1/devices/core1/configs/1/diff/2")
    assert code == 200 and SECRET_2 not in json.dumps(diff)
    code, links = _api(client, token, "/api/v1/links")
    assert code == 200 and HOT_LINK in {x["id"] for x in links["items"]}
    code, link = _api(client, token, f"/api/v1/links/{HOT_LINK}?hours=1")
    assert code == 200 and link["link"]["utilization"] == pytest.approx(0.9, rel=1e-2)
    code, ag = _api(client, token, "/api/v1/agencies?q=rsud")
    assert code == 200 and [a["code"] for a in ag["items"]] == ["rsud"]
    code, rsud = _api(client, token, "/api/v1/agencies/rsud")
    assert code == 200 and {s["direction"] for s in rsud["shares"]} == {"down", "up"}
    code, err = _api(client, token, "/api/v1/devices?per_page=0")
    assert code == 422 and "per_page" in json.dumps(err["errors"])
    code, err = _api(client, token, "/api/v1/links?colour=blue")
    assert code == 422 and "colour" in json.dumps(err["errors"])


def test_api_applies_the_agency_role(fed: Flask) -> None:
    client = fed.test_client()
    token = api_token(fed, "agency")  # rsud
    code, d = _api(client, token, "/api/v1/dashboard")
    assert code == 200 and [b["code"] for b in d["agencies"]["items"]] == ["rsud"]
    assert "kec-utara" not in json.dumps(d) and "diskominfo" not in json.dumps(d)
    assert d["devices_down"] == [] and d["links_down"] == []
    code, ag = _api(client, token, "/api/v1/agencies")
    assert [a["code"] for a in ag["items"]] == ["rsud"]
    assert _api(client, token, "/api/v1/agencies/kec-utara")[0] == 404
    assert _api(client, token, "/api/v1/devices")[0] == 403
    assert _api(client, token, "/api/v1/links")[0] == 403


def test_openapi_document_and_docs_page_are_served_without_internet(fed: Flask) -> None:
    client = fed.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/dashboard", "/api/v1/devices/{hostname}", "/api/v1/links/{link_id}"} <= set(
        spec["paths"]
    )
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    docs = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/agencies/{code}" in docs and "http://" not in docs and "https://" not in docs
