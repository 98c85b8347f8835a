"""Pure parser for RouterOS queue tree statistics: ``/queue tree print stats`` and ``detail``.

A queue tree queue shapes one direction (it is an HTB class on an interface or ``global``, fed by
the packet marks of ``/ip firewall mangle``).  :func:`parse_tree_queues` joins three listings by
queue name:

* :data:`CMD_TREE_STATS` (``print stats``): ``name``, ``parent``, ``packet-mark``, ``rate`` (bit/s),
  ``packet-rate``, ``queued-bytes``, ``bytes``, ``packets``, ``dropped``;
* :data:`CMD_TREE` (``print detail``): ``limit-at``, ``max-limit``, ``priority``, ``queue``,
  flags (``X`` disabled, ``I`` invalid) and the ``;;;`` comment;
* :data:`CMD_MANGLE` (``/ip firewall mangle print detail``): the enabled ``mark-packet`` rules
  that set each queue's packet mark, whose ``dst-address``/``src-address`` say which subnets the
  queue shapes and in which direction.

Each queue becomes one :class:`~collectors.base.QueueStats` under its own name (netops' agency
leaves are ``nx-a-<code>-down`` / ``-up``), filled on the side of its direction (the other
side's limits are None and its bytes 0, as for a Linux tc class or a Cisco MQC class; its rate
is 0 when the router printed the queue's rate).  The
direction, seen from the agency as everywhere in the contract:

1. netops' own names say it (``-down``/``-up``, :func:`netops.naming.tree_key`);
2. else the mark rules feeding the queue: destination subnets only = download, source only =
   upload;
3. else the direction its child queues agree on (an inner queue such as ``download_root``);
4. else download (an unclassified queue shapes what leaves an interface).

``target`` is the subnets of the mark rules on the direction's side (``10.10.2.0/24``), else the
packet mark, else the interface (or ``global``) the queue hangs from.  Every listing is optional
(a queue seen in only one of them still gives a record; limits unknown are None).  Raises
:class:`~netops.errors.ParseError` naming the device, the command and the item for refused,
truncated or unreadable output.  Pure: text in, records out.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from collectors.base import QueueStats
from collectors.parsers.routeros_text import (
    Record,
    check_error,
    parse_records,
    ros_int,
    ros_rate_bps,
)
from netops.errors import ParseError
from netops.naming import tree_key

CMD_TREE = "/queue tree print detail without-paging"
CMD_TREE_STATS = "/queue tree print stats without-paging"
CMD_MANGLE = "/ip firewall mangle print detail without-paging"
_MAX_DEPTH = 32  # RouterOS refuses deeper HTB trees long before this; it bounds a loop


@dataclass(frozen=True)
class _Marked:
    """Subnets the enabled ``mark-packet`` rules give one packet mark, by address side."""

    dst: tuple[str, ...] = ()
    src: tuple[str, ...] = ()


def _listing(device: str, command: str, text: str) -> list[Record]:
    if not text.strip():
        return []
    check_error(device, command, text)
    try:
        return parse_records(text)
    except ValueError as exc:
        raise ParseError(device, f"{command!r}: {exc}") from None


def _subnet(text: str) -> str | None:
    try:
        return str(ipaddress.ip_network(text if "/" in text else f"{text}/32", strict=False))
    except ValueError:
        return None  # an address list, range or negation ("!10.0.0.0/8"): not a plain subnet


def has_items(device: str, text: str) -> bool:
    """Whether a listing (typically :data:`CMD_TREE_STATS`) shows at least one item; raises
    :class:`~netops.errors.ParseError` when RouterOS refused the command or printed garbage."""
    return bool(_listing(device, CMD_TREE_STATS, text))


def marked_subnets(records: list[Record]) -> dict[str, _Marked]:
    """packet mark -> the subnets enabled ``mark-packet`` rules match on each side."""
    sides: dict[str, dict[str, list[str]]] = {}
    for r in records:
        p = r.props
        mark = p.get("new-packet-mark", "")
        if "X" in r.flags or p.get("action") != "mark-packet" or not mark:
            continue
        by_side = sides.setdefault(mark, {"dst": [], "src": []})
        for side in ("dst", "src"):
            net = _subnet(p.get(f"{side}-address", ""))
            if net is not None and net not in by_side[side]:
                by_side[side].append(net)
    return {m: _Marked(tuple(s["dst"]), tuple(s["src"])) for m, s in sides.items()}


def _marks_of(props: Mapping[str, str]) -> list[str]:
    return [m for m in props.get("packet-mark", "").split(",") if m and m != "no-mark"]


def _direction_by_marks(props: Mapping[str, str], marked: Mapping[str, _Marked]) -> str | None:
    dst = any(marked[m].dst for m in _marks_of(props) if m in marked)
    src = any(marked[m].src for m in _marks_of(props) if m in marked)
    if dst != src:
        return "down" if dst else "up"
    return None


def _directions(
    queues: Mapping[str, Mapping[str, str]], marked: Mapping[str, _Marked]
) -> dict[str, str]:
    """name -> "down"/"up" by the rules of the module docstring."""
    known: dict[str, str] = {}
    for name, props in queues.items():
        found = tree_key(name)
        direction = found[1] if found else _direction_by_marks(props, marked)
        if direction is not None:
            known[name] = direction
    children: dict[str, list[str]] = {}
    for name, props in queues.items():
        children.setdefault(props.get("parent", ""), []).append(name)

    def from_children(name: str, depth: int) -> str | None:
        if name in known:
            return known[name]
        if depth >= _MAX_DEPTH:
            return None
        below = {from_children(c, depth + 1) for c in children.get(name, [])} - {None}
        return below.pop() if len(below) == 1 else None

    return {name: from_children(name, 0) or "down" for name in queues}


def _root_of(name: str, queues: Mapping[str, Mapping[str, str]]) -> str:
    """The interface (or ``global``) at the top of ``name``'s parent chain."""
    seen = {name}
    parent = queues[name].get("parent", "")
    while parent in queues and parent not in seen and len(seen) < _MAX_DEPTH:
        seen.add(parent)
        parent = queues[parent].get("parent", "")
    return parent


