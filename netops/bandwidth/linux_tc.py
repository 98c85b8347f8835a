"""Linux ``tc`` HTB: render entries to ``tc`` commands and parse ``tc class/filter show`` back.

Download is shaped on the LAN interface's egress, upload on the WAN interface's egress.  Classes
have no names in tc, so netops keeps its own bookkeeping: class ids are derived from the plan
order (root ``1:1``, groups ``1:100``.., agencies ``1:1000``..) and a leaf class is recognised by
the subnets its u32 filter matches (``ip dst`` for download, ``ip src`` for upload).  Only
numbers, validated interface names and parsed subnets reach a command.  An interface with any
difference is rebuilt whole (delete the root qdisc, add it again).  Reading back goes through
the collectors' tc parsers (:mod:`collectors.parsers.tc`).  Pure.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from collectors.parsers.tc import (
    ERROR_LINE,
    error_line,
    parse_tc_classes,
    parse_tc_filters,
)
from netops.bandwidth.diff import QueueDiff
from netops.bandwidth.entries import QueueEntry, ShaperTarget
from netops.bandwidth.names import address_side, classifiers, interface_for
from netops.bandwidth.plan import DIRECTIONS, ROOT_KEY, Direction
from netops.errors import PlanError

TC = "tc"
GROUP_BASE = 0x100
AGENCY_BASE = 0x1000
MAX_MINOR = 0xFFFF
ERROR_RE = ERROR_LINE
# Where u32 finds an address in the IPv4 header (tc prints matches as at 12 / at 16).
U32_OFFSET = {"src": 12, "dst": 16}
BURST_S = 0.05
MIN_BURST_BYTES = 3028
QUEUE_S = 0.1
MIN_QUEUE_PACKETS = 16
FRAME_BYTES = 1514


def class_ids(entries: Iterable[QueueEntry]) -> dict[str, str]:
    """key -> tc class id (``1:1``, ``1:100``, ``1:1000``...) in plan order.

    Raises :class:`PlanError` when there are more groups or agencies than class ids.
    """
    ids: dict[str, str] = {}
    groups = agencies = 0
    for e in entries:
        if e.key in ids:
            continue
        if e.key == ROOT_KEY:
            ids[e.key] = "1:1"
        elif e.key.startswith("g:"):
            if GROUP_BASE + groups >= AGENCY_BASE:
                raise PlanError(f"too many groups for tc class ids ({groups + 1})")
            ids[e.key] = f"1:{GROUP_BASE + groups:x}"
            groups += 1
        else:
            if AGENCY_BASE + agencies > MAX_MINOR:
                raise PlanError(f"too many agencies for tc class ids ({agencies + 1})")
            ids[e.key] = f"1:{AGENCY_BASE + agencies:x}"
            agencies += 1
    return ids


def tc_rate(bps: int) -> str:
    """bit/s as a tc rate; tc needs at least 8 bit/s (1 byte/s)."""
    bps = max(bps, 8)
    if bps % 1_000_000 == 0:
        return f"{bps // 1_000_000}mbit"
    if bps % 1000 == 0:
        return f"{bps // 1000}kbit"
    return f"{bps}bit"


def burst_bytes(bps: int) -> int:
    """Bytes a class may send at once: :data:`BURST_S` of its rate, at least two full frames.

    tc's default (about one frame) leaves a class whose ceiling binds under contention well below
    its ceiling, and the others above their share (measured, LAB-NOTES); with bursts of tens of
    milliseconds the kernel gives what the fair-share model computes.
    """
    return max(MIN_BURST_BYTES, int(bps * BURST_S / 8))


def queue_packets(ceil_bps: int) -> int:
    """An agency leaf's queue: :data:`QUEUE_S` of full frames at its ceiling (at least
    :data:`MIN_QUEUE_PACKETS`), instead of the interface's 1,000 packets, which at a few Mbit/s
    hold seconds of traffic (bufferbloat: the agency's own latency and TCP's feedback suffer)."""
    return max(MIN_QUEUE_PACKETS, int(ceil_bps * QUEUE_S / 8 / FRAME_BYTES))


def render_interface(target: ShaperTarget, direction: Direction, rebuild: bool) -> list[str]:
    """Commands that (re)build the HTB tree of one direction on its interface."""
    iface = interface_for(target, direction)
    mine = [e for e in target.entries if e.direction == direction]
    ids = class_ids(target.entries)
    cmds = []
    if rebuild:
        cmds.append(f"{TC} qdisc del dev {iface} root")
    if not mine:
        return cmds
    cmds.append(f"{TC} qdisc replace dev {iface} root handle 1: htb r2q 10")
    for e in mine:
        parent = ids[e.parent] if e.parent else "1:"
        prio = f" prio {e.prio - 1}" if e.key.startswith("a:") and e.prio else ""
        ceil_bps = max(e.ceil_bps, e.rate_bps)
        cmds.append(
            f"{TC} class add dev {iface} parent {parent} classid {ids[e.key]} htb "
            f"rate {tc_rate(e.rate_bps)} ceil {tc_rate(ceil_bps)}"
            f" burst {burst_bytes(e.rate_bps)} cburst {burst_bytes(ceil_bps)}{prio}"
        )
    for e in mine:
        if e.key.startswith("a:"):
            minor = ids[e.key].split(":")[1]
            cmds.append(
                f"{TC} qdisc add dev {iface} parent {ids[e.key]} handle {minor}: pfifo "
                f"limit {queue_packets(max(e.ceil_bps, e.rate_bps))}"
            )
    for e, side, net in classifiers(e for e in mine if e.key.startswith("a:")):
        cmds.append(
            f"{TC} filter add dev {iface} parent 1: protocol ip prio 1 u32 "
            f"match ip {side} {net} flowid {ids[e.key]}"
        )
    return cmds


def render_full(target: ShaperTarget) -> list[str]:
    """Commands that build both directions on interfaces without an HTB tree."""
    return render_interface(target, "down", False) + render_interface(target, "up", False)


def render_changes(target: ShaperTarget, diff: QueueDiff) -> list[str]:
    """Rebuild each direction that has any actionable difference."""
    cmds: list[str] = []
    for d in DIRECTIONS:
        if any(c.entry.direction == d for c in diff.actionable):
            present = any(c.actual is not None and c.entry.direction == d for c in diff.changes)
            present = present or any(e.direction == d for e in _in_sync(target, diff))
            cmds += render_interface(target, d, present)
    return cmds


def _in_sync(target: ShaperTarget, diff: QueueDiff) -> list[QueueEntry]:
    changed = {c.entry.ident() for c in diff.changes}
    return [e for e in target.entries if e.ident() not in changed]


def read_commands(target: ShaperTarget) -> list[str]:
    cmds = []
    for d in DIRECTIONS:
        iface = interface_for(target, d)
        cmds += [f"{TC} class show dev {iface}", f"{TC} filter show dev {iface}"]
    return cmds


def parse_filters(text: str) -> dict[str, list[tuple[int, ipaddress.IPv4Network]]]:
    """class id -> [(offset, network)] from ``tc filter show`` (u32: offset 12 src, 16 dst)."""
    out: dict[str, list[tuple[int, ipaddress.IPv4Network]]] = {}
    for f in parse_tc_filters("linux", "", text):
        for m in f.matches:
            out.setdefault(f.classid, []).append((m.offset, m.network))
    return out


def parse_interface(
    class_text: str,
    filter_text: str,
    target: ShaperTarget,
    direction: Direction,
    device: str = "linux",
) -> list[QueueEntry]:
    """Entries of one direction from ``tc class show`` and ``tc filter show`` of its interface.

    Class ids map back to keys through the plan's bookkeeping (:func:`class_ids`), then by the
    filter's subnets; anything else is foreign (``x:<class id>``).  Raises :class:`ParseError`.
    """
    iface = target.lan_interface if direction == "down" else target.wan_interface
    ids = {v: k for k, v in class_ids(target.entries).items()}
    by_subnet = {
        (s, e.direction): e.key for e in target.entries if e.key.startswith("a:") for s in e.subnets
    }
    offset = U32_OFFSET[address_side(direction)]
    nets_of: dict[str, list[ipaddress.IPv4Network]] = {}
    for f in parse_tc_filters(device, iface, filter_text):
        nets_of.setdefault(f.classid, []).extend(m.network for m in f.matches if m.offset == offset)
    classes = parse_tc_classes(device, iface, class_text, stats=False)
    parents = {c.parent for c in classes if c.parent}
    keys: dict[str, str] = {}
    for c in classes:
        nets = nets_of.get(c.classid, [])
        key = ids.get(c.classid) or (by_subnet.get((nets[0], direction)) if nets else None)
        keys[c.classid] = key or f"x:{c.classid}"
    out: list[QueueEntry] = []
    for c in classes:
        key = keys[c.classid]
        managed = not key.startswith("x:")
        leaf = c.classid not in parents
        prio = c.prio + 1 if c.prio is not None and leaf else 0
        out.append(
            QueueEntry(
                key=key,
                direction=direction,
                subnets=tuple(nets_of.get(c.classid, [])),
                rate_bps=c.rate_bps,
                ceil_bps=c.ceil_bps,
                prio=prio if (key.startswith("a:") or not managed) else 0,
                parent=keys.get(c.parent) if c.parent else None,
                device_name=c.classid,
                managed=managed,
            )
        )
    # Inner classes carry the union of their descendants' subnets, as in the plan.
    return _with_inner_subnets(out)


def _with_inner_subnets(entries: list[QueueEntry]) -> list[QueueEntry]:
    from dataclasses import replace

    kids: dict[str, list[QueueEntry]] = {}
    for e in entries:
        if e.parent:
            kids.setdefault(e.parent, []).append(e)

    def subnets(e: QueueEntry) -> tuple[ipaddress.IPv4Network, ...]:
        if e.key not in kids:
            return e.subnets
        return tuple(s for k in kids[e.key] for s in subnets(k))

    return [replace(e, subnets=subnets(e)) if e.key in kids else e for e in entries]


def output_error(output: str) -> str | None:
    """The shell/tc error line in a command's output, or None."""
    return error_line(output)
