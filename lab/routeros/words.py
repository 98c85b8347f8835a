"""RouterOS command-line words: tokenizing, quoting and ``[find ...]`` expressions.

RouterOS separates words by blanks; ``key=value`` pairs may quote the value in double quotes with
backslash escapes (``comment="Dinas \\"A\\""``); ``[ ... ]`` brackets hold a nested command, in
practice ``[find name="x"]`` or ``[ find where target=10.10.1.0/24 ]``.  Errors carry the 1-based
column RouterOS reports (``syntax error (line 1 column 12)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from collectors.parsers.routeros_text import unquote

# A property name, then how it is compared: "=" sets or tests, "~" is a regex test, "!=" negates.
_KEY_RE = re.compile(r"([A-Za-z][A-Za-z0-9.-]*)(!=|=|~)")
_PLAIN_VALUE_RE = re.compile(r"^[A-Za-z0-9._:/,*+-]+$")


class RosSyntaxError(ValueError):
    """Input RouterOS cannot read; ``column`` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        self.column = column
        super().__init__(message)


@dataclass
class Word:
    """One word of a command line.  ``key``/``op``/``value`` are set for ``key=value``;
    ``nested`` for a bracketed command; ``text`` is the bare word otherwise."""

    column: int
    text: str = ""
    key: str | None = None
    op: str = "="
    value: str = ""
    nested: list[Word] | None = field(default=None)

    @property
    def is_pair(self) -> bool:
        return self.key is not None


def tokenize(line: str) -> list[Word]:
    """Split one command line into words; :class:`RosSyntaxError` on a bad quote or bracket."""
    words, pos = _scan(line, 0, nested=False)
    if pos < len(line):
        raise RosSyntaxError("syntax error", pos + 1)
    return words


def _scan(line: str, pos: int, *, nested: bool) -> tuple[list[Word], int]:
    words: list[Word] = []
    n = len(line)
    while True:
        while pos < n and line[pos] in " \t":
            pos += 1
        if pos >= n:
            if nested:
                raise RosSyntaxError("syntax error", pos + 1)
            return words, pos
        ch = line[pos]
        if ch == "]":
            if not nested:
                raise RosSyntaxError("syntax error", pos + 1)
            return words, pos + 1
        if ch == "[":
            inner, pos = _scan(line, pos + 1, nested=True)
            words.append(Word(column=pos + 1, nested=inner))
            continue
        start = pos
        m = _KEY_RE.match(line, pos)
        if m:
            pos = m.end()
            if pos < n and line[pos] == '"':
                value, pos = _quoted(line, pos)
            elif pos < n and line[pos] == "[":
                inner, pos = _scan(line, pos + 1, nested=True)
                words.append(Word(column=start + 1, key=m.group(1), op=m.group(2), nested=inner))
                continue
            else:
                end = pos
                while end < n and line[end] not in " \t[]":
                    end += 1
                value, pos = line[pos:end], end
            words.append(Word(column=start + 1, key=m.group(1), op=m.group(2), value=value))
            continue
        if ch == '"':
            value, pos = _quoted(line, pos)
            words.append(Word(column=start + 1, text=value))
            continue
        end = pos
        while end < n and line[end] not in " \t[]":
            end += 1
        words.append(Word(column=start + 1, text=line[pos:end]))
        pos = end


def _quoted(line: str, pos: int) -> tuple[str, int]:
    """Read a double-quoted string starting at ``line[pos] == '"'``; return (value, next pos).

    Escapes are RouterOS' own (``\\"``, ``\\n``, ``\\$``...) and ``\\HH`` UTF-8 bytes, decoded
    by the same function that reads RouterOS output."""
    i = pos + 1
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            if i + 1 >= len(line):
                break
            i += 2
            continue
        if ch == '"':
            return unquote(line[pos : i + 1]), i + 1
        i += 1
    raise RosSyntaxError("unmatched quote", pos + 1)


def quote(value: str, *, always: bool = False) -> str:
    """A value as RouterOS prints it: bare when it is plain, else in double quotes, escaped."""
    if not always and value and _PLAIN_VALUE_RE.match(value):
        return value
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("$", "\\$")
    )
    return f'"{escaped}"'


@dataclass(frozen=True)
class Condition:
    """One test of a ``find``/``where`` expression; ``negate`` from ``!=`` or a leading ``!``."""

    key: str
    op: str
    value: str
    negate: bool = False


def parse_conditions(words: list[Word]) -> list[Condition]:
    """Conditions of ``[find where a=b c~d !disabled]`` (``and`` is implicit; ``or`` unsupported
    and reported as a syntax error at its column)."""
    out: list[Condition] = []
    for w in words:
        if w.is_pair:
            assert w.key is not None
            out.append(Condition(w.key, "~" if w.op == "~" else "=", w.value, w.op == "!="))
        elif w.text in ("where", "and"):
            continue
        elif w.text.startswith("!") and len(w.text) > 1:
            out.append(Condition(w.text[1:], "=", "yes", True))
        elif w.text and w.nested is None:
            out.append(Condition(w.text, "=", "yes"))
        else:
            raise RosSyntaxError("syntax error", w.column)
    return out
