"""All open datasets as one table of events, with fast numeric views of its columns."""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from timeline_app.model.dataset import Dataset
from timeline_app.model.schema import CATEGORICAL_COLUMNS, empty_events


class EventTable:
    """An immutable combination of datasets. Row ``i`` is the same event for the life
    of the table; filters, sorts and selections are numpy arrays of these row numbers.

    Opening or closing a file builds a new table; nothing edits one in place.
    """

    def __init__(self, datasets: list[Dataset] | None = None) -> None:
        self.datasets: list[Dataset] = list(datasets or [])
        names = [d.name for d in self.datasets]
        if len(set(names)) != len(names):
            raise ValueError(f"dataset names must be unique, got {names}")
        self.df: pd.DataFrame = _combine(self.datasets)
        sizes = [len(d.events) for d in self.datasets]
        #: offsets[k] is the first row of dataset k; offsets[-1] == len(self)
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)

    def __len__(self) -> int:
        return len(self.df)

    @cached_property
    def start_ns(self) -> np.ndarray:
        """Start of each event as int64 nanoseconds since the epoch."""
        return self.df["start"].to_numpy().view("int64")

    @cached_property
    def end_ns(self) -> np.ndarray:
        return self.df["end"].to_numpy().view("int64")

    def codes(self, column: str) -> np.ndarray:
        """Integer category codes of a categorical column (-1 = unknown)."""
        return self._codes[column]

    @cached_property
    def _codes(self) -> dict[str, np.ndarray]:
        # The categoricals' own codes (read-only), not ``.cat.codes``: a Series copy of
        # every column (a second resident copy of them, ~30 MB at 1M rows).
        return {c: self.df[c].array.codes for c in CATEGORICAL_COLUMNS}

    def dataset_index(self, rows: np.ndarray | int) -> np.ndarray:
        """Which dataset (index into ``datasets``) each row belongs to."""
        return np.searchsorted(self.offsets, rows, side="right") - 1

    def dataset_of(self, row: int) -> tuple[Dataset, int]:
        """The dataset a row comes from, and the row's position within it."""
        k = int(self.dataset_index(row))
        return self.datasets[k], int(row - self.offsets[k])

    def original_row(self, row: int) -> dict[str, object]:
        """The source file's own columns for one event (empty when not kept)."""
        dataset, local = self.dataset_of(row)
        if dataset.originals is None or local >= len(dataset.originals):
            return {}
        return {str(k): v for k, v in dataset.originals.iloc[local].to_dict().items()}

    def dataset_by_name(self, name: str) -> Dataset | None:
        return next((d for d in self.datasets if d.name == name), None)

    def row_of_id(self, dataset: str, event_id: str) -> int | None:
        """Row number of an event by its dataset and id (ids are unique per dataset)."""
        k = next((i for i, d in enumerate(self.datasets) if d.name == dataset), None)
        if k is None:
            return None
        lo, hi = self.offsets[k], self.offsets[k + 1]
        ids = self.df["id"].iloc[lo:hi]
        hits = np.flatnonzero((ids == event_id).to_numpy(dtype=bool, na_value=False))
        return int(lo + hits[0]) if len(hits) else None


def _combine(datasets: list[Dataset]) -> pd.DataFrame:
    if not datasets:
        return empty_events()
    frames = []
    for d in datasets:
        frame = d.events
        frame = frame.assign(dataset=_one_name(d.name, len(frame)))
        frames.append(frame)
    if len(frames) == 1:
        result: pd.DataFrame = frames[0].reset_index(drop=True)
        return result
    # Categoricals with different categories would fall back to object in concat;
    # union them so every column keeps integer codes.
    combined: dict[str, pd.Series] = {}
    for col in frames[0].columns:
        parts = [f[col] for f in frames]
        if col in CATEGORICAL_COLUMNS:
            combined[col] = pd.Series(
                union_categoricals(_same_category_dtype(parts), ignore_order=True)
            )
        else:
            combined[col] = pd.concat(parts, ignore_index=True)
    out: pd.DataFrame = pd.DataFrame(combined)
    return out


def _one_name(name: str, rows: int) -> pd.Categorical:
    """``pd.Categorical([name] * rows)`` without a list of a million names to hash."""
    if not rows:
        return pd.Categorical([])
    return pd.Categorical.from_codes(np.zeros(rows, dtype=np.int8), categories=pd.Index([name]))


def _same_category_dtype(parts: list[pd.Series]) -> list[pd.Series]:
    """Readers may give categories as object or as string dtype; union needs one."""
    if len({str(p.cat.categories.dtype) for p in parts}) == 1:
        return parts
    # An object Index, as is (a list would be inferred back to strings); the stubs want a
    # Sequence.
    return [p.cat.rename_categories(cast(Any, p.cat.categories.astype(object))) for p in parts]
