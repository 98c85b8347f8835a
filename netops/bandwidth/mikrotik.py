"""MikroTik RouterOS simple queues: render entries to commands and parse ``export`` back.

One simple queue holds both directions of a key: ``max-limit=UP/DOWN`` (ceil), ``limit-at=UP/DOWN``
(rate), ``priority=UP/DOWN``, ``target`` the subnets, ``parent`` the parent queue's name.  Names
(``nx-uplink``, ``nx-g-<group>``, ``nx-a-<agency>``) come from :mod:`netops.bandwidth.names`
(:func:`queue_name` and :func:`key_of` stay importable from here) and every value is quoted
with :func:`routeros_quote`; the free-text agency name only reaches ``comment``.
Reading back goes through the collectors' RouterOS parsers (:mod:`collectors.parsers.routeros`);
this module only maps their :class:`SimpleQueue` records onto entries.  Pure.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from collectors.parsers.routeros import (
    ERROR_LINE,
    error_line,
    parse_export_items,
    parse_simple_queue_export,
    ros_rate,
)
from netops.bandwidth.diff import QueueDiff
from netops.bandwidth.entries import QueueEntry, ShaperTarget
from netops.bandwidth.names import key_of, queue_name, ros_find
from netops.bandwidth.plan import Direction
from netops.bandwidth.quoting import routeros_quote, safe_subnet
from netops.errors import ParseError

READ_COMMAND = "/queue simple export terse"
ERROR_RE = ERROR_LINE


def _pairs(entries: Iterable[QueueEntry]) -> dict[str, dict[Direction, QueueEntry]]:
    out: dict[str, dict[Direction, QueueEntry]] = {}
    for e in entries:
        out.setdefault(e.key, {})[e.direction] = e
    return out


def _args(by_dir: dict[Direction, QueueEntry], *, setting: bool = False) -> str:
    """Properties of one queue; ``setting`` (a ``set`` of an existing queue) also says whether
    it is enabled, so a queue disabled by hand is switched back on."""
    down = by_dir.get("down") or by_dir["up"]
    up = by_dir.get("up") or down
    subnets = ",".join(str(safe_subnet(s)) for s in down.subnets)
    parts = [
        f"target={routeros_quote(subnets)}",
        f"max-limit={ros_rate(up.ceil_bps)}/{ros_rate(down.ceil_bps)}",
        f"limit-at={ros_rate(up.rate_bps)}/{ros_rate(down.rate_bps)}",
        f"priority={up.prio or 8}/{down.prio or 8}",
    ]
    if down.parent:
        parts.append(f"parent={routeros_quote(queue_name(down.parent))}")
    comment = f"netops: {down.label}" if down.label else "netops"
    parts.append(f"comment={routeros_quote(comment)}")
    disabled = any(e.disabled for e in by_dir.values())
    if setting or disabled:
        parts.append(f"disabled={'yes' if disabled else 'no'}")
    return " ".join(parts)


def render_full(target: ShaperTarget) -> list[str]:
    """Commands that create every queue of ``target`` on an empty router (parents first)."""
    cmds = []
    for key, by_dir in _pairs(target.entries).items():
        cmds.append(f"/queue simple add name={routeros_quote(queue_name(key))} {_args(by_dir)}")
    return cmds


def render_changes(target: ShaperTarget, diff: QueueDiff) -> list[str]:
    """Commands that turn the router's state into ``target``: removals (children first), then
    additions (parents first), then changes.  A queue the router has under the plan's name
    (even disabled or edited by hand) is ``set`` (enabled, values changed), never added again.
    Foreign queues are left alone."""
    desired = _pairs(target.entries)
    on_router = {c.actual.key: c.actual.device_name for c in diff.changes if c.actual is not None}
    touched = {c.entry.key for c in diff.actionable}
    removes = [
        f"/queue simple remove {ros_find(on_router[k] or queue_name(k))}"
        for k in dict.fromkeys(c.entry.key for c in diff.actionable if c.op == "remove")
        if k not in desired
    ]
    adds, sets = [], []
    for key, by_dir in desired.items():
        if key not in touched:
            continue
        name = routeros_quote(queue_name(key))
        if key in on_router:
            found = ros_find(on_router[key] or queue_name(key))
            sets.append(f"/queue simple set {found} {_args(by_dir, setting=True)}")
        else:
            adds.append(f"/queue simple add name={name} {_args(by_dir)}")
    return removes + adds + sets


def parse_export(text: str) -> list[dict[str, str]]:
    """Rows of ``/queue simple export [terse]`` as {property: unquoted value}.

    Handles terse (one ``/queue simple add ...`` per line) and the default layout (a section
    header, ``add`` lines, ``\\`` line continuations).  Comment lines are skipped.
    """
    return [
        dict(item.props)
        for item in parse_export_items(text)
        if item.section == "/queue simple" and item.action == "add"
    ]


def parse_queues(text: str, device: str = "mikrotik") -> list[QueueEntry]:
    """Queue entries (both directions) from ``/queue simple export terse`` output.

    Raises :class:`ParseError` naming the device when a row has unreadable rates or targets.
    """
    out: list[QueueEntry] = []
    for q in parse_simple_queue_export(device, text):
        key = key_of(q.name)
        if q.disabled and key is None:
            continue  # a disabled foreign queue shapes nothing and is none of netops' business
        try:
            subnets = tuple(
                ipaddress.IPv4Network(t, strict=False) for t in q.targets if t[0].isdigit()
            )
        except ValueError as exc:
            raise ParseError(device, f"queue {q.name!r}: {exc}") from None
        parent = None if not q.parent else (key_of(q.parent) or f"x:{q.parent}")
        managed = key is not None
        k = key or f"x:{q.name}"
        values: dict[Direction, tuple[int, int, int]] = {
            "down": (q.limit_at_down_bps, q.max_limit_down_bps, q.priority_down),
            "up": (q.limit_at_up_bps, q.max_limit_up_bps, q.priority_up),
        }
        for direction, (rate, ceil, prio) in values.items():
            out.append(
                QueueEntry(
                    key=k,
                    direction=direction,
                    subnets=subnets,
                    rate_bps=rate,
                    ceil_bps=ceil,
                    prio=prio if (k.startswith("a:") or not managed) else 0,
                    parent=parent,
                    label=q.comment,
                    device_name=q.name,
                    managed=managed,
                    disabled=q.disabled,
                )
            )
    return out


def output_error(output: str) -> str | None:
    """The RouterOS error line in a command's output, or None."""
    return error_line(output)
