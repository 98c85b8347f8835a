"""Agency paths on small hand-checked graphs, and against networkx on random ones."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topology.model import ROOT
from topology.network import compile_network
from topology.paths import agency_paths, round6
from topology.synth import E, model_from_edges, synthetic_intranet


def _square():
    # U-A-B is short but A-B is a 100 Mbps copper hop; U-C-B is long but wide fiber.
    edges = [
        E("U", "A", 1.0, 1000),
        E("A", "B", 1.0, 100, "copper", utilization_bps=50e6),
        E("U", "C", 5.0, 1000),
        E("C", "B", 5.0, 1000, "wireless"),
    ]
    return model_from_edges(edges, ["U"], {"b": ("B", 20), "u": ("U", 10), "x": ("X", 5)})


def test_route_is_shortest_by_km_and_reports_its_bottleneck_and_utilization():
    res = agency_paths(compile_network(_square()))
    p = res.paths["b"]
    assert (p.device, p.hops, p.length_km) == ("B", 2, 2.0)
    assert p.bottleneck_mbps == 100
    assert p.bottleneck_link == "A:p1--B:p1"
    assert p.bottleneck_utilization == pytest.approx(0.5)
    assert set(p.media) == {"fiber", "copper"}
    assert res.route("b") == ["B", "A", "U"]


def test_widest_path_can_differ_from_the_route():
    p = agency_paths(compile_network(_square())).paths["b"]
    assert p.widest_mbps == 1000  # via C, though the route goes via A


def test_agency_on_the_uplink_device_crosses_no_link():
    p = agency_paths(compile_network(_square())).paths["u"]
    assert p.reachable and p.hops == 0 and p.bottleneck_mbps is None and p.media == ()


def test_agency_on_an_isolated_device_is_unreachable():
    res = agency_paths(compile_network(_square()))
    assert not res.paths["x"].reachable
    assert res.route("x") == []


def test_equal_length_prefers_fewer_hops():
    edges = [E("U", "D", 2.0), E("U", "M", 1.0), E("M", "D", 1.0)]
    m = model_from_edges(edges, ["U"], {"d": ("D", 1)})
    assert agency_paths(compile_network(m)).paths["d"].hops == 1


def test_parallel_links_add_capacity_and_keep_the_shorter_length():
    edges = [E("U", "A", 2.0, 300, "wireless"), E("U", "A", 1.5, 1000, "fiber")]
    p = agency_paths(compile_network(model_from_edges(edges, ["U"], {"a": ("A", 1)}))).paths["a"]
    assert (p.bottleneck_mbps, p.length_km, set(p.media)) == (1300, 1.5, {"fiber", "wireless"})


def test_agency_on_two_devices_uses_the_nearer_one():
    edges = [E("U", "A", 5.0), E("U", "B", 1.0)]
    m = model_from_edges(edges, ["U"], {"two": (("A", "B"), 1)})
    assert agency_paths(compile_network(m)).paths["two"].device == "B"


def test_two_uplinks_each_agency_goes_to_the_nearest():
    edges = [E("U1", "A", 1.0), E("A", "B", 1.0), E("B", "U2", 0.5)]
    m = model_from_edges(edges, ["U1", "U2"], {"a": ("A", 1), "b": ("B", 1)})
    res = agency_paths(compile_network(m))
    assert res.route("a") == ["A", "U1"]
    assert res.route("b") == ["B", "U2"]


def _widest_bruteforce(g: nx.Graph, target: str) -> float:
    # largest c such that target is connected to ROOT using only edges of capacity >= c
    best = 0.0
    for c in sorted({d["capacity_mbps"] for _, _, d in g.edges(data=True)}):
        h = nx.Graph([(u, v) for u, v, d in g.edges(data=True) if d["capacity_mbps"] >= c])
        if target in h and ROOT in h and nx.has_path(h, ROOT, target):
            best = c
    return best


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=8, max_value=60))
def test_paths_match_networkx_dijkstra_and_bruteforce_widest(seed, n):
    net = compile_network(synthetic_intranet(n, seed=seed, agency_share=0.5))
    res = agency_paths(net)
    g = net.to_networkx()
    for _u, _v, d in g.edges(data=True):
        d["w"] = d["length_km"] + 1e-6
    dist, path = nx.single_source_dijkstra(g, ROOT, weight="w")
    for k, code in enumerate(net.agency_codes):
        p = res.paths[code]
        dev = net.nodes[net.agency_nodes[k][0]]
        assert p.reachable == (dev in dist)
        if not p.reachable:
            continue
        hops = len(path[dev]) - 2  # minus the root and the virtual root edge
        assert p.hops == hops
        assert p.length_km == pytest.approx(dist[dev] - 1e-6 * (hops + 1), abs=1e-6)
        if hops:
            caps = [
                g.edges[a, b]["capacity_mbps"]
                for a, b in zip(path[dev][1:], path[dev][2:], strict=False)
            ]
            assert p.bottleneck_mbps == min(caps)
            assert p.widest_mbps == _widest_bruteforce(g, dev)


@pytest.mark.parametrize("reverse", [False, True])
def test_widest_path_tells_capacities_apart_that_differ_far_below_the_root_capacity(reverse):
    # 0.00001 Mbps is below the float spacing at the virtual root edges' 1e12 Mbps, so reading
    # widths as (top - capacity) would tie these and let the link order pick the answer.
    edges = [E("U", "A", 1.0, 1000.00001), E("U", "B", 1.0, 1000.00002)]
    edges.append(E("B", "A", 1.0, 1000.00002))
    m = model_from_edges(edges[::-1] if reverse else edges, ["U"], {"a": ("A", 1)})
    assert agency_paths(compile_network(m)).paths["a"].widest_mbps == 1000.00002


def test_km_rounding_is_pythons_round_even_next_to_half_way_values():
    rng = np.random.default_rng(7)
    half_way = (rng.integers(0, 10**9, 20_000) + 0.5) / 1e6
    nudged = half_way + rng.integers(-3, 4, 20_000) * np.spacing(half_way)
    specials = [0.0, -0.0, 0.0078125, 2.5e-7, 1e300, np.inf, np.nan, 123456789.1234565]
    for x in (rng.uniform(0, 500, 20_000), half_way, nudged, np.array(specials)):
        assert [repr(v) for v in round6(x)] == [repr(round(float(v), 6)) for v in x]
