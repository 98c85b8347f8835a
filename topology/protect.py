"""When an agency counts as protected: the one definition ``spof`` and ``plan`` both use.

An agency hangs from one or more devices (the devices holding its LAN ports).  It *reaches the
core* when any of its devices does; it is cut off only when none does.  With a DFS tree from
the core (:func:`topology.plangraph.dfs_tree`, or the integer one in :mod:`topology.weak`):

* its **anchor** is the lowest common ancestor of its devices that reach the core.  A single
  link failure cuts it off exactly when that link is a bridge on the tree path from the core to
  the anchor (every device that reaches the core lies below such a bridge).
* ``links`` protection (two edge-disjoint ways to the core from its devices together; ``2+`` in
  ``spof``): no bridge on that path.
* ``devices`` protection: ``links`` protection, and no single device failure cuts it off.  The
  failures counted are every device except the uplink devices (they are the core: losing one
  is an uplink outage, which fiber inside the intranet cannot fix) and except the agency's
  only device (nothing fixes that).  Junction points of candidate chains (``pt:...``) are
  cable, not devices, and never fail.  A device ``w`` cuts the agency off when every other
  device of it that reaches the core lies below children ``c`` of ``w`` with
  ``low[c] >= disc[w]``; ``w`` is then the anchor or one of its ancestors.

:func:`weakness` names the first failure that cuts an agency off (or ``None`` when it is
protected) and :func:`core_side` the nodes still joined to the core after it: the cut that the
exact planner turns into a constraint and the heuristic closes with the cheapest option across.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from topology.plangraph import CORE, Tree

PROTECT_MODES = ("links", "devices")
"""``links``: no single link failure cuts the agency off; ``devices``: nor any device failure."""

Groups = Mapping[str, tuple[str, ...]]
"""Agency code -> the working-graph nodes of its devices."""

N = TypeVar("N")


def lca(nodes: Sequence[N], parent: Callable[[N], N], depth: Callable[[N], int]) -> N:
    """Lowest common ancestor of ``nodes`` (non-empty) in a rooted tree."""
    a = nodes[0]
    for b in nodes[1:]:
        x, y = a, b
        while depth(x) > depth(y):
            x = parent(x)
        while depth(y) > depth(x):
            y = parent(y)
        while x != y:
            x, y = parent(x), parent(y)
        a = x
    return a


def check_mode(mode: str) -> str:
    if mode not in PROTECT_MODES:
        raise ValueError(f"protect mode {mode!r}; expected one of {', '.join(PROTECT_MODES)}")
    return mode


def anchor(tree: Tree, devices: Iterable[str]) -> str | None:
    """The agency's anchor node, or ``None`` when none of its devices reaches the core."""
    reach = [d for d in devices if d in tree.parent]
    if not reach:
        return None
    return lca(reach, tree.parent.__getitem__, tree.depth.__getitem__)  # type: ignore[arg-type]


def _fails(node: str) -> bool:
    return node != CORE and not node.startswith("pt:")


def _child_towards(tree: Tree, w: str, x: str) -> str:
    while tree.parent[x] != w:
        x = tree.parent[x]  # type: ignore[assignment]
    return x


def weakness(tree: Tree, devices: tuple[str, ...], mode: str = "links") -> tuple[str, str] | None:
    """The first failure that cuts the agency off, or ``None`` when it is protected.

    Returns ``("dark", "")`` when no device reaches the core, ``("link", c)`` for the bridge
    from ``c`` to its tree parent, ``("device", w)`` for device ``w``.
    """
    a = anchor(tree, devices)
    if a is None:
        return ("dark", "")
    x: str | None = a
    while x is not None:
        if x in tree.bridge_child:
            return ("link", x)
        x = tree.parent[x]
    if mode == "links":
        return None
    disc, low = tree.disc, tree.low
    if a != CORE and _fails(a) and set(devices) != {a}:
        others = [d for d in devices if d in tree.parent and d != a]
        if all(low[_child_towards(tree, a, d)] >= disc[a] for d in others):
            return ("device", a)
    prev, w = a, tree.parent[a]
    while w is not None and w != CORE:
        if _fails(w) and low[prev] >= disc[w]:
            return ("device", w)
        prev, w = w, tree.parent[w]
    return None


def protected_codes(tree: Tree, groups: Groups, mode: str = "links") -> set[str]:
    """Codes of the agencies in ``groups`` that ``tree`` protects in ``mode``."""
    return {code for code, devs in groups.items() if weakness(tree, devs, mode) is None}


def _subtree(tree: Tree, c: str) -> list[str]:
    i = tree.disc[c]
    return tree.order[i : i + tree.size[c]]


def core_side(tree: Tree, failure: tuple[str, str]) -> set[str]:
    """Nodes still joined to the core after ``failure`` (as returned by :func:`weakness`)."""
    kind, at = failure
    side = set(tree.order)
    if kind == "link":
        side.difference_update(_subtree(tree, at))
    elif kind == "device":
        side.discard(at)
        i, end = tree.disc[at] + 1, tree.disc[at] + tree.size[at]
        while i < end:
            c = tree.order[i]
            if tree.low[c] >= tree.disc[at]:
                side.difference_update(_subtree(tree, c))
            i += tree.size[c]
    return side
