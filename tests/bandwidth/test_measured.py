"""The usage read side over stored samples: a sample belongs to the agency whose subnets equal
its stored target (so tc history survives a plan reorder), queue names of every shaper platform
decide where the target does not identify one agency, and agencies no shaper measured fall back
to their LAN port counters.  Samples go in through ``netops.telemetry.store.write_batch``, as the
collectors write them; the tc ones are what the collector's parsers read from the lab's tc
simulator after netops' own rendered commands built the shaper."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from collectors.parsers import linux as linux_parsers
from lab.linux.tc import TcConfig
from lab.linux.tc_cli import run as run_tc
from lab.state import build_states
from netops.bandwidth import linux_tc
from netops.bandwidth.entries import shaper_target
from netops.bandwidth.measured import (
    AgencySubnets,
    attribute,
    by_direction,
    measured_series,
    owner_of,
    queue_owners,
    target_subnets,
)
from netops.bandwidth.plan import BandwidthPlan, build_plan
from netops.cli.main import cli
from netops.inventory.loader import LoadedInventory
from netops.inventory.schema import Inventory, Platform, Shaper
from netops.telemetry.samples import queue_rows
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


def _queue(
    device: str, name: str, i: int, up: float | None, down: float | None, target: str = ""
) -> dict[str, Any]:
    return {
        "device": device,
        "queue_name": name,
        "target": target,
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


# --- attribution by target subnets ------------------------------------------------------------

HOUR = timedelta(hours=1)
# Distinct rates per agency so that a sample counted for the wrong agency shows.
TC_DOWN_BPS = {"bappeda": 7e6, "diskominfo": 5e6, "rsud": 40e6, "kec-utara": 12e6}
TC_UP_BPS = {"bappeda": 0.7e6, "diskominfo": 0.5e6, "rsud": 8e6, "kec-utara": 1.2e6}


def _inserted_first(inv: Inventory, code: str, subnet: str) -> Inventory:
    """``inv`` with a new agency (a copy of the first one) inserted before all others, so
    every tc class id shifts by one."""
    first = inv.agencies[0]
    new = first.model_copy(
        update={"code": code, "name": code.upper(), "subnets": (ipaddress.ip_network(subnet),)}
    )
    return inv.model_copy(update={"agencies": (new, *inv.agencies)})


def _tc_poll(
    engine: Any, inv: Inventory, plan: BandwidthPlan, shaper: Shaper, at_s: list[float]
) -> None:
    """Build the plan's tc tree on the lab's Linux simulator with netops' rendered commands,
    read it back the way the collector does (``tc class/filter show`` -> ``tc_queues``), give
    each agency class its agency's rate and store the polls with ``write_batch``."""
    state = build_states(inv)[shaper.device]
    tc = TcConfig(state)
    target = shaper_target(inv, plan, shaper)
    for cmd in linux_tc.render_full(target):
        out = run_tc(tc, shlex.split(cmd)[1:])
        assert linux_tc.output_error(out) is None, (cmd, out)
    codes = {str(n): a.code for a in plan.agencies for n in a.subnets}
    queues = []
    for dev in (shaper.lan_interface, shaper.wan_interface):
        classes = linux_parsers.parse_tc_classes(
            shaper.device, dev, run_tc(tc, ["-s", "class", "show", "dev", dev])
        )
        filters = linux_parsers.parse_tc_filters(
            shaper.device, dev, run_tc(tc, ["filter", "show", "dev", dev])
        )
        for q in linux_parsers.tc_queues(dev, classes, filters):
            code = codes.get(q.target)
            up = dev == shaper.wan_interface
            rate = (TC_UP_BPS if up else TC_DOWN_BPS).get(code or "", 99e6)
            queues.append(
                dataclasses.replace(
                    q, rate_up_bps=rate if up else 0.0, rate_down_bps=0.0 if up else rate
                )
            )
    batch = Batch()
    for t in at_s:
        rows, _ = queue_rows(shaper.device, t, queues, None, {})
        batch.queues.extend(rows)
    write_batch(engine, batch)


