"""Text RouterOS 7 prints: ``print`` / ``detail`` / ``terse`` / ``stats`` of item menus, the
``/interface`` tables, ``/system ...`` key: value pages and ``/export``.

Formats follow real output (see ``tests/lab/golden/mikrotik_routeros/SOURCE.md``): item lines
start with the right-aligned number and a fixed-width flag column, ``;;; comment`` precedes an
item's properties, long lines wrap at the terminal width, tables group digits in threes.
"""

from __future__ import annotations

from collections.abc import Sequence

from lab.routeros.tables import Item, Table
from lab.routeros.units import group_thousands
from lab.routeros.words import quote


def key_value_page(rows: Sequence[tuple[str, str]]) -> str:
    """``/system resource print`` style: keys right-aligned before ``": "``."""
    width = max(len(k) for k, _ in rows) + 3
    return "\n".join(f"{(k + ':').rjust(width)} {v}" for k, v in rows)


def wrap_words(prefix: str, words: list[str], indent: int, width: int) -> list[str]:
    """Join ``words`` after ``prefix``, breaking lines before ``width`` columns."""
    lines: list[str] = []
    line = prefix
    fresh = True
    for w in words:
        candidate = w if fresh else f"{line} {w}" if line.strip() else f"{line}{w}"
        if not fresh and len(candidate) >= width:
            lines.append(line)
            line = " " * indent + w
        else:
            line = candidate if not fresh else f"{line}{w}"
        fresh = False
    lines.append(line)
    return lines


def item_lines(
    index: int,
    index_width: int,
    flags: str,
    comment: str,
    pairs: list[str],
    width: int,
) -> list[str]:
    """One item of a ``print``: number, flags, optional ``;;; comment`` line, then pairs."""
    head = (
        f"{str(index).rjust(index_width)} {flags} "
        if flags
        else f"{str(index).rjust(index_width)} "
    )
    indent = len(head)
    lines: list[str] = []
    if comment:
        lines.append(f"{head};;; {comment}")
        head = " " * indent
    lines.extend(wrap_words(head, pairs, indent, width))
    return lines


def flags_of(item: Item, slots: str = "XID") -> str:
    marks = {"X": item.disabled, "I": False, "D": item.dynamic}
    return "".join(s if marks.get(s) else " " for s in slots)


def table_pairs(table: Table, item: Item, *, terse: bool) -> list[str]:
    """``key=value`` words of an item in menu order (defaults omitted where RouterOS does)."""
    out: list[str] = []
    for key in table.order:
        prop = table.props[key]
        value = item.get(key)
        if not prop.shown and value == prop.default:
            continue
        if terse:
            out.append(f"{key}={quote(value) if value else chr(34) * 2}")
        elif prop.quoted:
            out.append(f"{key}={quote(value, always=True)}")
        else:
            out.append(f"{key}={quote(value) if value else chr(34) * 2}")
    return out


def print_table(
    table: Table,
    items: list[Item],
    *,
    mode: str,
    width: int,
    extra: dict[int, list[str]] | None = None,
    header: str = "Flags: X - disabled, I - invalid; D - dynamic ",
) -> str:
    """``print`` (mode ``""``), ``detail``, ``terse`` or ``stats`` (``extra`` supplies the stats
    pairs per item id) of ``items`` (numbered by their place in the whole menu)."""
    positions = {id(i): n for n, i in enumerate(table.items)}
    index_width = max((len(str(positions[id(i)])) for i in items), default=1)
    lines: list[str] = []
    if mode != "terse":
        lines.append(header)
    for item in items:
        n = positions[id(item)]
        flags = flags_of(item)
        if mode == "terse":
            pairs = table_pairs(table, item, terse=True)
            if item.comment:
                pairs.insert(0, f"comment={quote(item.comment)}")
            lines.append(f"{str(n).rjust(index_width)} {flags} " + " ".join(pairs))
            continue
        if mode == "stats" and extra is not None:
            pairs = [p for p in table_pairs(table, item, terse=False) if _stats_key(p, table)]
            pairs += extra.get(item.iid, [])
        else:
            pairs = table_pairs(table, item, terse=False)
        lines.extend(item_lines(n, index_width, flags, item.comment, pairs, width))
        if mode == "detail":
            lines.append("")
    return "\n".join(lines).rstrip("\n") if mode != "detail" else "\n".join(lines)


