"""Fiber route planning over candidate segments (:mod:`topology.routes`).

What "protected" means (links: no single cable cut cuts the agency off; devices: nor any single
device failure) is :mod:`topology.protect`'s; agencies on several devices count as one.

1. :func:`connect_site`: the cheapest chain of segments from a new site to the live network;
   with ``protect`` also the segments that then protect the new site.
2. :func:`plan_redundancy`: the cheapest set of segments after which every chosen agency is
   protected.  By default the exact program of :mod:`topology.exact` (a MILP with lazily added
   cut constraints, HiGHS) answers within a time limit; beyond it the heuristic of
   :mod:`topology.heuristic` answers and the plan carries the gap to the best lower bound.
   For ``links`` with every device a target, networkx's ``k_edge_augmentation`` solves the same
   problem and is run for comparison (its pruned answer wins when cheaper than the heuristic).
3. :func:`plan_budget`: under a budget, the build order that protects the most guaranteed Mbit/s
   (greedy by newly protected Mbit/s per Rupiah, then pruned).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

from netops.errors import TopologyError
from topology import heuristic
from topology.exact import solve
from topology.heuristic import NX_COMPARE_MAX_NODES, unique_cost
from topology.network import Network
from topology.plangraph import (
    CORE,
    Adjacency,
    Option,
    apply_options,
    build_options,
    core_graph,
    dfs_tree,
    target_groups,
)
from topology.protect import Groups, check_mode, protected_codes
from topology.routes import Candidates, Segment

__all__ = [
    "NX_COMPARE_MAX_NODES",
    "AugmentationPlan",
    "BudgetPlan",
    "BudgetStep",
    "RoutePlan",
    "apply_options",
    "connect_site",
    "plan_budget",
    "plan_redundancy",
    "target_nodes",
]

EXACT_TIME_LIMIT_S = 10.0
"""Default solver time for the exact plan (``NETOPS_TOPOLOGY_EXACT_TIME_LIMIT_S`` in the CLI)."""

SOLVERS = ("auto", "exact", "heuristic")


@dataclass
class RoutePlan:
    """Cheapest way to bring ``site`` onto the network: segments in order from the site."""

    site: str
    attach_to: str
    segments: list[Segment]
    length_km: float
    cost_idr: float
    protect: str | None = None
    """``links``/``devices`` when the plan also protects the new site (:mod:`topology.protect`)."""
    protected: bool = True
    """False when ``protect`` was asked but the candidates cannot protect the site."""


@dataclass
class AugmentationPlan:
    """Segments to build so that every agency in ``targets`` is protected (``protect``).

    ``solver`` says which answered: ``exact`` (proven optimal: ``lower_bound_idr == cost_idr``)
    or ``heuristic``; then ``gap`` is ``(cost - lower bound) / cost`` (0..1), the most it can be
    above the optimum.  ``protects``: segment name -> agencies that are protected with the plan
    but not without that segment.  ``greedy_cost_idr`` is the heuristic's cost when it ran."""

    targets: list[str]
    segments: list[Segment]
    length_km: float
    cost_idr: float
    already_protected: list[str]
    newly_protected: list[str]
    unprotectable: list[str]
    method: str
    greedy_cost_idr: float | None
    networkx_cost_idr: float | None = None
    networkx_segments: list[str] | None = None
    networkx_protects_all: bool | None = None
    """Whether networkx's answer protects every agency the candidates can protect: it only
    augments between devices already live, so it may reach fewer (then its cost is not
    comparable)."""
    protect: str = "links"
    solver: str = "heuristic"
    lower_bound_idr: float = 0.0
    gap: float = 0.0
    protects: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class BudgetStep:
    """One build step: its segments, its cost, and what is protected once it is built."""

    segments: list[Segment]
    cost_idr: float
    cumulative_cost_idr: float
    protected_mbps: float
    newly_protected: list[str]


@dataclass
class BudgetPlan:
    budget_idr: float
    steps: list[BudgetStep] = field(default_factory=list)
    spent_idr: float = 0.0
    protected_before_mbps: float = 0.0
    protected_after_mbps: float = 0.0


