"""Unmodified netmiko (``mikrotik_routeros``) against lab RouterOS devices over real SSH."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ntc_templates.parse import parse_output

from collectors.parsers.routeros import parse_records, parse_stats_table
from lab.api import Lab
from tests.helpers import netmiko_to, send_text, wait_until

pytestmark = pytest.mark.lab


@pytest.fixture
def core1(mini_lab: Lab, lab_password: str) -> Iterator[object]:
    conn = netmiko_to(mini_lab, "core1", lab_password, read_timeout_override=10)
    try:
        yield conn
    finally:
        conn.disconnect()


def test_facts_identity_resource_and_routerboard(core1: object, mini_lab: Lab) -> None:
    (identity,) = parse_output(
        platform="mikrotik_routeros",
        command="/system identity print",
        data=send_text(core1, "/system identity print"),
    )
    assert identity["name"] == "core1"
    (resource,) = parse_output(
        platform="mikrotik_routeros",
        command="/system resource print",
        data=send_text(core1, "/system resource print"),
    )
    state = mini_lab.state("core1")
    assert resource["version"].startswith(state.os_version)
    assert resource["board_name"] == "CCR2004-16G-2S+"
    (board,) = parse_output(
        platform="mikrotik_routeros",
        command="/system routerboard print",
        data=send_text(core1, "/system routerboard print"),
    )
    assert board["serial_number"] == state.serial


def test_interfaces_match_the_inventory(core1: object) -> None:
    rows = parse_output(
        platform="mikrotik_routeros",
        command="/interface print terse without-paging",
        data=send_text(core1, "/interface print terse without-paging"),
    )
    assert [r["name"] for r in rows] == ["ether1", "ether2", "ether3", "ether4"]
    assert all(r["status"] == "R" for r in rows)
    assert rows[0]["comment"] == '"uplink isp-a"'


def test_counters_move_between_two_reads(core1: object) -> None:
    def read() -> dict[str, dict[str, str]]:
        table = parse_stats_table(send_text(core1, "/interface print stats"))
        return {r.props["name"]: r.props for r in table}

    first = read()
    second = wait_until(
        read,
        lambda now: all(
            int(now[n]["rx-byte"]) > int(first[n]["rx-byte"]) for n in ("ether1", "ether2")
        ),
    )
    for name in ("ether1", "ether2"):
        assert int(second[name]["rx-byte"]) > int(first[name]["rx-byte"])
        assert int(second[name]["tx-packet"]) >= int(first[name]["tx-packet"])


def test_neighbours_match_the_inventory_links(core1: object) -> None:
    rows = parse_output(
        platform="mikrotik_routeros",
        command="/ip neighbor print detail",
        data=send_text(core1, "/ip neighbor print detail"),
    )
    seen = {(r["interface"], r["identity"], r["interface_name"]) for r in rows}
    assert seen == {
        ("ether2", "dist1", "GigabitEthernet1/0/1"),
        ("ether3", "ptp-utara", "wlan1"),
    }


def test_queue_change_round_trips_into_export_and_print(core1: object, mini_lab: Lab) -> None:
    add = (
        "/queue simple add name=rsud target=10.10.2.0/24 max-limit=80M/180M "
        'limit-at=30M/60M priority=1/1 comment="netops: RSUD"'
    )
    assert send_text(core1, add) == ""
    assert send_text(core1, '/queue simple set [find where name="rsud"] max-limit=90M/200M') == ""
    export = send_text(core1, "/export terse")
    assert (
        '/queue simple add comment="netops: RSUD" limit-at=30M/60M max-limit=90M/200M '
        "name=rsud priority=1/1 target=10.10.2.0/24"
    ) in export.splitlines()
    (record,) = parse_records(send_text(core1, "/queue simple print stats where name=rsud"))
    assert record.props["target"] == "10.10.2.0/24"
    caps = [c for c in mini_lab.runtime("core1").personality.shaping_caps() if c.name == "rsud"]
    assert {(c.direction, c.max_bps) for c in caps} == {("up", 90e6), ("down", 200e6)}
    assert send_text(core1, "/queue simple add name=rsud target=10.10.2.0/24") == (
        "failure: already have such name"
    )


def test_unknown_command_gets_a_routeros_error(core1: object) -> None:
    assert (
        send_text(core1, "/ip frobnicate print") == "bad command name frobnicate (line 1 column 5)"
    )


def test_link_down_fault_shows_in_interfaces_and_neighbours(core1: object, mini_lab: Lab) -> None:
    mini_lab.fault("core1", "link-down", interface="ether3")
    rows = {
        r.props["name"]: r for r in parse_stats_table(send_text(core1, "/interface print stats"))
    }
    assert rows["ether3"].flags == frozenset()
    assert rows["ether2"].flags == {"R"}
    assert "ptp-utara" not in send_text(core1, "/ip neighbor print detail")


def test_reboot_resets_uptime_and_counters(mini_lab: Lab, lab_password: str) -> None:
    def connect() -> object:
        return netmiko_to(mini_lab, "core1", lab_password)

    conn = connect()
    before = parse_stats_table(send_text(conn, "/interface print stats"))[0].props
    conn.disconnect()  # type: ignore[attr-defined]
    mini_lab.fault("core1", "reboot")
    conn = connect()
    try:
        after = parse_stats_table(send_text(conn, "/interface print stats"))[0].props
        (resource,) = parse_output(
            platform="mikrotik_routeros",
            command="/system resource print",
            data=send_text(conn, "/system resource print"),
        )
    finally:
        conn.disconnect()  # type: ignore[attr-defined]
    assert int(after["rx-byte"]) < int(before["rx-byte"])
    assert resource["uptime_weeks"] == "" and resource["uptime_days"] == ""


def _rate_bps(text: str) -> float:
    units = {"bps": 1.0, "kbps": 1e3, "Mbps": 1e6, "Gbps": 1e9}
    for suffix, mult in sorted(units.items(), key=lambda kv: -len(kv[0])):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * mult
    raise ValueError(text)


def test_pushing_a_queue_caps_the_measured_rate(core1: object, mini_lab: Lab) -> None:
    state = mini_lab.state("core1")
    unshaped_bps = state.subnet_rate_bps("10.10.2.0/24", "down")
    assert unshaped_bps > 200_000  # the hospital always moves more than 200 kbit/s
    assert (
        send_text(
            core1, "/queue simple add name=rsud-tight target=10.10.2.0/24 max-limit=100k/200k"
        )
        == ""
    )
    (record,) = parse_records(send_text(core1, "/queue simple print stats where name=rsud-tight"))
    up, down = (_rate_bps(x) for x in record.props["rate"].split("/"))
    assert down <= 200_000 < unshaped_bps
    assert up <= 100_000
    assert send_text(core1, "/queue simple remove [find name=rsud-tight]") == ""
    assert state.subnet_rate_bps("10.10.2.0/24", "down") > 200_000