def _stats_key(pair: str, table: Table) -> bool:
    key = pair.split("=", 1)[0]
    if table.path == "/queue simple":
        return key in ("name", "target")
    if table.path == "/queue tree":
        return key in ("name", "parent", "packet-mark")
    return key in ("chain", "action")


def export_section(table: Table, *, terse: bool, verbose: bool = False) -> list[str]:
    """``add ...`` lines of a menu for ``/export`` (non-default properties, alphabetical;
    ``verbose`` lists every property and ``disabled=``)."""
    lines: list[str] = []
    for item in table.items:
        if item.dynamic:
            continue
        pairs: list[str] = []
        values = dict(item.values)
        if item.comment:
            values["comment"] = item.comment
        if item.disabled or verbose:
            values["disabled"] = "yes" if item.disabled else "no"
        for key in sorted(values):
            prop = table.props.get(key)
            value = values[key]
            if prop is not None and value == prop.default and not verbose:
                continue
            pairs.append(f"{key}={quote(value) if value else chr(34) * 2}")
        lines.append(export_line(table.path, "add " + " ".join(pairs), terse=terse))
    return lines


def export_line(path: str, command: str, *, terse: bool) -> str:
    """One command of an export: terse puts the menu on every line; otherwise lines wrap at
    80 columns with a trailing backslash, as RouterOS does."""
    if terse:
        return f"{path} {command}"
    words = command.split(" ")
    lines: list[str] = []
    line = ""
    for w in words:
        if line and len(line) + 1 + len(w) > 78:
            lines.append(line + " \\")
            line = "    " + w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return "\n".join(lines)


def stats_table(
    header_flags: str,
    columns: list[str],
    rows: list[tuple[int, str, str, str, list[int]]],
) -> str:
    """``/interface print stats``: ``rows`` are (number, flags, name, comment, numbers)."""
    index_width = max((len(str(r[0])) for r in rows), default=1)
    flag_width = max((len(r[1]) for r in rows), default=1)
    name_width = max([len("NAME")] + [len(r[2]) for r in rows])
    cells = [[group_thousands(v) for v in r[4]] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = [header_flags, "Columns: " + ", ".join(["NAME", *columns])]
    head = "#".rjust(index_width) + " " + " " * flag_width + " " + "NAME".ljust(name_width)
    lines.append(head + "".join("  " + c.rjust(w) for c, w in zip(columns, widths, strict=True)))
    for (number, flags, name, comment, _), row in zip(rows, cells, strict=True):
        if comment:
            lines.append(f";;; {comment}")
        line = (
            f"{str(number).rjust(index_width)} {flags.ljust(flag_width)} {name.ljust(name_width)}"
        )
        line += "".join("  " + v.rjust(w) for v, w in zip(row, widths, strict=True))
        lines.append(line)
    return "\n".join(lines)


def column_table(
    header_flags: str,
    columns: list[str],
    rows: list[tuple[int, str, str, list[str]]],
) -> str:
    """A RouterOS 7 text table (``/interface print``, ``/ip address print``): rows are
    (number, flags, comment, cells); cells are left-aligned."""
    index_width = max([1] + [len(str(r[0])) for r in rows])
    flag_width = max([1] + [len(r[1]) for r in rows])
    widths = [max([len(c)] + [len(r[3][i]) for r in rows]) for i, c in enumerate(columns)]
    lines = [header_flags, "Columns: " + ", ".join(columns)]
    prefix = "#".rjust(index_width) + " " + " " * flag_width
    lines.append(
        (
            prefix + " " + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
        ).rstrip()
    )
    for number, flags, comment, cells in rows:
        head = f"{str(number).rjust(index_width)} {flags.ljust(flag_width)}"
        if comment:
            lines.append(f";;; {comment}")
        body = "  ".join(v.ljust(w) for v, w in zip(cells, widths, strict=True))
        lines.append(f"{head} {body}".rstrip())
    return "\n".join(lines)
