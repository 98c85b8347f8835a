"""Pure parsers for a Linux router's shell output (iproute2, /proc, lldpd).

``ip -j -s link`` and ``lldpcli -f json`` are JSON; ``ip -s link`` text is read by
:func:`parse_ip_s_link`; ``tc`` has no stable JSON for HTB stats on older iproute2, so its text is
parsed by :mod:`collectors.parsers.tc` (re-exported here).  Functions take text and return
collector records or raise :class:`~netops.errors.ParseError` naming the device and the command.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from collectors.base import Facts, InterfaceCounters, InterfaceInfo, Neighbor, QueueStats
from collectors.parsers.tc import (
    TcClass,
    TcFilter,
    U32Match,
    check_error,
    cmd_tc_class,
    cmd_tc_filter,
    cmd_tc_qdisc,
    parse_tc_classes,
    parse_tc_filters,
    tc_rate_bps,
    tc_size_bytes,
)
from netops.errors import ParseError

__all__ = [
    "TcClass",
    "TcFilter",
    "U32Match",
    "check_error",
    "cmd_tc_class",
    "cmd_tc_filter",
    "cmd_tc_qdisc",
    "parse_ip_s_link",
    "parse_tc_classes",
    "parse_tc_filters",
    "tc_rate_bps",
    "tc_size_bytes",
]

CMD_HOSTNAME = "hostname"
CMD_UPTIME = "cat /proc/uptime"
CMD_UNAME = "uname -a"
CMD_LINKS = "ip -j -s link"
CMD_LLDP = "lldpcli -f json show neighbors"
CMD_ADDR = "ip addr"


def _json(device: str, command: str, text: str) -> Any:
    check_error(device, command, text)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ParseError(device, f"{command!r}: not JSON (truncated?): {exc}") from None


def parse_uptime_s(device: str, text: str) -> float:
    """``/proc/uptime`` -> seconds since boot (first field)."""
    check_error(device, CMD_UPTIME, text)
    parts = text.split()
    try:
        value = float(parts[0])
    except (IndexError, ValueError):
        raise ParseError(device, f"{CMD_UPTIME!r}: expected seconds, got {text[:40]!r}") from None
    if len(parts) != 2:
        raise ParseError(device, f"{CMD_UPTIME!r}: expected two numbers, got {text[:40]!r}")
    return value


@dataclass(frozen=True, slots=True)
class Link:
    info: InterfaceInfo
    counters: InterfaceCounters


def parse_links(device: str, text: str) -> list[Link]:
    """``ip -j -s link``: interface state and 64-bit counters (``stats64``) per interface."""
    data = _json(device, CMD_LINKS, text)
    if not isinstance(data, list):
        raise ParseError(device, f"{CMD_LINKS!r}: expected a JSON list")
    out: list[Link] = []
    for item in data:
        try:
            name = str(item["ifname"])
            flags = set(item.get("flags", []))
            stats = item.get("stats64") or item["stats"]
            rx, tx = stats["rx"], stats["tx"]
            info = InterfaceInfo(
                name=name,
                is_up=item.get("operstate") == "UP" or "LOWER_UP" in flags,
                is_enabled="UP" in flags,
                speed_mbps=None,
                mtu_bytes=int(item["mtu"]) if "mtu" in item else None,
                mac_address=str(item.get("address", "")).upper(),
                description=str(item.get("ifalias", "")),
            )
            counters = InterfaceCounters(
                name=name,
                octets_in=int(rx["bytes"]),
                octets_out=int(tx["bytes"]),
                packets_in=int(rx["packets"]),
                packets_out=int(tx["packets"]),
                errors_in=int(rx.get("errors", 0)),
                errors_out=int(tx.get("errors", 0)),
                counter_bits=64 if "stats64" in item else 32,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(device, f"{CMD_LINKS!r}: interface entry lacks {exc}") from None
        out.append(Link(info, counters))
    return out


def parse_facts(
    device: str, hostname: str, uptime: str, uname: str, links: str, serial: str = ""
) -> Facts:
    """Facts from ``hostname``, ``cat /proc/uptime``, ``uname -a`` and ``ip -j -s link``."""
    check_error(device, CMD_HOSTNAME, hostname)
    check_error(device, CMD_UNAME, uname)
    name = hostname.strip()
    parts = uname.split()
    if not name or len(name.split()) != 1:
        raise ParseError(device, f"{CMD_HOSTNAME!r}: expected one name, got {hostname[:40]!r}")
    if len(parts) < 3 or parts[0] != "Linux":
        raise ParseError(device, f"{CMD_UNAME!r}: expected 'Linux HOST RELEASE ...'")
    return Facts(
        hostname=name,
        vendor="Linux",
        model=parts[-2] if len(parts) >= 2 else "",
        os_version=f"Linux {parts[2]}",
        serial_number=serial,
        uptime_s=parse_uptime_s(device, uptime),
        interface_names=tuple(link.info.name for link in parse_links(device, links)),
    )


def _lldp_value(node: Any, *path: str) -> str:
    """Walk lldpcli JSON, which wraps values as ``[{"value": x}]`` (json0) or plain (json)."""
    for key in path:
        if isinstance(node, list):
            node = node[0] if node else {}
        if not isinstance(node, dict):
            return ""
        node = node.get(key, {})
    if isinstance(node, list):
        node = node[0] if node else ""
    if isinstance(node, dict):
        node = node.get("value", "")
    return str(node) if node is not None else ""


def parse_lldp(device: str, text: str) -> list[Neighbor]:
    """``lldpcli -f json show neighbors``: both its ``json`` and ``json0`` shapes."""
    data = _json(device, CMD_LLDP, text)
    if not isinstance(data, dict) or "lldp" not in data:
        # lldpd always prints {"lldp": ...}, an empty one when it sees no neighbour
        raise ParseError(device, f"{CMD_LLDP!r}: no 'lldp' object: not a neighbour list")
    lldp = data["lldp"]
    if isinstance(lldp, list):
        lldp = lldp[0] if lldp else {}
    ifaces = lldp.get("interface", []) if isinstance(lldp, dict) else []
    entries: list[tuple[str, Any]] = []
    if isinstance(ifaces, dict):
        entries = list(ifaces.items())
    else:
        for item in ifaces:
            if isinstance(item, dict) and "name" in item:
                entries.append((str(item["name"]), item))
            elif isinstance(item, dict):
                entries.extend(item.items())
    out: list[Neighbor] = []
    for local, body in entries:
        chassis = body.get("chassis", {})
        if isinstance(chassis, list):
            chassis = chassis[0] if chassis else {}
        # json format: {"chassis": {"sysname": {...}}}; json0: {"chassis": [{"name": [...]}]}
        name = _lldp_value(chassis, "name")
        if not name and isinstance(chassis, dict) and len(chassis) == 1:
            only = next(iter(chassis))
            name = only if isinstance(chassis[only], dict) else ""
            chassis = chassis[only] if isinstance(chassis[only], dict) else chassis
        port = _lldp_value(body, "port", "id") or _lldp_value(body, "port", "descr")
        if not name:
            raise ParseError(device, f"{CMD_LLDP!r}: neighbour on {local} has no system name")
        out.append(
            Neighbor(
                local_interface=local,
                remote_system_name=name,
                remote_port=port,
                remote_address=_lldp_value(chassis, "mgmt-ip"),
                protocol="lldp",
            )
        )
    return out


def tc_queues(dev: str, classes: list[TcClass], filters: list[TcFilter]) -> list[QueueStats]:
    """HTB classes as :class:`QueueStats`: the direction comes from the class's u32 filters
    (destination match = down); classes without a filter count as down on ``dev``'s egress."""
    by_class: dict[str, list[U32Match]] = {}
    for f in filters:
        by_class.setdefault(f.classid, []).extend(m for m in f.matches if m.ip_field)
    out: list[QueueStats] = []
    for c in classes:
        matches = by_class.get(c.classid, [])
        target = ",".join(sorted({str(m.network) for m in matches})) or dev
        up = bool(matches) and all(m.ip_field == "src" for m in matches)
        sent = c.sent_bytes or 0
        out.append(
            QueueStats(
                name=f"{dev}/{c.classid}",
                target=target,
                limit_at_up_bps=c.rate_bps if up else None,
                max_limit_up_bps=c.ceil_bps if up else None,
                limit_at_down_bps=None if up else c.rate_bps,
                max_limit_down_bps=None if up else c.ceil_bps,
                bytes_up=sent if up else 0,
                bytes_down=0 if up else sent,
                parent=f"{dev}/{c.parent}" if c.parent else "",
                extra={"prio": str(c.prio)} if c.prio is not None else {},
            )
        )
    return out


