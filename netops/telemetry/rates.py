"""Counter deltas to bit rates, with wrap, reset and reboot detection.

Devices report monotonic octet counters; a rate is ``(cur - prev) * 8 / dt``.  Three things
break the naive formula and would store spikes of terabits per second:

* **wrap**: a 32-bit counter passes 2**32 and restarts near 0 (every ~34 s at 1 Gbit/s);
  the delta is taken modulo 2**bits;
* **reset**: counters cleared, or an agent restarted: the modular delta then implies more than
  the interface can carry;
* **reboot**: the device's uptime went back.

A sample whose rate would exceed the interface speed is dropped (:class:`RateStatus`), never
stored: no stored rate is ever above the interface speed.  All functions are pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RateStatus(StrEnum):
    OK = "ok"
    FIRST = "first"  # no previous sample: nothing to compare with
    REBOOT = "reboot"  # uptime went back
    RESET = "reset"  # counter went back and no wrap explains it within the interface speed
    CLOCK = "clock"  # timestamps not increasing


@dataclass(frozen=True, slots=True)
class CounterSample:
    """Counters read at ``at_s`` (epoch seconds); ``uptime_s`` of the device when known."""

    at_s: float
    octets_in: int
    octets_out: int
    counter_bits: int = 64
    uptime_s: float | None = None


@dataclass(frozen=True, slots=True)
class RateResult:
    status: RateStatus
    in_bps: float | None = None
    out_bps: float | None = None
    wrapped: bool = False

    @property
    def stored(self) -> bool:
        return self.status is RateStatus.OK


def counter_delta(prev: int, cur: int, bits: int, max_octets: float) -> tuple[int, bool] | None:
    """Octets between two readings of a ``bits``-wide counter, or None if no explanation fits.

    Returns ``(delta, wrapped)``.  A 64-bit counter that restarts from a value below 2**32 when
    it was in the upper half of that range is treated as a 32-bit wrap (agents that report
    64-bit but keep 32-bit counters); any candidate above ``max_octets`` is rejected.
    """
    if cur >= prev:
        delta = cur - prev
        return (delta, False) if delta <= max_octets else None
    candidates = [cur - prev + 2**bits]
    if bits > 32 and 2**31 <= prev < 2**32 and cur < 2**32:
        candidates.insert(0, cur - prev + 2**32)
    for delta in candidates:
        if delta <= max_octets:
            return delta, True
    return None


def compute_rate(prev: CounterSample | None, cur: CounterSample, speed_mbps: float) -> RateResult:
    """Rate between two samples, in bit/s per direction, capped by ``speed_mbps`` (Mbit/s).

    Raises ValueError when ``speed_mbps`` is not positive (the caller must supply the
    inventory's speed when the device does not report one).
    """
    if speed_mbps <= 0:
        raise ValueError(f"interface speed must be positive, got {speed_mbps!r} Mbit/s")
    if prev is None:
        return RateResult(RateStatus.FIRST)
    dt = cur.at_s - prev.at_s
    if dt <= 0:
        return RateResult(RateStatus.CLOCK)
    if cur.uptime_s is not None and prev.uptime_s is not None and cur.uptime_s < prev.uptime_s:
        return RateResult(RateStatus.REBOOT)
    max_octets = speed_mbps * 1e6 / 8 * dt
    bits = min(prev.counter_bits, cur.counter_bits)
    d_in = counter_delta(prev.octets_in, cur.octets_in, bits, max_octets)
    d_out = counter_delta(prev.octets_out, cur.octets_out, bits, max_octets)
    if d_in is None or d_out is None:
        return RateResult(RateStatus.RESET)
    return RateResult(
        RateStatus.OK,
        in_bps=d_in[0] * 8 / dt,
        out_bps=d_out[0] * 8 / dt,
        wrapped=d_in[1] or d_out[1],
    )


def naive_rate(prev: CounterSample, cur: CounterSample) -> tuple[float, float]:
    """The textbook delta without any protection (for comparison in tests and docs only)."""
    dt = cur.at_s - prev.at_s
    return (cur.octets_in - prev.octets_in) * 8 / dt, (cur.octets_out - prev.octets_out) * 8 / dt
