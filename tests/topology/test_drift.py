"""Drift between the mini inventory's plan and hand-written neighbour records."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.inventory.loader import load_inventory
from topology.drift import match_discovered
from topology.model import DiscoveredLink, InterfaceRate, build_model

MINI = Path(__file__).parents[1] / "fixtures" / "mini-inventory.yaml"


@pytest.fixture(scope="module")
def inv():
    return load_inventory(MINI).inventory


def test_fqdn_and_abbreviated_ports_confirm_a_planned_link(inv):
    recs = [DiscoveredLink("dist1", "Gi1/0/1", "CORE1.kab.go.id", "ether2")]
    rep = match_discovered(inv, recs)
    assert "core1:ether2--dist1:GigabitEthernet1/0/1" in rep.seen_links
    assert rep.wrong_ports == [] and rep.unplanned_links == [] and rep.unknown_devices == []
    # dist1 was polled and did not report rsud-gw; nobody reported about the radio link
    assert rep.unseen_links == ["dist1:GigabitEthernet1/0/2--rsud-gw:eth0"]
    assert rep.unverified_links == ["core1:ether3--ptp-utara:wlan1"]


def test_every_kind_of_drift_is_reported(inv):
    recs = [
        # planned core1:ether2 <-> dist1:Gi1/0/1 is seen on dist1 Gi1/0/2 instead: wrong port
        DiscoveredLink("core1", "ether2", "dist1", "GigabitEthernet1/0/2"),
        # a cable core1 ether4 -> rsud-gw eth1 that the plan lacks
        DiscoveredLink("core1", "ether4", "rsud-gw", "eth1"),
        # a switch nobody put in the inventory
        DiscoveredLink("core1", "ether1", "isp-a-cpe", "ge-0/0/1"),
    ]
    rep = match_discovered(inv, recs)
    assert [w.link for w in rep.wrong_ports] == ["core1:ether2--dist1:GigabitEthernet1/0/1"]
    assert rep.wrong_ports[0].seen == (("core1", "ether2"), ("dist1", "GigabitEthernet1/0/2"))
    assert rep.unplanned_links == [(("core1", "ether4"), ("rsud-gw", "eth1"))]
    assert [(u.name, u.seen_from) for u in rep.unknown_devices] == [
        ("isp-a-cpe", ("core1", "ether1"))
    ]
    # core1 was polled and did not see ptp-utara: planned but not seen
    assert rep.unseen_links == ["core1:ether3--ptp-utara:wlan1"]
    # neither dist1 nor rsud-gw reported anything: unverified, not "unseen"
    assert rep.unverified_links == ["dist1:GigabitEthernet1/0/2--rsud-gw:eth0"]
    assert rep.has_drift


def test_polled_devices_make_silent_ends_count_as_not_seen(inv):
    rep = match_discovered(inv, [], polled_devices={"dist1"})
    assert set(rep.unseen_links) == {
        "core1:ether2--dist1:GigabitEthernet1/0/1",
        "dist1:GigabitEthernet1/0/2--rsud-gw:eth0",
    }


def test_model_overlays_discovery_and_utilization(inv):
    recs = [
        DiscoveredLink("core1", "ether2", "dist1", "Gi1/0/1"),
        DiscoveredLink("core1", "ether4", "rsud-gw", "eth1"),
    ]
    rates = {("core1", "ether3"): InterfaceRate(in_bps=30e6, out_bps=120e6)}
    m = build_model(inv, recs, rates)
    g = m.graph
    assert g.edges["core1", "dist1", "core1:ether2--dist1:GigabitEthernet1/0/1"]["seen"] is True
    assert g.edges["core1", "ptp-utara", "core1:ether3--ptp-utara:wlan1"]["seen"] is False
    extra = g.edges["core1", "rsud-gw", "core1:ether4--rsud-gw:eth1"]
    assert extra["planned"] is False and extra["capacity_mbps"] == 1000
    assert (
        g.edges["core1", "ptp-utara", "core1:ether3--ptp-utara:wlan1"]["utilization_bps"] == 120e6
    )


def test_agencies_attach_to_the_device_with_their_interface(inv):
    m = build_model(inv)
    assert m.agencies["rsud"].devices == ("rsud-gw",)
    assert m.agencies["kec-utara"].devices == ("ptp-utara",)
    assert m.uplink_devices == ("core1",)
