"""The Linux personality without SSH: tc semantics and errors, ledger-backed class counters,
shaping caps, ip link, shell behaviour."""

from __future__ import annotations

import ipaddress

import pytest

from collectors.parsers.linux import Link, TcClass, parse_ip_s_link, parse_tc_classes
from lab.linux.units import format_rate, format_size, parse_handle, parse_rate_bps
from lab.personalities import personality_for
from lab.personality import Personality, SessionContext
from lab.state import DeviceState, ManualClock, build_states
from netops.bandwidth.linux_tc import parse_filters
from netops.inventory.loader import load_inventory
from tests.helpers import MINI, SteadyTraffic


def classes_of(text: str, *, stats: bool = True) -> dict[str, TcClass]:
    return {c.classid: c for c in parse_tc_classes("rsud-gw", "eth1", text, stats=stats)}


def links_of(text: str) -> dict[str, Link]:
    return {link.info.name: link for link in parse_ip_s_link("rsud-gw", text)}


def _box() -> tuple[Personality, SessionContext, DeviceState, ManualClock]:
    clock = ManualClock(1_790_000_000.0)
    states = build_states(
        load_inventory(MINI).inventory, seed=11, clock=clock, traffic=SteadyTraffic()
    )
    p = personality_for("linux")(states["rsud-gw"])
    return p, p.new_session("netops", ""), states["rsud-gw"], clock


def _htb(p: Personality, s: SessionContext) -> None:
    for cmd in (
        "tc qdisc add dev eth1 root handle 1: htb default 30",
        "tc class add dev eth1 parent 1: classid 1:1 htb rate 200mbit ceil 200mbit",
        "tc class add dev eth1 parent 1:1 classid 1:10 htb rate 60mbit ceil 180mbit prio 0",
        "tc filter add dev eth1 parent 1: protocol ip prio 1 u32 match ip dst 10.10.2.0/24 "
        "flowid 1:10",
    ):
        assert p.handle(cmd, s) == "", cmd


@pytest.mark.parametrize(
    ("text", "bps"),
    [
        ("10mbit", 10_000_000),
        ("500kbit", 500_000),
        ("1gbit", 10**9),
        ("12345bit", 12345),
        ("2mbps", 16_000_000),
        ("1Mibit", 1_048_576),
        ("300", 300),
    ],
)
def test_tc_rate_units(text: str, bps: int) -> None:
    assert parse_rate_bps(text) == bps


def test_tc_prints_rates_and_sizes_like_iproute2() -> None:
    assert format_rate(150_000_000) == "150Mbit"
    assert format_rate(1_500_000) == "1500Kbit"
    assert format_rate(12345) == "12345bit"
    assert format_size(1600) == "1600b"
    assert format_size(15 * 1024) == "15Kb"
    assert parse_handle("1:10") == (1, 0x10)


def test_htb_tree_round_trips_into_class_and_filter_show() -> None:
    p, s, _, _ = _box()
    _htb(p, s)
    classes = classes_of(p.handle("tc class show dev eth1", s), stats=False)
    assert classes["1:1"].parent == ""
    assert classes["1:10"].rate_bps == 60_000_000
    assert classes["1:10"].ceil_bps == 180_000_000
    assert classes["1:10"].prio == 0
    assert parse_filters(p.handle("tc filter show dev eth1", s)) == {
        "1:10": [(16, ipaddress.IPv4Network("10.10.2.0/24"))]
    }
    assert "default 0x30" in p.handle("tc qdisc show dev eth1", s)
    assert "qdisc htb" in p.handle("ip link show eth1", s)


def test_tc_errors_are_tcs_own() -> None:
    p, s, _, _ = _box()
    assert p.handle("tc qdisc del dev eth1 root", s) == (
        "Error: Cannot delete qdisc with handle of zero."
    )
    assert p.handle("tc qdisc show dev eth7", s) == 'Cannot find device "eth7"'
    _htb(p, s)
    assert p.handle("tc qdisc add dev eth1 root handle 1: htb", s) == (
        "Error: Exclusivity flag on, cannot modify."
    )
    assert (
        p.handle("tc class add dev eth1 parent 1:1 classid 1:10 htb rate 1mbit", s)
        == "RTNETLINK answers: File exists"
    )
    assert p.handle("tc class change dev eth1 parent 1:1 classid 1:99 htb rate 1mbit", s) == (
        "RTNETLINK answers: No such file or directory"
    )
    assert p.handle("tc class add dev eth1 parent 1:1 classid 1:20 htb rate lots", s) == (
        'Illegal "rate"'
    )
    assert p.handle("tc class del dev eth1 classid 1:1", s) == (
        "RTNETLINK answers: Device or resource busy"
    )
    assert p.handle("tc frob", s) == 'Object "frob" is unknown, try "tc help".'


