"""Candidate segments: lengths from given values, geometry or detoured straight lines; errors
with file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.inventory.loader import load_inventory
from topology.model import build_model
from topology.routes import RoutesError, haversine_km, resolve_candidates

MINI = Path(__file__).parents[1] / "fixtures" / "mini-inventory.yaml"


@pytest.fixture(scope="module")
def model():
    return build_model(load_inventory(MINI).inventory)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "routes.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_one_hundredth_of_a_degree_of_latitude_is_1_11_km():
    assert haversine_km((0.0, 0.0), (0.01, 0.0)) == pytest.approx(1.112, abs=1e-3)


def test_lengths_come_from_length_geometry_or_detoured_straight_line(tmp_path, model):
    p = _write(
        tmp_path,
        """
detour_factor: 1.5
points:
  - {name: pole1, latitude: -8.1120, longitude: 115.0980}
segments:
  - {name: given, a: rsud, b: kec-utara, length_km: 7.0, cost_idr_per_km: 100000000}
  - {name: straight, a: dc, b: pole1, cost_idr_per_km: 60000000}
  - name: drawn
    a: pole1
    b: rsud-gw
    cost_idr_per_km: 80000000
    geometry: [[115.0980, -8.1120], [115.0980, -8.1180], [115.0930, -8.1180]]
""",
    )
    c = resolve_candidates(model, p)
    by = {s.name: s for s in c.segments}
    assert (by["given"].u, by["given"].v, by["given"].cost_idr) == ("rsud-gw", "ptp-utara", 7e8)
    # dc is served by its core device; pole1 is a new point
    assert (by["straight"].u, by["straight"].v) == ("core1", "pt:pole1")
    assert by["straight"].length_km == pytest.approx(
        1.5 * haversine_km((-8.1120, 115.0880), (-8.1120, 115.0980)), abs=1e-3
    )
    leg1 = haversine_km((-8.1120, 115.0980), (-8.1180, 115.0980))
    leg2 = haversine_km((-8.1180, 115.0980), (-8.1180, 115.0930))
    assert by["drawn"].length_km == pytest.approx(leg1 + leg2, abs=1e-3)
    assert c.points == {"pole1": (-8.1120, 115.0980)}


def test_geojson_lines_snap_their_ends_to_nearby_places(tmp_path, model):
    feats = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "road1", "cost_idr_per_km": 70000000},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[115.0881, -8.1121], [115.1200, -8.0900], [115.1500, -8.0700]],
                },
            }
        ],
    }
    (tmp_path / "roads.geojson").write_text(json.dumps(feats), encoding="utf-8")
    p = _write(tmp_path, "geojson: [roads.geojson]\n")
    (seg,) = resolve_candidates(model, p).segments
    assert (seg.a, seg.b, seg.u, seg.v) == ("dc", "kec-utara", "core1", "ptp-utara")
    # the same file given directly instead of through routes.yaml
    (direct,) = resolve_candidates(model, tmp_path / "roads.geojson").segments
    assert direct == seg


def test_geojson_line_far_from_any_place_needs_explicit_ends(tmp_path, model):
    line = {"type": "LineString", "coordinates": [[110.0, -7.0], [110.1, -7.1]]}
    feats = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": line, "properties": {"cost_idr_per_km": 1}}],
    }
    (tmp_path / "far.geojson").write_text(json.dumps(feats), encoding="utf-8")
    with pytest.raises(RoutesError, match="features\\[0\\].*not within 0.2 km"):
        resolve_candidates(model, tmp_path / "far.geojson")


def test_every_problem_is_reported_with_its_line(tmp_path, model):
    p = _write(
        tmp_path,
        """segments:
  - {name: s1, a: dc, b: nowhere, cost_idr_per_km: 1}
  - {name: s2, a: dc, b: rsud, cost_idr_per_km: -5}
  - {name: s3, a: dc, b: rsud, cost_idr_per_km: 1, colour: red}
""",
    )
    with pytest.raises(RoutesError) as err:
        resolve_candidates(model, p)
    text = str(err.value)
    assert f"{p}:2" in text and "unknown place 'nowhere'" in text
    assert f"{p}:3" in text and "cost_idr_per_km" in text
    assert f"{p}:4" in text and "unknown key 'colour'" in text


def test_yaml_syntax_error_names_the_line(tmp_path, model):
    p = _write(tmp_path, "segments:\n  - {name: s1, a: dc\n")
    with pytest.raises(RoutesError, match=rf"{p.name}:\d+"):
        resolve_candidates(model, p)
