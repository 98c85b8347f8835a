"""The traffic model: office-hours demand, shaping caps, uplink sharing, flows along paths."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta, timezone

import pytest

from lab.state import ManualClock, ShapingCap, build_states
from lab.traffic import TrafficModel, office_curve
from netops.inventory.schema import Inventory

WITA = timezone(timedelta(hours=8))
TUESDAY = datetime(2026, 6, 9, tzinfo=WITA)  # no boost active (kec-utara's boost is 1-8 June)
RSUD_NET = ipaddress.IPv4Network("10.10.2.0/24")


def at(hour: float, day: datetime = TUESDAY) -> float:
    return (day + timedelta(hours=hour)).timestamp()


def test_office_curve_peaks_in_office_hours_and_sleeps_at_night() -> None:
    assert office_curve(at(10)) > 0.85
    assert office_curve(at(14)) > 0.8
    assert office_curve(at(12)) < office_curve(at(10))  # lunch dip
    assert office_curve(at(3)) < 0.1
    saturday = TUESDAY + timedelta(days=4)
    assert office_curve(at(10, saturday)) == pytest.approx(office_curve(at(10)) * 0.3)


def test_same_seed_gives_same_rates_and_another_seed_differs(mini_inventory: Inventory) -> None:
    a = TrafficModel(mini_inventory, seed=1).agency_rates(at(10))
    b = TrafficModel(mini_inventory, seed=1).agency_rates(at(10))
    c = TrafficModel(mini_inventory, seed=2).agency_rates(at(10))
    assert a == b
    assert a != c


def test_demand_scales_with_the_agency_maximum(mini_inventory: Inventory) -> None:
    model = TrafficModel(mini_inventory, seed=0)
    rsud = model.demand_bps("rsud", "down", at(10)) / model.burst("rsud", "down", at(10))
    kec = model.demand_bps("kec-utara", "down", at(10)) / model.burst("kec-utara", "down", at(10))
    assert rsud / kec == pytest.approx(180 / 60)  # maximum_down_mbps 180 vs 60


def test_boost_raises_the_maximum_while_it_is_active(mini_inventory: Inventory) -> None:
    model = TrafficModel(mini_inventory, seed=0)
    june_3 = datetime(2026, 6, 3, tzinfo=WITA)
    boosted = model.demand_bps("kec-utara", "down", at(10, june_3))
    plain = boosted / model.burst("kec-utara", "down", at(10, june_3))
    assert plain == pytest.approx(90e6 * office_curve(at(10, june_3)))


def test_shaping_cap_limits_the_agency_and_only_that_agency(mini_inventory: Inventory) -> None:
    model = TrafficModel(mini_inventory, seed=0)
    free = model.agency_rates(at(10))
    cap = ShapingCap(RSUD_NET, "down", max_bps=5e6, guaranteed_bps=1e6, priority=1, name="rsud")
    model.bind(caps=lambda d: [cap] if d == "core1" else [], version=lambda d: 1)
    shaped = model.agency_rates(at(10))
    assert free["rsud"][0] > 20e6
    assert shaped["rsud"][0] == pytest.approx(5e6)
    assert shaped["rsud"][1] == free["rsud"][1]  # upload untouched
    assert shaped["kec-utara"] == free["kec-utara"]


def test_caps_on_devices_off_the_agency_path_do_not_apply(mini_inventory: Inventory) -> None:
    model = TrafficModel(mini_inventory, seed=0)
    free = model.agency_rates(at(10))
    cap = ShapingCap(RSUD_NET, "down", max_bps=1e6, guaranteed_bps=0, priority=1, name="x")
    model.bind(caps=lambda d: [cap] if d == "ptp-utara" else [], version=lambda d: 1)
    assert model.agency_rates(at(10))["rsud"] == free["rsud"]


def test_uplink_is_shared_guarantees_first_then_by_priority(mini_inventory: Inventory) -> None:
    model = TrafficModel(mini_inventory, seed=0)
    caps = [
        ShapingCap(ipaddress.IPv4Network("10.10.1.0/24"), "down", 150e6, 50e6, 2, "diskominfo"),
        ShapingCap(RSUD_NET, "down", 180e6, 60e6, 1, "rsud"),
        ShapingCap(ipaddress.IPv4Network("10.20.1.0/24"), "down", 60e6, 20e6, 4, "kec"),
    ]
    model.bind(caps=lambda d: caps if d == "core1" else [], version=lambda d: 1)
    t = at(10)
    wants = {c: model.demand_bps(c, "down", t) for c in ("diskominfo", "rsud", "kec-utara")}
    assert sum(min(w, c.max_bps) for w, c in zip(wants.values(), caps, strict=True)) > 200e6
    got = {c: r[0] for c, r in model.agency_rates(t).items()}
    assert sum(got.values()) == pytest.approx(200e6)  # uplink isp-a: 200 Mbit/s down
    assert got["kec-utara"] >= min(20e6, wants["kec-utara"]) - 1  # its guarantee holds
    # priority 1 (rsud) is served up to its demand before priority 4 gets more than its guarantee
    if got["kec-utara"] > 20e6 + 1:
        assert got["rsud"] == pytest.approx(min(wants["rsud"], 180e6))


def test_agency_traffic_flows_along_its_path_to_the_uplink(mini_inventory: Inventory) -> None:
    model = TrafficModel(mini_inventory, seed=0)
    t = at(10)
    rates = model.agency_rates(t)
    rsud_down, rsud_up = rates["rsud"]
    # rsud: rsud-gw eth1 (LAN) <- eth0 <- dist1 Gi1/0/2 <- Gi1/0/1 <- core1 ether2 <- ether1 (ISP)
    assert model.interface_rates_bps("rsud-gw", "eth1", t) == (rsud_up, rsud_down)
    assert model.interface_rates_bps("rsud-gw", "eth0", t) == (rsud_down, rsud_up)
    assert model.interface_rates_bps("dist1", "GigabitEthernet1/0/2", t) == (rsud_up, rsud_down)
    assert model.interface_rates_bps("dist1", "GigabitEthernet1/0/1", t) == (rsud_down, rsud_up)
    assert model.interface_rates_bps("core1", "ether2", t) == (rsud_up, rsud_down)
    # core1's uplink carries every agency
    total_down = sum(r[0] for r in rates.values())
    assert model.interface_rates_bps("core1", "ether1", t)[0] == pytest.approx(total_down)
    # the wireless PtP carries only kec-utara
    assert model.interface_rates_bps("ptp-utara", "wlan1", t)[0] == rates["kec-utara"][0]


def test_subnet_ledger_is_monotonic_and_matches_the_integrated_rate(
    mini_inventory: Inventory,
) -> None:
    clock = ManualClock(at(10))
    model = TrafficModel(mini_inventory, seed=0)
    core1 = build_states(mini_inventory, clock=clock, traffic=model)["core1"]
    first = core1.subnet_octets(RSUD_NET, "down")
    clock.advance(30)
    second = core1.subnet_octets(RSUD_NET, "down")
    expected = model.agency_rates(clock())["rsud"][0] * 30 / 8
    assert second - first == pytest.approx(expected, rel=1e-6)
    assert core1.subnet_octets("10.10.0.0/16", "down") >= second  # a supernet holds rsud's bytes
    assert (
        build_states(mini_inventory, clock=clock, traffic=model)["ptp-utara"].subnet_rate_bps(
            RSUD_NET, "down"
        )
        == 0.0
    )


def test_interface_counters_follow_rates_and_stop_when_the_link_is_down(
    mini_inventory: Inventory,
) -> None:
    clock = ManualClock(at(10))
    states = build_states(mini_inventory, clock=clock, traffic=TrafficModel(mini_inventory))
    dist1 = states["dist1"]
    gi2 = "GigabitEthernet1/0/2"
    c0 = dist1.counters(gi2)
    clock.advance(10)
    c1 = dist1.counters(gi2)
    assert (c1.out_octets - c0.out_octets) * 8 / 10 == pytest.approx(c1.out_rate_bps, rel=1e-6)
    states["rsud-gw"].interfaces["eth0"].admin_up = False  # the far end shuts its port
    dist1.sync()
    clock.advance(10)
    c2 = dist1.counters(gi2)
    assert c2.out_octets == c1.out_octets
    assert dist1.interfaces[gi2].oper_up is False


def test_two_uplinks_on_one_router_share_the_agencies_and_neither_port_runs_over_speed() -> None:
    # The sample's core-dc carries Telkom (1,000 Mbit/s) and Icon+ (500 Mbit/s) on two ports;
    # at the Tuesday 10:00 WITA peak both carry traffic and neither exceeds its port speed.
    from netops.inventory.loader import load_inventory
    from tests.helpers import SAMPLE

    inv = load_inventory(SAMPLE).inventory
    clock = ManualClock(at(10))
    states = build_states(inv, clock=clock, traffic=TrafficModel(inv))
    core = states["core-dc"]
    core.sync()
    clock.advance(60)
    core.sync()
    speeds = {i.name: i.speed_mbps * 1e6 for i in inv.device("core-dc").interfaces}
    for uplink in inv.uplinks:
        c = core.counters(uplink.interface)
        assert 0 < c.in_rate_bps <= speeds[uplink.interface], uplink.name
        assert 0 < c.out_rate_bps <= speeds[uplink.interface], uplink.name
        # the ISP polices each circuit at what was bought (Icon+: 500 Mbit/s on a 1 Gbit/s port)
        assert c.in_rate_bps <= uplink.down_mbps * 1e6 * 1.0001, uplink.name
