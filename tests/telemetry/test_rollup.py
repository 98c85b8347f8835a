"""Rollups keep min/avg/max/p95 per bucket; retention windows follow the tiers."""

from __future__ import annotations

import pytest

from netops.telemetry.rollup import TIERS, bucket_start, percentile, rollup, summarize


def test_p95_is_nearest_rank_of_sorted_samples() -> None:
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 95) == 95
    assert percentile([7.0], 95) == 7.0


def test_p95_of_twenty_samples_ignores_the_single_top_burst() -> None:
    values = [10.0] * 19 + [500.0]
    assert summarize(values).p95 == 10.0
    assert summarize(values).max == 500.0


def test_buckets_align_to_the_epoch_and_summarize_each_direction() -> None:
    pts = [(0, 1.0, 10.0), (60, 3.0, 30.0), (299, 2.0, 20.0), (300, 100.0, 0.0)]
    buckets = rollup(pts, 300)
    assert [b.start_s for b in buckets] == [0, 300]
    first = buckets[0]
    assert (first.in_bps.min, first.in_bps.avg, first.in_bps.max) == (1.0, 2.0, 3.0)
    assert first.out_bps.count == 3 and first.out_bps.p95 == 30.0
    assert bucket_start(3599, 3600) == 0 and bucket_start(3600, 3600) == 3600


def test_tiers_are_5_min_for_30_days_and_1_hour_for_2_years() -> None:
    assert [(t.width_s, t.retention_s // 86400) for t in TIERS] == [(300, 30), (3600, 730)]


def test_summary_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        summarize([])
