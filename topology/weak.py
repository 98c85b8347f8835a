"""Weak points: which single link or device cuts which agencies off, from one depth-first search.

One iterative DFS from the virtual root gives discovery order, low-links and subtree sizes.  Each
agency is placed at the lowest common ancestor (in the DFS tree) of its reachable devices, and its
guaranteed Mbit/s are summed over subtrees.  Then, without removing anything:

* a tree edge ``p -> c`` with ``low[c] > disc[p]`` that is a single physical link (bridge) cuts
  off exactly the agencies placed in ``c``'s subtree;
* a device ``w`` cuts off the agencies placed at ``w`` itself (when all their devices are ``w``
  or below a cut child) plus every child subtree ``c`` with ``low[c] >= disc[w]``;
* an agency has redundancy 2 (two edge-disjoint ways to the core, i.e. no single link failure
  cuts it) unless a bridge lies on the tree path to its placement node; 0 when already cut off.

Because a DFS subtree is a contiguous range of discovery numbers, the agencies behind a failure
are listed on demand by bisecting a sorted array, so the whole analysis is O(V + E).

Placement at the common ancestor is :mod:`topology.protect`'s definition (an agency reaches the
core from any of its devices), which the planner uses too: an agency ``spof`` rates 2+ is one
``plan --protect links`` buys nothing for.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np

from topology.network import Network
from topology.protect import lca


@dataclass(slots=True)
class Impact:
    """What one failed link (``kind="link"``, physical link id) or device cuts off.

    Not frozen: one is made per link and per device, and a frozen dataclass's ``__init__``
    (``object.__setattr__`` per field) costs about eight times a plain slotted one's.
    """

    kind: str
    name: str
    agencies: int
    guaranteed_down_mbps: float
    guaranteed_up_mbps: float


@dataclass
class DfsState:
    """Arrays of one DFS from the root (index = node id; ``disc`` -1 = unreachable)."""

    disc: list[int]
    low: list[int]
    parent: list[int]
    parent_edge: list[int]
    size: list[int]
    depth: list[int]
    order: list[int]
    is_bridge: list[bool]
    """Per collapsed edge: a single physical, non-virtual link whose loss splits the graph."""


def dfs(net: Network) -> DfsState:
    """Iterative DFS with low-links from node 0 over the collapsed graph; O(V + E)."""
    n = net.n_nodes
    indptr, nbr, eid = net.adjacency_lists()
    disc = [-1] * n
    low = [0] * n
    parent = [-1] * n
    pedge = [-1] * n
    size = [1] * n
    depth = [0] * n
    ptr = indptr[:-1].copy()
    order = [0]
    disc[0] = 0
    stack = [0]
    t = 1
    while stack:
        v = stack[-1]
        i = ptr[v]
        if i < indptr[v + 1]:
            ptr[v] = i + 1
            w = nbr[i]
            if disc[w] < 0:
                disc[w] = low[w] = t
                t += 1
                parent[w] = v
                pedge[w] = eid[i]
                depth[w] = depth[v] + 1
                order.append(w)
                stack.append(w)
            elif eid[i] != pedge[v] and disc[w] < low[v]:
                low[v] = disc[w]
        else:
            stack.pop()
            p = parent[v]
            if p >= 0:
                if low[v] < low[p]:
                    low[p] = low[v]
                size[p] += size[v]
    mult = net.multiplicity.tolist()
    virt = net.virtual.tolist()
    is_bridge = [False] * net.n_edges
    for c in order[1:]:
        e = pedge[c]
        if low[c] > disc[parent[c]] and mult[e] == 1 and not virt[e]:
            is_bridge[e] = True
    return DfsState(disc, low, parent, pedge, size, depth, order, is_bridge)


def _child_towards(st: DfsState, w: int, x: int) -> int:
    while st.parent[x] != w:
        x = st.parent[x]
    return x


@dataclass
class WeakPoints:
    """Every bridge and articulation point with what it cuts off, and per-agency redundancy.

    ``links``/``devices``: :class:`Impact` for every bridge / articulation point (a loss that
    splits the graph), with the agencies it cuts off (possibly none), sorted by
    guaranteed Mbit/s cut, largest first.  ``all_links``/``all_devices``: the impact of every
    single failure, including harmless ones.  ``redundancy``: agency -> 0, 1 or 2 (2 = 2+).
    ``dark``: agencies already cut off before any failure.
    """

    network: Network
    state: DfsState
    links: list[Impact]
    devices: list[Impact]
    all_links: dict[str, Impact]
    all_devices: dict[str, Impact]
    redundancy: dict[str, int]
    dark: list[str]
    _place_disc: list[int] = field(repr=False, default_factory=list)
    _placed_codes: list[str] = field(repr=False, default_factory=list)
    _own: dict[int, list[str]] = field(repr=False, default_factory=dict)

    def _range(self, c: int) -> list[str]:
        lo = self.state.disc[c]
        hi = lo + self.state.size[c]
        i, j = bisect_left(self._place_disc, lo), bisect_left(self._place_disc, hi)
        return self._placed_codes[i:j]

    def agencies_cut(self, impact: Impact) -> list[str]:
        """Codes of the agencies the failure in ``impact`` cuts off (sorted)."""
        net, st = self.network, self.state
        if impact.kind == "link":
            e = net.link_edge.get(impact.name, -1)
            if e < 0 or not st.is_bridge[e]:
                return []
            u, v = int(net.eu[e]), int(net.ev[e])
            child = v if st.parent[v] == u else u
            return sorted(self._range(child))
        w = net.index.get(impact.name, -1)
        if w <= 0 or st.disc[w] < 0:
            return []
        out = list(self._own.get(w, []))
        for c in _cut_children(st, w):
            out.extend(self._range(c))
        return sorted(out)


def _cut_children(st: DfsState, w: int) -> list[int]:
    # Children are the nodes whose parent is w; scanning the preorder slice of w's subtree and
    # jumping over each child's subtree keeps this O(children).
    out = []
    i = st.disc[w] + 1
    end = st.disc[w] + st.size[w]
    while i < end:
        c = st.order[i]
        if st.low[c] >= st.disc[w]:
            out.append(c)
        i += st.size[c]
    return out


def weak_points(net: Network) -> WeakPoints:
    """Bridges, articulation points, single-failure impacts and redundancy in O(V + E)."""
    st = dfs(net)
    n = net.n_nodes
    cnt = [0] * n
    gd = [0.0] * n
    gu = [0.0] * n
    own_cnt = [0] * n
    own_gd = [0.0] * n
    own_gu = [0.0] * n
    own: dict[int, list[str]] = {}
    placed: list[tuple[int, str]] = []
    dark: list[str] = []
    place_of: dict[str, int] = {}
    g_down = net.g_down_mbps.tolist()
    g_up = net.g_up_mbps.tolist()
    for k, code in enumerate(net.agency_codes):
        reach = [v for v in net.agency_nodes[k] if st.disc[v] >= 0]
        if not reach:
            dark.append(code)
            continue
        w = reach[0] if len(reach) == 1 else lca(reach, st.parent.__getitem__, st.depth.__getitem__)
        place_of[code] = w
        cnt[w] += 1
        gd[w] += g_down[k]
        gu[w] += g_up[k]
        if len(reach) == 1 or all(
            v == w or st.low[_child_towards(st, w, v)] >= st.disc[w] for v in reach
        ):
            own_cnt[w] += 1
            own_gd[w] += g_down[k]
            own_gu[w] += g_up[k]
            own.setdefault(w, []).append(code)
        placed.append((st.disc[w], code))
    for v in reversed(st.order[1:]):
        p = st.parent[v]
        cnt[p] += cnt[v]
        gd[p] += gd[v]
        gu[p] += gu[v]

    all_links: dict[str, Impact] = {}
    links: list[Impact] = []
    eu, ev = net.eu.tolist(), net.ev.tolist()
    # physical links in edge order (members of a bundle together), read from the link table so
    # that no tuple per edge is built
    t = net.link_table
    names, edges = t.keys, t.edge
    if t.bundled:
        order = np.argsort(edges, kind="stable")
        names, edges = list(map(names.__getitem__, order.tolist())), edges[order]
    for name, e in zip(names, edges.tolist(), strict=True):
        if st.is_bridge[e]:  # a bridge is a single physical link
            u, v = eu[e], ev[e]
            c = v if st.parent[v] == u else u
            imp = Impact("link", name, cnt[c], gd[c], gu[c])
            links.append(imp)
            all_links[name] = imp
        else:
            all_links[name] = Impact("link", name, 0, 0.0, 0.0)

    all_devices: dict[str, Impact] = {}
    devices: list[Impact] = []
    for w in range(1, n):
        name = net.nodes[w]
        if st.disc[w] < 0:
            all_devices[name] = Impact("device", name, 0, 0.0, 0.0)
            continue
        c_cnt, c_gd, c_gu = own_cnt[w], own_gd[w], own_gu[w]
        cut = _cut_children(st, w)
        for c in cut:
            c_cnt += cnt[c]
            c_gd += gd[c]
            c_gu += gu[c]
        imp = Impact("device", name, c_cnt, c_gd, c_gu)
        all_devices[name] = imp
        if cut:
            devices.append(imp)

    bad = [False] * n
    for v in st.order[1:]:
        bad[v] = bad[st.parent[v]] or st.is_bridge[st.parent_edge[v]]
    redundancy = {code: 0 for code in dark}
    for code, w in place_of.items():
        redundancy[code] = 1 if bad[w] else 2

    placed.sort()
    key = lambda i: (-i.guaranteed_down_mbps, -i.agencies, i.name)  # noqa: E731
    return WeakPoints(
        network=net,
        state=st,
        links=sorted(links, key=key),
        devices=sorted(devices, key=key),
        all_links=all_links,
        all_devices=all_devices,
        redundancy=redundancy,
        dark=sorted(dark),
        _place_disc=[d for d, _ in placed],
        _placed_codes=[c for _, c in placed],
        _own=own,
    )
