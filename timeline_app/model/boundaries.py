"""Boundary layers for the map: the ones shipped with the app and a user's GeoJSON.

A layer is a set of named features (countries, regions, cercles), each one or more
polygons with holes, kept as flat arrays: every ring's (lon, lat) points one after the
other, with where each ring starts, its polygon and whether it is a hole. The map draws
a layer as one path (rings joined with NaN breaks); the spatial filter takes a feature
as an area; a choropleth counts the points inside each feature.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from timeline_app.model.filter_spec import Area
from timeline_app.model.messages import N_

BUNDLED = Path(__file__).resolve().parents[1] / "resources" / "geo" / "boundaries.npz"

NATURAL_EARTH = "Natural Earth (public domain)"
GEOBOUNDARIES = "geoBoundaries, CC BY 4.0 (Runfola et al. 2020)"
#: The shipped layers: (key, title, attribution).
BUNDLED_LAYERS = (
    ("countries", "Countries", NATURAL_EARTH),
    ("mali_adm1", "Mali regions", GEOBOUNDARIES),
    ("mali_adm2", "Mali cercles", GEOBOUNDARIES),
)
#: What Help > About and the map say about the boundaries.
ATTRIBUTION = N_(
    "Borders: Natural Earth 1:50m (public domain); Mali regions and cercles: "
    "geoBoundaries (CC BY 4.0; Runfola et al. 2020, PLoS ONE 15(4): e0231866)."
)


class BoundaryError(ValueError):
    """A boundary file that cannot be used (one line, for the user)."""


@dataclass(eq=False)
class BoundaryLayer:
    """Named features as flat ring arrays (see the module's docstring)."""

    key: str
    title: str
    attribution: str
    xy: np.ndarray  # (n, 2) float: every ring's points
    ring_start: np.ndarray  # (rings + 1,) int: ring r is xy[ring_start[r]:ring_start[r+1]]
    ring_poly: np.ndarray  # (rings,) int: the polygon of each ring
    ring_hole: np.ndarray  # (rings,) bool
    poly_feature: np.ndarray  # (polygons,) int: the feature of each polygon
    names: np.ndarray  # (features,) str
    _geometries: list[Any] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.names)

    def path_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y of every ring with a NaN between rings (arrayToQPath connect='finite')."""
        n_rings = len(self.ring_poly)
        out = np.full((len(self.xy) + n_rings, 2), np.nan)
        # Each ring r moves down by r slots: one NaN after each ring before it.
        shift = np.repeat(np.arange(n_rings), np.diff(self.ring_start))
        out[np.arange(len(self.xy)) + shift] = self.xy
        return out[:, 0], out[:, 1]

    def feature_area(self, k: int) -> Area:
        """Feature ``k`` as an area for the spatial filter (polygons with their holes)."""
        polys = np.flatnonzero(self.poly_feature == k)
        area = []
        for p in polys:
            found = np.flatnonzero(self.ring_poly == p)
            rings = sorted(found.tolist(), key=lambda r: bool(self.ring_hole[r]))  # outer first
            area.append(
                tuple(
                    tuple(
                        (float(x), float(y))
                        for x, y in self.xy[self.ring_start[r] : self.ring_start[r + 1]]
                    )
                    for r in rings
                )
            )
        return tuple(area)

    def geometries(self) -> list[Any]:
        """A prepared shapely geometry per feature (made once)."""
        if self._geometries is None:
            geoms = []
            for k in range(len(self)):
                area = self.feature_area(k)
                parts = [shapely.Polygon(p[0], p[1:]) for p in area if len(p[0]) >= 3]
                geom = shapely.make_valid(shapely.MultiPolygon(parts)) if parts else None
                if geom is not None:
                    shapely.prepare(geom)
                geoms.append(geom)
            self._geometries = geoms
        return self._geometries

    def label_points(self) -> np.ndarray:
        """(features, 2) lon/lat of a point inside each feature, to write its name at."""
        points = np.full((len(self), 2), np.nan)
        for k, geom in enumerate(self.geometries()):
            if geom is not None:
                # The largest part's inner point (a country's islands do not pull it out).
                parts = getattr(geom, "geoms", [geom])
                main = max(parts, key=lambda g: float(shapely.area(g)))
                p = shapely.point_on_surface(main)
                points[k] = (shapely.get_x(p), shapely.get_y(p))
        return points

    def feature_at(self, lon: float, lat: float) -> int | None:
        """The feature under a point, or None."""
        for k, geom in enumerate(self.geometries()):
            if geom is not None and shapely.contains_xy(geom, lon, lat):
                return k
        return None

    def totals(
        self, lon: np.ndarray, lat: np.ndarray, weights: np.ndarray | None = None
    ) -> np.ndarray:
        """Per feature, the number (or the sum of ``weights``) of points inside it."""
        out = np.zeros(len(self))
        finite = np.isfinite(lon) & np.isfinite(lat)
        for k, geom in enumerate(self.geometries()):
            if geom is None:
                continue
            x0, y0, x1, y1 = shapely.bounds(geom)
            rows = np.flatnonzero(finite & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
            if not len(rows):
                continue
            inside = rows[shapely.contains_xy(geom, lon[rows], lat[rows])]
            out[k] = len(inside) if weights is None else np.nansum(weights[inside])
        return out


@cache
def bundled_layers() -> tuple[BoundaryLayer, ...]:
    """The layers shipped with the app (read once, in a few milliseconds)."""
    with np.load(BUNDLED) as data:
        return tuple(
            BoundaryLayer(
                key=key,
                title=title,
                attribution=attribution,
                **{name: data[f"{key}/{name}"] for name in _ARRAYS},
            )
            for key, title, attribution in BUNDLED_LAYERS
        )


_ARRAYS = ("xy", "ring_start", "ring_poly", "ring_hole", "poly_feature", "names")
#: Feature properties that name a boundary, best first (geoBoundaries, Natural Earth, GADM…).
NAME_KEYS = ("shapeName", "NAME", "name", "ADMIN", "NAME_2", "NAME_1", "admin1Name", "ADM1_EN")


def read_layer(path: Path | str) -> BoundaryLayer:
    """A user's GeoJSON boundaries (its Polygon and MultiPolygon features) as a layer."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeError) as err:
        reason = str(getattr(err, "strerror", None) or err)
        raise BoundaryError(
            N_("{path}: cannot read: {error}", path=str(path), error=reason)
        ) from err
    except ValueError as err:
        raise BoundaryError(
            N_("{path}: not JSON ({error})", path=str(path), error=str(err))
        ) from err
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise BoundaryError(N_("{path}: not a GeoJSON FeatureCollection", path=str(path)))
    xy: list[np.ndarray] = []
    ring_start: list[int] = [0]
    ring_poly: list[int] = []
    ring_hole: list[bool] = []
    poly_feature: list[int] = []
    names: list[str] = []
    for feature in features:
        geometry = (feature or {}).get("geometry") or {}
        kind, coords = geometry.get("type"), geometry.get("coordinates") or []
        polys = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
        if not polys:
            continue
        props = feature.get("properties") or {}
        k = len(names)
        names.append(next((str(props[n]) for n in NAME_KEYS if props.get(n)), f"#{k + 1}"))
        for poly in polys:
            p = len(poly_feature)
            poly_feature.append(k)
            for i, ring in enumerate(poly):
                points = np.asarray([pt[:2] for pt in ring], dtype=np.float64)
                if len(points) < 3:
                    continue
                xy.append(points)
                ring_start.append(ring_start[-1] + len(points))
                ring_poly.append(p)
                ring_hole.append(i > 0)
    if not names:
        raise BoundaryError(N_("{path}: no Polygon or MultiPolygon features", path=str(path)))
    return BoundaryLayer(
        key=f"file:{path}",
        title=path.stem,
        attribution=N_("Boundaries: {name}", name=path.name),
        xy=np.concatenate(xy),
        ring_start=np.asarray(ring_start, dtype=np.int64),
        ring_poly=np.asarray(ring_poly, dtype=np.int64),
        ring_hole=np.asarray(ring_hole, dtype=bool),
        poly_feature=np.asarray(poly_feature, dtype=np.int64),
        names=np.asarray(names, dtype=str),
    )
