"""The one place where app state changes: open datasets, filter, sort, selection, range,
and what each view shows (``views``: the timeline's span and lanes, the table's columns,
the dock layout, the map's and the trends chart's own state).

Views never filter or select on their own: they call these methods and redraw when
the signals fire. Every view therefore always shows the same rows and selection.
Signals are psygnal's (Qt-free; callbacks run synchronously on the emitting thread).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from psygnal import Signal

from timeline_app.model.dataset import Dataset, unique_name
from timeline_app.model.events import EventTable
from timeline_app.model.filters import FilterSpec, filter_mask, worth_offloading
from timeline_app.model.matched import MATCH_COLUMN, Found, found_for, remember
from timeline_app.model.matching import MatchResult
from timeline_app.model.memory import release_memory
from timeline_app.model.prepared import TablePrep
from timeline_app.model.sorting import DEFAULT_SORT, Sorter, SortKey
from timeline_app.model.source_view import SourceView
from timeline_app.model.timeline.history import ViewHistory
from timeline_app.model.timeline.lanes import GROUPINGS
from timeline_app.model.view_state import MEASURES, MapView, Views

EMPTY_ROWS = np.empty(0, dtype=np.int64)
#: From this many rows up, a sort whose whole-table order is not kept yet (ranking a
#: column of 1M rows: 0.2-1 s) is handed to ``sort_offload`` when one is set.
OFFLOAD_SORT_ROWS = 200_000


@dataclass(frozen=True)
class TimeRange:
    """A range selected on the timeline, in int64 nanoseconds, both ends inclusive."""

    start_ns: int
    end_ns: int

    def overlaps(self, table: EventTable) -> np.ndarray:
        return (table.start_ns <= self.end_ns) & (table.end_ns >= self.start_ns)


class AppState:
    """Holds the event table and everything the user chose about it.

    Signals:
      table_changed()            datasets opened or closed (everything resets)
      rows_changed()             the visible rows changed (filter or sort)
      filter_changed(spec)       the filter spec changed
      selection_changed(rows)    the selected rows changed (sorted int64 row numbers)
      current_changed(row)       the focused event changed (-1 for none)
      range_changed(range|None)  the timeline's selected time range changed
      match_changed()            likely-same pairs were found or forgotten (model/matched.py)

    View state (``views``, model/view_state.py) is evented per field:
    ``state.views.timeline.events.lane_grouping.connect(...)`` and so on.
    """

    table_changed = Signal()
    rows_changed = Signal()
    filter_changed = Signal(object)
    selection_changed = Signal(object)
    current_changed = Signal(int)
    range_changed = Signal(object)
    match_changed = Signal()

    def __init__(self) -> None:
        self.table = EventTable()
        self.spec = FilterSpec()
        self.sort_keys: list[SortKey] = list(DEFAULT_SORT)  # by date until the user sorts
        self.mask = np.ones(0, dtype=bool)
        self.visible = EMPTY_ROWS  # row numbers shown, in display order
        self.selection = EMPTY_ROWS  # sorted row numbers
        self.current = -1
        self.range: TimeRange | None = None
        self._sorter = Sorter(self.table)
        #: Optional: takes a slow filter's mask (``worth_offloading``) to compute elsewhere.
        #: Called as ``offload(table, spec, token)``; returns True when it took the job
        #: and will hand the mask back through ``apply_filter_mask(token, mask)``.
        #: Until then ``spec`` is the new filter while ``mask``/``visible`` are the old.
        self.filter_offload: Callable[[EventTable, FilterSpec, int], bool] | None = None
        self._filter_token = 0  # bumped by every filter or table change
        self.filter_pending = False  # a mask is being computed elsewhere
        #: Optional: builds the table's order by ``keys`` elsewhere (the first sort by a
        #: column of a big table). Called as ``sort_offload(sorter, keys)``; returns True
        #: when it took the job and will call ``set_sort`` again once the order is kept.
        #: Until then ``visible`` is in row order.
        self.sort_offload: Callable[[Sorter, list[SortKey]], bool] | None = None
        self.views = Views()
        #: The timeline's back/forward through the views the user settled on.
        self.view_history = ViewHistory()
        #: A dataset an engine answers (DuckDB over Parquet), shown instead of the table.
        self.source_view = SourceView()
        #: The next table and the views' values for it, made ahead by a loading worker.
        self.prepared = TablePrep()
        self.prepared.add("state", self._prepare)

    # -- datasets -------------------------------------------------------------
    def add_dataset(self, dataset: Dataset, position: int | None = None) -> Dataset:
        """Open one more file beside the others (last, or at ``position`` in the
        datasets' order): its dataset, or its sources' (``Dataset.opened``); each name is
        made unique."""
        opened = dataset.opened
        taken = {d.name for d in self.table.datasets}
        for d in opened:
            d.name = self.unique_name(d.name, taken)
            taken.add(d.name)
        datasets = list(self.table.datasets)
        at = len(datasets) if position is None else position
        datasets[at:at] = opened
        self.set_datasets(datasets)
        return dataset

    def unique_name(self, name: str, taken: set[str] | None = None) -> str:
        taken = {d.name for d in self.table.datasets} if taken is None else taken
        return unique_name(name, taken)

    def prepare_open(self, dataset: Dataset) -> None:
        """From a loading worker, before ``add_dataset(dataset)``: make the table that
        adding it last will make, and the views' values for it (model/prepared.py), so
        the UI thread only has to take them. A dataset whose name is taken is left alone
        (adding renames it)."""
        datasets = list(self.table.datasets)  # one read: a table is replaced, never edited
        taken = {d.name for d in datasets}
        if all(d.name not in taken for d in dataset.opened):
            self.prepared.make([*datasets, *dataset.opened])

    def _prepare(self, table: EventTable) -> tuple[FilterSpec, np.ndarray, Sorter]:
        """(on a worker) What ``set_datasets`` works out for a new table: the filter's
        mask, and a sorter holding the default order by date and its rows' places (the
        order by any other keys takes seconds to build: the sort worker builds it)."""
        spec, keys = self.spec, list(self.sort_keys)
        sorter = Sorter(table)
        if keys == list(DEFAULT_SORT):
            sorter.prepare(keys)
        return spec, filter_mask(table, spec), sorter

    def remove_dataset(self, name: str) -> None:
        self.set_datasets([d for d in self.table.datasets if d.name != name])

    def set_datasets(self, datasets: list[Dataset]) -> None:
        previous = self._selected_keys()
        closed = any(all(old is not d for d in datasets) for old in self.table.datasets)
        table = self.prepared.take(datasets)
        self.table = EventTable(datasets) if table is None else table
        made = self.prepared.value("state", self.table)
        # Made ahead for the same filter: its mask, and the sorter with the order kept.
        spec, mask, sorter = made if made is not None else (None, None, None)
        if spec != self.spec:
            mask = sorter = None
        self._sorter = Sorter(self.table) if sorter is None else sorter
        self.selection = EMPTY_ROWS
        self.current = -1
        self._filter_token += 1  # a mask being computed for the old table is stale
        self.table_changed.emit()
        self.match_changed.emit()  # pairs belong to a table: the new one has none
        self._refilter(mask)
        # Events still open stay selected across a reload of the table.
        self.select(self._rows_for_keys(previous))
        if closed:
            release_memory()  # a closed file's memory goes back to the system (a few ms)

    def disconnect_all(self) -> None:
        """Drop every listener of this state and of its views. A window rebuilt around
        the same state (a new language, ui/language_menu.py) connects anew; the old
        window's callbacks must not outlive it."""
        for name, value in vars(type(self)).items():
            if isinstance(value, Signal):
                getattr(self, name).disconnect()
        for view in dataclasses.fields(self.views):
            getattr(self.views, view.name).events.disconnect()
        self.source_view.disconnect_all()
        self.prepared.clear()

    # -- likely-same pairs ----------------------------------------------------------
    def set_match(self, result: MatchResult | None, first: str = "", second: str = "") -> None:
        """Keep the pairs found between datasets ``first`` and ``second`` (None forgets
        them); a filter on matched events is applied again."""
        remember(self.table, result, first, second)
        self.match_changed.emit()
        if self.spec.matched:
            self._filter_token += 1
            self._refilter()
        elif any(column == MATCH_COLUMN for column, _ in self.sort_keys):
            self._apply_sort()  # sorted by the pairs: the new ones
            self.rows_changed.emit()

    def match(self) -> Found | None:
        return found_for(self.table)

    def refilter(self) -> None:
        """Apply the same filter again: what it means changed (the actor dictionary)."""
        self._filter_token += 1
        self._refilter()
        self.source_view.refilter()

    # -- filter and sort -----------------------------------------------------------
    def set_filter(self, spec: FilterSpec) -> None:
        if spec == self.spec:
            return
        self.spec = spec
        self._filter_token += 1
        self.filter_changed.emit(spec)
        offload = self.filter_offload  # only a slow filter is worth a thread
        if (
            offload is not None
            and worth_offloading(self.table, spec)
            and offload(self.table, spec, self._filter_token)
        ):
            self.filter_pending = True
            return
        self._refilter()

    def finish_filter(self) -> None:
        """Compute now, on this thread, a filter still being computed elsewhere: for
        callers that need its rows at once (a workspace restoring its selection)."""
        if self.filter_pending:
            self._filter_token += 1  # the late result from elsewhere is then dropped
            self._refilter()

    def apply_filter_mask(self, token: int, mask: np.ndarray) -> bool:
        """Show a mask computed elsewhere for the filter of ``token``. A stale one (the
        filter or the table changed since) is dropped: returns False."""
        if token != self._filter_token or len(mask) != len(self.table):
            return False
        self._refilter(mask)
        return True

    def set_sort(self, keys: list[SortKey], ordered: np.ndarray | None = None) -> None:
        """Sort by ``keys``; ``ordered``: the shown rows in that order, worked out
        elsewhere (the sort worker) for the current mask."""
        self.sort_keys = list(keys)
        if ordered is not None and len(ordered) == np.count_nonzero(self.mask):
            self.visible = ordered
        else:
            self._apply_sort()
        self.rows_changed.emit()

    def sorter(self) -> Sorter:
        return self._sorter

    def _refilter(self, mask: np.ndarray | None = None) -> None:
        self.filter_pending = False
        self.mask = filter_mask(self.table, self.spec) if mask is None else mask
        self._apply_sort()
        self.rows_changed.emit()
        # Selection survives a filter change only for events still shown.
        kept = self.selection[self.mask[self.selection]] if len(self.selection) else EMPTY_ROWS
        if len(kept) != len(self.selection):
            self.select(kept, current=self.current if _contains(kept, self.current) else None)

    def _apply_sort(self) -> None:
        keys, sorter = self.sort_keys, self._sorter
        offload = self.sort_offload
        if (
            offload is not None
            and len(self.table) >= OFFLOAD_SORT_ROWS
            and not sorter.has_order(keys)
            and offload(sorter, list(keys))
        ):
            self.visible = np.flatnonzero(self.mask).astype(np.int64, copy=False)
            return
        self.visible = sorter.order_mask(self.mask, keys)

    # -- selection ---------------------------------------------------------------------
    def select(self, rows: np.ndarray | list[int], current: int | None = None) -> None:
        """Replace the selection. ``current`` is the focused event (defaults to the first)."""
        chosen = np.unique(np.asarray(rows, dtype=np.int64))
        if len(self.mask):
            chosen = chosen[(chosen >= 0) & (chosen < len(self.table))]
            chosen = chosen[self.mask[chosen]]
        else:
            chosen = EMPTY_ROWS
        if current is None or not _contains(chosen, current):
            current = int(chosen[0]) if len(chosen) else -1
        changed = not np.array_equal(chosen, self.selection)
        self.selection = chosen
        if changed:
            self.selection_changed.emit(chosen)
        if current != self.current:
            self.current = current
            self.current_changed.emit(current)

    def clear_selection(self) -> None:
        self.select(EMPTY_ROWS)

    def set_range(self, time_range: TimeRange | None) -> None:
        if time_range == self.range:
            return
        self.range = time_range
        self.range_changed.emit(time_range)

    # -- what the views show ------------------------------------------------------------
    def set_view_range(self, view: tuple[int, int] | None) -> None:
        """The timeline's visible span, int64 ns (the timeline follows)."""
        if view is not None:
            a, b = int(view[0]), int(view[1])
            view = (min(a, b), max(a, b))
        self.views.timeline.view_range = view

    def set_map_view(self, **changes: Any) -> None:
        """The map's own state (model/view_state.MapView: viewport, regions, shade,
        window_days, boundaries); the map follows."""
        for name, value in changes.items():
            if name not in MapView.__dataclass_fields__:
                raise ValueError(f"the map has no {name!r}")
            setattr(self.views.map, name, value)

    def set_lane_grouping(self, grouping: str) -> None:
        """Timeline lanes by "category", "actor", "admin1", "event_type" or "dataset"
        (model/timeline/lanes.GROUPINGS); anything else is a ValueError."""
        if grouping not in GROUPINGS:
            raise ValueError(f"unknown lane grouping {grouping!r} (one of {list(GROUPINGS)})")
        self.views.timeline.lane_grouping = str(grouping)

    def set_histogram_measure(self, measure: str) -> None:
        if measure not in MEASURES:
            raise ValueError(f"unknown histogram measure {measure!r} (one of {MEASURES})")
        self.views.timeline.measure = measure

    def set_show_bands(self, on: bool) -> None:
        self.views.timeline.show_bands = bool(on)

    def set_table_columns(self, names: list[str] | tuple[str, ...]) -> None:
        """The table's shown columns, in order (duplicates dropped; never empty)."""
        names = tuple(dict.fromkeys(str(n) for n in names))
        if names:
            self.views.table.columns = names

    def set_column_width(self, column: str, width: int) -> None:
        widths = self.views.table.widths
        if widths.get(column) != int(width):
            self.views.table.widths = {**widths, column: int(width)}

    def set_dock_layout(self, layout: bytes | None) -> None:
        """The window's dock layout (opaque bytes from the Qt layer)."""
        self.views.window.dock_layout = bytes(layout) if layout else None

    def range_rows(self, with_filters: bool = True) -> np.ndarray:
        """Rows overlapping the selected range (and passing the filters, if asked)."""
        if self.range is None:
            return EMPTY_ROWS
        hit = self.range.overlaps(self.table)
        if with_filters:
            hit &= self.mask
        return np.flatnonzero(hit).astype(np.int64)

    # -- helpers ---------------------------------------------------------------------------
    def _selected_keys(self) -> list[tuple[str, str]]:
        if not len(self.selection):
            return []
        df = self.table.df
        return list(
            zip(
                df["dataset"].to_numpy()[self.selection].astype(str),
                df["id"].to_numpy()[self.selection].astype(str),
                strict=True,
            )
        )

    def _rows_for_keys(self, keys: list[tuple[str, str]]) -> list[int]:
        rows = [self.table.row_of_id(ds, eid) for ds, eid in keys]
        return [r for r in rows if r is not None]


def _contains(sorted_rows: np.ndarray, row: int) -> bool:
    """Whether ``row`` is in a sorted array (a binary search, not a set of 1M rows)."""
    at = int(np.searchsorted(sorted_rows, row))
    return at < len(sorted_rows) and int(sorted_rows[at]) == row
