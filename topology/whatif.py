"""What-if: fail any set of links and devices, see who goes dark and which links overload.

Each agency's demand (its guaranteed download, or what was measured on its LAN ports) is routed
along its shortest path to the root, before and after the failure, and summed per link; the loads
after the failure are compared with what capacity is left (a bundle of parallel links loses only
the failed members).  Pure: a :class:`~topology.network.Network` in, a :class:`WhatIfResult` out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from netops.errors import TopologyError
from topology.network import FloatArray, IntArray, Network
from topology.paths import HOP_EPSILON_KM

DEMAND_MODES = ("guaranteed", "current")


@dataclass(frozen=True)
class LinkLoad:
    """Load on one (collapsed) link before and after the failure, Mbit/s."""

    link: str
    capacity_mbps: float
    load_before_mbps: float
    load_after_mbps: float

    @property
    def utilization(self) -> float:
        """Load after the failure as a fraction of the capacity left (inf if none left)."""
        if self.capacity_mbps <= 0:
            return float("inf") if self.load_after_mbps > 0 else 0.0
        return self.load_after_mbps / self.capacity_mbps

    @property
    def overloaded(self) -> bool:
        return self.load_after_mbps > self.capacity_mbps + 1e-9


@dataclass
class WhatIfResult:
    """Agencies newly cut off (and the guaranteed Mbit/s they lose), agencies whose route
    changed, and every link whose load changed, with those now over capacity."""

    failed_links: list[str]
    failed_devices: list[str]
    cut_off: list[str]
    already_dark: list[str]
    rerouted: list[str]
    lost_guaranteed_down_mbps: float
    loads: list[LinkLoad] = field(default_factory=list)

    @property
    def overloaded(self) -> list[LinkLoad]:
        return [x for x in self.loads if x.overloaded]


def demands_mbps(net: Network, mode: str = "guaranteed") -> FloatArray:
    """Per agency (``net.agency_codes`` order): guaranteed download, or the measured rate where
    known (``mode="current"``, falling back to the guarantee).  Raises on an unknown mode."""
    if mode == "guaranteed":
        return net.g_down_mbps.copy()
    if mode == "current":
        return np.where(np.isnan(net.demand_current_mbps), net.g_down_mbps, net.demand_current_mbps)
    raise TopologyError(f"unknown demand mode {mode!r}; choose one of {', '.join(DEMAND_MODES)}")


@dataclass
class Routing:
    """Shortest-path tree from the root and the per-edge load it carries."""

    dist: FloatArray
    pred: IntArray
    attach: list[int]
    """Per agency: the node it is served at, -1 when cut off."""
    load: FloatArray


def route_demands(
    net: Network,
    demand: FloatArray,
    edge_alive: FloatArray | None = None,
    node_alive: np.ndarray | None = None,
) -> Routing:
    """Route every agency's demand to the root over the live part of the graph.

    ``edge_alive[e]`` > 0 keeps edge ``e``; ``node_alive[v]`` False removes device ``v``.
    """
    n = net.n_nodes
    weight = net.length_km + HOP_EPSILON_KM
    keep = np.ones(len(net.entry_edge), dtype=np.bool_)
    if edge_alive is not None:
        keep &= edge_alive[net.entry_edge] > 0
    if node_alive is not None:
        rows = np.repeat(np.arange(n), np.diff(net.indptr))
        keep &= node_alive[rows] & node_alive[net.indices]
    data = np.where(keep, weight[net.entry_edge], 0.0)
    # copies: eliminate_zeros works in place and would corrupt the shared CSR arrays
    w = csr_array((data, net.indices.copy(), net.indptr.copy()), shape=(n, n))
    w.eliminate_zeros()
    dist, pred = dijkstra(w, directed=True, indices=0, return_predecessors=True)
    pred = pred.astype(np.int64)
    attach: list[int] = []
    acc = np.zeros(n)
    for k, nodes in enumerate(net.agency_nodes):
        live = [v for v in nodes if np.isfinite(dist[v])]
        if not live:
            attach.append(-1)
            continue
        v = min(live, key=lambda x: dist[x])
        attach.append(v)
        acc[v] += demand[k]
    load = np.zeros(net.n_edges)
    reached = np.flatnonzero(np.isfinite(dist))
    reached = reached[reached != 0]
    order = reached[np.argsort(-dist[reached], kind="stable")]
    edges = net.edge_between(pred[order], order)
    acc_l = acc.tolist()
    pred_l = pred.tolist()
    for v, e in zip(order.tolist(), edges.tolist(), strict=True):
        load[e] = acc_l[v]
        acc_l[pred_l[v]] += acc_l[v]
    return Routing(dist, pred, attach, load)


def _changed_route(net: Network, before: Routing, after: Routing) -> np.ndarray:
    """Per node: whether any hop of its before-failure route changed (OR folded up the tree)."""
    anc = np.where(before.pred >= 0, before.pred, 0)
    flag = (after.pred != before.pred) & (before.pred >= 0)
    anc[0] = 0
    while np.any(anc != 0):
        flag = flag | flag[anc]
        anc = anc[anc]
    return flag


def what_if(
    net: Network,
    fail_links: Iterable[str] = (),
    fail_devices: Iterable[str] = (),
    demand: str = "guaranteed",
) -> WhatIfResult:
    """Fail the given physical links (ids) and devices (hostnames) together.

    Raises :class:`TopologyError` naming an unknown link or device.
    """
    links = list(dict.fromkeys(fail_links))
    devices = list(dict.fromkeys(fail_devices))
    cap_left = net.capacity_mbps.copy()
    alive = net.multiplicity.astype(np.float64)
    for name in links:
        e = net.link_edge.get(name)
        if e is None:
            raise TopologyError(f"unknown link {name!r}")
        alive[e] -= 1
        cap_left[e] -= net.link_capacity_mbps.get(name, 0.0)
    node_alive = np.ones(net.n_nodes, dtype=np.bool_)
    for d in devices:
        v = net.index.get(d, 0)
        if v == 0:
            raise TopologyError(f"unknown device {d!r}")
        node_alive[v] = False
    dem = demands_mbps(net, demand)
    before = route_demands(net, dem)
    after = route_demands(net, dem, alive, node_alive)
    changed = _changed_route(net, before, after)
    cut, dark, rerouted = [], [], []
    lost = 0.0
    for k, code in enumerate(net.agency_codes):
        b, a = before.attach[k], after.attach[k]
        if b < 0:
            dark.append(code)
        elif a < 0:
            cut.append(code)
            lost += float(net.g_down_mbps[k])
        elif a != b or changed[a]:
            rerouted.append(code)
    loads = []
    for e in np.flatnonzero(
        (np.abs(after.load - before.load) > 1e-9) | (after.load > cap_left + 1e-9)
    ).tolist():
        if net.virtual[e]:
            continue
        loads.append(
            LinkLoad(
                net.edge_name(e),
                float(max(cap_left[e], 0.0)),
                float(before.load[e]),
                float(after.load[e]),
            )
        )
    loads.sort(key=lambda x: (-x.utilization, x.link))
    return WhatIfResult(links, devices, cut, dark, rerouted, lost, loads)
