"""MikroTik queue tree + mangle: rendering, parsing back, diff and the mode choice (pure)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from netops.bandwidth import mikrotik_tree as mt
from netops.bandwidth import mikrotik_tree_read as mtr
from netops.bandwidth import names
from netops.bandwidth.diff import diff_entries
from netops.bandwidth.drivers import driver_for
from netops.bandwidth.entries import QueueEntry, ShaperTarget, shaper_target
from netops.bandwidth.plan import BandwidthPlan
from netops.bandwidth.quoting import routeros_unquote
from netops.errors import BandwidthError, PlanError, UnsafeValue
from netops.inventory.loader import LoadedInventory
from netops.inventory.schema import Platform, Shaper, ShaperMode

from .hostile import HOSTILE_CODES, HOSTILE_NAMES

GOLDEN = Path(__file__).parent / "tree_golden"
NET = ipaddress.IPv4Network


def _tree_target(loaded: LoadedInventory, plan: BandwidthPlan) -> ShaperTarget:
    shaper = Shaper(device="core1", lan_interface="ether2", wan_interface="ether1", mode="tree")
    return shaper_target(loaded.inventory, plan, shaper)


def _print_detail(records: list[tuple[str, str]]) -> str:
    """A ``print detail`` listing in RouterOS 7's layout: ``(comment, properties)`` per item."""
    lines = ["Flags: X - disabled, I - invalid; D - dynamic "]
    for i, (comment, props) in enumerate(records):
        flags = "X" if props.startswith("X ") else " "
        props = props.removeprefix("X ")
        lines.append(f"{i:2} {flags}   ;;; {comment}" if comment else f"{i:2} {flags}   {props}")
        if comment:
            lines.append(f"       {props}")
        lines.append("")
    return "\n".join(lines)


def _device_outputs(target: ShaperTarget, drop: tuple[str, ...] = ()) -> dict[str, str]:
    """What a router that ran ``render_full(target)`` prints (commands turned into items),
    leaving out commands containing any of ``drop``."""
    tree: list[tuple[str, str]] = []
    mangle: list[tuple[str, str]] = []
    for cmd in mt.render_full(target):
        if any(d in cmd for d in drop):
            continue
        menu, _, args = cmd.partition(" add ")
        comment = re.search(r'comment=("(?:[^"\\]|\\.)*")', args)
        props = re.sub(r' comment="(?:[^"\\]|\\.)*"', "", args)
        text = routeros_unquote(comment.group(1)) if comment else ""
        (tree if menu == "/queue tree" else mangle).append((text, props))
    return {
        mt.READ_TREE: _print_detail(tree),
        mt.READ_MANGLE: _print_detail(mangle),
        mt.READ_SIMPLE: "",
    }


