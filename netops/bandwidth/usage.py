"""Usage against quota over plain rate series: current rate, 95th percentile, volumes, minutes at
the cap, who needs more / is over-allocated, a re-allocation that fits the uplink, and the uplink
view (utilization, headroom, peak hour, cost per Mbit/s in Rupiah).

A series is ``[(t_s, rate_bps), ...]`` sorted by time (epoch seconds, bit/s); each sample's rate
is taken to hold until the next sample (and for ``last_step_s`` after the last).  Pure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from netops.bandwidth.plan import BandwidthPlan, Direction

Series = Sequence[tuple[float, float]]
WITA = timezone(timedelta(hours=8), "WITA")
AT_CAP_FRACTION = 0.95
NEEDS_MORE_FRACTION = 0.9
OVER_ALLOCATED_FRACTION = 0.3
HEADROOM_FACTOR = 1.2


def percentile_95_bps(series: Series) -> float:
    """Nearest-rank 95th percentile of the rates (the burstable-billing convention: sort, drop
    the top 5 %).  0 for an empty series."""
    rates = sorted(r for _, r in series)
    if not rates:
        return 0.0
    rank = max(math.ceil(0.95 * len(rates)), 1)
    return rates[rank - 1]


def _durations(series: Series, last_step_s: float) -> list[float]:
    out = []
    for i, (t, _) in enumerate(series):
        nxt = series[i + 1][0] if i + 1 < len(series) else t + last_step_s
        out.append(max(nxt - t, 0.0))
    return out


def volume_octets(series: Series, last_step_s: float = 60.0) -> float:
    """Octets carried: sum of rate x duration / 8."""
    return sum(r * d for (_, r), d in zip(series, _durations(series, last_step_s), strict=True)) / 8


def minutes_at_cap(series: Series, cap_bps: float, last_step_s: float = 60.0) -> float:
    """Minutes during which the rate was at least 95 % of ``cap_bps``."""
    if cap_bps <= 0:
        return 0.0
    d = _durations(series, last_step_s)
    return (
        sum(dt for (_, r), dt in zip(series, d, strict=True) if r >= AT_CAP_FRACTION * cap_bps) / 60
    )


@dataclass(frozen=True)
class AgencyUsage:
    """One agency in one direction over a period.  Rates bit/s, volume octets."""

    code: str
    direction: Direction
    guaranteed_bps: float
    maximum_bps: float
    current_bps: float
    p95_bps: float
    volume_octets: float
    minutes_at_cap: float
    status: str  # "needs-more", "over-allocated", "ok", "no-data"


def agency_usage(
    code: str, direction: Direction, guaranteed_bps: float, maximum_bps: float, series: Series
) -> AgencyUsage:
    """Usage of one agency; status "needs-more" when its 95th percentile sits at its maximum,
    "over-allocated" when it stays far below its guarantee."""
    if not series:
        return AgencyUsage(code, direction, guaranteed_bps, maximum_bps, 0, 0, 0, 0, "no-data")
    p95 = percentile_95_bps(series)
    if maximum_bps > 0 and p95 >= NEEDS_MORE_FRACTION * maximum_bps:
        status = "needs-more"
    elif guaranteed_bps > 0 and p95 < OVER_ALLOCATED_FRACTION * guaranteed_bps:
        status = "over-allocated"
    else:
        status = "ok"
    return AgencyUsage(
        code,
        direction,
        guaranteed_bps,
        maximum_bps,
        series[-1][1],
        p95,
        volume_octets(series),
        minutes_at_cap(series, maximum_bps),
        status,
    )


@dataclass(frozen=True)
class Reallocation:
    code: str
    guaranteed_mbps: float
    suggested_mbps: float


def suggest_reallocation(usages: Sequence[AgencyUsage], uplink_mbps: float) -> list[Reallocation]:
    """New guarantees: 1.2 x the 95th percentile, at most the maximum, for agencies that need
    more or are over-allocated (others keep theirs); scaled down so the total fits the uplink.

    Mbit/s, rounded to 0.1.  The total of suggested guarantees never exceeds ``uplink_mbps``.
    """
    wanted = []
    for u in usages:
        g = u.guaranteed_bps / 1e6
        if u.status in ("needs-more", "over-allocated"):
            g = min(u.p95_bps * HEADROOM_FACTOR, u.maximum_bps) / 1e6
        wanted.append((u, g))
    total = sum(g for _, g in wanted)
    scale = min(1.0, uplink_mbps / total) if total > 0 else 1.0
    return [
        Reallocation(u.code, u.guaranteed_bps / 1e6, math.floor(g * scale * 10) / 10)
        for u, g in wanted
    ]


@dataclass(frozen=True)
class UplinkView:
    capacity_bps: float
    current_bps: float
    utilization: float
    headroom_bps: float
    p95_bps: float
    peak_hour_wita: int | None
    cost_idr_per_mbps: float
    cost_idr_per_used_mbps: float | None


def uplink_view(series: Series, capacity_bps: float, cost_idr_per_month: int) -> UplinkView:
    """Utilization now, headroom, 95th percentile, the hour of day (WITA) with the highest mean
    rate, and the monthly cost per Mbit/s bought and per Mbit/s used (95th percentile)."""
    current = series[-1][1] if series else 0.0
    p95 = percentile_95_bps(series)
    by_hour: dict[int, list[float]] = {}
    for t, r in series:
        by_hour.setdefault(datetime.fromtimestamp(t, UTC).astimezone(WITA).hour, []).append(r)
    peak = max(by_hour, key=lambda h: sum(by_hour[h]) / len(by_hour[h])) if by_hour else None
    cap_mbps = capacity_bps / 1e6
    return UplinkView(
        capacity_bps,
        current,
        current / capacity_bps if capacity_bps else 0.0,
        max(capacity_bps - current, 0.0),
        p95,
        peak,
        cost_idr_per_month / cap_mbps if cap_mbps else 0.0,
        cost_idr_per_month / (p95 / 1e6) if p95 > 0 else None,
    )


def plan_usage(
    plan: BandwidthPlan, direction: Direction, series_by_code: Mapping[str, Series]
) -> list[AgencyUsage]:
    """Usage of every agency of the plan (agencies without a series get ``no-data``)."""
    return [
        agency_usage(
            a.code,
            direction,
            a.guaranteed_mbps(direction) * 1e6,
            a.maximum_mbps(direction) * 1e6,
            series_by_code.get(a.code, ()),
        )
        for a in plan.agencies
    ]
