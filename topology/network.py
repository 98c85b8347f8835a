"""The analysis form of the model: a simple graph in integer arrays, built once per model.

Every analysis (paths, weak points, what-if, planning) works on a :class:`Network`: parallel links
are collapsed into one edge (capacities summed, the shortest length kept, ``multiplicity`` counting
the physical links so a doubled link is never called a bridge), node 0 is the virtual root
:data:`~topology.model.ROOT` joined to every uplink device by a *virtual* edge that never fails,
and the adjacency is a CSR array pair so that scipy's compiled graph routines and our own linear
passes can run without touching networkx objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from topology.model import MEDIA, ROOT, TopologyModel

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

VIRTUAL_CAPACITY_MBPS = 1e12
"""Capacity given to root edges so they are never a bottleneck."""


@dataclass
class Network:
    """Collapsed simple graph with integer node ids (0 is the root) and per-edge arrays.

    Edge ``e`` joins ``eu[e]`` and ``ev[e]``; ``length_km``, ``capacity_mbps``,
    ``utilization_bps`` (busiest physical member, summed), ``multiplicity`` (physical links),
    ``medium_mask`` (bit ``i`` set when a member link has medium ``MEDIA[i]``), ``virtual`` (root
    edge) and ``links`` (physical link ids).  ``indptr``/``indices``/``entry_edge`` is the CSR
    adjacency in both directions, sorted by (row, column).  Agencies: ``agency_codes[k]`` hangs
    from nodes ``agency_nodes[k]`` with ``g_down_mbps[k]``/``g_up_mbps[k]`` guaranteed.
    """

    nodes: list[str]
    index: dict[str, int]
    eu: IntArray
    ev: IntArray
    length_km: FloatArray
    capacity_mbps: FloatArray
    utilization_bps: FloatArray
    multiplicity: IntArray
    medium_mask: IntArray
    virtual: NDArray[np.bool_]
    links: list[tuple[str, ...]]
    indptr: IntArray
    indices: IntArray
    entry_edge: IntArray
    agency_codes: list[str]
    agency_nodes: list[tuple[int, ...]]
    g_down_mbps: FloatArray
    g_up_mbps: FloatArray
    demand_current_mbps: FloatArray
    """Measured agency demand (Mbit/s), NaN when unknown."""
    link_edge: dict[str, int]
    """Physical link id -> collapsed edge id."""
    link_capacity_mbps: dict[str, float]
    _entry_keys: IntArray | None = field(default=None, repr=False)

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        return len(self.eu)

    def adjacency_lists(self) -> tuple[list[int], list[int], list[int]]:
        """``(indptr, neighbours, edge ids)`` as Python lists, for the linear passes."""
        return self.indptr.tolist(), self.indices.tolist(), self.entry_edge.tolist()

    def edge_between(self, u: IntArray, v: IntArray) -> IntArray:
        """Edge ids joining ``u[i]`` and ``v[i]`` (vectorised CSR lookup); -1 where none."""
        n = self.n_nodes
        keys = self._entry_keys
        if keys is None or len(keys) != len(self.indices):
            keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(self.indptr)) * n + self.indices
            self._entry_keys = keys
        want = u.astype(np.int64) * n + v.astype(np.int64)
        pos = np.searchsorted(keys, want)
        pos = np.minimum(pos, len(keys) - 1)
        found = keys[pos] == want
        return np.where(found, self.entry_edge[pos], -1)

    def media_of(self, mask: int) -> list[str]:
        return [m for i, m in enumerate(MEDIA) if mask & (1 << i)]

    def edge_name(self, e: int) -> str:
        """A readable name: the physical link id, or ``u--v`` for a collapsed bundle."""
        if len(self.links[e]) == 1:
            return self.links[e][0]
        return f"{self.nodes[int(self.eu[e])]}--{self.nodes[int(self.ev[e])]}"

    def to_networkx(self) -> nx.Graph:
        """The same collapsed graph as ``networkx.Graph`` (for baselines and cross-checks)."""
        g = nx.Graph()
        g.add_nodes_from(self.nodes)
        for e in range(self.n_edges):
            g.add_edge(
                self.nodes[int(self.eu[e])],
                self.nodes[int(self.ev[e])],
                length_km=float(self.length_km[e]),
                capacity_mbps=float(self.capacity_mbps[e]),
                multiplicity=int(self.multiplicity[e]),
                virtual=bool(self.virtual[e]),
            )
        return g


def _csr(n: int, eu: IntArray, ev: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    m = len(eu)
    rows = np.concatenate([eu, ev])
    cols = np.concatenate([ev, eu])
    eids = np.concatenate([np.arange(m), np.arange(m)])
    order = np.lexsort((cols, rows))
    rows, cols, eids = rows[order], cols[order], eids[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    return np.cumsum(indptr), cols.astype(np.int64), eids.astype(np.int64)


def compile_network(model: TopologyModel) -> Network:
    """Collapse the model's multigraph into a :class:`Network` rooted at the uplink devices."""
    nodes = [ROOT, *model.graph.nodes]
    index = {name: i for i, name in enumerate(nodes)}
    bundles: dict[tuple[int, int], int] = {}
    eu: list[int] = []
    ev: list[int] = []
    length: list[float] = []
    cap: list[float] = []
    util: list[float] = []
    mult: list[int] = []
    mask: list[int] = []
    virtual: list[bool] = []
    links: list[list[str]] = []
    link_cap: dict[str, float] = {}
    bit = {m: 1 << i for i, m in enumerate(MEDIA)}
    for dev in model.uplink_devices:
        eu.append(0)
        ev.append(index[dev])
        bundles[(0, index[dev])] = len(eu) - 1
        length.append(0.0)
        cap.append(VIRTUAL_CAPACITY_MBPS)
        util.append(0.0)
        mult.append(1)
        mask.append(0)
        virtual.append(True)
        links.append([])
    for u, v, key, d in model.graph.edges(keys=True, data=True):
        iu, iv = index[u], index[v]
        if iu == iv:
            continue  # a cable looped back on one device carries nothing
        pair = (min(iu, iv), max(iu, iv))
        link_cap[key] = d["capacity_mbps"]
        e = bundles.get(pair)
        if e is None:
            bundles[pair] = len(eu)
            eu.append(pair[0])
            ev.append(pair[1])
            length.append(d["length_km"])
            cap.append(d["capacity_mbps"])
            util.append(d.get("utilization_bps", 0.0))
            mult.append(1)
            mask.append(bit.get(d.get("medium", "unknown"), bit["unknown"]))
            virtual.append(False)
            links.append([key])
        else:
            length[e] = min(length[e], d["length_km"])
            cap[e] += d["capacity_mbps"]
            util[e] += d.get("utilization_bps", 0.0)
            mult[e] += 1
            mask[e] |= bit.get(d.get("medium", "unknown"), bit["unknown"])
            links[e].append(key)
    net = _assemble(nodes, index, eu, ev, length, cap, util, mult, mask, virtual, links, model)
    net.link_capacity_mbps = link_cap
    return net


