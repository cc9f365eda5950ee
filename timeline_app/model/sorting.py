"""Stable multi-key sorting of row numbers, with unknown values last.

Each column's values are turned once into a dense rank (cached); a sort key for one
direction is that rank with unknown values mapped past the largest, stored in the
smallest unsigned integer type that holds it. Sorting is then one stable argsort per
key, least significant first. Most columns (categories, dates as days, fatalities)
have fewer than 65,536 distinct values, so their keys are 16-bit and numpy sorts them
with a radix sort: ~10 ms for 1M rows.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.model.events import EventTable
from timeline_app.model.matched import MATCH_COLUMN, found_for
from timeline_app.model.text import fold
from timeline_app.model.timeline.index import kept_start_order, start_order
from timeline_app.model.units import NAT_NS

SortKey = tuple[str, bool]  # (column, ascending)

#: The table's order until the user picks another: by start date, earliest first. Ties
#: keep the table's row order (the datasets in the order they were opened, then each
#: file's own order), as every sort does: stable, and the same on every start.
DEFAULT_SORT: tuple[SortKey, ...] = (("start", True),)
#: Whole-table orders kept per table (8 bytes a row each).
KEPT_ORDERS = 2
#: A filter keeping fewer than one row in this many is ordered row by row (see order_mask).
FEW_ROWS_SHARE = 64
#: Free text is ranked by this many first characters, then the rows tied on them by
#: their whole text (see _text_rank): 128 leaves ~100 of the benchmark's 1M notes tied.
PREFIX_CHARS = 128


class Sorter:
    """Sorts row numbers of one table; caches a rank and sort keys per column.

    Thread-safe: a worker may build a column's rank while the UI thread sorts by others.
    """

    def __init__(self, table: EventTable) -> None:
        self.table = table
        self._ranks: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
        self._keys: dict[SortKey, np.ndarray] = {}
        self._orders: dict[tuple[SortKey, ...], np.ndarray] = {}
        self._places_of: dict[tuple[SortKey, ...], tuple[np.ndarray, np.ndarray]] = {}
        self._lock = threading.RLock()

    def is_text(self, column: str) -> bool:
        """Free-text columns are slow to rank the first time: sort them off the UI thread."""
        if column not in self.table.df.columns:
            return False
        dtype = self.table.df[column].dtype
        return pd.api.types.is_string_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype)

    def is_ready(self, column: str) -> bool:
        """Whether ``column`` is ranked already (a sort by it is then fast)."""
        return self._name(column) in self._ranks

    def _name(self, column: str) -> str:
        """The cache's name for ``column``: the pairs' column is new with each search."""
        if column != MATCH_COLUMN:
            return column
        found = found_for(self.table)
        return f"{MATCH_COLUMN}#{found.serial if found is not None else 0}"

    def rank(self, column: str) -> np.ndarray:
        """Dense rank of each row by ``column`` ascending (equal values share a rank)."""
        return self._rank(column)[0]

    def unknown(self, column: str) -> np.ndarray:
        """Which rows have no value in ``column``."""
        return self._rank(column)[1]

    def key(self, column: str, ascending: bool) -> np.ndarray:
        """Per row, an unsigned integer that sorts as asked, unknown values last."""
        name = self._name(column)
        with self._lock:
            if (name, ascending) not in self._keys:
                rank, unknown, count = self._rank(column)
                dtype = _smallest_uint(count)
                key: np.ndarray = (rank if ascending else (count - 1) - rank).astype(dtype)
                key[unknown] = count
                self._keys[(name, ascending)] = key
            return self._keys[(name, ascending)]

    def order(self, rows: np.ndarray, keys: list[SortKey]) -> np.ndarray:
        """``rows`` reordered by ``keys`` (first key most significant), stably."""
        if not keys or len(rows) < 2:
            return rows
        ordered = np.asarray(rows)
        for column, ascending in reversed(keys):  # least significant first (LSD)
            values = self.key(column, ascending)[ordered]
            ordered = ordered[np.argsort(values, kind="stable")]
        return ordered

    def has_order(self, keys: list[SortKey]) -> bool:
        """Whether the whole table's order by ``keys`` is kept (ordering a subset is then
        one gather, see :meth:`order_mask`), or is at hand: by date, the timeline's."""
        return (
            not keys
            or self._order_key(keys) in self._orders
            or (self._by_start(keys) and kept_start_order(self.table) is not None)
        )

    def full_order(self, keys: list[SortKey]) -> np.ndarray:
        """Every row by ``keys``, kept (the last KEPT_ORDERS key lists): slow the first
        time at 1M rows (ranking the columns), so a worker may build it first."""
        wanted = self._order_key(keys)
        with self._lock:
            order = self._orders.get(wanted)
        if order is None:
            if self._by_start(keys):
                order = self._start_order()
            else:
                order = self.order(np.arange(len(self.table), dtype=np.int64), list(keys))
            order.flags.writeable = False  # kept, and handed out as it is (order_mask)
            with self._lock:
                self._orders[wanted] = order
                while len(self._orders) > KEPT_ORDERS:
                    self._orders.pop(next(iter(self._orders)))
        return order

    def _by_start(self, keys: list[SortKey]) -> bool:
        return list(keys) == [("start", True)] and "start" in self.table.df.columns

    def _start_order(self) -> np.ndarray:
        """Rows by start, earliest first, unknown last, ties in row order: the timeline's
        order of the same table (one sort of a million dates for both; it puts the
        unknown first, as NaT sorts), with its unknown rows moved to the end."""
        order = start_order(self.table)
        unknown = int(np.count_nonzero(self.table.start_ns == NAT_NS))
        return np.concatenate((order[unknown:], order[:unknown])) if unknown else order

    def _order_key(self, keys: list[SortKey]) -> tuple[SortKey, ...]:
        """What a kept order is filed under: the keys, the pairs' column by its search."""
        return tuple((self._name(column), ascending) for column, ascending in keys)

    def order_mask(self, mask: np.ndarray, keys: list[SortKey]) -> np.ndarray:
        """The rows of ``mask`` ordered by ``keys``: the same as ``order(flatnonzero(mask),
        keys)`` (ties in row order), as one pass through the kept whole-table order
        instead of a sort per filter change (the default sort is always on)."""
        if not keys:
            return np.flatnonzero(mask).astype(np.int64, copy=False)
        full = self.full_order(keys)
        # A count, not the rows' positions: no filter (every row) needs none of them.
        shown = int(np.count_nonzero(mask))
        if shown == len(full):  # every row (no filter): the kept order as it is
            return full
        if shown * FEW_ROWS_SHARE > len(mask):
            # positions then take(): a boolean index on a patchy mask mispredicts at every
            # row (6 ms at 1M rows where this takes 1.3)
            result: np.ndarray = full.take(np.flatnonzero(mask.take(full)))
            return result
        # Few rows (a narrow filter): order them by their places in the full order, not
        # a gather of the mask over a million places in random order (~2 ms at 1M).
        rows = np.flatnonzero(mask)
        places = self._places(keys, full)[rows]
        return rows[np.argsort(places, kind="stable")].astype(np.int64, copy=False)

    def prepare(self, keys: list[SortKey]) -> None:
        """Make the order by ``keys`` and each row's place in it (a narrow filter reads
        them: a pass over every row each), ahead, on the caller's thread."""
        self._places(keys, self.full_order(keys))

    def _places(self, keys: list[SortKey], full: np.ndarray) -> np.ndarray:
        """Each row's place in :meth:`full_order` (kept with it)."""
        wanted = self._order_key(keys)
        with self._lock:
            places = self._places_of.get(wanted)
            if places is not None and places[0] is full:
                return places[1]
        inverse = np.empty(len(full), dtype=np.int64)
        inverse[full] = np.arange(len(full), dtype=np.int64)
        with self._lock:
            self._places_of[wanted] = (full, inverse)
            while len(self._places_of) > KEPT_ORDERS:
                self._places_of.pop(next(iter(self._places_of)))
        return inverse

    def _rank(self, column: str) -> tuple[np.ndarray, np.ndarray, int]:
        name = self._name(column)
        with self._lock:
            if name not in self._ranks:
                if column == MATCH_COLUMN:
                    self._ranks[name] = self._match_rank()
                else:
                    self._ranks[name] = _rank(self.table.df[column])
            return self._ranks[name]

    def _match_rank(self) -> tuple[np.ndarray, np.ndarray, int]:
        """By pair number (the best pair first, its two events together); rows in no
        pair are unknown (last)."""
        found = found_for(self.table)
        n = len(self.table)
        if found is None:
            return np.zeros(n, np.int64), np.ones(n, bool), 1
        group = found.columns.group
        return np.maximum(group - 1, 0), group == 0, max(int(group.max(initial=0)), 1)