def target_nodes(
    net: Network, node_of: dict[str, str], agencies: list[str] | None
) -> dict[str, str]:
    """Agency code -> working-graph node of its first device (kept for callers that want one
    node per agency; the planner itself uses :func:`~topology.plangraph.target_groups`)."""
    codes = agencies if agencies is not None else list(net.agency_codes)
    pos = {c: k for k, c in enumerate(net.agency_codes)}
    out: dict[str, str] = {}
    for code in codes:
        if code not in pos:
            raise TopologyError(
                f"unknown agency {code!r}; known: {', '.join(net.agency_codes) or 'none'}"
            )
        k = pos[code]
        if net.agency_nodes[k]:
            out[code] = node_of[net.nodes[net.agency_nodes[k][0]]]
    return out


def connect_site(
    net: Network,
    cands: Candidates,
    site: str,
    protect: str | None = None,
    time_limit_s: float = EXACT_TIME_LIMIT_S,
) -> RoutePlan:
    """Cheapest segment chain from ``site`` (a point in routes.yaml, or an inventory site or
    device that is cut off) to any node already reachable from the core.

    With ``protect`` (``links`` or ``devices``) the plan is instead the cheapest set of segments
    after which the site is joined *and* protected in that sense (exact within
    ``time_limit_s``, else the heuristic); ``attach_to`` is then where its first segment joins.
    Raises :class:`TopologyError` if the site is unknown or no chain reaches the network.
    """
    adj, node_of = core_graph(net)
    live = set(dfs_tree(adj).parent)
    start = f"pt:{site}" if site in cands.points else node_of.get(site)
    if start is None:
        for s in cands.segments:
            if site in (s.a, s.b):
                start = s.u if s.a == site else s.v
                start = node_of.get(start, start)
                break
    if start is None:
        raise TopologyError(f"unknown site {site!r}: not a point in the routes file or a device")
    if protect is not None:
        return _connect_protected(
            adj, node_of, cands, site, start, check_mode(protect), time_limit_s
        )
    if start in live:
        return RoutePlan(site, start, [], 0.0, 0.0)
    nbrs: dict[str, list[tuple[str, Segment]]] = {}
    for s in cands.segments:
        a, b = node_of.get(s.u, s.u), node_of.get(s.v, s.v)
        nbrs.setdefault(a, []).append((b, s))
        nbrs.setdefault(b, []).append((a, s))
    best = {start: 0.0}
    via: dict[str, tuple[str, Segment]] = {}
    heap = [(0.0, start)]
    while heap:
        c, x = heapq.heappop(heap)
        if c > best[x]:
            continue
        if x in live:
            chain: list[Segment] = []
            y = x
            while y != start:
                y, s = via[y]
                chain.append(s)
            chain.reverse()
            last = chain[-1]
            # report the device itself, not the merged core node
            attach = last.u if node_of.get(last.u, last.u) == x else last.v
            return RoutePlan(site, attach, chain, round(sum(s.length_km for s in chain), 4), c)
        for y, s in nbrs.get(x, []):
            if c + s.cost_idr < best.get(y, float("inf")):
                best[y] = c + s.cost_idr
                via[y] = (x, s)
                heapq.heappush(heap, (best[y], y))
    raise TopologyError(f"no chain of candidate segments joins {site!r} to the network")


def _connect_protected(
    adj: Adjacency,
    node_of: dict[str, str],
    cands: Candidates,
    site: str,
    start: str,
    mode: str,
    time_limit_s: float,
) -> RoutePlan:
    groups = {site: (start,)}
    opts = build_options(cands.segments, node_of)
    ok = site in protected_codes(dfs_tree(apply_options(adj, opts, node_of)), groups, mode)
    if ok:
        chosen = _search(adj, opts, cands, node_of, groups, mode, time_limit_s)[0]
    else:
        chosen = heuristic.cover(adj, opts, groups, node_of, mode)
    segs, cost, km = unique_cost(chosen)
    # the segment order: from the site outwards where it can be followed
    ordered: list[Segment] = []
    at, left = start, list(segs)
    while True:
        nxt = next((s for s in left if at in (node_of.get(s.u, s.u), node_of.get(s.v, s.v))), None)
        if nxt is None:
            break
        ordered.append(nxt)
        left.remove(nxt)
        a, b = node_of.get(nxt.u, nxt.u), node_of.get(nxt.v, nxt.v)
        at = b if a == at else a
    ordered += left
    attach = ordered[0].b if ordered else start
    return RoutePlan(site, attach, ordered, round(km, 4), cost, protect=mode, protected=ok)


