"""A model's physical links as arrays, in the order ``model.graph.edges(keys=True)`` lists them.

Two sources give the same :class:`PhysicalLinks`: the model's :class:`~topology.links.LinkColumns`
(what ``build_model`` and ``model_from_edges`` make; pure numpy, the graph is never built), or its
networkx graph once that exists (one C-level walk of the adjacency dicts).  Node ids are the
graph's node order plus one (0 is :data:`~topology.model.ROOT`); links looped back on one device
are dropped, since they carry nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import itemgetter, methodcaller
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from topology.links import LinkColumns
from topology.model import MEDIA, ROOT, TopologyModel

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

MEDIUM_BIT = {m: 1 << i for i, m in enumerate(MEDIA)}
"""Bit of each medium in a medium mask; anything else counts as ``unknown``."""


@dataclass
class PhysicalLinks:
    """Link ``i`` joins node ids ``u[i] <= v[i]`` under id ``keys[i]``; its length (km),
    capacity (Mbit/s, ``capacity_raw`` as given in the model), utilization (bit/s) and medium
    bit (:data:`MEDIUM_BIT`).  Device ``name`` is node ``ids[name] + shift``."""

    nodes: list[str]
    ids: dict[str, int]
    shift: int
    u: IntArray
    v: IntArray
    keys: list[str]
    length_km: FloatArray
    capacity_raw: list[Any]
    capacity_mbps: FloatArray
    utilization_bps: FloatArray
    medium_bit: IntArray


def physical_links(model: TopologyModel) -> PhysicalLinks:
    """The model's links from its columns while it has them, else from its graph.

    Raises ``KeyError`` if a graph edge lacks ``length_km`` or ``capacity_mbps``.
    """
    cols = model.link_columns
    out = _from_columns(cols) if cols is not None else _from_graph(model.graph)
    loops = out.u == out.v
    if loops.any():
        keep = ~loops
        real = keep.tolist()
        out.u, out.v = out.u[keep], out.v[keep]
        out.keys = list(compress(out.keys, real))
        out.capacity_raw = list(compress(out.capacity_raw, real))
        out.length_km, out.capacity_mbps = out.length_km[keep], out.capacity_mbps[keep]
        out.utilization_bps, out.medium_bit = out.utilization_bps[keep], out.medium_bit[keep]
    return out


def _medium_bits(media: list[Any]) -> IntArray:
    return np.fromiter(
        map(MEDIUM_BIT.get, media, repeat(MEDIUM_BIT["unknown"])), np.int64, len(media)
    )


def _from_columns(cols: LinkColumns) -> PhysicalLinks:
    """Reorder the columns into the graph's edge order, which is: by the end added first to
    the graph, then by the first link between the same two devices (when that neighbour entered
    the adjacency dict), then by link."""
    nodes = [ROOT, *cols.nodes]
    n, m = len(nodes), len(cols)
    a = np.asarray(cols.u, dtype=np.int64).reshape(m) + 1
    b = np.asarray(cols.v, dtype=np.int64).reshape(m) + 1
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    _, first_of_pair, pair = np.unique(lo * n + hi, return_index=True, return_inverse=True)
    order = np.lexsort((np.arange(m), first_of_pair[pair.reshape(m)], lo))
    length = np.asarray(cols.length_km, dtype=np.float64).reshape(m)
    util = np.asarray(cols.utilization_bps, dtype=np.float64).reshape(m)
    mask = _medium_bits(cols.medium)
    if bool((order == np.arange(m)).all()):
        keys, cap_raw = list(cols.key), list(cols.capacity_mbps)
    else:
        take = order.tolist()
        keys = list(map(cols.key.__getitem__, take))
        cap_raw = list(map(cols.capacity_mbps.__getitem__, take))
        length, util, mask = length[order], util[order], mask[order]
        lo, hi = lo[order], hi[order]
    return PhysicalLinks(
        nodes=nodes,
        ids=cols.position,
        shift=1,
        u=lo,
        v=hi,
        keys=keys,
        length_km=length,
        capacity_raw=cap_raw,
        capacity_mbps=np.asarray(cap_raw, dtype=np.float64).reshape(m),
        utilization_bps=util,
        medium_bit=mask,
    )


def _from_graph(graph: nx.MultiGraph) -> PhysicalLinks:
    """One walk over networkx's adjacency dicts, all per-link work in C.

    networkx keeps its node and adjacency dicts in the same order (nodes are added to and
    removed from both together), so the i-th adjacency dict is node i + 1's.  A link sits under
    both of its ends and is kept under the end with the lower id, the end networkx's own edge
    view reports it under.  Taking only the dicts lets the items iterator reuse one tuple
    instead of allocating one per node, and no tuple per link is built.
    """
    nodes: list[str] = [ROOT, *graph]
    index = dict(zip(nodes, range(len(nodes)), strict=True))
    nbr_dicts = list(map(itemgetter(1), graph.adjacency()))
    degree = np.fromiter(map(len, nbr_dicts), np.int64, len(nbr_dicts))
    total = int(degree.sum())
    iv = np.fromiter(map(index.__getitem__, chain.from_iterable(nbr_dicts)), np.int64, total)
    iu = np.repeat(np.arange(1, len(nbr_dicts) + 1, dtype=np.int64), degree)
    keep = iv >= iu
    kdicts = list(compress(chain.from_iterable(map(dict.values, nbr_dicts)), keep.tolist()))
    keys = list(chain.from_iterable(kdicts))
    data = list(chain.from_iterable(map(dict.values, kdicts)))
    pu, pv = iu[keep], iv[keep]
    if len(keys) > len(kdicts):  # parallel links: one entry per link
        per_pair = np.fromiter(map(len, kdicts), np.int64, len(kdicts))
        pu, pv = np.repeat(pu, per_pair), np.repeat(pv, per_pair)
    m = len(keys)
    cap_raw = list(map(itemgetter("capacity_mbps"), data))
    return PhysicalLinks(
        nodes=nodes,
        ids=index,
        shift=0,
        u=pu,
        v=pv,
        keys=keys,
        length_km=np.fromiter(map(itemgetter("length_km"), data), np.float64, m),
        capacity_raw=cap_raw,
        capacity_mbps=np.fromiter(cap_raw, np.float64, m),
        utilization_bps=np.fromiter(_column(data, "utilization_bps", 0.0), np.float64, m),
        medium_bit=_medium_bits(_column(data, "medium", "unknown")),
    )


def _column(data: list[dict[str, Any]], name: str, default: Any) -> list[Any]:
    """``[d.get(name, default) for d in data]``, at ``itemgetter`` speed when none lacks it."""
    try:
        return list(map(itemgetter(name), data))
    except KeyError:
        return list(map(methodcaller("get", name, default), data))
