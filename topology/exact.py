"""Exact 2-edge-connectivity augmentation for small instances, by mixed-integer programming.

Used to measure the planner (benchmarks and tests), not by the CLI.  Formulation (HiGHS through
``scipy.optimize.milp``): a binary ``x_s`` per candidate segment; for every target ``t`` a flow of
2 units from the core to ``t`` where each existing link carries at most its multiplicity and each
segment at most ``x_s`` (in either direction).  By Menger's theorem a 2-unit flow exists exactly
when ``t`` has two edge-disjoint paths to the core.  Size: targets x 2 x (links + segments)
continuous variables, so keep instances to a few dozen nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from topology.network import Network
from topology.plangraph import CORE, build_options, core_graph, dfs_tree, protected
from topology.planner import apply_options, target_nodes
from topology.routes import Candidates


@dataclass(frozen=True)
class ExactResult:
    """Optimal cost (Rupiah) and the segment names that achieve it."""

    cost_idr: float
    segments: tuple[str, ...]


def exact_redundancy(
    net: Network, cands: Candidates, agencies: list[str] | None = None, time_limit_s: float = 60.0
) -> ExactResult | None:
    """Minimum-cost segments giving every *protectable* target agency two edge-disjoint paths.

    Targets that no combination of candidates can protect are left out (as the planner does).
    Returns ``None`` if the solver hits the time limit without proving optimality.
    """
    adj, node_of = core_graph(net)
    tmap = target_nodes(net, node_of, agencies)
    everything = protected(
        dfs_tree(apply_options(adj, build_options(cands.segments, node_of), node_of)),
        set(tmap.values()),
    )
    targets = sorted(t for t in set(tmap.values()) if t in everything and t != CORE)
    if not targets:
        return ExactResult(0.0, ())
    segs = [s for s in cands.segments if node_of.get(s.u, s.u) != node_of.get(s.v, s.v)]
    nodes = sorted(set(adj) | {node_of.get(x, x) for s in segs for x in (s.u, s.v)})
    idx = {n: i for i, n in enumerate(nodes)}
    fixed: list[tuple[int, int, int]] = []
    for a in adj:
        for b, m in adj[a].items():
            if a < b:
                fixed.append((idx[a], idx[b], m))
    seg_ends = [(idx[node_of.get(s.u, s.u)], idx[node_of.get(s.v, s.v)]) for s in segs]
    n_x = len(segs)
    undirected = [(u, v) for u, v, _ in fixed] + seg_ends
    n_arc = 2 * len(undirected)
    n_var = n_x + len(targets) * n_arc
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    r = 0
    core = idx[CORE]
    for ti, t in enumerate(targets):
        base = n_x + ti * n_arc
        tgt = idx[t]
        # conservation: out - in = +2 at core, -2 at target, 0 elsewhere
        for k, (u, v) in enumerate(undirected):
            for arc, (src, dst) in enumerate(((u, v), (v, u))):
                col = base + 2 * k + arc
                rows += [r + src, r + dst]
                cols += [col, col]
                vals += [1.0, -1.0]
        for i in range(len(nodes)):
            rhs = 2.0 if i == core else (-2.0 if i == tgt else 0.0)
            lo.append(rhs)
            hi.append(rhs)
        r += len(nodes)
        # capacity: both directions together within multiplicity / x_s
        for k, (_u, _v, m) in enumerate(fixed):
            rows += [r, r]
            cols += [base + 2 * k, base + 2 * k + 1]
            vals += [1.0, 1.0]
            lo.append(-np.inf)
            hi.append(float(m))
            r += 1
        for j in range(n_x):
            k = len(fixed) + j
            rows += [r, r, r]
            cols += [base + 2 * k, base + 2 * k + 1, j]
            vals += [1.0, 1.0, -1.0]
            lo.append(-np.inf)
            hi.append(0.0)
            r += 1
    a_mat = coo_array((vals, (rows, cols)), shape=(r, n_var)).tocsr()
    cost = np.zeros(n_var)
    cost[:n_x] = [s.cost_idr for s in segs]
    integrality = np.zeros(n_var)
    integrality[:n_x] = 1
    upper = np.full(n_var, 2.0)
    upper[:n_x] = 1.0
    res = milp(
        cost,
        constraints=LinearConstraint(a_mat, np.asarray(lo), np.asarray(hi)),
        integrality=integrality,
        bounds=Bounds(np.zeros(n_var), upper),
        options={"time_limit": time_limit_s},
    )
    if res.status != 0 or res.x is None:
        return None
    chosen = tuple(sorted(segs[j].name for j in range(n_x) if res.x[j] > 0.5))
    return ExactResult(float(sum(segs[j].cost_idr for j in range(n_x) if res.x[j] > 0.5)), chosen)
