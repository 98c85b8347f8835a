"""The RouterOS personality without SSH: commands, config round-trips, errors, counters, caps."""

from __future__ import annotations

import ipaddress

import pytest

from collectors.parsers.routeros import parse_records, parse_stats_table
from lab.personalities import personality_for
from lab.personality import Personality, SessionContext
from lab.state import DeviceState, ManualClock, build_states
from netops.inventory.loader import load_inventory
from tests.helpers import MINI, SteadyTraffic


def _router(name: str = "core1") -> tuple[Personality, SessionContext, DeviceState, ManualClock]:
    clock = ManualClock(1_790_000_000.0)
    states = build_states(
        load_inventory(MINI).inventory, seed=7, clock=clock, traffic=SteadyTraffic()
    )
    p = personality_for("mikrotik_routeros")(states[name])
    return p, p.new_session("netops", "ct511w4098h"), states[name], clock


def test_prompt_shows_user_identity_and_current_menu() -> None:
    p, s, _, _ = _router()
    assert p.prompt(s) == "[netops@core1] > "
    assert p.handle("/queue simple", s) == ""
    assert p.prompt(s) == "[netops@core1] /queue simple> "
    assert p.handle("/", s) == ""
    assert p.prompt(s) == "[netops@core1] > "


def test_identity_set_changes_prompt_and_print() -> None:
    p, s, _, _ = _router()
    assert p.handle('/system identity set name="core-dc"', s) == ""
    assert p.handle("/system identity print", s) == "  name: core-dc"
    assert p.prompt(s).startswith("[netops@core-dc]")


def test_unknown_command_names_its_column_like_routeros() -> None:
    p, s, _, _ = _router()
    assert p.handle("/foo", s) == "bad command name foo (line 1 column 2)"
    assert p.handle("/system identity frobnicate", s) == (
        "bad command name frobnicate (line 1 column 18)"
    )
    assert p.handle("/system resource print extra", s) == (
        "expected end of command (line 1 column 24)"
    )
    assert p.handle("/queue simple add foo=1", s) == "expected end of command (line 1 column 19)"


def test_abbreviated_paths_and_slash_form_work() -> None:
    p, s, _, _ = _router()
    full = p.handle("/system routerboard print", s)
    assert p.handle("/sys routerb pr", s) == full
    assert p.handle("/system/routerboard/print", s) == full


def test_simple_queue_add_round_trips_into_print_and_export() -> None:
    p, s, _, _ = _router()
    out = p.handle(
        "/queue simple add name=diskominfo target=10.10.1.0/24 max-limit=60M/150M "
        'limit-at=20M/50M priority=2/2 comment="Dinas \\"Kominfo\\""',
        s,
    )
    assert out == ""
    (record,) = parse_records(p.handle("/queue simple print detail", s))
    assert record.props["name"] == "diskominfo"
    assert record.props["max-limit"] == "60M/150M"
    assert record.props["limit-at"] == "20M/50M"
    assert record.comment == 'Dinas "Kominfo"'
    terse = p.handle("/export terse", s)
    assert (
        '/queue simple add comment="Dinas \\"Kominfo\\"" limit-at=20M/50M max-limit=60M/150M '
        "name=diskominfo priority=2/2 target=10.10.1.0/24"
    ) in terse.splitlines()


def test_set_by_find_and_by_number_change_the_queue() -> None:
    p, s, _, _ = _router()
    p.handle("/queue simple add name=a target=10.10.1.0/24 max-limit=1M/2M", s)
    p.handle("/queue simple add name=b target=10.10.2.0/24 max-limit=1M/2M", s)
    assert p.handle('/queue simple set [find name="b"] max-limit=3M/4M', s) == ""
    assert p.handle("/queue simple set numbers=0 max-limit=5000000/6000000", s) == ""
    records = {r.props["name"]: r.props for r in parse_records(p.handle("/queue simple print", s))}
    assert records["a"]["max-limit"] == "5M/6M"
    assert records["b"]["max-limit"] == "3M/4M"


