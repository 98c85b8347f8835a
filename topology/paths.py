"""Each agency's path to the uplink(s), all from one search.

The route is the shortest path by ``length_km`` (ties broken by fewer hops) from the virtual root,
computed for every node at once by one scipy Dijkstra; hops, kilometres, the bottleneck link of the
route and the media on the way are then folded along the shortest-path tree by pointer jumping
(``log2(depth)`` vectorised rounds) instead of walking each agency's path.  The widest path (best
achievable bottleneck over any path) comes from one maximum spanning tree, because the path between
two nodes in a maximum spanning tree maximises the minimum edge capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import breadth_first_order, dijkstra, minimum_spanning_tree

from netops.errors import TopologyError
from topology.network import FloatArray, IntArray, Network

HOP_EPSILON_KM = 1e-6
"""Added per hop so equal-length routes prefer fewer hops and zero-length links stay edges."""


@dataclass(slots=True)
class AgencyPath:
    """One agency's route to the internet uplink.

    ``length_km`` along the route, ``hops`` (links, the virtual root edge not counted),
    ``bottleneck_mbps`` the smallest capacity on the route and ``bottleneck_link`` where it is,
    ``bottleneck_utilization`` its measured load as a fraction of capacity (0.0 when unmeasured),
    ``widest_mbps`` the best bottleneck any path could give, ``media`` met on the way.  An agency
    on an uplink device crosses no link: its bottleneck fields are ``None``.  An agency with no
    reachable device has ``reachable=False``.  Not frozen: one is made per agency, and a frozen
    dataclass's ``__init__`` costs about eight times a plain slotted one's.
    """

    agency: str
    device: str | None
    reachable: bool
    hops: int
    length_km: float
    bottleneck_mbps: float | None
    bottleneck_link: str | None
    bottleneck_utilization: float | None
    widest_mbps: float | None
    media: tuple[str, ...]


@dataclass
class PathsResult:
    """All agency paths plus the shortest-path tree, so a full route can be listed on demand."""

    network: Network
    paths: dict[str, AgencyPath]
    predecessor: IntArray

    def route(self, agency: str) -> list[str]:
        """Devices from the agency's device up to the uplink device (excludes the root)."""
        p = self.paths.get(agency)
        if p is None:
            raise TopologyError(f"unknown agency {agency!r}")
        if not p.reachable or p.device is None:
            return []
        out: list[str] = []
        v = self.network.index[p.device]
        while v > 0:
            out.append(self.network.nodes[v])
            v = int(self.predecessor[v])
        return out


def _weights(net: Network, values: FloatArray) -> csr_array:
    n = net.n_nodes
    return csr_array((values[net.entry_edge], net.indices, net.indptr), shape=(n, n))


def _fold_min_values(anc: IntArray, cap: FloatArray) -> FloatArray:
    """Minimum of ``cap`` over each node's chain of ancestors, by pointer jumping.

    ``anc[v]`` is ``v``'s parent (0 at the root's children and for nodes off the tree, where
    ``cap[0]`` must be ``inf``).  Each round doubles the stretch of chain every node has folded
    in; only nodes whose chain has not yet reached the root take part, so the work shrinks as
    it goes.  ``cap`` is updated in place.
    """
    anc = anc.copy()
    act = np.flatnonzero(anc)
    while act.size:
        up = anc[act]
        cap[act] = np.minimum(cap[up], cap[act])
        anc[act] = anc[up]
        act = act[anc[act] != 0]
    return cap


def _fold_route(
    anc: IntArray, cap: FloatArray, eid: IntArray, km: FloatArray, hops: IntArray, mask: IntArray
) -> tuple[FloatArray, IntArray, FloatArray, IntArray, IntArray]:
    """Along each node's chain of ancestors: the smallest ``cap`` (and its edge), the sums of
    ``km`` and ``hops`` and the union of ``mask``; node 0's entries must be neutral (``inf``, 0,
    0, 0).  Same rounds as :func:`_fold_min_values`; the arrays are updated in place."""
    anc = anc.copy()
    act = np.flatnonzero(anc)
    while act.size:
        up = anc[act]
        up_cap = cap[up]
        better = up_cap < cap[act]
        cap[act] = np.where(better, up_cap, cap[act])
        eid[act] = np.where(better, eid[up], eid[act])
        km[act] += km[up]
        hops[act] += hops[up]
        mask[act] |= mask[up]
        anc[act] = anc[up]
        act = act[anc[act] != 0]
    return cap, eid, km, hops, mask


def shortest_tree(net: Network) -> tuple[FloatArray, IntArray]:
    """``(distance_km, predecessor)`` of every node from the root (scipy; -9999 = unreachable)."""
    w = _weights(net, net.length_km + HOP_EPSILON_KM)
    dist, pred = dijkstra(w, directed=True, indices=0, return_predecessors=True)
    return dist, pred.astype(np.int64)


