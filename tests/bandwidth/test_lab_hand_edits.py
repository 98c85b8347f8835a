"""A hand edit on the router never blocks the plan: the next apply repairs it (real SSH, netmiko
on the client, the lab's simulators), on every platform."""

from __future__ import annotations

import pytest

from netops.bandwidth.service import apply_device, diff_device
from tests.helpers import netmiko_to

from .labkit import AT, ShaperLab, ros_mangle, ros_queues, ros_tree, tree_shaper, with_shapers

pytestmark = [pytest.mark.lab]


def test_disabled_and_hand_edited_simple_queues_are_repaired_by_the_next_apply(
    shaper_lab: ShaperLab,
) -> None:
    lab = shaper_lab.lab
    with shaper_lab.applied(with_shapers(shaper_lab.inventory, "core1"), "core1") as ctx:
        wanted = ros_queues(lab, "core1")
        shaper_lab.edit(
            "core1",
            '/queue simple disable [find name="nx-a-rsud"]',
            '/queue simple set [find name="nx-a-kec-utara"] max-limit=1M/2M',
        )
        diff = diff_device(ctx, "core1", AT)
        lines = [c.text() for c in diff.changes]
        assert "~ a:rsud down: disabled yes -> no" in lines
        res = apply_device(ctx, "core1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert not any("add" in c for c in res.commands)  # set, never a second queue
        assert diff_device(ctx, "core1", AT).in_sync
    assert ros_queues(lab, "core1") == wanted


def test_disabled_and_hand_edited_tree_queues_and_marks_are_repaired(
    shaper_lab: ShaperLab,
) -> None:
    lab = shaper_lab.lab
    with shaper_lab.applied(tree_shaper(shaper_lab.inventory), "core1") as ctx:
        tree, mangle = ros_tree(lab, "core1"), ros_mangle(lab, "core1")
        shaper_lab.edit(
            "core1",
            '/queue tree disable [find name="nx-a-rsud-down"]',
            '/queue tree set [find name="nx-a-kec-utara-up"] max-limit=1M',
            '/ip firewall mangle disable [find new-packet-mark="nx-a-rsud-up"]',
        )
        assert not diff_device(ctx, "core1", AT).in_sync
        res = apply_device(ctx, "core1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert not any(c.startswith("/queue tree add") for c in res.commands)
        assert diff_device(ctx, "core1", AT).in_sync
    assert ros_tree(lab, "core1") == tree
    assert {tuple(sorted(r.items())) for r in ros_mangle(lab, "core1")} == {
        tuple(sorted(r.items())) for r in mangle
    }


def test_hand_edited_cisco_policy_is_repaired_by_the_next_apply(shaper_lab: ShaperLab) -> None:
    lab = shaper_lab.lab
    with shaper_lab.applied(with_shapers(shaper_lab.inventory, "dist1"), "dist1") as ctx:
        conn = netmiko_to(lab, "dist1", shaper_lab.password)
        try:
            conn.enable()
            conn.send_config_set(
                [
                    "policy-map NX-DOWN",
                    " class NX-rsud-DOWN",
                    "  shape average 1000000",
                    "exit",
                    "exit",
                    "interface GigabitEthernet1/0/1",
                    " no service-policy output NX-UP",
                ]
            )
        finally:
            conn.disconnect()
        assert not diff_device(ctx, "dist1", AT).in_sync
        res = apply_device(ctx, "dist1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert diff_device(ctx, "dist1", AT).in_sync
    cfg = lab.runtime("dist1").personality.config
    assert cfg.service_policies["GigabitEthernet1/0/1"]["output"] == "NX-UP"
    assert cfg.policy_maps["NX-DOWN"]["NX-rsud-DOWN"].shape_average_bps == 180_000_000


def test_hand_edited_and_deleted_tc_trees_are_rebuilt_by_the_next_apply(
    shaper_lab: ShaperLab,
) -> None:
    with shaper_lab.applied(with_shapers(shaper_lab.inventory, "rsud-gw"), "rsud-gw") as ctx:
        io = ctx.io("rsud-gw")
        shown = [f"tc {o} show dev {i}" for o in ("class", "filter") for i in ("eth0", "eth1")]
        before = {c: io.show(c) for c in shown}
        shaper_lab.edit(
            "rsud-gw",
            "tc class change dev eth1 parent 1:100 classid 1:1001 htb rate 1mbit ceil 2mbit",
            "tc qdisc del dev eth0 root",
        )
        assert not diff_device(ctx, "rsud-gw", AT).in_sync
        res = apply_device(ctx, "rsud-gw", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert {c: io.show(c) for c in shown} == before
