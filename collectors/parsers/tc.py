"""Pure parsers for iproute2's ``tc`` output: units, HTB classes, u32 filters.

One parser per syntax, shared by the collectors (queue statistics), the bandwidth read-back
(``netops.bandwidth.linux_tc``) and the lab (which reads the same units when a user types them):

* :func:`tc_rate_bps` / :func:`tc_size_bytes`: ``10Mbit``, ``500Kbit``, ``10mbit``, ``2mbps``
  (bytes/s), ``1Gibit``; ``1600b``, ``5Kb``, ``15k``.
* :func:`parse_tc_classes`: ``tc [-s] [-d] class show dev DEV`` -> :class:`TcClass` (HTB).
* :func:`parse_tc_filters`: ``tc filter show dev DEV`` -> :class:`TcFilter` with u32 matches.

Functions raise :class:`~netops.errors.ParseError` naming the device and the command (the unit
parsers raise :class:`ValueError`).  Nothing here opens a session.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from netops.errors import ParseError

# Every way the shell, iproute2 or tc refuses a command, one error per line.
ERROR_LINE = re.compile(
    r"^(?:.*(?:command not found|No such file or directory|Cannot find device|Permission denied|"
    r"Object \".*\" is unknown|RTNETLINK answers:).*|"
    r"Error:.*|Illegal .*|Invalid .*|Unknown .*|What is .*|Usage: .*)$",
    re.MULTILINE,
)


def cmd_tc_class(dev: str) -> str:
    return f"tc -s class show dev {dev}"


def cmd_tc_filter(dev: str) -> str:
    return f"tc filter show dev {dev}"


def cmd_tc_qdisc(dev: str) -> str:
    return f"tc qdisc show dev {dev}"


def error_line(text: str) -> str | None:
    """The line of ``text`` where the shell or tc reported an error, or None."""
    m = ERROR_LINE.search(text)
    return m.group(0).strip() if m else None


def check_error(device: str, command: str, text: str) -> None:
    """Raise :class:`ParseError` when the shell or the tool answered with an error."""
    line = error_line(text)
    if line is not None:
        raise ParseError(device, f"{command!r} failed: {line[:120]}")


_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)([a-z]*)$", re.IGNORECASE)
# tc(8) "PARAMETERS": bit or a bare number is bit/s, "bps" is BYTES/s, "i" prefixes are 1024-based.
_RATE_UNITS = {
    "": 1,
    "bit": 1,
    "kbit": 1e3,
    "mbit": 1e6,
    "gbit": 1e9,
    "tbit": 1e12,
    "kibit": 1024,
    "mibit": 1024**2,
    "gibit": 1024**3,
    "tibit": 1024**4,
    "bps": 8,
    "kbps": 8e3,
    "mbps": 8e6,
    "gbps": 8e9,
    "tbps": 8e12,
    "kibps": 8 * 1024,
    "mibps": 8 * 1024**2,
    "gibps": 8 * 1024**3,
    "tibps": 8 * 1024**4,
}
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "kb": 1024,
    "m": 1024**2,
    "mb": 1024**2,
    "g": 1024**3,
    "gb": 1024**3,
    "kbit": 128,
    "mbit": 128 * 1024,
    "gbit": 128 * 1024**2,
}


def tc_rate_bps(value: str) -> int:
    """A tc rate -> bit/s, as printed (``"60Mbit"``, ``"1500Kbit"``) or typed (``"60mbit"``):
    ``"1Kbps"`` (bytes!) -> 8_000, ``"1Mibit"`` -> 1_048_576.  Raises :class:`ValueError`."""
    m = _NUMBER.match(value.strip())
    unit = m.group(2).lower() if m else None
    if not m or unit not in _RATE_UNITS:
        raise ValueError(f"not a tc rate: {value!r}")
    return int(round(float(m.group(1)) * _RATE_UNITS[unit]))


def tc_size_bytes(value: str) -> int:
    """A tc size (burst, cburst, quantum, backlog) -> bytes: ``"1600b"``, ``"5Kb"`` -> 5_120,
    ``"15k"``.  Raises :class:`ValueError`."""
    m = _NUMBER.match(value.strip())
    unit = m.group(2).lower() if m else None
    if not m or unit not in _SIZE_UNITS:
        raise ValueError(f"not a tc size: {value!r}")
    return int(round(float(m.group(1)) * _SIZE_UNITS[unit]))


@dataclass(frozen=True, slots=True)
class TcClass:
    """One HTB class.  Rates in bit/s, sizes in bytes; ``parent`` is "" for a root class,
    ``leaf`` the leaf qdisc's handle (``"10:"``) or "".  ``quantum_bytes`` only with ``-d``;
    the counters only with ``-s`` (else None); ``est_rate_bps``/``est_pps`` only when the
    kernel's rate estimator runs.  Example: ``class htb 1:10 parent 1:1 prio 1 rate 60Mbit
    ceil 180Mbit burst 1590b cburst 1575b`` -> ``TcClass("1:10", "1:1", 60_000_000,
    180_000_000, 1, burst_bytes=1590, cburst_bytes=1575)``."""

    classid: str
    parent: str
    rate_bps: int
    ceil_bps: int
    prio: int | None
    leaf: str = ""
    quantum_bytes: int | None = None
    burst_bytes: int | None = None
    cburst_bytes: int | None = None
    sent_bytes: int | None = None
    sent_packets: int | None = None
    dropped: int | None = None
    overlimits: int | None = None
    est_rate_bps: int | None = None
    est_pps: int | None = None


_SENT = re.compile(r"^\s*Sent (\d+) bytes (\d+) pkt \(dropped (\d+), overlimits (\d+)")
_EST = re.compile(r"^\s*rate (\S+) (\d+)pps")


def _class(words: list[str]) -> dict[str, object]:
    """``class htb ID (root|parent P) [leaf L] [prio N] [quantum N] rate R ceil C ...`` ->
    fields.  Values after ``/`` (``burst 1600b/1`` with ``-d``) are cell sizes: ignored."""
    fields: dict[str, object] = {"classid": words[2], "parent": ""}
    opts: dict[str, str] = {}
    i = 3
    while i < len(words):
        if words[i] == "root":
            i += 1
            continue
        if i + 1 < len(words):
            opts.setdefault(words[i], words[i + 1].split("/")[0])
        i += 2
    if "rate" not in opts or "ceil" not in opts:
        raise ValueError("no rate/ceil")
    fields["parent"] = opts.get("parent", "")
    fields["leaf"] = opts.get("leaf", "")
    fields["rate_bps"] = tc_rate_bps(opts["rate"])
    fields["ceil_bps"] = tc_rate_bps(opts["ceil"])
    fields["prio"] = int(opts["prio"]) if "prio" in opts else None
    fields["quantum_bytes"] = int(opts["quantum"]) if "quantum" in opts else None
    for key in ("burst", "cburst"):
        fields[f"{key}_bytes"] = tc_size_bytes(opts[key]) if key in opts else None
    return fields


def parse_tc_classes(device: str, dev: str, text: str, *, stats: bool = True) -> list[TcClass]:
    """HTB classes of ``tc [-s] [-d] class show dev DEV`` in the order printed; other kinds
    of class (a leaf qdisc's own) are skipped.

    With ``stats`` (the ``-s`` output), a class without its ``Sent`` line means the output was
    cut: :class:`ParseError`, as for an unreadable class line or a shell/tc error.
    """
    command = cmd_tc_class(dev) if stats else f"tc class show dev {dev}"
    check_error(device, command, text)
    out: list[TcClass] = []
    current: dict[str, object] | None = None

    def close() -> None:
        if current is not None:
            if stats and current.get("sent_bytes") is None:
                raise ParseError(
                    device, f"{command!r}: class {current['classid']} has no 'Sent' line"
                )
            out.append(TcClass(**current))  # type: ignore[arg-type]

    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("class "):
            close()
            current = None
            words = line.split()
            if len(words) < 3 or words[1] != "htb":
                continue
            try:
                current = _class(words)
            except ValueError as exc:
                raise ParseError(
                    device, f"{command!r}: line {n}: unreadable class ({exc}): {line.strip()!r}"
                ) from None
            continue
        if current is None:
            continue
        if sent := _SENT.match(line):
            current["sent_bytes"], current["sent_packets"] = int(sent[1]), int(sent[2])
            current["dropped"], current["overlimits"] = int(sent[3]), int(sent[4])
        elif est := _EST.match(line):
            try:
                current["est_rate_bps"], current["est_pps"] = tc_rate_bps(est[1]), int(est[2])
            except ValueError as exc:
                raise ParseError(device, f"{command!r}: line {n}: {exc}") from None
    close()
    return out


@dataclass(frozen=True, slots=True)
class U32Match:
    """``match 0a0a0200/ffffff00 at 16``: a 32-bit value and mask at a byte offset of the IPv4
    header (12 = source address, 16 = destination address)."""

    value: int
    mask: int
    offset: int

    @property
    def network(self) -> ipaddress.IPv4Network:
        """The matched subnet when the match is on an address: ``10.10.2.0/24``."""
        prefix = bin(self.mask).count("1")
        return ipaddress.IPv4Network((self.value & self.mask, prefix), strict=False)

    @property
    def ip_field(self) -> str:
        """``"src"``, ``"dst"`` or "" (another header field)."""
        return {12: "src", 16: "dst"}.get(self.offset, "")


@dataclass(frozen=True, slots=True)
class TcFilter:
    """One filter that sends traffic to a class (``flowid``/``classid``): ``prio`` is tc's
    ``pref``; ``matches`` the u32 keys, all of which must hold."""

    parent: str
    protocol: str
    prio: int
    kind: str
    handle: str
    classid: str
    matches: tuple[U32Match, ...]


_MATCH = re.compile(r"^\s*match ([0-9a-f]{8})/([0-9a-f]{8}) at (\d+)\b")


def parse_tc_filters(device: str, dev: str, text: str) -> list[TcFilter]:
    """Filters with a target class from ``tc filter show dev DEV``, in the order printed.

    u32 prints a header line per priority and hash table, then one line per rule with its
    ``flowid`` (``*flowid`` when offloading is off) followed by its ``match`` lines.
    Raises :class:`ParseError` on a shell/tc error or an unreadable filter line.
    """
    command = cmd_tc_filter(dev)
    check_error(device, command, text)
    out: list[TcFilter] = []
    head: dict[str, str] | None = None
    matches: list[U32Match] = []

    def close() -> None:
        if head is not None:
            out.append(
                TcFilter(
                    parent=head.get("parent", ""),
                    protocol=head.get("protocol", ""),
                    prio=int(head.get("pref") or head.get("prio") or 0),
                    kind=head["kind"],
                    handle=head.get("fh", ""),
                    classid=head.get("flowid") or head.get("classid", ""),
                    matches=tuple(matches),
                )
            )

    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("filter "):
            close()
            head, matches = None, []
            words = [w.lstrip("*") for w in line.split()]
            if "flowid" not in words and "classid" not in words:
                continue  # a priority or hash-table header: no class of its own
            fields = {k: v for k, v in zip(words, words[1:], strict=False)}
            kinds = [w for w in words if w in ("u32", "bpf", "matchall", "basic", "flower")]
            if not kinds or not (fields.get("pref") or fields.get("prio", "0")).isdigit():
                raise ParseError(device, f"{command!r}: line {n}: unreadable filter {line!r}")
            head = fields | {"kind": kinds[0]}
            continue
        m = _MATCH.match(line)
        if m and head is not None:
            matches.append(U32Match(int(m[1], 16), int(m[2], 16), int(m[3])))
    close()
    return out
