"""Models built from plain edge lists, and synthetic intranets for tests and benchmarks.

:func:`model_from_edges` builds a :class:`~topology.model.TopologyModel` without an inventory
(hand-checked test graphs).  :func:`synthetic_intranet` grows a regency-like network: a fiber
ring of distribution nodes at the data center, access trees under each, some trees closed into
small rings, and chains of wireless point-to-point links ("spurs") to far sites.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from topology.links import LinkColumns
from topology.model import AgencyAttachment, TopologyModel
from topology.routes import Candidates, Segment


@dataclass(frozen=True)
class E:
    """One test link: ends, and optional medium/length/capacity/utilization (bit/s)."""

    u: str
    v: str
    length_km: float = 1.0
    capacity_mbps: float = 1000.0
    medium: str = "fiber"
    utilization_bps: float = 0.0


def model_from_edges(
    edges: Iterable[E | tuple[str, str]],
    uplinks: Iterable[str],
    agencies: Mapping[str, tuple[str | tuple[str, ...], float]],
    coordinates: Mapping[str, tuple[float, float]] | None = None,
) -> TopologyModel:
    """A model from links, uplink devices and ``agency -> (device(s), guaranteed_down_mbps)``.

    Link ids are ``u:pN--v:pN`` with ``N`` counting links, so every link has its own ports.
    """
    cols = LinkColumns()
    by_port: dict[tuple[str, str], str] = {}
    for n, raw in enumerate(edges):
        e = raw if isinstance(raw, E) else E(raw[0], raw[1])
        a, b = (e.u, f"p{n}"), (e.v, f"p{n}")
        lid = f"{e.u}:p{n}--{e.v}:p{n}"
        cols.add_link(
            e.u,
            e.v,
            lid,
            a=a,
            b=b,
            medium=e.medium,
            length_km=e.length_km,
            capacity_mbps=e.capacity_mbps,
            utilization_bps=e.utilization_bps,
            planned=True,
            seen=None,
        )
        by_port[a] = by_port[b] = lid
    up = tuple(uplinks)
    for d in up:
        cols.add_node(d)
    ags = {}
    for code, (devs, g_down) in agencies.items():
        devices = (devs,) if isinstance(devs, str) else tuple(devs)
        for d in devices:
            cols.add_node(d)
        ags[code] = AgencyAttachment(code, code, devices, float(g_down), float(g_down) / 2)
    coords = dict(coordinates or {})
    return TopologyModel(
        links=cols,
        agencies=ags,
        uplink_devices=up,
        coordinates=coords,
        device_site={d: d for d in cols.nodes},
        site_coordinates={d: xy for d, xy in coords.items()},
        link_by_port=by_port,
    )


def synthetic_intranet(n_nodes: int, seed: int = 0, agency_share: float = 0.3) -> TopologyModel:
    """A random intranet of about ``n_nodes`` devices: trees plus rings plus wireless spurs.

    Deterministic for a given seed.  Roughly ``agency_share`` of the devices host an agency with
    a guarantee of 5-100 Mbit/s.
    """
    rng = random.Random(seed)
    n_dist = max(3, n_nodes // 250)
    dist = [f"d{i}" for i in range(n_dist)]
    edges: list[E] = []
    for i in range(n_dist):
        edges.append(E(dist[i], dist[(i + 1) % n_dist], rng.uniform(0.5, 4.0), 10000.0))
    nodes = list(dist)
    count = n_dist
    while count < n_nodes:
        if rng.random() < 0.1 and count + 3 <= n_nodes:
            # wireless spur: a chain of 1-3 radio hops to a far site
            base = rng.choice(nodes)
            prev = base
            for _ in range(rng.randint(1, 3)):
                new = f"w{count}"
                count += 1
                edges.append(
                    E(prev, new, rng.uniform(2, 20), rng.choice([150, 200, 300, 400]), "wireless")
                )
                nodes.append(new)
                prev = new
            continue
        parent = rng.choice(nodes[max(0, len(nodes) - 50) :] if rng.random() < 0.7 else nodes)
        new = f"a{count}"
        count += 1
        medium = "copper" if rng.random() < 0.1 else "fiber"
        edges.append(
            E(parent, new, rng.uniform(0.05, 3.0), rng.choice([1000.0, 1000.0, 10000.0]), medium)
        )
        nodes.append(new)
        if rng.random() < 0.08:
            # close a small ring to a nearby device
            other = rng.choice(nodes[max(0, len(nodes) - 30) : -1])
            if other != new:
                edges.append(E(new, other, rng.uniform(0.1, 3.0), 1000.0))
    ags = {}
    for v in nodes:
        if rng.random() < agency_share:
            ags[f"ag-{v}"] = (v, float(rng.randint(5, 100)))
    uplinks = [dist[0]] if rng.random() < 0.5 else [dist[0], dist[n_dist // 2]]
    return model_from_edges(edges, uplinks, ags)


def random_plan_instance(
    n_nodes: int, n_candidates: int, seed: int, n_points: int = 0
) -> tuple[TopologyModel, Candidates]:
    """A small random intranet (a tree with a few extra links, one uplink, an agency on most
    devices) and random candidate segments with costs of 50-150 million Rupiah per km.

    ``n_points`` junction points are added, each with 2-3 candidate segments to devices, so some
    options are chains through a pole.
    """
    rng = random.Random(seed)
    names = [f"n{i}" for i in range(n_nodes)]
    edges: list[E] = []
    for i in range(1, n_nodes):
        edges.append(E(names[rng.randrange(i)], names[i], rng.uniform(0.5, 5.0)))
    for _ in range(max(0, n_nodes // 6)):
        a, b = rng.sample(names, 2)
        edges.append(E(a, b, rng.uniform(0.5, 5.0)))
    ags = {
        f"ag{i}": (names[i], float(rng.randint(5, 100)))
        for i in range(1, n_nodes)
        if rng.random() < 0.8
    }
    model = model_from_edges(edges, [names[0]], ags)
    segs: list[Segment] = []
    seen: set[tuple[str, str]] = set()
    while len(segs) < n_candidates:
        a, b = sorted(rng.sample(names, 2))
        if (a, b) in seen:
            continue
        seen.add((a, b))
        km = rng.uniform(0.3, 8.0)
        cost = km * rng.uniform(50e6, 150e6)
        segs.append(
            Segment(f"s{len(segs)}", a, b, a, b, km, round(cost), "fiber", 1000.0, "synthetic")
        )
    points = {}
    for p in range(n_points):
        pt = f"pole{p}"
        points[pt] = (0.0, 0.0)
        for d in rng.sample(names, rng.randint(2, 3)):
            km = rng.uniform(0.3, 4.0)
            cost = km * rng.uniform(50e6, 150e6)
            segs.append(
                Segment(
                    f"s{len(segs)}",
                    pt,
                    d,
                    f"pt:{pt}",
                    d,
                    km,
                    round(cost),
                    "fiber",
                    1000.0,
                    "synthetic",
                )
            )
    return model, Candidates(tuple(segs), points)
