"""The planner's heuristic searches over options (:class:`~topology.plangraph.Option`).

* ``links`` protection: greedy cover (repeatedly build the option with the lowest cost per
  newly covered bridge, where an option joining ``u`` and ``v`` covers the bridges on the tree
  path between them), then :func:`prune` and :func:`improve` (drop one option, let the greedy
  refill, keep it when cheaper).
* ``devices`` protection: cut cover (take the first agency some failure still cuts off and build
  the cheapest option joining the core's side of that failure to the rest), then the same
  pruning and local search.

Agencies are groups of nodes (dual-homed agencies have several); what protected means is
:mod:`topology.protect`'s.  Every search works on the ``goal``: the agencies the candidates can
protect at all.
"""

from __future__ import annotations

import networkx as nx

from topology.plangraph import (
    Adjacency,
    Option,
    apply_options,
    dfs_tree,
    needed_bridges,
    path_bridges,
)
from topology.protect import Groups, anchor, core_side, protected_codes, weakness
from topology.routes import Segment

NX_COMPARE_MAX_NODES = 5000
"""Above this many nodes networkx's augmentation is not run (it is far slower than ours)."""


def unique_cost(opts: list[Option]) -> tuple[list[Segment], float, float]:
    """Segments of ``opts`` (each once, in order), their cost (Rupiah) and length (km)."""
    segs: dict[str, Segment] = {}
    for o in opts:
        for s in o.segments:
            segs.setdefault(s.name, s)
    out = list(segs.values())
    return out, sum(s.cost_idr for s in out), sum(s.length_km for s in out)


def _marginal(o: Option, built: set[str]) -> float:
    return sum(s.cost_idr for s in o.segments if s.name not in built)


def greedy_cover(
    adj: Adjacency,
    opts: list[Option],
    groups: Groups,
    node_of: dict[str, str],
    start: tuple[Option, ...] = (),
) -> list[Option]:
    """Bridge-covering greedy for ``links`` protection of every agency in ``groups``."""
    chosen: list[Option] = list(start)
    built: set[str] = {s.name for o in start for s in o.segments}
    cur = apply_options(adj, chosen, node_of) if chosen else adj
    while True:
        tree = dfs_tree(cur)
        anchors = [anchor(tree, devs) for devs in groups.values()]
        targets = {a for a in anchors if a is not None}
        need = needed_bridges(tree, targets)
        missing = any(a is None for a in anchors)
        if not need and not missing:
            return chosen
        best, best_score = None, float("inf")
        for o in opts:
            if o in chosen:
                continue
            marginal = _marginal(o, built)
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


def cut_cover(
    adj: Adjacency,
    opts: list[Option],
    groups: Groups,
    node_of: dict[str, str],
    mode: str,
    start: tuple[Option, ...] = (),
) -> list[Option]:
    """Close, one at a time, the first failure that still cuts an agency off with the cheapest
    option across it; agencies no option helps are skipped."""
    chosen: list[Option] = list(start)
    built: set[str] = {s.name for o in start for s in o.segments}
    cur = apply_options(adj, chosen, node_of) if chosen else adj
    skip: set[str] = set()
    while True:
        tree = dfs_tree(cur)
        failure, code = None, ""
        for code in sorted(groups):
            if code not in skip:
                failure = weakness(tree, groups[code], mode)
                if failure is not None:
                    break
        if failure is None:
            return chosen
        side = core_side(tree, failure)
        gone = failure[1] if failure[0] == "device" else None
        best, best_cost = None, float("inf")
        for o in opts:
            if o in chosen or gone in (o.u, o.v) or (o.u in side) == (o.v in side):
                continue
            c = _marginal(o, built)
            if c < best_cost:
                best, best_cost = o, c
        if best is None:
            skip.add(code)
            continue
        chosen.append(best)
        built.update(s.name for s in best.segments)
        cur = apply_options(cur, [best], node_of)


