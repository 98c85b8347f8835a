"""compile_network: one network whether compiled from a model's link columns or from its graph,
equal to a plain per-link compile; the lazily made graph is the one add_edge calls would build."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netops.inventory.loader import load_inventory
from topology.links import LinkColumns
from topology.model import (
    MEDIA,
    ROOT,
    AgencyAttachment,
    DiscoveredLink,
    InterfaceRate,
    TopologyModel,
    build_model,
)
from topology.network import VIRTUAL_CAPACITY_MBPS, Network, compile_network
from topology.paths import agency_paths
from topology.synth import E, model_from_edges

MINI = Path(__file__).parents[1] / "fixtures" / "mini-inventory.yaml"


def _reference(model: TopologyModel) -> dict:
    """The collapse rules spelled out one link at a time (the specification of the compile)."""
    g = model.graph
    nodes = [ROOT, *g.nodes]
    index = {name: i for i, name in enumerate(nodes)}
    bit = {m: 1 << i for i, m in enumerate(MEDIA)}
    edges: list[dict] = [
        {"u": 0, "v": index[dev], "len": 0.0, "cap": VIRTUAL_CAPACITY_MBPS, "util": 0.0}
        | {"mult": 1, "mask": 0, "virtual": True, "links": []}
        for dev in model.uplink_devices
    ]
    bundles: dict[tuple[int, int], dict] = {}
    link_cap = {}
    for u, v, key, d in g.edges(keys=True, data=True):
        pair = (min(index[u], index[v]), max(index[u], index[v]))
        if pair[0] == pair[1]:
            continue
        link_cap[key] = d["capacity_mbps"]
        medium = bit.get(d.get("medium", "unknown"), bit["unknown"])
        util = d.get("utilization_bps", 0.0)
        e = bundles.get(pair)
        if e is None:
            e = bundles[pair] = {"u": pair[0], "v": pair[1], "len": d["length_km"]}
            e |= {"cap": d["capacity_mbps"], "util": util, "mult": 1, "mask": medium}
            e |= {"virtual": False, "links": [key]}
            edges.append(e)
        else:
            e["len"] = min(e["len"], d["length_km"])
            e["cap"] += d["capacity_mbps"]
            e["util"] += util
            e["mult"] += 1
            e["mask"] |= medium
            e["links"].append(key)
    out = {k: [e[k] for e in edges] for k in ("u", "v", "len", "cap", "util", "mult", "mask")}
    out |= {"virtual": [e["virtual"] for e in edges], "links": [e["links"] for e in edges]}
    return out | {"link_cap": link_cap, "nodes": nodes}


def _network_fields(net: Network) -> dict:
    return {
        "nodes": net.nodes,
        "index": list(net.index.items()),
        "arrays": [
            (name, getattr(net, name).dtype.str, getattr(net, name).tobytes())
            for name in (
                "eu",
                "ev",
                "length_km",
                "capacity_mbps",
                "utilization_bps",
                "multiplicity",
                "medium_mask",
                "virtual",
                "indptr",
                "indices",
                "entry_edge",
                "g_down_mbps",
                "g_up_mbps",
                "demand_current_mbps",
            )
        ],
        "links": net.links,
        "link_edge": list(net.link_edge.items()),
        "link_capacity": [(k, repr(v)) for k, v in net.link_capacity_mbps.items()],
        "agencies": (net.agency_codes, net.agency_nodes),
    }


@st.composite
def random_models(draw: st.DrawFn) -> tuple:
    """Arguments for model_from_edges: parallel links, loops, zero lengths, odd media, isolated
    agency devices and agencies on several devices."""
    n = draw(st.integers(min_value=1, max_value=9))
    names = [f"n{i}" for i in range(n)]
    node = st.sampled_from(names)
    edges = draw(
        st.lists(
            st.builds(
                E,
                node,
                node,
                st.sampled_from([0.0, 0.5, 1.0, 2.25, 7.1]),
                st.sampled_from([100, 150.5, 1000.0, 10000.0]),
                st.sampled_from([*MEDIA, "laser"]),
                st.sampled_from([0.0, 3e6, 7.5e8]),
            ),
            max_size=3 * n,
        )
    )
    uplinks = draw(st.lists(node, min_size=1, max_size=2, unique=True))
    devices = st.one_of(node, st.just("island"), st.tuples(node, st.sampled_from([*names, "x"])))
    agencies = draw(st.dictionaries(st.sampled_from([f"a{i}" for i in range(6)]), devices))
    return edges, uplinks, {code: (d, 10.0) for code, d in agencies.items()}


@settings(max_examples=150, deadline=None)
@given(random_models())
def test_compiling_from_link_columns_or_from_the_graph_gives_the_same_network(args):
    from_columns = model_from_edges(*args)
    assert from_columns.link_columns is not None
    net = compile_network(from_columns)
    assert from_columns.link_columns is not None  # compiling never made the graph
    from_graph = model_from_edges(*args)
    from_graph.graph  # noqa: B018  (made: from now on the graph is walked)
    assert from_graph.link_columns is None
    assert _network_fields(net) == _network_fields(compile_network(from_graph))


@settings(max_examples=150, deadline=None)
@given(random_models())
def test_compiled_network_follows_the_per_link_collapse_rules(args):
    model = model_from_edges(*args)
    net = compile_network(model)
    ref = _reference(model)
    assert net.nodes == ref["nodes"]
    assert net.eu.tolist() == ref["u"] and net.ev.tolist() == ref["v"]
    assert net.length_km.tolist() == ref["len"]
    assert net.capacity_mbps.tolist() == ref["cap"]
    assert net.utilization_bps.tolist() == ref["util"]
    assert net.multiplicity.tolist() == ref["mult"]
    assert net.medium_mask.tolist() == ref["mask"]
    assert net.virtual.tolist() == ref["virtual"]
    assert net.links == [tuple(x) for x in ref["links"]]
    assert net.link_capacity_mbps == ref["link_cap"]
    assert net.link_edge == {k: e for e, ks in enumerate(ref["links"]) for k in ks}
    assert net.edge_names(np.arange(net.n_edges)) == [
        ks[0] if len(ks) == 1 else f"{net.nodes[u]}--{net.nodes[v]}"
        for ks, u, v in zip(ref["links"], ref["u"], ref["v"], strict=True)
    ]
    # CSR: each edge once in each direction, rows sorted by neighbour
    for v in range(net.n_nodes):
        row = net.indices[net.indptr[v] : net.indptr[v + 1]].tolist()
        assert row == sorted(row)
        for w, e in zip(row, net.entry_edge[net.indptr[v] : net.indptr[v + 1]], strict=True):
            assert {int(net.eu[e]), int(net.ev[e])} == {v, w}


def test_graph_made_from_columns_equals_the_one_add_edge_calls_build():
    attrs = dict(medium="fiber", length_km=1.0, capacity_mbps=100.0, utilization_bps=0.0)
    calls = [
        ("B", "A", "k1", {**attrs, "planned": True, "seen": None}),
        ("A", "C", "k2", {**attrs, "planned": True, "seen": None}),
        ("A", "B", "k3", {**attrs, "planned": False, "seen": True}),  # parallel to k1
        ("C", "C", "k4", {**attrs, "planned": True, "seen": None}),  # loop
        ("A", "B", "k1", {**attrs, "planned": True, "seen": False, "length_km": 9.0}),  # update
    ]
    cols, g = LinkColumns(), nx.MultiGraph()
    cols.add_node("Z", role="core")
    g.add_node("Z", role="core")
    for u, v, key, d in calls:
        a, b = (u, "p"), (v, "p")
        cols.add_link(u, v, key, a=a, b=b, **d)
        g.add_edge(u, v, key=key, a=a, b=b, **d)
    made = cols.to_networkx()
    assert list(made.nodes(data=True)) == list(g.nodes(data=True))
    assert repr(list(made.adjacency())) == repr(list(g.adjacency()))
    assert len(cols) == 4 and made.edges["A", "B", "k1"]["length_km"] == 9.0


def test_a_graph_changed_after_building_is_what_gets_compiled():
    model = model_from_edges([E("U", "A")], ["U"], {"b": ("B", 10)})
    assert not agency_paths(compile_network(model)).paths["b"].reachable
    model.graph.add_edge("A", "B", key="new", length_km=2.0, capacity_mbps=50.0)
    p = agency_paths(compile_network(model)).paths["b"]
    assert (p.reachable, p.hops, p.length_km, p.bottleneck_link) == (True, 2, 3.0, "new")


def test_graph_links_without_medium_or_utilization_count_as_unknown_and_unloaded():
    g = nx.MultiGraph()
    g.add_edge("U", "A", key="bare", length_km=1.0, capacity_mbps=100.0)
    att = AgencyAttachment("a", "a", ("A",), 10.0, 5.0)
    net = compile_network(TopologyModel(graph=g, agencies={"a": att}, uplink_devices=("U",)))
    e = net.link_edge["bare"]
    assert net.media_of(int(net.medium_mask[e])) == ["unknown"]
    assert net.utilization_bps[e] == 0.0


def test_a_model_is_made_from_a_graph_or_from_link_columns_not_both():
    with pytest.raises(TypeError, match="exactly one of graph= and links="):
        TopologyModel(agencies={}, uplink_devices=("U",))
    with pytest.raises(TypeError, match="exactly one"):
        TopologyModel(graph=nx.MultiGraph(), links=LinkColumns())


def test_inventory_model_with_an_unplanned_link_compiles_alike_from_columns_and_graph():
    inv = load_inventory(MINI).inventory
    recs = [
        DiscoveredLink("core1", "ether2", "dist1", "Gi1/0/1"),
        DiscoveredLink("core1", "ether4", "rsud-gw", "eth1"),  # not in the plan
    ]
    rates = {("core1", "ether3"): InterfaceRate(in_bps=30e6, out_bps=120e6)}
    net = compile_network(build_model(inv, recs, rates))
    with_graph = build_model(inv, recs, rates)
    assert with_graph.graph.edges["core1", "rsud-gw", "core1:ether4--rsud-gw:eth1"]["seen"]
    assert _network_fields(net) == _network_fields(compile_network(with_graph))
    assert net.link_capacity_mbps["core1:ether4--rsud-gw:eth1"] == 1000