_LINK_HEAD = re.compile(r"^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>(.*)$")


def parse_ip_s_link(device: str, text: str) -> list[Link]:
    """``ip -s link [show [dev] DEV]`` (text, for iproute2 without ``-j``): state and counters.

    Counter rows are read under their ``RX:``/``TX:`` header names (``bytes packets errors
    dropped ...``), so both the old and the iproute2 6 column layouts work.  An interface
    whose counter rows are missing or not numbers is a truncated output: :class:`ParseError`.
    """
    command = "ip -s link"
    check_error(device, command, text)
    heads: list[tuple[str, set[str], dict[str, str]]] = []
    counters: dict[str, dict[str, int]] = {}
    pending: tuple[str, list[str]] | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        m = _LINK_HEAD.match(line)
        if m:
            words = m.group(3).split()
            pairs = dict(zip(words, words[1:], strict=False))
            heads.append((m.group(1), set(m.group(2).split(",")), pairs))
            continue
        stripped = line.strip()
        if not heads:
            continue
        name, _, extra = heads[-1]
        if stripped.startswith(("RX:", "TX:")):
            pending = (stripped[:2].lower(), stripped[3:].split())
        elif pending is not None:
            values = stripped.split()
            if len(values) < 4 or not all(v.isdigit() for v in values):
                raise ParseError(device, f"{command!r}: line {n}: {pending[0].upper()} counters")
            for key, value in zip(pending[1], values, strict=False):
                counters.setdefault(name, {})[f"{pending[0]}_{key}"] = int(value)
            pending = None
        elif stripped.startswith("link/"):
            parts = stripped.split()
            extra["address"] = parts[1] if len(parts) > 1 else ""
        elif stripped.startswith("alias "):
            extra["alias"] = stripped[len("alias ") :]
    out: list[Link] = []
    for name, flags, extra in heads:
        c = counters.get(name, {})
        need = ("rx_bytes", "rx_packets", "tx_bytes", "tx_packets")
        if not all(k in c for k in need):
            raise ParseError(device, f"{command!r}: {name} has no RX/TX counters (truncated?)")
        mtu = extra.get("mtu", "")
        out.append(
            Link(
                InterfaceInfo(
                    name=name,
                    is_up=extra.get("state") == "UP" or "LOWER_UP" in flags,
                    is_enabled="UP" in flags,
                    speed_mbps=None,
                    mtu_bytes=int(mtu) if mtu.isdigit() else None,
                    mac_address=extra.get("address", "").upper(),
                    description=extra.get("alias", ""),
                ),
                InterfaceCounters(
                    name=name,
                    octets_in=c["rx_bytes"],
                    octets_out=c["tx_bytes"],
                    packets_in=c["rx_packets"],
                    packets_out=c["tx_packets"],
                    errors_in=c.get("rx_errors", 0),
                    errors_out=c.get("tx_errors", 0),
                    counter_bits=64,
                ),
            )
        )
    return out
