"""Every lab fault, injected through the Python API and observed from an SSH client's side."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import paramiko
import pytest
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadTimeout,
)

from lab.api import Lab
from lab.state import ManualClock
from netops.errors import LabError
from netops.inventory.schema import Inventory
from tests.helpers import netmiko_to

pytestmark = pytest.mark.lab
GI1 = "GigabitEthernet1/0/1"
# A Tuesday, 10:00 WITA (UTC+8): office hours, links busy.
TUESDAY_10_WITA = datetime(2026, 6, 9, 2, 0, tzinfo=UTC).timestamp()


@pytest.fixture
def lab(lab_factory: Callable[..., Lab], mini_inventory: Inventory) -> Lab:
    return lab_factory(mini_inventory, devices=["dist1"])


def _connect(lab: Lab, password: str) -> Any:
    return netmiko_to(lab, "dist1", password, conn_timeout=5)


def _octets_in(conn: Any, interface: str) -> int:
    out = conn.send_command(f"show interfaces {interface}")
    return int(re.search(r"packets input, (\d+) bytes", out).group(1))


def _remote_host_key(lab: Lab) -> str:
    ep = lab.endpoints["dist1"]
    with socket.create_connection((ep.host, ep.port), timeout=5) as sock:
        transport = paramiko.Transport(sock)
        try:
            transport.start_client(timeout=5)
            return transport.get_remote_server_key().get_base64()
        finally:
            transport.close()


def test_link_down_shows_oper_down_and_removes_lldp_neighbor(lab: Lab, lab_password: str) -> None:
    conn = _connect(lab, lab_password)
    lab.fault("dist1", "link-down", interface=GI1)
    brief = conn.send_command("show ip interface brief", use_textfsm=True)
    row = next(r for r in brief if r["interface"] == GI1)
    assert (row["status"], row["proto"]) == ("down", "down")  # not "administratively down"
    lldp = conn.send_command("show lldp neighbors", use_textfsm=True)
    assert [r["neighbor_name"] for r in lldp] == ["rsud-gw"]
    lab.clear_faults("dist1")
    lldp = conn.send_command("show lldp neighbors", use_textfsm=True)
    assert sorted(r["neighbor_name"] for r in lldp) == ["core1", "rsud-gw"]
    conn.disconnect()


def test_unreachable_device_refuses_connections_until_cleared(lab: Lab, lab_password: str) -> None:
    port = lab.endpoints["dist1"].port
    lab.fault("dist1", "unreachable")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=3)
    with pytest.raises(NetmikoTimeoutException):
        _connect(lab, lab_password)
    lab.clear_faults("dist1")
    assert lab.endpoints["dist1"].port == port
    conn = _connect(lab, lab_password)
    assert conn.find_prompt() == "dist1>"
    conn.disconnect()


def test_reboot_drops_sessions_and_resets_uptime_and_counters(lab: Lab, lab_password: str) -> None:
    conn = _connect(lab, lab_password)
    before = _octets_in(conn, GI1)
    assert before > 10**9  # months of traffic since the simulated boot
    lab.fault("dist1", "reboot")
    with pytest.raises((OSError, EOFError, ReadTimeout)):
        conn.send_command("show version", read_timeout=3)
    conn = _connect(lab, lab_password)
    version = conn.send_command("show version", use_textfsm=True)[0]
    assert version["uptime"] == "0 minutes"
    assert _octets_in(conn, GI1) < before
    conn.disconnect()


def test_counter_wrap_makes_32bit_counters_roll_over(
    lab_factory: Callable[..., Lab], mini_inventory: Inventory, lab_password: str
) -> None:
    # The lab's clock is moved by hand, so the wrap happens between the two reads by
    # construction (no sleep racing the fault's own timer): at 10:00 WITA on a Tuesday the link
    # is busy, the fault sets the counter 1 s of traffic below 2**32, and 30 s of traffic at
    # well under 1 Gbit/s passes 2**32 exactly once.
    clock = ManualClock(TUESDAY_10_WITA)
    lab = lab_factory(mini_inventory, devices=["dist1"], clock=clock)
    conn = _connect(lab, lab_password)
    lab.fault("dist1", "counter-wrap", interface=GI1, seconds_to_wrap=1.0)
    first = _octets_in(conn, GI1)
    assert 2**31 < first < 2**32  # a 32-bit counter near its top
    clock.advance(30)
    second = _octets_in(conn, GI1)
    assert second < first  # wrapped past 2**32
    lab.clear_faults("dist1")
    assert _octets_in(conn, GI1) > 2**32
    conn.disconnect()


def test_counter_wrap_puts_each_direction_one_wrap_window_below_2_pow_32(
    lab_factory: Callable[..., Lab], mini_inventory: Inventory
) -> None:
    # In and out carry different rates; each counter must sit `seconds_to_wrap` of its own
    # traffic below 2**32, so both wrap within that window (not only the faster one).
    clock = ManualClock(TUESDAY_10_WITA)
    lab = lab_factory(mini_inventory, devices=["dist1"], clock=clock)
    lab.fault("dist1", "counter-wrap", interface=GI1, seconds_to_wrap=2.0)
    state = lab.state("dist1")
    state.sync()
    iface = state.interfaces[GI1]
    c = state.counters(GI1)
    assert iface.rate_in_bps != iface.rate_out_bps
    for octets, rate_bps in ((c.in_octets, iface.rate_in_bps), (c.out_octets, iface.rate_out_bps)):
        headroom = 2**32 - octets
        assert 0 < headroom <= rate_bps * 2.0 / 8 + 1
    clock.advance(3)
    state.sync()
    after = state.counters(GI1)
    assert after.in_octets < c.in_octets and after.out_octets < c.out_octets


def test_slow_device_answers_after_the_client_read_timeout(lab: Lab, lab_password: str) -> None:
    conn = _connect(lab, lab_password)
    lab.fault("dist1", "slow", delay_s=3.0)
    with pytest.raises(ReadTimeout):
        conn.send_command("show clock", read_timeout=1.0)
    conn.disconnect()
    lab.clear_faults("dist1")
    conn = _connect(lab, lab_password)
    assert "WITA" in conn.send_command("show clock", read_timeout=5)
    conn.disconnect()


def test_hang_stops_output_midway_and_never_returns_the_prompt(lab: Lab, lab_password: str) -> None:
    conn = _connect(lab, lab_password)
    lab.fault("dist1", "hang", after_commands=1)
    assert "Cisco IOS Software" in conn.send_command("show version")
    with pytest.raises(ReadTimeout) as info:
        conn.send_command("show running-config", read_timeout=1.5)
    assert "dist1>" not in str(info.value).splitlines()[-1]
    conn.remote_conn_pre.close()  # a polite disconnect would wait on the hung session too


def test_garbage_output_does_not_parse(lab: Lab, lab_password: str) -> None:
    conn = _connect(lab, lab_password)
    lab.fault("dist1", "garbage")
    out = conn.send_command("show version")
    assert "uptime is" not in out
    parsed = conn.send_command("show version", use_textfsm=True)
    assert isinstance(parsed, str) or parsed == []  # netmiko gives raw text when TextFSM fails
    lab.clear_faults("dist1")
    assert "uptime is" in conn.send_command("show version")
    conn.disconnect()


def test_auth_fail_refuses_the_right_password(lab: Lab, lab_password: str) -> None:
    lab.fault("dist1", "auth-fail")
    with pytest.raises(NetmikoAuthenticationException):
        _connect(lab, lab_password)
    lab.clear_faults("dist1")
    _connect(lab, lab_password).disconnect()


def test_wrong_password_is_refused_without_a_fault(lab: Lab, lab_password: str) -> None:
    with pytest.raises(NetmikoAuthenticationException):
        _connect(lab, lab_password + "x")


def test_host_key_fault_presents_a_new_key_and_clear_restores_it(lab: Lab) -> None:
    original = _remote_host_key(lab)
    assert _remote_host_key(lab) == original  # stable within a run
    lab.fault("dist1", "host-key")
    changed = _remote_host_key(lab)
    assert changed != original
    lab.clear_faults("dist1")
    assert _remote_host_key(lab) == original


def test_lldp_disagree_reports_a_neighbor_the_inventory_lacks(lab: Lab, lab_password: str) -> None:
    conn = _connect(lab, lab_password)
    lab.fault("dist1", "lldp-disagree", interface=GI1, system_name="rogue-sw")
    lldp = conn.send_command("show lldp neighbors", use_textfsm=True)
    assert [(r["neighbor_name"], r["local_interface"]) for r in lldp] == [("rogue-sw", "Gi1/0/1")]
    lab.clear_faults("dist1")
    lldp = conn.send_command("show lldp neighbors", use_textfsm=True)
    assert sorted(r["neighbor_name"] for r in lldp) == ["core1", "rsud-gw"]
    conn.disconnect()


def test_bad_fault_requests_name_the_problem(lab: Lab) -> None:
    with pytest.raises(LabError, match="unknown fault 'melt'; valid: link-down"):
        lab.fault("dist1", "melt")
    with pytest.raises(LabError, match="dist1 has no interface 'Gi9/9'"):
        lab.fault("dist1", "link-down", interface="Gi9/9")
    with pytest.raises(LabError, match="unknown parameter 'speed'"):
        lab.fault("dist1", "slow", speed=3)
    with pytest.raises(LabError, match="not served by this lab"):
        lab.fault("core1", "reboot")