def widest_values(net: Network) -> FloatArray:
    """Best achievable bottleneck capacity (Mbit/s) from the root to every node (0 if cut off)."""
    n = net.n_nodes
    if net.n_edges == 0:
        return np.zeros(n)
    # Kruskal on negated capacities is a maximum spanning tree on capacity, and negation is
    # exact, so the tree's capacities are read back bit for bit.  Each edge goes in once (its
    # entry in the row of its lower end), which halves what Kruskal sorts.  A zero capacity is
    # no edge to scipy; a node only reached through one gets 0, its true widest value.
    rows = net.edge_keys() // n
    upper = net.indices > rows
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[upper], minlength=n), out=indptr[1:])
    weights = -net.capacity_mbps[net.entry_edge[upper]]
    mst = minimum_spanning_tree(csr_array((weights, net.indices[upper], indptr), shape=(n, n)))
    order, pred = breadth_first_order(mst, 0, directed=False, return_predecessors=True)
    tree_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(mst.indptr))
    cols = mst.indices.astype(np.int64)
    child = np.where(pred[cols] == tree_rows, cols, tree_rows)
    cap = np.full(n, np.inf)
    cap[child] = -mst.data
    cap[0] = np.inf
    nodes = order[1:]
    anc = np.zeros(n, dtype=np.int64)
    anc[nodes] = pred[nodes]
    wide = _fold_min_values(anc, cap)
    reached = np.zeros(n, dtype=np.bool_)
    reached[order] = True
    return np.where(reached, wide, 0.0)


def round6(x: FloatArray) -> list[float]:
    """``[round(float(v), 6) for v in x]``, identical to Python's rounding, mostly in numpy.

    ``rint(x * 1e6) / 1e6`` is what Python's ``round`` gives (the double nearest the correctly
    rounded decimal) whenever the scaled product is not within an ulp of a half-way point:
    there the product's own rounding error cannot change the side.  The rare near-half,
    huge or non-finite values are rounded by Python.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        y = x * 1e6
        out = (np.rint(y) / 1e6).tolist()
        frac = y - np.floor(y)
        odd = ~(np.abs(frac - 0.5) > 2 * np.spacing(np.abs(y))) | ~(np.abs(y) < 2.0**52)
    for i in np.flatnonzero(odd).tolist():
        out[i] = round(float(x[i]), 6)
    return out


def _served_at(net: Network, dist: FloatArray) -> IntArray:
    """Per agency (``net.agency_codes`` order): its nearest device, -1 when it has none."""
    dist_l: list[float] | None = None
    out: list[int] = []
    for nodes_k in net.agency_nodes:
        if len(nodes_k) == 1:
            out.append(nodes_k[0])
        elif not nodes_k:
            out.append(-1)
        else:
            if dist_l is None:
                dist_l = dist.tolist()
            out.append(min(nodes_k, key=dist_l.__getitem__))
    return np.asarray(out, dtype=np.int64)


def agency_paths(net: Network) -> PathsResult:
    """Every agency's route, bottleneck, widest value and media, from one search each.

    An agency on several devices uses the nearest one.  Agencies with no reachable device are
    reported with ``reachable=False``.
    """
    n = net.n_nodes
    dist, pred = shortest_tree(net)
    nodes = np.flatnonzero(np.isfinite(dist))
    nodes = nodes[nodes != 0]
    anc = np.zeros(n, dtype=np.int64)
    anc[nodes] = pred[nodes]
    eid = np.zeros(n, dtype=np.int64)
    eid[nodes] = net.edge_between(pred[nodes], nodes)
    cap = np.full(n, np.inf)
    cap[nodes] = net.capacity_mbps[eid[nodes]]
    km = np.zeros(n)
    km[nodes] = net.length_km[eid[nodes]]
    hops = np.zeros(n, dtype=np.int64)
    hops[nodes] = ~net.virtual[eid[nodes]]
    mask = np.zeros(n, dtype=np.int64)
    mask[nodes] = net.medium_mask[eid[nodes]]
    b_cap, b_eid, km, hops, mask = _fold_route(anc, cap, eid, km, hops, mask)
    wide = widest_values(net)

    # Everything per agency is gathered as arrays and turned into lists once: indexing numpy
    # scalars one by one would cost more than the search itself.
    at = _served_at(net, dist)
    v = np.maximum(at, 0)
    reachable = (at >= 0) & np.isfinite(dist[v])
    a_hops = hops[v]
    a_cap = b_cap[v]
    a_eid = b_eid[v]
    a_util = net.utilization_bps[a_eid]
    with np.errstate(divide="ignore", invalid="ignore"):
        a_util = np.where(a_cap > 0, a_util / (a_cap * 1e6), np.where(a_util > 0, np.inf, 0.0))
    codes = net.agency_codes
    devices = list(map(net.nodes.__getitem__, v.tolist()))
    km_l = round6(km[v])
    a_mask = mask[v].tolist()
    media = {m: tuple(net.media_of(m)) for m in set(a_mask)}
    media_l = list(map(media.__getitem__, a_mask))
    paths = list(
        map(
            AgencyPath,
            codes,
            devices,
            repeat(True),
            a_hops.tolist(),
            km_l,
            a_cap.tolist(),
            net.edge_names(a_eid),
            a_util.tolist(),
            wide[v].tolist(),
            media_l,
        )
    )
    # An agency on an uplink device crosses no link; one with no reachable device has no route.
    for k in np.flatnonzero(~reachable | (a_hops == 0)).tolist():
        if reachable[k]:
            paths[k] = AgencyPath(
                codes[k], devices[k], True, 0, km_l[k], None, None, None, None, media_l[k]
            )
        else:
            paths[k] = AgencyPath(codes[k], None, False, 0, 0.0, None, None, None, None, ())
    return PathsResult(net, dict(zip(codes, paths, strict=True)), pred)
