"""Pure parsers for MikroTik RouterOS 6/7 CLI output: the collector getters and simple queues.

ntc-templates is used where it has a template (``/system resource print``, ``/system identity
print``, ``/system routerboard print``, ``/ip neighbor print detail``); the ``print detail`` /
``print stats-detail`` / ``print stats`` / queue / ``/export`` outputs, which it lacks, go through
the format parsers of :mod:`collectors.parsers.routeros_text` (re-exported here: ``parse_records``,
``parse_stats_table``, ``parse_export_items``, ``ros_rate_bps``...).  RouterOS 7 groups digits
with spaces (``rx-byte=205 164 277``): :func:`ros_int` undoes that.

Every getter takes text and returns data or raises :class:`~netops.errors.ParseError` naming the
device and the command; nothing here opens a session.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from collectors.base import Facts, InterfaceCounters, InterfaceInfo, Neighbor, QueueStats
from collectors.parsers.common import ntc_parse
from collectors.parsers.routeros_text import (
    ERROR_LINE,
    ExportItem,
    Record,
    check_error,
    error_line,
    parse_export_items,
    parse_records,
    parse_stats_table,
    ros_int,
    ros_pair,
    ros_rate,
    ros_rate_bps,
    ros_uptime_s,
    unquote,
)
from netops.errors import ParseError

__all__ = [
    "ERROR_LINE",
    "ExportItem",
    "Record",
    "SimpleQueue",
    "parse_simple_queue_export",
    "parse_simple_queues",
    "simple_queue",
    "check_error",
    "error_line",
    "parse_export_items",
    "parse_records",
    "parse_stats_table",
    "ros_int",
    "ros_pair",
    "ros_rate",
    "ros_rate_bps",
    "ros_uptime_s",
    "unquote",
]

CMD_RESOURCE = "/system resource print"
CMD_IDENTITY = "/system identity print"
CMD_ROUTERBOARD = "/system routerboard print"
CMD_INTERFACES = "/interface print detail without-paging"
CMD_COUNTERS = "/interface print stats-detail without-paging"
CMD_COUNTERS_TABLE = "/interface print stats without-paging"
CMD_NEIGHBORS = "/ip neighbor print detail without-paging"
CMD_NEIGHBOR_COUNT = "/ip neighbor print count-only"
CMD_QUEUES = "/queue simple print detail without-paging"
CMD_QUEUE_STATS = "/queue simple print stats without-paging"
CMD_QUEUE_EXPORT = "/queue simple export terse"
CMD_EXPORT = "/export"


def _fail(device: str, command: str, message: str) -> ParseError:
    return ParseError(device, f"{command!r}: {message}")


def parse_facts(
    device: str, resource: str, identity: str, routerboard: str, interfaces: str
) -> Facts:
    """Facts from the outputs of :data:`CMD_RESOURCE`, :data:`CMD_IDENTITY`,
    :data:`CMD_ROUTERBOARD` and :data:`CMD_INTERFACES`."""
    res = ntc_parse(device, "mikrotik_routeros", CMD_RESOURCE, resource)
    ident = ntc_parse(device, "mikrotik_routeros", CMD_IDENTITY, identity)
    if not res or not ident:
        raise _fail(device, CMD_RESOURCE if not res else CMD_IDENTITY, "empty or unrecognised")
    rb = ntc_parse(device, "mikrotik_routeros", CMD_ROUTERBOARD, routerboard) if routerboard else []
    r = res[0]
    try:
        uptime_s = ros_uptime_s(r["uptime"])
    except ValueError as exc:
        raise _fail(device, CMD_RESOURCE, str(exc)) from None
    board = rb[0] if rb else {}
    model = board.get("hardware_model") or board.get("board_name") or r.get("board_name", "")
    names = tuple(i.name for i in parse_interfaces(device, interfaces)) if interfaces else ()
    return Facts(
        hostname=ident[0]["name"],
        vendor="MikroTik",
        model=model,
        os_version=r["version"],
        serial_number=board.get("serial_number", ""),
        uptime_s=uptime_s,
        interface_names=names,
    )


def _records(device: str, command: str, text: str) -> list[Record]:
    check_error(device, command, text)
    try:
        return parse_records(text)
    except ValueError as exc:
        raise _fail(device, command, str(exc)) from None


def parse_interfaces(device: str, text: str) -> list[InterfaceInfo]:
    """Interfaces from :data:`CMD_INTERFACES` (flags R = running, X = disabled)."""
    out: list[InterfaceInfo] = []
    for rec in _records(device, CMD_INTERFACES, text):
        name = rec.props.get("name")
        if not name:
            raise _fail(device, CMD_INTERFACES, f"item {rec.index} has no name (truncated?)")
        mtu = rec.props.get("actual-mtu") or rec.props.get("mtu", "")
        out.append(
            InterfaceInfo(
                name=name,
                is_up="R" in rec.flags,
                is_enabled="X" not in rec.flags,
                speed_mbps=None,
                mtu_bytes=int(mtu) if mtu.isdigit() else None,
                mac_address=rec.props.get("mac-address", "").upper(),
                description=rec.comment,
            )
        )
    return out


_COUNTER_KEYS = ("rx-byte", "tx-byte", "rx-packet", "tx-packet")


def _counters(device: str, command: str, rec: Record, what: str) -> InterfaceCounters:
    p = rec.props
    missing = [k for k in ("name", *_COUNTER_KEYS) if not p.get(k)]
    if missing:
        raise _fail(device, command, f"{what} {rec.index} lacks {', '.join(missing)} (truncated?)")
    try:
        return InterfaceCounters(
            name=p["name"],
            octets_in=ros_int(p["rx-byte"]),
            octets_out=ros_int(p["tx-byte"]),
            packets_in=ros_int(p["rx-packet"]),
            packets_out=ros_int(p["tx-packet"]),
            errors_in=ros_int(p.get("rx-error") or "0"),
            errors_out=ros_int(p.get("tx-error") or "0"),
            counter_bits=64,
        )
    except ValueError as exc:
        raise _fail(device, command, f"{what} {rec.index}: {exc}") from None


def parse_counters_detail(device: str, text: str) -> list[InterfaceCounters]:
    """64-bit counters from :data:`CMD_COUNTERS` (``print stats-detail``: ``key=value`` items,
    ``rx-byte=205 164 277``).  An item lacking any rx/tx byte/packet counter is a truncated
    output: :class:`ParseError`."""
    return [
        _counters(device, CMD_COUNTERS, rec, "item") for rec in _records(device, CMD_COUNTERS, text)
    ]


def parse_counters_table(device: str, text: str) -> list[InterfaceCounters]:
    """Counters from the column table of :data:`CMD_COUNTERS_TABLE` (``print stats``).

    A row with a blank byte/packet cell is cut short: :class:`ParseError` (blank error and drop
    cells are normal: RouterOS leaves them empty on ports that do not count them).
    """
    check_error(device, CMD_COUNTERS_TABLE, text)
    try:
        rows = parse_stats_table(text)
    except ValueError as exc:
        raise _fail(device, CMD_COUNTERS_TABLE, str(exc)) from None
    if rows and not all(k in rows[0].props for k in _COUNTER_KEYS):
        raise _fail(device, CMD_COUNTERS_TABLE, "table lacks RX/TX byte/packet columns")
    out = []
    for rec in rows:
        if not all(rec.props.get(k) for k in _COUNTER_KEYS):
            raise _fail(device, CMD_COUNTERS_TABLE, f"row {rec.index} is incomplete (truncated?)")
        out.append(_counters(device, CMD_COUNTERS_TABLE, rec, "row"))
    return out


def parse_neighbors(device: str, text: str) -> list[Neighbor]:
    """Neighbours from :data:`CMD_NEIGHBORS` (MNDP/LLDP/CDP as RouterOS merges them)."""
    check_error(device, CMD_NEIGHBORS, text)
    rows = ntc_parse(device, "mikrotik_routeros", "/ip neighbor print detail", text)
    out: list[Neighbor] = []
    for r in rows:
        if not r.get("interface") or not r.get("identity"):
            raise _fail(device, CMD_NEIGHBORS, "neighbour without interface or identity")
        # "interface" may be "ether2,bridge" when seen through a bridge: keep the port.
        local = r["interface"].split(",")[0]
        out.append(
            Neighbor(
                local_interface=local,
                remote_system_name=r["identity"],
                remote_port=r.get("interface_name", ""),
                remote_address=r.get("ipv4_address") or r.get("ip_address", ""),
                protocol="mndp",
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class SimpleQueue:
    """One ``/queue simple`` item, as ``print detail`` or ``/export`` show it.

    Pairs are (upload, download) as seen from the target.  Rates are bit/s, ``0`` meaning "no
    limit" as on the router; ``priority`` 1 (highest) .. 8; ``parent`` is "" for ``none``;
    ``targets`` are the subnets or interface names of ``target`` (``target-addresses`` before
    RouterOS 3).  Example: ``name=rsud target=10.10.2.0/24 max-limit=80M/180M`` ->
    ``SimpleQueue("rsud", ("10.10.2.0/24",), max_limit_up_bps=80_000_000, ...)``.
    """

    name: str
    targets: tuple[str, ...]
    max_limit_up_bps: int
    max_limit_down_bps: int
    limit_at_up_bps: int
    limit_at_down_bps: int
    priority_up: int
    priority_down: int
    parent: str
    queue_up: str
    queue_down: str
    comment: str
    disabled: bool
    dynamic: bool


def simple_queue(
    props: Mapping[str, str], *, comment: str = "", flags: frozenset[str] = frozenset()
) -> SimpleQueue:
    """A :class:`SimpleQueue` from one item's properties (a :class:`Record`'s ``props`` or an
    :class:`ExportItem`'s).  Raises :class:`ValueError` for a missing name or unreadable value."""
    name = props.get("name", "")
    if not name:
        raise ValueError("queue without a name (truncated?)")
    target = props.get("target") or props.get("target-addresses") or props.get("dst-address", "")
    max_up, max_down = ros_pair(props.get("max-limit", "0/0"))
    at_up, at_down = ros_pair(props.get("limit-at", "0/0"))
    prio_up, prio_down = ros_pair(props.get("priority", "8/8"))
    queue_up, queue_down = ros_pair(props.get("queue", "default-small/default-small"))
    try:
        priority = (int(prio_up), int(prio_down))
    except ValueError:
        raise ValueError(f"queue {name!r}: priority {props['priority']!r} is not N/N") from None
    parent = props.get("parent", "none")
    return SimpleQueue(
        name=name,
        targets=tuple(t for t in target.split(",") if t),
        max_limit_up_bps=ros_rate_bps(max_up),
        max_limit_down_bps=ros_rate_bps(max_down),
        limit_at_up_bps=ros_rate_bps(at_up),
        limit_at_down_bps=ros_rate_bps(at_down),
        priority_up=priority[0],
        priority_down=priority[1],
        parent="" if parent == "none" else parent,
        queue_up=queue_up,
        queue_down=queue_down,
        comment=comment or props.get("comment", ""),
        disabled="X" in flags or props.get("disabled") in ("yes", "true"),
        dynamic="D" in flags,
    )


