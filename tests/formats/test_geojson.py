"""GeoJSON event files: a FeatureCollection of Point features opens as a table (the
properties are the columns, the point gives latitude and longitude) and is sniffed like
any other table, so that UCDP's own GeoJSON opens as UCDP."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import UCDP_SAMPLE
from timeline_app.formats import registry
from timeline_app.formats.base import FormatError


def ucdp_geojson(path: Path, rows: int = 12) -> pd.DataFrame:
    """The sample's first rows as UCDP GED converted to GeoJSON: coordinates only in the
    geometry ([longitude, latitude]), a damaged relid, one feature without geometry."""
    df = pd.read_csv(UCDP_SAMPLE, dtype=str, keep_default_na=False).head(rows)
    features = []
    for k, row in df.iterrows():
        props = {c: row[c] for c in df.columns if c not in ("latitude", "longitude")}
        props["relid"] = 0  # converted copies carry damaged columns
        props["best"] = int(row["best"])  # numbers as JSON numbers
        geometry = (
            None
            if k == rows - 1
            else {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]}
        )
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return df


def test_ucdp_geojson_opens_as_ucdp_with_its_points(tmp_path: Path):
    path = tmp_path / "ged_mali.geojson"
    df = ucdp_geojson(path)
    assert registry.sniff(path)[0][1] == "ucdp"
    ds = registry.load(path)
    assert ds.format == "ucdp"
    assert ds.report.events == 12 and ds.report.balanced
    ev = ds.events
    assert ev["id"].astype(str).tolist() == df["id"].tolist()
    placed = ev.iloc[:-1]
    assert np.allclose(placed["latitude"], df["latitude"].iloc[:-1].astype(float))
    assert np.allclose(placed["longitude"], df["longitude"].iloc[:-1].astype(float))
    assert np.isnan(ev["latitude"].iloc[-1])  # no geometry: no coordinates, row kept
    assert any("without a Point geometry" in w for w in ds.report.warnings)
    # The same events as the CSV gives for them.
    csv = registry.load(UCDP_SAMPLE).events.head(12)
    assert ev["fatalities"].tolist() == csv["fatalities"].tolist()
    assert ev["start"].tolist() == csv["start"].tolist()


def test_any_point_collection_is_a_table_to_map(tmp_path: Path):
    features = [
        {
            "type": "Feature",
            "properties": {"when": "2023-09-07", "what": "Attack on Bamba", "killed": None},
            "geometry": {"type": "Point", "coordinates": [-1.40, 17.03]},
        },
        {
            "type": "Feature",
            "properties": {"when": "2023-09-08", "what": "Attack on Gao airport", "killed": 3},
            "geometry": {"type": "Point", "coordinates": [-0.03, 16.25]},
        },
    ]
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    best = registry.sniff(path)[0]
    assert best[1] not in ("ucdp", "acled")
    mapping = {
        "start": "when",
        "title": "what",
        "fatalities": "killed",
        "latitude": "latitude",
        "longitude": "longitude",
    }
    ds = registry.load(path, "table", options={"mapping": mapping})
    assert ds.events["title"].tolist() == ["Attack on Bamba", "Attack on Gao airport"]
    assert ds.events["latitude"].tolist() == [17.03, 16.25]
    assert ds.events["longitude"].tolist() == [-1.40, -0.03]
    assert np.isnan(ds.events["fatalities"].iloc[0])  # null is unknown, not 0


def test_a_broken_geojson_file_is_one_line(tmp_path: Path):
    path = tmp_path / "bad.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    with pytest.raises(FormatError) as err:
        registry.load(path, "ucdp")
    assert "\n" not in str(err.value) and "bad.geojson" in str(err.value)


def test_an_acled_geojson_opens_as_acled(tmp_path: Path):
    fixture = Path(__file__).parent / "fixtures" / "acled_current.csv"
    df = pd.read_csv(fixture, dtype=str, keep_default_na=False)
    features = [
        {
            "type": "Feature",
            "properties": {c: row[c] for c in df.columns if c not in ("latitude", "longitude")},
            "geometry": _point(row["longitude"], row["latitude"]),
        }
        for _, row in df.iterrows()
    ]
    path = tmp_path / "acled.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    assert registry.sniff(path)[0][1] == "acled"
    from_json, from_csv = registry.load(path).events, registry.load(fixture).events
    assert len(from_json) == len(from_csv)
    assert np.allclose(from_json["latitude"], from_csv["latitude"], equal_nan=True)
    assert np.allclose(from_json["longitude"], from_csv["longitude"], equal_nan=True)
    assert from_json["id"].tolist() == from_csv["id"].tolist()


def _point(lon: str, lat: str) -> dict | None:
    try:
        x, y = float(lon), float(lat)
    except ValueError:
        return None
    return None if np.isnan(x) or np.isnan(y) else {"type": "Point", "coordinates": [x, y]}


def test_the_probe_the_preview_and_the_readers_see_one_geojson_table(tmp_path: Path):
    """One implementation (formats/geojson.py): the header the probe reads, the mapped
    table's preview and the text readers' table agree, blank coordinates included."""
    from timeline_app.formats.geojson import read_geojson_table
    from timeline_app.formats.probe import probe_file
    from timeline_app.formats.raw_table import peek_raw_table

    features = [
        {
            "type": "Feature",
            "properties": {"when": "2023-09-07", "what": "attack", "longitude": "", "n": 2.0},
            "geometry": {"type": "Point", "coordinates": [-3.5, 14.25]},
        },
        {"type": "Feature", "properties": {"when": "2023-09-08", "what": "raid"}, "geometry": None},
    ]
    path = tmp_path / "incidents.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    text = read_geojson_table(path)
    raw = peek_raw_table(path)
    assert probe_file(path).header == text.names == raw.header
    assert raw.header == ["when", "what", "longitude", "n", "latitude"]
    assert raw.frame["longitude"].tolist() == ["-3.5", ""]  # a blank property takes the point's
    assert raw.frame["latitude"].tolist() == ["14.25", ""]
    assert raw.frame["n"].tolist() == ["2", ""]  # a whole number as a CSV would hold it
    assert list(raw.line_numbers(np.arange(2))) == [1, 2]  # feature numbers
