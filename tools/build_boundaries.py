"""Build timeline_app/resources/geo/boundaries.npz from the GeoJSON in ../shared/data/geo.

    python tools/build_boundaries.py [GEO_FOLDER]

Each layer is simplified (shapely, topology kept per polygon), its coordinates rounded
to float32 and packed as arrays (see timeline_app/model/boundaries.py for the layout):
about 30x smaller than the GeoJSON, and read in milliseconds without a JSON parse.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "timeline_app" / "resources" / "geo" / "boundaries.npz"
#: (layer, file, name property, simplification tolerance in degrees)
LAYERS = (
    ("countries", "ne_50m_admin_0_countries.geojson", "ADMIN", 0.03),
    ("mali_adm1", "mali_adm1_geoboundaries.geojson", "shapeName", 0.005),
    ("mali_adm2", "mali_adm2_geoboundaries.geojson", "shapeName", 0.005),
)


def pack(features: list[dict], name_key: str, tolerance: float) -> dict[str, np.ndarray]:
    xy: list[np.ndarray] = []
    ring_start, ring_poly, ring_hole, poly_feature, names = [0], [], [], [], []
    for k, feature in enumerate(features):
        names.append(str(feature["properties"].get(name_key) or ""))
        geom = shapely.geometry.shape(feature["geometry"])
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
        polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        for poly in polys:
            if poly.is_empty:
                continue
            p = len(poly_feature)
            poly_feature.append(k)
            for hole, ring in [(False, poly.exterior), *((True, r) for r in poly.interiors)]:
                coords = np.asarray(ring.coords, dtype=np.float32)
                xy.append(coords)
                ring_start.append(ring_start[-1] + len(coords))
                ring_poly.append(p)
                ring_hole.append(hole)
    return {
        "xy": np.concatenate(xy),
        "ring_start": np.asarray(ring_start, dtype=np.int32),
        "ring_poly": np.asarray(ring_poly, dtype=np.int32),
        "ring_hole": np.asarray(ring_hole, dtype=bool),
        "poly_feature": np.asarray(poly_feature, dtype=np.int32),
        "names": np.asarray(names, dtype=str),
    }


def main(folder: Path) -> None:
    arrays = {}
    for layer, file, name_key, tolerance in LAYERS:
        data = json.loads((folder / file).read_text(encoding="utf-8"))
        for key, value in pack(data["features"], name_key, tolerance).items():
            arrays[f"{layer}/{key}"] = value
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "geo")
