"""The packet lab: netops's bandwidth plan on the kernel's own HTB, with real TCP and UDP flows.

A real Linux router (network namespaces, OpenSSH inside the core namespace) is managed by netops
exactly as in a data center: the plan is pushed over SSH with the usual apply / verify, and the
collectors read counters back over SSH.  iperf3 measures what the agencies really get, which must
be the share netops's fair-share calculator computes.  Root only (network namespaces).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from collectors.engine import Poller
from lab.packets import netns
from lab.packets.check import Row, Scenario, format_rows, run_scenario
from lab.packets.lab import PacketLab
from lab.packets.runner import (
    collector_rate_mbps,
    iperf_servers,
    lab_inventory,
    lab_settings,
    plan_of,
    poller_engine,
    push_plan,
)
from netops.inventory.schema import Inventory
from tests.helpers import wait_until
from topology.drift import DriftReport, match_discovered
from topology.sources import read_observed_from_url

INVENTORY = Path(__file__).resolve().parents[2] / "lab" / "packets" / "inventory.yaml"
MISSING = [
    b for b in ("iperf3", "ethtool", "setcap", "ssh-keygen", "lldpd") if shutil.which(b) is None
]

pytestmark = [
    pytest.mark.packets,
    pytest.mark.xdist_group("packet-lab"),
    pytest.mark.skipif(not netns.is_root(), reason="network namespaces need root"),
    pytest.mark.skipif(bool(MISSING), reason=f"packet lab tools missing: {MISSING}"),
]


@pytest.fixture(scope="module")
def plab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PacketLab]:
    lab = PacketLab(lab_inventory(INVENTORY), tmp_path_factory.mktemp("packet-lab"))
    with lab:
        push_plan(lab)
        with iperf_servers(lab):
            yield lab
    assert not netns.stale_namespaces()


def _check(rows: list[Row]) -> None:
    off = [r for r in rows if not r.ok]
    assert not off, "off by more than 10%:\n" + format_rows(rows)


def _measure(
    lab: PacketLab, scenario: Scenario, inventory: Inventory | None = None, *, seconds: int = 4
) -> list[Row]:
    plan = plan_of(inventory or lab.inventory)
    return run_scenario(lab.layout, plan, scenario, seconds=seconds, attempts=3)


@pytest.mark.parametrize("direction", ["down", "up"])
def test_each_agency_alone_reaches_its_maximum(plab: PacketLab, direction: str) -> None:
    rows = []
    for agency in plab.inventory.agencies:
        rows += _measure(plab, Scenario("alone", (agency.code,), (direction,)))  # type: ignore[arg-type]
    for r, agency in zip(rows, plab.inventory.agencies, strict=True):
        maximum = (
            agency.quota.maximum_down_mbps if direction == "down" else agency.quota.maximum_up_mbps
        )
        assert r.computed_mbps == pytest.approx(maximum)
    _check(rows)


@pytest.mark.parametrize("protocol", ["tcp", "udp"])
@pytest.mark.parametrize("direction", ["down", "up"])
def test_all_agencies_at_once_get_their_computed_fair_share(
    plab: PacketLab, protocol: str, direction: str
) -> None:
    codes = tuple(a.code for a in plab.inventory.agencies)
    # contention: longer runs (the median of 5 steady seconds) for the small TCP flows
    scenario = Scenario("all", codes, (direction,), protocol)  # type: ignore[arg-type]
    rows = _measure(plab, scenario, seconds=6)
    by_code = {r.code: r for r in rows}
    # the scenario means something: two groups, three priorities, and the prio-1 agencies get
    # more than a split in proportion to the guarantees would give them
    assert len({a.group for a in plab.inventory.agencies}) == 2
    assert len({a.quota.priority for a in plab.inventory.agencies}) >= 3
    assert sum(r.computed_mbps for r in rows) == pytest.approx(
        plab.inventory.uplinks[0].down_mbps
        if direction == "down"
        else plab.inventory.uplinks[0].up_mbps
    )
    assert by_code["diskominfo"].computed_mbps > by_code["kec-a"].computed_mbps * 2
    _check(rows)


@pytest.mark.parametrize("direction", ["down", "up"])
def test_a_small_agencys_maximum_binds_inside_its_group(plab: PacketLab, direction: str) -> None:
    members = tuple(a.code for a in plab.inventory.agencies if a.group == "kecamatan")
    rows = {r.code: r for r in _measure(plab, Scenario("group", members, (direction,)))}  # type: ignore[arg-type]
    small = next(a for a in plab.inventory.agencies if a.code == "kec-c")
    maximum = small.quota.maximum_down_mbps if direction == "down" else small.quota.maximum_up_mbps
    # kec-c's rate-proportional part of the group's spare is above its maximum: it is capped
    assert rows["kec-c"].computed_mbps == pytest.approx(maximum)
    assert rows["kec-a"].computed_mbps > maximum * 2
    _check(list(rows.values()))


def test_measured_rate_follows_a_quota_change_pushed_through_netops(
    plab: PacketLab, tmp_path: Path
) -> None:
    raw = yaml.safe_load(INVENTORY.read_text())
    agency = next(a for a in raw["agencies"] if a["code"] == "rsud")
    agency["quota"]["maximum_down_mbps"] = 14
    changed = tmp_path / "inventory.yaml"
    changed.write_text(yaml.safe_dump(raw, sort_keys=False))
    inv = lab_inventory(changed)
    try:
        result = push_plan(plab, inv)
        assert result.result == "applied"
        rows = _measure(plab, Scenario("quota", ("rsud",), ("down",)), inv)
        assert rows[0].computed_mbps == pytest.approx(14)
        _check(rows)
    finally:
        push_plan(plab)
    assert _measure(plab, Scenario("back", ("rsud",), ("down",)))[0].measured_mbps > 25


@pytest.mark.parametrize("direction", ["down", "up"])
def test_collectors_rates_from_router_counters_agree_with_iperf3(
    plab: PacketLab, direction: str
) -> None:
    stored_mbps, iperf_mbps = collector_rate_mbps(plab, "diskominfo", direction, udp_mbps=8.0)
    assert iperf_mbps == pytest.approx(8.0 * 1442 / 1400, rel=0.05)
    assert stored_mbps == pytest.approx(iperf_mbps, rel=0.05)


def test_no_route_leads_out_of_the_lab(plab: PacketLab) -> None:
    lab_nets = [str(a.subnet) for a in plab.layout.agencies]
    for ns in plab.layout.namespaces:
        for line in netns.routes(ns):
            dest = line.split()[0]
            if dest == "default":
                # only the core and the agencies have one, and it points at a lab namespace
                assert ns != plab.layout.inet_ns, line
            else:
                assert dest in lab_nets or dest.startswith(("100.64.", "10.3")), line
    # the uplink namespace knows no way anywhere else: the kernel says so without sending
    probe = subprocess.run(
        netns.in_ns(plab.layout.inet_ns, "ip", "route", "get", "192.0.2.99"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode != 0 and "unreachable" in probe.stderr.lower()
    # and the agencies reach nothing outside the lab either: their one way out ends there
    agency = plab.layout.agencies[0]
    via = netns.run(netns.in_ns(agency.ns, "ip", "route", "get", "192.0.2.99"))
    assert f"via {agency.gateway}" in via


def _drift(plab: PacketLab) -> DriftReport:
    engine = poller_engine(plab)
    poller = Poller(
        plab.inventory,
        lab_settings(plab),
        plab.secrets,
        plab.endpoints,
        engine=engine,
        devices=[plab.layout.shaper],
    )
    try:
        report = poller.poll(("neighbors",))
        assert not report.failed, report.failed
        observed = read_observed_from_url(str(engine.url))
    finally:
        poller.close()
        engine.dispose()
    assert observed.discovered is not None
    return match_discovered(plab.inventory, observed.discovered, observed.polled_devices)


def test_lldp_discovery_matches_the_plan_and_a_cut_veth_shows_as_a_missing_link(
    plab: PacketLab,
) -> None:
    seen = wait_until(lambda: _drift(plab), lambda r: len(r.seen_links) == 2, timeout_s=20)
    assert not seen.has_drift, seen
    port = plab.layout.sw_uplink
    netns.run(netns.in_ns(plab.layout.sw_ns, "ip", "link", "set", port, "down"))
    try:
        cut = wait_until(lambda: _drift(plab), lambda r: bool(r.unseen_links), timeout_s=20)
        assert len(cut.unseen_links) == 1 and cut.has_drift
        assert "lan0" in cut.unseen_links[0] and "agency-switch" in cut.unseen_links[0]
        assert len(cut.seen_links) == 1 and "wan0" in cut.seen_links[0]
    finally:
        netns.run(netns.in_ns(plab.layout.sw_ns, "ip", "link", "set", port, "up"))
    assert wait_until(lambda: _drift(plab), lambda r: not r.has_drift, timeout_s=20).seen_links