def test_set_on_empty_find_changes_nothing_and_says_nothing() -> None:
    p, s, _, _ = _router()
    p.handle("/queue simple add name=a target=10.10.1.0/24 max-limit=1M/2M", s)
    assert p.handle('/queue simple set [find name="zzz"] max-limit=9M/9M', s) == ""
    assert "max-limit=1M/2M" in p.handle("/queue simple print", s)


def test_duplicate_name_and_bad_values_fail_without_changing_config() -> None:
    p, s, _, _ = _router()
    p.handle("/queue simple add name=a target=10.10.1.0/24 max-limit=1M/2M", s)
    assert p.handle("/queue simple add name=a target=10.10.2.0/24", s) == (
        "failure: already have such name"
    )
    assert p.handle("/queue simple add name=b target=10.10.2.0/24 priority=9", s) == (
        "value of priority out of range (1..8)"
    )
    assert p.handle("/queue simple add name=b target=nowhere", s) == (
        "invalid value for argument target"
    )
    assert p.handle("/queue simple add name=b queue=fast", s) == (
        "input does not match any value of queue"
    )
    assert p.handle("/queue simple set a max-limit=huge", s) == (
        "invalid value for argument max-limit"
    )
    assert p.handle("/queue simple print count-only", s) == "1"
    assert "max-limit=1M/2M" in p.handle("/queue simple print", s)


def test_remove_missing_number_says_no_such_item() -> None:
    p, s, _, _ = _router()
    assert p.handle("/queue simple remove 3", s) == "no such item"


def test_remove_by_find_and_disable_enable() -> None:
    p, s, _, _ = _router()
    p.handle("/queue simple add name=a target=10.10.1.0/24 max-limit=1M/2M", s)
    p.handle("/queue simple add name=b target=10.10.2.0/24 max-limit=1M/2M", s)
    p.handle("/queue simple disable [find name=a]", s)
    (a, _) = parse_records(p.handle("/queue simple print", s))
    assert a.flags == {"X"}
    assert "disabled=yes" in p.handle("/export terse", s)
    p.handle("/queue simple enable a", s)
    p.handle('/queue simple remove [find where name~"^b"]', s)
    names = [r.props["name"] for r in parse_records(p.handle("/queue simple print", s))]
    assert names == ["a"]


def test_simple_queue_becomes_shaping_caps_and_disabling_removes_them() -> None:
    p, s, _, _ = _router()
    p.handle(
        "/queue simple add name=rsud target=10.10.2.0/24 max-limit=80M/180M limit-at=30M/60M "
        "priority=1/1",
        s,
    )
    caps = {(c.direction, c.subnet): c for c in p.shaping_caps()}
    down = caps[("down", ipaddress.IPv4Network("10.10.2.0/24"))]
    up = caps[("up", ipaddress.IPv4Network("10.10.2.0/24"))]
    assert (down.max_bps, down.guaranteed_bps, down.priority) == (180e6, 60e6, 1)
    assert (up.max_bps, up.guaranteed_bps) == (80e6, 30e6)
    p.handle("/queue simple disable rsud", s)
    assert p.shaping_caps() == []


def test_queue_tree_with_mangle_marks_caps_the_marked_subnet() -> None:
    p, s, _, _ = _router()
    p.handle(
        "/ip firewall mangle add chain=forward action=mark-packet new-packet-mark=kec-down "
        "dst-address=10.20.1.0/24 passthrough=no",
        s,
    )
    p.handle(
        "/queue tree add name=kec-down parent=ether3 packet-mark=kec-down max-limit=60M "
        "limit-at=20M priority=4",
        s,
    )
    (cap,) = p.shaping_caps()
    assert (cap.subnet, cap.direction, cap.max_bps, cap.guaranteed_bps, cap.priority) == (
        ipaddress.IPv4Network("10.20.1.0/24"),
        "down",
        60e6,
        20e6,
        4,
    )
    assert p.handle("/queue tree add name=x parent=ether9", s) == (
        "input does not match any value of parent"
    )