def clicked_keys(
    keys: list[SortKey] | tuple[SortKey, ...], column: str, add: bool
) -> list[SortKey]:
    """The sort a header click asks for: by ``column`` (again: reversed); with ``add``
    (shift-click) a further key instead of replacing the others."""
    keys = list(keys)
    position = next((i for i, (c, _) in enumerate(keys) if c == column), None)
    if add:
        if position is None:
            keys.append((column, True))
        else:
            keys[position] = (column, not keys[position][1])
    elif position == 0:
        keys = [(column, not keys[0][1])]
    else:
        keys = [(column, True)]
    return keys


def _smallest_uint(count: int) -> type:
    # ``count`` itself is used for unknown values, so it must fit too.
    for dtype in (np.uint8, np.uint16, np.uint32):
        if count <= np.iinfo(dtype).max:
            return dtype
    return np.uint64


def _rank(series: pd.Series) -> tuple[np.ndarray, np.ndarray, int]:
    """(dense rank per row, unknown per row, number of ranks)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        cats = series.cat.categories
        # Categories are in insertion order: rank them by their text, ignoring case and
        # accents ("Ségou" sorts with "Segou", not after "Z").
        # Names that fold the same ("Segou", "Ségou") share a rank.
        folded = np.asarray([fold(c) for c in cats] + [""], dtype=object)
        cat_rank = np.unique(folded, return_inverse=True)[1].astype(np.int64)
        return cat_rank[codes], codes < 0, max(len(cats) + 1, 1)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        unknown = series.isna().to_numpy()
        ranks, uniques = pd.factorize(series.to_numpy().view("int64"), sort=True)
        return ranks.astype(np.int64), unknown, max(len(uniques), 1)
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy().astype(np.int64), np.zeros(len(series), bool), 2
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype="float64")
        ranks, uniques = pd.factorize(values, sort=True)  # NaN -> -1
        unknown = ranks < 0
        return np.maximum(ranks, 0).astype(np.int64), unknown, max(len(uniques), 1)
    text: Any = series.array.__arrow_array__() if hasattr(series.array, "__arrow_array__") else None
    if text is None:
        text = pa.array(series.astype("string"), type=pa.string())
    # (Arrow's booleans are bits: making them numpy's bytes holds the GIL ~20 ms at 1M
    # rows, a stall of the UI thread while a worker ranks; most text has no nulls.)
    unknown = (
        np.zeros(len(text), dtype=bool)
        if text.null_count == 0
        else np.asarray(pc.is_null(text), dtype=bool)
    )
    ranks = _text_rank(text)
    return ranks, unknown, max(int(ranks.max()) + 1 if len(ranks) else 1, 1)


def _text_rank(text: Any) -> np.ndarray:
    """Dense rank (0-based, nulls sharing the last) of each value by its lower-case text:
    the ranks of Arrow's rank of ``utf8_lower(text)``, without a lowered copy of the whole
    column (1M notes: ~370 MB, and the rank's own work as much again). The values are
    ranked by their first PREFIX_CHARS characters lowered (made a chunk at a time), then
    only the rows tied with another on those and longer, by their whole lowered text.
    Lowering maps each character to one, so a lowered prefix is the lowered text's prefix:
    the two ranks together order the rows as the whole lowered text does."""
    if not len(text):
        return np.zeros(0, dtype=np.int64)
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    prefix = pa.chunked_array(
        [pc.utf8_lower(pc.utf8_slice_codeunits(c, 0, PREFIX_CHARS)) for c in chunks], text.type
    )
    ranks = _dense_rank(prefix)
    del prefix
    lengths = np.asarray(pc.fill_null(pc.utf8_length(text), 0))
    counts = np.bincount(ranks)
    refine = np.zeros(len(counts), dtype=bool)
    refine[ranks[(lengths > PREFIX_CHARS) & (counts[ranks] > 1)]] = True
    tied = refine[ranks]
    if not tied.any():
        return ranks
    whole = _dense_rank(pc.utf8_lower(pc.filter(text, pa.array(tied))))
    key = ranks * (int(whole.max()) + 1)
    key[tied] += whole
    dense: np.ndarray = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
    return dense


def _dense_rank(text: Any) -> np.ndarray:
    # Arrow's dense rank is ~6x faster than a sorted factorize on long text (notes).
    ranks = np.asarray(pc.rank(text, "ascending", tiebreaker="dense"))
    result: np.ndarray = ranks.astype(np.int64) - 1  # 1-based; nulls share the last rank
    return result


def sort_mark(column: str, keys: list[SortKey]) -> str:
    """ "▲2" when ``column`` is the second of ``keys``, ascending ("" if not a key): what
    a table's header shows, whichever engine the rows come from."""
    for k, (col, ascending) in enumerate(keys):
        if col == column:
            return f"{'▲' if ascending else '▼'}{k + 1}"
    return ""