def _search(
    adj: Adjacency,
    opts: list[Option],
    cands: Candidates,
    node_of: dict[str, str],
    goal: Groups,
    mode: str,
    time_limit_s: float,
    solver: str = "auto",
) -> tuple[list[Option], str, float, float | None]:
    """(options, solver that answered, best lower bound, heuristic cost or None)."""
    lower = 0.0
    if solver != "heuristic":
        segs = [s for s in cands.segments if node_of.get(s.u, s.u) != node_of.get(s.v, s.v)]
        res = solve(adj, segs, node_of, goal, mode, time_limit_s)
        lower = res.lower_bound_idr
        if res.chosen is not None:
            picked = [segs[j] for j in res.chosen]
            return (
                [Option(node_of.get(s.u, s.u), node_of.get(s.v, s.v), (s,)) for s in picked],
                "exact",
                lower,
                None,
            )
    found = heuristic.cover(adj, opts, goal, node_of, mode)
    found = heuristic.prune(adj, found, goal, node_of, mode)
    found = heuristic.improve(adj, found, opts, goal, node_of, mode)
    return found, "heuristic", lower, unique_cost(found)[1]


def _same_problem_as_networkx(adj: Adjacency, groups: Groups, mode: str) -> bool:
    """networkx makes every live node 2-edge-connected: the same problem as ours exactly when
    we protect against link failures, every live device is a target on its own and no target is
    cut off (networkx only joins live nodes)."""
    if mode != "links":
        return False
    live = set(dfs_tree(adj).parent) - {CORE}
    singles: set[str] = set()
    for devs in groups.values():
        if len(devs) != 1 or devs[0] not in live and devs[0] != CORE:
            return False
        singles.add(devs[0])
    return live <= singles


def _protects(
    adj: Adjacency, chosen: list[Option], groups: Groups, node_of: dict[str, str], mode: str
) -> dict[str, list[str]]:
    """Segment name -> agencies protected with the whole plan but not without that segment
    (a chain through junction points goes with any of its segments)."""
    full = protected_codes(dfs_tree(apply_options(adj, chosen, node_of)), groups, mode)
    out: dict[str, list[str]] = {}
    for seg in unique_cost(chosen)[0]:
        rest = [o for o in chosen if seg not in o.segments]
        left = protected_codes(dfs_tree(apply_options(adj, rest, node_of)), groups, mode)
        out[seg.name] = sorted(full - left)
    return out


def plan_redundancy(
    net: Network,
    cands: Candidates,
    agencies: list[str] | None = None,
    compare_networkx: bool = True,
    progress: Callable[[int, int], None] | None = None,
    *,
    protect: str = "links",
    solver: str = "auto",
    time_limit_s: float = EXACT_TIME_LIMIT_S,
) -> AugmentationPlan:
    """Cheapest segments after which each chosen agency (default all) is protected.

    ``protect``: ``links`` (no single link failure cuts it off) or ``devices`` (nor any single
    device failure; see :mod:`topology.protect`).  ``solver``: ``auto`` (exact within
    ``time_limit_s`` seconds, else the heuristic), ``exact`` (the same; kept for clarity) or
    ``heuristic``.  Agencies no combination of candidates can protect are listed in
    ``unprotectable``.  ``progress(done, total)`` is called after each phase.
    Raises :class:`TopologyError` for an unknown agency code or mode.
    """
    check_mode(protect)
    if solver not in SOLVERS:
        raise TopologyError(f"solver {solver!r}; expected one of {', '.join(SOLVERS)}")
    step = progress or (lambda done, total: None)
    adj, node_of = core_graph(net)
    groups = target_groups(net, node_of, agencies)
    opts = build_options(cands.segments, node_of)
    before = protected_codes(dfs_tree(adj), groups, protect)
    everything = protected_codes(dfs_tree(apply_options(adj, opts, node_of)), groups, protect)
    goal = {c: groups[c] for c in sorted(everything)}
    step(1, 3)
    best, answered, lower, h_cost = _search(
        adj, opts, cands, node_of, goal, protect, time_limit_s, solver
    )
    method = "exact MILP (HiGHS), proven optimal" if answered == "exact" else "heuristic"
    step(2, 3)
    nx_cost: float | None = None
    nx_names: list[str] | None = None
    nx_all: bool | None = None
    if compare_networkx and _same_problem_as_networkx(adj, groups, protect):
        nx_opts = heuristic.networkx_plan(adj, opts, node_of)
        if nx_opts is not None:
            nx_segs, nx_cost, _ = unique_cost(nx_opts)
            nx_names = sorted(s.name for s in nx_segs)
            nx_all = everything <= protected_codes(
                dfs_tree(apply_options(adj, nx_opts, node_of)), groups, protect
            )
            pruned = heuristic.prune(adj, nx_opts, goal, node_of, protect)
            ok = everything <= protected_codes(
                dfs_tree(apply_options(adj, pruned, node_of)), groups, protect
            )
            if answered == "heuristic" and ok and unique_cost(pruned)[1] < unique_cost(best)[1]:
                best, method = pruned, "heuristic (networkx k_edge_augmentation, pruned)"
    step(3, 3)
    segs, cost, km = unique_cost(best)
    if answered == "exact":
        lower = cost
    lower = min(lower, cost)
    codes = sorted(groups)
    return AugmentationPlan(
        targets=codes,
        segments=segs,
        length_km=round(km, 4),
        cost_idr=cost,
        already_protected=[c for c in codes if c in before],
        newly_protected=[c for c in codes if c in everything and c not in before],
        unprotectable=[c for c in codes if c not in everything],
        method=method,
        greedy_cost_idr=h_cost,
        networkx_cost_idr=nx_cost,
        networkx_segments=nx_names,
        networkx_protects_all=nx_all,
        protect=protect,
        solver=answered,
        lower_bound_idr=lower,
        gap=(cost - lower) / cost if cost > 0 else 0.0,
        protects=_protects(adj, best, goal, node_of, protect),
    )


