"""MikroTik RouterOS queue tree + mangle: render entries to commands and parse ``print detail``.

Tree mode (``shapers[].mode: tree``) classifies with the firewall and shapes with HTB queues:

* ``/ip firewall mangle`` (chain ``forward``), per agency subnet ``S``: two ``mark-connection``
  rules (``src-address=S`` and ``dst-address=S``, ``new-connection-mark=nx-a-<code>``,
  ``passthrough=yes``), then two ``mark-packet`` rules on that connection mark: download
  ``dst-address=S new-packet-mark=nx-a-<code>-down``, upload ``src-address=S
  new-packet-mark=nx-a-<code>-up``, both ``passthrough=no`` (the packet is classified; later
  rules need not see it).
* ``/queue tree``, per direction: ``nx-uplink-down`` on the LAN interface (download leaves the
  router there) and ``nx-uplink-up`` on the WAN interface, groups ``nx-g-<group>-<dir>`` under
  it, agencies ``nx-a-<code>-<dir>`` under their group with ``packet-mark`` = their mark,
  ``limit-at`` (guarantee), ``max-limit`` (maximum) and ``priority``.

Entries (see :func:`netops.bandwidth.entries.tree_mode_entries`): tree queues carry rates, prio
and parent; ``m:<code>`` entries carry the subnets the mangle rules *completely* classify for an
agency in one direction (both connection rules and the direction's packet rule, enabled, chain
forward).  A root attached elsewhere than its interface reads back with parent ``if:<name>``.
Simple queues netops left behind (``nx-...`` from simple mode) read back as ``simple:<key>``
entries, which the plan lacks, so ``apply`` removes them: a shaper switched from simple to tree
mode does not shape twice (and the other way round: :func:`render_leftovers`).  Names, the
interface of each direction and the classifier side come from :mod:`netops.bandwidth.names`
(``tree_name`` and ``interface_for`` stay importable from here); every value is quoted with
:func:`routeros_quote`; the free-text agency name only reaches ``comment``.  Reading back is
:mod:`netops.bandwidth.mikrotik_tree_read`.  Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from collectors.parsers.routeros import ros_rate
from netops.bandwidth import mikrotik
from netops.bandwidth.diff import Change, QueueDiff
from netops.bandwidth.entries import MARKS_PREFIX, QueueEntry, ShaperTarget
from netops.bandwidth.names import (
    classifiers,
    interface_for,
    queue_name,
    ros_find,
    tree_name,
)
from netops.bandwidth.plan import DIRECTIONS, Direction
from netops.bandwidth.quoting import routeros_quote, safe_code, safe_interface, safe_subnet

READ_TREE = "/queue tree print detail without-paging"
READ_MANGLE = "/ip firewall mangle print detail without-paging"
READ_SIMPLE = mikrotik.READ_COMMAND
CHAIN = "forward"
SIMPLE_PREFIX = "simple:"
TREE_PREFIX = "tree:"
IF_PREFIX = "if:"
_LEVEL = {"a": 0, "g": 1, "root": 2}


def connection_mark(code: str) -> str:
    """The connection mark of an agency's traffic: ``nx-a-<code>``."""
    return queue_name(f"a:{safe_code(code, 'agency code')}")


def packet_mark(code: str, direction: Direction) -> str:
    """The packet mark feeding an agency's leaf queue (same as the leaf's name)."""
    return tree_name(f"a:{safe_code(code, 'agency code')}", direction)


# -- rendering --------------------------------------------------------------------------------


def _comment(label: str) -> str:
    # print detail shows a comment unquoted on its ";;;" line: a line break in it would split
    # the listing for every reader (ours, the collectors', the operator's), so none goes there.
    flat = "".join(" " if ch < " " or ch == "\x7f" else ch for ch in label)
    return routeros_quote(f"netops: {flat}" if flat else "netops")


