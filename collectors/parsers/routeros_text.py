"""RouterOS CLI text syntax: one parser per format and per unit, shared by every reader.

The collectors, the bandwidth read-back (``netops.bandwidth.mikrotik``) and the lab's golden tests
all read RouterOS output through these functions:

* :func:`parse_records`: ``print`` / ``print detail`` / ``print terse`` / ``print stats`` /
  ``print stats-detail`` listings of ``key=value`` items (any menu: ``/queue simple``, ``/queue
  tree``, ``/ip firewall mangle``, ``/interface``), with ``;;; comment`` lines, flag letters and
  wrapped continuation lines.
* :func:`parse_stats_table`: RouterOS 7 column tables such as ``/interface print stats`` (numbers
  right-aligned under their header, digits grouped in threes, blank cells allowed).
* :func:`parse_export_items`: ``/export`` text (section headers, ``\\`` continuations, terse
  lines) as commands with their properties.
* Values: :func:`unquote` (quoted strings with RouterOS escapes), :func:`ros_int` (``205 164 277``),
  :func:`ros_rate_bps` (``10M``, ``1500k``, ``27.8kbps``) and its inverse :func:`ros_rate` (for
  commands), :func:`ros_pair` (``UP/DOWN``), :func:`ros_uptime_s` (``10w2d6h21m59s``).

Pure: text in, data out.  Malformed text raises :class:`ValueError` naming the line; the getters
in :mod:`collectors.parsers.routeros` turn that into :class:`~netops.errors.ParseError` with the
device and the command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netops.errors import ParseError

_RECORD_START = re.compile(r"^\s*\*?([0-9A-F]+)(?=\s|$)(.*)$")
_FLAGS = re.compile(r"^((?:\s+[A-Z]+(?=\s|$))*)\s*(.*)$")
_KEY = r"[a-z][a-z0-9-]*"
_KV = re.compile(rf'({_KEY})=("(?:[^"\\]|\\.)*"|.*?)(?=\s+{_KEY}=|\s*$)', re.DOTALL)
# Every way RouterOS refuses a command (CLI parser errors carry "(line L column C)").
ERROR_LINE = re.compile(
    r"^(failure:|bad command name|syntax error|expected |input does not match|"
    r"no such item|invalid value|ambiguous value|value of .* out of range|"
    r".*\(line \d+ column \d+\)).*$",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Record:
    """One item of a RouterOS listing: its number, single-letter flags (``R`` running, ``X``
    disabled, ``D`` dynamic...), the ``;;;`` comment and the properties (values unquoted)."""

    index: int
    flags: frozenset[str]
    comment: str
    props: dict[str, str]


def error_line(text: str) -> str | None:
    """The line of ``text`` where RouterOS refused the command, or None."""
    m = ERROR_LINE.search(text)
    return m.group(0).strip() if m else None


def check_error(device: str, command: str, text: str) -> None:
    """Raise :class:`ParseError` when RouterOS answered with an error instead of data."""
    line = error_line(text)
    if line is not None:
        raise ParseError(device, f"{command!r} was refused: {line[:120]}")


_UNESCAPE = {
    "\\": "\\",
    '"': '"',
    "$": "$",
    "?": "?",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "_": " ",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
_HEX = frozenset("0123456789ABCDEFabcdef")


def unquote(token: str) -> str:
    """A value as RouterOS prints it (``"Dinas \\"A\\""``, ``"RSUD \\E2\\80\\94 IGD"``, or bare)
    -> its text.  ``\\XX`` hex escapes are UTF-8 bytes; the others are RouterOS' own."""
    if len(token) >= 2 and token[0] == token[-1] == '"':
        token = token[1:-1]
    if "\\" not in token:
        return token
    raw = bytearray()
    i = 0
    while i < len(token):
        ch = token[i]
        if ch == "\\" and i + 1 < len(token):
            pair = token[i + 1 : i + 3]
            if len(pair) == 2 and pair[0] in _HEX and pair[1] in _HEX:
                raw.append(int(pair, 16))
                i += 3
                continue
            raw.extend(_UNESCAPE.get(token[i + 1], token[i + 1]).encode("utf-8"))
            i += 2
            continue
        raw.extend(ch.encode("utf-8"))
        i += 1
    return raw.decode("utf-8", errors="replace")


def ros_int(value: str) -> int:
    """``"205 164 277"`` -> 205164277 (RouterOS 7 groups digits with spaces).

    Raises :class:`ValueError` when not a whole number."""
    return int(value.replace(" ", "").replace("\u00a0", ""))


_RATE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)([kKMGT]?)(?:bps|bit/s)?$")
_MULT = {"": 1, "k": 1_000, "K": 1_000, "M": 1_000_000, "G": 1_000_000_000, "T": 10**12}


