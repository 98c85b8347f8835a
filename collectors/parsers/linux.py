"""Pure parsers for a Linux router's shell output (iproute2, /proc, lldpd).

``ip -j -s link`` and ``lldpcli -f json`` are JSON; ``tc`` has no stable JSON for HTB stats on
older iproute2, so its text is parsed here.  Functions take text and return collector records or
raise :class:`~netops.errors.ParseError` naming the device and the command.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Any

from collectors.base import Facts, InterfaceCounters, InterfaceInfo, Neighbor, QueueStats
from netops.errors import ParseError

CMD_HOSTNAME = "hostname"
CMD_UPTIME = "cat /proc/uptime"
CMD_UNAME = "uname -a"
CMD_LINKS = "ip -j -s link"
CMD_LLDP = "lldpcli -f json show neighbors"
CMD_ADDR = "ip addr"


def cmd_tc_class(dev: str) -> str:
    return f"tc -s class show dev {dev}"


def cmd_tc_filter(dev: str) -> str:
    return f"tc filter show dev {dev}"


def cmd_tc_qdisc(dev: str) -> str:
    return f"tc qdisc show dev {dev}"


_SHELL_ERROR = re.compile(
    r"(command not found|No such file or directory|Cannot find device|Permission denied|"
    r"Object \".*\" is unknown|RTNETLINK answers:)"
)


def check_error(device: str, command: str, text: str) -> None:
    """Raise :class:`ParseError` when the shell or the tool answered with an error."""
    m = _SHELL_ERROR.search(text)
    if m:
        line = next((ln for ln in text.splitlines() if m.group(1) in ln), m.group(1))
        raise ParseError(device, f"{command!r} failed: {line.strip()[:120]}")


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
    lldp = data.get("lldp", {}) if isinstance(data, dict) else {}
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


_TC_RATE = re.compile(r"^([0-9.]+)([KMGT]?)(bit|bps)$")
_TC_MULT = {"": 1, "K": 1_000, "M": 1_000_000, "G": 1_000_000_000, "T": 10**12}


def tc_rate_bps(value: str) -> int:
    """tc's rate text -> bit/s: ``"60Mbit"`` -> 60_000_000; ``"1Kbps"`` (bytes!) -> 8_000."""
    m = _TC_RATE.match(value)
    if not m:
        raise ValueError(f"not a tc rate: {value!r}")
    bps = float(m.group(1)) * _TC_MULT[m.group(2)]
    return int(round(bps * (8 if m.group(3) == "bps" else 1)))


@dataclass(frozen=True, slots=True)
class TcClass:
    classid: str
    parent: str
    rate_bps: int
    ceil_bps: int
    sent_bytes: int
    prio: int | None


_CLASS = re.compile(
    r"^class htb (\S+) (?:parent (\S+)|root)(?: leaf \S+)?(?: prio (\d+))? "
    r"rate (\S+) ceil (\S+)"
)
_SENT = re.compile(r"^\s*Sent (\d+) bytes (\d+) pkt")


def parse_tc_classes(device: str, dev: str, text: str) -> list[TcClass]:
    """``tc -s class show dev DEV``: HTB classes with rate/ceil (bit/s) and bytes sent."""
    command = cmd_tc_class(dev)
    check_error(device, command, text)
    out: list[TcClass] = []
    pending: tuple[str, str, int, int, int | None] | None = None
    for line in text.splitlines():
        m = _CLASS.match(line)
        if m:
            if pending is not None:
                raise ParseError(device, f"{command!r}: class {pending[0]} has no 'Sent' line")
            try:
                rate, ceil = tc_rate_bps(m.group(4)), tc_rate_bps(m.group(5))
            except ValueError as exc:
                raise ParseError(device, f"{command!r}: {exc}") from None
            prio = int(m.group(3)) if m.group(3) else None
            pending = (m.group(1), m.group(2) or "", rate, ceil, prio)
            continue
        s = _SENT.match(line)
        if s and pending is not None:
            out.append(TcClass(*pending[:4], sent_bytes=int(s.group(1)), prio=pending[4]))
            pending = None
    if pending is not None:
        raise ParseError(device, f"{command!r}: class {pending[0]} has no 'Sent' line (truncated?)")
    return out


_FLOWID = re.compile(r"\*?flowid (\S+)")
_MATCH = re.compile(r"^\s*match ([0-9a-f]{8})/([0-9a-f]{8}) at (12|16)\b")


def parse_tc_filters(device: str, dev: str, text: str) -> dict[str, list[tuple[str, str]]]:
    """``tc filter show dev DEV`` (u32) -> ``{classid: [(subnet, "down"|"up"), ...]}``.

    ``at 16`` matches the IPv4 destination (traffic *to* the subnet: down), ``at 12`` the source.
    """
    check_error(device, cmd_tc_filter(dev), text)
    out: dict[str, list[tuple[str, str]]] = {}
    flow: str | None = None
    for line in text.splitlines():
        f = _FLOWID.search(line)
        if line.startswith("filter"):
            flow = f.group(1) if f else None
            continue
        m = _MATCH.match(line)
        if m and flow:
            addr = ipaddress.IPv4Address(int(m.group(1), 16))
            prefix = bin(int(m.group(2), 16)).count("1")
            net = ipaddress.IPv4Network(f"{addr}/{prefix}", strict=False)
            out.setdefault(flow, []).append((str(net), "down" if m.group(3) == "16" else "up"))
    return out


def tc_queues(
    dev: str, classes: list[TcClass], filters: dict[str, list[tuple[str, str]]]
) -> list[QueueStats]:
    """HTB classes as :class:`QueueStats`: the direction comes from the class's u32 filters
    (destination match = down); classes without a filter count as down on ``dev``'s egress."""
    out: list[QueueStats] = []
    for c in classes:
        matches = filters.get(c.classid, [])
        target = ",".join(sorted({net for net, _ in matches})) or dev
        up = bool(matches) and all(d == "up" for _, d in matches)
        out.append(
            QueueStats(
                name=f"{dev}/{c.classid}",
                target=target,
                limit_at_up_bps=c.rate_bps if up else None,
                max_limit_up_bps=c.ceil_bps if up else None,
                limit_at_down_bps=None if up else c.rate_bps,
                max_limit_down_bps=None if up else c.ceil_bps,
                bytes_up=c.sent_bytes if up else 0,
                bytes_down=0 if up else c.sent_bytes,
                parent=f"{dev}/{c.parent}" if c.parent else "",
                extra={"prio": str(c.prio)} if c.prio is not None else {},
            )
        )
    return out
