"""``netops bandwidth`` end to end: plan, shares, boost list/add, apply/diff/drift on the lab."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from netops.cli.main import cli
from netops.endpoints import save_endpoints
from netops.inventory.loader import load_inventory

SUMMARY = (
    "core1: 12 changes: add uplink, 2 groups (opd, kecamatan), "
    "3 agencies (diskominfo, rsud, kec-utara)"
)


def _run(args: list[str], env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=False)


def test_plan_prints_the_tree_and_exits_1_on_an_invalid_plan(mini_copy: Path) -> None:
    ok = _run(["bandwidth", "plan", "-i", str(mini_copy)])
    assert ok.exit_code == 0 and "rsud: down 60/180 up 30/80 Mbps prio 1" in ok.output
    text = mini_copy.read_text().replace("down_mbps: 200", "down_mbps: 100", 1)
    mini_copy.write_text(text)
    bad = _run(["bandwidth", "plan", "-i", str(mini_copy)])
    assert bad.exit_code == 1
    assert "above the uplink capacity 100 Mbps" in bad.output


def test_plan_refuses_tree_mode_on_a_cisco_shaper_at_its_inventory_line(mini_copy: Path) -> None:
    text = mini_copy.read_text().replace(
        "  - {device: core1, lan_interface: ether2, wan_interface: ether1}",
        "  - {device: core1, lan_interface: ether2, wan_interface: ether1, mode: tree}\n"
        "  - {device: dist1, lan_interface: GigabitEthernet1/0/2,"
        " wan_interface: GigabitEthernet1/0/1, mode: tree}",
    )
    mini_copy.write_text(text)
    line = text.splitlines().index(
        "  - {device: dist1, lan_interface: GigabitEthernet1/0/2,"
        " wan_interface: GigabitEthernet1/0/1, mode: tree}"
    )
    res = _run(["bandwidth", "plan", "-i", str(mini_copy)])
    assert res.exit_code == 1
    assert f"inventory.yaml:{line + 1} shapers[1].mode:" in res.output
    assert "mode 'tree' exists only on mikrotik_routeros; dist1 is cisco_ios" in res.output
    assert "shapers[0]" not in res.output  # tree mode on the MikroTik is fine


def test_shares_with_a_demand_file_as_json(mini_copy: Path, tmp_path: Path) -> None:
    demand = tmp_path / "demand.yaml"
    demand.write_text("diskominfo: {down: 500}\nrsud: {down: 10}\nkec-utara: {down: 500}\n")
    res = _run(
        [
            "bandwidth",
            "shares",
            "-i",
            str(mini_copy),
            "--demand",
            str(demand),
            "--at",
            "2026-01-15",
            "--json",
        ]
    )
    assert res.exit_code == 0, res.output
    down = json.loads(res.output)[0]
    now = {r["code"]: round(r["getting_now_mbps"], 3) for r in down["rows"]}
    assert now == {"diskominfo": 150, "rsud": 10, "kec-utara": 40}


def test_boost_add_keeps_the_file_and_validates(mini_copy: Path) -> None:
    before = mini_copy.read_text()
    res = _run(
        [
            "bandwidth",
            "boost",
            "add",
            "diskominfo",
            "-i",
            str(mini_copy),
            "--start",
            "2026-07-01T00:00:00+0800",
            "--end",
            "2026-07-08T00:00:00+0800",
            "--max-down",
            "180",
            "--reason",
            'Lomba "Inovasi" #1',
        ]
    )
    assert res.exit_code == 0, res.output
    after = mini_copy.read_text()
    # only the diskominfo quota line changed; comments kept
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1 and "boosts: [{start:" in changed[0][1]
    boost = load_inventory(mini_copy).inventory.agency("diskominfo").quota.boosts[0]
    assert boost.maximum_down_mbps == 180 and boost.reason == 'Lomba "Inovasi" #1'
    # block-style quota with an existing boost: appended as a second item
    res2 = _run(
        [
            "bandwidth",
            "boost",
            "add",
            "kec-utara",
            "-i",
            str(mini_copy),
            "--start",
            "2026-08-01T00:00:00+0800",
            "--end",
            "2026-08-02T00:00:00+0800",
            "--max-up",
            "40",
        ]
    )
    assert res2.exit_code == 0, res2.output
    assert len(load_inventory(mini_copy).inventory.agency("kec-utara").quota.boosts) == 2


def test_invalid_boost_is_refused_and_the_file_left_alone(mini_copy: Path) -> None:
    before = mini_copy.read_text()
    res = _run(
        [
            "bandwidth",
            "boost",
            "add",
            "rsud",
            "-i",
            str(mini_copy),
            "--start",
            "2026-07-08T00:00:00+0800",
            "--end",
            "2026-07-01T00:00:00+0800",
            "--max-down",
            "100",
        ]
    )
    assert res.exit_code == 1
    assert "before it starts" in res.output and "inventory.yaml:" in res.output
    assert mini_copy.read_text() == before


@pytest.mark.lab
def test_apply_is_a_dry_run_by_default_then_pushes_and_drift_is_clean(
    lab_factory: Any, mini_inventory: Any, lab_password: str, tmp_path: Path, mini_copy: Path
) -> None:
    lab = lab_factory(mini_inventory)
    save_endpoints(tmp_path / "lab-map.json", lab.endpoints)
    env = {
        "NETOPS_DATA_DIR": str(tmp_path),
        "NETOPS_LAB_MAP": str(tmp_path / "lab-map.json"),
        "NETOPS_LOOPBACK_ONLY": "1",
        "NETOPS_LAB_PASSWORD": lab_password,
    }
    inv = ["-i", str(mini_copy), "--at", "2026-01-15"]
    dry = _run(["bandwidth", "apply", "core1", *inv], env)
    assert dry.exit_code == 0, dry.output
    lines = dry.output.splitlines()
    # a planner reads the summary first, then one line per queue; commands only on request
    assert lines[0] == SUMMARY
    assert (
        "  + agency rsud: down 60/180, up 30/80 Mbps, prio 1, in opd, subnets 10.10.2.0/24" in lines
    )
    assert (
        lines[-1] == "result: dry-run: 6 command(s) would be sent, nothing was sent (-v lists them)"
    )
    assert not any("/queue simple" in ln for ln in lines)
    verbose = _run(["bandwidth", "apply", "core1", "-v", *inv], env)
    assert "commands (dry run, not sent):" in verbose.output
    assert verbose.output.count("  /queue simple add ") == 6
    as_json = json.loads(_run(["bandwidth", "apply", "core1", "--json", *inv], env).output)
    assert len(as_json["diff"]) == 12 and len(as_json["commands"]) == 6
    assert as_json["summary"] == lines[0] and as_json["result"] == "dry-run"
    assert _run(["bandwidth", "diff", "core1", *inv], env).exit_code == 1
    push = _run(["bandwidth", "apply", "core1", "--no-dry-run", "--actor", "ops", *inv], env)
    assert push.exit_code == 0, push.output
    assert push.output.splitlines() == [
        SUMMARY,
        "result: applied: 6 command(s) sent, read back and verified (-v lists them)",
    ]
    assert _run(["bandwidth", "diff", "core1", *inv], env).exit_code == 0
    drift = _run(["bandwidth", "drift", *inv, "--json"], env)
    assert drift.exit_code == 0 and json.loads(drift.output)[0]["drifted"] is False
