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
from functools import cached_property
from operator import attrgetter

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from topology.extract import FloatArray, IntArray, physical_links
from topology.model import MEDIA, TopologyModel

VIRTUAL_CAPACITY_MBPS = 1e12
"""Capacity given to root edges so they are never a bottleneck."""


@dataclass
class LinkTable:
    """The physical links behind a :class:`Network`'s edges, in the model's edge order.

    ``keys[i]`` (link id) belongs to edge ``edge[i]`` and has ``capacity_mbps[i]``; edges
    ``0 .. n_root_edges - 1`` are the root edges; ``bundled`` when some edge has several links.
    The per-link views on :class:`Network` are built from it on first use, since most analyses
    never ask for them.
    """

    keys: list[str]
    edge: IntArray
    first: IntArray
    """Per non-root edge ``e``: ``keys`` index of its first link (at ``e - n_root_edges``)."""
    capacity_mbps: list[float]
    n_root_edges: int
    bundled: bool


@dataclass
class Network:
    """Collapsed simple graph with integer node ids (0 is the root) and per-edge arrays.

    Edge ``e`` joins ``eu[e]`` and ``ev[e]``; ``length_km``, ``capacity_mbps``,
    ``utilization_bps`` (busiest physical member, summed), ``multiplicity`` (physical links),
    ``medium_mask`` (bit ``i`` set when a member link has medium ``MEDIA[i]``), ``virtual`` (root
    edge) and ``links`` (physical link ids).  ``indptr``/``indices``/``entry_edge`` is the CSR
    adjacency in both directions, sorted by (row, column).  Agencies: ``agency_codes[k]`` hangs
    from nodes ``agency_nodes[k]`` with ``g_down_mbps[k]``/``g_up_mbps[k]`` guaranteed.
    ``index``, ``links``, ``link_edge`` and ``link_capacity_mbps`` are made on first use (from
    ``nodes`` and ``link_table``); :meth:`edge_names` names edges without them.
    """

    nodes: list[str]
    eu: IntArray
    ev: IntArray
    length_km: FloatArray
    capacity_mbps: FloatArray
    utilization_bps: FloatArray
    multiplicity: IntArray
    medium_mask: IntArray
    virtual: NDArray[np.bool_]
    indptr: IntArray
    indices: IntArray
    entry_edge: IntArray
    agency_codes: list[str]
    agency_nodes: list[tuple[int, ...]]
    g_down_mbps: FloatArray
    g_up_mbps: FloatArray
    demand_current_mbps: FloatArray
    """Measured agency demand (Mbit/s), NaN when unknown."""
    link_table: LinkTable = field(repr=False)
    _entry_keys: IntArray | None = field(default=None, repr=False)
    _index: dict[str, int] | None = field(default=None, repr=False)

    @property
    def index(self) -> dict[str, int]:
        """Device name (or :data:`~topology.model.ROOT`) -> node id."""
        if self._index is None:
            self._index = dict(zip(self.nodes, range(len(self.nodes)), strict=True))
        return self._index

    @cached_property
    def links(self) -> list[tuple[str, ...]]:
        """Per edge, the ids of its physical links (``()`` for a root edge)."""
        t = self.link_table
        out: list[tuple[str, ...]] = [()] * t.n_root_edges
        if not t.bundled:
            out.extend(zip(t.keys))
            return out
        by_edge: dict[int, list[str]] = {}
        for name, e in zip(t.keys, t.edge.tolist(), strict=True):
            by_edge.setdefault(e, []).append(name)
        out.extend(map(tuple, by_edge.values()))  # first appearances are in edge order
        return out

    @cached_property
    def link_edge(self) -> dict[str, int]:
        """Physical link id -> collapsed edge id."""
        t = self.link_table
        if not t.bundled:
            ids = range(t.n_root_edges, t.n_root_edges + len(t.keys))
            return dict(zip(t.keys, ids, strict=True))
        in_edge_order = np.argsort(t.edge, kind="stable").tolist()
        names = map(t.keys.__getitem__, in_edge_order)
        return dict(zip(names, t.edge[in_edge_order].tolist(), strict=True))

    @cached_property
    def link_capacity_mbps(self) -> dict[str, float]:
        """Physical link id -> its own capacity (Mbit/s), as given in the model."""
        return dict(zip(self.link_table.keys, self.link_table.capacity_mbps, strict=True))

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        return len(self.eu)

    def adjacency_lists(self) -> tuple[list[int], list[int], list[int]]:
        """``(indptr, neighbours, edge ids)`` as Python lists, for the linear passes."""
        return self.indptr.tolist(), self.indices.tolist(), self.entry_edge.tolist()

    def edge_keys(self) -> IntArray:
        """``row * n_nodes + column`` of every CSR entry (sorted)."""
        keys = self._entry_keys
        if keys is None or len(keys) != len(self.indices):
            rows = np.repeat(np.arange(self.n_nodes, dtype=np.int64), np.diff(self.indptr))
            keys = self._entry_keys = rows * self.n_nodes + self.indices
        return keys

    def edge_between(self, u: IntArray, v: IntArray) -> IntArray:
        """Edge ids joining ``u[i]`` and ``v[i]`` (vectorised CSR lookup); -1 where none."""
        n = self.n_nodes
        keys = self.edge_keys()
        want = u.astype(np.int64) * n + v.astype(np.int64)
        pos = np.searchsorted(keys, want)
        pos = np.minimum(pos, len(keys) - 1)
        found = keys[pos] == want
        return np.where(found, self.entry_edge[pos], -1)

    def media_of(self, mask: int) -> list[str]:
        return [m for i, m in enumerate(MEDIA) if mask & (1 << i)]

    def edge_name(self, e: int) -> str:
        """A readable name: the physical link id, or ``u--v`` for a collapsed bundle."""
        return self.edge_names(np.asarray([e], dtype=np.int64))[0]

    def edge_names(self, edges: IntArray) -> list[str]:
        """:meth:`edge_name` of each edge in ``edges``, without building :attr:`links`."""
        t = self.link_table
        single = (self.multiplicity[edges] == 1) & ~self.virtual[edges]
        if t.keys:
            own = t.first[np.where(single, edges - t.n_root_edges, 0)]
            out = list(map(t.keys.__getitem__, own.tolist()))
        else:
            out = [""] * len(edges)
        for i in np.flatnonzero(~single).tolist():
            e = int(edges[i])
            out[i] = f"{self.nodes[int(self.eu[e])]}--{self.nodes[int(self.ev[e])]}"
        return out

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