def ros_rate_bps(value: str) -> int:
    """A RouterOS rate -> bit/s: ``"10M"`` -> 10_000_000, ``"1500k"`` -> 1_500_000, ``"64000"``,
    ``"27.8kbps"`` (measured rates) -> 27_800, ``"5 000 000"`` -> 5_000_000, ``"0"`` -> 0.

    The same syntax is typed in commands and printed back.  Raises :class:`ValueError`."""
    m = _RATE.match(value.replace(" ", "").replace("\u00a0", ""))
    if not m:
        raise ValueError(f"not a RouterOS rate: {value!r}")
    return int(round(float(m.group(1)) * _MULT[m.group(2)]))


def ros_rate(bps: int) -> str:
    """bit/s as typed in a RouterOS command (the inverse of :func:`ros_rate_bps`):
    150_000_000 -> ``150M``, 1_500_000 -> ``1500k``, 64_500 -> ``64500``, 0 -> ``0``."""
    if bps and bps % 1_000_000 == 0:
        return f"{bps // 1_000_000}M"
    if bps and bps % 1000 == 0:
        return f"{bps // 1000}k"
    return str(bps)


def ros_pair(value: str) -> tuple[str, str]:
    """``"64000/128000"`` -> ("64000", "128000"): (upload, download) as seen from the target.

    A single value stands for both halves (``priority=8`` in RouterOS 2.9-6 prints, queue tree
    limits).  Raises :class:`ValueError` for more than two halves."""
    parts = value.split("/")
    if len(parts) == 1:
        return parts[0].strip(), parts[0].strip()
    if len(parts) != 2:
        raise ValueError(f"expected UP/DOWN, got {value!r}")
    return parts[0].strip(), parts[1].strip()


_UPTIME = re.compile(r"(\d+)([wdhms])")
_UPTIME_S = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def ros_uptime_s(value: str) -> float:
    """``"10w2d6h21m59s"`` -> 6_200_519.0 seconds; also accepts ``"1d02:03:04"``.

    Raises :class:`ValueError` when it is not a duration."""
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
    """Items of a RouterOS ``key=value`` listing (``print detail``, ``terse``, ``stats``,
    ``stats-detail``) in the order printed.

    ``Flags:``/``Columns:`` headers and blank lines are skipped; continuation lines join their
    item; a ``;;; comment`` line (on the item's first line or alone) becomes ``comment``.
    Example: ``0 X ;;; netops: RSUD`` then ``name="rsud" max-limit=60M/150M`` ->
    ``Record(0, {"X"}, "netops: RSUD", {"name": "rsud", "max-limit": "60M/150M"})``.
    Raises :class:`ValueError` naming the line for text before the first item or an item
    whose first word is not ``key=value``.
    """
    items: list[tuple[int, list[str]]] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith(("Flags:", "Columns:")):
            continue
        m = _RECORD_START.match(line)
        if m and not stripped.startswith(";;;"):
            items.append((n, [line]))
        elif items:
            items[-1][1].append(line)
        else:
            raise ValueError(f"line {n}: text before the first item: {stripped[:60]!r}")
    return [_record(n, lines) for n, lines in items]


def _record(n: int, lines: list[str]) -> Record:
    m = _RECORD_START.match(lines[0])
    assert m is not None
    number = m.group(1)
    index = int(number) if number.isdigit() else int(number, 16)
    fm = _FLAGS.match(m.group(2))
    assert fm is not None  # the pattern matches any text
    flags = frozenset("".join(fm.group(1).split()))
    rest = [fm.group(2), *(ln.strip() for ln in lines[1:])]
    comment = ""
    if rest[0].startswith(";;;"):
        comment = rest[0][3:].strip()
        rest = rest[1:]
    elif rest[1:] and rest[1].startswith(";;;") and not rest[0]:
        comment = rest[1][3:].strip()
        rest = rest[2:]
    body = " ".join(part for part in rest if part)
    first = re.match(rf"{_KEY}=", body)
    if body and not first:
        raise ValueError(f"line {n}: item {index} is not key=value: {body[:60]!r}")
    props = {k: unquote(v) for k, v in _KV.findall(body)}
    return Record(index, flags, comment, props)


_NUM_CELL = re.compile(r"\d{1,3}(?: \d{3})*")


