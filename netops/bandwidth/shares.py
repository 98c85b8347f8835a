"""Fair shares of the plan: promised / getting now / would get at full contention, per agency.

``getting now`` runs the HTB model (:mod:`netops.bandwidth.htb`) on measured demands; ``full
contention`` runs it with every agency wanting its maximum.  Mbit/s throughout.  Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from netops.bandwidth.htb import HtbGroup, HtbLeaf, HtbResult, allocate
from netops.bandwidth.plan import ROOT_KEY, BandwidthPlan, Direction


@dataclass(frozen=True)
class ShareRow:
    """One agency in one direction (Mbit/s); ``demand_mbps`` None means no measurement."""

    code: str
    name: str
    group: str
    direction: Direction
    guaranteed_mbps: float
    maximum_mbps: float
    priority: int
    demand_mbps: float | None
    getting_now_mbps: float
    full_contention_mbps: float


@dataclass(frozen=True)
class ShareTable:
    direction: Direction
    uplink_mbps: float
    rows: tuple[ShareRow, ...]
    total_now_mbps: float
    oversubscribed: bool


def plan_to_htb(
    plan: BandwidthPlan, direction: Direction, demand_mbps: Mapping[str, float] | None = None
) -> tuple[float, list[HtbGroup], list[HtbLeaf]]:
    """The plan as HTB classes for one direction; ``demand_mbps`` maps agency code -> Mbit/s
    (missing codes demand their maximum)."""
    groups = [
        HtbGroup(g.key, g.guaranteed_mbps(direction), g.maximum_mbps(direction))
        for g in plan.groups
    ]
    leaves = []
    for a in plan.agencies:
        mx = a.maximum_mbps(direction)
        demand = mx if demand_mbps is None else demand_mbps.get(a.code, 0.0)
        leaves.append(
            HtbLeaf(
                a.key,
                None if a.parent == ROOT_KEY else a.parent,
                a.guaranteed_mbps(direction),
                mx,
                a.priority,
                max(demand, 0.0),
            )
        )
    return plan.root.maximum_mbps(direction), groups, leaves


def simulate(
    plan: BandwidthPlan, direction: Direction, demand_mbps: Mapping[str, float] | None = None
) -> HtbResult:
    """HTB allocation for measured demands (agency code -> Mbit/s); None = everyone at maximum."""
    cap, groups, leaves = plan_to_htb(plan, direction, demand_mbps)
    return allocate(cap, groups, leaves)


def fair_shares(
    plan: BandwidthPlan, direction: Direction, demand_mbps: Mapping[str, float] | None = None
) -> ShareTable:
    """Promised, getting now (from ``demand_mbps``; without it, same as full contention) and full
    contention per agency."""
    full = simulate(plan, direction, None)
    now = full if demand_mbps is None else simulate(plan, direction, demand_mbps)
    rows = []
    for a in plan.agencies:
        rows.append(
            ShareRow(
                code=a.code,
                name=a.label,
                group=a.parent[2:] if a.parent and a.parent.startswith("g:") else "",
                direction=direction,
                guaranteed_mbps=a.guaranteed_mbps(direction),
                maximum_mbps=a.maximum_mbps(direction),
                priority=a.priority,
                demand_mbps=None if demand_mbps is None else demand_mbps.get(a.code),
                getting_now_mbps=now.leaves_mbps[a.key],
                full_contention_mbps=full.leaves_mbps[a.key],
            )
        )
    return ShareTable(
        direction,
        plan.root.maximum_mbps(direction),
        tuple(rows),
        now.total_mbps,
        now.oversubscribed or full.oversubscribed,
    )
