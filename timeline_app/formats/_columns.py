"""Canonical columns from a :class:`TextTable`'s string columns, without per-row loops.

Repetitive columns are worked on once per distinct value (or distinct combination of
values) and mapped back to the rows by integer codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.formats.text_table import TextTable, as_strings


def normalise_names(names: Iterable[str], aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Map each normalised, alias-resolved name to the file's own name (first one wins).

    Normalised: lower case, spaces and hyphens as underscores ("Date Start" -> date_start).
    """
    aliases = aliases or {}
    out: dict[str, str] = {}
    for name in names:
        key = re.sub(r"[\s\-]+", "_", name.strip().lower())
        key = aliases.get(key, key)
        out.setdefault(key, name)
    return out


def to_pandas_text(column: pa.ChunkedArray[Any]) -> pd.Series:
    """A string column as pandas: dictionary -> categorical, plain -> Arrow strings."""
    if pa.types.is_dictionary(column.type):
        column = column.unify_dictionaries() if column.num_chunks > 1 else column
        result: pd.Series = pd.Series(column.to_pandas())
        return result
    as_pandas: pd.Series = pd.Series(column.to_pandas(types_mapper=pd.ArrowDtype))
    return as_pandas


def stripped_categorical(column: pa.ChunkedArray[Any]) -> pd.Categorical:
    """A text column as a categorical of stripped values; blank cells are missing."""
    codes, uniques = factorize_as(column, np.int32)
    if all(u and u == u.strip() for u in uniques):  # the usual case: codes are used as they are
        return pd.Categorical.from_codes(
            codes, categories=pd.Index(uniques, dtype=object), validate=False
        )
    stripped = pd.Index(uniques, dtype=object).str.strip()
    stripped = stripped.where(stripped != "", None)
    unique_codes, categories = pd.factorize(stripped)
    mapped = unique_codes[codes] if len(unique_codes) else codes
    return pd.Categorical.from_codes(
        mapped, categories=pd.Index(categories, dtype=object), validate=False
    )


def factorize(column: pa.ChunkedArray[Any]) -> tuple[np.ndarray, list[str]]:
    """Integer codes (int64, one per row) and the distinct strings they index."""
    return factorize_as(column, np.int64)


def factorize_as(column: pa.ChunkedArray[Any], dtype: type) -> tuple[np.ndarray, list[str]]:
    """:func:`factorize` with codes of the given integer type (a new, writeable array)."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    if column.num_chunks == 0:
        return np.zeros(0, dtype=dtype), []
    if column.num_chunks > 1:
        column = column.unify_dictionaries()
    chunks: list[Any] = column.chunks  # DictionaryArrays (the stubs see Arrays)
    dictionary = chunks[0].dictionary
    parts = [c.indices.to_numpy(zero_copy_only=False) for c in chunks]
    # One new array of the codes (each extra 1M-row copy costs page faults, not just time).
    codes = parts[0].astype(dtype) if len(parts) == 1 else np.concatenate(parts).astype(dtype)
    return codes, dictionary.to_pylist()


def to_float(column: pa.ChunkedArray[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from a text column: (values with NaN for blank or not a number, not-a-number mask).

    Blank cells are unknown and not counted as bad; text that is not a number is both
    unknown and flagged, so readers can warn about it.
    """
    codes, uniques = factorize(column) if _repetitive(column) else (None, None)
    if codes is not None:
        values, bad = _numbers(pd.Series(uniques, dtype=object))
        if not len(values):
            return np.full(len(codes), np.nan), np.zeros(len(codes), dtype=bool)
        return values[codes], bad[codes]
    strings: Any = as_strings(column)
    # Fast paths in Arrow: every cell a number; then blanks as unknown; else pandas.
    for clean in (False, True):
        try:
            cells = strings
            if clean:
                cells = pc.utf8_trim_whitespace(strings)
                empty = pc.equal(cells, pa.scalar("", pa.string()))
                cells = pc.if_else(empty, pa.scalar(None, pa.string()), cells)
            values = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        values = np.array(values, dtype=np.float64)
        values[~np.isfinite(values)] = np.nan
        return values, np.zeros(len(values), dtype=bool)
    return _numbers(pd.Series(strings.to_pandas(), dtype=object))


def _repetitive(column: pa.ChunkedArray[Any]) -> bool:
    return pa.types.is_dictionary(column.type)


def _numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    text = values.astype(str).str.strip()
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    bad = (
        np.isnan(numbers)
        & (text != "").to_numpy()
        & ~text.str.lower().isin(["nan", "na", "n/a"]).to_numpy()
    )
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers, bad


def strip_text(column: pa.ChunkedArray[Any] | None) -> pa.ChunkedArray[Any] | None:
    """A text column with surrounding whitespace removed (plain strings)."""
    if column is None:
        return None
    trimmed: pa.ChunkedArray[Any] = pc.utf8_trim_whitespace(cast(Any, as_strings(column)))
    return trimmed


def per_combination(
    columns: list[pd.Categorical], fn: Callable[..., str | None]
) -> tuple[np.ndarray, list[str | None]]:
    """Call ``fn`` once per distinct combination of values across categorical columns.

    Returns (code per row, result per code). Missing values are passed as None. This is
    how titles, categories and joined actor lists are built without a per-row loop.
    """
    codes, picks = combinations(columns)
    # Plain lists, [None] last so that category code -1 (missing) indexes None.
    lookups = [[*map(str, column.categories), None] for column in columns]
    results = [
        fn(*(lookup[i] for lookup, i in zip(lookups, combo, strict=True)))
        for combo in zip(*(p.tolist() for p in picks), strict=True)
    ]
    return codes, results


