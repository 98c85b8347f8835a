"""Helpers shared by the platform parsers."""

from __future__ import annotations

from typing import Any

from netops.errors import ParseError


def ntc_parse(device: str, platform: str, command: str, text: str) -> list[dict[str, str]]:
    """Parse ``text`` with the ntc-templates template for ``platform``/``command``.

    Templates are strict (unknown lines are an error), so garbage or a cut-off reply raises
    :class:`ParseError` naming the device and command instead of yielding partial data.
    """
    from ntc_templates.parse import parse_output

    try:
        rows: Any = parse_output(platform=platform, command=command, data=text)
    except Exception as exc:  # textfsm raises its own error classes for unmatched input
        detail = " ".join(str(exc).split())[:160]
        raise ParseError(device, f"{command!r}: output not recognised ({detail})") from None
    if not isinstance(rows, list):
        raise ParseError(device, f"{command!r}: template returned {type(rows).__name__}")
    return [{str(k): v for k, v in row.items()} for row in rows]
