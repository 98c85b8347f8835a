"""Unmodified netmiko (``linux``) against the lab's Debian router rsud-gw over real SSH."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from ntc_templates.parse import parse_output

from collectors.parsers.linux import parse_ip_s_link, parse_tc_classes
from lab.api import Lab
from lab.state import ManualClock
from netops.inventory.schema import Inventory
from tests.helpers import netmiko_to, send_text, wait_until

pytestmark = pytest.mark.lab


@pytest.fixture
def rsud(mini_lab: Lab, lab_password: str) -> Iterator[object]:
    conn = netmiko_to(mini_lab, "rsud-gw", lab_password, read_timeout_override=10)
    try:
        yield conn
    finally:
        conn.disconnect()


def test_facts_hostname_kernel_uptime(rsud: object, mini_lab: Lab) -> None:
    assert send_text(rsud, "hostname") == "rsud-gw"
    assert send_text(rsud, "uname -r") == mini_lab.state("rsud-gw").os_version
    uptime_s = float(send_text(rsud, "cat /proc/uptime").split()[0])
    # generous: a loaded CI machine may take seconds between the read and the check
    assert abs(uptime_s - mini_lab.state("rsud-gw").uptime_s()) < 60


def test_interfaces_and_addresses_parse_with_ntc_templates(rsud: object) -> None:
    rows = parse_output(
        platform="linux", command="ip address show", data=send_text(rsud, "ip addr")
    )
    by_name = {r["interface"]: r for r in rows}
    assert set(by_name) == {"lo", "eth0", "eth1"}
    assert by_name["eth1"]["ip_addresses"] == ["10.10.2.1"]
    assert by_name["eth0"]["state"] == "UP"


def test_counters_move_between_two_reads(rsud: object) -> None:
    def read() -> Any:
        (link,) = parse_ip_s_link("rsud-gw", send_text(rsud, "ip -s link show dev eth0"))
        return link

    first = read()
    second = wait_until(read, lambda link: link.counters.octets_in > first.counters.octets_in)
    assert second.counters.octets_in > first.counters.octets_in
    data = json.loads(send_text(rsud, "ip -j -s link show eth0"))
    assert data[0]["stats64"]["rx"]["bytes"] >= second.counters.octets_in


def test_lldp_neighbour_matches_the_inventory_link(rsud: object) -> None:
    data = json.loads(send_text(rsud, "lldpcli -f json show neighbors"))
    eth0 = data["lldp"]["interface"]["eth0"]
    assert list(eth0["chassis"]) == ["dist1"]
    assert eth0["port"]["id"]["value"] == "GigabitEthernet1/0/2"


def test_tc_htb_config_round_trips_and_caps_traffic(rsud: object, mini_lab: Lab) -> None:
    commands = [
        "sudo tc qdisc replace dev eth1 root handle 1: htb r2q 10",
        "sudo tc class add dev eth1 parent 1: classid 1:1 htb rate 200mbit ceil 200mbit",
        "sudo tc class add dev eth1 parent 1:1 classid 1:10 htb rate 60mbit ceil 180mbit prio 0",
        "sudo tc filter add dev eth1 parent 1: protocol ip prio 1 u32 "
        "match ip dst 10.10.2.0/24 flowid 1:10",
    ]
    for command in commands:
        assert send_text(rsud, command) == "", command
    text = send_text(rsud, "tc -s class show dev eth1")
    classes = {c.classid: c for c in parse_tc_classes("rsud-gw", "eth1", text)}
    assert classes["1:10"].rate_bps == 60_000_000
    assert classes["1:10"].ceil_bps == 180_000_000
    assert classes["1:10"].parent == "1:1"
    filters = send_text(rsud, "tc filter show dev eth1")
    assert "match 0a0a0200/ffffff00 at 16" in filters
    (cap,) = mini_lab.runtime("rsud-gw").personality.shaping_caps()
    assert (str(cap.subnet), cap.direction, cap.max_bps, cap.guaranteed_bps) == (
        "10.10.2.0/24",
        "down",
        180e6,
        60e6,
    )
    assert send_text(rsud, "tc qdisc add dev eth1 root handle 1: htb") == (
        "Error: Exclusivity flag on, cannot modify."
    )


def test_enable_mode_is_sudo_and_root_prompt(rsud: object) -> None:
    rsud.enable()  # type: ignore[attr-defined]
    assert rsud.check_enable_mode()  # type: ignore[attr-defined]
    assert send_text(rsud, "whoami") == "root"
    rsud.exit_enable_mode()  # type: ignore[attr-defined]
    assert send_text(rsud, "whoami") == "netops"


def test_unknown_command_gets_bash_error(rsud: object) -> None:
    assert send_text(rsud, "frobnicate --now") == "bash: frobnicate: command not found"


def test_link_down_fault_seen_in_ip_link(rsud: object, mini_lab: Lab) -> None:
    mini_lab.fault("rsud-gw", "link-down", interface="eth0")
    rows = parse_output(platform="linux", command="ip link show", data=send_text(rsud, "ip link"))
    eth0 = next(r for r in rows if r["interface"] == "eth0")
    assert eth0["state"] == "DOWN"
    assert "NO-CARRIER" in eth0["flags"]
    assert json.loads(send_text(rsud, "lldpcli -f json show neighbors"))["lldp"]["interface"] == {}


def test_counter_wrap_fault_keeps_32bit_counters_below_2_pow_32(
    lab_factory: Callable[..., Lab], mini_inventory: Inventory, lab_password: str
) -> None:
    # Lab time is moved by hand: 30 s of Tuesday-morning traffic after a fault that put the
    # counter 1 s of traffic below 2**32 wraps it exactly once, whatever the machine's load.
    clock = ManualClock(datetime(2026, 6, 9, 2, 0, tzinfo=UTC).timestamp())  # 10:00 WITA
    lab = lab_factory(mini_inventory, devices=["rsud-gw"], clock=clock)
    conn = netmiko_to(lab, "rsud-gw", lab_password)
    try:
        lab.fault("rsud-gw", "counter-wrap", interface="eth1", seconds_to_wrap=1.0)
        values = [int(send_text(conn, "cat /sys/class/net/eth1/statistics/rx_bytes"))]
        for _ in range(3):
            clock.advance(10)
            values.append(int(send_text(conn, "cat /sys/class/net/eth1/statistics/rx_bytes")))
    finally:
        conn.disconnect()
    assert 2**31 < values[0] < 2**32  # the fault starts the counter near the top of 32 bits
    assert all(v < 2**32 for v in values), values
    assert sum(b < a for a, b in zip(values, values[1:], strict=False)) == 1, values  # one wrap
