"""Turn one poll's counters into sample rows and new counter state (pure).

The previous counters per (device, key) come from the caller (the engine's cache, loaded from
``counter_state`` at start so a restart does not create spikes); this module computes rates with
:mod:`netops.telemetry.rates` and returns plain dicts ready for a bulk ``insert()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from netops.storage.telemetry import to_signed64
from netops.telemetry.rates import CounterSample, RateStatus, compute_rate
from netops.telemetry.records import InterfaceCounters, QueueStats

StateKey = tuple[str, str]
DEFAULT_SPEED_MBPS = 1000.0
# Queues without a limit are capped by this (bit/s) when checking their byte deltas.
QUEUE_CAP_BPS = 100e9


def interface_rows(
    device: str,
    at_s: float,
    counters: Iterable[InterfaceCounters],
    speeds_mbps: Mapping[str, float],
    uptime_s: float | None,
    state: Mapping[StateKey, CounterSample],
) -> tuple[list[dict[str, Any]], dict[StateKey, CounterSample]]:
    """Sample rows (with ``in_bps``/``out_bps`` or NULL and a status) and the new state.

    ``speeds_mbps`` maps interface -> Mbit/s (device-reported or the inventory's); interfaces
    missing from it use :data:`DEFAULT_SPEED_MBPS`.
    """
    rows: list[dict[str, Any]] = []
    new_state: dict[StateKey, CounterSample] = {}
    for c in counters:
        speed = speeds_mbps.get(c.name) or DEFAULT_SPEED_MBPS
        cur = CounterSample(at_s, c.octets_in, c.octets_out, c.counter_bits, uptime_s)
        r = compute_rate(state.get((device, c.name)), cur, speed)
        rows.append(
            {
                "device": device,
                "interface": c.name,
                "at_s": at_s,
                "octets_in": to_signed64(c.octets_in),
                "octets_out": to_signed64(c.octets_out),
                "packets_in": to_signed64(c.packets_in),
                "packets_out": to_signed64(c.packets_out),
                "errors_in": to_signed64(c.errors_in),
                "errors_out": to_signed64(c.errors_out),
                "counter_bits": c.counter_bits,
                "speed_mbps": speed,
                "in_bps": r.in_bps,
                "out_bps": r.out_bps,
                "status": r.status.value,
            }
        )
        new_state[(device, c.name)] = cur
    return rows, new_state


def queue_rows(
    device: str,
    at_s: float,
    queues: Iterable[QueueStats],
    uptime_s: float | None,
    state: Mapping[StateKey, CounterSample],
) -> tuple[list[dict[str, Any]], dict[StateKey, CounterSample]]:
    """Queue sample rows; rates from byte deltas (up = "in", down = "out") unless the device
    reported them, capped by the queue's max-limit."""
    rows: list[dict[str, Any]] = []
    new_state: dict[StateKey, CounterSample] = {}
    for q in queues:
        key = (device, f"queue:{q.name}")
        cur = CounterSample(at_s, q.bytes_up, q.bytes_down, 64, uptime_s)
        cap_bps = max(q.max_limit_up_bps or 0, q.max_limit_down_bps or 0) or QUEUE_CAP_BPS
        r = compute_rate(state.get(key), cur, cap_bps / 1e6)
        up = q.rate_up_bps if q.rate_up_bps is not None else r.in_bps
        down = q.rate_down_bps if q.rate_down_bps is not None else r.out_bps
        if r.status is RateStatus.RESET and q.rate_up_bps is None:
            up = down = None
        rows.append(
            {
                "device": device,
                "queue_name": q.name,
                "target": q.target[:300],
                "parent": q.parent[:200],
                "at_s": at_s,
                "limit_at_up_bps": q.limit_at_up_bps,
                "max_limit_up_bps": q.max_limit_up_bps,
                "limit_at_down_bps": q.limit_at_down_bps,
                "max_limit_down_bps": q.max_limit_down_bps,
                "bytes_up": to_signed64(q.bytes_up),
                "bytes_down": to_signed64(q.bytes_down),
                "rate_up_bps": up,
                "rate_down_bps": down,
                "disabled": q.disabled,
            }
        )
        new_state[key] = cur
    return rows, new_state


def state_rows(state: Mapping[StateKey, CounterSample]) -> list[dict[str, Any]]:
    return [
        {
            "device": d,
            "key": k,
            "at_s": s.at_s,
            "octets_in": to_signed64(s.octets_in),
            "octets_out": to_signed64(s.octets_out),
            "counter_bits": s.counter_bits,
            "uptime_s": s.uptime_s,
        }
        for (d, k), s in state.items()
    ]
