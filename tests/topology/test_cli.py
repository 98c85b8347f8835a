"""``netops topology`` end to end on the mini inventory: text, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.cli.main import cli

MINI = str(Path(__file__).parents[1] / "fixtures" / "mini-inventory.yaml")

ROUTES = """
points:
  - {name: kec-selatan, latitude: -8.16, longitude: 115.07}
segments:
  - {name: utara-rsud, a: kec-utara, b: rsud, cost_idr_per_km: 80000000}
  - {name: dc-rsud, a: dc, b: rsud-gw, length_km: 1.5, cost_idr_per_km: 120000000}
  - {name: selatan-dc, a: kec-selatan, b: dc, cost_idr_per_km: 60000000}
"""


def run(*args: str):
    return CliRunner().invoke(cli, ["topology", *args])


@pytest.fixture
def routes(tmp_path: Path) -> str:
    p = tmp_path / "routes.yaml"
    p.write_text(ROUTES, encoding="utf-8")
    return str(p)


def test_paths_json_lists_every_agency_with_its_route():
    res = run("paths", "-i", MINI, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["rsud"]["route"] == ["rsud-gw", "dist1", "core1"]
    assert data["kec-utara"]["media"] == ["wireless"]
    assert data["kec-utara"]["bottleneck_mbps"] == 300


def test_spof_text_names_links_devices_and_redundancy():
    res = run("spof", "-i", MINI)
    assert res.exit_code == 0, res.output
    assert "core1:ether3--ptp-utara:wlan1" in res.output
    assert "dist1" in res.output and "1: 2  kec-utara, rsud" in res.output


def test_whatif_exit_1_when_agencies_are_cut_off():
    res = run("whatif", "-i", MINI, "--fail-device", "dist1", "--json")
    assert res.exit_code == 1, res.output
    assert json.loads(res.output)["cut_off"] == ["rsud"]


SAMPLE = str(Path(__file__).parents[2] / "inventory.yaml")


def test_whatif_exit_0_when_a_ring_cut_reroutes_everyone_without_overload():
    res = run("whatif", "-i", SAMPLE, "--fail-link", "dist-ring2:TenGigabitEthernet1/1/1", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["cut_off"] == []
    assert "dinkes" in data["rerouted"] and data["overloaded"] == []


def test_whatif_port_without_link_is_a_usage_error_and_a_lost_device_exits_1():
    res = run("whatif", "-i", MINI, "--fail-link", "ptp-utara:ether1")
    assert res.exit_code == 2 and "no link on ptp-utara ether1" in res.output
    res = run("whatif", "-i", MINI, "--fail-device", "rsud-gw")
    assert res.exit_code == 1  # rsud goes dark
    assert "Cut off: 1 agencies, 60 Mbps guaranteed: rsud" in res.output


def test_whatif_usage_errors_exit_2():
    assert run("whatif", "-i", MINI).exit_code == 2
    res = run("whatif", "-i", MINI, "--fail-device", "core9")
    assert res.exit_code == 2 and "unknown device 'core9'" in res.output


def test_plan_redundancy_budget_and_new_site(routes):
    res = run("plan", "-i", MINI, "--routes", routes, "--json")
    assert res.exit_code == 0, res.output
    plan = json.loads(res.output)
    # one ring core1-dist1-rsud-gw-ptp-utara-core1 protects both agencies
    assert [s["name"] for s in plan["segments"]] == ["utara-rsud"]
    assert plan["unprotectable"] == []
    res = run("plan", "-i", MINI, "--routes", routes, "--budget-idr", "200000000", "--json")
    steps = json.loads(res.output)["steps"]
    assert [s["segments"][0]["name"] for s in steps] == ["dc-rsud"]
    res = run("plan", "-i", MINI, "--routes", routes, "--connect", "kec-selatan")
    assert res.exit_code == 0 and "selatan-dc" in res.output and "joins at core1" in res.output


def test_plan_bad_routes_file_names_the_line(tmp_path):
    p = tmp_path / "routes.yaml"
    p.write_text("segments:\n  - {name: x, a: dc, b: mars, cost_idr_per_km: 1}\n")
    res = run("plan", "-i", MINI, "--routes", str(p))
    assert res.exit_code == 1
    assert f"{p}:2" in res.output and "unknown place 'mars'" in res.output
    assert "Traceback" not in res.output


def test_missing_inventory_or_routes_is_a_usage_error(tmp_path):
    assert run("paths", "-i", str(tmp_path / "nope.yaml")).exit_code == 2
    assert run("plan", "-i", MINI, "--routes", str(tmp_path / "nope.yaml")).exit_code == 2


def test_check_without_database_says_it_is_planned_only():
    res = run("check", "-i", MINI)
    assert res.exit_code == 0 and "planned topology only" in res.output


def test_render_writes_svg_with_media_colours(tmp_path):
    out = tmp_path / "topo.svg"
    res = run("render", "-i", MINI, "--out", str(out))
    assert res.exit_code == 0, res.output
    svg = out.read_text()
    assert svg.startswith("<?xml") and "kec-utara" in svg
    assert "#ff7f0e" in svg and "#1f77b4" in svg  # wireless and fiber links drawn
    png = tmp_path / "topo.png"
    assert run("render", "-i", MINI, "--out", str(png)).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("render", "-i", MINI, "--out", str(tmp_path / "topo.gif")).exit_code == 2


def test_render_enlarges_the_crowded_town_core_only_when_the_map_is_much_wider():
    from netops.inventory.loader import load_inventory
    from topology.model import build_model
    from topology.render import _dense_core, layout

    sample = build_model(load_inventory(SAMPLE).inventory)
    pos = layout(sample)
    box = _dense_core(sample, pos)
    assert box is not None
    (x0, x1), (y0, y1) = box

    def inside(dev: str) -> bool:
        return x0 <= pos[dev][0] <= x1 and y0 <= pos[dev][1] <= y1

    assert inside("core-dc") and inside("dist-ring3") and inside("acc-setda")
    assert not inside("rtr-gerokgak") and not inside("rtr-tejakula")
    mini = build_model(load_inventory(MINI).inventory)
    assert _dense_core(mini, layout(mini)) is None  # four devices: nothing to enlarge
