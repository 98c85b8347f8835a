"""IOS output filters: ``| include``, ``| exclude``, ``| section``, ``| begin`` (regular
expressions, as IOS takes them).  ``| inc`` and friends are abbreviations."""

from __future__ import annotations

import re

FILTERS = ("include", "exclude", "section", "begin", "count")


class PipeError(ValueError):
    """The filter is unknown or its expression is not a valid regular expression."""


def split_pipes(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``"show run | inc ntp"`` -> (``"show run"``, [(``"include"``, ``"ntp"``)])."""
    parts = line.split("|")
    command = parts[0].rstrip()
    filters: list[tuple[str, str]] = []
    for raw in parts[1:]:
        words = raw.strip().split(None, 1)
        if not words:
            raise PipeError("empty filter")
        name = next((f for f in FILTERS if f.startswith(words[0].lower())), None)
        if name is None:
            raise PipeError(f"unknown filter {words[0]!r}")
        filters.append((name, words[1] if len(words) > 1 else ""))
    return command, filters


def apply_pipes(text: str, filters: list[tuple[str, str]]) -> str:
    for name, expr in filters:
        try:
            rx = re.compile(expr)
        except re.error as exc:
            raise PipeError(str(exc)) from None
        lines = text.splitlines()
        if name == "include":
            lines = [ln for ln in lines if rx.search(ln)]
        elif name == "exclude":
            lines = [ln for ln in lines if not rx.search(ln)]
        elif name == "begin":
            start = next((i for i, ln in enumerate(lines) if rx.search(ln)), len(lines))
            lines = lines[start:]
        elif name == "count":
            return (
                f"Number of lines which match regexp = {sum(1 for ln in lines if rx.search(ln))}\n"
            )
        elif name == "section":
            lines = _section(lines, rx)
        text = "\n".join(lines) + ("\n" if lines else "")
    return text


def _section(lines: list[str], rx: re.Pattern[str]) -> list[str]:
    """Top-level lines matching ``rx`` with their indented children."""
    out: list[str] = []
    keep = False
    for ln in lines:
        if ln and not ln[0].isspace():
            keep = bool(rx.search(ln))
        elif ln and not keep and rx.search(ln):
            out.append(ln)
            continue
        if keep and ln.strip():
            out.append(ln)
    return out
