"""The canonical event schema every reader produces and every view reads.

One row per event. A point event has ``end == start``; a period has ``end > start``;
an open-ended period has ``ongoing`` set and ``end`` is the last date it was known
to be going on ("as of"). Unknown numbers are NaN, never 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

CANONICAL_COLUMNS: tuple[str, ...] = (
    "id",
    "dataset",
    "category",
    "start",
    "end",
    "date_precision",
    "ongoing",
    "title",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "assoc_actors",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "source",
    "notes",
)

#: Event categories, in lane order. Readers may add others; these come first.
CATEGORIES: tuple[str, ...] = ("attack", "mourning", "withdrawal", "blockade", "statement", "other")

#: Date precisions, finest first.
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")

#: Low-cardinality text columns, stored as pandas categoricals so filters and sorts
#: work on integer codes.
CATEGORICAL_COLUMNS: tuple[str, ...] = (
    "dataset",
    "category",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "assoc_actors",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "source",
)
#: Free text, stored as Arrow-backed strings (fast substring search, shared buffers).
TEXT_COLUMNS: tuple[str, ...] = ("id", "title", "notes")
DATE_COLUMNS: tuple[str, ...] = ("start", "end")
FLOAT_COLUMNS: tuple[str, ...] = (
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
)
BOOL_COLUMNS: tuple[str, ...] = ("ongoing",)

#: Columns searched by the free-text filter.
SEARCHABLE_COLUMNS: tuple[str, ...] = ("title", "notes", "location", "source")

#: Separator for several associated actors in ``assoc_actors`` (ACLED's convention).
ACTOR_SEPARATOR = ";"

DATE_DTYPE = "datetime64[ns]"
TEXT_DTYPE = pd.ArrowDtype(pa.string())


def empty_events() -> pd.DataFrame:
    """An empty frame with the canonical columns and dtypes."""
    return conform(pd.DataFrame({c: [] for c in CANONICAL_COLUMNS}))


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the canonical columns, in order, with canonical dtypes.

    Missing columns are added as unknown; empty strings become unknown. Readers call
    this last, so every table in the app has the same shape whatever file it came from.
    """
    n = len(frame)
    columns = {}
    for col in CANONICAL_COLUMNS:
        values = frame[col].reset_index(drop=True) if col in frame.columns else None
        columns[col] = _coerce(col, values, n)
    result = pd.DataFrame(columns)
    # A point event ends where it starts; an unstated precision is the day.
    result["end"] = result["end"].fillna(result["start"])
    if result["date_precision"].isna().any():
        prec = result["date_precision"]
        if "day" not in prec.cat.categories:
            prec = prec.cat.add_categories(["day"])
        result["date_precision"] = prec.fillna("day")
    if result["category"].isna().any():
        cat = result["category"]
        if "other" not in cat.cat.categories:
            cat = cat.cat.add_categories(["other"])
        result["category"] = cat.fillna("other")
    missing = [c for c in CATEGORIES if c not in result["category"].cat.categories]
    if missing:
        result["category"] = result["category"].cat.add_categories(missing)
    return result


def _coerce(col: str, values: pd.Series | None, n: int) -> pd.Series:
    if col in DATE_COLUMNS:
        if values is None:
            return pd.Series(np.full(n, np.datetime64("NaT"), dtype=DATE_DTYPE))
        return pd.Series(pd.to_datetime(values, errors="coerce")).astype(DATE_DTYPE)
    if col in FLOAT_COLUMNS:
        if values is None:
            return pd.Series(np.full(n, np.nan))
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if col in BOOL_COLUMNS:
        if values is None:
            return pd.Series(np.zeros(n, dtype=bool))
        return values.fillna(False).astype(bool)
    if values is None:
        values = pd.Series([None] * n, dtype=object)
    if col in CATEGORICAL_COLUMNS:
        if not isinstance(values.dtype, pd.CategoricalDtype):
            if not pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
                values = values.astype("string")
            values = values.astype("category")
        cats = values.cat.categories
        if not pd.api.types.is_string_dtype(cats.dtype) and cats.dtype != object:
            values = values.cat.rename_categories(cats.astype(str))
        blank = [c for c in values.cat.categories if not str(c).strip()]
        return values.cat.remove_categories(blank) if blank else values
    if not pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        values = values.astype("string")
    text = values.astype(TEXT_DTYPE)
    arrow = pa.chunked_array(text.array.__arrow_array__())
    blank = _blank_cells(arrow)
    if not blank.any():
        return text
    return text.mask(blank)


#: First bytes of the UTF-8 whitespace characters (ASCII ones, U+0085/U+00A0 and the
#: U+1680/U+2000../U+3000 spaces): a cell starting with another byte is not blank.
_SPACE_LEAD_BYTES = np.zeros(256, dtype=bool)
_SPACE_LEAD_BYTES[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20]] = True
_SPACE_LEAD_BYTES[[0xC2, 0xE1, 0xE2, 0xE3]] = True


def _blank_cells(values: pa.ChunkedArray) -> np.ndarray:
    """Empty or whitespace-only cells (nulls are not blank). Reads each cell's length and
    first byte from the Arrow buffers; only cells starting with a space-like byte are
    checked in full (scanning 1M long notes costs ~0.1 s; this ~5 ms)."""
    parts = [_blank_chunk(chunk) for chunk in values.chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _blank_chunk(chunk: pa.Array) -> np.ndarray:
    n = len(chunk)
    if n == 0:
        return np.zeros(0, dtype=bool)
    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        blank = pc.or_(pc.equal(pc.utf8_length(chunk), 0), pc.utf8_is_space(chunk))
        return np.asarray(pc.fill_null(blank, False), dtype=bool)
    _, offsets_buffer, data_buffer = chunk.buffers()
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=width)[chunk.offset : chunk.offset + n + 1]
    starts, lengths = offsets[:-1], np.diff(offsets)
    valid = np.asarray(chunk.is_valid(), dtype=bool)
    blank = (lengths == 0) & valid
    if data_buffer is not None and data_buffer.size:
        data = np.frombuffer(data_buffer, dtype=np.uint8)
        nonempty = np.flatnonzero((lengths > 0) & valid)
        maybe = nonempty[_SPACE_LEAD_BYTES[data[starts[nonempty]]]]
        if len(maybe):
            spaces = pc.utf8_is_space(chunk.take(pa.array(maybe)))
            blank[maybe] = np.asarray(pc.fill_null(spaces, False), dtype=bool)
    return blank