def _tree_args(target: ShaperTarget, e: QueueEntry, *, setting: bool = False) -> str:
    if e.parent is None:
        parent = interface_for(target, e.direction)
    elif e.parent.startswith(IF_PREFIX):
        parent = safe_interface(e.parent[len(IF_PREFIX) :])
    else:
        parent = tree_name(e.parent, e.direction)
    leaf = e.key.startswith("a:")
    mark = packet_mark(e.key[2:], e.direction) if leaf else ""
    return " ".join(
        [
            f"parent={routeros_quote(parent)}",
            f"packet-mark={routeros_quote(mark)}",
            f"limit-at={ros_rate(e.rate_bps)}",
            f"max-limit={ros_rate(e.ceil_bps)}",
            f"priority={e.prio if leaf and e.prio else 8}",
            f"comment={_comment(e.label)}",
        ]
        # a set also says whether the queue is enabled: one disabled by hand is switched on
        + ([f"disabled={'yes' if e.disabled else 'no'}"] if setting or e.disabled else [])
    )


def mangle_rules(code: str, by_dir: dict[Direction, QueueEntry]) -> list[str]:
    """The mangle commands classifying one agency: connection rules for every subnet first,
    then each direction's packet rules (``by_dir``: its ``m:<code>`` entries)."""
    conn = routeros_quote(connection_mark(code))
    label = next((e.label for e in by_dir.values() if e.label), "")
    tail = f"comment={_comment(label)}"
    subnets = list(dict.fromkeys(s for e in by_dir.values() for s in e.subnets))
    cmds = []
    for net in subnets:
        for side in ("src", "dst"):
            cmds.append(
                f"/ip firewall mangle add chain={CHAIN} action=mark-connection "
                f"{side}-address={safe_subnet(net)} new-connection-mark={conn} "
                f"passthrough=yes {tail}"
            )
    for e, side, net in classifiers(by_dir[d] for d in DIRECTIONS if d in by_dir):
        mark = routeros_quote(packet_mark(code, e.direction))
        cmds.append(
            f"/ip firewall mangle add chain={CHAIN} action=mark-packet connection-mark={conn} "
            f"{side}-address={net} new-packet-mark={mark} passthrough=no {tail}"
        )
    return cmds


def _mangle_removal(code: str) -> list[str]:
    conn = routeros_quote(connection_mark(code))
    return [
        f"/ip firewall mangle remove [find where new-connection-mark={conn}]",
        f"/ip firewall mangle remove [find where connection-mark={conn}]",
    ]


def _marks_by_code(entries: Iterable[QueueEntry]) -> dict[str, dict[Direction, QueueEntry]]:
    out: dict[str, dict[Direction, QueueEntry]] = {}
    for e in entries:
        if e.key.startswith(MARKS_PREFIX):
            out.setdefault(e.key[len(MARKS_PREFIX) :], {})[e.direction] = e
    return out


def _is_tree(e: QueueEntry) -> bool:
    return e.managed and not e.key.startswith((MARKS_PREFIX, SIMPLE_PREFIX))


def _simple_add(target: ShaperTarget, entries: list[QueueEntry]) -> list[str]:
    """Re-create simple queues read from the device (a rollback across modes)."""
    plain = [replace(e, key=e.key[len(SIMPLE_PREFIX) :]) for e in entries]
    plain.sort(key=lambda e: -_LEVEL.get(e.key.partition(":")[0], 0))
    return mikrotik.render_full(replace(target, entries=tuple(plain)))


def render_full(target: ShaperTarget) -> list[str]:
    """Commands that build the whole tree and its marks on a router without them."""
    cmds: list[str] = []
    for code, by_dir in _marks_by_code(target.entries).items():
        cmds += mangle_rules(code, by_dir)
    for e in target.entries:
        if _is_tree(e):
            name = routeros_quote(tree_name(e.key, e.direction))
            cmds.append(f"/queue tree add name={name} {_tree_args(target, e)}")
    leftovers = [e for e in target.entries if e.key.startswith(SIMPLE_PREFIX)]
    return cmds + (_simple_add(target, leftovers) if leftovers else [])


def _removal_level(e: QueueEntry) -> int:
    key = e.key[len(SIMPLE_PREFIX) :] if e.key.startswith(SIMPLE_PREFIX) else e.key
    return _LEVEL.get(key.partition(":")[0], 0) if e.managed else 0


