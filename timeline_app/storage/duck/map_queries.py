"""What the Map dock asks of a DuckDB dataset, in SQL: the filter's counts and extent,
the points in a view (few enough to draw), events per density cell of a view, and the
events and fatalities per region for the choropleth.

The answers are the memory map's (ui/map/source.py, layers.py): it draws float32
coordinates, so the box and the density cells are computed here on the coordinates
cast to FLOAT with the same float32 arithmetic; a bin is the product truncated toward
zero then clipped, as numpy's ``astype(int32)`` and ``clip`` do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import shapely

from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.schema import CATEGORIES
from timeline_app.model.spatial import IMPRECISE_DEFAULT
from timeline_app.model.units import NS_PER_DAY
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.engine import DuckEngine
from timeline_app.storage.duck.source import VIEW
from timeline_app.storage.duck.where import KNOWN_XY

LON = "CAST(longitude AS FLOAT)"
LAT = "CAST(latitude AS FLOAT)"
#: A place named wider than itself: Parquet inputs are read as the app's own format,
#: whose coordinates the memory engine judges by the default scale (model/spatial.py).
ROUGH = f"(NOT isnan(geo_precision) AND geo_precision >= {sql.number(IMPRECISE_DEFAULT)})"
UNKNOWN_TOLL = "(fatalities IS NULL OR isnan(fatalities))"

Box = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
#: The choropleth's cells (degrees): a region's edge cells are few, and their events too.
REGION_CELL = 0.1


@dataclass(frozen=True)
class Summary:
    """The filter's events as the map counts them (MapSource.filtered, located…)."""

    filtered: int
    located: int
    extent: Box | None
    categories: tuple[str, ...]  # those of the located events
    unknown_toll: bool
    rough_place: bool


def float32(value: float) -> str:
    """A FLOAT literal of ``value`` rounded to float32 (as numpy rounds a bound)."""
    return f"CAST(CAST({sql.number(float(np.float32(value)))} AS DOUBLE) AS FLOAT)"


def box_condition(box: Box) -> str:
    """Located, and inside ``box`` by float32 coordinates (MapSource.rows_in): the
    :func:`wider_box` and :func:`in_box`."""
    return f"{wider_box(box)} AND {in_box(box, known=not _on_globe(box))}"


def wider_box(box: Box) -> str:
    """A box a hair wider than ``box``, on the columns themselves: DuckDB tests it in
    the scan and skips the row groups outside it by their statistics (float32 rounding
    moves a coordinate by less than 2e-5)."""
    x0, y0, x1, y1 = box
    return (
        f"longitude >= {sql.number(x0 - 1e-4)} AND longitude <= {sql.number(x1 + 1e-4)} "
        f"AND latitude >= {sql.number(y0 - 1e-4)} AND latitude <= {sql.number(y1 + 1e-4)}"
    )


def in_box(box: Box, known: bool = True) -> str:
    """Located and inside ``box`` by float32 coordinates (the exact test); ``known``
    False leaves out KNOWN_XY, for rows :func:`wider_box` kept on the globe."""
    x0, y0, x1, y1 = box
    return (
        f"{KNOWN_XY + ' AND ' if known else ''}{LON} >= {float32(x0)} AND {LON} <= {float32(x1)} "
        f"AND {LAT} >= {float32(y0)} AND {LAT} <= {float32(y1)}"
    )


def category_names(engine: DuckEngine) -> list[str]:
    """The categories as the memory engine lists one file's (schema.conform): the
    distinct ones sorted, then the app's own that are missing."""
    found = sorted(engine.distinct("category"))
    return found + [c for c in CATEGORIES if c not in found]