def test_tree_mode_target_has_marks_per_agency_and_direction_and_queues_without_subnets(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    t = _tree_target(mini_loaded, mini_plan)
    assert t.mode == ShaperMode.TREE
    marks = {(e.key, e.direction): e.subnets for e in t.entries if e.key.startswith("m:")}
    assert marks[("m:rsud", "down")] == (NET("10.10.2.0/24"),)
    assert len(marks) == 2 * 3
    assert all(not e.subnets for e in t.entries if not e.key.startswith("m:"))


def test_render_full_marks_connections_then_packets_and_hangs_leaves_under_groups(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    cmds = mt.render_full(_tree_target(mini_loaded, mini_plan))
    rsud = [c for c in cmds if '"nx-a-rsud' in c]
    assert rsud[:4] == [
        "/ip firewall mangle add chain=forward action=mark-connection src-address=10.10.2.0/24 "
        'new-connection-mark="nx-a-rsud" passthrough=yes comment="netops: RSUD Kabupaten Contoh"',
        "/ip firewall mangle add chain=forward action=mark-connection dst-address=10.10.2.0/24 "
        'new-connection-mark="nx-a-rsud" passthrough=yes comment="netops: RSUD Kabupaten Contoh"',
        '/ip firewall mangle add chain=forward action=mark-packet connection-mark="nx-a-rsud" '
        'dst-address=10.10.2.0/24 new-packet-mark="nx-a-rsud-down" passthrough=no '
        'comment="netops: RSUD Kabupaten Contoh"',
        '/ip firewall mangle add chain=forward action=mark-packet connection-mark="nx-a-rsud" '
        'src-address=10.10.2.0/24 new-packet-mark="nx-a-rsud-up" passthrough=no '
        'comment="netops: RSUD Kabupaten Contoh"',
    ]
    assert (
        '/queue tree add name="nx-a-rsud-down" parent="nx-g-opd-down" '
        'packet-mark="nx-a-rsud-down" limit-at=60M max-limit=180M priority=1 '
        'comment="netops: RSUD Kabupaten Contoh"'
    ) in cmds
    assert any(c.startswith('/queue tree add name="nx-uplink-down" parent="ether2" ') for c in cmds)
    assert any(c.startswith('/queue tree add name="nx-uplink-up" parent="ether1" ') for c in cmds)
    # every rule comes before every queue, and parents before children
    kinds = [c.split(" add ")[0] for c in cmds]
    assert kinds == sorted(kinds, key=lambda k: k != "/ip firewall mangle")
    names = [re.search(r'name="([^"]+)"', c).group(1) for c in cmds if "/queue tree" in c]  # type: ignore[union-attr]
    for c in cmds:
        m = re.search(r'/queue tree add name="([^"]+)" parent="(nx-[^"]+)"', c)
        if m:
            assert names.index(m.group(2)) < names.index(m.group(1))


def test_what_render_full_builds_reads_back_in_sync(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    t = _tree_target(mini_loaded, mini_plan)
    actual = mtr.parse(_device_outputs(t), t, "core1")
    assert diff_entries("core1", t.entries, actual).in_sync
    rsud = next(e for e in actual if e.key == "a:rsud" and e.direction == "up")
    assert (rsud.rate_bps, rsud.ceil_bps, rsud.prio, rsud.parent) == (
        30_000_000,
        80_000_000,
        1,
        "g:opd",
    )
    assert rsud.label == "RSUD Kabupaten Contoh"


def test_missing_connection_rule_shows_as_marks_drift_and_rebuilds_that_agency_only(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    t = _tree_target(mini_loaded, mini_plan)
    outputs = _device_outputs(t, drop=('dst-address=10.20.1.0/24 new-connection-mark="nx-a-kec',))
    diff = diff_entries("core1", t.entries, mtr.parse(outputs, t, "core1"))
    assert [c.text() for c in diff.changes] == [
        "~ m:kec-utara down: subnets - -> 10.20.1.0/24",
        "~ m:kec-utara up: subnets - -> 10.20.1.0/24",
    ]
    cmds = mt.render_changes(t, diff)
    assert cmds[:2] == [
        '/ip firewall mangle remove [find where new-connection-mark="nx-a-kec-utara"]',
        '/ip firewall mangle remove [find where connection-mark="nx-a-kec-utara"]',
    ]
    assert len(cmds) == 2 + 4 and all("kec-utara" in c for c in cmds)


def test_disabled_rule_or_wrong_chain_classifies_nothing(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    t = _tree_target(mini_loaded, mini_plan)
    outputs = _device_outputs(t)
    pkt = 'chain=forward action=mark-packet connection-mark="nx-a-rsud" dst-address'
    lines = outputs[mt.READ_MANGLE].splitlines()
    # flag the rsud download packet rule as disabled (X in the flag column of its item line)
    i = next(n for n, ln in enumerate(lines) if pkt in ln)
    lines[i - 1] = lines[i - 1][:3] + "X" + lines[i - 1][4:]
    outputs[mt.READ_MANGLE] = "\n".join(lines)
    diff = diff_entries("core1", t.entries, mtr.parse(outputs, t, "core1"))
    assert [c.text() for c in diff.changes] == ["~ m:rsud down: subnets - -> 10.10.2.0/24"]

    outputs = _device_outputs(t)
    outputs[mt.READ_MANGLE] = outputs[mt.READ_MANGLE].replace(
        'chain=forward action=mark-packet connection-mark="nx-a-rsud" src',
        'chain=prerouting action=mark-packet connection-mark="nx-a-rsud" src',
    )
    diff = diff_entries("core1", t.entries, mtr.parse(outputs, t, "core1"))
    assert [c.text() for c in diff.changes] == ["~ m:rsud up: subnets - -> 10.10.2.0/24"]


def test_root_moved_to_global_reads_as_interface_parent_and_is_set_back(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    t = _tree_target(mini_loaded, mini_plan)
    outputs = _device_outputs(t)
    outputs[mt.READ_TREE] = outputs[mt.READ_TREE].replace(
        'name="nx-uplink-down" parent="ether2"', 'name="nx-uplink-down" parent=global'
    )
    diff = diff_entries("core1", t.entries, mtr.parse(outputs, t, "core1"))
    assert [c.text() for c in diff.changes] == ["~ root down: parent if:global -> None"]
    assert mt.render_changes(t, diff) == [
        '/queue tree set [find where name="nx-uplink-down"] parent="ether2" packet-mark="" '
        'limit-at=200M max-limit=200M priority=8 comment="netops: isp-a" disabled=no'
    ]


def test_simple_queues_left_from_simple_mode_are_removed_children_first(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    t = _tree_target(mini_loaded, mini_plan)
    outputs = _device_outputs(t)
    outputs[mt.READ_SIMPLE] = "\n".join(
        [
            '/queue simple add comment="netops: isp-a" max-limit=100M/200M name=nx-uplink '
            "target=10.10.1.0/24",
            "/queue simple add max-limit=60M/150M name=nx-a-diskominfo parent=nx-uplink "
            "target=10.10.1.0/24",
            "/queue simple add max-limit=1M/1M name=tamu target=10.99.0.0/24",
        ]
    )
    diff = diff_entries("core1", t.entries, mtr.parse(outputs, t, "core1"))
    ops = sorted({(c.op, c.entry.key) for c in diff.changes})
    assert ops == [
        ("foreign", "x:simple/tamu"),
        ("remove", "simple:a:diskominfo"),
        ("remove", "simple:root"),
    ]
    assert mt.render_changes(t, diff) == [
        '/queue simple remove [find where name="nx-a-diskominfo"]',
        '/queue simple remove [find where name="nx-uplink"]',
    ]


def test_agency_gone_from_the_plan_loses_its_queues_and_rules(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    t = _tree_target(mini_loaded, mini_plan)
    outputs = _device_outputs(t)
    smaller = replace(t, entries=tuple(e for e in t.entries if "kec-utara" not in e.key))
    diff = diff_entries("core1", smaller.entries, mtr.parse(outputs, smaller, "core1"))
    cmds = mt.render_changes(smaller, diff)
    assert cmds == [
        '/queue tree remove [find where name="nx-a-kec-utara-down"]',
        '/queue tree remove [find where name="nx-a-kec-utara-up"]',
        '/ip firewall mangle remove [find where new-connection-mark="nx-a-kec-utara"]',
        '/ip firewall mangle remove [find where connection-mark="nx-a-kec-utara"]',
    ]


def test_real_routeros_queue_tree_listing_parses_as_foreign_queues() -> None:
    text = (GOLDEN / "queue_tree_print_detail.txt").read_text(encoding="utf-8")
    target = ShaperTarget("r", Platform.MIKROTIK_ROUTEROS, "ether2", "ether1", (), ShaperMode.TREE)
    out = mtr.parse({mt.READ_TREE: text, mt.READ_MANGLE: ""}, target, "r")
    assert len(out) == 26 and not any(e.managed for e in out)
    by_key = {e.key: e for e in out}
    assert by_key["x:src"].parent == "if:global" and by_key["x:src"].ceil_bps == 89_000_000
    assert by_key["x:dst-02"].parent == "x:dst" and by_key["x:dst-02"].prio == 1
    assert by_key["x:dst-09"].prio == 5 and by_key["x:dst-09"].rate_bps == 89_000_000
    # nothing of ours there: apply would leave all of it alone
    diff = diff_entries("r", [], out)
    assert {c.op for c in diff.changes} == {"foreign"}


def test_refused_read_is_a_parse_error_naming_the_device() -> None:
    target = ShaperTarget("r", Platform.MIKROTIK_ROUTEROS, "ether2", "ether1", (), ShaperMode.TREE)
    with pytest.raises(Exception, match="core9"):
        mtr.parse(
            {mt.READ_TREE: "bad command name tree (line 1 column 8)", mt.READ_MANGLE: ""},
            target,
            "core9",
        )


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_reach_tree_commands_only_as_quoted_comments(name: str) -> None:
    net = (NET("10.9.0.0/24"),)
    entries = (
        QueueEntry("root", "down", (), 10_000_000, 10_000_000, label=name),
        QueueEntry("a:ok", "down", (), 1_000_000, 5_000_000, 3, "root", name),
        QueueEntry("m:ok", "down", net, 0, 0, label=name),
    )
    t = ShaperTarget("dev", Platform.MIKROTIK_ROUTEROS, "eth1", "eth0", entries, ShaperMode.TREE)
    cmds = mt.render_full(t)
    assert len(cmds) == 2 + 1 + 2
    for c in cmds:
        assert "\n" not in c and "\r" not in c and all(" " <= ch <= "~" for ch in c)
        comment = re.search(r'comment=("(?:[^"\\]|\\.)*")$', c)
        flat = "".join(" " if ch < " " else ch for ch in name)
        assert comment and routeros_unquote(comment.group(1)) == f"netops: {flat}"
        # the command up to the comment is exactly what netops writes for these entries
        head = c[: comment.start()]
        assert re.fullmatch(r'/(queue tree|ip firewall mangle) add [a-zA-Z0-9="./ -]+ ', head)


@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_hostile_codes_are_refused_by_the_tree_renderer(code: str) -> None:
    entries = (
        QueueEntry(f"a:{code}", "down", (), 1, 5, 3, None, "x"),
        QueueEntry(f"m:{code}", "down", (NET("10.9.0.0/24"),), 0, 0),
    )
    t = ShaperTarget("dev", Platform.MIKROTIK_ROUTEROS, "eth1", "eth0", entries, ShaperMode.TREE)
    with pytest.raises(UnsafeValue):
        mt.render_full(t)


def test_tree_mode_on_a_cisco_shaper_is_refused_naming_it(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    shaper = Shaper(
        device="dist1",
        lan_interface="GigabitEthernet1/0/2",
        wan_interface="GigabitEthernet1/0/1",
        mode="tree",
    )
    with pytest.raises(PlanError, match=r"'dist1'.*mode 'tree'.*mikrotik_routeros"):
        shaper_target(mini_loaded.inventory, mini_plan, shaper)


def test_driver_registry_lists_platform_mode_pairs_for_an_unknown_one() -> None:
    tree = driver_for(Platform.MIKROTIK_ROUTEROS, "tree")
    assert tree.render_full is mt.render_full
    with pytest.raises(BandwidthError, match="mikrotik_routeros/tree") as info:
        driver_for(Platform.LINUX, "tree")
    assert "linux/simple" in str(info.value)


def test_sync_stores_the_shaper_mode_and_a_mode_switch_is_a_recorded_change(
    mini_loaded: LoadedInventory, engine: Any
) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from netops.storage.models import Shaper as ShaperRow
    from netops.storage.sync import sync_inventory

    inv = mini_loaded.inventory
    with Session(engine) as s:
        sync_inventory(s, inv, source="mini.yaml", sha256="a" * 64)
        s.commit()
        assert s.scalars(select(ShaperRow.mode)).one() == "simple"
    tree = inv.model_copy(
        update={
            "shapers": tuple(
                Shaper.model_validate({**x.model_dump(), "mode": "tree"}) for x in inv.shapers
            )
        }
    )
    with Session(engine) as s:
        report = sync_inventory(s, tree, source="mini.yaml", sha256="b" * 64)
        s.commit()
        assert [c.kind for c in report.changed] == ["shaper"] and not report.added
        assert s.scalars(select(ShaperRow.mode)).one() == "tree"


def test_tree_leftovers_on_a_simple_shaper_are_removed_and_restored_on_rollback(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    tree = _tree_target(mini_loaded, mini_plan)
    simple = replace(tree, mode=ShaperMode.SIMPLE, entries=())
    left = mtr.leftovers(_device_outputs(tree), simple, "core1")
    assert {e.key for e in left} >= {"tree:root", "tree:a:rsud", "tree:m:rsud"}
    gone = diff_entries("core1", [], left)
    cmds = mt.render_leftovers(simple, gone)
    assert cmds[0] == '/queue tree remove [find where name="nx-a-diskominfo-down"]'
    assert cmds[11] == '/queue tree remove [find where name="nx-uplink-up"]'
    assert cmds[12:14] == [
        '/ip firewall mangle remove [find where new-connection-mark="nx-a-diskominfo"]',
        '/ip firewall mangle remove [find where connection-mark="nx-a-diskominfo"]',
    ]
    assert len(cmds) == 12 + 2 * 3
    # a rollback to the state that had them writes them back: rules, then parents first
    back = mt.render_leftovers(
        replace(simple, entries=tuple(left)), diff_entries("core1", left, [])
    )
    assert sorted(back) == sorted(mt.render_full(tree))
    order = [c.split('"')[1] for c in back if c.startswith("/queue tree add")]
    assert order.index("nx-uplink-down") < order.index("nx-g-opd-down")
    assert order.index("nx-g-opd-down") < order.index("nx-a-rsud-down")
    assert all(c.startswith("/ip firewall") for c in back[: len(back) - len(order)])


def test_every_tree_queue_and_packet_mark_rendered_maps_back_to_its_key_and_direction(
    mini_loaded: LoadedInventory, mini_plan: BandwidthPlan
) -> None:
    target = _tree_target(mini_loaded, mini_plan)
    wanted = {(e.key, e.direction) for e in target.entries if not e.key.startswith("m:")}
    names_seen: set[tuple[str, str]] = set()
    for cmd in mt.render_full(target):
        for prop in ("name", "new-packet-mark"):
            m = re.search(rf' {prop}=("(?:[^"\\]|\\.)*"|\S+)', cmd)
            if m is not None:
                found = names.tree_key(routeros_unquote(m.group(1)))
                assert found is not None, cmd
                names_seen.add(found)
    assert names_seen == wanted


@pytest.mark.parametrize(
    "name", ["queue-download", "nx-a-rsud", "nx-a-rsud-sideways", "nx-x-rsud-down", "nx-a--down"]
)
def test_names_netops_did_not_write_have_no_tree_key(name: str) -> None:
    assert names.tree_key(name) is None


def test_inventory_check_and_bandwidth_plan_word_tree_mode_off_mikrotik_alike(
    mini_loaded: LoadedInventory,
) -> None:
    from netops.bandwidth.entries import shaper_problems
    from netops.inventory.check_refs import shaper_mode_error

    cisco = Shaper(
        device="dist1",
        lan_interface="GigabitEthernet1/0/2",
        wan_interface="GigabitEthernet1/0/1",
        mode="tree",
    )
    inv = mini_loaded.inventory.model_copy(update={"shapers": (cisco,)})
    [problem] = shaper_problems(inv)
    assert problem.message == shaper_mode_error(ShaperMode.TREE, "dist1", Platform.CISCO_IOS)
