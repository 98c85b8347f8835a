"""Add a boost to an agency in inventory.yaml, keeping the rest of the file (comments, layout)
untouched: the new entry is inserted as one flow-style line, the result is validated with the
inventory loader, and only then is the file replaced atomically."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from netops.errors import InventoryError, PlanError, Problem
from netops.inventory.loader import load_inventory, load_inventory_text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def boost_item(
    start: datetime,
    end: datetime,
    max_down: float | None,
    max_up: float | None,
    reason: str | None,
) -> str:
    """The boost as a YAML flow mapping; strings are JSON-quoted (valid YAML)."""
    parts = [f"start: {json.dumps(start.isoformat())}", f"end: {json.dumps(end.isoformat())}"]
    if max_down is not None:
        parts.append(f"maximum_down_mbps: {max_down:g}")
    if max_up is not None:
        parts.append(f"maximum_up_mbps: {max_up:g}")
    if reason:
        parts.append(f"reason: {json.dumps(reason)}")
    return "{" + ", ".join(parts) + "}"


def insert_boost(text: str, lines_of: object, index: int, has_boosts: bool, item: str) -> str:
    """``text`` with ``item`` added to ``agencies[index].quota.boosts``."""
    from netops.inventory.yamlmap import LineMap

    assert isinstance(lines_of, LineMap)
    lines = text.splitlines()
    q = lines_of.line(("agencies", index, "quota")) - 1
    if "{" in lines[q] and "quota" in lines[q]:
        if "boosts" in lines[q]:
            raise PlanError("this agency's quota is written inline with boosts: add it by hand")
        close = lines[q].rindex("}")
        lines[q] = lines[q][:close] + f", boosts: [{item}]" + lines[q][close:]
        return "\n".join(lines) + "\n"
    indent = _indent(lines[q])
    if has_boosts:
        b = lines_of.line(("agencies", index, "quota", "boosts", 0)) - 1
        item_indent = _indent(lines[b])
        end = b
        for j in range(b + 1, len(lines)):
            ln = lines[j]
            if not ln.strip():
                continue
            if _indent(ln) > item_indent or (
                _indent(ln) == item_indent and ln.lstrip().startswith("- ")
            ):
                end = j
            else:
                break
        lines.insert(end + 1, " " * item_indent + "- " + item)
    else:
        end = q
        for j in range(q + 1, len(lines)):
            if not lines[j].strip():
                continue
            if _indent(lines[j]) >= indent:
                end = j
            else:
                break
        lines[end + 1 : end + 1] = [" " * indent + "boosts:", " " * (indent + 2) + "- " + item]
    return "\n".join(lines) + "\n"


def add_boost(
    path: Path,
    agency: str,
    start: datetime,
    end: datetime,
    max_down: float | None,
    max_up: float | None,
    reason: str | None,
) -> None:
    """Add the boost and rewrite ``path``; raises :class:`InventoryError` (with file and line)
    if the result would be invalid, in which case the file is left as it was."""
    loaded = load_inventory(path)
    codes = [a.code for a in loaded.inventory.agencies]
    if agency not in codes:
        raise InventoryError([Problem(str(path), 0, "agencies", f"no agency {agency!r}")])
    index = codes.index(agency)
    text = path.read_text(encoding="utf-8")
    has = bool(loaded.inventory.agencies[index].quota.boosts)
    new = insert_boost(
        text, loaded.lines, index, has, boost_item(start, end, max_down, max_up, reason)
    )
    load_inventory_text(new, str(path))  # raises InventoryError naming the line if invalid
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".inventory-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(new)
    os.replace(tmp, path)
