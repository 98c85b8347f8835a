"""Counter deltas to rates: wraps, resets and reboots never become stored spikes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netops.telemetry.rates import (
    CounterSample,
    RateStatus,
    compute_rate,
    counter_delta,
    naive_rate,
)

GIG = 1000.0  # Mbit/s


def s(at: float, o_in: int, o_out: int, bits: int = 64, up: float | None = None) -> CounterSample:
    return CounterSample(at, o_in, o_out, bits, up)


def test_counter_wrap_on_32bit_interface_gives_positive_rate() -> None:
    prev = s(0, 2**32 - 1_000_000, 10, bits=32)
    cur = s(60, 6_500_000, 10, bits=32)
    r = compute_rate(prev, cur, GIG)
    assert r.status is RateStatus.OK and r.wrapped
    assert r.in_bps == pytest.approx(7_500_000 * 8 / 60)


def test_counter_wrap_on_64bit_counter_is_handled_modulo_2_64() -> None:
    prev = s(0, 2**64 - 100, 0)
    r = compute_rate(prev, s(10, 900, 0), GIG)
    assert r.status is RateStatus.OK and r.in_bps == pytest.approx(1000 * 8 / 10)


def test_agent_reporting_64bit_but_wrapping_at_32_is_recognised() -> None:
    prev = s(0, 2**32 - 2_000, 0, bits=64)
    r = compute_rate(prev, s(60, 3_000, 0, bits=64), GIG)
    assert r.status is RateStatus.OK and r.in_bps == pytest.approx(5_000 * 8 / 60)


def test_counter_cleared_without_reboot_is_a_reset_not_a_spike() -> None:
    r = compute_rate(s(0, 9_000_000_000, 5), s(60, 1_000, 10), GIG)
    assert r.status is RateStatus.RESET and r.in_bps is None


def test_uptime_going_back_is_a_reboot_even_if_counters_look_plausible() -> None:
    r = compute_rate(s(0, 1_000, 1_000, up=5000), s(60, 2_000, 2_000, up=30), GIG)
    assert r.status is RateStatus.REBOOT


def test_delta_above_interface_speed_is_dropped() -> None:
    # 100 Mbit/s port, 60 s: at most 750 MB; 1 GB implies a reset or bogus reading.
    r = compute_rate(s(0, 0, 0), s(60, 1_000_000_000, 0), 100.0)
    assert r.status is RateStatus.RESET


def test_first_sample_and_non_increasing_time_store_nothing() -> None:
    assert compute_rate(None, s(0, 1, 1), GIG).status is RateStatus.FIRST
    assert compute_rate(s(5, 1, 1), s(5, 2, 2), GIG).status is RateStatus.CLOCK


def test_unknown_speed_is_refused() -> None:
    with pytest.raises(ValueError, match="speed"):
        compute_rate(s(0, 0, 0), s(1, 1, 1), 0)


@given(
    prev=st.integers(0, 2**64 - 1),
    cur=st.integers(0, 2**64 - 1),
    dt=st.floats(1, 3600),
    speed=st.floats(1, 100_000),
    bits=st.sampled_from([32, 64]),
)
def test_no_stored_rate_ever_exceeds_interface_speed(
    prev: int, cur: int, dt: float, speed: float, bits: int
) -> None:
    mod = 2**bits
    r = compute_rate(s(0, prev % mod, 0, bits), s(dt, cur % mod, 0, bits), speed)
    if r.stored:
        assert r.in_bps is not None and 0 <= r.in_bps <= speed * 1e6 * (1 + 1e-9)


def test_counter_delta_returns_none_when_nothing_fits() -> None:
    assert counter_delta(100, 50, 64, max_octets=1e6) is None


def _replay() -> list[tuple[CounterSample, float]]:
    """Eleven minutes of a 100 Mbit/s, 32-bit port at 80 Mbit/s with a wrap, a counter clear and a
    reboot (uptime back to 20 s), one sample per minute."""
    rate_Bps = 80e6 / 8
    seq: list[tuple[CounterSample, float]] = []
    counter = 2**32 - int(rate_Bps * 90)  # wraps between the 1st and 2nd sample
    uptime = 100_000.0
    for minute in range(12):
        t = minute * 60.0
        if minute == 5:
            counter = 12_345  # counters cleared
        if minute == 8:
            counter, uptime = 4_000, 20.0  # device rebooted
        seq.append((s(t, counter % 2**32, 0, bits=32, up=uptime), 100.0))
        counter += int(rate_Bps * 60)
        uptime += 60
    return seq


def test_replay_with_wraps_resets_and_reboots_stores_zero_impossible_rates() -> None:
    seq = _replay()
    naive_spikes = 0
    stored: list[float] = []
    dropped = []
    for (prev, _), (cur, speed) in zip(seq, seq[1:], strict=False):
        naive_in, _ = naive_rate(prev, cur)
        if naive_in < 0 or naive_in > speed * 1e6:
            naive_spikes += 1
        r = compute_rate(prev, cur, speed)
        if r.stored:
            assert r.in_bps is not None
            stored.append(r.in_bps)
        else:
            dropped.append(r.status)
    # the naive delta stores impossible values (negative or above 100 Mbit/s) at the wrap, the
    # clear and the reboot ...
    assert naive_spikes == 3
    # ... the engine stores none: every stored rate is the true 80 Mbit/s, the wrap included
    assert all(v == pytest.approx(80e6, rel=1e-6) for v in stored)
    assert len(stored) == 9  # 11 intervals, 2 dropped
    assert dropped == [RateStatus.RESET, RateStatus.REBOOT]
