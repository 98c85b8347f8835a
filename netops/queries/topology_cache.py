"""The inventory's weak points, computed once per loaded inventory (the planned topology does not
change between requests; a new inventory object means a new sync/reload)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from netops.errors import TopologyError
from netops.inventory.schema import Inventory

_LOCK = threading.Lock()
_CACHE: dict[int, tuple[Inventory, list[WeakPoint]]] = {}
_MAX = 4


@dataclass(frozen=True)
class WeakPoint:
    """A single link or device whose loss cuts agencies off (Mbit/s guaranteed at stake)."""

    kind: str
    name: str
    agencies: int
    guaranteed_down_mbps: float
    guaranteed_up_mbps: float
    cut_off: tuple[str, ...]


def weak_points_of(inventory: Inventory) -> list[WeakPoint]:
    """Every single point of failure, largest guaranteed download at stake first."""
    with _LOCK:
        hit = _CACHE.get(id(inventory))
        if hit is not None and hit[0] is inventory:
            return hit[1]
    from topology.model import build_model
    from topology.network import compile_network
    from topology.weak import weak_points

    try:
        wp = weak_points(compile_network(build_model(inventory)))
    except TopologyError:  # an inventory without uplink has no topology to analyse
        result: list[WeakPoint] = []
    else:
        items = [
            WeakPoint(
                i.kind,
                i.name,
                i.agencies,
                i.guaranteed_down_mbps,
                i.guaranteed_up_mbps,
                tuple(wp.agencies_cut(i)),
            )
            for i in (*wp.links, *wp.devices)
            if i.agencies
        ]
        result = sorted(items, key=lambda i: (-i.guaranteed_down_mbps, -i.agencies, i.name))
    with _LOCK:
        if len(_CACHE) >= _MAX:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(inventory)] = (inventory, result)
    return result
