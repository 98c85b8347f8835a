"""Renderers and read-back parsers: real device output in golden files, round trips, diffs."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.parsers.tc import tc_rate_bps
from netops.bandwidth import cisco, linux_tc, mikrotik
from netops.bandwidth.diff import diff_entries
from netops.bandwidth.entries import ShaperTarget, plan_entries
from netops.bandwidth.plan import BandwidthPlan
from netops.inventory.schema import Platform

GOLDEN = Path(__file__).parent / "golden"


def _target(plan: BandwidthPlan, platform: Platform, lan: str, wan: str) -> ShaperTarget:
    from netops.bandwidth.entries import flat_agency_entries

    entries = plan_entries(plan)
    if platform == Platform.CISCO_IOS:
        entries = flat_agency_entries(entries)
    return ShaperTarget("dev", platform, lan, wan, tuple(entries))


# ---- Linux tc: output captured from iproute2 6.1 on this kernel (see golden/SOURCE.md) ------


def _tc_entries(folder: str, target: ShaperTarget, direction: str = "down") -> list:
    iface = "veth-lan" if direction == "down" else "veth-wan"
    base = GOLDEN / "linux" / folder
    return linux_tc.parse_interface(
        (base / f"tc_class_show_dev_{iface}.txt").read_text(),
        (base / f"tc_filter_show_dev_{iface}.txt").read_text(),
        target,
        direction,  # type: ignore[arg-type]
    )


def test_real_tc_output_of_the_rendered_plan_reads_back_in_sync(mini_plan: BandwidthPlan) -> None:
    target = _target(mini_plan, Platform.LINUX, "veth-lan", "veth-wan")
    actual = _tc_entries("mini", target, "down") + _tc_entries("mini", target, "up")
    diff = diff_entries("rsud-gw", target.entries, actual)
    assert diff.in_sync, diff.text()
    leaf = {e.key: e for e in actual if e.direction == "down"}["a:rsud"]
    assert (leaf.rate_bps, leaf.ceil_bps, leaf.prio, leaf.parent) == (
        60_000_000,
        180_000_000,
        1,
        "g:opd",
    )
    assert [str(s) for s in leaf.subnets] == ["10.10.2.0/24"]


def test_hand_edited_tc_class_shows_as_changed_and_foreign(mini_plan: BandwidthPlan) -> None:
    target = _target(mini_plan, Platform.LINUX, "veth-lan", "veth-wan")
    actual = _tc_entries("hand-edited", target, "down")
    diff = diff_entries("rsud-gw", [e for e in target.entries if e.direction == "down"], actual)
    texts = [c.text() for c in diff.changes]
    assert "~ a:rsud down: ceil_bps 90M -> 180M" in texts
    assert any(t.startswith("- x:1:abc down rate 1M ceil 5M") for t in texts)
    assert diff.counts() == {"add": 0, "change": 1, "remove": 0, "foreign": 1}


def test_tc_rates_parse_in_every_unit_tc_prints() -> None:
    assert tc_rate_bps("150Mbit") == 150_000_000
    assert tc_rate_bps("1500Kbit") == 1_500_000
    assert tc_rate_bps("64bit") == 64
    assert tc_rate_bps("1Gbit") == 1_000_000_000
    assert tc_rate_bps("10Mbps") == 80_000_000  # tc's "bps" is bytes per second
    with pytest.raises(ValueError):
        tc_rate_bps("fast")


def test_tc_render_changes_rebuilds_only_the_direction_that_differs(
    mini_plan: BandwidthPlan,
) -> None:
    target = _target(mini_plan, Platform.LINUX, "veth-lan", "veth-wan")
    actual = _tc_entries("hand-edited", target, "down") + _tc_entries("mini", target, "up")
    cmds = linux_tc.render_changes(target, diff_entries("d", target.entries, actual))
    assert cmds[0] == "tc qdisc del dev veth-lan root"
    assert all("veth-wan" not in c for c in cmds)
    assert (
        "tc filter add dev veth-lan parent 1: protocol ip prio 1 u32 match ip dst "
        "10.10.2.0/24 flowid 1:1001" in cmds
    )


# ---- MikroTik -------------------------------------------------------------------------------


def test_real_routeros_export_yields_its_enabled_simple_queues_as_foreign() -> None:
    text = (GOLDEN / "mikrotik" / "real-export-7.13" / "export.rsc").read_text()
    rows = mikrotik.parse_export(text)
    assert [r["name"] for r in rows] == [
        "queue1-VLAN1000",
        "queue2-VLAN2000",
        "queue3-VLAN3000",
        "queue4-VLAN1000-PerUser",
    ]
    entries = mikrotik.parse_queues(text)
    # the disabled per-user queue shapes nothing; 3 queues x 2 directions remain
    assert len(entries) == 6 and not any(e.managed for e in entries)
    q2 = [e for e in entries if e.device_name == "queue2-VLAN2000" and e.direction == "down"][0]
    assert (q2.rate_bps, q2.ceil_bps) == (150_000_000, 150_000_000)


def test_routeros_render_then_parse_round_trips_in_sync(mini_plan: BandwidthPlan) -> None:
    target = _target(mini_plan, Platform.MIKROTIK_ROUTEROS, "ether2", "ether1")
    export = "\n".join(mikrotik.render_full(target)).replace("/queue simple add ", "add ")
    actual = mikrotik.parse_queues("/queue simple\n" + export)
    assert diff_entries("core1", target.entries, actual).in_sync
    labels = {e.key: e.label for e in actual}
    assert labels["a:rsud"] == "netops: RSUD Kabupaten Contoh"


def test_routeros_render_of_mini_plan_is_the_expected_command(mini_plan: BandwidthPlan) -> None:
    target = _target(mini_plan, Platform.MIKROTIK_ROUTEROS, "ether2", "ether1")
    cmds = mikrotik.render_full(target)
    assert cmds[0].startswith('/queue simple add name="nx-uplink" target="10.10.1.0/24,')
    assert cmds[-1] == (
        '/queue simple add name="nx-a-kec-utara" target="10.20.1.0/24" max-limit=30M/60M '
        'limit-at=10M/20M priority=4/4 parent="nx-g-kecamatan" comment="netops: Kecamatan Utara"'
    )


def test_routeros_changes_remove_children_first_then_add_then_set(
    mini_plan: BandwidthPlan,
) -> None:
    target = _target(mini_plan, Platform.MIKROTIK_ROUTEROS, "ether2", "ether1")
    current = [e for e in target.entries if e.key != "a:kec-utara"]
    from dataclasses import replace

    current = [replace(e, ceil_bps=1_000_000) if e.key == "a:rsud" else e for e in current]
    current.append(replace(target.entries[-1], key="a:old", device_name="nx-a-old"))
    cmds = mikrotik.render_changes(target, diff_entries("core1", target.entries, current))
    assert cmds[0] == '/queue simple remove [find where name="nx-a-old"]'
    assert cmds[1].startswith('/queue simple add name="nx-a-kec-utara"')
    assert cmds[2].startswith('/queue simple set [find where name="nx-a-rsud"] ')
    assert len(cmds) == 3


# ---- Cisco ----------------------------------------------------------------------------------


def test_cisco_render_then_parse_round_trips_in_sync(mini_plan: BandwidthPlan) -> None:
    target = _target(mini_plan, Platform.CISCO_IOS, "GigabitEthernet1/0/2", "GigabitEthernet1/0/1")
    lines = cisco.render_full(target)
    # What IOS shows: the same blocks, without our "no ..." housekeeping lines.
    running = "\n".join(ln for ln in lines if not ln.startswith("no ")) + "\n"
    actual = cisco.parse_queues(running, target)
    diff = diff_entries("dist1", target.entries, actual)
    assert diff.in_sync, diff.text()
    assert " permit ip any 10.10.2.0 0.0.0.255" in lines
    assert " permit ip 10.10.2.0 0.0.0.255 any" in lines
    assert "  shape average 180000000" in lines and "  bandwidth 60000" in lines


def test_cisco_parse_ignores_policies_not_attached_to_the_shaper_interfaces(
    mini_plan: BandwidthPlan,
) -> None:
    target = _target(mini_plan, Platform.CISCO_IOS, "Gi1/0/2", "Gi1/0/1")
    running = "\n".join(ln for ln in cisco.render_full(target) if not ln.startswith("no "))
    running = running.replace("interface Gi1/0/1", "interface Gi1/0/9")
    actual = cisco.parse_queues(running, target)
    assert {e.direction for e in actual} == {"down"}
