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

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import breadth_first_order, dijkstra, minimum_spanning_tree

from netops.errors import TopologyError
from topology.network import FloatArray, IntArray, Network

HOP_EPSILON_KM = 1e-6
"""Added per hop so equal-length routes prefer fewer hops and zero-length links stay edges."""


@dataclass(frozen=True)
class AgencyPath:
    """One agency's route to the internet uplink.

    ``length_km`` along the route, ``hops`` (links, the virtual root edge not counted),
    ``bottleneck_mbps`` the smallest capacity on the route and ``bottleneck_link`` where it is,
    ``bottleneck_utilization`` its measured load as a fraction of capacity (0.0 when unmeasured),
    ``widest_mbps`` the best bottleneck any path could give, ``media`` met on the way.  An agency
    on an uplink device crosses no link: its bottleneck fields are ``None``.  An agency with no
    reachable device has ``reachable=False``.
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


def _fold_min(anc: IntArray, cap: FloatArray, eid: IntArray) -> tuple[FloatArray, IntArray]:
    """Minimum of ``cap`` over each node's ancestor chain (and which edge), by pointer jumping."""
    anc, cap, eid = anc.copy(), cap.copy(), eid.copy()
    while np.any(anc != 0):
        better = cap[anc] < cap
        cap = np.where(better, cap[anc], cap)
        eid = np.where(better, eid[anc], eid)
        anc = anc[anc]
    return cap, eid


def _fold_sum_or(
    anc: IntArray, km: FloatArray, hops: IntArray, mask: IntArray
) -> tuple[FloatArray, IntArray, IntArray]:
    anc, km, hops, mask = anc.copy(), km.copy(), hops.copy(), mask.copy()
    while np.any(anc != 0):
        km = km + km[anc]
        hops = hops + hops[anc]
        mask = mask | mask[anc]
        anc = anc[anc]
    return km, hops, mask


def shortest_tree(net: Network) -> tuple[FloatArray, IntArray]:
    """``(distance_km, predecessor)`` of every node from the root (scipy; -9999 = unreachable)."""
    w = _weights(net, net.length_km + HOP_EPSILON_KM)
    dist, pred = dijkstra(w, directed=True, indices=0, return_predecessors=True)
    return dist, pred.astype(np.int64)


def widest_values(net: Network) -> FloatArray:
    """Best achievable bottleneck capacity (Mbit/s) from the root to every node (0 if cut off)."""
    n = net.n_nodes
    top = float(net.capacity_mbps.max()) + 1.0
    # Kruskal on (top - capacity) is a maximum spanning tree on capacity; all weights stay > 0.
    mst = minimum_spanning_tree(_weights(net, top - net.capacity_mbps))
    order, pred = breadth_first_order(mst, 0, directed=False, return_predecessors=True)
    anc = np.zeros(n, dtype=np.int64)
    cap = np.full(n, np.inf)
    nodes = order[1:]
    anc[nodes] = pred[nodes]
    cap[nodes] = net.capacity_mbps[net.edge_between(pred[nodes], nodes)]
    wide, _ = _fold_min(anc, cap, np.zeros(n, dtype=np.int64))
    reached = np.zeros(n, dtype=np.bool_)
    reached[order] = True
    return np.where(reached, wide, 0.0)


def agency_paths(net: Network) -> PathsResult:
    """Every agency's route, bottleneck, widest value and media, from one search each.

    An agency on several devices uses the nearest one.  Agencies with no reachable device are
    reported with ``reachable=False``.
    """
    n = net.n_nodes
    dist, pred = shortest_tree(net)
    reached = np.isfinite(dist)
    nodes = np.flatnonzero(reached)
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
    hops[nodes] = (~net.virtual[eid[nodes]]).astype(np.int64)
    mask = np.zeros(n, dtype=np.int64)
    mask[nodes] = net.medium_mask[eid[nodes]]
    b_cap, b_eid = _fold_min(anc, cap, eid)
    km, hops, mask = _fold_sum_or(anc, km, hops, mask)
    wide = widest_values(net)

    # Plain lists: indexing numpy scalars one by one would cost more than the search itself.
    dist_l, hops_l, km_l = dist.tolist(), hops.tolist(), km.tolist()
    cap_l, eid_l, mask_l, wide_l = b_cap.tolist(), b_eid.tolist(), mask.tolist(), wide.tolist()
    util_l = net.utilization_bps.tolist()
    media: dict[int, tuple[str, ...]] = {}
    inf = float("inf")
    out: dict[str, AgencyPath] = {}
    for code, nodes_k in zip(net.agency_codes, net.agency_nodes, strict=True):
        if len(nodes_k) == 1:
            v = nodes_k[0]
        else:
            v = min(nodes_k, key=dist_l.__getitem__) if nodes_k else -1
        if v < 0 or dist_l[v] == inf:
            out[code] = AgencyPath(code, None, False, 0, 0.0, None, None, None, None, ())
            continue
        m = mask_l[v]
        if m not in media:
            media[m] = tuple(net.media_of(m))
        if hops_l[v] == 0:
            out[code] = AgencyPath(
                code, net.nodes[v], True, 0, round(km_l[v], 6), None, None, None, None, media[m]
            )
            continue
        e = eid_l[v]
        out[code] = AgencyPath(
            agency=code,
            device=net.nodes[v],
            reachable=True,
            hops=hops_l[v],
            length_km=round(km_l[v], 6),
            bottleneck_mbps=cap_l[v],
            bottleneck_link=net.edge_name(e),
            bottleneck_utilization=util_l[e] / (cap_l[v] * 1e6),
            widest_mbps=wide_l[v],
            media=media[m],
        )
    return PathsResult(net, out, pred)
