"""Candidate fiber segments for the planner: ``routes.yaml`` and GeoJSON LineStrings.

A segment runs between two *places*: a device hostname, an inventory site (served by its main
device) or a point declared in the file (a pole, a duct junction, a new site).  Its length is, in
order of preference: ``length_km`` as given, the length of its geometry (GeoJSON ``[lon, lat]``
pairs, great-circle), or the straight line between its ends times ``detour_factor``.  Cost is
``length_km * cost_idr_per_km`` (Rupiah).  Example::

    version: 1
    detour_factor: 1.3
    points:
      - {name: kec-selatan, latitude: -8.16, longitude: 115.07}
    segments:
      - {name: dc-selatan, a: dc, b: kec-selatan, cost_idr_per_km: 90000000}
    geojson: [roads.geojson]

Errors name the file and line (:class:`RoutesError`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from netops.errors import InventoryError, Problem, TopologyError
from netops.inventory.schema import Name
from netops.inventory.yamlmap import LineMap, format_path, load_yaml_with_lines
from topology.model import TopologyModel

EARTH_RADIUS_KM = 6371.0088
SNAP_KM = 0.2
"""A GeoJSON line end without ``a``/``b`` snaps to the nearest place within this distance."""


class RoutesError(TopologyError):
    """The candidate-segments file is invalid; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PointSpec(_Strict):
    name: Name
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    kind: str = "junction"


class SegmentSpec(_Strict):
    name: Name
    a: Name
    b: Name
    cost_idr_per_km: Annotated[float, Field(ge=0)]
    length_km: Annotated[float, Field(gt=0, le=500)] | None = None
    geometry: tuple[tuple[float, float], ...] | None = None
    medium: str = "fiber"
    capacity_mbps: Annotated[float, Field(gt=0)] = 1000.0
    detour_factor: Annotated[float, Field(ge=1, le=5)] | None = None


class RoutesDoc(_Strict):
    version: Annotated[int, Field(ge=1, le=1)] = 1
    detour_factor: Annotated[float, Field(ge=1, le=5)] = 1.3
    points: tuple[PointSpec, ...] = ()
    segments: tuple[dict[str, Any], ...] = ()
    """Raw mappings, validated one by one so that every bad segment is reported."""
    geojson: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    """A candidate segment resolved to graph nodes: ``u``/``v`` are device hostnames or
    ``pt:<point>``; ``cost_idr`` is the whole segment's cost in Rupiah."""

    name: str
    a: str
    b: str
    u: str
    v: str
    length_km: float
    cost_idr: float
    medium: str
    capacity_mbps: float
    source: str


@dataclass(frozen=True)
class Candidates:
    """Resolved segments and the declared points (``name -> (latitude, longitude)``)."""

    segments: tuple[Segment, ...]
    points: dict[str, tuple[float, float]]


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two ``(latitude, longitude)`` in degrees."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def polyline_km(coords: tuple[tuple[float, float], ...] | list[list[float]]) -> float:
    """Length in km of a GeoJSON ``[lon, lat]`` line."""
    pts = [(float(c[1]), float(c[0])) for c in coords]
    return sum(haversine_km(pts[i], pts[i + 1]) for i in range(len(pts) - 1))


