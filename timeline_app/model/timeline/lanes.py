"""Which lane every event sits in: one lane per value of the grouping column."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from timeline_app.model.events import EventTable
from timeline_app.model.schema import CATEGORIES

#: grouping key -> (column, label shown to the user)
GROUPINGS: dict[str, tuple[str, str]] = {
    "category": ("category", "Category"),
    "actor": ("actor1", "Actor"),
    "admin1": ("admin1", "Region (admin1)"),
    "event_type": ("event_type", "Event type"),
    "dataset": ("dataset", "Dataset"),
}
OTHER = "other"
DEFAULT_TOP_N = 8


@dataclass(frozen=True)
class Lanes:
    """Which lane every row of a table sits in, and the lanes' labels (top to bottom)."""

    grouping: str
    labels: tuple[str, ...]
    of_row: np.ndarray  # int16 lane per table row

    def __len__(self) -> int:
        return len(self.labels)


def assign_lanes(
    table: EventTable, grouping: str = "category", top_n: int = DEFAULT_TOP_N
) -> Lanes:
    """One lane per value of the grouping column: the ``top_n`` most frequent, then "other".

    Grouped by category, the canonical categories keep their fixed order and only the
    ones present get a lane. Unknown values go to "other". Lanes are chosen from the
    whole table (not the filtered rows) so they stay put while the user filters.
    """
    column = GROUPINGS[grouping][0]
    codes = codes_of(table, column) if len(table) else np.empty(0, dtype=np.int8)
    names = [str(c) for c in table.df[column].cat.categories]
    counts = code_counts(codes, len(names))
    if grouping == "category":
        rank = {c: i for i, c in enumerate(CATEGORIES)}
        present = [i for i in range(len(names)) if counts[i] > 0 and names[i] != OTHER]
        present.sort(key=lambda i: (rank.get(names[i], len(rank)), -counts[i]))
        chosen = present[:top_n] if len(present) > top_n else present
    else:
        by_count = np.argsort(-counts, kind="stable")
        chosen = [int(i) for i in by_count[:top_n] if counts[i] > 0]
    labels = [names[i] for i in chosen]
    rest = len(codes) - int(counts[chosen].sum()) if len(chosen) else len(codes)
    other = len(labels)
    if rest > 0 or not labels:
        labels.append(OTHER)
    # One slot more than the categories, so code -1 (unknown) lands in "other".
    lookup = np.full(len(names) + 1, min(other, len(labels) - 1), dtype=np.int16)
    lookup[chosen] = np.arange(len(chosen), dtype=np.int16)
    return Lanes(grouping, tuple(labels), lookup[codes] if len(codes) else codes.astype(np.int16))


def codes_of(table: EventTable, column: str) -> np.ndarray:
    """``table.codes(column)``, without making every categorical column's codes first
    when the table has not yet (~10 ms at 1M rows, on the UI thread when a file opens)."""
    if "_codes" in vars(table):  # EventTable._codes, a cached_property, is made
        return table.codes(column)
    return table.df[column].cat.codes.to_numpy()


def code_counts(codes: np.ndarray, n: int) -> np.ndarray:
    """Rows per category code 0..n-1 (unknown, -1, left out) of int8/int16 codes, without
    copying the known codes out first (tens of ms at 1M rows on a busy machine)."""
    if codes.dtype in (np.int8, np.int16):
        # Read as unsigned, unknown (-1) is the largest value: past every real code.
        unsigned = codes.view(np.uint8 if codes.dtype == np.int8 else np.uint16)
        return np.bincount(unsigned, minlength=n)[:n]
    return np.bincount(codes[codes >= 0].astype(np.int64), minlength=n)