def plan_budget(
    net: Network,
    cands: Candidates,
    budget_idr: float,
    agencies: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    protect: str = "links",
) -> BudgetPlan:
    """Build order within ``budget_idr`` Rupiah maximising protected guaranteed Mbit/s (down),
    protected in the sense of ``protect`` (``links`` or ``devices``).

    ``progress(done, 0)`` is called as each step of the build order is chosen (total unknown)."""
    check_mode(protect)
    if budget_idr < 0:
        raise TopologyError("budget must not be negative")
    adj, node_of = core_graph(net)
    groups = target_groups(net, node_of, agencies)
    pos = {c: k for k, c in enumerate(net.agency_codes)}
    weight = {code: float(net.g_down_mbps[pos[code]]) for code in groups}

    def value(a: Adjacency) -> tuple[float, set[str]]:
        p = protected_codes(dfs_tree(a), groups, protect)
        return sum(weight[c] for c in sorted(p)), p

    opts = build_options(cands.segments, node_of)
    base_value, base_set = value(adj)
    plan = BudgetPlan(budget_idr, protected_before_mbps=base_value, protected_after_mbps=base_value)
    chosen: list[Option] = []
    built: set[str] = set()
    cur, cur_value = adj, base_value
    while True:
        best, best_ratio, best_value = None, 0.0, cur_value
        for o in opts:
            marginal = sum(s.cost_idr for s in o.segments if s.name not in built)
            if o in chosen or plan.spent_idr + marginal > budget_idr:
                continue
            val, _ = value(apply_options(cur, [o], node_of))
            gain = val - cur_value
            if gain <= 1e-9:
                continue
            ratio = gain / marginal if marginal > 0 else float("inf")
            if ratio > best_ratio:
                best, best_ratio, best_value = o, ratio, val
        if best is None:
            break
        chosen.append(best)
        if progress is not None:
            progress(len(chosen), 0)
        plan.spent_idr += sum(s.cost_idr for s in best.segments if s.name not in built)
        built.update(s.name for s in best.segments)
        cur, cur_value = apply_options(cur, [best], node_of), best_value
    # Prune steps a later step made pointless, then replay to report cumulative figures.
    for o in sorted(chosen, key=lambda o: (-o.cost_idr, o.u, o.v)):
        trial = [x for x in chosen if x is not o]
        if value(apply_options(adj, trial, node_of))[0] >= cur_value - 1e-9:
            chosen = trial
    prev_set, spent, built = base_set, 0.0, set()
    for i, o in enumerate(chosen):
        new = [s for s in o.segments if s.name not in built]
        built.update(s.name for s in new)
        cost = sum(s.cost_idr for s in new)
        spent += cost
        val, pset = value(apply_options(adj, chosen[: i + 1], node_of))
        codes = sorted(pset - prev_set)
        plan.steps.append(BudgetStep(new, cost, spent, val, codes))
        prev_set = pset
    plan.spent_idr = spent
    plan.protected_after_mbps = value(apply_options(adj, chosen, node_of))[0]
    return plan
