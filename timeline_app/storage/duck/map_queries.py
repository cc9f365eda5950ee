"""What the Map dock asks of a DuckDB dataset, in SQL: the filter's counts and extent,
the points in a view (few enough to draw), events per density cell of a view, and the
events per place for the choropleth.

The answers are the memory map's (ui/map/source.py, layers.py): it draws float32
coordinates, so the box and the density cells are computed here on the coordinates
cast to FLOAT with the same float32 arithmetic; a bin is the product truncated toward
zero then clipped, as numpy's ``astype(int32)`` and ``clip`` do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

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
    """Located, and inside ``box`` by float32 coordinates (MapSource.rows_in)."""
    x0, y0, x1, y1 = box
    return (
        f"{KNOWN_XY} AND {LON} >= {float32(x0)} AND {LON} <= {float32(x1)} "
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
    extent = tuple(float(v) for v in values[2:6]) if located else None
    categories = engine.query(
        f"SELECT DISTINCT category FROM {VIEW} WHERE ({where}) AND {KNOWN_XY}"
    ).column(0)
    return Summary(
        filtered=int(values[0]),
        located=located,
        extent=extent,  # type: ignore[arg-type]
        categories=tuple(str(c) for c in categories.to_pylist() if c is not None),
        unknown_toll=bool(values[6]),
        rough_place=bool(values[7]),
    )


def points(engine: DuckEngine, spec: FilterSpec, box: Box, limit: int) -> pa.Table | None:
    """The located events in ``box`` (lon, lat as FLOAT; fatalities, category,
    rough, start_ns, end_ns, __key), in reading order; None if more than ``limit``."""
    found = engine.query(
        f"SELECT {LON} AS lon, {LAT} AS lat, CAST(fatalities AS DOUBLE) AS fatalities, "
        f"category, coalesce({ROUGH}, false) AS rough, epoch_ns(start) AS start_ns, "
        f'epoch_ns("end") AS end_ns, __key FROM {VIEW} '
        f"WHERE ({engine.where(spec)}) AND {box_condition(box)} LIMIT {int(limit) + 1}"
    )
    return None if found.num_rows > limit else found


def density(engine: DuckEngine, spec: FilterSpec, box: Box, nx: int, ny: int) -> np.ndarray:
    """Events per cell of an ``ny`` × ``nx`` grid over ``box`` (rows south to north),
    counted by a GROUP BY (DensityImage.show_density's bins)."""
    x0, y0, x1, y1 = box
    ix = _bin(LON, x0, nx / (x1 - x0), nx)
    iy = _bin(LAT, y0, ny / (y1 - y0), ny)
    found = engine.query(
        f"SELECT {iy} * {int(nx)} + {ix} AS cell, count(*) AS n FROM {VIEW} "
        f"WHERE ({engine.where(spec)}) AND {box_condition(box)} GROUP BY cell"
    )
    counts = np.zeros(nx * ny, dtype=np.int64)
    cells = found.column("cell").to_numpy().astype(np.int64)
    counts[cells] = found.column("n").to_numpy()
    return counts.reshape(ny, nx)


def _bin(column: str, origin: float, scale: float, n: int) -> str:
    cell = f"CAST(trunc(({column} - {float32(origin)}) * {float32(scale)}) AS INTEGER)"
    return f"least(greatest({cell}, 0), {int(n) - 1})"


def places(
    engine: DuckEngine, spec: FilterSpec, bounds: Box
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lon, lat, events, known fatalities) per distinct float32 place in ``bounds``:
    what the choropleth sums per region, grouped so that millions of events at
    thousands of places come back as thousands of rows."""
    found = engine.query(
        f"SELECT {LON} AS lon, {LAT} AS lat, count(*) AS n, "
        f"sum(fatalities) FILTER (WHERE NOT {UNKNOWN_TOLL}) AS f FROM {VIEW} "
        f"WHERE ({engine.where(spec)}) AND {box_condition(bounds)} GROUP BY ALL"
    )
    lon = found.column("lon").to_numpy().astype(np.float64)
    lat = found.column("lat").to_numpy().astype(np.float64)
    events = found.column("n").to_numpy().astype(np.float64)
    fatalities = found.column("f").to_numpy(zero_copy_only=False).astype(np.float64)
    return lon, lat, events, fatalities
