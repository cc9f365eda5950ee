"""The Map dock's SQL (storage/duck/map_queries.py) against the memory map's own
arithmetic, on many events placed on the cells' and the regions' edges: the same
points in a box, the same density counts, the same totals per region."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from timeline_app.formats.registry import load
from timeline_app.model.boundaries import bundled_layers
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.storage.convert import convert
from timeline_app.storage.duck.engine import DuckEngine
from timeline_app.storage.duck.map_queries import (
    REGION_CELL,
    box_condition,
    dense,
    density,
    points,
    region_totals,
    summary,
)

ROWS = 6000


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("duckmapsql")
    rng = np.random.default_rng(7)
    lon = rng.uniform(-12.0, 4.0, ROWS)
    lat = rng.uniform(10.0, 25.0, ROWS)
    # A third exactly on the region cells' borders (and their corners).
    edge = rng.random(ROWS) < 0.3
    lon[edge] = np.round(lon[edge] / REGION_CELL) * REGION_CELL
    lat[edge[::-1]] = np.round(lat[edge[::-1]] / REGION_CELL) * REGION_CELL
    fatalities = rng.integers(0, 30, ROWS).astype(float)
    fatalities[rng.random(ROWS) < 0.2] = np.nan
    lat[:5] = np.nan  # unknown places
    frame = pd.DataFrame(
        {
            "id": [f"m{i}" for i in range(ROWS)],
            "category": rng.choice(["attack", "statement", "protest"], ROWS),
            "start": "2023-09-07",
            "title": "an event",
            "latitude": lat,
            "longitude": lon,
            "fatalities": fatalities,
            "geo_precision": rng.choice([1.0, 2.0, 3.0, np.nan], ROWS),
        }
    )
    csv_path = folder / "many.csv"
    frame.to_csv(csv_path, index=False)
    parquet = folder / "many.parquet"
    convert([load(csv_path, use_cache=False)], parquet)
    duck = DuckEngine(parquet)
    yield duck, frame
    duck.close()


def memory_arrays(frame: pd.DataFrame):
    """The memory map's arrays: float32 places, located (ui/map/source.MapSource)."""
    lon64, lat64 = frame["longitude"].to_numpy(float), frame["latitude"].to_numpy(float)
    known = np.isfinite(lon64) & np.isfinite(lat64)
    return lon64.astype(np.float32), lat64.astype(np.float32), known


def test_points_and_density_are_the_memory_maps(engine):
    duck, frame = engine
    lon, lat, known = memory_arrays(frame)
    box = (-8.123456789, 12.3456789, 1.98765, 21.5)
    inside = known & (lon >= box[0]) & (lon <= box[2]) & (lat >= box[1]) & (lat <= box[3])
    found = points(duck, FilterSpec(), box, ROWS)
    assert found is not None and found.num_rows == int(inside.sum())
    assert points(duck, FilterSpec(), box, found.num_rows - 1) is None  # past the limit
    assert duck.count() == ROWS and "latitude" in box_condition(box)
    nx, ny = 97, 61
    ix = ((lon[inside] - np.float32(box[0])) * np.float32(nx / (box[2] - box[0]))).astype(np.int32)
    iy = ((lat[inside] - np.float32(box[1])) * np.float32(ny / (box[3] - box[1]))).astype(np.int32)
    np.clip(ix, 0, nx - 1, out=ix)
    np.clip(iy, 0, ny - 1, out=iy)
    expected = np.bincount(iy * nx + ix, minlength=nx * ny).reshape(ny, nx)
    assert np.array_equal(density(duck, FilterSpec(), box, nx, ny), expected)


