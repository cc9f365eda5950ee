"""The canonical event schema every reader produces and every view reads.

One row per event. A point event has ``end == start``; a period has ``end > start``;
an open-ended period has ``ongoing`` set and ``end`` is the last date it was known
to be going on ("as of"). Unknown numbers are NaN, never 0.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Any, cast

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
    """An empty frame with the canonical columns and dtypes (a copy of one made once:
    conforming no rows takes ~15 ms, and every DuckDB timeline view that reads no event
    makes an empty table)."""
    frame: pd.DataFrame = _empty_events().copy()
    return frame


@cache
def _empty_events() -> pd.DataFrame:
    return conform(pd.DataFrame({c: [] for c in CANONICAL_COLUMNS}))


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the canonical columns, in order, with canonical dtypes.

    Missing columns are added as unknown; empty strings become unknown. Readers call
    this last, so every table in the app has the same shape whatever file it came from.
    """
    columns = {c: frame[c].reset_index(drop=True) for c in CANONICAL_COLUMNS if c in frame}
    return conform_columns(columns, len(frame))


def conform_columns(
    columns: dict[str, Any],
    n: int,
    *,
    copy: bool = True,
    canonical: Collection[str] = (),
) -> pd.DataFrame:
    """:func:`conform` for columns not yet in a frame (Series, arrays or categoricals of
    ``n`` rows each), so a reader builds its frame once. With ``copy=False`` the result
    may share memory with the given arrays (for a reader that hands over fresh ones).
    ``canonical`` names columns the caller has already made canonical (canonical dtype;
    no blank text or blank categories): they are taken as they are, unchecked."""
    out: dict[str, pd.Series] = {}
    for col in CANONICAL_COLUMNS:
        values = columns.get(col)
        if values is not None and not isinstance(values, pd.Series):
            values = pd.Series(values, copy=False)
        out[col] = values if values is not None and col in canonical else _coerce(col, values, n)
    # A point event ends where it starts; an unstated precision is the day.
    start, end = out["start"].to_numpy(), out["end"].to_numpy()
    out["end"] = pd.Series(np.where(np.isnat(end), start, end))
    prec = out["date_precision"]
    if prec.isna().any():
        if "day" not in prec.cat.categories:
            prec = prec.cat.add_categories(["day"])
        out["date_precision"] = prec.fillna("day")
    cat = out["category"]
    if cat.isna().any():
        if "other" not in cat.cat.categories:
            cat = cat.cat.add_categories(["other"])
        cat = cat.fillna("other")
    missing = [c for c in CATEGORIES if c not in cat.cat.categories]
    out["category"] = cat.cat.add_categories(missing) if missing else cat
    result: pd.DataFrame = pd.DataFrame(out, index=pd.RangeIndex(n), copy=copy)
    return result


def _coerce(col: str, values: pd.Series | None, n: int) -> pd.Series:
    # Columns that already have the canonical dtype (readers build most that way) are
    # taken as they are: converting them again is a no-op that costs a pass over the rows.
    if col in DATE_COLUMNS:
        if values is None:
            result: pd.Series = pd.Series(np.full(n, np.datetime64("NaT"), dtype=DATE_DTYPE))
            return result
        if values.dtype == DATE_DTYPE:
            return values
        dates: pd.Series = pd.Series(pd.to_datetime(values, errors="coerce")).astype(DATE_DTYPE)
        return dates
    if col in FLOAT_COLUMNS:
        if values is None:
            no_numbers: pd.Series = pd.Series(np.full(n, np.nan))
            return no_numbers
        if values.dtype == np.float64:
            return values
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
            values = values.cat.rename_categories(cast(Any, cats.astype(str)))
        blank = _blank_categories(values.cat.categories)
        return values.cat.remove_categories(blank) if blank else values
    return text_without_blanks(values)


def text_without_blanks(values: pd.Series) -> pd.Series:
    """A text column as Arrow strings, with empty and whitespace-only cells missing."""
    if not pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        values = values.astype("string")
    text = values if values.dtype == TEXT_DTYPE else values.astype(TEXT_DTYPE)
    arrow = pa.chunked_array(text.array.__arrow_array__())
    blank = _blank_cells(arrow)
    if not blank.any():
        return text
    return text.mask(blank)


def _blank_categories(categories: pd.Index) -> list[Any]:
    """Categories that are empty or whitespace only (Python's ``str.strip`` notion)."""
    if pd.api.types.infer_dtype(categories, skipna=False) == "string":
        # ``not c.strip()`` is ``not c or c.isspace()``; isspace is one C call per value.
        return [c for c in categories if not c or c.isspace()]
    return [c for c in categories if not str(c).strip()]


#: First bytes of the UTF-8 whitespace characters (ASCII ones, U+0085/U+00A0 and the
#: U+1680/U+2000../U+3000 spaces): a cell starting with another byte is not blank.
_SPACE_LEAD_BYTES = np.zeros(256, dtype=bool)
_SPACE_LEAD_BYTES[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20]] = True
_SPACE_LEAD_BYTES[[0xC2, 0xE1, 0xE2, 0xE3]] = True


def _blank_cells(values: Any) -> np.ndarray:  # a string ChunkedArray (the stubs lack
    # overloads for these kernels on it)
    """Empty or whitespace-only cells (nulls are not blank). Reads each cell's length
    (one Arrow kernel over all chunks) and first byte from the Arrow buffers; only cells
    starting with a space-like byte are checked in full (scanning 1M long notes costs
    ~30 ms; this a few)."""
    n = len(values)
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        empty = pc.utf8_length(values).to_numpy(zero_copy_only=False) == 0
        spaces = np.asarray(
            pc.fill_null(pc.utf8_is_space(values), False).to_numpy(zero_copy_only=False), dtype=bool
        )
        either: np.ndarray = (empty | spaces).reshape(n)
        return either
    if n == 0:
        return np.zeros(0, dtype=bool)
    lengths = pc.fill_null(pc.binary_length(values), -1).to_numpy()  # null: -1, not blank
    blank = lengths == 0
    firsts = np.zeros(n, dtype=np.uint8)
    width = np.int64 if pa.types.is_large_string(values.type) else np.int32
    position = 0
    for chunk in values.chunks:
        _first_bytes(chunk, width, firsts[position : position + len(chunk)])
        position += len(chunk)
    maybe = np.flatnonzero((lengths > 0) & _SPACE_LEAD_BYTES[firsts])
    if len(maybe):
        spaces = pc.utf8_is_space(values.take(pa.array(maybe)))
        blank[maybe] = np.asarray(pc.fill_null(spaces, False), dtype=bool)
    result: np.ndarray = blank
    return result


def _first_bytes(chunk: Any, width: Any, out: np.ndarray) -> None:
    """Write the first byte of each cell of a string chunk to ``out`` (left as it is for
    a chunk without data; meaningless for empty cells)."""
    count = len(chunk)
    _, offsets_buffer, data_buffer = chunk.buffers()
    if not count or data_buffer is None or not data_buffer.size:
        return
    itemsize = np.dtype(width).itemsize
    starts = np.frombuffer(offsets_buffer, dtype=width, count=count, offset=chunk.offset * itemsize)
    np.take(np.frombuffer(data_buffer, dtype=np.uint8), starts, out=out, mode="clip")
