"""The form a topology model is built in: devices and links as parallel lists.

:class:`LinkColumns` takes nodes and links the way ``networkx.MultiGraph.add_node`` /
``add_edge`` do (a second link with the same key between the same two devices updates the first
one) and keeps them as one list per attribute.  The analyses compile straight from these lists
with numpy (:func:`topology.network.compile_network`), so answering "paths" never builds a
networkx graph; :meth:`LinkColumns.to_networkx` builds the very graph the same calls on a
``MultiGraph`` would have built, for the code that wants one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

EDGE_ATTRIBUTES = (
    "a",
    "b",
    "medium",
    "length_km",
    "capacity_mbps",
    "utilization_bps",
    "planned",
    "seen",
)
"""Edge attributes of the model graph, in the order the graph's edge dicts list them."""


@dataclass
class LinkColumns:
    """Devices (in insertion order, with their attributes) and links, one list per attribute.

    Link ``i`` joins ``nodes`` number ``u[i]`` and ``v[i]`` (0-based positions in insertion
    order) under key ``key[i]``; its ends are the ports ``a[i]``/``b[i]`` and the other lists
    hold the edge attributes of :data:`EDGE_ATTRIBUTES`.
    """

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)
    u: list[int] = field(default_factory=list)
    v: list[int] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    a: list[tuple[str, str]] = field(default_factory=list)
    b: list[tuple[str, str]] = field(default_factory=list)
    medium: list[str] = field(default_factory=list)
    length_km: list[float] = field(default_factory=list)
    capacity_mbps: list[float] = field(default_factory=list)
    utilization_bps: list[float] = field(default_factory=list)
    planned: list[bool] = field(default_factory=list)
    seen: list[bool | None] = field(default_factory=list)
    link_at: dict[tuple[int, int, str], int] = field(default_factory=dict)
    """``(lower end, higher end, key) -> link index``, to update a re-added link in place."""

    def add_node(self, name: str, **attrs: Any) -> int:
        """Add a device (or update its attributes, as networkx does); its position."""
        pos = self.position.get(name)
        if pos is None:
            pos = self.position[name] = len(self.position)
            self.nodes[name] = dict(attrs)
        elif attrs:
            self.nodes[name].update(attrs)
        return pos

    def add_link(
        self,
        u: str,
        v: str,
        key: str,
        *,
        a: tuple[str, str],
        b: tuple[str, str],
        medium: str,
        length_km: float,
        capacity_mbps: float,
        utilization_bps: float,
        planned: bool,
        seen: bool | None,
    ) -> int:
        """Add a link between devices ``u`` and ``v`` (added if new); its index.

        A link with the same key between the same two devices is updated in place, as
        ``MultiGraph.add_edge`` updates the existing edge's attributes.
        """
        iu = self.position.get(u)
        if iu is None:
            iu = self.add_node(u)
        iv = self.position.get(v)
        if iv is None:
            iv = self.add_node(v)
        where = (iu, iv, key) if iu <= iv else (iv, iu, key)
        i = self.link_at.get(where)
        if i is None:
            i = self.link_at[where] = len(self.key)
            self.u.append(iu)
            self.v.append(iv)
            self.key.append(key)
            self.a.append(a)
            self.b.append(b)
            self.medium.append(medium)
            self.length_km.append(length_km)
            self.capacity_mbps.append(capacity_mbps)
            self.utilization_bps.append(utilization_bps)
            self.planned.append(planned)
            self.seen.append(seen)
            return i
        self.a[i], self.b[i], self.medium[i] = a, b, medium
        self.length_km[i], self.capacity_mbps[i] = length_km, capacity_mbps
        self.utilization_bps[i], self.planned[i], self.seen[i] = utilization_bps, planned, seen
        return i

    def __len__(self) -> int:
        return len(self.key)

    def to_networkx(self) -> nx.MultiGraph:
        """The ``MultiGraph`` that the same ``add_node``/``add_edge`` calls would have built:
        same node order, neighbour order, keys and edge attribute dicts."""
        g = nx.MultiGraph()
        g.add_nodes_from(self.nodes.items())
        names = list(self.nodes)
        columns = [getattr(self, name) for name in EDGE_ATTRIBUTES]
        g.add_edges_from(
            (names[iu], names[iv], key, dict(zip(EDGE_ATTRIBUTES, values, strict=True)))
            for iu, iv, key, *values in zip(self.u, self.v, self.key, *columns, strict=True)
        )
        return g
