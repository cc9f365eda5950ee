"""What the window shows of a dataset answered by an engine (model/source.py) rather
than held in memory: the source, its filter, its sort, how many rows it keeps, and the
focused event's key. Qt-free like the rest of the state; the views listen and ask the
source for their rows in workers (ui/source_table.py).

Each change of filter or sort takes a new ``generation``: answers computed for an older
one arrive late and are dropped (:meth:`SourceView.set_count`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from psygnal import Signal

from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.sorting import DEFAULT_SORT, SortKey
from timeline_app.model.source import EventSource


class SourceView:
    """The open engine-backed dataset (at most one), and the user's choices about it.

    Signals:
      source_changed()     a source opened or closed
      query_changed()      the filter or the sort changed (rows to fetch again)
      count_changed(int)   the number of rows the filter keeps is known
      current_changed(object)  the focused event's key (None: none), or how many
                           events the selection holds (``selected``)
      match_changed()      likely-same pairs were found or forgotten (``match``)
      selection_changed(object)  the table's selected rows, as event keys (sorted)
    """

    source_changed = Signal()
    query_changed = Signal()
    count_changed = Signal(int)
    current_changed = Signal(object)
    match_changed = Signal()
    selection_changed = Signal(object)

    def __init__(self) -> None:
        self.source: EventSource | None = None
        self.total = 0
        self.spec = FilterSpec()
        self.sort_keys: list[SortKey] = list(DEFAULT_SORT)
        #: Rows the filter keeps; -1 while it is being counted.
        self.count = -1
        self.generation = 0
        self.current_key: int | None = None
        #: The events the selection holds: the focused one, or a histogram bar's.
        self.selected = 0
        #: The likely-same pairs found (storage/duck/matching.SourceMatch), or None.
        self.match: Any = None
        #: The selected events (the table's rows, a bar's), as keys (a filter keeps those it shows).
        self.selection: np.ndarray = np.empty(0, dtype=np.int64)

    @property
    def events_selected(self) -> int:
        """How many events are selected: a bar's count (its keys may stop at the
        table's cap), else the selection's keys, at least the focused one."""
        return max(self.selected, len(self.selection))

    def disconnect_all(self) -> None:
        """Drop every listener (a window rebuilt around the same state connects anew)."""
        for signal in (
            self.source_changed,
            self.query_changed,
            self.count_changed,
            self.current_changed,
            self.match_changed,
            self.selection_changed,
        ):
            signal.disconnect()

    @property
    def engine(self) -> str | None:
        return self.source.engine if self.source is not None else None

    def set_source(self, source: EventSource | None, total: int = 0) -> None:
        self.source = source  # the caller closes the old one (its queries may still run)
        self.match = None  # pairs belong to a source: the new one has none
        self.total = self.count = total
        self.spec = FilterSpec()
        self.sort_keys = list(DEFAULT_SORT)
        self.current_key = None
        self.selected = 0
        self.generation += 1
        self.select_keys(np.empty(0, dtype=np.int64))
        self.source_changed.emit()

    def set_filter(self, spec: FilterSpec) -> None:
        if spec == self.spec:
            return
        self.spec = spec
        self._requery()

    def set_sort(self, keys: list[SortKey]) -> None:
        self.sort_keys = list(keys)
        self._requery()

    def refilter(self) -> None:
        """Ask again for the same filter: what it means changed (the actor dictionary)."""
        if self.source is not None:
            self._requery()

    def _requery(self) -> None:
        self.generation += 1
        self.count = -1
        self.query_changed.emit()

    def set_count(self, generation: int, count: int) -> bool:
        """The count for the query of ``generation``; a stale one is dropped (False)."""
        if generation != self.generation:
            return False
        self.count = int(count)
        self.count_changed.emit(self.count)
        return True

    def select_keys(self, keys: np.ndarray) -> None:
        """Select the events of ``keys`` (the table's rows, found by key)."""
        keys = np.unique(np.asarray(keys, dtype=np.int64))
        if not np.array_equal(keys, self.selection):
            self.selection = keys
            self.selection_changed.emit(keys)

    def set_current(self, key: int | None, selected: int | None = None) -> None:
        """Focus the event of ``key``, standing for ``selected`` events (a histogram
        bar's; by default the one, or none)."""
        count = (0 if key is None else 1) if selected is None else int(selected)
        if key != self.current_key or count != self.selected:
            self.current_key, self.selected = key, count
            self.current_changed.emit(key)

    def set_match(self, found: Any) -> None:
        """Keep the likely-same pairs found in the source (None forgets them)."""
        self.match = found
        self.match_changed.emit()
        if self.source is not None and any(c == MATCH_COLUMN for c, _ in self.sort_keys):
            self._requery()  # sorted by the pairs: the new ones (as state.set_match)
