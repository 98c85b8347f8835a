"""A fluid model of Linux HTB sharing for a 3-level tree (uplink -> groups -> leaves).

It matches what LAB-NOTES measured on this kernel:

1. guarantees first: every leaf gets ``min(demand, rate, ceil)``, not capped by its parent;
2. then each group lends its own unused rate to its own children (level 1) ...
3. ... before the root lends what is left of the uplink (level 2);
4. lending goes strictly by the leaves' prio (lower number first) and, among equal prio, in
   proportion to the leaves' quantum (``rate / r2q`` in bytes, clamped to 1,000..200,000);
5. ``ceil`` caps a leaf and the sum of a group's children.

When guarantees alone exceed the uplink (an invalid plan) the physical uplink is shared in
proportion to the guaranteed demand and ``oversubscribed`` is set, so the total never exceeds the
uplink.  Rates are Mbit/s (floats).  Pure; O(n log n) for n leaves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

QUANTUM_MIN_BYTES = 1000
QUANTUM_MAX_BYTES = 200_000
DEFAULT_R2Q = 10


@dataclass(frozen=True)
class HtbGroup:
    """An inner class under the root: ``rate_mbps`` (guaranteed) and ``ceil_mbps`` (maximum)."""

    key: str
    rate_mbps: float
    ceil_mbps: float


@dataclass(frozen=True)
class HtbLeaf:
    """A leaf class: one agency in one direction; ``group`` is a group key or None (root)."""

    key: str
    group: str | None
    rate_mbps: float
    ceil_mbps: float
    prio: int
    demand_mbps: float
    quantum_bytes: int | None = None


@dataclass(frozen=True)
class HtbResult:
    """Allocated Mbit/s per leaf key and per group key."""

    leaves_mbps: dict[str, float]
    groups_mbps: dict[str, float]
    oversubscribed: bool

    @property
    def total_mbps(self) -> float:
        return sum(self.leaves_mbps.values())


def default_quantum_bytes(rate_mbps: float, r2q: int = DEFAULT_R2Q) -> int:
    """HTB's default quantum: ``rate`` in bytes/s divided by r2q, clamped to 1,000..200,000."""
    q = int(rate_mbps * 1e6 / 8 / r2q)
    return min(max(q, QUANTUM_MIN_BYTES), QUANTUM_MAX_BYTES)


def waterfill_level(caps: Sequence[float], weights: Sequence[float], amount: float) -> float:
    """The level t with ``sum(min(cap_i, w_i * t)) == amount``; ``inf`` if all caps fit.

    Weights must be positive.  O(n log n).
    """
    if amount <= 0:
        return 0.0
    if sum(caps) <= amount:
        return math.inf
    order = sorted(range(len(caps)), key=lambda i: caps[i] / weights[i])
    filled = 0.0
    w_left = float(sum(weights))
    for i in order:
        bp = caps[i] / weights[i]
        if filled + bp * w_left >= amount:
            return (amount - filled) / w_left
        filled += caps[i]
        w_left -= weights[i]
    return math.inf  # pragma: no cover - unreachable: sum(caps) > amount


def _fill(caps: Sequence[float], weights: Sequence[float], amount: float) -> list[float]:
    t = waterfill_level(caps, weights, amount)
    return [c if math.isinf(t) else min(c, w * t) for c, w in zip(caps, weights, strict=True)]


def _lend(
    idx: list[int],
    room: list[float],
    weight: list[float],
    prio: list[int],
    group_of: list[str | None],
    group_room: dict[str | None, float],
    amount: float,
) -> dict[int, float]:
    """Lend ``amount`` to leaves ``idx`` by prio bands, then quantum, under per-group caps."""
    given: dict[int, float] = {}
    for p in sorted({prio[i] for i in idx}):
        if amount <= 1e-12:
            break
        band = [i for i in idx if prio[i] == p and room[i] > 1e-12]
        if not band:
            continue
        # A group whose ceil binds holds its leaves at a lower level: cap each leaf at the level
        # where its group's room runs out, then fill the band flat.
        by_group: dict[str | None, list[int]] = {}
        for i in band:
            by_group.setdefault(group_of[i], []).append(i)
        eff: dict[int, float] = {}
        for g, members in by_group.items():
            caps = [room[i] for i in members]
            ws = [weight[i] for i in members]
            t_g = waterfill_level(caps, ws, max(group_room[g], 0.0))
            for i, c, w in zip(members, caps, ws, strict=True):
                eff[i] = c if math.isinf(t_g) else min(c, w * t_g)
        got = _fill([eff[i] for i in band], [weight[i] for i in band], amount)
        for i, x in zip(band, got, strict=True):
            if x <= 0:
                continue
            given[i] = given.get(i, 0.0) + x
            room[i] -= x
            group_room[group_of[i]] -= x
            amount -= x
    return given


