"""Fiber planning: hand-checked instances, the promised redundancy after building, and quality
against networkx's k_edge_augmentation and the exact MILP."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netops.errors import TopologyError
from topology.exact import exact_redundancy
from topology.network import compile_network
from topology.planner import connect_site, plan_budget, plan_redundancy
from topology.routes import Candidates, Segment
from topology.synth import E, model_from_edges, random_plan_instance
from topology.weak import weak_points


def seg(name: str, a: str, b: str, cost: float, km: float = 1.0) -> Segment:
    u = a if not a.startswith("pole") else f"pt:{a}"
    v = b if not b.startswith("pole") else f"pt:{b}"
    return Segment(name, a, b, u, v, km, cost, "fiber", 1000.0, "test")


def _chain():
    # U - A - B: both links are bridges.  Closing B-U (100) covers both; A-U + B-A (30 + 30)
    # is cheaper.
    m = model_from_edges([E("U", "A"), E("A", "B")], ["U"], {"a": ("A", 10), "b": ("B", 40)})
    cands = Candidates(
        (seg("bu", "B", "U", 100), seg("au", "A", "U", 30), seg("ba", "B", "A", 30)), {}
    )
    return m, cands


def _with_segments(model, segments):
    for s in segments:
        model.graph.add_edge(
            s.u,
            s.v,
            key=f"new:{s.name}",
            length_km=s.length_km,
            capacity_mbps=1000.0,
            medium="fiber",
            utilization_bps=0.0,
        )
    return weak_points(compile_network(model))


def test_cheapest_cover_of_a_chain_uses_two_short_segments():
    m, cands = _chain()
    plan = plan_redundancy(compile_network(m), cands)
    assert sorted(s.name for s in plan.segments) == ["au", "ba"]
    assert plan.cost_idr == 60 and plan.length_km == 2
    assert plan.newly_protected == ["a", "b"] and plan.unprotectable == []


def test_chosen_agencies_only_need_what_protects_them():
    m, cands = _chain()
    plan = plan_redundancy(compile_network(m), cands, agencies=["a"])
    assert [s.name for s in plan.segments] == ["au"]


def test_agency_no_candidate_can_protect_is_reported():
    m = model_from_edges([E("U", "A"), E("A", "B")], ["U"], {"b": ("B", 1)})
    plan = plan_redundancy(compile_network(m), Candidates((seg("au", "A", "U", 5),), {}))
    assert plan.unprotectable == ["b"]


def test_budget_builds_the_most_protected_mbps_per_rupiah_first():
    m, cands = _chain()
    plan = plan_budget(compile_network(m), cands, budget_idr=100)
    # au alone protects a (10 Mbps for 30); bu protects a and b (50 Mbps for 100): the better
    # ratio (0.5/Rp) and within budget
    assert [[s.name for s in st.segments] for st in plan.steps] == [["bu"]]
    assert plan.protected_after_mbps == 50 and plan.spent_idr == 100
    small = plan_budget(compile_network(m), cands, budget_idr=40)
    assert [[s.name for s in st.segments] for st in small.steps] == [["au"]]
    assert small.protected_after_mbps == 10


def test_new_site_is_routed_through_the_cheapest_chain_of_poles():
    m = model_from_edges([E("U", "A")], ["U"], {})
    cands = Candidates(
        (
            seg("direct", "pole9", "U", 500),
            seg("s1", "pole9", "pole1", 100),
            seg("s2", "pole1", "A", 150),
        ),
        {"pole9": (0.0, 0.0), "pole1": (0.0, 0.0)},
    )
    rp = connect_site(compile_network(m), cands, "pole9")
    assert [s.name for s in rp.segments] == ["s1", "s2"]
    assert (rp.attach_to, rp.cost_idr) == ("A", 250)
    with pytest.raises(TopologyError, match="unknown site"):
        connect_site(compile_network(m), cands, "atlantis")


def test_a_chain_through_a_pole_closes_a_ring():
    m = model_from_edges([E("U", "A"), E("U", "B")], ["U"], {"a": ("A", 1), "b": ("B", 1)})
    # A - pole - B closes the ring U-A-pole-B-U: two segments, no need for pole-U; the direct
    # A-B segment costs more than the chain
    cands = Candidates(
        (
            seg("pu", "pole", "U", 10),
            seg("pa", "pole", "A", 10),
            seg("pb", "pole", "B", 10),
            seg("ab", "A", "B", 25),
        ),
        {"pole": (0.0, 0.0)},
    )
    plan = plan_redundancy(compile_network(m), cands)
    assert sorted(s.name for s in plan.segments) == ["pa", "pb"]
    assert plan.cost_idr == 20


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=5, max_value=14))
def test_after_building_the_plan_no_agency_is_below_two_paths(seed, n):
    model, cands = random_plan_instance(n, 2 * n, seed, n_points=1)
    plan = plan_redundancy(compile_network(model), cands)
    wp = _with_segments(model, plan.segments)
    for code in plan.targets:
        if code not in plan.unprotectable:
            assert wp.redundancy[code] == 2, code


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=100_000))
def test_plan_is_never_worse_than_networkx_and_never_better_than_the_optimum(seed):
    model, cands = random_plan_instance(10, 16, seed)
    net = compile_network(model)
    plan = plan_redundancy(net, cands)
    if plan.networkx_cost_idr is not None and plan.networkx_protects_all:
        assert plan.cost_idr <= plan.networkx_cost_idr
    best = exact_redundancy(net, cands)
    assert best is not None
    assert plan.cost_idr >= best.cost_idr - 1e-6
    wp = _with_segments(model, [s for s in cands.segments if s.name in best.segments])
    assert all(wp.redundancy[c] == 2 for c in plan.targets if c not in plan.unprotectable)


def _every_device_an_agency(model):
    edges = [E(u, v, d["length_km"]) for u, v, d in model.graph.edges(data=True)]
    ags = {f"ag-{v}": (v, 10.0) for v in model.graph.nodes if v not in model.uplink_devices}
    return model_from_edges(edges, model.uplink_devices, ags)


def test_networkx_comparison_only_for_the_same_problem_and_never_beats_the_plan():
    # networkx makes every live device 2-edge-connected: the same problem only when every
    # device is a target on its own; then the plan must not cost more.
    for seed in range(15):
        model, cands = random_plan_instance(10, 16, seed)
        net = compile_network(_every_device_an_agency(model))
        for solver in ("exact", "heuristic"):
            plan = plan_redundancy(net, cands, solver=solver)
            assert plan.networkx_cost_idr is not None and plan.networkx_protects_all
            assert plan.cost_idr <= plan.networkx_cost_idr + 1e-6
        some = plan_redundancy(net, cands, agencies=sorted(net.agency_codes)[:3])
        assert some.networkx_cost_idr is None
        assert plan_redundancy(net, cands, protect="devices").networkx_cost_idr is None