def test_tc_samples_keep_their_agency_after_an_agency_is_inserted_before_the_others(
    mini_loaded: LoadedInventory, engine: Any
) -> None:
    before = _with(mini_loaded.inventory, RSUD_GW)
    plan_before = build_plan(before, BEFORE_BOOSTS)
    _tc_poll(engine, before, plan_before, RSUD_GW, [T0 + 60 * i for i in range(5)])
    after = _inserted_first(before, "bappeda", "10.10.9.0/24")
    plan_after = build_plan(after, BEFORE_BOOSTS)
    _tc_poll(engine, after, plan_after, RSUD_GW, [T0 + 60 * i for i in range(5, 10)])
    ids_before = linux_tc.class_ids(shaper_target(before, plan_before, RSUD_GW).entries)
    ids_after = linux_tc.class_ids(shaper_target(after, plan_after, RSUD_GW).entries)
    # the reorder really moved the classes: rsud's old class id is diskominfo's now
    assert ids_before["a:rsud"] == ids_after["a:diskominfo"] != ids_after["a:rsud"]

    with Session(engine) as s:
        got = measured_series(s, after, plan_after, BEFORE_BOOSTS, BEFORE_BOOSTS + HOUR)
    for code in ("diskominfo", "rsud", "kec-utara"):
        assert got[code].source == "queue rsud-gw"
        assert [t for t, _ in got[code].down] == [T0 + 60 * i for i in range(10)], code
        assert {r for _, r in got[code].down} == {TC_DOWN_BPS[code]}, code
        assert {r for _, r in got[code].up} == {TC_UP_BPS[code]}, code
    assert [t for t, _ in got["bappeda"].down] == [T0 + 60 * i for i in range(5, 10)]
    assert {r for _, r in got["bappeda"].down} == {TC_DOWN_BPS["bappeda"]}


def test_tc_samples_whose_subnets_no_agency_has_are_ignored_not_given_to_the_class_id_owner(
    mini_loaded: LoadedInventory, engine: Any
) -> None:
    inv = _with(mini_loaded.inventory, RSUD_GW)
    plan = build_plan(inv, BEFORE_BOOSTS)
    _tc_poll(engine, inv, plan, RSUD_GW, [T0 + 60 * i for i in range(5)])
    # rsud renumbered: its old samples' target (10.10.2.0/24) is nobody's now, and its class
    # id 1:1001 is unchanged, so only the name would still say "rsud"
    renumbered = tuple(
        a.model_copy(update={"subnets": (ipaddress.ip_network("10.10.12.0/24"),)})
        if a.code == "rsud"
        else a
        for a in inv.agencies
    )
    inv2 = inv.model_copy(update={"agencies": renumbered})
    plan2 = build_plan(inv2, BEFORE_BOOSTS)
    with Session(engine) as s:
        got = measured_series(s, inv2, plan2, BEFORE_BOOSTS, BEFORE_BOOSTS + HOUR)
    assert got["rsud"].source == "" and got["rsud"].down == [] and got["rsud"].up == []
    assert {r for _, r in got["diskominfo"].down} == {TC_DOWN_BPS["diskominfo"]}
    assert {r for _, r in got["kec-utara"].down} == {TC_DOWN_BPS["kec-utara"]}


def test_stored_target_is_normalised_cidr_and_names_are_not_subnets() -> None:
    assert target_subnets("10.10.2.7/24, 10.10.3.5") == {
        ipaddress.ip_network("10.10.2.0/24"),
        ipaddress.ip_network("10.10.3.5/32"),
    }
    # interface, ACL or packet-mark names and an empty target say nothing about subnets
    for not_subnets in ("", "eth1", "NX-rsud-DOWN", "10.10.2.0/24,nx-a-rsud-down", "global"):
        assert target_subnets(not_subnets) is None