def _assemble(
    nodes: list[str],
    index: dict[str, int],
    eu: list[int],
    ev: list[int],
    length: list[float],
    cap: list[float],
    util: list[float],
    mult: list[int],
    mask: list[int],
    virtual: list[bool],
    links: list[list[str]],
    model: TopologyModel,
) -> Network:
    eu_a = np.asarray(eu, dtype=np.int64)
    ev_a = np.asarray(ev, dtype=np.int64)
    indptr, indices, entry_edge = _csr(len(nodes), eu_a, ev_a)
    codes = sorted(model.agencies)
    agencies = [model.agencies[c] for c in codes]
    return Network(
        nodes=nodes,
        index=index,
        eu=eu_a,
        ev=ev_a,
        length_km=np.asarray(length, dtype=np.float64),
        capacity_mbps=np.asarray(cap, dtype=np.float64),
        utilization_bps=np.asarray(util, dtype=np.float64),
        multiplicity=np.asarray(mult, dtype=np.int64),
        medium_mask=np.asarray(mask, dtype=np.int64),
        virtual=np.asarray(virtual, dtype=np.bool_),
        links=[tuple(x) for x in links],
        indptr=indptr,
        indices=indices,
        entry_edge=entry_edge,
        agency_codes=codes,
        agency_nodes=[tuple(index[d] for d in a.devices if d in index) for a in agencies],
        g_down_mbps=np.asarray([a.guaranteed_down_mbps for a in agencies], dtype=np.float64),
        g_up_mbps=np.asarray([a.guaranteed_up_mbps for a in agencies], dtype=np.float64),
        demand_current_mbps=np.asarray(
            [np.nan if a.current_down_mbps is None else a.current_down_mbps for a in agencies],
            dtype=np.float64,
        ),
        link_edge={name: e for e, members in enumerate(links) for name in members},
        link_capacity_mbps={},
    )
