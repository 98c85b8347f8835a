"""Usage statistics over plain rate series, worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from netops.bandwidth.usage import (
    agency_usage,
    minutes_at_cap,
    percentile_95_bps,
    suggest_reallocation,
    uplink_view,
    volume_octets,
)

T0 = datetime(2026, 1, 15, 0, 0, tzinfo=UTC).timestamp()  # 08:00 WITA


def _minutes(rates: list[float]) -> list[tuple[float, float]]:
    return [(T0 + 60 * i, r) for i, r in enumerate(rates)]


def test_95th_percentile_drops_the_top_five_percent() -> None:
    # 100 samples 1..100 Mbit/s: nearest rank 95 -> 95 Mbit/s
    assert percentile_95_bps(_minutes([i * 1e6 for i in range(1, 101)])) == 95e6
    assert percentile_95_bps([]) == 0


def test_volume_integrates_rate_over_time_in_octets() -> None:
    # 8 Mbit/s for 10 minutes = 600 s * 1 MB/s = 600 MB
    assert volume_octets(_minutes([8e6] * 10)) == pytest.approx(600e6)


def test_minutes_at_cap_counts_time_at_95_percent_of_the_maximum_or_more() -> None:
    series = _minutes([10e6, 9.6e6, 9.4e6, 10e6, 2e6])
    assert minutes_at_cap(series, 10e6) == 3


def test_agency_at_its_maximum_needs_more_and_idle_one_is_over_allocated() -> None:
    busy = agency_usage("rsud", "down", 60e6, 100e6, _minutes([95e6] * 20))
    idle = agency_usage("dprd", "down", 50e6, 100e6, _minutes([5e6] * 20))
    assert busy.status == "needs-more" and busy.minutes_at_cap == 20
    assert idle.status == "over-allocated"
    assert agency_usage("x", "down", 1, 2, []).status == "no-data"


def test_reallocation_moves_guarantee_and_fits_the_uplink() -> None:
    busy = agency_usage("rsud", "down", 60e6, 150e6, _minutes([140e6] * 20))
    idle = agency_usage("dprd", "down", 50e6, 100e6, _minutes([5e6] * 20))
    ok = agency_usage("dinkes", "down", 40e6, 80e6, _minutes([40e6] * 20))
    sugg = {r.code: r.suggested_mbps for r in suggest_reallocation([busy, idle, ok], 200)}
    # wanted: rsud min(168,150)=150, dprd 6, dinkes 40 -> 196 fits 200
    assert sugg == {"rsud": 150, "dprd": 6, "dinkes": 40}
    tight = suggest_reallocation([busy, idle, ok], 98)
    assert sum(r.suggested_mbps for r in tight) <= 98


def test_uplink_view_finds_peak_hour_and_cost_per_mbps() -> None:
    # 08:00-08:59 WITA at 50, 09:00-09:59 WITA at 150 Mbit/s on a 200 Mbit/s uplink
    series = _minutes([50e6] * 60 + [150e6] * 60)
    v = uplink_view(series, 200e6, 10_000_000)
    assert v.peak_hour_wita == 9
    assert v.utilization == pytest.approx(0.75) and v.headroom_bps == 50e6
    assert v.cost_idr_per_mbps == 50_000
    assert v.cost_idr_per_used_mbps == pytest.approx(10_000_000 / 150)
