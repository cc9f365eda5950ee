"""The DuckDB engine as an event source (model/source.py): what the window's views ask
of a dataset bigger than memory.

Pages are found by keyset on the sort keys: the next page starts after the previous
page's last row, whose key values are kept. A jump (a scroll bar dragged to the middle
of 10M rows) finds the row before the page by OFFSET over the sort keys only (DuckDB
reads just those columns), then reads the page by keyset as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from timeline_app.model.actors import active_dictionary
from timeline_app.model.dataset import Dataset
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.model.sorting import SortKey
from timeline_app.model.source import KEY_COLUMN
from timeline_app.model.trends import Series
from timeline_app.storage.duck.compare import CompareCounter
from timeline_app.storage.duck.engine import DuckEngine
from timeline_app.storage.duck.facets import FacetCounter, FacetTable
from timeline_app.storage.duck.source import GivenName
from timeline_app.storage.duck.timeline import TimelineCounter
from timeline_app.storage.duck.trends import Bands, Milestones, TrendCounter, trend_marks

#: Anchors kept per (filter, sort): the last row of each page read.
MAX_ANCHORS = 4096


class DuckSource:
    """:class:`~timeline_app.model.source.EventSource` over a :class:`DuckEngine`."""

    engine = "duckdb"

    def __init__(self, engine: DuckEngine) -> None:
        self.duck = engine
        #: The datasets' names (a converted file's sources each one) and the inputs' paths.
        self.names: list[str] = list(engine.dataset_names)
        self.paths: list[Path] = [item.path for item in engine.inputs]
        self._lock = threading.Lock()
        # (spec, sort) -> {row number: key values of the row before it}
        # (spec, sort, actor dictionary version) -> {row number: key values of the row before}
        self._anchors: dict[tuple[Any, ...], dict[int, tuple[Any, ...]]]
        self._anchors = {}
        self._facets = FacetCounter(engine)
        self._trends = TrendCounter(engine, self._facets)
        self.timeline = TimelineCounter(engine, self._trends)
        #: The before-and-after comparison's counts (ui/trends/compare_figures.py).
        self.compare = CompareCounter(engine, self._facets)

    @classmethod
    def open(
        cls,
        paths: list[Path],
        memory_limit: str | None = None,
        names: Sequence[GivenName] | None = None,
    ) -> DuckSource:
        """``names``: the datasets' names (a workspace's); by default the inputs' stems."""
        return cls(DuckEngine(paths, names=names, memory_limit=memory_limit))

    def datasets(self) -> list[Dataset]:
        return self.compare.datasets()

    def count(self, spec: FilterSpec) -> int:
        return self.duck.count(spec)

    def page(
        self,
        spec: FilterSpec,
        sort_keys: list[SortKey],
        start: int,
        limit: int,
        columns: list[str] | None = None,
    ) -> pa.Table:
        keys = tuple((str(c), bool(a)) for c, a in sort_keys)
        pairs = self.duck.pairs  # a page read while new pairs came is not remembered
        after = None if start <= 0 else self._anchor(spec, keys, start)
        found = self.duck.page(spec, list(keys), after=after, limit=limit, columns=columns)
        rows = found.rows.append_column(KEY_COLUMN, pa.array(found.keys, pa.int64()))
        if found.last is not None and rows.num_rows == limit:
            self._remember(spec, keys, start + limit, found.last, pairs)
        return rows

    def _anchor(self, spec: FilterSpec, keys: tuple[SortKey, ...], start: int) -> tuple[Any, ...]:
        pairs = self.duck.pairs
        with self._lock:
            known = self._anchors.get(_query_key(spec, keys, pairs), {}).get(start)
        if known is not None:
            return known
        # The row just before ``start``: its sort values and key, by OFFSET on the keys.
        text, params = self.duck.select_sql(spec, list(keys), ["start"], limit=1)
        found = self.duck.query(f"{text} OFFSET {int(start) - 1}", params)
        if not found.num_rows:
            return (None,) * len(keys) + (2**62,)  # past the end: an empty page
        anchor = tuple(found.column(f"__s{i}")[0].as_py() for i in range(len(keys)))
        anchor += (int(found.column("__key")[0].as_py()),)
        self._remember(spec, keys, start, anchor, pairs)
        return anchor

    def _remember(
        self,
        spec: FilterSpec,
        keys: tuple[SortKey, ...],
        start: int,
        anchor: tuple[Any, ...],
        pairs: Any,
    ) -> None:
        """Keep ``anchor``, found with ``pairs`` (not when the engine has others now)."""
        if pairs is not self.duck.pairs:
            return
        with self._lock:
            known = self._anchors.setdefault(_query_key(spec, keys, pairs), {})
            if len(known) >= MAX_ANCHORS:
                known.clear()
            known[start] = anchor
            if len(self._anchors) > 16:  # old filters and sorts
                for old in list(self._anchors)[:-16]:
                    del self._anchors[old]

    def keys_at(
        self, spec: FilterSpec, sort_keys: list[SortKey], start: int, limit: int
    ) -> np.ndarray:
        """The keys of the ``limit`` rows from row ``start`` in display order (a range
        the table selected), reading the sort's columns only."""
        keys = [(str(c), bool(a)) for c, a in sort_keys]
        text, params = self.duck.select_sql(spec, keys, ["start"], limit=int(limit))
        found = self.duck.query(f"{text} OFFSET {max(int(start), 0)}", params)
        return found.column(KEY_COLUMN).to_numpy()

    def rows_of(
        self, spec: FilterSpec, sort_keys: list[SortKey], keys: np.ndarray, limit: int
    ) -> pa.Table:
        """The rows of ``keys`` that ``spec`` keeps, the first ``limit`` in display
        order, with their keys (a page's columns: the table's copy of its selection)."""
        table = self.duck.key_table(keys)
        wanted = [c for c in self.duck.columns if c in CANONICAL_COLUMNS]
        text, params = self.duck.select_sql(
            spec,
            [(str(c), bool(a)) for c, a in sort_keys],
            wanted,
            limit=int(limit),
            extra_where=f"__key IN (SELECT key FROM {table})",
        )
        return self.duck.query(text, params).select([*wanted, KEY_COLUMN])

    def event(self, key: int) -> dict[str, Any] | None:
        return self.duck.event(key)

    def contains(self, spec: FilterSpec, key: int) -> bool:
        return self.duck.contains(spec, int(key))

    def kept_keys(self, spec: FilterSpec, keys: np.ndarray) -> np.ndarray:
        return self.duck.kept_keys(spec, keys)

    def position(self, spec: FilterSpec, sort_keys: list[SortKey], key: int) -> int | None:
        return self.duck.position(spec, [(str(c), bool(a)) for c, a in sort_keys], int(key))

    def facet_counts(self, spec: FilterSpec, column: str) -> dict[str, int]:
        return self.duck.value_counts(spec, column)

    def list_counts(self, spec: FilterSpec) -> tuple[FacetTable, dict[str, Any]]:
        return self._facets.counts(spec)

    def prepare_list_counts(self) -> bool:
        return self._facets.prepare()

    def histogram(self, spec: FilterSpec, unit: str, lane: str | None = None) -> pa.Table:
        return self.duck.histogram(spec, unit, lane)

    def date_range(self, spec: FilterSpec) -> tuple[int, int] | None:
        return self.duck.date_range(spec)

    def trend_series(
        self,
        spec: FilterSpec,
        unit: str = "auto",
        grouping: str = "category",
        measure: str = "events",
        span_ns: tuple[int, int] | None = None,
    ) -> Series:
        return self._trends.series(spec, unit, grouping, measure, span_ns)

    def trend_marks(self, lo: int, hi: int, limit: int) -> tuple[Milestones, Bands]:
        return trend_marks(self.duck, lo, hi, limit)

    def interrupt(self) -> None:
        self.duck.interrupt()

    def close(self) -> None:
        self.duck.close()


def _query_key(spec: FilterSpec, keys: tuple[SortKey, ...], pairs: Any) -> tuple[Any, ...]:
    """What a page's rows depend on: the filter, the sort, and what the filter's actor
    names mean (the dictionary in use) and its matched events or its sort by the pairs'
    numbers (the pairs kept)."""
    paired = spec.matched or any(column == MATCH_COLUMN for column, _ in keys)
    return (spec, keys, active_dictionary().version, pairs if paired else None)