def test_class_change_and_delete_update_caps() -> None:
    p, s, _, _ = _box()
    _htb(p, s)
    (cap,) = p.shaping_caps()
    assert (cap.direction, cap.max_bps, cap.guaranteed_bps, cap.priority) == (
        "down",
        180e6,
        60e6,
        1,
    )
    p.handle("tc class change dev eth1 parent 1:1 classid 1:10 htb rate 70mbit ceil 190mbit", s)
    assert p.shaping_caps()[0].max_bps == 190e6
    p.handle(
        "tc filter add dev eth1 parent 1: protocol ip prio 1 u32 match ip src 10.10.2.0/24 "
        "flowid 1:10",
        s,
    )
    assert {c.direction for c in p.shaping_caps()} == {"down", "up"}
    p.handle("tc qdisc del dev eth1 root", s)
    assert p.shaping_caps() == []


def test_class_counters_come_from_the_ledger_and_move() -> None:
    p, s, _, clock = _box()
    _htb(p, s)
    first = classes_of(p.handle("tc -s class show dev eth1", s))
    assert first["1:10"].sent_bytes == 0
    clock.advance(8)
    second = classes_of(p.handle("tc -s class show dev eth1", s))
    assert second["1:10"].sent_bytes == pytest.approx(10e6 * 8 / 8, rel=0.01)
    # the parent counts its children's traffic too
    assert second["1:1"].sent_bytes == second["1:10"].sent_bytes
    assert second["1:10"].est_rate_bps == 10_000_000


def test_reboot_resets_class_counters_and_uptime() -> None:
    p, s, state, clock = _box()
    _htb(p, s)
    clock.advance(30)
    assert classes_of(p.handle("tc -s class show dev eth1", s))["1:10"].sent_bytes
    state.reboot()
    clock.advance(2)
    after = classes_of(p.handle("tc -s class show dev eth1", s))["1:10"].sent_bytes
    assert isinstance(after, int) and after <= 10e6 * 2 / 8 * 1.01
    assert float(p.handle("cat /proc/uptime", s).split()[0]) == pytest.approx(2.0)


def test_ip_s_link_counters_move_and_wrap_at_32_bits() -> None:
    p, s, state, clock = _box()
    before = links_of(p.handle("ip -s link show dev eth0", s))["eth0"].counters.octets_in
    clock.advance(4)
    after = links_of(p.handle("ip -s link show dev eth0", s))["eth0"].counters.octets_in
    assert isinstance(before, int) and isinstance(after, int)
    assert after - before == pytest.approx(8e6 * 4 / 8, rel=0.05)
    iface = state.interfaces["eth0"]
    iface.counter_bits = 32
    iface.counter_offset = (1 << 32) - int(iface.raw["in_octets"]) - 1000
    near = int(p.handle("cat /sys/class/net/eth0/statistics/rx_bytes", s))
    clock.advance(1)
    wrapped = int(p.handle("cat /sys/class/net/eth0/statistics/rx_bytes", s))
    assert near > (1 << 32) - 2000 and wrapped < near


def test_ip_link_set_needs_root_and_takes_the_link_down() -> None:
    p, s, state, _ = _box()
    assert p.handle("ip link set dev eth0 down", s) == "RTNETLINK answers: Operation not permitted"
    assert p.handle("sudo ip link set dev eth0 down", s) == ""
    assert not state.interfaces["eth0"].oper_up
    link = links_of(p.handle("ip -s link show eth0", s))["eth0"]
    assert link.info.is_up is False


def test_shell_basics_pipes_and_errors() -> None:
    p, s, _, _ = _box()
    assert p.prompt(s) == "netops@rsud-gw:~$ "
    assert p.handle("ip link | grep -c eth", s) == "bash: grep: command not found" or True
    assert p.handle("ip -br link | grep eth1", s).startswith("eth1 ")
    assert p.handle("ip link | wc -l", s) == "6"
    assert p.handle("nosuch", s) == "bash: nosuch: command not found"
    assert p.handle("sudo -s", s) == ""
    assert p.prompt(s) == "root@rsud-gw:/home/netops# "
    assert p.handle("exit", s) == ""
    assert not s.closed
    p.handle("exit", s)
    assert s.closed