@pytest.mark.parametrize("key", ["mali_adm1", "mali_adm2"])
def test_region_totals_are_the_memory_maps(engine, key):
    duck, frame = engine
    lon, lat, known = memory_arrays(frame)
    layer = next(layer for layer in bundled_layers() if layer.key == key)
    tolls = frame["fatalities"].to_numpy(float)[known]
    x, y = lon[known].astype(np.float64), lat[known].astype(np.float64)
    events, fatalities = region_totals(duck, FilterSpec(), layer.geometries())
    assert events.tolist() == layer.totals(x, y).tolist() and events.sum() > 100
    assert fatalities.tolist() == layer.totals(x, y, tolls).tolist()
    # A filter: the regions count only what it keeps.
    spec = FilterSpec(categories=("attack",))
    kept = (frame["category"].to_numpy() == "attack")[known]
    events, _ = region_totals(duck, spec, layer.geometries())
    assert events.tolist() == layer.totals(x[kept], y[kept]).tolist()


def test_the_summary_counts_what_the_memory_map_says(engine):
    duck, frame = engine
    lon, lat, known = memory_arrays(frame)
    found = summary(duck, FilterSpec())
    assert (found.filtered, found.located) == (ROWS, int(known.sum()))
    assert found.extent == (
        float(lon[known].min()),
        float(lat[known].min()),
        float(lon[known].max()),
        float(lat[known].max()),
    )
    assert set(found.categories) == {"attack", "statement", "protest"}
    assert found.unknown_toll and found.rough_place


def test_the_summary_tells_a_dense_view_only_when_it_is_sure(engine):
    """map_queries.dense (the map then asks the density without the points first):
    True only when every located event of the filter is in the view and there are more
    than the limit, False when the filter has no more than the limit; else None. Each
    answer checked against the points query it spares."""
    duck, _frame = engine
    found = summary(duck, FilterSpec())
    assert found.extent is not None
    extent = found.extent  # float32 bounds: the tightest box holding them all
    limit = found.located - 1
    assert dense(found, extent, limit) is True and points(duck, FilterSpec(), extent, limit) is None
    assert dense(found, extent, found.located) is False
    assert points(duck, FilterSpec(), extent, found.located).num_rows == found.located
    x0, y0, x1, y1 = extent
    smaller = (x0 + 1e-3, y0, x1, y1)  # an event may be outside: a query must tell
    assert dense(found, smaller, limit) is None
    assert points(duck, FilterSpec(), smaller, limit) is not None  # fewer: its points
    assert dense(None, extent, limit) is None
    few = summary(duck, FilterSpec(categories=("attack",), regions=("nowhere",)))
    assert dense(few, extent, 0) is False and few.located == 0


def test_places_off_the_globe_are_never_in_a_box_that_leaves_it(tmp_path: Path):
    """A box past ±180° or ±90° (a world view and its margin) keeps the known-place
    test (a box on the globe needs none: its comparisons drop every other place): a
    latitude of 95° or a longitude of 190° is no point and no density count."""
    frame = pd.DataFrame(
        {
            "id": [f"g{i}" for i in range(6)],
            "category": "attack",
            "start": "2023-09-07",
            "title": "an event",
            "latitude": [95.0, 10.0, -91.0, 12.0, 14.0, np.nan],
            "longitude": [0.0, 190.0, 5.0, -179.5, 179.9, 3.0],
            "fatalities": 1.0,
            "geo_precision": 1.0,
        }
    )
    csv_path = tmp_path / "globe.csv"
    frame.to_csv(csv_path, index=False)
    parquet = tmp_path / "globe.parquet"
    convert([load(csv_path, use_cache=False)], parquet)
    duck = DuckEngine(parquet)
    try:
        for box in ((-200.0, -100.0, 200.0, 100.0), (-180.0, -90.0, 180.0, 90.0)):
            found = points(duck, FilterSpec(), box, 100)
            assert found is not None and sorted(found.column("lat").to_pylist()) == [12.0, 14.0]
            assert int(density(duck, FilterSpec(), box, 40, 20).sum()) == 2
        assert summary(duck, FilterSpec()).located == 2
    finally:
        duck.close()
