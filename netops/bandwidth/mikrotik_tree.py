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
mode does not shape twice.  Names derive from validated codes; every value is quoted with
:func:`routeros_quote`; the free-text agency name only reaches ``comment``.  Pure.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, replace

from collectors.parsers.routeros import Record, check_error, parse_records, ros_rate_bps
from netops.bandwidth import mikrotik
from netops.bandwidth.diff import Change, QueueDiff
from netops.bandwidth.entries import MARKS_PREFIX, QueueEntry, ShaperTarget, marks_key
from netops.bandwidth.plan import DIRECTIONS, ROOT_KEY, Direction
from netops.bandwidth.quoting import routeros_quote, safe_code, safe_interface, safe_subnet
from netops.errors import ParseError

READ_TREE = "/queue tree print detail without-paging"
READ_MANGLE = "/ip firewall mangle print detail without-paging"
READ_SIMPLE = mikrotik.READ_COMMAND
CHAIN = "forward"
SIMPLE_PREFIX = "simple:"
IF_PREFIX = "if:"
_LEVEL = {"a": 0, "g": 1, "root": 2}


def tree_name(key: str, direction: Direction) -> str:
    """``("a:rsud", "down")`` -> ``nx-a-rsud-down``; ``("root", "up")`` -> ``nx-uplink-up``."""
    return f"{mikrotik.queue_name(key)}-{direction}"


def tree_key(name: str) -> tuple[str, Direction] | None:
    """Inverse of :func:`tree_name`; None for a queue netops did not create."""
    for d in DIRECTIONS:
        if name.endswith(f"-{d}"):
            key = mikrotik.key_of(name[: -len(d) - 1])
            if key is not None:
                return key, d
    return None


def connection_mark(code: str) -> str:
    """The connection mark of an agency's traffic: ``nx-a-<code>``."""
    return mikrotik.queue_name(f"a:{safe_code(code, 'agency code')}")


def packet_mark(code: str, direction: Direction) -> str:
    """The packet mark feeding an agency's leaf queue (same as the leaf's name)."""
    return tree_name(f"a:{safe_code(code, 'agency code')}", direction)


def _code_of_connection_mark(mark: str) -> str | None:
    key = mikrotik.key_of(mark)
    return key[2:] if key and key.startswith("a:") else None


def interface_for(target: ShaperTarget, direction: Direction) -> str:
    """Where a direction's root queue attaches: LAN for download, WAN for upload."""
    return safe_interface(target.lan_interface if direction == "down" else target.wan_interface)


def ros_rate(bps: int) -> str:
    """bit/s in RouterOS units: 150000000 -> ``150M``, 1500000 -> ``1500k``."""
    if bps and bps % 1_000_000 == 0:
        return f"{bps // 1_000_000}M"
    if bps and bps % 1000 == 0:
        return f"{bps // 1000}k"
    return str(bps)


# -- rendering --------------------------------------------------------------------------------


def _comment(label: str) -> str:
    # print detail shows a comment unquoted on its ";;;" line: a line break in it would split
    # the listing for every reader (ours, the collectors', the operator's), so none goes there.
    flat = "".join(" " if ch < " " or ch == "\x7f" else ch for ch in label)
    return routeros_quote(f"netops: {flat}" if flat else "netops")


def _tree_args(target: ShaperTarget, e: QueueEntry) -> str:
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
    )


