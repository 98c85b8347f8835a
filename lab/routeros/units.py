"""RouterOS numbers as the lab prints them: rates (``10M``, ``512k``), measured rates
(``734.2kbps``), byte counts with thousands groups (``205 149 015``), durations
(``6w5d11h55m45s``).  Parsing rates and pairs is the collectors' (re-exported here)."""

from __future__ import annotations

# Reading a rate or an UP/DOWN pair is the same whether RouterOS prints it or a user types it:
# one parser for both, the collectors'.
from collectors.parsers.routeros_text import ros_pair as split_pair
from collectors.parsers.routeros_text import ros_rate_bps as parse_rate_bps

__all__ = [
    "format_duration",
    "format_live_rate",
    "format_rate",
    "group_thousands",
    "parse_rate_bps",
    "split_pair",
]


def format_rate(bps: int) -> str:
    """Bit/s the way RouterOS prints a configured limit: ``60M``, ``1500k``, ``1234567``."""
    if bps == 0:
        return "0"
    for suffix, mult in (("G", 1_000_000_000), ("M", 1_000_000), ("k", 1_000)):
        if bps % mult == 0:
            return f"{bps // mult}{suffix}"
    return str(bps)


def format_live_rate(bps: float) -> str:
    """A measured rate as ``/queue ... print stats`` shows it: ``0bps``, ``734.2kbps``,
    ``15.0Mbps``."""
    if bps < 1_000:
        return f"{int(bps)}bps"
    for suffix, mult in (("Gbps", 1e9), ("Mbps", 1e6), ("kbps", 1e3)):
        if bps >= mult:
            return f"{bps / mult:.1f}{suffix}"
    return f"{int(bps)}bps"  # pragma: no cover - unreachable


def group_thousands(value: int) -> str:
    """``205149015`` -> ``"205 149 015"`` (RouterOS 7 table cells)."""
    return f"{value:,}".replace(",", " ")


def format_duration(seconds: float) -> str:
    """``6w5d11h55m45s``; zero units are left out, ``0s`` for nothing."""
    total = int(seconds)
    out = []
    for suffix, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if total >= size:
            out.append(f"{total // size}{suffix}")
            total %= size
    if total or not out:
        out.append(f"{total}s")
    return "".join(out)
