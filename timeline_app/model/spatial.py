"""Where: the spatial filters' kernels (box, distance, area) and what they need.

The filter spec (model/filters.py) holds the spatial fields; the masks are computed
here, vectorised over the coordinate arrays: a box is four comparisons, a distance
the haversine formula, an area shapely 2's ``contains_xy`` over a prepared geometry.
An event without coordinates never passes a spatial filter; :func:`missing_coordinates`
says how many were left out for that reason.

Areas are kept as plain nested tuples, ``((ring, hole, ...), ...)`` with rings of
``(lon, lat)`` pairs, so that a spec stays hashable, comparable (undo) and JSON-ready
(workspaces, provenance).
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from timeline_app.model.cell_index import cell_index, rows_within
from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import Area
from timeline_app.model.messages import N_
from timeline_app.model.table_cache import PerTable
from timeline_app.model.units import EARTH_RADIUS_KM

#: Mean Earth radius (IUGG), km: the great-circle distance of ``near``.


#: The spec's spatial fields, with their "no constraint" values.
SPATIAL_FIELDS = {"bbox": None, "near": None, "within": (), "within_name": ""}
#: The changes that remove one spatial filter (a chip's ✕).
SPATIAL_RESET = {
    "bbox": {"bbox": None},
    "near": {"near": None},
    "within": {"within": (), "within_name": ""},
}

#: From which ``geo_precision`` on a dataset's coordinates name a wider area than a
#: place, by the source's own scale: ACLED 2 (near the place or its district) and 3
#: (province); UCDP ``where_prec`` 3 (district) to 7; GTD ``specificity`` 3 to 5; GDELT
#: mapped by its reader to 3 (province) and 4 (country). Other formats: the ACLED scale.
IMPRECISE_FROM = {"acled": 2.0, "ucdp": 3.0, "gtd": 3.0, "gdelt": 3.0}
IMPRECISE_DEFAULT = 2.0


class AreaError(ValueError):
    """A GeoJSON area that cannot be used (one line, for the user)."""


# -- coordinates ----------------------------------------------------------------------------
class _Coordinates:
    """A table's longitude and latitude as float64 arrays and where both are known."""

    def __init__(self, table: EventTable) -> None:
        df = table.df
        self.lon = df["longitude"].to_numpy(dtype=np.float64, na_value=np.nan)
        self.lat = df["latitude"].to_numpy(dtype=np.float64, na_value=np.nan)
        self.known = known_xy(self.lon, self.lat)
        self.known.flags.writeable = False


_COORDS = PerTable[_Coordinates]("spatial: coordinates")


def coordinates(table: EventTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lon, lat, known) of every row, computed once per table."""
    found = _COORDS.get(table, lambda: _Coordinates(table))
    return found.lon, found.lat, found.known


def imprecise_mask(table: EventTable) -> np.ndarray:
    """Rows whose coordinates stand for a wider area than the place (see IMPRECISE_FROM)."""
    precision = table.df["geo_precision"].to_numpy(dtype=np.float64, na_value=np.nan)
    limit = np.full(len(table), IMPRECISE_DEFAULT)
    for k, dataset in enumerate(table.datasets):
        lo, hi = table.offsets[k], table.offsets[k + 1]
        limit[lo:hi] = IMPRECISE_FROM.get(dataset.format, IMPRECISE_DEFAULT)
    return precision >= limit


# -- the kernels ----------------------------------------------------------------------------
def bbox_mask(table: EventTable, bbox: Sequence[float]) -> np.ndarray:
    """Rows inside ``(min_lon, min_lat, max_lon, max_lat)``, bounds inclusive. A box with
    min_lon > max_lon crosses the antimeridian."""
    return bbox_mask_xy(*coordinates(table), bbox)


def bbox_mask_xy(
    lon: np.ndarray, lat: np.ndarray, known: np.ndarray, bbox: Sequence[float]
) -> np.ndarray:
    """:func:`bbox_mask` over coordinate arrays (``known``: both are usable)."""
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
    with np.errstate(invalid="ignore"):
        mask = known & (lat >= min_lat) & (lat <= max_lat)
        if min_lon <= max_lon:
            mask &= (lon >= min_lon) & (lon <= max_lon)
        else:
            mask &= (lon >= min_lon) | (lon <= max_lon)
    return mask


def known_xy(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Where both coordinates are usable: finite and on the globe."""
    known: np.ndarray = (
        np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    )
    return known