def allocate(
    capacity_mbps: float,
    groups: Sequence[HtbGroup],
    leaves: Sequence[HtbLeaf],
    r2q: int = DEFAULT_R2Q,
) -> HtbResult:
    """What each leaf gets under HTB given its demand (see module docstring for the rules).

    Raises ``ValueError`` for a leaf naming an unknown group or a negative rate/ceil/demand.
    """
    gmap = {g.key: g for g in groups}
    n = len(leaves)
    want: list[float] = []
    for leaf in leaves:
        if leaf.group is not None and leaf.group not in gmap:
            raise ValueError(f"leaf {leaf.key!r} names unknown group {leaf.group!r}")
        if min(leaf.rate_mbps, leaf.ceil_mbps, leaf.demand_mbps) < 0:
            raise ValueError(f"leaf {leaf.key!r} has a negative rate, ceil or demand")
        want.append(min(leaf.demand_mbps, max(leaf.ceil_mbps, leaf.rate_mbps)))
    alloc = [min(w, leaf.rate_mbps) for w, leaf in zip(want, leaves, strict=True)]
    total = sum(alloc)
    oversubscribed = False
    if total > capacity_mbps + 1e-9:
        scale = capacity_mbps / total if total else 0.0
        alloc = [a * scale for a in alloc]
        return _result(leaves, alloc, True)

    room = [max(want[i] - alloc[i], 0.0) for i in range(n)]
    weight = [
        float(leaf.quantum_bytes or default_quantum_bytes(leaf.rate_mbps, r2q)) for leaf in leaves
    ]
    prio = [leaf.prio for leaf in leaves]
    group_of = [leaf.group for leaf in leaves]
    used: dict[str | None, float] = {None: 0.0}
    for g in groups:
        used[g.key] = 0.0
    members: dict[str | None, list[int]] = {}
    for i, leaf in enumerate(leaves):
        used[leaf.group] += alloc[i]
        members.setdefault(leaf.group, []).append(i)

    # Level 1: each group lends its own unused rate to its own children.
    level1: dict[int, float] = {}
    for g in groups:
        spare = min(g.rate_mbps, g.ceil_mbps) - used[g.key]
        if spare > 1e-12 and g.key in members:
            level1.update(
                _lend(members[g.key], room, weight, prio, group_of, {g.key: spare}, spare)
            )
    lent1 = sum(level1.values())
    left = capacity_mbps - total
    if lent1 > left + 1e-9:
        # Group rates add up to more than the uplink (invalid plan): the uplink is the limit.
        oversubscribed = True
        scale = left / lent1
        for i in level1:
            level1[i] *= scale
        lent1 = left
    for i, x in level1.items():
        alloc[i] += x
        used[group_of[i]] += x
    room = [max(want[i] - alloc[i], 0.0) for i in range(n)]

    # Level 2: the root lends what is left of the uplink, capped by each group's ceil.
    left = capacity_mbps - total - lent1
    if left > 1e-12:
        group_room: dict[str | None, float] = {None: math.inf}
        for g in groups:
            group_room[g.key] = g.ceil_mbps - used[g.key]
        for i, x in _lend(list(range(n)), room, weight, prio, group_of, group_room, left).items():
            alloc[i] += x
    return _result(leaves, alloc, oversubscribed)


def _result(leaves: Sequence[HtbLeaf], alloc: list[float], over: bool) -> HtbResult:
    per_leaf = {leaf.key: a for leaf, a in zip(leaves, alloc, strict=True)}
    per_group: dict[str, float] = {}
    for leaf, a in zip(leaves, alloc, strict=True):
        if leaf.group is not None:
            per_group[leaf.group] = per_group.get(leaf.group, 0.0) + a
    return HtbResult(per_leaf, per_group, over)
