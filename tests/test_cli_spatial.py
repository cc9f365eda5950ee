"""``--bbox``, ``--near`` and ``--within`` on ``timeline-app export``: the rows a
reference computation picks (haversine in plain Python, shapely per point), the count
of events left out for lack of coordinates, and a provenance that reproduces them."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import shapely

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from tests.test_cli_export import ids, reproduce
from timeline_app.cli import main
from timeline_app.model.provenance import read_provenance, sidecar_path

GAO = (16.2717, -0.0447)


def ucdp_rows() -> list[tuple[str, float, float]]:
    df = pd.read_csv(UCDP_SAMPLE, dtype={"id": str})
    return list(zip(df["id"], df["latitude"], df["longitude"], strict=True))


def haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_near_gao_matches_the_reference_and_counts_the_unlocated(tmp_path: Path, capsys):
    out = tmp_path / "near.csv"
    code = main(
        [
            "export",
            str(UCDP_SAMPLE),
            str(CONTEXT_CSV),
            "--near",
            "16.2717,-0.0447,60",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    expected = sorted(i for i, lat, lon in ucdp_rows() if haversine(*GAO, lat, lon) <= 60)
    assert expected and sorted(ids(out)) == expected
    # The context file's 18 events have no coordinates: said, not silently dropped.
    assert "18 event(s) left out by the spatial filter for lack of coordinates" in (
        capsys.readouterr().err
    )


def test_bbox_and_within_match_the_reference(tmp_path: Path):
    out = tmp_path / "box.csv"
    assert main(["export", str(UCDP_SAMPLE), "--bbox=-4,14,0,17.5", "-o", str(out)]) == 0
    expected = sorted(i for i, lat, lon in ucdp_rows() if -4 <= lon <= 0 and 14 <= lat <= 17.5)
    assert expected and sorted(ids(out)) == expected

    ring = [(-6.5, 13.0), (-3.0, 13.0), (-3.0, 17.0), (-6.5, 17.0), (-6.5, 13.0)]
    area = tmp_path / "area.geojson"
    area.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    out = tmp_path / "within.csv"
    assert main(["export", str(UCDP_SAMPLE), "--within", str(area), "-o", str(out)]) == 0
    polygon = shapely.Polygon(ring)
    expected = sorted(i for i, lat, lon in ucdp_rows() if polygon.contains(shapely.Point(lon, lat)))
    assert expected and sorted(ids(out)) == expected
    # The sidecar keeps the area beside it, and its command reproduces the file.
    sidecar = read_provenance(sidecar_path(out))
    assert sidecar["filter"]["within_name"] == "area.geojson"
    assert "--within" in sidecar["argv"]
    again = tmp_path / "again.csv"
    area.unlink()  # the command must not need the user's file
    assert reproduce(sidecar_path(out), again).returncode == 0
    assert again.read_bytes() == out.read_bytes()


def test_provenance_of_box_and_circle_reproduces(tmp_path: Path):
    out = tmp_path / "both.csv"
    args = ["--bbox=-10,10,5,20", "--near", "16.2717,-0.0447,200"]
    assert main(["export", str(UCDP_SAMPLE), *args, "-o", str(out)]) == 0
    sidecar = read_provenance(sidecar_path(out))
    assert sidecar["filter"]["bbox"] == [-10, 10, 5, 20]
    again = tmp_path / "again.csv"
    assert reproduce(sidecar_path(out), again).returncode == 0
    assert again.read_bytes() == out.read_bytes() and len(ids(out)) > 0


def test_bad_spatial_options_fail_in_one_line(tmp_path: Path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", str(UCDP_SAMPLE), "--near", "16,0", "-o", str(out)]) == 2
    assert "--near '16,0': expected LAT,LON,KM" in capsys.readouterr().err
    assert (
        main(["export", str(UCDP_SAMPLE), "--within", str(tmp_path / "no.geojson"), "-o", str(out)])
        == 2
    )
    assert "--within" in capsys.readouterr().err and not out.exists()