def day_span(engine: DuckEngine) -> tuple[int, int]:
    """The first and last start day (days since 1970) of every event; (0, 0) if none."""
    found = engine.query(f"SELECT epoch_ns(min(start)), epoch_ns(max(start)) FROM {VIEW}")
    lo, hi = found.column(0)[0].as_py(), found.column(1)[0].as_py()
    if lo is None or hi is None:
        return (0, 0)
    return (int(lo) // NS_PER_DAY, int(hi) // NS_PER_DAY)


def summary(engine: DuckEngine, spec: FilterSpec) -> Summary:
    where = engine.where(spec)
    known = f"FILTER (WHERE {KNOWN_XY})"
    row = engine.query(
        f"SELECT count(*), count(*) {known}, min({LON}) {known}, min({LAT}) {known}, "
        f"max({LON}) {known}, max({LAT}) {known}, bool_or({UNKNOWN_TOLL}) {known}, "
        f"bool_or({ROUGH}) {known} FROM {VIEW} WHERE {where}"
    ).to_pylist()[0]
    values = list(row.values())
    located = int(values[1])
    extent: Box | None = None
    if located:
        x0, y0, x1, y1 = (float(v) for v in values[2:6])
        extent = (x0, y0, x1, y1)
    categories = engine.query(
        f"SELECT DISTINCT category FROM {VIEW} WHERE ({where}) AND {KNOWN_XY}"
    ).column(0)
    return Summary(
        filtered=int(values[0]),
        located=located,
        extent=extent,
        categories=tuple(str(c) for c in categories.to_pylist() if c is not None),
        unknown_toll=bool(values[6]),
        rough_place=bool(values[7]),
    )


def pairs_located(engine: DuckEngine, spec: FilterSpec, pair_columns: str) -> bool:
    """Whether some likely-same pair (``pair_columns``: storage/duck/matching.PairTables
    .columns, a paired key's ``match_group``) has both its events kept by ``spec`` and
    located: the memory map's legend names the pairs' mark then, wherever they are."""
    found = engine.query(
        f"SELECT match_group FROM {pair_columns} WHERE key IN "
        f"(SELECT __key FROM {VIEW} WHERE ({engine.where(spec)}) AND {KNOWN_XY}) "
        "GROUP BY match_group HAVING count(*) >= 2 LIMIT 1"
    )
    return found.num_rows > 0


def points(engine: DuckEngine, spec: FilterSpec, box: Box, limit: int) -> pa.Table | None:
    """The located events in ``box`` (lon, lat as FLOAT; fatalities, category,
    rough, start_ns, end_ns, __key), in reading order; None if more than ``limit``.
    The scan tests the wider box; the exact test is a column, kept after it."""
    select = _points_select(spec, engine, f", {in_box(box, known=not _on_globe(box))} AS __in")
    found = engine.query(
        f"SELECT * EXCLUDE (__in) FROM ({select} AND {wider_box(box)}) WHERE __in "
        f"LIMIT {int(limit) + 1}"
    )
    return None if found.num_rows > limit else found


def dense(summary: Summary | None, box: Box, limit: int) -> bool | None:
    """Whether the view holds more than ``limit`` of the filter's events, when its
    summary says so without a query: all of them are in the view (its extent is
    inside ``box``, by the same float32 bounds), or there are not that many at all.
    None: a query must tell."""
    if summary is None:
        return None
    if summary.located <= limit:
        return False
    if summary.extent is None:
        return None
    x0, y0, x1, y1 = (float(np.float32(v)) for v in box)
    e0, f0, e1, f1 = summary.extent  # float32 values already (min/max of FLOAT)
    return True if x0 <= e0 and e1 <= x1 and y0 <= f0 and f1 <= y1 else None


def _points_select(spec: FilterSpec, engine: DuckEngine, more: str = "") -> str:
    return (
        f"SELECT {LON} AS lon, {LAT} AS lat, CAST(fatalities AS DOUBLE) AS fatalities, "
        f"category, coalesce({ROUGH}, false) AS rough, epoch_ns(start) AS start_ns, "
        f'epoch_ns("end") AS end_ns, __key{more} FROM {VIEW} WHERE ({engine.where(spec)})'
    )


def points_near(engine: DuckEngine, spec: FilterSpec, box: Box, limit: int = 10_000) -> pa.Table:
    """:func:`points` in a small box (around a click), first ``limit`` by key."""
    return engine.query(
        f"{_points_select(spec, engine)} AND {box_condition(box)} ORDER BY __key LIMIT {int(limit)}"
    )


def point_of(engine: DuckEngine, spec: FilterSpec, key: int) -> pa.Table:
    """:func:`points`' row of one event, if located and kept by ``spec`` (the focus)."""
    return engine.query(f"{_points_select(spec, engine)} AND {KNOWN_XY} AND __key = {int(key)}")


def paired_points(
    engine: DuckEngine, spec: FilterSpec, box: Box, paired: str, limit: int
) -> pa.Table:
    """:func:`points`' rows of the events in ``box`` that are in a likely-same pair
    (``paired``: the search's table of their keys), the first ``limit`` by key: the
    pairs' halos and lines over a density."""
    select = _points_select(spec, engine, f", {in_box(box, known=not _on_globe(box))} AS __in")
    return engine.query(
        f"SELECT * EXCLUDE (__in) FROM ({select} AND {wider_box(box)} "
        f"AND __key IN (SELECT key FROM {paired})) WHERE __in ORDER BY __key LIMIT {int(limit)}"
    )


def points_of_keys(engine: DuckEngine, spec: FilterSpec, keys: np.ndarray) -> pa.Table:
    """:func:`points`' rows of the events of ``keys`` that ``spec`` keeps and that are
    located, wherever they are (the likely-same partners of a view's events)."""
    table = engine.key_table(keys)
    return engine.query(
        f"{_points_select(spec, engine)} AND {KNOWN_XY} "
        f"AND __key IN (SELECT key FROM {table}) ORDER BY __key"
    )


def density(engine: DuckEngine, spec: FilterSpec, box: Box, nx: int, ny: int) -> np.ndarray:
    """Events per cell of an ``ny`` × ``nx`` grid over ``box`` (rows south to north),
    counted by a GROUP BY (DensityImage.show_density's bins). Only the wider box is a
    condition (tested in the scan); the exact float32 test is part of the cell's
    expression (-1 outside), so the float32 coordinates are made once per row."""
    x0, y0, x1, y1 = box
    # Inside the box a bin is never below 0 (float32 subtraction keeps the sign): only
    # the far edge needs clipping, as numpy's clip does there.
    ix = _bin(LON, x0, nx / (x1 - x0), nx, low=False)
    iy = _bin(LAT, y0, ny / (y1 - y0), ny, low=False)
    cell = f"CASE WHEN {in_box(box, known=not _on_globe(box))} THEN {iy} * {int(nx)} + {ix} ELSE -1 END"
    found = engine.query(
        f"SELECT {cell} AS cell, count(*) AS n FROM {VIEW} "
        f"WHERE ({engine.where(spec)}) AND {wider_box(box)} GROUP BY cell"
    )
    counts = np.zeros(nx * ny, dtype=np.int64)
    cells = found.column("cell").to_numpy().astype(np.int64)
    inside = cells >= 0
    counts[cells[inside]] = found.column("n").to_numpy()[inside]
    return counts.reshape(ny, nx)


def _bin(column: str, origin: float, scale: float, n: int, low: bool = True) -> str:
    cell = f"CAST(trunc(({column} - {float32(origin)}) * {float32(scale)}) AS INTEGER)"
    return f"least(greatest({cell}, 0), {int(n) - 1})" if low else f"least({cell}, {int(n) - 1})"


def _on_globe(box: Box) -> bool:
    """The wider box lies on the globe: a row it keeps has finite coordinates within
    ±90° and ±180° (NaN and infinities fail its comparisons), so KNOWN_XY holds."""
    x0, y0, x1, y1 = box
    return x0 - 1e-4 >= -180 and x1 + 1e-4 <= 180 and y0 - 1e-4 >= -90 and y1 + 1e-4 <= 90


def region_totals(
    engine: DuckEngine, spec: FilterSpec, geometries: Sequence[Any]
) -> tuple[np.ndarray, np.ndarray]:
    """(events, known fatalities) inside each (prepared) geometry: BoundaryLayer.totals
    of the filter's located events at their float32 places, without reading them all.

    The events are counted per small cell of the layer's box by a GROUP BY; a cell
    properly inside a region counts whole, one apart from it not at all, and only the
    events of the cells on a region's edge are read (per distinct place) and tested
    exactly. Cells are grown by a hair (a point that rounding puts in the next cell is
    still in the one it was classified with), as model/cell_index.py does."""
    events, tolls = np.zeros(len(geometries)), np.zeros(len(geometries))
    shapes = [g for g in geometries if g is not None]
    if not shapes:
        return events, tolls
    pad = 1e-3  # float32 rounding at the layer's edge must not leave a place out
    x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(shapes))
    box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    width = int(math.ceil((box[2] - box[0]) / REGION_CELL)) + 1
    cell = (
        f"(CAST(floor((CAST({LAT} AS DOUBLE) - {sql.number(box[1])}) / {REGION_CELL}) AS BIGINT)"
        f" * {width} + CAST(floor((CAST({LON} AS DOUBLE) - {sql.number(box[0])}) / "
        f"{REGION_CELL}) AS BIGINT))"
    )
    where = f"({engine.where(spec)}) AND {box_condition(box)}"
    known = f"sum(fatalities) FILTER (WHERE NOT {UNKNOWN_TOLL})"
    found = engine.query(
        f"SELECT {cell} AS cell, count(*) AS n, {known} AS f FROM {VIEW} "
        f"WHERE {where} GROUP BY cell"
    )
    cells = found.column("cell").to_numpy().astype(np.int64)
    counts = found.column("n").to_numpy().astype(np.float64)
    sums = np.nan_to_num(found.column("f").to_numpy(zero_copy_only=False).astype(np.float64))
    left = box[0] + (cells % width) * REGION_CELL
    bottom = box[1] + (cells // width) * REGION_CELL
    eps = 1e-6 * REGION_CELL
    edges: list[tuple[int, np.ndarray]] = []
    for k, geom in enumerate(geometries):
        if geom is None:
            continue
        gx0, gy0, gx1, gy1 = (float(v) for v in shapely.bounds(geom))
        near = np.flatnonzero(
            (left <= gx1)
            & (left + REGION_CELL >= gx0)
            & (bottom <= gy1)
            & (bottom + REGION_CELL >= gy0)
        )
        boxes = shapely.box(
            left[near] - eps,
            bottom[near] - eps,
            left[near] + REGION_CELL + eps,
            bottom[near] + REGION_CELL + eps,
        )
        inside = shapely.contains_properly(geom, boxes)
        edge = ~inside & shapely.intersects(geom, boxes)
        events[k] += counts[near[inside]].sum()
        tolls[k] += sums[near[inside]].sum()
        if edge.any():
            edges.append((k, cells[near[edge]]))
    if not edges:
        return events, tolls
    on_edge = np.unique(np.concatenate([c for _k, c in edges]))
    places = engine.query(
        f"SELECT {LON} AS lon, {LAT} AS lat, {cell} AS cell, count(*) AS n, {known} AS f "
        f"FROM {VIEW} WHERE {where} AND {cell} IN ({', '.join(str(int(c)) for c in on_edge)}) "
        "GROUP BY ALL"
    )
    lon = places.column("lon").to_numpy().astype(np.float64)
    lat = places.column("lat").to_numpy().astype(np.float64)
    where_cell = places.column("cell").to_numpy().astype(np.int64)
    n = places.column("n").to_numpy().astype(np.float64)
    f = np.nan_to_num(places.column("f").to_numpy(zero_copy_only=False).astype(np.float64))
    for k, edge_cells in edges:
        rows = np.flatnonzero(np.isin(where_cell, edge_cells))
        hit = rows[shapely.contains_xy(geometries[k], lon[rows], lat[rows])]
        events[k] += n[hit].sum()
        tolls[k] += f[hit].sum()
    return events, tolls
