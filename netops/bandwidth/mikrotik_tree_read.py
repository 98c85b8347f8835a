"""Read back a MikroTik queue tree + mangle shaper: ``print detail`` listings -> entries.

See :mod:`netops.bandwidth.mikrotik_tree` for what netops writes.  The record syntax is parsed
by :func:`collectors.parsers.routeros.parse_records` (one RouterOS parser for the project); this
module only maps records to :class:`QueueEntry`: tree queues by name, and per agency and
direction an ``m:<code>`` entry with the subnets its mangle rules completely classify.  Pure.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace

from collectors.parsers.routeros import Record, check_error, parse_records, ros_rate_bps
from netops.bandwidth import mikrotik
from netops.bandwidth.entries import QueueEntry, ShaperTarget, marks_key
from netops.bandwidth.mikrotik_tree import (
    CHAIN,
    IF_PREFIX,
    READ_MANGLE,
    READ_SIMPLE,
    READ_TREE,
    SIMPLE_PREFIX,
    TREE_PREFIX,
    connection_mark,
)
from netops.bandwidth.names import address_side, interface_for, key_of, tree_key
from netops.bandwidth.plan import DIRECTIONS, ROOT_KEY, Direction
from netops.errors import ParseError


def _code_of_connection_mark(mark: str) -> str | None:
    key = key_of(mark)
    return key[2:] if key and key.startswith("a:") else None


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
            side = address_side(d)
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
        found = tree_key(name)
        if "X" in rec.flags and found is None:
            continue  # a disabled foreign queue shapes nothing and is none of netops' business
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
                disabled="X" in rec.flags,
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
    records = _records(outputs, device)
    tree = _tree(records[READ_TREE], target, device)
    marks = _marks(records[READ_MANGLE])
    simple = _simple(outputs[READ_SIMPLE], device) if READ_SIMPLE in outputs else []
    return tree + marks + simple


def _records(outputs: dict[str, str], device: str) -> dict[str, list[Record]]:
    records = {}
    for cmd in (READ_TREE, READ_MANGLE):
        check_error(device, cmd, outputs[cmd])
        try:
            records[cmd] = parse_records(outputs[cmd])
        except ValueError as exc:
            raise ParseError(device, f"{cmd!r}: {exc}") from None
    return records


def leftovers(outputs: dict[str, str], target: ShaperTarget, device: str) -> list[QueueEntry]:
    """On a simple-mode shaper: the tree queues and marks netops left from tree mode, keyed
    ``tree:<key>`` (the plan lacks them, so ``apply`` removes them).  Foreign tree queues and
    rules are not reported: simple mode never touches those menus otherwise."""
    records = _records(outputs, device)
    found = _tree(records[READ_TREE], target, device) + _marks(records[READ_MANGLE])
    return [replace(e, key=f"{TREE_PREFIX}{e.key}") for e in found if e.managed]
