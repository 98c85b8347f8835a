"""Cisco IOS words: keyword abbreviation and interface names (``gi1/0/1`` ->
``GigabitEthernet1/0/1``)."""

from __future__ import annotations

import re

# Long form -> short form, as IOS prints them in brief tables (longest names first for matching).
SHORT_NAMES: dict[str, str] = {
    "HundredGigE": "Hu",
    "FortyGigabitEthernet": "Fo",
    "TwentyFiveGigE": "Twe",
    "TenGigabitEthernet": "Te",
    "GigabitEthernet": "Gi",
    "FastEthernet": "Fa",
    "Ethernet": "Et",
    "Port-channel": "Po",
    "Loopback": "Lo",
    "Vlan": "Vl",
    "Tunnel": "Tu",
}
_SPLIT = re.compile(r"^([A-Za-z-]+)\s*([0-9][0-9/.:]*)$")


def short_name(name: str) -> str:
    """``GigabitEthernet1/0/1`` -> ``Gi1/0/1`` (unknown types are returned unchanged)."""
    m = _SPLIT.match(name)
    if not m:
        return name
    return SHORT_NAMES.get(m.group(1), m.group(1)) + m.group(2)


def resolve_interface(text: str, names: list[str]) -> str | None:
    """The device interface ``text`` designates (``gi1/0/1``, ``Gi 1/0/1``, full name), or None."""
    wanted = text.replace(" ", "")
    for name in names:
        if name.lower() == wanted.lower():
            return name
    m = _SPLIT.match(wanted)
    if not m:
        return None
    kind, number = m.group(1).lower(), m.group(2)
    for name in names:
        nm = _SPLIT.match(name)
        if nm and nm.group(2) == number and nm.group(1).lower().startswith(kind):
            return name
    return None


def keyword_match(word: str, keyword: str, min_len: int = 1) -> bool:
    """Whether ``word`` abbreviates ``keyword`` (IOS accepts any unambiguous prefix)."""
    w = word.lower()
    return len(w) >= min_len and keyword.startswith(w)


def invalid_input(prompt: str, line: str, word_index: int) -> str:
    """IOS's answer to a line it cannot parse, with the caret under word ``word_index``."""
    col = len(prompt) + _word_column(line, word_index)
    return " " * col + "^\n% Invalid input detected at '^' marker.\n\n"


def incomplete() -> str:
    return "% Incomplete command.\n\n"


def _word_column(line: str, index: int) -> int:
    pos = 0
    count = -1
    in_word = False
    for i, ch in enumerate(line):
        if ch != " " and not in_word:
            count += 1
            in_word = True
            if count == index:
                return i
        elif ch == " ":
            in_word = False
        pos = i
    return pos + 1 if line else 0
