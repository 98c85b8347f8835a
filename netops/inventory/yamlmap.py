"""Read YAML and remember the line of every value, so errors can name ``file:line path``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from netops.errors import InventoryError, Problem

PathKey = tuple[str | int, ...]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the 1-based line of every node under its document path."""


def _construct(
    loader: _LineLoader, node: yaml.Node, path: PathKey, lines: dict[PathKey, int]
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
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
            lines[child] = key_node.start_mark.line + 1
            out[key] = _construct(loader, value_node, child, lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


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
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InventoryError([Problem(name, 0, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError([Problem(name, 0, "", f"cannot read file: {exc}")]) from None
    return parse_yaml_with_lines(text, name)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, name: str) -> Problem:
    """A character YAML does not allow (control characters): say which and on which line."""
    line = text.count("\n", 0, exc.position) + 1
    return Problem(name, line, "", f"character #x{exc.character:04x} is not allowed in YAML")


def parse_yaml_with_lines(text: str, name: str) -> tuple[Any, LineMap]:
    """Like :func:`load_yaml_with_lines` for text in memory; ``name`` is used in messages."""
    try:
        loader = _LineLoader(text)
    except yaml.reader.ReaderError as exc:
        raise InventoryError([_reader_problem(exc, text, name)]) from None
    loader.name = name
    lines: dict[PathKey, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            return None, LineMap({(): 1})
        data = _construct(loader, node, (), lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise InventoryError(
            [Problem(name, line, "", f"YAML syntax error: {exc.problem or exc}")]
        ) from None
    except yaml.reader.ReaderError as exc:
        raise InventoryError([_reader_problem(exc, text, name)]) from None
    except yaml.YAMLError as exc:
        raise InventoryError([Problem(name, 0, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InventoryError([Problem(name, 0, "", "YAML nesting too deep")]) from None
    finally:
        loader.dispose()
    return data, LineMap(lines)
