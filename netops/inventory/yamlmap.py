"""Read YAML and remember the line of every value, so errors can name ``file:line path``.

Parsing uses libyaml (``yaml.CSafeLoader``; the pure-Python ``SafeLoader`` where PyYAML was built
without it): its nodes carry the marks the line map needs, at a fraction of the pure-Python cost.
No input can hang the loader: the file size is capped (:data:`MAX_FILE_BYTES`) and aliases may
expand to at most :data:`MAX_ALIAS_NODES` nodes in total ("billion laughs" is refused naming the
file and line of the alias).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from netops.errors import InventoryError, Problem

PathKey = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"

MAX_FILE_BYTES = 32 * 1024 * 1024
"""An inventory larger than this is refused before it is read (a regency's is well under 5 MB)."""

MAX_ALIAS_NODES = 100_000
"""Nodes that aliases (``*name``) may expand to, summed over the document."""

LIBYAML_MAX_DEPTH = 10_000
"""libyaml composes nodes recursively in C and overflows the C stack past ~50,000 levels; a text
whose nesting may exceed this (bounded by its ``[``/``{`` count plus its longest line) is parsed
by the pure-Python loader, which stops at Python's recursion limit instead."""

_CLoader: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)

_BOOL, _INT, _FLOAT = (f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float"))
# YAML 1.2's core schema for booleans and numbers: YAML 1.1's quiet coercions (`yes`/`on` as
# booleans, `22:22` as the sexagesimal 1342) stay strings, which the schema then refuses.
_IMPLICIT = [
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (
        _INT,
        re.compile(
            r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"
        ),
        "-+0123456789",
    ),
    (
        _FLOAT,
        re.compile(
            r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+0123456789.",
    ),
]


def _core_schema(cls: type[yaml.SafeLoader]) -> None:
    cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for tag, regexp, first in _IMPLICIT:
        cls.add_implicit_resolver(tag, regexp, list(first))


class _PyLineLoader(yaml.SafeLoader):
    """Pure-Python safe loader; :func:`_construct` records every node's line."""

    name: str


_core_schema(_PyLineLoader)

if _CLoader is not None:

    class _CLineLoader(_CLoader):  # type: ignore[valid-type,misc]
        """libyaml safe loader (nodes keep their marks)."""

        name: str

    _core_schema(_CLineLoader)


def _loader_for(text: str) -> yaml.SafeLoader:
    depth_bound = text.count("[") + text.count("{") + max(map(len, text.splitlines()), default=0)
    if _CLoader is not None and depth_bound <= LIBYAML_MAX_DEPTH:
        return _CLineLoader(text)
    return _PyLineLoader(text)


class _Budget:
    """Counts nodes reached again through an alias; refuses past :data:`MAX_ALIAS_NODES`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: set[int] = set()
        self.expanded = 0

    def visit(self, node: yaml.Node, path: PathKey, line: int) -> bool:
        """True on a node's first visit; False (and counted) when reached again by an alias."""
        key = id(node)
        if key not in self.seen:
            self.seen.add(key)
            return True
        self.expanded += 1
        if self.expanded > MAX_ALIAS_NODES:
            raise InventoryError(
                [
                    Problem(
                        self.name,
                        line,
                        format_path(path),
                        f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes "
                        "(nested aliases, a 'billion laughs'?): write the values out",
                    )
                ]
            )
        return False


def _construct(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: PathKey,
    lines: dict[PathKey, int],
    budget: _Budget,
    used_at: int,
) -> Any:
    # ``used_at``: the line where this value is used (an alias's node carries its anchor's mark).
    first = budget.visit(node, path, used_at)
    lines[path] = node.start_mark.line + 1 if first else used_at
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = key_node.value if key_node.tag == _STR else loader.construct_object(key_node)
            if not isinstance(key, str | int | float | bool):
                raise InventoryError(
                    [
                        Problem(
                            loader.name,
                            key_node.start_mark.line + 1,
                            format_path(path),
                            "mapping keys must be plain scalars",
                        )
                    ]
                )
            if key in out:
                raise InventoryError(
                    [
                        Problem(
                            loader.name,
                            key_node.start_mark.line + 1,
                            format_path((*path, str(key))),
                            f"duplicate key {key!r}",
                        )
                    ]
                )
            child = (*path, str(key))
            line = key_node.start_mark.line + 1
            out[key] = _construct(loader, value_node, child, lines, budget, line)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*path, i), lines, budget, _line_in(item, used_at))
            for i, item in enumerate(node.value)
        ]
    if node.tag == _STR:  # most scalars: skip construct_object's bookkeeping
        return node.value
    constructor = loader.yaml_constructors.get(node.tag)
    try:
        if constructor is not None and isinstance(node, yaml.ScalarNode):
            return constructor(loader, node)
        return loader.construct_object(node, deep=True)
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits, a bad date
        detail = str(exc).split(";")[0][:120]
        raise InventoryError(
            [Problem(loader.name, used_at, format_path(path), f"unreadable value: {detail}")]
        ) from None