def parse_simple_queues(device: str, text: str) -> list[SimpleQueue]:
    """Simple queues from :data:`CMD_QUEUES` (``/queue simple print detail``).

    Raises :class:`ParseError` naming the device and the item for an incomplete or unreadable
    item."""
    out = []
    for rec in _records(device, CMD_QUEUES, text):
        try:
            out.append(simple_queue(rec.props, comment=rec.comment, flags=rec.flags))
        except ValueError as exc:
            raise _fail(device, CMD_QUEUES, f"item {rec.index}: {exc}") from None
    return out


def parse_simple_queue_export(device: str, text: str) -> list[SimpleQueue]:
    """Simple queues from ``/queue simple export [terse]`` or a whole ``/export`` (both layouts;
    other sections are ignored).  Raises :class:`ParseError` naming the device and the line."""
    check_error(device, CMD_QUEUE_EXPORT, text)
    out = []
    for item in parse_export_items(text):
        if item.section != "/queue simple" or item.action != "add":
            continue
        try:
            out.append(simple_queue(item.props))
        except ValueError as exc:
            raise _fail(device, CMD_QUEUE_EXPORT, f"line {item.line}: {exc}") from None
    return out


def parse_queues(device: str, detail: str, stats: str = "") -> list[QueueStats]:
    """Simple queues from :data:`CMD_QUEUES`, joined by name with :data:`CMD_QUEUE_STATS`.

    ``max-limit``/``limit-at``/``bytes``/``rate`` are ``UP/DOWN`` pairs seen from the target;
    a limit of 0 ("none") becomes None.
    """
    by_name: dict[str, dict[str, str]] = {}
    for rec in _records(device, CMD_QUEUE_STATS, stats) if stats else []:
        if "name" not in rec.props or "bytes" not in rec.props:
            raise _fail(device, CMD_QUEUE_STATS, f"item {rec.index} incomplete (truncated?)")
        by_name[rec.props["name"]] = rec.props
    out: list[QueueStats] = []
    for rec in _records(device, CMD_QUEUES, detail):
        p = rec.props
        if "name" not in p or "max-limit" not in p:
            raise _fail(device, CMD_QUEUES, f"item {rec.index} incomplete (truncated?)")
        try:
            q = simple_queue(p, comment=rec.comment, flags=rec.flags)
            s = by_name.get(q.name, {})
            b_up, b_down = ros_pair(s.get("bytes", p.get("bytes", "0/0")))
            r_pair = s.get("rate") or p.get("rate")
            r_up, r_down = ros_pair(r_pair) if r_pair else ("", "")
            out.append(
                QueueStats(
                    name=q.name,
                    target=",".join(q.targets),
                    limit_at_up_bps=q.limit_at_up_bps or None,
                    max_limit_up_bps=q.max_limit_up_bps or None,
                    limit_at_down_bps=q.limit_at_down_bps or None,
                    max_limit_down_bps=q.max_limit_down_bps or None,
                    bytes_up=ros_int(b_up),
                    bytes_down=ros_int(b_down),
                    rate_up_bps=float(ros_rate_bps(r_up)) if r_up else None,
                    rate_down_bps=float(ros_rate_bps(r_down)) if r_down else None,
                    parent=q.parent,
                    disabled=q.disabled,
                    extra={k: v for k, v in p.items() if k in ("priority", "queue", "comment")},
                )
            )
        except ValueError as exc:
            raise _fail(device, CMD_QUEUES, f"item {rec.index}: {exc}") from None
    return out


def parse_export(device: str, text: str) -> str:
    """The ``/export`` text, checked to look like a RouterOS export (``/section`` lines)."""
    check_error(device, CMD_EXPORT, text)
    if not re.search(r"^/[a-z]", text, re.M):
        raise _fail(device, CMD_EXPORT, "no '/section' line: not an export (empty or truncated)")
    return text
