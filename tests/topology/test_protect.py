"""One definition of "protected" (topology.protect): dual-homed agencies, device failures checked
against remove-and-recompute with networkx, and the planner's device target on a hand-checked
graph and on random ones."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from topology.exact import exact_redundancy
from topology.network import compile_network
from topology.plangraph import (
    CORE,
    apply_options,
    build_options,
    core_graph,
    dfs_tree,
    target_groups,
)
from topology.planner import connect_site, plan_budget, plan_redundancy
from topology.protect import protected_codes
from topology.routes import Candidates, Segment
from topology.synth import E, model_from_edges
from topology.weak import weak_points


def seg(name: str, a: str, b: str, cost: float) -> Segment:
    u = f"pt:{a}" if a.startswith("pole") else a
    v = f"pt:{b}" if b.startswith("pole") else b
    return Segment(name, a, b, u, v, 1.0, cost, "fiber", 1000.0, "test")


def _dual_homed():
    # U-A and U-B are both bridges, but agency x hangs from A and from B: no single cable cut
    # leaves it without a device that reaches the core.
    m = model_from_edges([E("U", "A"), E("U", "B")], ["U"], {"x": (("A", "B"), 20)})
    return m, Candidates((seg("ab", "A", "B", 112e6), seg("au", "A", "U", 150e6)), {})


def test_dual_homed_agency_spof_rates_two_and_the_plan_buys_nothing():
    m, cands = _dual_homed()
    net = compile_network(m)
    assert weak_points(net).redundancy == {"x": 2}
    for solver in ("exact", "heuristic"):
        plan = plan_redundancy(net, cands, solver=solver)
        assert plan.segments == [] and plan.cost_idr == 0
        assert plan.already_protected == ["x"]


def test_dual_homed_agency_budget_mode_buys_nothing():
    m, cands = _dual_homed()
    bp = plan_budget(compile_network(m), cands, budget_idr=1e9)
    assert bp.steps == [] and bp.spent_idr == 0
    assert bp.protected_before_mbps == bp.protected_after_mbps == 20


def test_dual_homed_agency_behind_one_bridge_is_not_protected():
    # both devices hang below the same bridge U-H: one cut takes both
    m = model_from_edges([E("U", "H"), E("H", "A"), E("H", "B")], ["U"], {"x": (("A", "B"), 20)})
    net = compile_network(m)
    assert weak_points(net).redundancy == {"x": 1}
    plan = plan_redundancy(net, Candidates((seg("au", "A", "U", 5), seg("bh", "B", "H", 1)), {}))
    assert [s.name for s in plan.segments] == ["au"]


def _hub():
    # U-H1-H2-U is a ring, H1-A-B-H1 is a ring: no bridge at all, but losing H1 cuts A and B
    # (agencies a, b) off.  H1's own agency h is not counted for H1's loss.
    edges = [E("U", "H1"), E("U", "H2"), E("H1", "H2"), E("H1", "A"), E("H1", "B"), E("A", "B")]
    m = model_from_edges(edges, ["U"], {"a": ("A", 10), "b": ("B", 30), "h": ("H1", 5)})
    cands = Candidates(
        (seg("ab", "A", "B", 5), seg("ah2", "A", "H2", 50), seg("bu", "B", "U", 80)), {}
    )
    return m, cands


def test_hand_checked_hub_links_need_nothing_devices_need_one_segment():
    m, cands = _hub()
    net = compile_network(m)
    assert plan_redundancy(net, cands, protect="links").segments == []
    for solver in ("exact", "heuristic"):
        plan = plan_redundancy(net, cands, protect="devices", solver=solver)
        assert [s.name for s in plan.segments] == ["ah2"], solver
        assert plan.newly_protected == ["a", "b"] and plan.already_protected == ["h"]
        assert plan.protects == {"ah2": ["a", "b"]}


def test_hand_checked_hub_budget_and_new_site_with_device_target():
    m, cands = _hub()
    net = compile_network(m)
    assert plan_budget(net, cands, 40, protect="devices").steps == []
    bp = plan_budget(net, cands, 60, protect="devices")
    assert [[s.name for s in st.segments] for st in bp.steps] == [["ah2"]]
    assert bp.protected_after_mbps == 45
    # a new pole site reachable from A (cheap) and from H2: with --protect devices it needs both
    m2, _ = _hub()
    pole = Candidates(
        (seg("pa", "pole1", "A", 10), seg("ph2", "pole1", "H2", 40), seg("pu", "pole1", "U", 90)),
        {"pole1": (0.0, 0.0)},
    )
    assert [s.name for s in connect_site(net, pole, "pole1").segments] == ["pa"]
    rp = connect_site(compile_network(m2), pole, "pole1", protect="devices")
    assert sorted(s.name for s in rp.segments) == ["pa", "ph2"] and rp.protected


# --- brute force -------------------------------------------------------------------------


def _brute_protected(adj, groups, mode):
    """Remove each link (and for devices each non-core device), recompute with networkx."""
    g = nx.MultiGraph()
    g.add_nodes_from(adj)
    for a in adj:
        for b, m in adj[a].items():
            if a < b:
                for _ in range(m):
                    g.add_edge(a, b)

    def reaches(h, devs):
        comp = nx.node_connected_component(h, CORE) if CORE in h else set()
        return any(d in comp for d in devs)

    out = set()
    for code, devs in groups.items():
        ok = reaches(g, devs)
        for u, v, k in list(g.edges(keys=True)):
            if not ok:
                break
            h = g.copy()
            h.remove_edge(u, v, k)
            ok = reaches(h, devs)
        if mode == "devices":
            for w in g.nodes:
                if not ok:
                    break
                if w == CORE or w.startswith("pt:") or set(devs) == {w}:
                    continue
                h = g.copy()
                h.remove_node(w)
                ok = reaches(h, [d for d in devs if d != w])
        if ok:
            out.add(code)
    return out


def _random_instance(seed: int, n: int, n_cands: int):
    rng = random.Random(seed)
    names = [f"n{i}" for i in range(n)]
    edges = [E(names[rng.randrange(i)], names[i]) for i in range(1, n)]
    edges += [E(*rng.sample(names, 2)) for _ in range(n // 4)]
    ags = {}
    for i in range(1, n):
        if rng.random() < 0.7:
            devs = (names[i],) if rng.random() < 0.7 else tuple(rng.sample(names[1:], 2))
            ags[f"ag{i}"] = (devs, float(rng.randint(5, 50)))
    uplinks = [names[0]] if rng.random() < 0.6 else [names[0], names[n - 1]]
    m = model_from_edges(edges, uplinks, ags)
    segs, seen = [], set()
    while len(segs) < n_cands:
        a, b = sorted(rng.sample(names, 2))
        if (a, b) not in seen:
            seen.add((a, b))
            segs.append(seg(f"s{len(segs)}", a, b, rng.randint(10, 100)))
    return m, Candidates(tuple(segs), {})


@pytest.mark.parametrize("mode", ["links", "devices"])
@pytest.mark.parametrize("seed", range(40))
def test_protection_matches_remove_each_failure_and_recompute(seed, mode):
    m, cands = _random_instance(seed, 6 + seed % 9, 6)
    net = compile_network(m)
    adj, node_of = core_graph(net)
    groups = target_groups(net, node_of, None)
    for extra in (adj, apply_options(adj, build_options(cands.segments, node_of)[:3], node_of)):
        assert protected_codes(dfs_tree(extra), groups, mode) == _brute_protected(
            extra, groups, mode
        )


@pytest.mark.parametrize("mode", ["links", "devices"])
@pytest.mark.parametrize("seed", range(12))
def test_exact_plan_equals_exhaustive_search_and_never_costs_more_than_heuristic(seed, mode):
    m, cands = _random_instance(100 + seed, 7 + seed % 4, 9)
    net = compile_network(m)
    adj, node_of = core_graph(net)
    groups = target_groups(net, node_of, None)
    segs = list(cands.segments)
    reachable = _brute_protected(
        apply_options(adj, build_options(segs, node_of), node_of), groups, mode
    )
    best = float("inf")
    for r in range(len(segs) + 1):
        for combo in itertools.combinations(segs, r):
            c = sum(s.cost_idr for s in combo)
            if c >= best:
                continue
            built = apply_options(adj, build_options(combo, node_of), node_of)
            if reachable <= protected_codes(dfs_tree(built), groups, mode):
                best = c
    exact = plan_redundancy(net, cands, protect=mode, solver="exact")
    heur = plan_redundancy(net, cands, protect=mode, solver="heuristic")
    assert exact.solver == "exact" and exact.cost_idr == best
    assert exact_redundancy(net, cands, protect=mode).cost_idr == best
    assert exact.cost_idr <= heur.cost_idr
    assert heur.lower_bound_idr <= exact.cost_idr
    after = apply_options(adj, build_options(exact.segments, node_of), node_of)
    assert reachable <= _brute_protected(after, groups, mode)
    assert sorted(exact.unprotectable) == sorted(set(groups) - reachable)
