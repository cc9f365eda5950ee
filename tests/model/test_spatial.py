"""Spatial filters (box, distance, area) against a reference computed here, point by
point: the haversine formula in plain Python and shapely's own point-in-polygon."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.filters import FilterSpec
from timeline_app.model.schema import empty_events
from timeline_app.model.spatial import (
    AreaError,
    area_to_geojson,
    imprecise_mask,
    missing_coordinates,
    parse_bbox,
    parse_near,
    read_area,
)
from timeline_app.model.state import AppState

# (id, lat, lon): Mali places, one on a box edge, one across the antimeridian, two unknown.
PLACES = [
    ("gao", 16.2717, -0.0447),
    ("bamba", 17.0333, -1.4000),
    ("bourem", 16.9553, -0.3500),
    ("timbuktu", 16.7735, -3.0074),
    ("segou", 13.4317, -6.2157),
    ("mopti", 14.4843, -4.1827),
    ("edge", 15.0, -2.0),
    ("fiji", -17.8, 179.5),
    ("no-coords", None, None),
    ("half", 15.0, None),
]


def table_state(places=PLACES, fmt="native") -> AppState:
    n = len(places)
    events = empty_events().reindex(range(n))
    events["id"] = [p[0] for p in places]
    events["title"] = [f"event at {p[0]}" for p in places]
    events["start"] = events["end"] = pd.Timestamp("2023-09-07")
    events["latitude"] = [np.nan if p[1] is None else p[1] for p in places]
    events["longitude"] = [np.nan if p[2] is None else p[2] for p in places]
    precision = [1.0, 2.0, 3.0, 1.0, np.nan, 4.0, 1.0, 1.0, np.nan, np.nan]
    events["geo_precision"] = (precision * (n // len(precision) + 1))[:n]
    state = AppState()
    state.add_dataset(Dataset("fixture", events, LoadReport("native"), format=fmt))
    return state


def shown(state: AppState, **spec) -> set[str]:
    state.set_filter(FilterSpec(**spec))
    return set(state.table.df["id"].to_numpy()[state.visible].astype(str))


def haversine(lat1, lon1, lat2, lon2) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * r * math.asin(math.sqrt(a))


def test_near_keeps_what_the_haversine_reference_keeps():
    state = table_state()
    for km in (0, 60, 100, 170.5, 400, 1000):
        expected = {
            pid
            for pid, lat, lon in PLACES
            if lat is not None and lon is not None and haversine(16.2717, -0.0447, lat, lon) <= km
        }
        assert shown(state, near=(16.2717, -0.0447, km)) == expected, km
    # Gao-Bourem is about 73 km: 60 km leaves it out, 100 keeps it.
    assert shown(state, near=(16.2717, -0.0447, 60)) == {"gao"}
    assert "bourem" in shown(state, near=(16.2717, -0.0447, 100))


def test_near_is_inclusive_at_the_exact_distance():
    state = table_state()
    d = haversine(16.2717, -0.0447, 16.9553, -0.3500)
    assert "bourem" in shown(state, near=(16.2717, -0.0447, d + 1e-9))


def test_bbox_bounds_inclusive_and_across_the_antimeridian():
    state = table_state()
    assert shown(state, bbox=(-2.0, 15.0, 0.0, 17.0)) == {"gao", "bourem", "edge"}
    assert shown(state, bbox=(179.0, -20.0, -179.0, -10.0)) == {"fiji"}


def test_within_matches_shapely_point_by_point_with_holes(tmp_path: Path):
    outer = [(-5.0, 13.0), (1.0, 13.0), (1.0, 18.0), (-5.0, 18.0), (-5.0, 13.0)]
    hole = [(-0.5, 16.0), (0.5, 16.0), (0.5, 16.5), (-0.5, 16.5), (-0.5, 16.0)]  # around Gao
    other = [(-7.0, 13.0), (-6.0, 13.0), (-6.0, 14.0), (-7.0, 14.0), (-7.0, 13.0)]  # Ségou
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [outer, hole]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "MultiPolygon", "coordinates": [[other]]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [0, 0]},
            },
        ],
    }
    path = tmp_path / "area.geojson"
    path.write_text(json.dumps(data))
    area = read_area(path)
    reference = shapely.union_all([shapely.Polygon(outer, [hole]), shapely.Polygon(other)])
    expected = {
        pid
        for pid, lat, lon in PLACES
        if lat is not None and lon is not None and reference.contains(shapely.Point(lon, lat))
    }
    state = table_state()
    assert shown(state, within=area) == expected
    assert "gao" not in expected and "segou" in expected and "timbuktu" in expected


def test_events_without_coordinates_never_pass_and_are_counted():
    state = table_state()
    spec = FilterSpec(bbox=(-180.0, -90.0, 180.0, 90.0))
    assert shown(state, bbox=spec.bbox) == {p[0] for p in PLACES[:8]}
    assert missing_coordinates(state.table, spec) == 2
    # Only those the other filters keep are counted.
    assert missing_coordinates(state.table, spec.with_(text="half")) == 1
    assert missing_coordinates(state.table, FilterSpec()) == 0


def test_spatial_fields_survive_json_and_compare_equal(tmp_path: Path):
    area = read_area_from(tmp_path, [[(-5.0, 13.0), (1.0, 13.0), (1.0, 18.0), (-5.0, 13.0)]])
    spec = FilterSpec(bbox=(-5.0, 10.0, 5.0, 20.0), near=(16.27, -0.04, 60.0), within=area)
    again = FilterSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec and hash(again) == hash(spec)
    assert spec.without("within").within == () and not FilterSpec().with_(bbox=None).bbox


def read_area_from(tmp_path: Path, rings) -> tuple:
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(area_to_geojson(((tuple(map(tuple, rings[0])),),))))
    return read_area(path)


def test_parsing_says_what_is_wrong(tmp_path: Path):
    assert parse_bbox("-5,10,5,20") == (-5.0, 10.0, 5.0, 20.0)
    assert parse_near("16.27, -0.04, 60") == (16.27, -0.04, 60.0)
    for bad in ("1,2,3", "a,b,c,d", "0,20,1,10"):
        with pytest.raises(ValueError):
            parse_bbox(bad)
    with pytest.raises(ValueError):
        parse_near("16,0,-1")
    (tmp_path / "p.geojson").write_text('{"type": "Point", "coordinates": [0, 0]}')
    with pytest.raises(AreaError, match="no Polygon"):
        read_area(tmp_path / "p.geojson")


def test_imprecise_locations_by_the_source_scale():
    acled = imprecise_mask(table_state(fmt="acled").table)
    ucdp = imprecise_mask(table_state(fmt="ucdp").table)
    # geo_precision 1, 2, 3, 1, nan, 4, ...: ACLED from 2, UCDP from 3.
    assert acled[:6].tolist() == [False, True, True, False, False, True]
    assert ucdp[:6].tolist() == [False, False, True, False, False, True]


def test_the_grid_for_many_points_answers_as_the_exact_test():
    """Past GRID_FROM_ROWS points, cells known inside or outside skip the exact test; the
    answer must be the same, for points on edges and vertices too."""
    from timeline_app.model.spatial import GRID_FROM_ROWS, area_geometry

    outer = ((0.0, 0.0), (4.0, 0.0), (4.0, 3.0), (2.0, 5.0), (0.0, 3.0), (0.0, 0.0))
    hole = ((1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0), (1.0, 1.0))
    area = ((outer, hole),)
    rng = np.random.default_rng(7)
    n = 3 * GRID_FROM_ROWS
    lon = np.concatenate([rng.uniform(-0.5, 4.5, n), [0, 4, 2, 1, 1.5, 3, 0.0, 2.0]])
    lat = np.concatenate([rng.uniform(-0.5, 5.5, n), [0, 0, 5, 1, 1.0, 4, 1.5, 2.0]])
    geometry, grid = area_geometry(area)
    fast = grid.contains(geometry, lon, lat)
    exact = shapely.contains_xy(geometry, lon, lat)
    assert (fast == exact).all()
    assert 0.3 < fast.mean() < 0.8
    # And through the filter, over a table that large.
    places = [(f"p{i}", float(y), float(x)) for i, (x, y) in enumerate(zip(lon, lat, strict=True))]
    state = table_state(places)
    state.set_filter(FilterSpec(within=area))
    assert state.visible.tolist() == np.flatnonzero(exact).tolist()


def test_the_world_cells_answer_as_the_exact_test_on_cell_borders_and_across_the_globe():
    """A big table's area filter reads the rows of the cells its box covers (cell_index):
    points on the cells' borders and corners, far outside the box, at the poles and the
    antimeridian answer as shapely does; a continent-sized area is tested the plain way."""
    from timeline_app.model.cell_index import CELL_DEGREES, CellIndex, rows_within
    from timeline_app.model.spatial import area_geometry

    rng = np.random.default_rng(11)
    on_grid = rng.integers(-8, 8, (4000, 2)) * CELL_DEGREES  # every point on a border
    lon = np.concatenate([rng.uniform(-180, 180, 20000), on_grid[:, 0], [-180, 180, 0]])
    lat = np.concatenate([rng.uniform(-90, 90, 20000), on_grid[:, 1], [-90, 90, 0]])
    lon[5], lat[5] = np.nan, 1.0  # unknown
    known = np.isfinite(lon)
    index = CellIndex(lon, lat, known)
    star = ((-3.5, -3.0), (3.0, -2.5), (0.5, 3.5), (-1.0, -4.0), (2.5, 2.0), (-3.5, -3.0))
    square = ((-3.0, -3.0), (3.0, -3.0), (3.0, 3.0), (-3.0, 3.0), (-3.0, -3.0))
    hole = ((-1.2, -1.2), (1.2, -1.2), (1.2, 1.2), (-1.2, 1.2), (-1.2, -1.2))
    apart = ((4.0, -4.0), (6.0, -4.0), (6.0, 4.0), (4.0, -4.0))  # cells in separate runs
    for area in (
        ((star,),),
        (((((-2.0, -2.0), (2.0, -2.0), (2.0, 2.0), (-2.0, -2.0)),),)),
        ((square, hole), (apart,)),
    ):
        geometry = area_geometry(area)[0]
        mask = rows_within(index, geometry, lon, lat, len(lon))
        exact = known & shapely.contains_xy(geometry, np.nan_to_num(lon), lat)
        assert mask is not None and (mask == exact).all() and exact.sum() > 100
    huge = ((((-60.0, -40.0), (60.0, -40.0), (0.0, 50.0), (-60.0, -40.0)),),)
    assert rows_within(index, area_geometry(huge)[0], lon, lat, len(lon)) is None
