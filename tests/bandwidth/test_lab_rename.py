"""A renamed agency reaches the router: the diff reports the rename and apply updates the queue
comment (real SSH, netmiko, the lab's RouterOS in simple and tree mode)."""

from __future__ import annotations

import pytest

from netops.bandwidth.report import diff_lines
from netops.bandwidth.service import apply_device, diff_device
from netops.inventory.schema import Inventory

from .labkit import AT, ShaperLab, ros_mangle, ros_queues, ros_tree, tree_shaper, with_shapers

pytestmark = [pytest.mark.lab]

NEW_NAME = "RSUD Dr. Soedjono (baru)"


def renamed(inv: Inventory, code: str, name: str) -> Inventory:
    agencies = tuple(
        a.model_copy(update={"name": name}) if a.code == code else a for a in inv.agencies
    )
    return inv.model_copy(update={"agencies": agencies})


def test_a_renamed_agency_is_in_the_diff_and_its_simple_queue_comment_is_updated(
    shaper_lab: ShaperLab,
) -> None:
    inv = with_shapers(shaper_lab.inventory, "core1")
    with shaper_lab.applied(inv, "core1") as ctx:
        ctx.inventory = renamed(inv, "rsud", NEW_NAME)
        diff = diff_device(ctx, "core1", AT)
        assert [c.entry.key for c in diff.actionable] == ["a:rsud", "a:rsud"]
        assert any("name" in line and NEW_NAME in line for line in diff_lines(diff))
        res = apply_device(ctx, "core1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert diff_device(ctx, "core1", AT).in_sync
    assert ros_queues(shaper_lab.lab, "core1")["nx-a-rsud"]["comment"] == f"netops: {NEW_NAME}"


def test_a_renamed_agency_updates_its_tree_queues_and_mangle_comments(
    shaper_lab: ShaperLab,
) -> None:
    inv = tree_shaper(shaper_lab.inventory)
    with shaper_lab.applied(inv, "core1") as ctx:
        ctx.inventory = renamed(inv, "rsud", NEW_NAME)
        assert {c.entry.key for c in diff_device(ctx, "core1", AT).actionable} == {
            "a:rsud",
            "m:rsud",
        }
        res = apply_device(ctx, "core1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert diff_device(ctx, "core1", AT).in_sync
    lab = shaper_lab.lab
    assert ros_tree(lab, "core1")["nx-a-rsud-down"]["comment"] == f"netops: {NEW_NAME}"
    rsud_rules = [r for r in ros_mangle(lab, "core1") if "nx-a-rsud" in str(r.values())]
    assert rsud_rules and {r["comment"] for r in rsud_rules} == {f"netops: {NEW_NAME}"}
