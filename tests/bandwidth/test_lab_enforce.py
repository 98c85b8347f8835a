"""Enforcement against the device lab over real SSH (netmiko on the client, lab simulators)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from netops.bandwidth.enforce import apply_target
from netops.bandwidth.service import apply_device, check_drift, diff_device
from netops.storage.bandwidth_tables import BandwidthPush, DriftReport

from .labkit import AT, PEAK_S, ShaperLab, edited, lowered, ros_queues, with_shapers

pytestmark = [pytest.mark.lab]


def test_mikrotik_dry_run_changes_nothing_then_apply_reads_back_in_sync(
    shaper_lab: ShaperLab, engine: Any
) -> None:
    lab = shaper_lab.lab
    ctx = shaper_lab.context(with_shapers(shaper_lab.inventory, "core1"), engine)
    try:
        dry = apply_device(ctx, "core1", at=AT, actor="tester")
        assert dry.result == "dry-run" and len(dry.diff.actionable) == 12
        assert ros_queues(lab, "core1") == {}
        res = apply_device(ctx, "core1", dry_run=False, at=AT, actor="tester")
        assert res.result == "applied", res.error
        assert diff_device(ctx, "core1", AT).in_sync
    finally:
        ctx.close()
    q = ros_queues(lab, "core1")
    assert q["nx-a-rsud"]["max-limit"] == "80M/180M"
    assert q["nx-a-rsud"]["parent"] == "nx-g-opd"
    with Session(engine) as s:
        rows = list(s.scalars(select(BandwidthPush).order_by(BandwidthPush.id)))
    assert [(r.result, r.dry_run, r.actor) for r in rows] == [
        ("dry-run", True, "tester"),
        ("applied", False, "tester"),
    ]
    assert "+ a:rsud down rate 60M ceil 180M" in rows[1].diff_text


def test_lab_rates_follow_the_new_limit_after_apply(shaper_lab: ShaperLab) -> None:
    lab = shaper_lab.lab
    before = lab.traffic.agency_rates(PEAK_S)["rsud"][0]
    assert before > 40e6  # unshaped, rsud wants most of its 180 Mbit/s at 10:30 WITA
    shaper_lab.apply(lowered(with_shapers(shaper_lab.inventory, "core1"), "rsud", 25), "core1")
    after = lab.traffic.agency_rates(PEAK_S)["rsud"][0]
    assert after <= 25e6 * 1.001
    assert after > 20e6  # it still gets its limit, not less


def test_cisco_apply_reads_back_and_shapes_the_lab(shaper_lab: ShaperLab) -> None:
    lab = shaper_lab.lab
    inv = lowered(with_shapers(shaper_lab.inventory, "dist1"), "rsud", 30)
    with shaper_lab.applied(inv, "dist1") as ctx:
        assert diff_device(ctx, "dist1", AT).in_sync
    assert lab.traffic.agency_rates(PEAK_S)["rsud"][0] <= 30e6 * 1.001
    cfg = lab.runtime("dist1").personality.config
    assert cfg.service_policies["GigabitEthernet1/0/2"]["output"] == "NX-DOWN"
    assert set(cfg.policy_maps["NX-UP"]) == {"NX-diskominfo-UP", "NX-rsud-UP", "NX-kec-utara-UP"}


def test_mikrotik_refusal_mid_apply_rolls_back_to_the_previous_queues(
    shaper_lab: ShaperLab, engine: Any
) -> None:
    lab = shaper_lab.lab
    with shaper_lab.applied(with_shapers(shaper_lab.inventory, "core1"), "core1", engine) as ctx:
        # The second new agency asks for a priority RouterOS refuses (9, outside 1..8), after the
        # first one was added.
        previous = ros_queues(lab, "core1")
        plan_b = ctx.target("core1", AT)
        new = [e for e in plan_b.entries if e.key == "a:kec-utara"]
        extra = []
        for code, net in (("dinas-aaa", "10.98.0.0/24"), ("dinas-baru", "10.99.0.0/24")):
            import ipaddress

            extra += [
                replace(
                    e,
                    key=f"a:{code}",
                    subnets=(ipaddress.IPv4Network(net),),
                    label=code,
                    prio=9 if code == "dinas-baru" else e.prio,
                )
                for e in new
            ]
        changed = tuple(
            replace(e, ceil_bps=100_000_000) if e.key == "a:rsud" else e for e in plan_b.entries
        ) + tuple(extra)
        result = apply_target(ctx.io("core1"), replace(plan_b, entries=changed), dry_run=False)
    assert result.result == "rolled-back", result
    assert "out of range (1..8)" in (result.error or "")
    assert result.sent == 0 and any("nx-a-dinas-aaa" in c for c in result.rollback_commands)
    assert ros_queues(lab, "core1") == previous  # exactly the queues from before the push


def test_cisco_refusal_mid_apply_rolls_back(shaper_lab: ShaperLab) -> None:
    lab = shaper_lab.lab
    with shaper_lab.applied(with_shapers(shaper_lab.inventory, "dist1"), "dist1") as ctx:
        target = ctx.target("dist1", AT)
        # diskominfo's ceil changes first (accepted), then rsud asks for a guarantee IOS refuses
        # (bandwidth above 10,000,000 kbit/s).
        bad = edited(
            target,
            {
                ("a:diskominfo", "down"): {"ceil_bps": 90_000_000},
                ("a:rsud", "down"): {"rate_bps": 15_000_000_000},
            },
        )
        result = apply_target(ctx.io("dist1"), bad, dry_run=False)
        assert result.result == "rolled-back", result
        assert "refused" in (result.error or "")
        assert diff_device(ctx, "dist1", AT).in_sync  # back to the plan applied before
    pc = lab.runtime("dist1").personality.config.policy_maps["NX-DOWN"]["NX-diskominfo-DOWN"]
    assert pc.shape_average_bps == 150_000_000


def test_drift_report_after_hand_edit_on_the_router(shaper_lab: ShaperLab, engine: Any) -> None:
    with shaper_lab.applied(with_shapers(shaper_lab.inventory, "core1"), "core1", engine) as ctx:
        shaper_lab.edit(
            "core1",
            '/queue simple set [find name="nx-a-rsud"] max-limit=10M/20M',
            '/queue simple remove [find name="nx-a-kec-utara"]',
            "/queue simple add name=tamu target=10.99.9.0/24 max-limit=1M/1M",
        )
        [report] = check_drift(ctx, AT)
    assert report.drifted and report.diff is not None
    lines = [c.text() for c in report.diff.changes]
    assert "~ a:rsud down: ceil_bps 20M -> 180M" in lines
    assert "~ a:rsud up: ceil_bps 10M -> 80M" in lines
    assert any(t.startswith("+ a:kec-utara down") for t in lines)
    assert any(t.startswith("- x:tamu down") and "not created by netops" in t for t in lines)
    with Session(engine) as s:
        row = s.scalars(select(DriftReport)).one()
    assert (row.in_sync, row.missing, row.differing, row.extra) == (False, 2, 2, 2)


def test_linux_tc_apply_reads_back_and_shapes_the_lab(shaper_lab: ShaperLab) -> None:
    lab = shaper_lab.lab
    inv = lowered(with_shapers(shaper_lab.inventory, "rsud-gw"), "rsud", 35)
    ctx = shaper_lab.context(inv)
    try:
        assert apply_device(ctx, "rsud-gw", at=AT).result == "dry-run"
        res = apply_device(ctx, "rsud-gw", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert res.commands[0] == "tc qdisc replace dev eth1 root handle 1: htb r2q 10"
        assert diff_device(ctx, "rsud-gw", AT).in_sync
        # a second push finds nothing to do
        assert apply_device(ctx, "rsud-gw", dry_run=False, at=AT).result == "no-change"
        # a changed plan rebuilds the download tree: delete, then build again
        inv2 = lowered(inv, "rsud", 45)
        ctx.inventory = inv2
        res2 = apply_device(ctx, "rsud-gw", dry_run=False, at=AT)
        assert res2.result == "applied" and res2.commands[0] == "tc qdisc del dev eth1 root"
    finally:
        ctx.close()
    assert 40e6 < lab.traffic.agency_rates(PEAK_S)["rsud"][0] <= 45e6 * 1.001


def test_linux_tc_refusal_mid_apply_restores_and_verifies_the_previous_classes(
    shaper_lab: ShaperLab,
) -> None:
    lab = shaper_lab.lab
    inv = lowered(with_shapers(shaper_lab.inventory, "rsud-gw"), "rsud", 35)
    with shaper_lab.applied(inv, "rsud-gw") as ctx:
        io = ctx.io("rsud-gw")
        shown = ("tc class show dev eth1", "tc filter show dev eth1", "tc class show dev eth0")
        before = {cmd: io.show(cmd) for cmd in shown}
        target = ctx.target("rsud-gw", AT)
        # rsud's maximum rises (accepted), then kec-utara asks for a priority HTB refuses
        # (prio 9 -> tc "prio 8", outside 0..7): the download tree is half rebuilt by then.
        bad = edited(
            target,
            {("a:rsud", "down"): {"ceil_bps": 90_000_000}, ("a:kec-utara", "down"): {"prio": 9}},
        )
        io.sent_log.clear()
        result = apply_target(io, bad, dry_run=False)
        sent = list(io.sent_log)
        after = {cmd: io.show(cmd) for cmd in shown}
        in_sync = diff_device(ctx, "rsud-gw", AT).in_sync
    assert result.result == "rolled-back", result
    assert "prio must be 0..7" in (result.error or "")
    refused = sent.index(next(c for c in sent if c.endswith(" prio 8")))
    assert sent[0] == "tc qdisc del dev eth1 root"
    assert any("ceil 90mbit" in c for c in sent[:refused])  # rsud's new class went in
    # after the refusal only the rollback went out: rebuild eth1 as it was
    assert sent[refused + 1 :] == list(result.rollback_commands)
    assert result.rollback_commands[0] == "tc qdisc del dev eth1 root"
    assert after == before and in_sync  # the classes and filters from before, verified
    assert 30e6 < lab.traffic.agency_rates(PEAK_S)["rsud"][0] <= 35e6 * 1.001
