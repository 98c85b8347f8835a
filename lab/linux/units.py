"""iproute2 units: rates (``10mbit``, ``500kbit``, ``1gbit``, ``12345bit``, ``2mbps`` = bytes/s),
sizes (``1600b``, ``15k``, ``5kb``) and handles (``1:``, ``1:10``, hex minor numbers), printed
the way ``tc`` prints them (``150Mbit``, ``1500Kbit``, ``1600b``, ``5Kb``).  Parsing rates and
sizes is the collectors' (re-exported here)."""

from __future__ import annotations

# Reading a rate or a size is the same whether tc prints it or a user types it: one parser for
# both, the collectors'.
from collectors.parsers.tc import tc_rate_bps as parse_rate_bps
from collectors.parsers.tc import tc_size_bytes as parse_size_bytes

__all__ = [
    "format_handle",
    "format_rate",
    "format_size",
    "parse_handle",
    "parse_rate_bps",
    "parse_size_bytes",
]


def format_rate(bps: float) -> str:
    """As iproute2's ``sprint_rate``: divide by 1000 while exact (or large), ``150Mbit``."""
    rate = int(bps)
    units = ["", "K", "M", "G", "T"]
    i = 0
    while i < len(units) - 1:
        if rate < 1000:
            break
        if rate % 1000 != 0 and rate < 1000 * 1000:
            break
        rate //= 1000
        i += 1
    return f"{rate}{units[i]}bit"


def format_size(size: int) -> str:
    """As iproute2's ``sprint_size``: ``1600b``, ``15Kb``, ``2Mb``."""
    if size >= 1024 * 1024 and size % (1024 * 1024) < 1024:
        return f"{size // (1024 * 1024)}Mb"
    if size >= 1024 and size % 1024 < 16:
        return f"{size // 1024}Kb"
    return f"{size}b"


def parse_handle(text: str) -> tuple[int, int]:
    """``"1:"`` -> (1, 0), ``"1:10"`` -> (1, 0x10), ``"root"`` is handled by callers.
    :class:`ValueError` for anything else (major and minor are hexadecimal)."""
    major, sep, minor = text.partition(":")
    if not sep:
        raise ValueError(text)
    return int(major or "0", 16), int(minor or "0", 16)


def format_handle(major: int, minor: int) -> str:
    return f"{major:x}:{minor:x}" if minor else f"{major:x}:"
