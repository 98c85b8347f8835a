"""Pure parsers for RouterOS output that ntc-templates has no template for.

* :func:`parse_stats_table` reads RouterOS 7 column tables such as ``/interface print stats``
  (numbers grouped in threes, right-aligned under their header, ``;;; comment`` lines before an
  item, blank cells allowed).
* :func:`parse_records` reads ``key=value`` item listings (``print detail``/``stats``/``terse``
  of ``/queue simple``, ``/queue tree``, ``/ip firewall mangle``), including wrapped lines.

Both raise :class:`ValueError` naming the offending line when the text is not of that shape.
"""

from __future__ import annotations

import re

from lab.routeros.words import RosSyntaxError, tokenize

_ITEM_RE = re.compile(r"^\s*(\d+)\s([A-Z ]*?)\s*(?:;;;\s?(.*)|(\S+=.*))?$")


def parse_stats_table(text: str) -> list[dict[str, str]]:
    """Rows of a column table: ``{"number": "0", "flags": "R", "comment": "", "name": "ether1",
    "rx-byte": "205149015", ...}`` (digit groups joined; blank cells are ``""``)."""
    lines = text.splitlines()
    header_index = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("#")), None)
    if header_index is None:
        raise ValueError("no '#' header line in table")
    header = lines[header_index]
    names = re.findall(r"\S+", header)[1:]
    if not names or names[0] != "NAME":
        raise ValueError(f"line {header_index + 1}: expected a NAME column: {header!r}")
    name_start = header.index("NAME")
    ends = [m.end() for m in re.finditer(r"\S+", header)][2:]
    rows: list[dict[str, str]] = []
    comment = ""
    for n, line in enumerate(lines[header_index + 1 :], start=header_index + 2):
        if not line.strip():
            continue
        if line.startswith(";;;"):
            comment = line[3:].strip()
            continue
        m = re.match(r"^\s*(\d+)\s(.*)$", line[:name_start])
        if not m:
            raise ValueError(f"line {n}: not a table row: {line!r}")
        name = line[name_start:].split()[0] if line[name_start:].strip() else ""
        row = {
            "number": m.group(1),
            "flags": m.group(2).strip(),
            "comment": comment,
            "name": name,
        }
        start = name_start + len(name)
        for col, end in zip(names[1:], ends, strict=True):
            cell = line[start:end].strip() if start < len(line) else ""
            row[col.lower()] = cell.replace(" ", "")
            start = end
        rows.append(row)
        comment = ""
    return rows


def parse_records(text: str) -> list[dict[str, str]]:
    """Items of a ``key=value`` listing: ``{"number": "0", "flags": "X", "comment": "...",
    "name": "diskominfo", "max-limit": "60M/150M", ...}``."""
    records: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith(("Flags:", "Columns:")):
            continue
        m = _ITEM_RE.match(line)
        if m and m.group(1) is not None and (m.group(3) is not None or m.group(4) is not None):
            current = {"number": m.group(1), "flags": m.group(2).strip(), "comment": ""}
            records.append(current)
            if m.group(3) is not None:
                current["comment"] = m.group(3).strip()
                continue
            body = m.group(4)
        elif current is None:
            raise ValueError(f"line {n}: text before the first item: {line!r}")
        else:
            body = line.strip()
        try:
            words = tokenize(body)
        except RosSyntaxError as exc:
            raise ValueError(f"line {n}: {exc} at column {exc.column}") from None
        for w in words:
            if w.key is None:
                raise ValueError(f"line {n}: not key=value: {w.text!r}")
            current[w.key] = w.value
    return records
