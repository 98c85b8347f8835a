"""The planner's working graph: the intranet with its uplink devices merged into one core node,
candidate segments as buildable *options*, and a bridge finder that honours parallel links.

"Two edge-disjoint paths to the core" is decided here: a node has them exactly when no bridge
(a single link whose loss splits the graph) lies between it and :data:`CORE`.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from netops.errors import TopologyError
from topology.network import Network
from topology.routes import Segment

CORE = "__core__"
Adjacency = dict[str, dict[str, int]]
"""node -> neighbour -> number of parallel links."""


@dataclass(frozen=True)
class Option:
    """A buildable connection between two nodes of the working graph: one segment, or a chain of
    segments through new points (poles, junctions) that only the chain uses."""

    u: str
    v: str
    segments: tuple[Segment, ...]

    @property
    def cost_idr(self) -> float:
        return sum(s.cost_idr for s in self.segments)

    @property
    def length_km(self) -> float:
        return sum(s.length_km for s in self.segments)


def core_graph(net: Network) -> tuple[Adjacency, dict[str, str]]:
    """The collapsed graph with uplink devices merged into :data:`CORE`.

    Returns the adjacency and ``node_of``: device -> its node in the working graph.
    """
    uplinks = {int(net.ev[e]) for e in range(net.n_edges) if net.virtual[e]}
    node_of = {name: (CORE if i in uplinks else name) for i, name in enumerate(net.nodes) if i != 0}
    adj: Adjacency = {CORE: {}}
    for name in node_of.values():
        adj.setdefault(name, {})
    for e in range(net.n_edges):
        if net.virtual[e]:
            continue
        a = node_of[net.nodes[int(net.eu[e])]]
        b = node_of[net.nodes[int(net.ev[e])]]
        if a != b:
            add_edge(adj, a, b, int(net.multiplicity[e]))
    return adj, node_of


def add_edge(adj: Adjacency, a: str, b: str, count: int = 1) -> None:
    adj.setdefault(a, {})
    adj.setdefault(b, {})
    adj[a][b] = adj[a].get(b, 0) + count
    adj[b][a] = adj[b].get(a, 0) + count


def remove_edge(adj: Adjacency, a: str, b: str, count: int = 1) -> None:
    for x, y in ((a, b), (b, a)):
        left = adj[x][y] - count
        if left > 0:
            adj[x][y] = left
        else:
            del adj[x][y]


@dataclass
class Tree:
    """DFS tree from the core: ``parent``, ``depth``, and ``bridge_child``: the nodes ``c`` whose
    link to ``parent[c]`` is a bridge.  ``order`` is the preorder; absent nodes are cut off."""

    parent: dict[str, str | None]
    depth: dict[str, int]
    order: list[str]
    bridge_child: set[str]
    disc: dict[str, int] = field(default_factory=dict)
    """Preorder number (index in ``order``)."""
    low: dict[str, int] = field(default_factory=dict)
    """Lowest preorder number reachable from the subtree by one non-tree link."""
    size: dict[str, int] = field(default_factory=dict)
    """Nodes in the subtree (itself included): the subtree is ``order[disc : disc + size]``."""


def dfs_tree(adj: Adjacency, root: str = CORE) -> Tree:
    """Iterative DFS with low-links; O(V + E)."""
    disc = {root: 0}
    low = {root: 0}
    parent: dict[str, str | None] = {root: None}
    depth = {root: 0}
    order = [root]
    iters = {root: iter(adj.get(root, {}).items())}
    stack = [root]
    bridge_child: set[str] = set()
    size = {root: 1}
    while stack:
        v = stack[-1]
        step = next(iters[v], None)
        if step is not None:
            w, mult = step
            if w not in disc:
                disc[w] = low[w] = len(order)
                parent[w] = v
                depth[w] = depth[v] + 1
                order.append(w)
                size[w] = 1
                iters[w] = iter(adj[w].items())
                stack.append(w)
            elif w != parent[v] or mult > 1:
                low[v] = min(low[v], disc[w])
        else:
            stack.pop()
            p = parent[v]
            if p is not None:
                low[p] = min(low[p], low[v])
                size[p] += size[v]
                if low[v] > disc[p] and adj[p][v] == 1:
                    bridge_child.add(v)
    return Tree(parent, depth, order, bridge_child, disc, low, size)


def needed_bridges(tree: Tree, targets: Iterable[str]) -> set[str]:
    """Bridge children whose subtree holds a target (bridges that cut some target off)."""
    has = {t for t in targets if t in tree.parent}
    need: set[str] = set()
    for v in reversed(tree.order):
        if v in has:
            if v in tree.bridge_child:
                need.add(v)
            p = tree.parent[v]
            if p is not None:
                has.add(p)
    return need


def protected(tree: Tree, targets: Iterable[str]) -> set[str]:
    """Targets with two edge-disjoint paths to the root (no bridge above them)."""
    bad: dict[str, bool] = {}
    for v in tree.order:
        p = tree.parent[v]
        bad[v] = p is not None and (bad[p] or v in tree.bridge_child)
    return {t for t in targets if t in bad and not bad[t]}


def path_bridges(tree: Tree, u: str, v: str, need: set[str]) -> set[str]:
    """Needed bridges on the tree path between ``u`` and ``v`` (the ones a new u-v link covers)."""
    out: set[str] = set()
    d = tree.depth
    while u != v:
        if d[u] >= d[v]:
            if u in need:
                out.add(u)
            u = tree.parent[u]  # type: ignore[assignment]
        else:
            if v in need:
                out.add(v)
            v = tree.parent[v]  # type: ignore[assignment]
    return out


def apply_options(adj: Adjacency, opts: Iterable[Option], node_of: dict[str, str]) -> Adjacency:
    """A copy of ``adj`` with the segments of ``opts`` built (each segment once)."""
    new = {k: dict(v) for k, v in adj.items()}
    done: set[str] = set()
    for o in opts:
        for s in o.segments:
            if s.name not in done:
                done.add(s.name)
                add_edge(new, node_of.get(s.u, s.u), node_of.get(s.v, s.v))
    return new


def target_groups(
    net: Network, node_of: dict[str, str], agencies: list[str] | None
) -> dict[str, tuple[str, ...]]:
    """Agency code -> working-graph nodes of all its devices (agencies with no device left out).

    Raises :class:`~netops.errors.TopologyError` for an unknown code.
    """
    codes = agencies if agencies is not None else list(net.agency_codes)
    pos = {c: k for k, c in enumerate(net.agency_codes)}
    out: dict[str, tuple[str, ...]] = {}
    for code in codes:
        if code not in pos:
            raise TopologyError(
                f"unknown agency {code!r}; known: {', '.join(net.agency_codes) or 'none'}"
            )
        nodes = net.agency_nodes[pos[code]]
        if nodes:
            out[code] = tuple(dict.fromkeys(node_of[net.nodes[v]] for v in nodes))
    return out


def build_options(segments: Iterable[Segment], node_of: dict[str, str]) -> list[Option]:
    """Every single segment, plus the cheapest chain through new points between each pair of
    existing nodes.  Segment ends are mapped to working-graph nodes (uplinks -> core)."""
    segs = list(segments)

    def node(x: str) -> str:
        return node_of.get(x, x)

    opts: dict[tuple[str, ...], Option] = {}
    cand: dict[str, list[tuple[str, Segment]]] = {}
    for s in segs:
        a, b = node(s.u), node(s.v)
        if a == b:
            continue
        opts[(s.name,)] = Option(a, b, (s,))
        cand.setdefault(a, []).append((b, s))
        cand.setdefault(b, []).append((a, s))
    existing = {x for x in cand if not x.startswith("pt:")}
    for src in existing:
        best: dict[str, float] = {src: 0.0}
        via: dict[str, tuple[str, Segment]] = {}
        heap = [(0.0, src)]
        while heap:
            c, x = heapq.heappop(heap)
            if c > best.get(x, float("inf")):
                continue
            if x != src and not x.startswith("pt:"):
                if x > src:
                    chain: list[Segment] = []
                    y = x
                    while y != src:
                        y, s = via[y]
                        chain.append(s)
                    if len(chain) > 1:
                        key = tuple(sorted(s.name for s in chain))
                        opts.setdefault(key, Option(src, x, tuple(reversed(chain))))
                continue  # chains end at the first existing node
            for y, s in cand.get(x, []):
                nc = c + s.cost_idr
                if nc < best.get(y, float("inf")):
                    best[y] = nc
                    via[y] = (x, s)
                    heapq.heappush(heap, (nc, y))
    return sorted(opts.values(), key=lambda o: (o.cost_idr, o.u, o.v))
