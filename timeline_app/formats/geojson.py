"""JSON and GeoJSON event files read as a table (the one implementation: the probe, the
mapped-table reader and the text formats' readers all come here).

Each feature is a row: its ``properties`` are the columns (as text, like every other
table), and its Point geometry gives ``longitude`` and ``latitude`` (GeoJSON's order is
[longitude, latitude]) unless the properties already hold them. A feature with another
geometry or none keeps its row, without coordinates, and the import report says how
many. The readers that read text tables (UCDP, ACLED) read these the same way, so that
UCDP's own GeoJSON opens as UCDP; anything else goes through the column mapping.

"Line" numbers in a report are feature numbers (the first feature is 1).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from timeline_app.formats.base import FormatError, dedupe_header
from timeline_app.formats.text_reader import read_text_table
from timeline_app.formats.text_table import TextTable
from timeline_app.model.messages import N_

GEOJSON_SUFFIXES = {".geojson"}
JSON_SUFFIXES = {".geojson", ".json"}
#: A .json file whose head names a FeatureCollection within this many bytes is GeoJSON.
SNIFF_BYTES = 4096


def read_table_text(
    path: Path,
    *,
    dictionary: Callable[[str], bool] | None = None,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> TextTable:
    """The text readers' table: a delimited file as ever, or a JSON/GeoJSON file's
    records (the hook that lets UCDP's and ACLED's readers open them)."""
    if Path(path).suffix.lower() in JSON_SUFFIXES:
        return read_geojson_table(path, dictionary=dictionary, progress=progress)
    return read_text_table(path, dictionary=dictionary, progress=progress, cancelled=cancelled)


def is_geojson(path: Path, head: bytes | None = None) -> bool:
    """Whether a file is GeoJSON: by its suffix, or a JSON object naming a FeatureCollection."""
    path = Path(path)
    if path.suffix.lower() in GEOJSON_SUFFIXES:
        return True
    if path.suffix.lower() != ".json":
        return False
    if head is None:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    text = head[:SNIFF_BYTES].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    return text.startswith("{") and '"FeatureCollection"' in text


def feature_records(data: Any, name: str) -> tuple[list[dict[str, Any]], int]:
    """The rows of a parsed FeatureCollection and how many features had no Point."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise FormatError(f"{name}: not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise FormatError(f"{name}: a FeatureCollection without a 'features' list")
    records, unplaced = [], 0
    for k, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise FormatError(f"{name}: feature {k} is not an object")
        props = feature.get("properties")
        row = dict(props) if isinstance(props, dict) else {}
        geometry = feature.get("geometry")
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if (
            isinstance(geometry, dict)
            and geometry.get("type") == "Point"
            and isinstance(coords, list)
            and len(coords) >= 2
        ):
            if _blank(row.get("longitude")) and _blank(row.get("latitude")):
                row["longitude"], row["latitude"] = coords[0], coords[1]
        else:
            unplaced += 1
        records.append(row)
    return records, unplaced


def json_records(data: Any, name: str) -> tuple[list[dict[str, Any]], int]:
    """The records of parsed JSON, and how many features had no Point: a GeoJSON
    FeatureCollection's features (:func:`feature_records`), a list of objects, or the
    first list in an object (``{"data": [...]}``). FormatError for anything else."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return feature_records(data, name)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise FormatError(f"{name}: JSON that is not a list of records")
    return data, 0


def read_json(path: Path) -> Any:
    """A JSON file parsed (a BOM allowed); FormatError in one line if it is not JSON."""
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as err:
        raise FormatError(f"{path.name}: cannot read: {err.strerror or err}") from err
    except (UnicodeDecodeError, ValueError) as err:
        raise FormatError(f"{path.name}: not valid JSON ({err})") from err


def read_geojson_table(
    path: Path,
    *,
    dictionary: Callable[[str], bool] | None = None,
    progress: Callable[[float], None] | None = None,
) -> TextTable:
    """A GeoJSON FeatureCollection (or a JSON list of records) as the text table the
    text readers take."""
    path = Path(path)
    data = read_json(path)
    features = isinstance(data, dict) and data.get("type") == "FeatureCollection"
    records, unplaced = json_records(data, path.name)
    if progress is not None:
        progress(0.5)
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(str(k) for k in record))
    columns = {}
    for key, name in zip(keys, dedupe_header(keys), strict=True):
        values = pa.array([_text(r.get(key)) for r in records], type=pa.string())
        columns[name] = values.dictionary_encode() if dictionary and dictionary(name) else values
    table = pa.table(columns) if columns else pa.table({"": pa.array([], pa.string())})
    text = TextTable(
        path=path,
        names=list(columns) or [""],
        table=table,
        encoding="utf-8",
        first_line=1,
        exact_lines=np.arange(1, len(records) + 1, dtype=np.int64),
    )
    if features:
        text.warnings.append(N_("GeoJSON: row numbers in this report are feature numbers"))
    else:
        text.warnings.append(N_("JSON: row numbers in this report are record numbers"))
    if unplaced:
        text.warnings.append(
            N_("{count:,} feature(s) without a Point geometry: no coordinates", count=unplaced)
        )
    if progress is not None:
        progress(1.0)
    return text


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str | None:
    """A property as the text a CSV would hold (whole floats without ``.0``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