def distance_km(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """Great-circle distance from (lat0, lon0) by the haversine formula, in km."""
    phi, phi0 = np.radians(lat), math.radians(lat0)
    dphi = phi - phi0
    dlam = np.radians(lon) - math.radians(lon0)
    h = np.sin(dphi / 2) ** 2 + np.cos(phi) * math.cos(phi0) * np.sin(dlam / 2) ** 2
    result: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return result


def near_band(near: Sequence[float]) -> float:
    """Half the height in degrees of latitude of the band that holds a ``near`` circle."""
    return math.degrees(float(near[2]) / EARTH_RADIUS_KM) + 1e-9


def near_mask(table: EventTable, near: Sequence[float]) -> np.ndarray:
    """Rows within ``km`` of ``(lat, lon, km)``, inclusive."""
    return near_mask_xy(*coordinates(table), near)


def near_mask_xy(
    lon: np.ndarray, lat: np.ndarray, known: np.ndarray, near: Sequence[float]
) -> np.ndarray:
    """:func:`near_mask` over coordinate arrays."""
    lat0, lon0, km = (float(v) for v in near)
    mask = known.copy()
    # A box around the circle first: the trigonometry then runs on the few rows in it.
    with np.errstate(invalid="ignore"):
        mask &= np.abs(lat - lat0) <= near_band(near)
    rows = np.flatnonzero(mask)
    inside = distance_km(lat[rows], lon[rows], lat0, lon0) <= km
    mask[rows[~inside]] = False
    result: np.ndarray = mask
    return result


def prepare_area_filters(table: EventTable) -> None:
    """A big table's rows by world cell, now (~0.1 s at 1M rows: a worker's job, so that
    the first area filter is as quick as the next)."""
    lon, lat, known = coordinates(table)
    if len(lon) >= GRID_FROM_ROWS:
        cell_index(table, lon, lat, known)


def within_mask(table: EventTable, area: Area) -> np.ndarray:
    """Rows inside the union of ``area``'s polygons (holes excluded)."""
    lon, lat, known = coordinates(table)
    if len(lon) >= GRID_FROM_ROWS:  # a big table: its rows by world cell (cell_index.py)
        found = area_geometry(area)
        if found is None:
            return np.zeros(len(lon), dtype=bool)
        index = cell_index(table, lon, lat, known)
        mask = rows_within(index, found[0], lon, lat, len(lon))
        if mask is not None:
            return mask
    return within_mask_xy(lon, lat, known, area)


def within_mask_xy(lon: np.ndarray, lat: np.ndarray, known: np.ndarray, area: Area) -> np.ndarray:
    """:func:`within_mask` over coordinate arrays."""
    mask = np.zeros(len(lon), dtype=bool)
    found = area_geometry(area)
    if found is None:
        return mask
    geometry, grid = found
    x0, y0, x1, y1 = shapely.bounds(geometry)
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero(known & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
    if len(rows) < GRID_FROM_ROWS:
        mask[rows] = shapely.contains_xy(geometry, lon[rows], lat[rows])
    else:
        mask[rows] = grid.contains(geometry, lon[rows], lat[rows])
    return mask


def area_bounds(area: Area) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) of an area's union; None for an empty area."""
    found = area_geometry(area)
    if found is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in shapely.bounds(found[0]))
    return x0, y0, x1, y1


#: From this many points in an area's box up, points are first sorted by a grid.
GRID_FROM_ROWS = 20_000
#: Cells per side of that grid.
GRID_CELLS = 64
OUTSIDE, INSIDE, EDGE = 0, 1, 2


