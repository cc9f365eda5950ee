"""Stable multi-key sorting of row numbers, with unknown values last.

Each column's ascending order is computed once and cached as a rank array; a sort
by several keys is then a numpy lexsort over small integer ranks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from timeline_app.model.events import EventTable

SortKey = tuple[str, bool]  # (column, ascending)


class Sorter:
    """Sorts row numbers of one table; caches a rank per column."""

    def __init__(self, table: EventTable) -> None:
        self.table = table
        self._ranks: dict[str, np.ndarray] = {}
        self._unknown: dict[str, np.ndarray] = {}

    def is_text(self, column: str) -> bool:
        """Free-text columns are slow to rank the first time: sort them off the UI thread."""
        return pd.api.types.is_string_dtype(self.table.df[column].dtype) and not isinstance(
            self.table.df[column].dtype, pd.CategoricalDtype
        )

    def rank(self, column: str) -> np.ndarray:
        """Dense rank of each row by ``column`` ascending (equal values share a rank)."""
        if column not in self._ranks:
            self._ranks[column], self._unknown[column] = _rank(self.table.df[column])
        return self._ranks[column]

    def order(self, rows: np.ndarray, keys: list[SortKey]) -> np.ndarray:
        """``rows`` reordered by ``keys`` (first key most significant), stably."""
        if not keys or len(rows) < 2:
            return rows
        sort_keys = []
        for column, ascending in reversed(keys):  # lexsort: last key is primary
            rank = self.rank(column)[rows]
            unknown = self._unknown[column][rows]
            sort_keys.append(rank if ascending else -rank)
            sort_keys.append(unknown)  # unknown last, whatever the direction
        return rows[np.lexsort(sort_keys)]


def _rank(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        cats = series.cat.categories
        # Categories are in insertion order: rank them by their text, case-insensitively.
        cat_rank = np.empty(len(cats) + 1, dtype=np.int64)
        cat_rank[np.argsort(cats.astype(str).str.casefold().to_numpy(), kind="stable")] = np.arange(
            len(cats)
        )
        cat_rank[-1] = 0
        return cat_rank[codes], codes < 0
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series.to_numpy().view("int64")
        unknown = series.isna().to_numpy()
        return values, unknown
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy().astype(np.int64), np.zeros(len(series), bool)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype="float64")
        unknown = np.isnan(values)
        ranks = np.unique(np.where(unknown, 0, values), return_inverse=True)[1]
        return ranks.astype(np.int64), unknown
    text = series.astype("string[pyarrow]")
    unknown = text.isna().to_numpy()
    folded = text.str.casefold().fillna("")
    ranks = pd.factorize(folded, sort=True)[0]
    return ranks.astype(np.int64), unknown
