"""Reference answers by remove-and-recompute with plain networkx, for tests and benchmarks.

Slow on purpose (one graph search per failure); the fast analyses must agree with these exactly.
"""

from __future__ import annotations

import networkx as nx

from topology.model import ROOT
from topology.network import Network


def _multigraph(net: Network) -> nx.MultiGraph:
    """One edge per physical link (key = link id; root edges keyed ``virtual:N``)."""
    g = nx.MultiGraph()
    g.add_nodes_from(net.nodes)
    for e in range(net.n_edges):
        u, v = net.nodes[int(net.eu[e])], net.nodes[int(net.ev[e])]
        if net.virtual[e]:
            g.add_edge(u, v, key=f"virtual:{e}", length_km=0.0)
        else:
            for name in net.links[e]:
                g.add_edge(u, v, key=name, length_km=float(net.length_km[e]), e=e)
    return g


def cut_off(net: Network, g: nx.MultiGraph) -> set[str]:
    """Agencies none of whose devices is connected to the root in ``g``."""
    alive = nx.node_connected_component(g, ROOT) if ROOT in g else set()
    return {
        code
        for k, code in enumerate(net.agency_codes)
        if not any(net.nodes[v] in alive for v in net.agency_nodes[k])
    }


def single_failure_cutoffs(net: Network) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """For every physical link and every device: the agencies newly cut off by its loss alone."""
    g = _multigraph(net)
    dark = cut_off(net, g)
    links: dict[str, set[str]] = {}
    for u, v, key in list(g.edges(keys=True)):
        if str(key).startswith("virtual:"):
            continue
        data = g.edges[u, v, key]
        g.remove_edge(u, v, key)
        links[key] = cut_off(net, g) - dark
        g.add_edge(u, v, key=key, **data)
    devices: dict[str, set[str]] = {}
    for name in net.nodes[1:]:
        h = g.copy()
        h.remove_node(name)
        devices[name] = cut_off(net, h) - dark
    return links, devices


def route_loads(
    net: Network,
    demand_mbps: list[float],
    fail_links: set[str] = frozenset(),  # type: ignore[assignment]
    fail_devices: set[str] = frozenset(),  # type: ignore[assignment]
) -> tuple[set[str], dict[int, float]]:
    """Cut-off agencies and per-collapsed-edge load after removing the failures, routing each
    agency's demand from its nearest live device along networkx's shortest path to the root."""
    from topology.paths import HOP_EPSILON_KM

    g = _multigraph(net)
    for u, v, key in list(g.edges(keys=True)):
        if key in fail_links:
            g.remove_edge(u, v, key)
    g.remove_nodes_from(fail_devices)
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes)
    for u, v, d in g.edges(data=True):
        simple.add_edge(u, v, w=d["length_km"] + HOP_EPSILON_KM)
    dist, path = nx.single_source_dijkstra(simple, ROOT, weight="w")
    loads: dict[int, float] = {}
    cut: set[str] = set()
    index = net.index
    edge_of = {(int(net.eu[e]), int(net.ev[e])): e for e in range(net.n_edges)}
    for k, code in enumerate(net.agency_codes):
        live = [net.nodes[v] for v in net.agency_nodes[k] if net.nodes[v] in dist]
        if not live:
            cut.add(code)
            continue
        best = min(live, key=lambda x: dist[x])
        p = path[best]
        for a, b in zip(p, p[1:], strict=False):
            ia, ib = index[a], index[b]
            e = edge_of[(min(ia, ib), max(ia, ib))]
            loads[e] = loads.get(e, 0.0) + demand_mbps[k]
    return cut, loads
