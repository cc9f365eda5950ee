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
    # Find blank cells without building a stripped copy of a column of long notes.
    arrow = pa.chunked_array(text.array.__arrow_array__())
    blank = pc.or_(pc.equal(pc.utf8_length(arrow), 0), pc.utf8_is_space(arrow))
    blank = pc.fill_null(blank, False)
    if not pc.any(blank).as_py():
        return text
    return text.mask(np.asarray(blank))