class _Grid:
    """The area's box cut in cells, each known to be inside, outside or on the edge.

    Only the points in edge cells need the exact point-in-polygon test (a few percent of
    them), so a freehand area over a million events costs a lookup per point. A cell is
    "inside" only if shapely says the area properly contains it (every point of it, its
    border included, is inside) and "outside" only if they are disjoint: the answer is
    always the exact test's. Cells are grown by a hair so that a point rounded into the
    next cell is still in the one it was tested with.
    """

    def __init__(self, geometry: Any) -> None:
        x0, y0, x1, y1 = shapely.bounds(geometry)
        self.x0, self.y0 = x0, y0
        self.dx = max((x1 - x0) / GRID_CELLS, 1e-12)
        self.dy = max((y1 - y0) / GRID_CELLS, 1e-12)
        self.geometry = geometry

    @cached_property
    def kind(self) -> np.ndarray:
        """Per cell: inside, outside or edge (made at the first use: a big table's area
        filter reads its world cells instead, cell_index.py)."""
        geometry, x0, y0 = self.geometry, self.x0, self.y0
        eps = 1e-6 * max(self.dx, self.dy)
        k = np.arange(GRID_CELLS)
        cx, cy = np.meshgrid(x0 + k * self.dx, y0 + k * self.dy)  # [row=y, col=x]
        cells = shapely.box(
            cx.ravel() - eps,
            cy.ravel() - eps,
            cx.ravel() + self.dx + eps,
            cy.ravel() + self.dy + eps,
        )
        kind = np.full(len(cells), EDGE, dtype=np.int8)
        kind[shapely.contains_properly(geometry, cells)] = INSIDE
        kind[shapely.disjoint(geometry, cells)] = OUTSIDE
        return kind

    def contains(self, geometry: Any, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        ix = np.clip(((lon - self.x0) / self.dx).astype(np.int64), 0, GRID_CELLS - 1)
        iy = np.clip(((lat - self.y0) / self.dy).astype(np.int64), 0, GRID_CELLS - 1)
        kind = self.kind[iy * GRID_CELLS + ix]
        out = kind == INSIDE
        edge = np.flatnonzero(kind == EDGE)
        out[edge] = shapely.contains_xy(geometry, lon[edge], lat[edge])
        result: np.ndarray = out
        return result


_GEOMETRIES: OrderedDict[Area, tuple[Any, _Grid] | None] = OrderedDict()
_GEOMETRIES_LOCK = threading.Lock()


def area_geometry(area: Area) -> tuple[Any, _Grid] | None:
    """The prepared shapely union of ``area`` and its grid (kept for the few most recent
    areas), or None for an empty area. A self-crossing freehand outline is repaired."""
    with _GEOMETRIES_LOCK:
        if area in _GEOMETRIES:
            _GEOMETRIES.move_to_end(area)
            return _GEOMETRIES[area]
    parts = [shapely.Polygon(poly[0], poly[1:]) for poly in area if len(poly[0]) >= 3]
    found = None
    if parts:
        geometry = shapely.union_all(shapely.make_valid(np.array(parts, dtype=object)))
        shapely.prepare(geometry)
        found = (geometry, _Grid(geometry))
    with _GEOMETRIES_LOCK:
        _GEOMETRIES[area] = found
        while len(_GEOMETRIES) > 8:
            _GEOMETRIES.popitem(last=False)
    return found


def spatial_tests(table: EventTable, spec: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """(key, full-table test) per active spatial field of a filter spec."""
    tests: list[tuple[tuple[Any, ...], Any]] = []
    if spec.bbox is not None:
        tests.append((("bbox", spec.bbox), lambda: bbox_mask(table, spec.bbox)))
    if spec.near is not None:
        tests.append((("near", spec.near), lambda: near_mask(table, spec.near)))
    if spec.within:
        tests.append((("within", spec.within), lambda: within_mask(table, spec.within)))
    return tests


def has_spatial(spec: Any) -> bool:
    return spec.bbox is not None or spec.near is not None or bool(spec.within)


def without_spatial(spec: Any) -> Any:
    return spec.with_(**SPATIAL_FIELDS)


def missing_coordinates(table: EventTable, spec: Any) -> int:
    """How many events the other filters keep but the spatial ones leave out because
    they have no coordinates (0 without a spatial filter)."""
    if not has_spatial(spec) or not len(table):
        return 0
    from timeline_app.model.filters import constraints_mask, text_mask

    others = without_spatial(spec)
    _lon, _lat, known = coordinates(table)
    mask = constraints_mask(table, others) & ~known
    if others.text.strip() and mask.any():
        mask = text_mask(table, others.text, mask)  # only the rows without coordinates
    return int(np.count_nonzero(mask))


# -- labels ---------------------------------------------------------------------------------
def spatial_labels(spec: Any) -> list[tuple[str, str]]:
    """(spec field, chip label) per active spatial filter (labels are Messages)."""
    labels = []
    if spec.bbox is not None:
        w, s, e, n = spec.bbox
        labels.append(
            (
                "bbox",
                N_(
                    "Box {south}–{north}, {west}–{east}",
                    south=_lat(s),
                    north=_lat(n),
                    west=_lon(w),
                    east=_lon(e),
                ),
            )
        )
    if spec.near is not None:
        lat, lon, km = spec.near
        labels.append(
            ("near", N_("Within {km:g} km of {lat} {lon}", km=km, lat=_lat(lat), lon=_lon(lon)))
        )
    if spec.within:
        labels.append(("within", N_("Inside {area}", area=spec.within_name or N_("drawn area"))))
    return labels


def _lat(value: float) -> str:
    if value >= 0:
        return N_("{degrees:.2f}°N", degrees=value)
    return N_("{degrees:.2f}°S", degrees=-value)


def _lon(value: float) -> str:
    if value >= 0:
        return N_("{degrees:.2f}°E", degrees=value)
    return N_("{degrees:.2f}°W", degrees=-value)


# -- parsing --------------------------------------------------------------------------------
def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``MIN_LON,MIN_LAT,MAX_LON,MAX_LAT`` -> a box (ValueError with the reason)."""
    values = _floats(text, 4, "MIN_LON,MIN_LAT,MAX_LON,MAX_LAT")
    w, s, e, n = values
    if not (-90 <= s <= n <= 90) or not (-180 <= w <= 180 and -180 <= e <= 180):
        raise ValueError("latitudes must be -90..90 with MIN_LAT <= MAX_LAT, longitudes -180..180")
    return (w, s, e, n)


def parse_near(text: str) -> tuple[float, float, float]:
    """``LAT,LON,KM`` -> a circle (ValueError with the reason)."""
    lat, lon, km = _floats(text, 3, "LAT,LON,KM")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or km < 0:
        raise ValueError("LAT must be -90..90, LON -180..180 and KM at least 0")
    return (lat, lon, km)


def _floats(text: str, count: int, form: str) -> list[float]:
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != count or not all(math.isfinite(v) for v in values):
        raise ValueError(f"expected {form} (numbers separated by commas)")
    return values


def read_area(path: Path | str) -> Area:
    """The Polygon and MultiPolygon geometries of a GeoJSON file (a FeatureCollection, a
    Feature or a bare geometry), as an area. Other geometries are ignored."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeError) as err:
        raise AreaError(f"{path}: cannot read: {getattr(err, 'strerror', None) or err}") from err
    except ValueError as err:
        raise AreaError(f"{path}: not JSON ({err})") from err
    area = area_from_geojson(data)
    if not area:
        raise AreaError(f"{path}: no Polygon or MultiPolygon in it")
    return area


def area_from_geojson(data: Any) -> Area:
    polygons: list[tuple[Any, ...]] = []
    for geometry in _geometries(data):
        kind, coords = geometry.get("type"), geometry.get("coordinates") or []
        if kind == "Polygon":
            polygons.append(_polygon(coords))
        elif kind == "MultiPolygon":
            polygons.extend(_polygon(p) for p in coords)
    return tuple(p for p in polygons if p and len(p[0]) >= 3)


def _geometries(data: Any) -> Iterable[dict[str, Any]]:
    if not isinstance(data, dict):
        return
    kind = data.get("type")
    if kind == "FeatureCollection":
        for feature in data.get("features") or []:
            yield from _geometries(feature)
    elif kind == "Feature":
        yield from _geometries(data.get("geometry"))
    elif kind == "GeometryCollection":
        for geometry in data.get("geometries") or []:
            yield from _geometries(geometry)
    elif kind:
        yield data


def _polygon(rings: Any) -> tuple[Any, ...]:
    return tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in rings)


def area_to_geojson(area: Area, name: str = "") -> dict[str, Any]:
    """An area as a GeoJSON FeatureCollection of one MultiPolygon (read_area reads it)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[list(p) for p in ring] for ring in poly] for poly in area],
                },
            }
        ],
    }
