"""The timeline's view of AppState: lanes and index, rebuilt when the table or filter changes.

Shared by the main plot, the overview and any plot made for an image export.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QCoreApplication, QObject, Signal

from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.table_cache import PerTable
from timeline_app.model.timeline import (
    DEFAULT_TOP_N,
    GROUPINGS,
    LaneOrder,
    TimelineIndex,
    assign_lanes,
)
from timeline_app.model.units import NS_PER_DAY
from timeline_app.ui.formatting import count as format_count
from timeline_app.ui.formatting import format_date, format_number

#: Event titles by row, as the milestone labels ask for them.
_TITLES = PerTable[dict[int, str]]("timeline: titles")


class TimelineSource(QObject):
    """Lanes + index for the current table and filter, and the display options (which
    live in ``state.views.timeline``; the source follows them)."""

    changed = Signal()  # index rebuilt (table, filter or grouping changed)
    options_changed = Signal()  # a display option changed (redraw only)

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.top_n = DEFAULT_TOP_N
        self._key: tuple = ()
        self.lanes = assign_lanes(state.table, self.grouping, self.top_n)
        self.order = LaneOrder(state.table, self.lanes)
        self.index = TimelineIndex(state.table, self.lanes, state.mask, self.order)
        state.table_changed.connect(self._relane)
        state.rows_changed.connect(self._reindex)
        view = state.views.timeline.events
        view.lane_grouping.connect(self._relane)
        view.measure.connect(self._options_changed)
        view.show_bands.connect(self._options_changed)

    # -- options (the state's; these setters are the user's intents) -------------------
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

    def _options_changed(self, *_args) -> None:
        self.options_changed.emit()

    # -- rebuilding ----------------------------------------------------------------------
    def _relane(self, *_args) -> None:
        self.lanes = assign_lanes(self.state.table, self.grouping, self.top_n)
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
        self.index = TimelineIndex(self.state.table, self.lanes, mask, self.order)
        self.changed.emit()

    # -- reading events --------------------------------------------------------------------
    def title_of(self, row: int) -> str:
        """An event's title (cached: milestone labels ask for the same few every frame)."""
        titles = _TITLES.get(self.state.table, dict)
        title = titles.get(row)
        if title is None:
            value = self.state.table.df["title"].iloc[row]
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
