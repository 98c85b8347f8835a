"""Collecting cross-check findings with their location, and "did you mean" suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from netops.errors import Problem
from netops.inventory.yamlmap import LineMap, PathKey, format_path

MAX_LISTED = 8


def suggest(name: str, known: Iterable[str], what: str) -> str:
    """The tail of an "unknown X" message: a close match, else the valid names.

    >>> suggest("dist-sawan", ["dist-sawan1", "core1"], "devices")
    " (did you mean 'dist-sawan1'?)"
    """
    candidates = sorted(set(known))
    if not candidates:
        return f" (no {what} are defined)"
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    listed = ", ".join(candidates[:MAX_LISTED])
    more = f", ... {len(candidates) - MAX_LISTED} more" if len(candidates) > MAX_LISTED else ""
    return f" (known {what}: {listed}{more})"


def fmt_mbps(value: float) -> str:
    """``250.0`` -> ``250 Mbit/s``; keeps decimals only when there are some."""
    return f"{value:g} Mbit/s"


class Findings:
    """Problems of one document, each placed at ``file:line path``."""

    def __init__(self, name: str, lines: LineMap) -> None:
        self.name = name
        self.lines = lines
        self.problems: list[Problem] = []

    def line(self, path: PathKey) -> int:
        return self.lines.line(path)

    def where(self, path: PathKey) -> str:
        """``devices[0] (line 53)``: how a message points at another entry."""
        return f"{format_path(path)} (line {self.line(path)})"

    def error(self, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.name, self.line(path), format_path(path), message))

    def warning(self, path: PathKey, message: str) -> None:
        self.problems.append(
            Problem(self.name, self.line(path), format_path(path), message, "warning")
        )

    def in_document_order(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: p.line)
