"""The usage read side over stored samples: queue names of every shaper platform map back to
agencies through the renderers' naming, and agencies no shaper measured fall back to their LAN
port counters.  Samples go in through ``netops.telemetry.store.write_batch``, as the collectors
write them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from netops.bandwidth.measured import by_direction, measured_series, owner_of, queue_owners
from netops.bandwidth.plan import BandwidthPlan, build_plan
from netops.cli.main import cli
from netops.inventory.loader import LoadedInventory
from netops.inventory.schema import Inventory, Platform, Shaper
from netops.telemetry.store import Batch, write_batch

from .conftest import BEFORE_BOOSTS, MINI

T0 = BEFORE_BOOSTS.timestamp()
RSUD_GW = Shaper(device="rsud-gw", lan_interface="eth1", wan_interface="eth0")
DIST1 = Shaper(
    device="dist1", lan_interface="GigabitEthernet1/0/2", wan_interface="GigabitEthernet1/0/1"
)
CORE1_TREE = Shaper(device="core1", lan_interface="ether2", wan_interface="ether1", mode="tree")


def _with(inv: Inventory, *shapers: Shaper) -> Inventory:
    return inv.model_copy(update={"shapers": shapers})


def test_queue_names_of_each_platform_map_back_to_agency_and_direction(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    inv = mini_loaded.inventory
    ros = queue_owners(inv, mini_plan, inv.shapers[0])
    assert ros["nx-a-rsud"] == ("rsud", None)  # simple queue: both directions in one
    assert ros["nx-a-rsud-down"] == ("rsud", "down") and ros["nx-a-kec-utara-up"] == (
        "kec-utara",
        "up",
    )
    assert "nx-g-opd" not in ros and "nx-uplink" not in ros  # only agencies
    tc = queue_owners(inv, mini_plan, RSUD_GW)
    # tc class ids in plan order: diskominfo 1:1000, rsud 1:1001, kec-utara 1:1002
    assert tc["eth1/1:1001"] == ("rsud", "down") and tc["eth0/1:1001"] == ("rsud", "up")
    assert "eth1/1:1" not in tc
    ios = queue_owners(inv, mini_plan, DIST1)
    assert ios["NX-kec-utara-DOWN"] == ("kec-utara", "down")
    # the collectors store <interface>:<direction>:<policy>/<class>
    for stored in ("GigabitEthernet1/0/2:output:NX-DOWN/NX-kec-utara-DOWN", "NX-kec-utara-DOWN"):
        assert owner_of(stored, ios, Platform.CISCO_IOS) == ("kec-utara", "down")
    assert owner_of("NX-DOWN/class-default", ios, Platform.CISCO_IOS) is None
    # a MikroTik name is only its own, never a part of it
    assert owner_of("x/nx-a-rsud", ros, Platform.MIKROTIK_ROUTEROS) is None


def _queue(device: str, name: str, i: int, up: float | None, down: float | None) -> dict[str, Any]:
    return {
        "device": device,
        "queue_name": name,
        "target": "",
        "parent": "",
        "at_s": T0 + 60 * i,
        "limit_at_up_bps": None,
        "max_limit_up_bps": None,
        "limit_at_down_bps": None,
        "max_limit_down_bps": None,
        "bytes_up": 0,
        "bytes_down": 0,
        "rate_up_bps": up,
        "rate_down_bps": down,
        "disabled": False,
    }


def _port(device: str, iface: str, i: int, in_bps: float, out_bps: float) -> dict[str, Any]:
    return {
        "device": device,
        "interface": iface,
        "at_s": T0 + 60 * i,
        "octets_in": 0,
        "octets_out": 0,
        "packets_in": 0,
        "packets_out": 0,
        "errors_in": 0,
        "errors_out": 0,
        "counter_bits": 64,
        "speed_mbps": 1000.0,
        "in_bps": in_bps,
        "out_bps": out_bps,
        "status": "ok",
    }


def _store(engine: Any) -> None:
    """Five minutes of samples as the collectors store them for three shaper platforms."""
    batch = Batch()
    for i in range(5):
        # Linux tc: one class per direction, the other counter stays 0
        batch.queues.append(_queue("rsud-gw", "eth1/1:1001", i, 0.0, 40e6 + i * 1e6))
        batch.queues.append(_queue("rsud-gw", "eth0/1:1001", i, 8e6, 0.0))
        # Cisco MQC classes as collectors/parsers/ios_qos.py names them
        lan, wan = "GigabitEthernet1/0/2", "GigabitEthernet1/0/1"
        batch.queues.append(
            _queue("dist1", f"{lan}:output:NX-DOWN/NX-kec-utara-DOWN", i, 0.0, 12e6)
        )
        batch.queues.append(_queue("dist1", f"{wan}:output:NX-UP/NX-kec-utara-UP", i, 3e6, 0.0))
        # MikroTik tree: rsud again (a shaper in series: must not double), a foreign queue
        batch.queues.append(_queue("core1", "nx-a-rsud-down", i, 0.0, 39e6))
        batch.queues.append(_queue("core1", "tamu", i, 1e6, 1e6))
        # diskominfo: no queue anywhere, only its LAN port on core1 (out of the port = download)
        batch.samples.append(_port("core1", "ether4", i, 5e6, 30e6))
    batch.queues.append(_queue("rsud-gw", "eth1/1:1001", 5, None, None))  # reset: no rate
    write_batch(engine, batch)


def test_measured_series_maps_every_platform_and_falls_back_to_lan_ports(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan, engine: Any
) -> None:
    _store(engine)
    inv = _with(mini_loaded.inventory, RSUD_GW, DIST1, CORE1_TREE)
    with Session(engine) as s:
        got = measured_series(s, inv, mini_plan, BEFORE_BOOSTS, BEFORE_BOOSTS + timedelta(hours=1))
    assert {c: g.source for c, g in got.items()} == {
        "rsud": "queue rsud-gw",
        "kec-utara": "queue dist1",
        "diskominfo": "interface core1 ether4",
    }
    assert [r for _, r in got["rsud"].down] == [40e6, 41e6, 42e6, 43e6, 44e6]
    assert [r for _, r in got["rsud"].up] == [8e6] * 5
    assert got["kec-utara"].down[-1] == (T0 + 240, 12e6) and got["kec-utara"].up[0][1] == 3e6
    assert [r for _, r in got["diskominfo"].down] == [30e6] * 5
    assert [r for _, r in got["diskominfo"].up] == [5e6] * 5
    assert set(by_direction(got)["down"]) == {"rsud", "kec-utara", "diskominfo"}


def test_agency_with_nothing_measured_is_no_data_not_zero(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan, engine: Any
) -> None:
    with Session(engine) as s:
        got = measured_series(
            s, mini_loaded.inventory, mini_plan, BEFORE_BOOSTS, BEFORE_BOOSTS + timedelta(hours=1)
        )
    assert all(g.source == "" and g.down == [] and g.up == [] for g in got.values())


def test_usage_and_shares_from_db_read_tc_and_cisco_samples(
    mini_loaded: LoadedInventory, tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netops.storage.db import make_engine, upgrade

    engine = make_engine(sqlite_url)
    upgrade(engine)
    _store(engine)
    engine.dispose()
    text = MINI.read_text(encoding="utf-8").replace(
        "shapers:\n  - {device: core1, lan_interface: ether2, wan_interface: ether1}",
        "shapers:\n"
        "  - {device: rsud-gw, lan_interface: eth1, wan_interface: eth0}\n"
        "  - {device: dist1, lan_interface: GigabitEthernet1/0/2,"
        " wan_interface: GigabitEthernet1/0/1}\n",
    )
    inv_path = tmp_path / "inventory.yaml"
    inv_path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("NETOPS_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("NETOPS_DATA_DIR", str(tmp_path))
    at = datetime.fromtimestamp(T0 + 300, UTC).strftime("%Y-%m-%dT%H:%M:%S%z")
    runner = CliRunner()
    res = runner.invoke(
        cli,
        ["bandwidth", "usage", "-i", str(inv_path), "--at", at, "--json"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    down = {r["code"]: r for r in json.loads(res.output)["down"]["agencies"]}
    assert down["rsud"]["source"] == "queue rsud-gw" and down["rsud"]["current_bps"] == 44e6
    assert down["kec-utara"]["source"] == "queue dist1" and down["kec-utara"]["p95_bps"] == 12e6
    assert down["diskominfo"]["source"] == "interface core1 ether4"
    text_out = runner.invoke(cli, ["bandwidth", "usage", "-i", str(inv_path), "--at", at]).output
    assert (
        "measured from: interface core1 ether4 (diskominfo); queue rsud-gw (rsud); "
        "queue dist1 (kec-utara)\n"
    ) in text_out
    assert "suggested guarantees (1.2 x p95 within the maximum; total 25.6 of 100 Mbps):\n" in (
        text_out
    )
    assert "  rsud: 30 -> 9.6 Mbps\n" in text_out  # upload p95 8 Mbit/s against 30 promised
    shares = runner.invoke(
        cli, ["bandwidth", "shares", "-i", str(inv_path), "--at", at, "--from-db", "--json"]
    )
    assert shares.exit_code == 0, shares.output
    demand = {r["code"]: r["demand_mbps"] for r in json.loads(shares.output)[0]["rows"]}
    assert demand == {"diskominfo": 30.0, "rsud": 44.0, "kec-utara": 12.0}


def test_plan_with_tree_shaper_on_cisco_is_skipped_with_a_warning_not_a_crash(
    mini_loaded: LoadedInventory, engine: Any, caplog: pytest.LogCaptureFixture
) -> None:
    bad = Shaper.model_validate({**DIST1.model_dump(), "mode": "tree"})
    inv = _with(mini_loaded.inventory, bad)
    plan = build_plan(inv, BEFORE_BOOSTS)
    with Session(engine) as s:
        got = measured_series(s, inv, plan, BEFORE_BOOSTS, BEFORE_BOOSTS + timedelta(hours=1))
    assert all(not g.source for g in got.values())
    assert "dist1" in caplog.text and "tree" in caplog.text