def parse_stats_table(text: str) -> list[Record]:
    """Rows of a RouterOS 7 counter table (``/interface print stats``) as records whose props
    are ``name`` and the lower-cased columns, digit groups joined, blank cells ``""``:
    ``{"name": "ether1", "rx-byte": "205149015", "rx-drop": "", ...}``.

    Cells are separated by two or more spaces (digit groups by one).  When a row has blank
    cells, each number goes to the column whose header ends nearest to where the number ends
    (RouterOS right-aligns numbers under their header).  Raises :class:`ValueError` naming the
    line when there is no ``# NAME ...`` header, a row does not start with its number, a cell is
    not a number or the numbers do not fit the columns.
    """
    lines = text.splitlines()
    header_i = next((i for i, ln in enumerate(lines) if re.match(r"^\s*#\s+NAME\b", ln)), None)
    if header_i is None:
        raise ValueError("no '# NAME ...' header line in table")
    columns = [(m.group(0), m.end()) for m in re.finditer(r"\S+", lines[header_i])][2:]
    flag_line = next((ln for ln in lines[:header_i] if ln.startswith("Flags:")), "")
    letters = "".join(re.findall(r"\b([A-Z]) - ", flag_line)) or "A-Z"
    row_re = re.compile(rf"^\s*(\d+)\s+(?:([{letters}]+)\s+)?(\S+)")
    rows: list[Record] = []
    comment = ""
    for n, line in enumerate(lines[header_i + 1 :], start=header_i + 2):
        if not line.strip():
            continue
        if line.lstrip().startswith(";;;"):
            comment = line.strip()[3:].strip()
            continue
        m = row_re.match(line)
        if not m:
            raise ValueError(f"line {n}: not a table row: {line.strip()[:60]!r}")
        cells = [(c.group(0), c.end()) for c in re.finditer(r"\S+(?: \S+)*", line[m.end() :])]
        for cell, _ in cells:
            if not _NUM_CELL.fullmatch(cell):
                raise ValueError(f"line {n}: cell {cell!r} is not a number")
        props = {"name": m.group(3)} | {col.lower(): "" for col, _ in columns}
        for col, cell in _place(cells, [end - m.end() for _, end in columns], n):
            props[columns[col][0].lower()] = cell.replace(" ", "")
        rows.append(Record(int(m.group(1)), frozenset(m.group(2) or ""), comment, props))
        comment = ""
    return rows


def _place(cells: list[tuple[str, int]], ends: list[int], n: int) -> list[tuple[int, str]]:
    """(column index, cell) for each cell: in order when all are present, else by position."""
    if len(cells) == len(ends):
        return [(i, cell) for i, (cell, _) in enumerate(cells)]
    placed: list[tuple[int, str]] = []
    for cell, end in cells:
        col = min(range(len(ends)), key=lambda i: abs(ends[i] - end))
        if placed and col <= placed[-1][0]:
            raise ValueError(f"line {n}: numbers do not fit the table's columns")
        placed.append((col, cell))
    return placed


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One command of an ``/export``: ``/queue simple add name=x ...`` ->
    ``ExportItem("/queue simple", "add", "", {"name": "x", ...}, line)``; ``set [ find
    default-name=ether1 ] mtu=1580`` keeps ``default-name=ether1`` in ``find``."""

    section: str
    action: str
    find: str
    props: dict[str, str]
    line: int


_VERBS = frozenset({"add", "set", "remove", "enable", "disable", "unset", "move"})
_EXPORT_TOKEN = re.compile(r'([a-z0-9.-]+)=("(?:[^"\\]|\\.)*"|\S*)')
_FIND = re.compile(r"^\[\s*find\b(.*?)\]\s*|^([^\s=\[\]]+)(?:\s+|$)")


def parse_export_items(text: str) -> list[ExportItem]:
    """Commands of ``/export`` or ``/<menu> export`` text, in both layouts: section headers
    (``/queue simple``) followed by ``add ...`` lines with ``\\`` continuations, or terse
    (``/queue simple add ...`` on each line).  ``#`` comment lines are skipped."""
    items: list[ExportItem] = []
    section = ""
    pending = ""
    start = 0
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not pending:
            start = n
        else:
            line = line.lstrip()
        if line.endswith("\\"):
            # RouterOS breaks long lines anywhere, even inside a value: join them exactly
            pending += line[:-1]
            continue
        line = (pending + line).strip()
        pending = ""
        if not line or line.startswith("#"):
            continue
        words = [(m.group(0), m.start()) for m in re.finditer(r"\S+", line)]
        if line.startswith("/"):
            cut = next(
                (i for i, (w, _) in enumerate(words) if w in _VERBS or "=" in w or w[0] == "["),
                len(words),
            )
            section = "/" + " ".join(w.strip("/") for w, _ in words[:cut] if w.strip("/"))
            words = words[cut:]
            if not words:
                continue
        verb, at = words[0]
        if verb not in _VERBS:
            continue
        body = line[at + len(verb) :].strip()
        find = ""
        fm = _FIND.match(body)
        if fm:
            find = (fm.group(1) or fm.group(2) or "").strip()
            body = body[fm.end() :]
        props = {k: unquote(v) for k, v in _EXPORT_TOKEN.findall(body)}
        items.append(ExportItem(section, verb, find, props, start))
    return items
