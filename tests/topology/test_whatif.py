"""What-if failures: hand-checked overloads and a brute-force cross-check on random graphs."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netops.errors import TopologyError
from topology.bruteforce import route_loads
from topology.network import compile_network
from topology.synth import E, model_from_edges, synthetic_intranet
from topology.whatif import what_if


def _triangle():
    # U-A is a thin 100 Mbps radio; B normally goes straight to U over fiber.
    edges = [E("U", "A", 1.0, 100, "wireless"), E("U", "B", 1.0, 1000), E("A", "B", 1.0, 1000)]
    return compile_network(model_from_edges(edges, ["U"], {"a": ("A", 60), "b": ("B", 50)}))


def test_failover_that_overloads_a_thin_link_is_reported():
    res = what_if(_triangle(), fail_links=["U:p1--B:p1"])
    assert res.cut_off == [] and res.rerouted == ["b"]
    loads = {x.link: x for x in res.loads}
    assert loads["U:p0--A:p0"].load_before_mbps == 60
    assert loads["U:p0--A:p0"].load_after_mbps == 110
    assert [x.link for x in res.overloaded] == ["U:p0--A:p0"]
    assert loads["A:p2--B:p2"].load_after_mbps == 50


def test_failed_device_cuts_its_agencies_and_counts_their_guarantee():
    res = what_if(_triangle(), fail_devices=["A"])
    assert res.cut_off == ["a"] and res.lost_guaranteed_down_mbps == 60
    assert res.rerouted == [] and res.overloaded == []


def test_losing_one_of_two_parallel_links_halves_capacity_without_cutting():
    edges = [E("U", "A", 1.0, 100), E("U", "A", 1.0, 100)]
    net = compile_network(model_from_edges(edges, ["U"], {"a": ("A", 150)}))
    assert what_if(net).overloaded == []
    res = what_if(net, fail_links=["U:p0--A:p0"])
    assert res.cut_off == []
    assert [(x.capacity_mbps, x.load_after_mbps) for x in res.overloaded] == [(100, 150)]


def test_current_demand_uses_measured_rates_where_known():
    net = _triangle()
    net.demand_current_mbps[0] = 95.0  # agency a measured at 95 Mbps
    res = what_if(net, fail_links=["U:p1--B:p1"], demand="current")
    loads = {x.link: x for x in res.loads}
    assert loads["U:p0--A:p0"].load_after_mbps == 95 + 50


def test_unknown_link_device_or_mode_is_a_clear_error():
    with pytest.raises(TopologyError, match="unknown link 'nope'"):
        what_if(_triangle(), fail_links=["nope"])
    with pytest.raises(TopologyError, match="unknown device 'Z'"):
        what_if(_triangle(), fail_devices=["Z"])
    with pytest.raises(TopologyError, match="demand mode"):
        what_if(_triangle(), demand="peak")


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=6, max_value=60),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=2),
)
def test_what_if_equals_bruteforce_remove_and_recompute(seed, n, n_links, n_devices):
    net = compile_network(synthetic_intranet(n, seed=seed, agency_share=0.5))
    rng = random.Random(seed)
    links = sorted(net.link_edge)
    fail_l = set(rng.sample(links, min(n_links, len(links))))
    fail_d = set(rng.sample(net.nodes[1:], min(n_devices, len(net.nodes) - 1)))
    res = what_if(net, fail_l, fail_d)
    demand = net.g_down_mbps.tolist()
    cut_before, _ = route_loads(net, demand)
    cut_after, loads_after = route_loads(net, demand, fail_l, fail_d)
    assert set(res.cut_off) == cut_after - cut_before
    assert set(res.already_dark) == cut_before
    reported = {x.link: x.load_after_mbps for x in res.loads}
    for e in range(net.n_edges):
        if net.virtual[e]:
            continue
        name = net.edge_name(e)
        if name in reported:
            assert reported[name] == pytest.approx(loads_after.get(e, 0.0))
