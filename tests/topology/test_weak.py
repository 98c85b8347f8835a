"""Weak points on hand-checked graphs, and every single failure against remove-and-recompute."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from topology.bruteforce import single_failure_cutoffs
from topology.model import ROOT
from topology.network import compile_network
from topology.synth import E, model_from_edges, synthetic_intranet
from topology.weak import weak_points


def _graph(double_uplink_link: bool = False):
    # U - A, A - B, triangle A-C-D, D - E; agency "m" sits on both B and E.
    edges = [E("U", "A"), E("A", "B"), E("A", "C"), E("C", "D"), E("D", "A"), E("D", "E")]
    if double_uplink_link:
        edges.append(E("U", "A"))
    ags = {"a": ("A", 10), "b": ("B", 20), "c": ("C", 30), "e": ("E", 40), "m": (("B", "E"), 5)}
    return model_from_edges(edges, ["U"], ags)


def test_bridges_cut_off_the_agencies_behind_them_with_their_guaranteed_mbps():
    wp = weak_points(compile_network(_graph()))
    by_name = {i.name: i for i in wp.links}
    assert set(by_name) == {"U:p0--A:p0", "A:p1--B:p1", "D:p5--E:p5"}
    assert wp.agencies_cut(by_name["U:p0--A:p0"]) == ["a", "b", "c", "e", "m"]
    assert by_name["U:p0--A:p0"].guaranteed_down_mbps == 105
    # m is also on E, so losing A-B only cuts b
    assert wp.agencies_cut(by_name["A:p1--B:p1"]) == ["b"]
    assert (by_name["D:p5--E:p5"].agencies, by_name["D:p5--E:p5"].guaranteed_down_mbps) == (1, 40)


def test_articulation_points_cut_their_own_and_separated_agencies():
    wp = weak_points(compile_network(_graph()))
    by_name = {i.name: i for i in wp.devices}
    assert set(by_name) == {"U", "A", "D"}
    assert wp.agencies_cut(by_name["A"]) == ["a", "b", "c", "e", "m"]
    assert wp.agencies_cut(by_name["D"]) == ["e"]
    # C is no articulation point but still hosts c
    assert wp.agencies_cut(wp.all_devices["C"]) == ["c"]
    # losing B alone leaves m reachable through E
    assert wp.all_devices["B"].agencies == 1


def test_a_doubled_link_is_no_bridge_and_gives_redundancy():
    wp = weak_points(compile_network(_graph(double_uplink_link=True)))
    assert "U:p0--A:p0" not in {i.name for i in wp.links}
    assert wp.all_links["U:p0--A:p0"].agencies == 0
    assert wp.redundancy == {"a": 2, "b": 1, "c": 2, "e": 1, "m": 2}


def test_redundancy_is_one_behind_a_bridge_and_zero_when_cut_off():
    m = model_from_edges([E("U", "A"), E("A", "B")], ["U"], {"a": ("A", 1), "z": ("Z", 1)})
    wp = weak_points(compile_network(m))
    assert wp.redundancy == {"a": 1, "z": 0}
    assert wp.dark == ["z"]


def test_two_uplink_devices_back_each_other_up():
    m = model_from_edges([E("U1", "A"), E("U2", "A"), E("U1", "U2")], ["U1", "U2"], {"a": ("A", 1)})
    wp = weak_points(compile_network(m))
    assert wp.devices == [] and wp.links == []
    assert wp.redundancy == {"a": 2}


def test_bridges_and_articulation_points_agree_with_networkx():
    net = compile_network(synthetic_intranet(400, seed=3))
    wp = weak_points(net)
    g = net.to_networkx()
    nx_bridges = {
        frozenset((u, v))
        for u, v in nx.bridges(g)
        if not g.edges[u, v]["virtual"] and g.edges[u, v]["multiplicity"] == 1
    }
    ours = {frozenset(i.name.split("--")[k].split(":")[0] for k in (0, 1)) for i in wp.links}
    assert ours == nx_bridges
    assert {i.name for i in wp.devices} == set(nx.articulation_points(g)) - {ROOT}


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=5, max_value=50))
def test_every_single_failure_matches_remove_and_recompute(seed, n):
    net = compile_network(synthetic_intranet(n, seed=seed, agency_share=0.5))
    wp = weak_points(net)
    links, devices = single_failure_cutoffs(net)
    assert {k: set(wp.agencies_cut(v)) for k, v in wp.all_links.items()} == links
    assert {k: set(wp.agencies_cut(v)) for k, v in wp.all_devices.items()} == devices
    gd = dict(zip(net.agency_codes, net.g_down_mbps.tolist(), strict=True))
    for name, imp in wp.all_devices.items():
        assert imp.agencies == len(devices[name])
        assert abs(imp.guaranteed_down_mbps - sum(gd[c] for c in devices[name])) < 1e-6


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_multi_device_agencies_match_remove_and_recompute(seed):
    import random

    rng = random.Random(seed)
    base = synthetic_intranet(30, seed=seed, agency_share=0.0)
    nodes = sorted(base.graph.nodes)
    ags = {
        f"g{i}": (tuple(rng.sample(nodes, rng.randint(1, 3))), rng.randint(1, 9)) for i in range(8)
    }
    edges = [E(u, v) for u, v in base.graph.edges()]
    net = compile_network(model_from_edges(edges, base.uplink_devices, ags))
    wp = weak_points(net)
    links, devices = single_failure_cutoffs(net)
    assert {k: set(wp.agencies_cut(v)) for k, v in wp.all_links.items()} == links
    assert {k: set(wp.agencies_cut(v)) for k, v in wp.all_devices.items()} == devices
    assert {k: v.agencies for k, v in wp.all_devices.items()} == {
        k: len(v) for k, v in devices.items()
    }