def test_queue_stats_bytes_come_from_the_ledger_and_move() -> None:
    p, s, _, clock = _router()
    p.handle("/queue simple add name=rsud target=10.10.2.0/24 max-limit=80M/180M", s)
    (first,) = parse_records(p.handle("/queue simple print stats", s))
    assert first.props["bytes"] == "0/0"
    clock.advance(10)
    (second,) = parse_records(p.handle("/queue simple print stats", s))
    up, down = (int(x) for x in second.props["bytes"].split("/"))
    # 2 Mbit/s up and 10 Mbit/s down for 10 s.
    assert up == pytest.approx(2e6 * 10 / 8, rel=0.01)
    assert down == pytest.approx(10e6 * 10 / 8, rel=0.01)
    assert second.props["rate"] == "2.0Mbps/10.0Mbps"


def test_reboot_resets_queue_counters_and_uptime() -> None:
    p, s, state, clock = _router()
    p.handle("/queue simple add name=rsud target=10.10.2.0/24 max-limit=80M/180M", s)
    clock.advance(30)
    assert parse_records(p.handle("/queue simple print stats", s))[0].props["bytes"] != "0/0"
    state.reboot()
    clock.advance(1)
    (after,) = parse_records(p.handle("/queue simple print stats", s))
    up, down = (int(x) for x in after.props["bytes"].split("/"))
    assert down <= 10e6 * 1 / 8 * 1.01
    assert "uptime: 1s" in p.handle("/system resource print", s)
    # the configuration survives (RouterOS saves every change at once)
    assert "name=rsud" in p.handle("/export terse", s)


def test_interface_counters_move_between_two_reads() -> None:
    p, s, _, clock = _router()
    before = {
        r.props["name"]: r.props for r in parse_stats_table(p.handle("/interface print stats", s))
    }
    clock.advance(5)
    after = {
        r.props["name"]: r.props for r in parse_stats_table(p.handle("/interface print stats", s))
    }
    delta = int(after["ether2"]["rx-byte"]) - int(before["ether2"]["rx-byte"])
    assert delta == pytest.approx((8e6 + 0) * 5 / 8, rel=0.05)


def test_32bit_counters_wrap_in_print_stats() -> None:
    p, s, state, clock = _router()
    iface = state.interfaces["ether2"]
    iface.counter_bits = 32
    state.sync()
    iface.counter_offset = (1 << 32) - int(iface.raw.get("in_octets", 0)) - 1000
    before = int(parse_stats_table(p.handle("/interface print stats", s))[1].props["rx-byte"])
    clock.advance(2)
    after = int(parse_stats_table(p.handle("/interface print stats", s))[1].props["rx-byte"])
    assert before > (1 << 32) - 2000
    assert after < before  # wrapped past 2**32
    assert after < 1 << 32


def test_disabling_an_interface_takes_the_link_down_on_both_ends() -> None:
    p, s, state, _ = _router()
    p.handle("/interface disable ether3", s)
    (row,) = [
        r
        for r in parse_stats_table(p.handle("/interface print stats", s))
        if r.props["name"] == "ether3"
    ]
    assert row.flags == {"X"}
    assert state.interfaces["ether3"].peer is not None
    assert not state.interfaces["ether3"].peer.oper_up
    assert "ptp-utara" not in p.handle("/ip neighbor print detail", s)
    assert 'set [ find default-name=ether3 ] comment="to ptp-utara" disabled=yes' in p.handle(
        "/export", s
    )
    p.handle("/interface set [find name=ether3] disabled=no", s)
    assert "ptp-utara" in p.handle("/ip neighbor print detail", s)


def test_quit_closes_the_session() -> None:
    p, s, _, _ = _router()
    p.handle("/quit", s)
    assert s.closed