def render_changes(target: ShaperTarget, diff: QueueDiff) -> list[str]:
    """Commands that turn the router's state (as diffed) into ``target``.

    Order: tree queues removed (children first), netops' leftover simple queues removed, the
    mangle rules of every agency whose marks differ rebuilt (removed by mark, then added), tree
    queues added (parents first), tree queues changed (``set``), simple queues re-added (only
    when rolling back to a state that had them).  Foreign queues and rules are left alone.
    """
    changes = diff.actionable
    removed = sorted(
        (c.actual for c in changes if c.op == "remove" and c.actual is not None),
        key=_removal_level,
    )
    cmds: list[str] = []
    seen: set[str] = set()
    for a in removed:
        if _is_tree(a):
            name = a.device_name or tree_name(a.key, a.direction)
            if name not in seen:
                seen.add(name)
                cmds.append(f"/queue tree remove {ros_find(name)}")
    for a in removed:
        if a.key.startswith(SIMPLE_PREFIX):
            name = a.device_name or queue_name(a.key[len(SIMPLE_PREFIX) :])
            if name not in seen:
                seen.add(name)
                cmds.append(f"/queue simple remove {ros_find(name)}")
    cmds += _render_marks(target, changes)
    adds = [c.desired for c in changes if c.op == "add" and c.desired is not None]
    for e in adds:
        if _is_tree(e):
            name = routeros_quote(tree_name(e.key, e.direction))
            cmds.append(f"/queue tree add name={name} {_tree_args(target, e)}")
    for c in changes:
        if c.op == "change" and c.desired is not None and _is_tree(c.desired):
            e = c.desired
            name = (c.actual.device_name if c.actual else "") or tree_name(e.key, e.direction)
            cmds.append(f"/queue tree set {ros_find(name)} {_tree_args(target, e, setting=True)}")
    simple_adds = [e for e in adds if e.key.startswith(SIMPLE_PREFIX)]
    if simple_adds:
        cmds += _simple_add(target, simple_adds)
    return cmds


def _render_marks(target: ShaperTarget, changes: tuple[Change, ...]) -> list[str]:
    """Rebuild the marks of agencies whose ``m:`` entries differ.  Rules are removed first only
    where the router had some (an agency new to the router needs no removal)."""
    touched: dict[str, bool] = {}
    for c in changes:
        if not c.entry.key.startswith(MARKS_PREFIX):
            continue
        code = c.entry.key[len(MARKS_PREFIX) :]
        touched[code] = touched.get(code, False) or c.actual is not None
    wanted = _marks_by_code(target.entries)
    cmds: list[str] = []
    for code, had_rules in touched.items():
        if had_rules:
            cmds += _mangle_removal(code)
        if code in wanted:
            cmds += mangle_rules(code, wanted[code])
    return cmds


def render_leftovers(target: ShaperTarget, diff: QueueDiff) -> list[str]:
    """For a simple-mode shaper: commands for the ``tree:<key>`` entries in ``diff`` (tree
    queues and marks left from tree mode): removed when the plan lacks them (children first,
    rules by mark), re-created when a rollback restores them."""
    cmds: list[str] = []
    removed = [c.actual for c in diff.actionable if c.op == "remove" and c.actual is not None]
    plain = [replace(a, key=a.key[len(TREE_PREFIX) :]) for a in removed]
    for a in sorted(plain, key=_removal_level):
        if _is_tree(a):
            cmds.append(
                f"/queue tree remove {ros_find(a.device_name or tree_name(a.key, a.direction))}"
            )
    for code in dict.fromkeys(
        a.key[len(MARKS_PREFIX) :] for a in plain if a.key.startswith(MARKS_PREFIX)
    ):
        cmds += _mangle_removal(code)
    added = [c.desired for c in diff.actionable if c.op == "add" and c.desired is not None]
    if added:
        restored = tuple(replace(e, key=e.key[len(TREE_PREFIX) :]) for e in added)
        cmds += render_full(replace(target, entries=restored))
    return cmds


def read_commands(target: ShaperTarget) -> list[str]:
    """What to read: the tree, the mangle rules, and simple queues (to find leftovers)."""
    return [READ_TREE, READ_MANGLE, READ_SIMPLE]


def output_error(output: str) -> str | None:
    """The RouterOS error line in a command's output, or None."""
    return mikrotik.output_error(output)
