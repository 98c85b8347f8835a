"""MikroTik queue tree + mangle mode against the lab RouterOS over real SSH (netmiko client)."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from netops.bandwidth.enforce import apply_target
from netops.bandwidth.service import apply_device, check_drift, diff_device
from netops.storage.bandwidth_tables import BandwidthPush

from .labkit import (
    AT,
    PEAK_S,
    ShaperLab,
    lowered,
    ros_mangle,
    ros_queues,
    ros_tree,
    tree_shaper,
    with_shapers,
)

pytestmark = [pytest.mark.lab]


def test_tree_mode_apply_reads_back_in_sync_and_caps_the_lab_at_the_leaf_max_limit(
    shaper_lab: ShaperLab, engine: Any
) -> None:
    lab = shaper_lab.lab
    before = lab.traffic.agency_rates(PEAK_S)["rsud"][0]
    assert before > 40e6  # unshaped, rsud wants most of its 180 Mbit/s at 10:30 WITA
    ctx = shaper_lab.context(lowered(tree_shaper(shaper_lab.inventory), "rsud", 25), engine)
    try:
        dry = apply_device(ctx, "core1", at=AT, actor="tester")
        assert dry.result == "dry-run" and ros_tree(lab, "core1") == {}
        res = apply_device(ctx, "core1", dry_run=False, at=AT, actor="tester")
        assert res.result == "applied", res.error
        assert diff_device(ctx, "core1", AT).in_sync
        assert apply_device(ctx, "core1", dry_run=False, at=AT).result == "no-change"
    finally:
        ctx.close()
    tree = ros_tree(lab, "core1")
    assert tree["nx-a-rsud-down"]["max-limit"] == "25M"
    assert tree["nx-a-rsud-down"]["packet-mark"] == "nx-a-rsud-down"
    assert tree["nx-a-rsud-down"]["parent"] == "nx-g-opd-down"
    assert (
        tree["nx-uplink-down"]["parent"] == "ether2" and tree["nx-uplink-up"]["parent"] == "ether1"
    )
    marks = [
        (r["action"], r.get("new-packet-mark", ""), r["dst-address"], r["passthrough"])
        for r in ros_mangle(lab, "core1")
        if r.get("connection-mark") == "nx-a-rsud"
    ]
    assert ("mark-packet", "nx-a-rsud-down", "10.10.2.0/24", "no") in marks
    assert ros_queues(lab, "core1") == {}  # no simple queue: the tree alone shapes
    after = lab.traffic.agency_rates(PEAK_S)["rsud"][0]
    assert 20e6 < after <= 25e6 * 1.001
    with Session(engine) as s:
        rows = list(s.scalars(select(BandwidthPush).order_by(BandwidthPush.id)))
    assert [r.result for r in rows] == ["dry-run", "applied", "no-change"]
    assert "+ m:rsud down marks subnets 10.10.2.0/24" in rows[1].diff_text


def test_switching_a_shaper_from_simple_to_tree_removes_the_simple_queues(
    shaper_lab: ShaperLab,
) -> None:
    lab, mini = shaper_lab.lab, shaper_lab.inventory
    with shaper_lab.applied(with_shapers(mini, "core1"), "core1") as ctx:
        assert len(ros_queues(lab, "core1")) == 6
        ctx.inventory = tree_shaper(mini)
        res = apply_device(ctx, "core1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert diff_device(ctx, "core1", AT).in_sync
    assert ros_queues(lab, "core1") == {}
    assert len(ros_tree(lab, "core1")) == 12 and len(ros_mangle(lab, "core1")) == 3 * 4
    removes = [c for c in res.commands if c.startswith("/queue simple remove")]
    assert len(removes) == 6 and '[find where name="nx-a-' in removes[0]
    assert removes[-1] == '/queue simple remove [find where name="nx-uplink"]'


def test_switching_back_from_tree_to_simple_removes_the_tree_and_its_marks(
    shaper_lab: ShaperLab,
) -> None:
    lab, mini = shaper_lab.lab, shaper_lab.inventory
    shaper_lab.edit("core1", "/queue tree add name=tamu parent=ether2 max-limit=1M")
    with shaper_lab.applied(tree_shaper(mini), "core1") as ctx:
        ctx.inventory = with_shapers(mini, "core1")
        dry = apply_device(ctx, "core1", at=AT)
        res = apply_device(ctx, "core1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert diff_device(ctx, "core1", AT).in_sync
    assert set(ros_tree(lab, "core1")) == {"tamu"}  # the foreign queue stays
    assert ros_mangle(lab, "core1") == [] and len(ros_queues(lab, "core1")) == 6
    leftovers = [c for c in dry.diff.changes if c.entry.key.startswith("tree:")]
    assert {c.op for c in leftovers} == {"remove"} and len(leftovers) == 12 + 6
    assert res.commands[0] == '/queue tree remove [find where name="nx-a-diskominfo-down"]'


def test_tree_mode_drift_after_hand_edits_names_queues_and_marks(
    shaper_lab: ShaperLab, engine: Any
) -> None:
    lab = shaper_lab.lab
    with shaper_lab.applied(tree_shaper(shaper_lab.inventory), "core1", engine) as ctx:
        shaper_lab.edit(
            "core1",
            '/queue tree set [find name="nx-a-rsud-down"] max-limit=20M',
            '/ip firewall mangle remove [find where new-packet-mark="nx-a-kec-utara-up"]',
            "/queue tree add name=tamu parent=ether2 max-limit=1M",
        )
        [report] = check_drift(ctx, AT)
        # apply repairs exactly what drifted and leaves the foreign queue alone
        res = apply_device(ctx, "core1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert diff_device(ctx, "core1", AT).actionable == ()
    assert report.drifted and report.diff is not None
    lines = [c.text() for c in report.diff.changes]
    assert lines == [
        "~ a:rsud down: ceil_bps 20M -> 180M",
        "~ m:kec-utara up: subnets - -> 10.20.1.0/24",
        "- x:tamu down rate 0M ceil 1M prio 8 parent if:ether2 (not created by netops; left alone)",
    ]
    assert ros_tree(lab, "core1")["tamu"]["max-limit"] == "1M"
    assert ros_tree(lab, "core1")["nx-a-rsud-down"]["max-limit"] == "180M"
    assert len([c for c in res.commands if "kec-utara" in c]) == 2 + 4


def test_tree_mode_refusal_mid_apply_rolls_back_queues_and_marks(shaper_lab: ShaperLab) -> None:
    lab = shaper_lab.lab
    with shaper_lab.applied(tree_shaper(shaper_lab.inventory), "core1") as ctx:
        # The new agency's download queue asks for a priority RouterOS refuses (9, outside
        # 1..8): refused after its mangle rules and rsud's change were already accepted.
        tree_before, mangle_before = ros_tree(lab, "core1"), ros_mangle(lab, "core1")
        plan_b = ctx.target("core1", AT)
        net = (ipaddress.IPv4Network("10.99.0.0/24"),)
        extra = tuple(
            replace(
                e,
                key=e.key.replace("kec-utara", "dinas-baru"),
                label="Dinas Baru",
                prio=9 if e.key.startswith("a:") and e.direction == "down" else e.prio,
            )
            if not e.key.startswith("m:")
            else replace(e, key="m:dinas-baru", subnets=net, label="Dinas Baru")
            for e in plan_b.entries
            if "kec-utara" in e.key
        )
        changed = (
            tuple(
                replace(e, ceil_bps=100_000_000) if e.key == "a:rsud" else e for e in plan_b.entries
            )
            + extra
        )
        result = apply_target(ctx.io("core1"), replace(plan_b, entries=changed), dry_run=False)
        sent = ctx.io("core1").sent_log
    assert result.result == "rolled-back", result
    assert "out of range (1..8)" in (result.error or "")
    assert any("dinas-baru" in c and "mangle add" in c for c in sent)  # it got that far
    assert any("dinas-baru" in c and "mangle remove" in c for c in result.rollback_commands)
    assert ros_tree(lab, "core1") == tree_before
    assert ros_mangle(lab, "core1") == mangle_before
