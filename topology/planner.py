"""Fiber route planning over candidate segments (:mod:`topology.routes`).

1. :func:`connect_site`: the cheapest chain of segments from a new site to the live network.
2. :func:`plan_redundancy`: a cheap set of segments after which every chosen agency has two
   edge-disjoint paths to the core.  The problem is NP-hard; we run a greedy cover (repeatedly
   build the option with the lowest cost per newly covered bridge, where an option joining ``u``
   and ``v`` covers the bridges on the tree path between them), prune what turned redundant,
   improve by local search (drop one option, let the greedy refill), and also prune networkx's
   ``k_edge_augmentation`` answer; the cheaper plan wins, so the result is never worse than
   networkx's on the same candidates.  :mod:`topology.exact` solves small
   instances exactly for comparison.
3. :func:`plan_budget`: under a budget, the build order that protects the most guaranteed Mbit/s
   (greedy by newly protected Mbit/s per Rupiah, then pruned).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from netops.errors import TopologyError
from topology.network import Network
from topology.plangraph import (
    Adjacency,
    Option,
    add_edge,
    build_options,
    core_graph,
    dfs_tree,
    needed_bridges,
    path_bridges,
    protected,
)
from topology.routes import Candidates, Segment

NX_COMPARE_MAX_NODES = 5000
"""Above this many nodes networkx's augmentation is not run (it is far slower than ours)."""


@dataclass
class RoutePlan:
    """Cheapest way to bring ``site`` onto the network: segments in order from the site."""

    site: str
    attach_to: str
    segments: list[Segment]
    length_km: float
    cost_idr: float


@dataclass
class AugmentationPlan:
    """Segments to build so that every agency in ``targets`` has two edge-disjoint paths."""

    targets: list[str]
    segments: list[Segment]
    length_km: float
    cost_idr: float
    already_protected: list[str]
    newly_protected: list[str]
    unprotectable: list[str]
    method: str
    greedy_cost_idr: float
    networkx_cost_idr: float | None = None
    networkx_segments: list[str] | None = None
    networkx_protects_all: bool | None = None
    """Whether networkx's answer protects every agency the candidates can protect: it only
    augments between devices already live, so it may reach fewer (then its cost is not
    comparable)."""


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


def _unique_cost(opts: list[Option]) -> tuple[list[Segment], float, float]:
    segs: dict[str, Segment] = {}
    for o in opts:
        for s in o.segments:
            segs.setdefault(s.name, s)
    out = list(segs.values())
    return out, sum(s.cost_idr for s in out), sum(s.length_km for s in out)


def apply_options(adj: Adjacency, opts: list[Option], node_of: dict[str, str]) -> Adjacency:
    new = {k: dict(v) for k, v in adj.items()}
    done: set[str] = set()
    for o in opts:
        for s in o.segments:
            if s.name not in done:
                done.add(s.name)
                add_edge(new, node_of.get(s.u, s.u), node_of.get(s.v, s.v))
    return new


def target_nodes(
    net: Network, node_of: dict[str, str], agencies: list[str] | None
) -> dict[str, str]:
    """Agency code -> working-graph node of its first device."""
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


