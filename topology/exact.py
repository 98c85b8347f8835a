"""Proven-optimal fiber plans: a mixed-integer program with lazily added cut constraints.

A binary ``x_s`` per candidate segment, cost ``sum(cost_s * x_s)``.  Every failure that still cuts
an agency off (:func:`topology.protect.weakness`) splits the working graph into the core's side
``S`` and the rest; any plan that protects the agency must build enough segments across that
split, so it yields the constraint

* a bridge, or the agency not reaching the core at all: ``sum(x_s : s crosses S) >= 2 - L``
  where ``L`` counts the existing links across ``S`` (Menger: two edge-disjoint ways in);
* a device ``w``: ``sum(x_s : s joins S to the rest without touching w) >= 1``.

HiGHS (through :func:`scipy.optimize.milp`) solves the program with the constraints found so far;
the answer is built, checked, and the failures it still leaves become new constraints, until it
protects everyone (then it is optimal: every constraint is one any plan must meet) or the time
limit runs out.  The optimum of each partial program is a lower bound on the true optimum, so
the planner can print how far its heuristic answer may be from the best.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from topology.network import Network
from topology.plangraph import (
    Adjacency,
    add_edge,
    apply_options,
    build_options,
    core_graph,
    dfs_tree,
    target_groups,
)
from topology.protect import Groups, check_mode, core_side, protected_codes, weakness
from topology.routes import Candidates, Segment


@dataclass(frozen=True)
class ExactResult:
    """Optimal cost (Rupiah) and the segment names that achieve it."""

    cost_idr: float
    segments: tuple[str, ...]
    rounds: int = 0
    """MILP solves it took (each adds the constraints the previous answer violated)."""


@dataclass(frozen=True)
class CutSearch:
    """Outcome of :func:`solve`: ``chosen`` segment indexes when proven optimal (else None) and
    the best lower bound on the optimum found (Rupiah)."""

    chosen: tuple[int, ...] | None
    lower_bound_idr: float
    rounds: int


def _with(adj: Adjacency, ends: list[tuple[str, str]], chosen: list[int]) -> Adjacency:
    new = {k: dict(v) for k, v in adj.items()}
    for j in chosen:
        add_edge(new, *ends[j])
    return new


def _failures(tree_adj: Adjacency, groups: Groups, mode: str) -> list[tuple[str, str]]:
    """Every bridge on an unprotected agency's way to the core, else its first failure."""
    tree = dfs_tree(tree_adj)
    out: dict[tuple[str, str], None] = {}
    for code in sorted(groups):
        f = weakness(tree, groups[code], mode)
        if f is None:
            continue
        out[f] = None
        if f[0] == "link":
            x = tree.parent[f[1]]
            while x is not None:
                if x in tree.bridge_child:
                    out[("link", x)] = None
                x = tree.parent[x]
    return list(out)


def solve(
    adj: Adjacency,
    segs: list[Segment],
    node_of: dict[str, str],
    groups: Groups,
    mode: str,
    time_limit_s: float,
) -> CutSearch:
    """Cheapest subset of ``segs`` protecting every agency in ``groups`` (which must all be
    protectable with every segment built), within ``time_limit_s`` seconds of solver time."""
    deadline = time.monotonic() + time_limit_s
    ends = [(node_of.get(s.u, s.u), node_of.get(s.v, s.v)) for s in segs]
    cost = np.asarray([s.cost_idr for s in segs], dtype=float)
    rows: list[tuple[tuple[int, ...], float]] = []
    seen: set[tuple[tuple[int, ...], float]] = set()
    chosen: list[int] = []
    lower, rounds = 0.0, 0
    while True:
        cur = _with(adj, ends, chosen)
        tree = dfs_tree(cur)
        added = 0
        for f in _failures(cur, groups, mode):
            side = core_side(tree, f)
            gone = f[1] if f[0] == "device" else None
            base = sum(
                m for a in side for b, m in adj.get(a, {}).items() if b not in side and b != gone
            )
            need = float((1 if f[0] == "device" else 2) - base)
            across = tuple(
                j
                for j, (a, b) in enumerate(ends)
                if (a in side) != (b in side) and gone not in (a, b)
            )
            if need <= 0 or not across or (across, need) in seen:
                continue
            seen.add((across, need))
            rows.append((across, need))
            added += 1
        if not added:
            return CutSearch(tuple(sorted(chosen)), max(lower, float(cost[chosen].sum())), rounds)
        left = deadline - time.monotonic()
        if left <= 0:
            return CutSearch(None, lower, rounds)
        r_idx = [i for i, (js, _) in enumerate(rows) for _ in js]
        c_idx = [j for js, _ in rows for j in js]
        a_mat = coo_array(
            (np.ones(len(c_idx)), (r_idx, c_idx)), shape=(len(rows), len(segs))
        ).tocsr()
        need_v = np.asarray([n for _, n in rows])
        res = milp(
            cost,
            constraints=LinearConstraint(a_mat, need_v, np.full(len(rows), np.inf)),
            integrality=np.ones(len(segs)),
            bounds=Bounds(np.zeros(len(segs)), np.ones(len(segs))),
            options={"time_limit": left},
        )
        rounds += 1
        if res.status != 0 or res.x is None:
            bound = getattr(res, "mip_dual_bound", None)
            if bound is not None and np.isfinite(bound):
                lower = max(lower, float(bound))
            return CutSearch(None, lower, rounds)
        lower = max(lower, float(res.fun))
        chosen = [j for j in range(len(segs)) if res.x[j] > 0.5]


def exact_redundancy(
    net: Network,
    cands: Candidates,
    agencies: list[str] | None = None,
    time_limit_s: float = 60.0,
    protect: str = "links",
) -> ExactResult | None:
    """Minimum-cost segments protecting (``protect``: links or devices) every *protectable*
    target agency; targets no combination of candidates can protect are left out.

    Returns ``None`` if the time limit runs out before optimality is proven.
    """
    check_mode(protect)
    adj, node_of = core_graph(net)
    groups = target_groups(net, node_of, agencies)
    everything = protected_codes(
        dfs_tree(apply_options(adj, build_options(cands.segments, node_of), node_of)),
        groups,
        protect,
    )
    goal = {c: groups[c] for c in sorted(everything)}
    segs = [s for s in cands.segments if node_of.get(s.u, s.u) != node_of.get(s.v, s.v)]
    res = solve(adj, segs, node_of, goal, protect, time_limit_s)
    if res.chosen is None:
        return None
    picked = [segs[j] for j in res.chosen]
    return ExactResult(
        float(sum(s.cost_idr for s in picked)), tuple(sorted(s.name for s in picked)), res.rounds
    )