def cover(
    adj: Adjacency,
    opts: list[Option],
    groups: Groups,
    node_of: dict[str, str],
    mode: str,
    start: tuple[Option, ...] = (),
) -> list[Option]:
    if mode == "links":
        return greedy_cover(adj, opts, groups, node_of, start)
    return cut_cover(adj, opts, groups, node_of, mode, start)


def prune(
    adj: Adjacency,
    chosen: list[Option],
    groups: Groups,
    node_of: dict[str, str],
    mode: str = "links",
) -> list[Option]:
    """Drop options (most expensive first) whose removal keeps every protected agency so."""
    goal = protected_codes(dfs_tree(apply_options(adj, chosen, node_of)), groups, mode)
    keep = list(chosen)
    for o in sorted(chosen, key=lambda o: (-o.cost_idr, o.u, o.v)):
        trial = [x for x in keep if x is not o]
        if goal <= protected_codes(dfs_tree(apply_options(adj, trial, node_of)), groups, mode):
            keep = trial
    return keep


def improve(
    adj: Adjacency,
    chosen: list[Option],
    opts: list[Option],
    groups: Groups,
    node_of: dict[str, str],
    mode: str = "links",
    rounds: int = 2,
) -> list[Option]:
    """Local search: drop one chosen option, let the cover refill without it, keep the result
    if cheaper.  ``rounds`` bounds the passes over the chosen options."""
    best, best_cost = chosen, unique_cost(chosen)[1]
    goal = protected_codes(dfs_tree(apply_options(adj, chosen, node_of)), groups, mode)
    for _ in range(rounds):
        improved = False
        for o in sorted(best, key=lambda o: (-o.cost_idr, o.u, o.v)):
            rest = tuple(x for x in best if x is not o)
            others = [x for x in opts if x is not o]
            trial = prune(
                adj, cover(adj, others, groups, node_of, mode, rest), groups, node_of, mode
            )
            cost = unique_cost(trial)[1]
            if cost < best_cost - 1e-6 and goal <= protected_codes(
                dfs_tree(apply_options(adj, trial, node_of)), groups, mode
            ):
                best, best_cost, improved = trial, cost, True
                break
        if not improved:
            break
    return best


def networkx_plan(
    adj: Adjacency, opts: list[Option], node_of: dict[str, str]
) -> list[Option] | None:
    """networkx's weighted 2-edge-augmentation of the live graph over the same options.

    Nodes are handed to networkx as integers in sorted-name order: its internal sets then
    iterate the same way under every ``PYTHONHASHSEED``, so the answer is reproducible."""
    live = sorted(dfs_tree(adj).parent)
    if len(live) > NX_COMPARE_MAX_NODES:
        return None
    num = {name: i for i, name in enumerate(live)}
    g = nx.Graph()
    g.add_nodes_from(range(len(live)))
    dummy = len(live)
    for a in live:
        for b, m in sorted(adj[a].items()):
            if a < b and b in num:
                g.add_edge(num[a], num[b])
                for _ in range(m - 1):  # parallel link: a two-hop detour keeps networkx simple
                    g.add_edge(num[a], dummy)
                    g.add_edge(dummy, num[b])
                    dummy += 1
    avail: dict[tuple[int, int], float] = {}
    by_pair: dict[tuple[int, int], Option] = {}
    for o in opts:
        if o.u in num and o.v in num:
            x, y = num[o.u], num[o.v]
            pair = (min(x, y), max(x, y))
            if pair not in avail or o.cost_idr < avail[pair]:
                avail[pair] = o.cost_idr
                by_pair[pair] = o
    if g.number_of_nodes() < 2:
        return []
    try:
        edges = list(nx.k_edge_augmentation(g, 2, avail=avail, partial=True))
    except (nx.NetworkXException, ValueError):
        return None
    out = [by_pair.get((min(a, b), max(a, b))) for a, b in edges]
    return sorted((o for o in out if o is not None), key=lambda o: (o.cost_idr, o.u, o.v))