def _target(
    name: str,
    direction: str,
    queues: Mapping[str, Mapping[str, str]],
    marked: Mapping[str, _Marked],
) -> str:
    props = queues[name]
    nets: list[str] = []
    for m in _marks_of(props):
        rules = marked.get(m)
        if rules is not None:
            nets += [n for n in (rules.dst if direction == "down" else rules.src) if n not in nets]
    return ",".join(nets) or ",".join(_marks_of(props)) or _root_of(name, queues)


def _number(device: str, name: str, key: str, value: str, rate: bool = False) -> int:
    try:
        return ros_rate_bps(value) if rate else ros_int(value)
    except ValueError:
        raise ParseError(
            device, f"queue tree {name!r}: {key}={value!r} is not a {'rate' if rate else 'number'}"
        ) from None


def parse_tree_queues(
    device: str, detail: str, stats: str = "", mangle: str = ""
) -> list[QueueStats]:
    """Queue tree queues from the outputs of :data:`CMD_TREE`, :data:`CMD_TREE_STATS` and
    :data:`CMD_MANGLE` (any may be ``""``), in the order printed (``detail`` first).

    Limits and rates are bit/s (a limit of 0 is "none": None), ``bytes_*`` octets since the
    queue was created.  Example: ``0 name="nx-a-rsud-down" parent=nx-g-opd-down
    packet-mark=nx-a-rsud-down rate=24999936 ... bytes=1250000000`` with a rule
    ``action=mark-packet new-packet-mark=nx-a-rsud-down dst-address=10.10.2.0/24`` ->
    ``QueueStats("nx-a-rsud-down", "10.10.2.0/24", None, None, 20_000_000, 25_000_000, 0,
    1_250_000_000, 0.0, 24_999_936.0, "nx-g-opd-down")``.
    """
    details = _listing(device, CMD_TREE, detail)
    counted = _listing(device, CMD_TREE_STATS, stats)
    marked = marked_subnets(_listing(device, CMD_MANGLE, mangle))
    queues: dict[str, dict[str, str]] = {}
    flags: dict[str, frozenset[str]] = {}
    comments: dict[str, str] = {}
    for rec in details:
        name = rec.props.get("name")
        if not name:
            raise ParseError(device, f"{CMD_TREE!r}: item {rec.index} has no name (truncated?)")
        queues[name] = dict(rec.props)
        flags[name], comments[name] = rec.flags, rec.comment
    for rec in counted:
        name = rec.props.get("name")
        if not name or "bytes" not in rec.props:
            raise ParseError(
                device, f"{CMD_TREE_STATS!r}: item {rec.index} incomplete (truncated?)"
            )
        queues[name] = {**queues.get(name, {}), **rec.props}
        flags[name] = flags.get(name, frozenset()) | rec.flags
        comments[name] = comments.get(name) or rec.comment
    directions = _directions(queues, marked)
    return [
        _record(device, name, props, directions[name], flags[name], comments[name], queues, marked)
        for name, props in queues.items()
    ]


def _record(
    device: str,
    name: str,
    p: Mapping[str, str],
    direction: str,
    flags: frozenset[str],
    comment: str,
    queues: Mapping[str, Mapping[str, str]],
    marked: Mapping[str, _Marked],
) -> QueueStats:
    limit = _number(device, name, "limit-at", p["limit-at"], rate=True) if "limit-at" in p else 0
    ceil = _number(device, name, "max-limit", p["max-limit"], rate=True) if "max-limit" in p else 0
    octets = _number(device, name, "bytes", p.get("bytes") or "0")
    rate = float(_number(device, name, "rate", p["rate"], rate=True)) if p.get("rate") else None
    down = direction == "down"
    limit_bps, ceil_bps = limit or None, ceil or None
    # The router measured this queue, which carries nothing the other way: that side's rate
    # is a known 0, not a gap for the engine to fill from byte counters.
    other = None if rate is None else 0.0
    extra = {
        k: p[k] for k in ("packet-mark", "priority", "queue", "packets", "dropped") if p.get(k)
    }
    if comment:
        extra["comment"] = comment
    if "I" in flags:
        extra["invalid"] = "yes"
    return QueueStats(
        name=name,
        target=_target(name, direction, queues, marked),
        limit_at_up_bps=None if down else limit_bps,
        max_limit_up_bps=None if down else ceil_bps,
        limit_at_down_bps=limit_bps if down else None,
        max_limit_down_bps=ceil_bps if down else None,
        bytes_up=0 if down else octets,
        bytes_down=octets if down else 0,
        rate_up_bps=other if down else rate,
        rate_down_bps=rate if down else other,
        parent=p.get("parent", ""),
        disabled="X" in flags,
        extra=extra,
    )
