"""Recognise a device's refusal of a command, per platform; pure.

A refusal is never data: :func:`check_output` turns ``% Invalid input``, ``% Incomplete command``,
RouterOS ``bad command name`` / ``syntax error`` / ``expected end of command``, a shell's
``command not found`` or an empty answer into :class:`~netops.errors.CommandRefused` naming the
device, the command and the device's words.

Example::

    check_output("dist1", "cisco_ios", "show version", "% Invalid input detected at '^' marker.")
    # -> CommandRefused: dist1: 'show version' refused: the device answered "% Invalid input ..."
"""

from __future__ import annotations

import re

from netops.errors import CommandRefused

# Errors are printed where the output starts (after IOS's caret line), so only the first few
# non-blank lines are looked at: a configuration or a log quoting such words is not a refusal.
_HEAD_LINES = 3

_PATTERNS: dict[str, re.Pattern[str]] = {
    "cisco_ios": re.compile(
        r"^\s*% ?(Invalid input|Incomplete command|Ambiguous command|Unknown command"
        r"|Unrecognized command|Invalid command|.*\bis not enabled|.*\bnot supported)",
        re.I,
    ),
    "mikrotik_routeros": re.compile(
        r"^\s*(bad command name|syntax error|expected end of command|expected command name"
        r"|no such command|input does not match any value|invalid value)",
        re.I,
    ),
    "linux": re.compile(
        r"(command not found|: not found$|^-?\w*sh: .*(No such file or directory|Permission denied)"
        r"|^\S+: (invalid option|unrecognized option|Cannot find device|Object \".*\" is unknown))",
        re.I,
    ),
}


def refusal_words(platform: str, text: str) -> str | None:
    """The device's words if ``text`` is a refusal on ``platform``, ``""`` if it is empty,
    ``None`` when it is an answer."""
    lines = [ln for ln in text.splitlines() if ln.strip() and ln.strip() != "^"]
    if not lines:
        return ""
    pattern = _PATTERNS.get(platform)
    if pattern is None:
        return None
    for line in lines[:_HEAD_LINES]:
        if pattern.search(line):
            return line.strip()[:200]
    return None


def check_output(
    device: str, platform: str, command: str, text: str, *, may_be_empty: bool = False
) -> str:
    """``text`` unchanged when it is an answer; :class:`CommandRefused` when the device refused
    ``command`` (or said nothing, unless ``may_be_empty``: a table that can have no rows)."""
    words = refusal_words(platform, text)
    if words is None or (words == "" and may_be_empty):
        return text
    raise CommandRefused(device, command, words)
