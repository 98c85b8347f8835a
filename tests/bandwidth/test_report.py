"""Planner-readable diff text: a summary line, then one line per queue with both directions."""

from __future__ import annotations

import ipaddress
from dataclasses import replace

from netops.bandwidth.diff import QueueDiff, diff_entries
from netops.bandwidth.entries import QueueEntry, plan_entries, tree_mode_entries
from netops.bandwidth.plan import BandwidthPlan
from netops.bandwidth.report import diff_lines, diff_summary, table


def test_empty_router_reads_as_one_summary_and_one_line_per_queue(
    mini_plan: BandwidthPlan,
) -> None:
    desired = plan_entries(mini_plan)
    d = diff_entries("core1", desired, [])
    assert diff_summary(d) == (
        "core1: 12 changes: add uplink, 2 groups (opd, kecamatan), "
        "3 agencies (diskominfo, rsud, kec-utara)"
    )
    assert diff_lines(d) == [
        "+ uplink: down 200/200, up 100/100 Mbps",
        "+ group opd: down 120/200, up 60/100 Mbps, in uplink",
        "+ group kecamatan: down 40/100, up 20/50 Mbps, in uplink",
        "+ agency diskominfo: down 50/150, up 20/60 Mbps, prio 2, in opd, subnets 10.10.1.0/24",
        "+ agency rsud: down 60/180, up 30/80 Mbps, prio 1, in opd, subnets 10.10.2.0/24",
        "+ agency kec-utara: down 20/60, up 10/30 Mbps, prio 4, in kecamatan, subnets 10.20.1.0/24",
    ]


def test_changes_removals_and_foreign_queues_are_named_in_words(mini_plan: BandwidthPlan) -> None:
    desired = plan_entries(mini_plan)
    actual = [
        replace(e, ceil_bps=20_000_000, prio=3)
        if e.key == "a:rsud" and e.direction == "down"
        else e
        for e in desired
        if e.key != "a:kec-utara"
    ]
    gone = QueueEntry(
        "a:lama", "down", (ipaddress.IPv4Network("10.9.0.0/24"),), 1_000_000, 2_000_000
    )
    tamu = QueueEntry("x:tamu", "down", (), 0, 1_000_000, 8, managed=False)
    d = diff_entries("core1", desired, [*actual, gone, tamu])
    assert diff_summary(d) == (
        "core1: 4 changes: add agency kec-utara; change agency rsud; remove agency lama; "
        "leave alone (not created by netops) queue tamu"
    )
    lines = diff_lines(d)
    assert "~ agency rsud: down maximum 20 -> 180 Mbps; prio 3 -> 1" in lines
    assert "- agency lama: down 1/2 Mbps, subnets 10.9.0.0/24" in lines
    assert "- queue tamu (not created by netops; left alone): down 0/1 Mbps" in lines
    assert diff_summary(QueueDiff("core1")) == "core1: in sync with the plan"


def test_tree_mode_marks_read_as_subnets(mini_plan: BandwidthPlan) -> None:
    desired = tree_mode_entries(plan_entries(mini_plan))
    have = [e for e in desired if not (e.key == "m:rsud" and e.direction == "up")]
    have.append(replace(next(e for e in desired if e.key == "m:rsud"), direction="up", subnets=()))
    d = diff_entries("core1", desired, have)
    assert diff_lines(d) == ["~ marks rsud: up subnets none -> 10.10.2.0/24"]
    assert diff_summary(d) == "core1: 1 change: change marks rsud"


def test_table_pads_columns_and_strips_trailing_space() -> None:
    assert table(["a", "long header"], [["xyz", "1"], ["q", ""]]) == [
        "a    long header",
        "xyz  1",
        "q",
    ]