def test_target_decides_on_every_platform_and_the_name_only_where_it_cannot(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    inv = _with(mini_loaded.inventory, RSUD_GW, DIST1, CORE1_TREE)
    agencies = AgencySubnets.of(mini_plan)
    ros_shaper = mini_loaded.inventory.shapers[0]
    ros = queue_owners(inv, mini_plan, ros_shaper)
    tc = queue_owners(inv, mini_plan, RSUD_GW)
    ios = queue_owners(inv, mini_plan, DIST1)
    mt, lx, cs = Platform.MIKROTIK_ROUTEROS, Platform.LINUX, Platform.CISCO_IOS

    def ros_at(name: str, target: str) -> Any:
        return attribute(name, target, ros_shaper, mt, ros, agencies)

    # MikroTik: a foreign simple queue on rsud's subnet is rsud's (both directions); a tree
    # queue keeps the direction of its name; the target beats a hand-edited netops name
    assert ros_at("rsud-lama", "10.10.2.0/24") == ("rsud", None)
    assert ros_at("nx-a-rsud-up", "10.10.2.0/24") == ("rsud", "up")
    assert ros_at("nx-a-rsud", "10.10.1.0/24") == ("diskominfo", None)
    # netops' group queue of a one-agency group has that agency's subnets: still not an agency
    assert ros_at("nx-g-kecamatan", "10.20.1.0/24") is None
    assert ros_at("nx-uplink-down", "10.10.1.0/24,10.10.2.0/24,10.20.1.0/24") is None
    # a tree queue whose target is its interface (no mark rules) falls back to its name
    assert ros_at("nx-a-rsud-down", "ether2") == ("rsud", "down")
    # a group-like target (several agencies' subnets) does not identify one: the name decides
    assert ros_at("foreign-opd", "10.10.1.0/24,10.10.2.0/24") is None
    assert ros_at("nx-a-rsud", "10.10.1.0/24,10.10.2.0/24") == ("rsud", None)
    # subnets nobody has: ignored, whatever the name says
    assert ros_at("nx-a-rsud", "10.99.0.0/24") is None

    # tc: LAN interface down, WAN up, whatever the class id; an unknown interface is ignored
    assert attribute("eth1/1:1002", "10.10.2.0/24", RSUD_GW, lx, tc, agencies) == ("rsud", "down")
    assert attribute("eth0/1:1000", "10.10.2.0/24", RSUD_GW, lx, tc, agencies) == ("rsud", "up")
    assert attribute("eth7/1:1001", "10.10.2.0/24", RSUD_GW, lx, tc, agencies) is None
    assert attribute("eth1/1:1001", "eth1", RSUD_GW, lx, tc, agencies) == ("rsud", "down")
    assert attribute("eth1/1:1001", "10.99.0.0/24", RSUD_GW, lx, tc, agencies) is None

    # Cisco: the class name's direction, else the interface's; the target picks the agency
    lan, wan = DIST1.lan_interface, DIST1.wan_interface
    name_up = f"{wan}:output:NX-UP/NX-kec-utara-UP"
    assert attribute(name_up, "10.20.1.0/24", DIST1, cs, ios, agencies) == ("kec-utara", "up")
    foreign = f"{lan}:output:SHAPE/RSUD-WEB"
    assert attribute(foreign, "10.10.2.0/24", DIST1, cs, ios, agencies) == ("rsud", "down")
    # ACL names as the target (ACLs not read): the class name decides
    assert attribute(name_up, "NX-kec-utara-UP", DIST1, cs, ios, agencies) == ("kec-utara", "up")


def test_agencies_sharing_the_same_subnets_are_told_apart_by_name_only() -> None:
    from .conftest import make_inventory, quota

    inv = make_inventory(
        100,
        {"opd": quota(50, 100)},
        [
            {"code": "a1", "name": "A1", "group": "opd", "quota": quota(10, 50)},
            {"code": "a2", "name": "A2", "group": "opd", "quota": quota(10, 50)},
        ],
    )
    same = (ipaddress.ip_network("10.30.5.0/24"),)
    inv = inv.model_copy(
        update={"agencies": tuple(a.model_copy(update={"subnets": same}) for a in inv.agencies)}
    )
    agencies = AgencySubnets.of(build_plan(inv, BEFORE_BOOSTS))
    assert agencies.codes(frozenset(same)) == ("a1", "a2")
    shaper = Shaper(device="core1", lan_interface="ether2", wan_interface="ether1")
    owners = {"nx-a-a2": ("a2", None)}
    mt = Platform.MIKROTIK_ROUTEROS
    assert attribute("nx-a-a2", "10.30.5.0/24", shaper, mt, owners, agencies) == ("a2", None)
    assert attribute("other", "10.30.5.0/24", shaper, mt, owners, agencies) is None


def test_a_foreign_queue_on_an_agencys_subnets_beside_netops_queue_is_not_counted_twice(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan, engine: Any
) -> None:
    batch = Batch()
    for i in range(3):
        batch.queues.append(_queue("core1", "nx-a-rsud", i, 8e6, 40e6, "10.10.2.0/24"))
        # sorted before netops' name, same subnets, another (wrong) rate
        batch.queues.append(_queue("core1", "aaa-rsud-old", i, 1e6, 1e6, "10.10.2.0/24"))
        # netops' one-agency group queue: kec-utara's subnets, never kec-utara's series
        batch.queues.append(_queue("core1", "nx-g-kecamatan", i, 2e6, 20e6, "10.20.1.0/24"))
        batch.queues.append(_queue("core1", "nx-a-kec-utara", i, 1e6, 12e6, "10.20.1.0/24"))
    batch.queues.append(_queue("core1", "aaa-rsud-old", 3, 1e6, 1e6, "10.10.2.0/24"))
    write_batch(engine, batch)
    with Session(engine) as s:
        got = measured_series(
            s, mini_loaded.inventory, mini_plan, BEFORE_BOOSTS, BEFORE_BOOSTS + HOUR
        )
    # three times netops' own queue, then the foreign one where it is the only measurement
    assert got["rsud"].down == [(T0, 40e6), (T0 + 60, 40e6), (T0 + 120, 40e6), (T0 + 180, 1e6)]
    assert [r for _, r in got["kec-utara"].down] == [12e6] * 3


def test_one_agency_read_takes_netops_own_queue_by_name_and_a_foreign_one_only_without_it(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan, engine: Any
) -> None:
    """The agency page's read (``own_queues_first``): netops' own MikroTik queue of the agency
    is read by name; a foreign queue on the agency's subnets counts when the agency has no own
    queue sample in the window (then the whole shaper is read, as without the option)."""
    batch = Batch()
    for i in range(3):
        batch.queues.append(_queue("core1", "nx-a-rsud", i, 8e6, 40e6, "10.10.2.0/24"))
        batch.queues.append(_queue("core1", "aaa-rsud-old", i, 1e6, 1e6, "10.10.2.0/24"))
        batch.queues.append(_queue("core1", "hand-made-kec", i, 2e6, 11e6, "10.20.1.0/24"))
    batch.queues.append(_queue("core1", "aaa-rsud-old", 3, 1e6, 1e6, "10.10.2.0/24"))
    write_batch(engine, batch)
    inv = mini_loaded.inventory
    with Session(engine) as s:

        def one(code: str) -> Any:
            node = mini_plan.agency(code)
            plan = dataclasses.replace(mini_plan, agencies=(node,), _children={})
            until = BEFORE_BOOSTS + HOUR
            return measured_series(s, inv, plan, BEFORE_BOOSTS, until, own_queues_first=True)[
                code
            ]

        rsud, kec = one("rsud"), one("kec-utara")
    assert rsud.down == [(T0, 40e6), (T0 + 60, 40e6), (T0 + 120, 40e6)]
    assert rsud.up == [(T0, 8e6), (T0 + 60, 8e6), (T0 + 120, 8e6)]
    assert kec.source == "queue core1" and [r for _, r in kec.down] == [11e6] * 3