def _find(name: str) -> str:
    return f"[find where name={routeros_quote(name)}]"


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
    for d in DIRECTIONS:
        e = by_dir.get(d)
        if e is None:
            continue
        side = "dst" if d == "down" else "src"
        mark = routeros_quote(packet_mark(code, d))
        for net in e.subnets:
            cmds.append(
                f"/ip firewall mangle add chain={CHAIN} action=mark-packet connection-mark={conn} "
                f"{side}-address={safe_subnet(net)} new-packet-mark={mark} passthrough=no {tail}"
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
                cmds.append(f"/queue tree remove {_find(name)}")
    for a in removed:
        if a.key.startswith(SIMPLE_PREFIX):
            name = a.device_name or mikrotik.queue_name(a.key[len(SIMPLE_PREFIX) :])
            if name not in seen:
                seen.add(name)
                cmds.append(f"/queue simple remove {_find(name)}")
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
            cmds.append(f"/queue tree set {_find(name)} {_tree_args(target, e)}")
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


# -- parsing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    code: str
    action: str  # "conn" or "pkt"
    side: str  # "src" or "dst"
    net: ipaddress.IPv4Network
    direction: Direction | None  # packet rules only


def _net(text: str) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(text if "/" in text else f"{text}/32", strict=False)
    except ValueError:
        return None


def _rules(records: list[Record]) -> tuple[list[_Rule], set[str]]:
    """Enabled forward-chain rules of ours, and every agency code that has any rule of ours."""
    rules: list[_Rule] = []
    codes: set[str] = set()
    for r in records:
        p = r.props
        if p.get("action") == "mark-connection":
            code = _code_of_connection_mark(p.get("new-connection-mark", ""))
            direction: Direction | None = None
            kind = "conn"
        elif p.get("action") == "mark-packet":
            found = tree_key(p.get("new-packet-mark", ""))
            code = found[0][2:] if found and found[0].startswith("a:") else None
            direction = found[1] if found else None
            kind = "pkt"
            if code is not None and p.get("connection-mark") != connection_mark(code):
                codes.add(code)
                continue  # fed by some other connection mark: classifies nothing of ours
        else:
            continue
        if code is None:
            continue
        codes.add(code)
        if "X" in r.flags or p.get("chain") != CHAIN:
            continue
        for side in ("src", "dst"):
            net = _net(p.get(f"{side}-address", ""))
            if net is not None:
                rules.append(_Rule(code, kind, side, net, direction))
    return rules, codes


def _marks(records: list[Record]) -> list[QueueEntry]:
    """``m:<code>`` entries: per agency and direction, the subnets its rules fully classify."""
    rules, codes = _rules(records)
    conn = {(r.code, r.side, r.net) for r in rules if r.action == "conn"}
    labels = {}
    for rec in records:
        code = _code_of_connection_mark(rec.props.get("new-connection-mark", ""))
        if code is not None and code not in labels:
            labels[code] = _label(rec.comment)
    out = []
    for code in sorted(codes):
        for d in DIRECTIONS:
            side = "dst" if d == "down" else "src"
            nets = sorted(
                {
                    r.net
                    for r in rules
                    if r.action == "pkt"
                    and r.code == code
                    and r.direction == d
                    and r.side == side
                    and (code, "src", r.net) in conn
                    and (code, "dst", r.net) in conn
                }
            )
            out.append(
                QueueEntry(marks_key(code), d, tuple(nets), 0, 0, label=labels.get(code, ""))
            )
    return out


def _label(comment: str) -> str:
    return comment[len("netops: ") :] if comment.startswith("netops: ") else comment


def _rate(device: str, name: str, prop: str, value: str) -> int:
    try:
        return ros_rate_bps(value or "0") or 0
    except ValueError:
        raise ParseError(device, f"queue tree {name!r}: {prop}={value!r} is not a rate") from None


def _tree(records: list[Record], target: ShaperTarget, device: str) -> list[QueueEntry]:
    by_name = {r.props.get("name", ""): r for r in records}

    def direction_of(name: str, depth: int = 0) -> Direction:
        found = tree_key(name)
        if found:
            return found[1]
        rec = by_name.get(name)
        parent = rec.props.get("parent", "") if rec else ""
        if parent == target.wan_interface:
            return "up"
        if parent in by_name and depth < 16:
            return direction_of(parent, depth + 1)
        return "down"

    out = []
    for rec in records:
        p = rec.props
        name = p.get("name", "")
        if not name:
            raise ParseError(device, f"{READ_TREE!r}: item {rec.index} has no name (truncated?)")
        if "X" in rec.flags:
            continue  # a disabled queue shapes nothing: for the diff it is absent
        found = tree_key(name)
        key, d = found if found else (f"x:{name}", direction_of(name))
        parent_name = p.get("parent", "")
        up = tree_key(parent_name)
        parent: str | None
        if up is not None:  # one of ours, in the same direction or it is misplaced
            parent = up[0] if up[1] == d else f"x:{parent_name}"
        elif parent_name in by_name:  # under a queue netops did not create
            parent = f"x:{parent_name}"
        elif key == ROOT_KEY and parent_name == interface_for(target, d):
            parent = None
        else:  # attached to an interface or "global"
            parent = f"{IF_PREFIX}{parent_name}"
        leaf = key.startswith("a:") or found is None
        try:
            prio = int(p.get("priority", "8"))
        except ValueError:
            raise ParseError(device, f"queue tree {name!r}: priority is not a number") from None
        out.append(
            QueueEntry(
                key=key,
                direction=d,
                subnets=(),
                rate_bps=_rate(device, name, "limit-at", p.get("limit-at", "0")),
                ceil_bps=_rate(device, name, "max-limit", p.get("max-limit", "0")),
                prio=prio if leaf else 0,
                parent=parent,
                label=_label(rec.comment),
                device_name=name,
                managed=found is not None,
            )
        )
    return out


def _simple(text: str, device: str) -> list[QueueEntry]:
    out = []
    for e in mikrotik.parse_queues(text, device):
        label = _label(e.label)
        if e.managed:
            out.append(replace(e, key=f"{SIMPLE_PREFIX}{e.key}", label=label))
        else:
            out.append(replace(e, key=f"x:simple/{e.device_name}", label=label))
    return out


def parse(outputs: dict[str, str], target: ShaperTarget, device: str) -> list[QueueEntry]:
    """Entries from the outputs of :func:`read_commands` (keyed by command).

    Raises :class:`ParseError` naming the device when the router refused a command or printed
    unreadable values.
    """
    records = {}
    for cmd in (READ_TREE, READ_MANGLE):
        check_error(device, cmd, outputs[cmd])
        try:
            records[cmd] = parse_records(outputs[cmd])
        except ValueError as exc:
            raise ParseError(device, f"{cmd!r}: {exc}") from None
    tree = _tree(records[READ_TREE], target, device)
    marks = _marks(records[READ_MANGLE])
    simple = _simple(outputs[READ_SIMPLE], device) if READ_SIMPLE in outputs else []
    return tree + marks + simple


def read_commands(target: ShaperTarget) -> list[str]:
    """What to read: the tree, the mangle rules, and simple queues (to find leftovers)."""
    return [READ_TREE, READ_MANGLE, READ_SIMPLE]


def output_error(output: str) -> str | None:
    """The RouterOS error line in a command's output, or None."""
    return mikrotik.output_error(output)