def _line_in(item: yaml.Node, parent_line: int) -> int:
    # An item's own mark, unless it is an alias of an earlier node (then the list's line).
    line = item.start_mark.line + 1
    return line if line >= parent_line else parent_line


def format_path(path: PathKey) -> str:
    """``("links", 3, "b", "device")`` -> ``links[3].b.device``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class LineMap:
    """Finds the line of a document path, falling back to the nearest ancestor that has one."""

    def __init__(self, lines: dict[PathKey, int]) -> None:
        self._lines = lines

    def line(self, path: PathKey) -> int:
        p = tuple(path)
        while p:
            if p in self._lines:
                return self._lines[p]
            p = p[:-1]
        return self._lines.get((), 1)


def load_yaml_with_lines(path: Path) -> tuple[Any, LineMap]:
    """Parse ``path``; raise :class:`InventoryError` naming the line on any YAML syntax error."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} allowed"
            raise InventoryError([Problem(name, 0, "", message)])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InventoryError([Problem(name, 0, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError([Problem(name, 0, "", f"cannot read file: {exc}")]) from None
    return parse_yaml_with_lines(text, name)


def _reader_problem(
    exc: yaml.reader.ReaderError, text: str, name: str, loader: object = None
) -> Problem:
    """A character YAML does not allow (control characters): say which and on which line."""
    if not isinstance(loader, _CLoader or ()):  # the pure-Python reader counts characters
        line = text.count("\n", 0, exc.position) + 1
    else:  # libyaml reports a byte offset into the UTF-8 text
        line = text.encode("utf-8", "surrogatepass").count(b"\n", 0, exc.position) + 1
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Problem(name, line, "", f"character #x{character:04x} is not allowed in YAML")


def parse_yaml_with_lines(text: str, name: str) -> tuple[Any, LineMap]:
    """Like :func:`load_yaml_with_lines` for text in memory; ``name`` is used in messages."""
    try:
        loader = _loader_for(text)
    except yaml.reader.ReaderError as exc:  # the pure-Python reader checks all text up front
        raise InventoryError([_reader_problem(exc, text, name)]) from None
    loader.name = name
    lines: dict[PathKey, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            return None, LineMap({(): 1})
        data = _construct(loader, node, (), lines, _Budget(name), node.start_mark.line + 1)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise InventoryError(
            [Problem(name, line, "", f"YAML syntax error: {exc.problem or exc}")]
        ) from None
    except yaml.reader.ReaderError as exc:
        raise InventoryError([_reader_problem(exc, text, name, loader)]) from None
    except yaml.YAMLError as exc:
        raise InventoryError([Problem(name, 0, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        # The pure-Python reader knows where it stopped: the nesting is too deep by that line.
        line = getattr(loader, "line", -1) + 1
        raise InventoryError([Problem(name, line, "", "YAML nesting too deep")]) from None
    finally:
        loader.dispose()
    return data, LineMap(lines)