def _csr(n: int, eu: IntArray, ev: IntArray) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """CSR of both directions sorted by (row, column): ``indptr, indices, entry_edge, keys``
    where ``keys = row * n + column`` (kept for :meth:`Network.edge_between`)."""
    m = len(eu)
    rows = np.concatenate([eu, ev])
    cols = np.concatenate([ev, eu])
    keys = rows * n + cols
    # stable, so duplicate root edges keep their order (as a lexsort on (row, column) would)
    order = np.argsort(keys, kind="stable")
    eids = np.concatenate([np.arange(m, dtype=np.int64), np.arange(m, dtype=np.int64)])
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, cols[order], eids[order], keys[order]


def _with_roots(nv: int, root_value: float, values: FloatArray) -> FloatArray:
    return np.concatenate([np.full(nv, root_value), values])


def compile_network(model: TopologyModel) -> Network:
    """Collapse the model's links into a :class:`Network` rooted at the uplink devices.

    Node ids follow the graph's node order (node 0 being the root).  Built with numpy from the
    model's link columns, or from one walk of its graph once that exists
    (:func:`topology.extract.physical_links`); Python bytecode runs per link only for bundles of
    parallel links.  Raises ``KeyError`` if a graph edge lacks ``length_km`` or
    ``capacity_mbps``.
    """
    p = physical_links(model)
    nodes, pu, pv, keys, cap_raw = p.nodes, p.u, p.v, p.keys, p.capacity_raw
    # name -> node id is ``ids[name] + shift``: the columns' own positions (shift 1, the root
    # being node 0) spare building a dict of every device for a run that rarely needs one
    ids, shift = p.ids, p.shift
    length_p, cap_p, util_p, mask_p = p.length_km, p.capacity_mbps, p.utilization_bps, p.medium_bit
    n, m = len(nodes), len(keys)

    # Parallel links become one edge; edges are numbered in order of first appearance, after
    # the root edges.
    uplinks = [ids[d] + shift for d in model.uplink_devices]
    nv = len(uplinks)
    _, first, group = np.unique(pu * n + pv, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    k = len(first)
    bundled = k < m
    if bundled:
        by_first = np.argsort(first)
        rank = np.empty_like(by_first)
        rank[by_first] = np.arange(k)
        group = rank[group]
        first = first[by_first]
        mult = np.bincount(group, minlength=k).astype(np.int64)
        length = np.full(k, np.inf)
        np.minimum.at(length, group, length_p)
        mask = np.zeros(k, dtype=np.int64)
        np.bitwise_or.at(mask, group, mask_p)
        # bincount adds in link order, as summing the members one by one would
        cap = np.bincount(group, cap_p, k).astype(np.float64, copy=False)
        util = np.bincount(group, util_p, k).astype(np.float64, copy=False)
    else:
        first = np.arange(m, dtype=np.int64)
        group = first
        mult = np.ones(m, dtype=np.int64)
        length, mask, cap, util = length_p, mask_p, cap_p, util_p
    eu = np.concatenate([np.zeros(nv, dtype=np.int64), pu[first]])
    ev = np.concatenate([np.asarray(uplinks, dtype=np.int64), pv[first]])
    indptr, indices, entry_edge, entry_keys = _csr(n, eu, ev)
    codes = sorted(model.agencies)
    agencies = list(map(model.agencies.__getitem__, codes))
    devices = list(map(attrgetter("devices"), agencies))
    return Network(
        nodes=nodes,
        _index=ids if shift == 0 else None,
        eu=eu,
        ev=ev,
        length_km=_with_roots(nv, 0.0, length),
        capacity_mbps=_with_roots(nv, VIRTUAL_CAPACITY_MBPS, cap),
        utilization_bps=_with_roots(nv, 0.0, util),
        multiplicity=np.concatenate([np.ones(nv, dtype=np.int64), mult]),
        medium_mask=np.concatenate([np.zeros(nv, dtype=np.int64), mask]),
        virtual=np.arange(nv + k) < nv,
        indptr=indptr,
        indices=indices,
        entry_edge=entry_edge,
        agency_codes=codes,
        agency_nodes=[
            (ids[d[0]] + shift,)
            if len(d) == 1 and d[0] in ids
            else tuple(ids[x] + shift for x in d if x in ids)
            for d in devices
        ],
        g_down_mbps=np.fromiter(
            map(attrgetter("guaranteed_down_mbps"), agencies), np.float64, len(agencies)
        ),
        g_up_mbps=np.fromiter(
            map(attrgetter("guaranteed_up_mbps"), agencies), np.float64, len(agencies)
        ),
        # None (not measured) becomes NaN
        demand_current_mbps=np.array(
            list(map(attrgetter("current_down_mbps"), agencies)), dtype=np.float64
        ).reshape(len(agencies)),
        link_table=LinkTable(keys, group + nv, first, cap_raw, nv, bundled),
        _entry_keys=entry_keys,
    )