def _pydantic_problems(
    exc: ValidationError, name: str, lines: LineMap, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{loc[-1]}'"
        elif err["type"] == "missing":
            msg = f"missing required key '{loc[-1]}'"
        out.append(Problem(name, lines.line(loc), format_path(loc), msg))
    return out


def parse_routes(path: Path) -> tuple[RoutesDoc, LineMap]:
    """Read and validate ``routes.yaml``; raise :class:`RoutesError` naming file and line."""
    try:
        data, lines = load_yaml_with_lines(path)
    except InventoryError as exc:
        raise RoutesError(exc.problems) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RoutesError([Problem(str(path), 1, "", "routes file must be a YAML mapping")])
    try:
        return RoutesDoc.model_validate(data), lines
    except ValidationError as exc:
        raise RoutesError(_pydantic_problems(exc, str(path), lines)) from None


def _geojson_segments(path: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Features of a GeoJSON file as segment dicts (``geometry`` kept as the coordinates)."""
    name = str(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], [Problem(name, 0, "", "file not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(name, 0, "", f"cannot read file: {exc}")]
    except json.JSONDecodeError as exc:
        return [], [Problem(name, exc.lineno, "", f"invalid JSON: {exc.msg}")]
    feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(feats, list):
        return [], [Problem(name, 1, "", "expected a GeoJSON FeatureCollection")]
    out, problems = [], []
    for i, f in enumerate(feats):
        geom = (f or {}).get("geometry") or {}
        props = dict((f or {}).get("properties") or {})
        if geom.get("type") != "LineString" or len(geom.get("coordinates") or []) < 2:
            problems.append(Problem(name, 0, f"features[{i}]", "expected a LineString geometry"))
            continue
        props.setdefault("name", f"{path.stem}-{i}")
        props["geometry"] = [tuple(c[:2]) for c in geom["coordinates"]]
        props["_where"] = f"{name} features[{i}]"
        out.append(props)
    return out, problems


def resolve_candidates(model: TopologyModel, path: Path) -> Candidates:
    """Load ``routes.yaml`` (and the GeoJSON files it names), or a bare ``.geojson`` file, and
    resolve every segment's ends.

    Raises :class:`RoutesError` listing unknown places, missing lengths and invalid entries.
    """
    if path.suffix.lower() in (".geojson", ".json"):
        # a bare GeoJSON file: its lines are the candidates, with the default detour factor
        doc, lines = RoutesDoc(geojson=(path.name,)), LineMap({(): 1})
    else:
        doc, lines = parse_routes(path)
    name = str(path)
    problems: list[Problem] = []
    places: dict[str, tuple[str, tuple[float, float] | None]] = {}
    for dev, xy in ((d, model.coordinates.get(d)) for d in model.graph.nodes):
        places[dev] = (dev, xy)
    for site, xy in model.site_coordinates.items():
        if site in places:
            continue
        try:
            places[site] = (model.site_device(site), xy)
        except TopologyError:
            places[site] = (f"pt:{site}", xy)
    points: dict[str, tuple[float, float]] = {}
    for i, p in enumerate(doc.points):
        if p.name in places:
            problems.append(
                Problem(
                    name,
                    lines.line(("points", i, "name")),
                    f"points[{i}].name",
                    f"point {p.name!r} clashes with a device or site name",
                )
            )
            continue
        places[p.name] = (f"pt:{p.name}", (p.latitude, p.longitude))
        points[p.name] = (p.latitude, p.longitude)

    raw: list[tuple[dict[str, Any], str, int]] = []
    for i, item in enumerate(doc.segments):
        try:
            spec = SegmentSpec.model_validate(item).model_dump()
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, name, lines, ("segments", i)))
            continue
        raw.append((spec, f"segments[{i}]", lines.line(("segments", i))))
    for g in doc.geojson:
        feats, probs = _geojson_segments((path.parent / g).resolve())
        problems.extend(probs)
        for f in feats:
            raw.append((f, f.pop("_where"), 0))

    segments: list[Segment] = []
    seen_names: set[str] = set()
    for spec, where, line in raw:
        try:
            s = SegmentSpec.model_validate(spec) if "a" in spec and "b" in spec else None
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                problems.append(
                    Problem(
                        name if line else where,
                        line,
                        where,
                        f"{'.'.join(map(str, err['loc']))}: {err['msg']}",
                    )
                )
            continue
        if s is None:
            s = _snap(spec, places, problems, where)
            if s is None:
                continue
        file_ = name if line else where
        if s.name in seen_names:
            problems.append(Problem(file_, line, where, f"duplicate segment name {s.name!r}"))
            continue
        seen_names.add(s.name)
        ends = []
        for end in (s.a, s.b):
            if end not in places:
                problems.append(
                    Problem(
                        file_, line, where, f"unknown place {end!r} (not a device, site or point)"
                    )
                )
            else:
                ends.append(places[end])
        if len(ends) != 2:
            continue
        (u, xy_a), (v, xy_b) = ends
        if u == v:
            problems.append(Problem(file_, line, where, f"segment joins {s.a!r} to the same node"))
            continue
        if s.length_km is not None:
            length = s.length_km
        elif s.geometry:
            length = polyline_km(s.geometry)
        elif xy_a is not None and xy_b is not None:
            length = haversine_km(xy_a, xy_b) * (s.detour_factor or doc.detour_factor)
        else:
            problems.append(
                Problem(file_, line, where, "no length_km, geometry or coordinates for both ends")
            )
            continue
        segments.append(
            Segment(
                s.name,
                s.a,
                s.b,
                u,
                v,
                round(length, 4),
                round(length * s.cost_idr_per_km, 0),
                s.medium,
                s.capacity_mbps,
                f"{file_}:{line}" if line else where,
            )
        )
    if problems:
        raise RoutesError(problems)
    return Candidates(tuple(segments), points)


def _snap(
    spec: dict[str, Any],
    places: dict[str, tuple[str, tuple[float, float] | None]],
    problems: list[Problem],
    where: str,
) -> SegmentSpec | None:
    """Fill a GeoJSON feature's missing ``a``/``b`` with the place nearest each line end."""
    coords = spec.get("geometry") or []
    ends = {"a": coords[0], "b": coords[-1]}
    for key, (lon, lat) in ends.items():
        if key in spec:
            continue
        best, best_km = None, SNAP_KM
        for pname, (_node, xy) in places.items():
            if xy is None:
                continue
            d = haversine_km((lat, lon), xy)
            if d <= best_km:
                best, best_km = pname, d
        if best is None:
            problems.append(
                Problem(
                    where,
                    0,
                    where,
                    f"line end {key} ({lat}, {lon}) is not within {SNAP_KM} km of a site or "
                    f"point; give '{key}'",
                )
            )
            return None
        spec[key] = best
    try:
        return SegmentSpec.model_validate(spec)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problems.append(
                Problem(where, 0, where, f"{'.'.join(map(str, err['loc']))}: {err['msg']}")
            )
        return None
