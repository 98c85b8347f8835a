"""Pure parsers for Linux output that ntc-templates has no template for: ``ip -s link`` and
``tc [-s] class show``.  Both raise :class:`ValueError` naming the offending line."""

from __future__ import annotations

import re

from lab.linux.units import parse_rate_bps, parse_size_bytes

_LINK_RE = re.compile(r"^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>.*?\bstate\s+(\S+)")
_CLASS_RE = re.compile(
    r"^class (\S+) (\S+) (?:root|parent (\S+))(?: leaf (\S+))?(?: prio (\d+))?"
    r".*? rate (\S+) ceil (\S+) burst (\S+) cburst (\S+)"
)
_SENT_RE = re.compile(r"^\s*Sent (\d+) bytes (\d+) pkt \(dropped (\d+), overlimits (\d+)")
_RATE_RE = re.compile(r"^\s*rate (\S+) (\d+)pps")


def parse_ip_s_link(text: str) -> dict[str, dict[str, int | str]]:
    """``ip -s link`` -> {ifname: {"state", "flags", "rx_bytes", "rx_packets", "rx_errors",
    "rx_dropped", "tx_bytes", "tx_packets", "tx_errors", "tx_dropped"}} (counters int)."""
    out: dict[str, dict[str, int | str]] = {}
    current: dict[str, int | str] | None = None
    pending: str | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        m = _LINK_RE.match(line)
        if m:
            current = {"state": m.group(3), "flags": m.group(2)}
            out[m.group(1)] = current
            continue
        stripped = line.strip()
        if stripped.startswith(("RX:", "TX:")):
            pending = stripped[:2].lower()
            continue
        if pending and current is not None:
            values = stripped.split()
            if len(values) < 4 or not all(v.isdigit() for v in values[:4]):
                raise ValueError(f"line {n}: expected {pending.upper()} counters: {line!r}")
            for key, value in zip(("bytes", "packets", "errors", "dropped"), values, strict=False):
                current[f"{pending}_{key}"] = int(value)
            pending = None
    return out


def parse_tc_classes(text: str) -> dict[str, dict[str, int | str | None]]:
    """``tc [-s] class show`` -> {classid: {"kind", "parent", "leaf", "prio", "rate_bps",
    "ceil_bps", "burst_b", "cburst_b", "sent_bytes", "sent_packets", "dropped", "overlimits",
    "est_rate_bps", "est_pps"}}; stats keys are None without ``-s``."""
    out: dict[str, dict[str, int | str | None]] = {}
    current: dict[str, int | str | None] | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("class "):
            m = _CLASS_RE.match(line)
            if not m:
                raise ValueError(f"line {n}: unreadable class line: {line!r}")
            try:
                current = {
                    "kind": m.group(1),
                    "parent": m.group(3),
                    "leaf": m.group(4),
                    "prio": int(m.group(5)) if m.group(5) is not None else None,
                    "rate_bps": parse_rate_bps(m.group(6)),
                    "ceil_bps": parse_rate_bps(m.group(7)),
                    "burst_b": parse_size_bytes(m.group(8)),
                    "cburst_b": parse_size_bytes(m.group(9)),
                    "sent_bytes": None,
                    "sent_packets": None,
                    "dropped": None,
                    "overlimits": None,
                    "est_rate_bps": None,
                    "est_pps": None,
                }
            except ValueError as exc:
                raise ValueError(f"line {n}: bad number {exc} in {line!r}") from None
            out[m.group(2)] = current
            continue
        if current is None:
            continue
        sent = _SENT_RE.match(line)
        if sent:
            current["sent_bytes"], current["sent_packets"] = int(sent.group(1)), int(sent.group(2))
            current["dropped"], current["overlimits"] = int(sent.group(3)), int(sent.group(4))
            continue
        est = _RATE_RE.match(line)
        if est:
            current["est_rate_bps"] = parse_rate_bps(est.group(1))
            current["est_pps"] = int(est.group(2))
    return out
