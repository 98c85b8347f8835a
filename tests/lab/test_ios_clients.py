"""Unmodified netmiko (cisco_ios) and napalm (ios) against the lab's Cisco IOS device, over SSH."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from napalm import get_network_driver

from lab.api import Lab
from lab.ios.personality import IosPersonality
from lab.state import ManualClock
from netops.inventory.schema import Inventory
from tests.helpers import netmiko_to, wait_until

pytestmark = pytest.mark.lab

WITA = timezone(timedelta(hours=8))
# A Tuesday, 10:00 WITA: office hours, agencies near their peak demand.
TUESDAY_10_WITA = datetime(2026, 6, 9, 10, 0, tzinfo=WITA).timestamp()


@pytest.fixture
def dist1_lab(lab_factory: Callable[..., Lab], mini_inventory: Inventory) -> Lab:
    return lab_factory(mini_inventory, devices=["dist1"])


@pytest.fixture
def napalm_dist1(dist1_lab: Lab, lab_password: str) -> Iterator[Any]:
    ep = dist1_lab.endpoints["dist1"]
    driver = get_network_driver("ios")(
        ep.host, "netops", lab_password, optional_args={"port": ep.port, "secret": lab_password}
    )
    driver.open()
    yield driver
    driver.close()


def test_napalm_facts_report_the_inventory_device(
    napalm_dist1: Any, dist1_lab: Lab, mini_inventory: Inventory
) -> None:
    facts = napalm_dist1.get_facts()
    state = dist1_lab.state("dist1")
    device = mini_inventory.device("dist1")
    assert facts["hostname"] == "dist1"
    assert facts["vendor"] == "Cisco"
    assert facts["model"] == device.model == "WS-C3850-24T"
    assert facts["serial_number"] == state.serial
    assert facts["interface_list"] == [i.name for i in device.interfaces]
    # The 3850 of the mini inventory runs IOS-XE 16.12 (lab/ios/identities.py).
    assert "Version 16.12.10a" in facts["os_version"]
    # napalm reads uptime at minute resolution
    assert abs(facts["uptime"] - state.uptime_s()) < 120


def test_napalm_interfaces_carry_inventory_speed_and_description(napalm_dist1: Any) -> None:
    interfaces = napalm_dist1.get_interfaces()
    assert set(interfaces) == {"GigabitEthernet1/0/1", "GigabitEthernet1/0/2"}
    gi1 = interfaces["GigabitEthernet1/0/1"]
    assert gi1["description"] == "to core1"
    assert gi1["speed"] == 1000.0
    assert gi1["is_up"] is True and gi1["is_enabled"] is True
    assert gi1["mac_address"].startswith("02:")


def test_napalm_counters_increase_between_two_reads(napalm_dist1: Any) -> None:
    names = ("GigabitEthernet1/0/1", "GigabitEthernet1/0/2")
    first = napalm_dist1.get_interfaces_counters()
    second = wait_until(
        napalm_dist1.get_interfaces_counters,
        lambda now: all(now[n]["tx_octets"] > first[n]["tx_octets"] for n in names),
    )
    for name in names:
        assert second[name]["rx_octets"] > first[name]["rx_octets"]
        assert second[name]["tx_octets"] > first[name]["tx_octets"]
        assert second[name]["rx_unicast_packets"] >= first[name]["rx_unicast_packets"]


def test_napalm_lldp_neighbors_match_inventory_links(napalm_dist1: Any) -> None:
    # mini-inventory: core1 ether2 <-> dist1 Gi1/0/1, dist1 Gi1/0/2 <-> rsud-gw eth0
    assert napalm_dist1.get_lldp_neighbors() == {
        "GigabitEthernet1/0/1": [{"hostname": "core1", "port": "ether2"}],
        "GigabitEthernet1/0/2": [{"hostname": "rsud-gw", "port": "eth0"}],
    }
    detail = napalm_dist1.get_lldp_neighbors_detail()
    core = detail["GigabitEthernet1/0/1"][0]
    assert core["remote_system_name"] == "core1"
    assert core["remote_port_description"] == "to dist1"
    assert "MikroTik RouterOS" in core["remote_system_description"]
    assert core["remote_system_capab"] == ["bridge", "router"]


def test_description_change_round_trips_to_running_and_startup_config(
    dist1_lab: Lab, lab_password: str, napalm_dist1: Any
) -> None:
    conn = netmiko_to(dist1_lab, "dist1", lab_password)
    conn.enable()
    out = conn.send_config_set(["interface Gi1/0/2", "description RSUD fiber (core B)"])
    assert "Invalid" not in out
    assert napalm_dist1.get_interfaces()["GigabitEthernet1/0/2"]["description"] == (
        "RSUD fiber (core B)"
    )
    config = napalm_dist1.get_config()
    assert " description RSUD fiber (core B)" in config["running"]
    assert " description RSUD fiber (core B)" not in config["startup"]
    saved = conn.save_config()
    assert "[OK]" in saved
    assert " description RSUD fiber (core B)" in napalm_dist1.get_config()["startup"]
    conn.disconnect()


def test_shutdown_takes_the_link_down_on_both_ends(dist1_lab: Lab, lab_password: str) -> None:
    conn = netmiko_to(dist1_lab, "dist1", lab_password)
    conn.enable()
    conn.send_config_set(["interface GigabitEthernet1/0/1", "shutdown"])
    brief = conn.send_command("show ip interface brief", use_textfsm=True)
    gi1 = next(r for r in brief if r["interface"] == "GigabitEthernet1/0/1")
    assert (gi1["status"], gi1["proto"]) == ("administratively down", "down")
    # the far end (core1 ether2) lost carrier and no longer sees dist1 over LLDP
    assert dist1_lab.state("core1").interfaces["ether2"].oper_up is False
    assert dist1_lab.state("core1").lldp_neighbors("ether2") == []
    assert "core1" not in conn.send_command("show lldp neighbors")
    conn.send_config_set(["interface GigabitEthernet1/0/1", "no shutdown"])
    assert "core1" in conn.send_command("show lldp neighbors")
    conn.disconnect()


def test_unknown_command_gets_the_ios_invalid_input_marker(
    dist1_lab: Lab, lab_password: str
) -> None:
    conn = netmiko_to(dist1_lab, "dist1", lab_password)
    out = conn.send_command("show runnning-config-typo")
    assert "% Invalid input detected at '^' marker." in out
    assert (
        conn.send_command("frobnicate").strip().endswith("% Invalid input detected at '^' marker.")
    )
    conn.disconnect()


def test_user_mode_needs_the_enable_secret_for_privileged_commands(
    dist1_lab: Lab, lab_password: str
) -> None:
    conn = netmiko_to(dist1_lab, "dist1", lab_password)
    assert conn.find_prompt() == "dist1>"
    assert "Invalid input" in conn.send_command("show running-config")
    conn.secret = "wrong"
    with pytest.raises(ValueError):
        conn.enable()
    conn.secret = lab_password
    conn.enable()
    assert conn.find_prompt() == "dist1#"
    assert "hostname dist1" in conn.send_command("show running-config")
    conn.disconnect()


def test_pushed_shaping_policy_lowers_the_agency_rate_seen_in_counters(
    lab_factory: Callable[..., Lab], mini_inventory: Inventory, lab_password: str
) -> None:
    clock = ManualClock(TUESDAY_10_WITA)
    lab = lab_factory(mini_inventory, devices=["dist1"], clock=clock)
    state = lab.state("dist1")

    def rsud_rate_bps() -> float:
        # Gi1/0/2 faces rsud-gw: its output is RSUD's download.
        before = state.counters("GigabitEthernet1/0/2").out_octets
        clock.advance(60)
        after = state.counters("GigabitEthernet1/0/2").out_octets
        return (after - before) * 8 / 60

    unshaped = rsud_rate_bps()
    assert unshaped > 50e6  # RSUD's maximum is 180 Mbit/s; at 10:00 it wants most of it
    conn = netmiko_to(lab, "dist1", lab_password)
    conn.enable()
    out = conn.send_config_set(
        [
            "ip access-list extended NETOPS-RSUD-DOWN",
            "permit ip any 10.10.2.0 0.0.0.255",
            "class-map match-any RSUD-DOWN",
            "match access-group name NETOPS-RSUD-DOWN",
            "policy-map NETOPS-DOWN",
            "class RSUD-DOWN",
            "bandwidth 5000",
            "shape average 10000000",
            "interface GigabitEthernet1/0/2",
            "service-policy output NETOPS-DOWN",
        ]
    )
    assert "Invalid" not in out and "not configured" not in out
    shaped = rsud_rate_bps()
    background = state.interfaces["GigabitEthernet1/0/2"].background_bps
    assert 9.5e6 < shaped <= 10e6 + background
    policy = conn.send_command("show policy-map interface GigabitEthernet1/0/2")
    assert "Class-map: RSUD-DOWN (match-any)" in policy
    assert "shape (average) cir 10000000" in policy
    conn.disconnect()


def test_multi_class_policy_map_pushed_without_exit_between_classes_keeps_every_class(
    dist1_lab: Lab, lab_password: str
) -> None:
    """``class B`` typed in policy-map class mode opens B in the same policy-map (IOS falls back
    to the parent mode), it does not create a class-map named B."""
    agencies = {"A": ("10.10.1.0", 20000, 60000000), "B": ("10.10.2.0", 30000, 80000000)}
    lines: list[str] = []
    for name, (net, _, _) in agencies.items():
        lines += [
            f"ip access-list extended NX-{name}-DOWN",
            f" permit ip any {net} 0.0.0.255",
            f"class-map match-any NX-{name}-DOWN",
            f" match access-group name NX-{name}-DOWN",
        ]
    lines.append("policy-map NX-DOWN")
    for name, (_, kbps, bps) in agencies.items():
        lines += [f" class NX-{name}-DOWN", f"  bandwidth {kbps}", f"  shape average {bps}"]
    lines += ["interface GigabitEthernet1/0/2", " service-policy output NX-DOWN"]
    with netmiko_to(dist1_lab, "dist1", lab_password) as conn:
        conn.enable()
        out = conn.send_config_set(lines)
        assert "Invalid" not in out and "Ambiguous" not in out and "not configured" not in out
        running = conn.send_command("show running-config | section policy-map")
        stats = conn.send_command("show policy-map interface Gi1/0/2")
    assert running.splitlines() == [
        "policy-map NX-DOWN",
        " class NX-A-DOWN",
        "  bandwidth 20000",
        "  shape average 60000000",
        " class NX-B-DOWN",
        "  bandwidth 30000",
        "  shape average 80000000",
    ]
    persona = dist1_lab.runtime("dist1").personality
    assert isinstance(persona, IosPersonality)
    assert set(persona.config.class_maps) == {"NX-A-DOWN", "NX-B-DOWN"}
    assert "Class-map: NX-B-DOWN (match-any)" in stats
    assert "shape (average) cir 80000000" in stats and "bandwidth 30000 kbps" in stats
