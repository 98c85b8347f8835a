"""Rollups of rate series into fixed buckets, and retention windows.

Raw samples (one per poll, ~1 min) are kept :data:`RAW_RETENTION_S`; rollup tiers keep
min/avg/max/95th percentile per bucket (:data:`TIERS`: 5 min for 30 days, 1 h for 2 years).
Every tier is computed from raw samples so its 95th percentile is exact (percentiles of
percentiles are not percentiles).  Pure functions; the storage layer applies them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DAY_S = 86_400


@dataclass(frozen=True, slots=True)
class Tier:
    width_s: int
    retention_s: int


RAW_RETENTION_S = 2 * DAY_S
TIERS: tuple[Tier, ...] = (Tier(300, 30 * DAY_S), Tier(3600, 730 * DAY_S))


@dataclass(frozen=True, slots=True)
class Summary:
    count: int
    min: float
    avg: float
    max: float
    p95: float


@dataclass(frozen=True, slots=True)
class Bucket:
    start_s: int
    width_s: int
    in_bps: Summary
    out_bps: Summary


def bucket_start(ts_s: float, width_s: int) -> int:
    """Start (epoch s) of the ``width_s`` bucket holding ``ts_s``; buckets align to the epoch."""
    return int(ts_s // width_s) * width_s


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (the value billing 95th-percentile uses). ValueError if empty."""
    if not sorted_values:
        raise ValueError("percentile of no values")
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return float(sorted_values[rank - 1])


def summarize(values: Iterable[float]) -> Summary:
    vals = sorted(values)
    if not vals:
        raise ValueError("summary of no values")
    return Summary(len(vals), vals[0], sum(vals) / len(vals), vals[-1], percentile(vals, 95))


def rollup(points: Iterable[tuple[float, float, float]], width_s: int) -> list[Bucket]:
    """Group ``(ts_s, in_bps, out_bps)`` points into buckets of ``width_s`` seconds."""
    groups: dict[int, tuple[list[float], list[float]]] = {}
    for ts, rin, rout in points:
        ins, outs = groups.setdefault(bucket_start(ts, width_s), ([], []))
        ins.append(rin)
        outs.append(rout)
    return [
        Bucket(start, width_s, summarize(ins), summarize(outs))
        for start, (ins, outs) in sorted(groups.items())
    ]


def complete_buckets_before(now_s: float, width_s: int) -> int:
    """Buckets starting before this time are complete and can be rolled up."""
    return bucket_start(now_s, width_s)


def retention_cutoff(now_s: float, retention_s: int) -> float:
    return now_s - retention_s