def combinations(
    columns: list[pd.Categorical], *, ordered: bool = True
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The distinct combinations of values across categorical columns: (combination code
    per row, per column the category code of each combination, -1 for missing).

    ``ordered``: combinations numbered in order of first appearance (what categoricals
    built from them need); otherwise in any order, which is cheaper when few are possible.
    """
    n = len(columns[0])
    key = np.zeros(n, dtype=np.int64)
    possible = 1
    for column in columns:  # in place: each new 1M-row array costs page faults
        key *= len(column.categories) + 1
        key += column.codes
        key += 1
        possible *= len(column.categories) + 1
    if possible <= max(4 * n, 1 << 16):
        # Every possible key has a slot: mark the ones used and number them (no hashing).
        used = np.zeros(possible, dtype=bool)
        used[key] = True
        keys = np.flatnonzero(used)
        codes = (np.cumsum(used) - 1)[key]
        if ordered:  # renumber by first appearance, as pd.factorize numbers them
            first = np.full(len(keys), n, dtype=np.int64)
            np.minimum.at(first, codes, np.arange(n, dtype=np.int64))
            rank = np.argsort(first, kind="stable")
            renumber = np.empty(len(keys), dtype=np.int64)
            renumber[rank] = np.arange(len(keys))
            codes, keys = renumber[codes], keys[rank]
    else:
        codes, keys = pd.factorize(key)
    picks: list[np.ndarray] = []
    for column in reversed(columns):
        keys, index = np.divmod(keys, len(column.categories) + 1)
        picks.append(index - 1)
    return codes.astype(np.int64, copy=False), picks[::-1]


def as_categorical(codes: np.ndarray, labels: list[str | None]) -> pd.Categorical:
    """Rows' labels (by code) as a categorical; None and blank labels are missing."""
    clean = [label if label and label.strip() else None for label in labels]
    label_codes, categories = pd.factorize(pd.Series(clean, dtype=object))
    codes = np.asarray(codes, dtype=np.int64)
    if len(label_codes) and (not len(codes) or codes.min() >= 0):  # every row has a label
        row_codes = label_codes.astype(np.int32)[codes]
    elif len(label_codes):
        row_codes = np.where(codes >= 0, label_codes[np.maximum(codes, 0)], -1)
    else:
        row_codes = np.full(len(codes), -1, dtype=np.int64)
    return pd.Categorical.from_codes(
        row_codes, categories=pd.Index(categories, dtype=object), validate=False
    )


def as_text(codes: np.ndarray, labels: list[str | None]) -> pd.Series:
    """Rows' labels (by code) as an Arrow-backed string column."""
    dictionary = pa.array(labels, type=pa.string())
    array = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), dictionary)
    result: pd.Series = pd.Series(pc.cast(array, pa.string()).to_pandas(types_mapper=pd.ArrowDtype))
    return result


def originals_frame(text: TextTable, rows: np.ndarray) -> pd.DataFrame:
    """The file's own columns for the given rows, named as in the file."""
    rows = np.asarray(rows, dtype=np.int64)
    everything = len(rows) == text.table.num_rows  # rows are sorted and distinct
    taken = text.table if everything else text.table.take(pa.array(rows))
    columns = {}
    for name, column in zip(text.names, taken.columns, strict=True):
        columns[name] = to_pandas_text(column).reset_index(drop=True)
    result: pd.DataFrame = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
    return result


def join_text(parts: list[pd.Categorical], separator: str) -> pd.Series:
    """Row-wise join of categorical columns, missing values left out (Arrow, no loop).

    Joined once per distinct combination of values, then spread to the rows by code."""
    codes, picks = combinations(parts, ordered=False)
    arrays = [
        pc.cast(pa.array(pd.Categorical.from_codes(pick, dtype=part.dtype)), pa.string())
        for part, pick in zip(parts, picks, strict=True)
    ]
    joined = join_arrays(list(arrays), separator)
    rows = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), joined)
    result: pd.Series = pd.Series(pc.cast(rows, pa.string()).to_pandas(types_mapper=pd.ArrowDtype))
    return result


def join_arrays(
    arrays: list[pa.Array[Any] | pa.ChunkedArray[Any]], separator: str
) -> pa.Array[Any]:
    """Row-wise join of string arrays, nulls left out; null where every part is null.

    Not ``binary_join_element_wise(..., null_handling="skip")``: in pyarrow 26 that drops
    the rows where every part is null, returning fewer rows than it was given.
    """
    result: Any = arrays[0]
    for part in arrays[1:]:
        both = pc.binary_join_element_wise(result, cast(Any, part), separator)  # null if either
        result = pc.coalesce(both, result, part)
    joined: pa.Array[Any] = result
    return joined


def frame_of(columns: dict[str, object], rows: int) -> pd.DataFrame:
    """The canonical columns (None = absent) as one frame, each checked to have every row.

    A column of another length is a bug that pandas would hide by aligning on the index;
    it is raised instead, so the user gets a clear failure rather than shifted values.
    """
    result: pd.DataFrame = pd.DataFrame(present_columns(columns, rows), copy=False)
    return result


def present_columns(columns: dict[str, Any], rows: int) -> dict[str, Any]:
    """The columns that are not None, each checked to have ``rows`` rows (see frame_of)."""
    present = {k: v for k, v in columns.items() if v is not None}
    for name, values in present.items():
        if len(values) != rows:
            raise ValueError(f"internal error: column {name} has {len(values)} of {rows} rows")
    return present


def categorical(codes: np.ndarray, categories: Any, validate: bool = True) -> pd.Categorical:
    """``pd.Categorical.from_codes`` (code -1: unknown); typed here once, as its stubs
    take no small-integer codes."""
    made: pd.Categorical = cast(Any, pd.Categorical).from_codes(
        codes, categories=categories, validate=validate
    )
    return made