def connect_site(net: Network, cands: Candidates, site: str) -> RoutePlan:
    """Cheapest segment chain from ``site`` (a point in routes.yaml, or an inventory site or
    device that is cut off) to any node already reachable from the core.

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


def _greedy_cover(
    adj: Adjacency,
    opts: list[Option],
    targets: set[str],
    node_of: dict[str, str],
    start: tuple[Option, ...] = (),
) -> list[Option]:
    chosen: list[Option] = list(start)
    built: set[str] = {s.name for o in start for s in o.segments}
    cur = apply_options(adj, chosen, node_of) if chosen else adj
    while True:
        tree = dfs_tree(cur)
        need = needed_bridges(tree, targets)
        missing = {t for t in targets if t not in tree.parent}
        if not need and not missing:
            return chosen
        best, best_score = None, float("inf")
        for o in opts:
            if o in chosen:
                continue
            marginal = sum(s.cost_idr for s in o.segments if s.name not in built)
            if missing:
                # Bring cut-off targets in first: any option with one end live, one in the dark.
                ends_live = (o.u in tree.parent) != (o.v in tree.parent)
                score = marginal if ends_live else float("inf")
            elif o.u in tree.parent and o.v in tree.parent:
                covered = path_bridges(tree, o.u, o.v, need)
                score = marginal / len(covered) if covered else float("inf")
            else:
                continue
            if score < best_score:
                best, best_score = o, score
        if best is None:
            return chosen
        chosen.append(best)
        built.update(s.name for s in best.segments)
        cur = apply_options(cur, [best], node_of)


def _prune(
    adj: Adjacency, chosen: list[Option], targets: set[str], node_of: dict[str, str]
) -> list[Option]:
    """Drop options (most expensive first) whose removal keeps every reachable target protected."""
    goal = protected(dfs_tree(apply_options(adj, chosen, node_of)), targets)
    keep = list(chosen)
    for o in sorted(chosen, key=lambda o: -o.cost_idr):
        trial = [x for x in keep if x is not o]
        if goal <= protected(dfs_tree(apply_options(adj, trial, node_of)), targets):
            keep = trial
    return keep


def _improve(
    adj: Adjacency,
    chosen: list[Option],
    opts: list[Option],
    targets: set[str],
    node_of: dict[str, str],
    rounds: int = 2,
) -> list[Option]:
    """Local search: drop one chosen option, let the greedy cover refill without it, keep the
    result if cheaper.  ``rounds`` bounds the passes over the chosen options."""
    best, best_cost = chosen, _unique_cost(chosen)[1]
    goal = protected(dfs_tree(apply_options(adj, chosen, node_of)), targets)
    for _ in range(rounds):
        improved = False
        for o in sorted(best, key=lambda o: -o.cost_idr):
            rest = tuple(x for x in best if x is not o)
            others = [x for x in opts if x is not o]
            trial = _prune(
                adj, _greedy_cover(adj, others, targets, node_of, rest), targets, node_of
            )
            cost = _unique_cost(trial)[1]
            if cost < best_cost - 1e-6 and goal <= protected(
                dfs_tree(apply_options(adj, trial, node_of)), targets
            ):
                best, best_cost, improved = trial, cost, True
                break
        if not improved:
            break
    return best


def _networkx_plan(
    adj: Adjacency, opts: list[Option], node_of: dict[str, str]
) -> list[Option] | None:
    """networkx's weighted 2-edge-augmentation of the live graph over the same options."""
    live = set(dfs_tree(adj).parent)
    if len(live) > NX_COMPARE_MAX_NODES:
        return None
    g = nx.Graph()
    g.add_nodes_from(live)
    dummy = 0
    for a in live:
        for b, m in adj[a].items():
            if a < b and b in live:
                g.add_edge(a, b)
                for _ in range(m - 1):  # parallel link: a two-hop detour keeps networkx simple
                    dummy += 1
                    g.add_edge(a, ("parallel", dummy))
                    g.add_edge(("parallel", dummy), b)
    avail: dict[tuple[str, str], float] = {}
    by_pair: dict[tuple[str, str], Option] = {}
    for o in opts:
        if o.u in live and o.v in live:
            pair = (min(o.u, o.v), max(o.u, o.v))
            if pair not in avail or o.cost_idr < avail[pair]:
                avail[pair] = o.cost_idr
                by_pair[pair] = o
    if g.number_of_nodes() < 2:
        return []
    try:
        edges = list(nx.k_edge_augmentation(g, 2, avail=avail, partial=True))
    except (nx.NetworkXException, ValueError):
        return None
    return [by_pair[(min(a, b), max(a, b))] for a, b in edges if (min(a, b), max(a, b)) in by_pair]


