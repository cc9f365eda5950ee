"""The timeline's view of AppState: lanes and index, rebuilt when the table or filter changes.

Shared by the main plot, the overview and any plot made for an image export.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication, QObject, Signal

from timeline_app.model.events import EventTable
from timeline_app.model.schema import CATEGORIES
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.table_cache import PerTable
from timeline_app.model.timeline import (
    DEFAULT_TOP_N,
    GROUPINGS,
    Frame,
    Hit,
    LaneOrder,
    Lanes,
    TimelineIndex,
    assign_lanes,
    bin_edges,
    choose_bin_unit,
    compute_frame,
    ongoing_fade_ns,
    shown_end,
)
from timeline_app.model.units import NS_PER_DAY
from timeline_app.ui.formatting import count as format_count
from timeline_app.ui.formatting import format_date, format_number

#: Event titles by row, as the milestone labels ask for them.
_TITLES = PerTable[dict[int, str]]("timeline: titles")


class AnySource(Protocol):
    """What the timeline's plot, overview, layers and tooltips read of a source: the
    memory one (:class:`TimelineSource`) and the DuckDB one (sql_source.py) both are."""

    changed: Any  # Signal(): lanes or events to draw again
    options_changed: Any  # Signal(): a display option changed (redraw only)
    selects_bins: bool
    top_n: int

    @property
    def state(self) -> AppState: ...
    @property
    def lanes(self) -> Lanes: ...
    @property
    def index(self) -> TimelineIndex: ...
    @property
    def table(self) -> EventTable: ...
    @property
    def grouping(self) -> str: ...
    @property
    def measure(self) -> str: ...
    @property
    def show_bands(self) -> bool: ...
    def set_grouping(self, grouping: str) -> None: ...
    def set_measure(self, measure: str) -> None: ...
    def set_show_bands(self, on: bool) -> None: ...
    def disconnect_state(self) -> None: ...
    def frame(self, x0: int, x1: int, width_px: float, measure: str, ask: bool = True) -> Frame: ...
    def lane_counts(self) -> list[int] | None: ...
    def categories_present(self) -> list[str]: ...
    def extent_ns(self) -> tuple[int, int] | None: ...
    def core_extent(self) -> tuple[int, int] | None: ...
    def overview_counts(self) -> tuple[np.ndarray, np.ndarray] | None: ...
    def pick(self, hit: Hit | None) -> None: ...
    def selected_rows(self) -> np.ndarray: ...
    def match_partners(self) -> np.ndarray | None: ...
    def bin_totals(self, hit: Hit) -> tuple[int, float, int]: ...
    def title_of(self, row: int) -> str: ...
    def range_summary(self, time_range: TimeRange | None) -> str: ...


class LaneOptions:
    """The timeline's options as both sources read and set them: the state's, so that
    undo, workspaces and a language switch keep them."""

    state: AppState
    options_changed: Any

    @property
    def grouping(self) -> str:
        grouping = self.state.views.timeline.lane_grouping
        return grouping if grouping in GROUPINGS else "category"

    @property
    def measure(self) -> str:
        return self.state.views.timeline.measure

    @property
    def show_bands(self) -> bool:
        return self.state.views.timeline.show_bands

    def set_grouping(self, grouping: str) -> None:
        if grouping in GROUPINGS:
            self.state.set_lane_grouping(grouping)

    def set_measure(self, measure: str) -> None:
        self.state.set_histogram_measure(measure)

    def set_show_bands(self, on: bool) -> None:
        self.state.set_show_bands(on)

    def _options_changed(self, *_args: Any) -> None:
        self.options_changed.emit()


class TimelineSource(QObject, LaneOptions):
    """Lanes + index for the current table and filter, and the display options (which
    live in ``state.views.timeline``; the source follows them).

    What the plot, the overview and the layers read goes through the methods below
    (``frame``, ``table``, ``pick``…): the DuckDB engine's source (sql_source.py) answers
    the same ones from SQL, so one timeline draws both."""

    changed = Signal()  # index rebuilt (table, filter or grouping changed)
    options_changed = Signal()  # a display option changed (redraw only)
    #: A click on a histogram bar selects its events (rows of the table in memory).
    selects_bins = True

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.top_n = DEFAULT_TOP_N
        self._key: tuple = ()
        self.lanes = assign_lanes(state.table, self.grouping, self.top_n)
        self.order = LaneOrder(state.table, self.lanes)
        self.index = TimelineIndex(state.table, self.lanes, state.mask, self.order)
        self._whole: TimelineIndex | None = None  # of every row, when made ahead
        state.table_changed.connect(self._relane)
        state.rows_changed.connect(self._reindex)
        state.prepared.add("timeline", self._prepare)
        view = state.views.timeline.events
        view.lane_grouping.connect(self._relane)
        view.measure.connect(self._options_changed)
        view.show_bands.connect(self._options_changed)
        self._categories: tuple[int, list[str]] = (0, [])

    def disconnect_state(self) -> None:
        """Stop following the (Qt-free) state, which keeps plain callbacks."""
        view = self.state.views.timeline.events
        for signal, slot in (
            (self.state.table_changed, self._relane),
            (self.state.rows_changed, self._reindex),
            (view.lane_grouping, self._relane),
            (view.measure, self._options_changed),
            (view.show_bands, self._options_changed),
        ):
            signal.disconnect(slot)
        self.state.prepared.remove("timeline")

    # -- options (the state's; these setters are the user's intents) -------------------

    # -- rebuilding ----------------------------------------------------------------------
    def _prepare(self, table: EventTable) -> tuple[tuple, LaneOrder, TimelineIndex]:
        """(on a loading worker, model/prepared.py) The lanes, their order and the
        unfiltered index of a table about to be opened."""
        key = (self.grouping, self.top_n)
        order = LaneOrder(table, assign_lanes(table, *key))
        whole = TimelineIndex(table, order.lanes, None, order)
        whole.present_codes  # noqa: B018 (made here, for the legend's first paint)
        # And what the first filter reads (a pass over every row each): the places of a
        # narrow filter's rows, every toll for the range's totals.
        order.position, order.fatalities  # noqa: B018
        return key, order, whole

    def _relane(self, *_args) -> None:
        table = self.state.table
        made = self.state.prepared.value("timeline", table)
        if made is not None and made[0] == (self.grouping, self.top_n):
            _key, self.order, self._whole = made
            self.lanes = self.order.lanes
        else:
            self._whole = None  # (another table's)
            self.lanes = assign_lanes(table, self.grouping, self.top_n)
        self._reindex()

    def _reindex(self) -> None:
        if len(self.lanes.of_row) != len(self.state.table):
            self.lanes = assign_lanes(self.state.table, self.grouping, self.top_n)
        mask = self.state.mask if len(self.state.mask) == len(self.state.table) else None
        # A sort fires rows_changed too but keeps the same mask object: skip the rebuild.
        key = (id(self.state.table), id(self.lanes), id(mask))
        if key == self._key:
            return
        self._key = key
        if self.order.table is not self.state.table or self.order.lanes is not self.lanes:
            self.order = LaneOrder(self.state.table, self.lanes)
        whole = self._whole
        if whole is not None and whole.order is self.order and (mask is None or mask.all()):
            self.index = whole  # every row: the index made ahead (the same arrays)
        else:
            self.index = TimelineIndex(self.state.table, self.lanes, mask, self.order)
        self.changed.emit()

    # -- what the views draw ------------------------------------------------------------
    @property
    def table(self) -> EventTable:
        """The table whose rows the index, the frames and the hits number."""
        return self.state.table

    def frame(self, x0: int, x1: int, width_px: float, measure: str, ask: bool = True) -> Frame:
        return compute_frame(self.index, x0, x1, width_px, measure=measure)

    def lane_counts(self) -> list[int] | None:
        """Events per lane (the lane axis shows them)."""
        index = self.index
        return np.diff(index.lane_bounds).tolist() if index.n_lanes else None

    def categories_present(self) -> list[str]:
        """Categories with visible events, in the canonical order (cached per index: a
        bincount over 1M is ~2 ms)."""
        index = self.index
        if self._categories[0] != id(index):
            names = index.category_names
            present = index.present_codes
            rank = {c: i for i, c in enumerate(CATEGORIES)}
            found = sorted((names[c] for c in present), key=lambda n: rank.get(n, 99))
            self._categories = (id(index), found)
        return self._categories[1]

    def extent_ns(self) -> tuple[int, int] | None:
        """First start to last end (an ongoing period's fade included)."""
        index = self.index
        extent = index.extent()
        if extent is None:
            return None
        a, b = extent
        if index.ongoing.any():
            pos = np.flatnonzero(index.ongoing)
            b = max(b, int((shown_end(index.end[pos]) + ongoing_fade_ns(index, pos)).max()))
        return a, b

    def core_extent(self) -> tuple[int, int] | None:
        """The extent without a lone far-off date (what Fit all frames)."""
        return self.index.core_extent()

    def overview_counts(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The overview strip: (edges, events per bin) over the whole extent."""
        index = self.index
        extent = index.extent()
        if extent is None:
            return None
        a, b = extent
        pad = max((b - a) // 30, NS_PER_DAY)
        a, b = a - pad, b + pad
        unit = choose_bin_unit(b - a, 500, min_px=2)
        edges = bin_edges(a, b, unit)
        counts = np.zeros(len(edges) - 1)
        for starts in index.event_starts():  # each event once, whatever its lanes
            counts += np.diff(np.searchsorted(starts, edges, side="left"))
        return edges, counts

    def pick(self, hit: Hit | None) -> None:
        """A click on what ``hit`` is (None: on nothing)."""
        state = self.state
        if hit is None:
            state.clear_selection()
        elif hit.kind == "bin":
            state.select(hit.rows)
        else:
            state.select(hit.rows, current=int(hit.rows[0]))

    def selected_rows(self) -> np.ndarray:
        """Rows of ``table`` to outline as selected."""
        return self.state.selection

    def match_partners(self) -> np.ndarray | None:
        """Per row of ``table``: its likely-same partner's row, -1 (None: no pairs)."""
        found = self.state.match()
        return None if found is None else found.partners(len(self.state.table))

    def bin_totals(self, hit: Hit) -> tuple[int, float, int]:
        """(events, known fatalities, unknown tolls) of a histogram bar."""
        fat = self.table.df["fatalities"].to_numpy(dtype=np.float64)[hit.rows]
        return len(hit.rows), float(np.nansum(fat)), int(np.isnan(fat).sum())

    # -- reading events --------------------------------------------------------------------
    def title_of(self, row: int) -> str:
        """An event's title (cached: milestone labels ask for the same few every frame)."""
        titles = _TITLES.get(self.table, dict)
        title = titles.get(row)
        if title is None:
            value = self.table.df["title"].iloc[row]
            title = "" if value is None or pd.isna(value) else str(value)
            if len(titles) > 10_000:
                titles.clear()
            titles[row] = title
        return title

    def range_summary(self, time_range: TimeRange | None) -> str:
        """ "7 Sep 2023 – 10 Sep 2023: 6 events, 64 fatalities (2 unknown)"."""
        if time_range is None:
            return ""
        # The index holds exactly the filtered rows: sum over it, not over every row.
        count, fat, unknown = self.index.range_totals(time_range.start_ns, time_range.end_ns)
        return summary_text(time_range, count, fat, unknown)


def summary_text(time_range: TimeRange, count: int, fat: float, unknown: int) -> str:
    """ "7 Sep 2023 – 10 Sep 2023: 6 events, 64 fatalities (2 unknown)"."""
    total = format_number(fat) if unknown < count else "–"
    start = pd.Timestamp(time_range.start_ns)
    end = pd.Timestamp(time_range.end_ns)
    if (time_range.end_ns + 1) % NS_PER_DAY == 0:  # runs to the end of a day: name that day
        end = pd.Timestamp(time_range.end_ns + 1 - NS_PER_DAY)
    elif time_range.end_ns % 60_000_000_000 == 59_999_999_999:  # to the end of a minute
        end = pd.Timestamp(time_range.end_ns + 1)
    text = QCoreApplication.translate(
        "Tooltip", "{start} – {end}: {events} events, {total} fatalities"
    ).format(start=_when(start), end=_when(end), events=format_count(count), total=total)
    if unknown:
        text += QCoreApplication.translate("Tooltip", " ({unknown} unknown)").format(
            unknown=format_count(unknown)
        )
    return text


def _when(moment: pd.Timestamp) -> str:
    return format_date(moment, "day")
