"""Pure parsers for MikroTik RouterOS 6/7 CLI output.

ntc-templates is used where it has a template (``/system resource print``, ``/system identity
print``, ``/system routerboard print``, ``/ip neighbor print detail``); the ``print detail`` /
``print stats-detail`` / ``print stats`` / queue outputs, which it lacks, go through
:func:`parse_records`, one parser for RouterOS' ``key=value`` record format.  RouterOS 7 groups
digits with spaces (``rx-byte=205 164 277``): :func:`ros_int` undoes that.

Every function takes text and returns data or raises :class:`~netops.errors.ParseError` naming the
device and the command; nothing here opens a session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from collectors.base import Facts, InterfaceCounters, InterfaceInfo, Neighbor, QueueStats
from collectors.parsers.common import ntc_parse
from netops.errors import ParseError

CMD_RESOURCE = "/system resource print"
CMD_IDENTITY = "/system identity print"
CMD_ROUTERBOARD = "/system routerboard print"
CMD_INTERFACES = "/interface print detail without-paging"
CMD_COUNTERS = "/interface print stats-detail without-paging"
CMD_COUNTERS_TABLE = "/interface print stats without-paging"
CMD_NEIGHBORS = "/ip neighbor print detail without-paging"
CMD_QUEUES = "/queue simple print detail without-paging"
CMD_QUEUE_STATS = "/queue simple print stats without-paging"
CMD_EXPORT = "/export"

_RECORD_START = re.compile(r"^\s*\*?([0-9A-F]+)(?=\s)(.*)$")
_FLAGS = re.compile(r"^((?:\s+[A-Z]+(?=\s|$))*)\s*(.*)$")
_KV = re.compile(
    r'([a-z][a-z0-9-]*)=("(?:[^"\\]|\\.)*"|.*?)(?=\s+[a-z][a-z0-9-]*=|\s*$)', re.DOTALL
)
_ERROR_LINE = re.compile(
    r"^(bad command name|syntax error|expected end of command|input does not match|"
    r"no such item|failure:)",
    re.M,
)


@dataclass(frozen=True, slots=True)
class Record:
    """One item of a RouterOS ``print`` listing: index, single-letter flags, comment, properties."""

    index: int
    flags: frozenset[str]
    comment: str
    props: dict[str, str]


def check_error(device: str, command: str, text: str) -> None:
    """Raise :class:`ParseError` when RouterOS answered with an error instead of data."""
    m = _ERROR_LINE.search(text)
    if m:
        line = text[m.start() :].splitlines()[0]
        raise ParseError(device, f"{command!r} was refused: {line.strip()[:120]}")


def unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def ros_int(value: str) -> int:
    """``"205 164 277"`` -> 205164277.  Raises ValueError when not a whole number."""
    return int(value.replace(" ", "").replace("\u00a0", ""))


_RATE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKMGT]?)(?:bps|bit/s|b)?\s*$")
_MULT = {"": 1, "k": 1_000, "K": 1_000, "M": 1_000_000, "G": 1_000_000_000, "T": 10**12}


def ros_rate_bps(value: str) -> int | None:
    """RouterOS rate text to bit/s: ``"10M"`` -> 10_000_000, ``"27.8kbps"`` -> 27_800,
    ``"0"`` -> None (RouterOS uses 0 for "no limit"). Raises ValueError on other text."""
    m = _RATE.match(value.replace(" ", ""))
    if not m:
        raise ValueError(f"not a rate: {value!r}")
    bps = int(round(float(m.group(1)) * _MULT[m.group(2)]))
    return bps or None


def ros_pair(value: str) -> tuple[str, str]:
    """``"64000/128000"`` -> ("64000", "128000") (upload/download as seen from the target)."""
    parts = value.split("/")
    if len(parts) != 2:
        raise ValueError(f"expected UP/DOWN, got {value!r}")
    return parts[0].strip(), parts[1].strip()


_UPTIME = re.compile(r"(\d+)([wdhms])")
_UPTIME_S = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def ros_uptime_s(value: str) -> float:
    """``"10w2d6h21m59s"`` -> 6_200_519.0 seconds; also accepts ``"1d02:03:04"``."""
    text = value.strip()
    total = 0.0
    clock = re.search(r"(\d+):(\d{2}):(\d{2})$", text)
    if clock:
        total += int(clock.group(1)) * 3600 + int(clock.group(2)) * 60 + int(clock.group(3))
        text = text[: clock.start()]
    parts = _UPTIME.findall(text)
    if not parts and not clock:
        raise ValueError(f"not a RouterOS uptime: {value!r}")
    return total + sum(int(n) * _UPTIME_S[u] for n, u in parts)


def parse_records(text: str) -> list[Record]:
    """Parse a RouterOS ``print detail``/``terse``/``stats-detail`` listing into records.

    Continuation lines are joined to their record; ``Flags:``/``Columns:`` headers are skipped.
    """
    records: list[Record] = []
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith(("Flags:", "Columns:")):
            continue
        m = _RECORD_START.match(line)
        if m and not stripped.startswith(";;;") and "=" not in m.group(1):
            if current is not None:
                records.append(_record(current))
            current = [line]
        elif current is not None:
            current.append(line)
    if current is not None:
        records.append(_record(current))
    return records


def _record(lines: list[str]) -> Record:
    m = _RECORD_START.match(lines[0])
    assert m is not None
    index = int(m.group(1), 16) if not m.group(1).isdigit() else int(m.group(1))
    fm = _FLAGS.match(m.group(2))
    flags = frozenset("".join(fm.group(1).split())) if fm else frozenset()
    first = fm.group(2) if fm else m.group(2)
    comment = ""
    rest = [first, *lines[1:]]
    if first.startswith(";;;"):
        comment = first[3:].strip()
        rest = lines[1:]
    body = " ".join(part.strip() for part in rest)
    props = {k: unquote(v) for k, v in _KV.findall(body)}
    return Record(index, flags, comment, props)


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


def parse_interfaces(device: str, text: str) -> list[InterfaceInfo]:
    """Interfaces from :data:`CMD_INTERFACES` (flags R = running, X = disabled)."""
    check_error(device, CMD_INTERFACES, text)
    out: list[InterfaceInfo] = []
    for rec in parse_records(text):
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


def parse_counters_detail(device: str, text: str) -> list[InterfaceCounters]:
    """64-bit counters from :data:`CMD_COUNTERS` (``print stats-detail``).

    A record lacking any of rx/tx byte/packet counters is a truncated output: ParseError.
    """
    check_error(device, CMD_COUNTERS, text)
    out: list[InterfaceCounters] = []
    for rec in parse_records(text):
        p = rec.props
        missing = [k for k in ("name", *_COUNTER_KEYS) if k not in p]
        if missing:
            raise _fail(
                device, CMD_COUNTERS, f"item {rec.index} lacks {', '.join(missing)} (truncated?)"
            )
        try:
            out.append(
                InterfaceCounters(
                    name=p["name"],
                    octets_in=ros_int(p["rx-byte"]),
                    octets_out=ros_int(p["tx-byte"]),
                    packets_in=ros_int(p["rx-packet"]),
                    packets_out=ros_int(p["tx-packet"]),
                    errors_in=ros_int(p.get("rx-error", "0")),
                    errors_out=ros_int(p.get("tx-error", "0")),
                    counter_bits=64,
                )
            )
        except ValueError as exc:
            raise _fail(device, CMD_COUNTERS, f"item {rec.index}: {exc}") from None
    return out


_NUM_CELL = re.compile(r"\d{1,3}(?: \d{3})*")


def parse_counters_table(device: str, text: str) -> list[InterfaceCounters]:
    """Counters from the column table of :data:`CMD_COUNTERS_TABLE` (``print stats``).

    Columns are found from the ``#  NAME  RX-BYTE ...`` header; numbers are right-aligned and
    digit-grouped with single spaces, columns separated by two or more spaces.
    """
    check_error(device, CMD_COUNTERS_TABLE, text)
    lines = text.splitlines()
    header_i = next((i for i, ln in enumerate(lines) if re.match(r"^\s*#\s+NAME\b", ln)), None)
    if header_i is None:
        raise _fail(device, CMD_COUNTERS_TABLE, "no '# NAME ...' header")
    columns = lines[header_i].split()[2:]
    out: list[InterfaceCounters] = []
    for ln in lines[header_i + 1 :]:
        if ln.strip().startswith(";;;"):
            continue  # an item's comment line
        m = re.match(r"^\s*(\d+)\s+((?:[A-Z]\s)*)\s*(\S+)\s+(.*)$", ln)
        if not m:
            if ln.strip():
                raise _fail(device, CMD_COUNTERS_TABLE, f"unexpected line {ln.strip()[:60]!r}")
            continue
        cells = [c for c in re.split(r"\s{2,}", m.group(4).strip()) if c]
        if len(cells) != len(columns) or not all(_NUM_CELL.fullmatch(c) for c in cells):
            raise _fail(device, CMD_COUNTERS_TABLE, f"row {m.group(1)} is incomplete (truncated?)")
        row = dict(zip(columns, (ros_int(c) for c in cells), strict=True))
        if not all(k.upper() in row for k in _COUNTER_KEYS):
            raise _fail(device, CMD_COUNTERS_TABLE, "table lacks RX/TX byte/packet columns")
        out.append(
            InterfaceCounters(
                name=m.group(3),
                octets_in=row["RX-BYTE"],
                octets_out=row["TX-BYTE"],
                packets_in=row["RX-PACKET"],
                packets_out=row["TX-PACKET"],
                errors_in=row.get("RX-ERROR", 0),
                errors_out=row.get("TX-ERROR", 0),
                counter_bits=64,
            )
        )
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


def parse_queues(device: str, detail: str, stats: str = "") -> list[QueueStats]:
    """Simple queues from :data:`CMD_QUEUES`, joined by name with :data:`CMD_QUEUE_STATS`.

    ``max-limit``/``limit-at``/``bytes``/``rate`` are ``UP/DOWN`` pairs seen from the target.
    """
    check_error(device, CMD_QUEUES, detail)
    by_name: dict[str, dict[str, str]] = {}
    if stats:
        check_error(device, CMD_QUEUE_STATS, stats)
        for rec in parse_records(stats):
            if "name" not in rec.props or "bytes" not in rec.props:
                raise _fail(device, CMD_QUEUE_STATS, f"item {rec.index} incomplete (truncated?)")
            by_name[rec.props["name"]] = rec.props
    out: list[QueueStats] = []
    try:
        for rec in parse_records(detail):
            p = rec.props
            if "name" not in p or "max-limit" not in p:
                raise _fail(device, CMD_QUEUES, f"item {rec.index} incomplete (truncated?)")
            target = p.get("target") or p.get("target-addresses") or p.get("dst-address", "")
            max_up, max_down = ros_pair(p["max-limit"])
            at_up, at_down = ros_pair(p.get("limit-at", "0/0"))
            s = by_name.get(p["name"], {})
            b_up, b_down = ros_pair(s.get("bytes", p.get("bytes", "0/0")))
            r_pair = s.get("rate") or p.get("rate")
            r_up, r_down = ros_pair(r_pair) if r_pair else ("", "")
            out.append(
                QueueStats(
                    name=p["name"],
                    target=target,
                    limit_at_up_bps=ros_rate_bps(at_up),
                    max_limit_up_bps=ros_rate_bps(max_up),
                    limit_at_down_bps=ros_rate_bps(at_down),
                    max_limit_down_bps=ros_rate_bps(max_down),
                    bytes_up=ros_int(b_up),
                    bytes_down=ros_int(b_down),
                    rate_up_bps=float(ros_rate_bps(r_up) or 0) if r_up else None,
                    rate_down_bps=float(ros_rate_bps(r_down) or 0) if r_down else None,
                    parent="" if p.get("parent", "none") == "none" else p["parent"],
                    disabled="X" in rec.flags,
                    extra={k: v for k, v in p.items() if k in ("priority", "queue", "comment")},
                )
            )
    except ValueError as exc:
        raise _fail(device, CMD_QUEUES, str(exc)) from None
    return out


def parse_export(device: str, text: str) -> str:
    """The ``/export`` text, checked to look like a RouterOS export (``/section`` lines)."""
    check_error(device, CMD_EXPORT, text)
    if not re.search(r"^/[a-z]", text, re.M):
        raise _fail(device, CMD_EXPORT, "no '/section' line: not an export (empty or truncated)")
    return text