def plan_redundancy(
    net: Network,
    cands: Candidates,
    agencies: list[str] | None = None,
    compare_networkx: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> AugmentationPlan:
    """Cheapest found set of segments giving each agency (default all) two edge-disjoint paths.

    Agencies no combination of candidates can protect are listed in ``unprotectable``.
    ``progress(done, total)`` is called after each phase (cover, prune, improve, networkx).
    Raises :class:`TopologyError` for an unknown agency code.
    """
    step = progress or (lambda done, total: None)
    phases = 4 if compare_networkx else 3
    adj, node_of = core_graph(net)
    tmap = target_nodes(net, node_of, agencies)
    targets = set(tmap.values())
    opts = build_options(cands.segments, node_of)
    before = protected(dfs_tree(adj), targets)
    everything = protected(dfs_tree(apply_options(adj, opts, node_of)), targets)
    cover = _greedy_cover(adj, opts, targets, node_of)
    step(1, phases)
    greedy = _prune(adj, cover, targets, node_of)
    step(2, phases)
    greedy = _improve(adj, greedy, opts, targets, node_of)
    step(3, phases)
    best, method = greedy, "greedy"
    _, g_cost, _ = _unique_cost(greedy)
    nx_cost: float | None = None
    nx_names: list[str] | None = None
    nx_all: bool | None = None
    if compare_networkx:
        nx_opts = _networkx_plan(adj, opts, node_of)
        if nx_opts is not None:
            nx_segs, nx_cost, _ = _unique_cost(nx_opts)
            nx_names = sorted(s.name for s in nx_segs)
            nx_all = everything <= protected(
                dfs_tree(apply_options(adj, nx_opts, node_of)), targets
            )
            pruned = _prune(adj, nx_opts, targets, node_of)
            ok = everything <= protected(dfs_tree(apply_options(adj, pruned, node_of)), targets)
            if ok and _unique_cost(pruned)[1] < g_cost:
                best, method = pruned, "networkx k_edge_augmentation, pruned"
        step(4, phases)
    segs, cost, km = _unique_cost(best)
    codes = sorted(tmap)
    return AugmentationPlan(
        targets=codes,
        segments=segs,
        length_km=round(km, 4),
        cost_idr=cost,
        already_protected=[c for c in codes if tmap[c] in before],
        newly_protected=[c for c in codes if tmap[c] in everything and tmap[c] not in before],
        unprotectable=[c for c in codes if tmap[c] not in everything],
        method=method,
        greedy_cost_idr=g_cost,
        networkx_cost_idr=nx_cost,
        networkx_segments=nx_names,
        networkx_protects_all=nx_all,
    )


def plan_budget(
    net: Network,
    cands: Candidates,
    budget_idr: float,
    agencies: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BudgetPlan:
    """Build order within ``budget_idr`` Rupiah maximising protected guaranteed Mbit/s (down).

    ``progress(done, 0)`` is called as each step of the build order is chosen (total unknown)."""
    if budget_idr < 0:
        raise TopologyError("budget must not be negative")
    adj, node_of = core_graph(net)
    tmap = target_nodes(net, node_of, agencies)
    weight: dict[str, float] = {}
    for code, node in tmap.items():
        weight[node] = weight.get(node, 0.0) + float(net.g_down_mbps[net.agency_codes.index(code)])
    targets = set(weight)

    def value(a: Adjacency) -> tuple[float, set[str]]:
        p = protected(dfs_tree(a), targets)
        return sum(weight[t] for t in p), p

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
    for o in sorted(chosen, key=lambda o: -o.cost_idr):
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
        codes = sorted(c for c, n in tmap.items() if n in pset - prev_set)
        plan.steps.append(BudgetStep(new, cost, spent, val, codes))
        prev_set = pset
    plan.spent_idr = spent
    plan.protected_after_mbps = value(apply_options(adj, chosen, node_of))[0]
    return plan
