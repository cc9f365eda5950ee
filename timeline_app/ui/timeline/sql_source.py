"""The timeline of a DuckDB dataset: a source the timeline widget draws as it draws the
memory one (ui/timeline/source.py), answered by SQL (model/timeline/remote.py).

The plot asks for what it shows; the source asks the engine in a worker, debounced,
once the view, the lanes or the filter changed (a newer view supersedes the running
query: it is interrupted, and its answer, were it to come, dropped by generation).
Meanwhile the plot draws the latest answer at the new view. A click on a mark focuses
its event (the detail pane reads it by key); a click on a histogram bar selects its
events as in memory: the first of them (the memory table's first row) is focused, and
the selection holds as many as the bar counts; a later filter keeps those it still
shows (the focus if it is one of them). A range and "Filter to range" are the memory
timeline's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from superqt.utils import qdebounced

from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.timeline import (
    DEFAULT_TOP_N,
    Frame,
    Hit,
    Lanes,
    TimelineIndex,
    choose_bin_unit,
    compute_frame,
)
from timeline_app.model.timeline.remote import BarSelection, Overview, TimelineAnswer, TimelineAsk
from timeline_app.ui.source_selection import MAX_SELECTED
from timeline_app.ui.timeline.source import LaneOptions, summary_text
from timeline_app.ui.workers import JobError, JobKind

if TYPE_CHECKING:
    from timeline_app.model.source import EventSource
    from timeline_app.ui.main_window import MainWindow
    from timeline_app.ui.timeline.widget import TimelineWidget

#: The view settles this long before the engine is asked (a wheel zoom is many steps).
DEBOUNCE_MS = 120
#: Times a query killed by another's interrupt (a new filter's count interrupts every
#: query of the engine) is asked again: a bar's count, the view's, the overview's.
RETRIES = 3


def interrupted(error: JobError) -> bool:
    return "interrupt" in error.message.lower()


def answer_view(_control: Any, source: EventSource, ask: TimelineAsk) -> TimelineAnswer:
    return source.timeline.answer(ask)


def read_overview(_control: Any, source: EventSource, spec: FilterSpec) -> tuple[str, Overview]:
    return source.timeline.finest_unit(), source.timeline.overview(spec)


def bar_events(
    _control: Any, source: EventSource, bar: BarSelection, current: int | None
) -> tuple[int | None, int, bool, np.ndarray]:
    """The bar's first key, count, whether ``current`` is one, and its keys (at most
    the table's MAX_SELECTED): the selection the table and the map show."""
    first, n, kept = source.timeline.bar_events(bar, current)
    keys = source.timeline.bar_keys(bar, MAX_SELECTED) if n else np.empty(0, np.int64)
    return first, n, kept, keys


def range_totals(
    _control: Any, source: EventSource, spec: FilterSpec, time_range: TimeRange
) -> tuple[int, float, int]:
    return source.timeline.range_totals(spec, time_range.start_ns, time_range.end_ns)


class SqlTimelineSource(QObject, LaneOptions):
    """:class:`~timeline_app.ui.timeline.source.TimelineSource`'s interface over an
    engine-backed dataset (``state.source_view``)."""

    changed = Signal()  # a new answer (lanes, counts, events read)
    options_changed = Signal()  # redraw only (measure, bands, the focused event)
    ready = Signal()  # the filter's extent is known: frame it
    summary_changed = Signal()  # the selected range's totals came
    failed = Signal(str)
    closed = Signal()  # the dataset it draws was closed (or another one opened)
    #: A click on a histogram bar selects its events (counted in SQL, the first focused).
    selects_bins = True

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.view = state.source_view
        self._drawn = self.view.source  # the dataset it was made for
        self.top_n = DEFAULT_TOP_N
        self.answer: TimelineAnswer | None = None
        self.overview: Overview | None = None
        self.finest = "hour"
        empty = EventTable()
        self._empty_lanes = Lanes(self.grouping, (), np.zeros(0, np.int16))
        self._empty_index = TimelineIndex(empty, self._empty_lanes)
        self._empty_table = empty
        self._wanted: tuple[int, int, float] | None = None
        self._asked: TimelineAsk | None = None
        self._totals: dict[tuple[FilterSpec, TimeRange], tuple[int, float, int]] = {}
        self._views = JobKind("timeline view")
        self._overviews = JobKind("timeline overview")
        self._ranges = JobKind("timeline range")
        self._bars = JobKind("timeline bar")
        self._bar: BarSelection | None = None  # the selected bar, its first event focused
        self._bar_key: int | None = None
        self._ask_soon = qdebounced(self._ask, timeout=DEBOUNCE_MS)
        self._pending = False
        self.view.query_changed.connect(self._query_changed)
        self.view.current_changed.connect(self._current_changed)
        self.view.source_changed.connect(self._source_changed)
        self.view.match_changed.connect(self._match_changed)
        self._partners: tuple[Any, Any, np.ndarray | None] = (None, None, None)
        events = state.views.timeline.events
        events.lane_grouping.connect(self._grouping_changed)
        events.measure.connect(self._options_changed)
        events.show_bands.connect(self._options_changed)
        self._read_overview()

    @property
    def source(self) -> EventSource | None:
        return self.view.source

    def disconnect_state(self) -> None:
        events = self.state.views.timeline.events
        for signal, slot in (
            (self.view.query_changed, self._query_changed),
            (self.view.current_changed, self._current_changed),
            (self.view.source_changed, self._source_changed),
            (self.view.match_changed, self._match_changed),
            (events.lane_grouping, self._grouping_changed),
            (events.measure, self._options_changed),
            (events.show_bands, self._options_changed),
        ):
            signal.disconnect(slot)
        self._ask_soon.cancel()
        for kind in (self._views, self._overviews, self._ranges, self._bars):
            kind.supersede()

    def _source_changed(self) -> None:
        if self.view.source is not self._drawn:
            self.closed.emit()

    def cancel(self) -> None:
        """Cancel (the window's button): the running view is not asked again (its jobs
        made stale, so neither their answer nor their interrupt comes back)."""
        self._views.supersede()
        self._overviews.supersede()
        self._bars.supersede()
        self._ask_soon.cancel()
        self._pending = False

    # -- options: LaneOptions (the state's, as in memory) ------------------------------------
    def _current_changed(self, key: Any) -> None:
        if key != self._bar_key:  # another view focused an event: no bar selected
            self._bar = None
        self.options_changed.emit()

    # -- what the views draw ---------------------------------------------------------------
    @property
    def lanes(self) -> Lanes:
        return self.answer.lanes if self.answer is not None else self._empty_lanes

    @property
    def index(self) -> TimelineIndex:
        return self.answer.index if self.answer is not None else self._empty_index

    @property
    def table(self) -> EventTable:
        return self.answer.table if self.answer is not None else self._empty_table

    def frame(self, x0: int, x1: int, width_px: float, measure: str, ask: bool = True) -> Frame:
        """The latest answer drawn at this view; a view it does not stand for is asked."""
        answer = self.answer
        if ask and self.overview is not None:
            unit = choose_bin_unit(x1 - x0, width_px, finest=self.finest)
            if (
                answer is None
                or not answer.ask.covers(x0, x1, unit)
                or answer.ask.spec != self.view.spec
                or answer.ask.grouping != self.grouping
            ):
                self._want(x0, x1, width_px)
        if answer is None:
            return compute_frame(self._empty_index, x0, x1, width_px, measure=measure)
        return answer.frame(x0, x1, width_px, measure)

    def lane_counts(self) -> list[int] | None:
        if self.answer is None or not len(self.answer.labels):
            return None
        return [int(n) for n in self.answer.totals]

    def categories_present(self) -> list[str]:
        return list(self.overview.categories) if self.overview is not None else []

    def extent_ns(self) -> tuple[int, int] | None:
        return self.overview.extent if self.overview is not None else None

    def core_extent(self) -> tuple[int, int] | None:
        return self.extent_ns()

    def overview_counts(self) -> tuple[np.ndarray, np.ndarray] | None:
        if self.overview is None or self.overview.extent is None:
            return None
        return self.overview.edges, self.overview.counts

    def pick(self, hit: Hit | None) -> None:
        """A mark focuses its event (the detail pane follows); a histogram bar selects
        its events (asked in a worker); elsewhere, none."""
        self._bars.supersede()  # a later click wins over a bar still being read
        self._bar = None
        if hit is not None and hit.kind == "bin" and self.source is not None:
            if hit.lane is not None and hit.bin_range is not None:
                lo, hi = hit.bin_range
                self._count_bar(BarSelection((self.view.spec,), self.grouping, hit.lane, lo, hi))
        elif hit is None or hit.kind == "bin" or self.answer is None:
            self.view.select_keys(np.empty(0, np.int64))  # as memory: nothing selected
            self.view.set_current(None)
        else:
            key = int(self.answer.keys[int(hit.rows[0])])
            self.view.select_keys(np.array([key], np.int64))  # the mark's event alone
            self.view.set_current(key)

    def _count_bar(self, bar: BarSelection, current: int | None = None, tries: int = 0) -> None:
        if self.source is None:
            return
        job = self._bars.start(bar_events, self.source, bar, current, parent=self)
        job.returned.connect(lambda found: self._bar_counted(bar, current, found))
        job.errored.connect(lambda error: self._bar_failed(bar, current, tries, error))

    def _bar_failed(
        self, bar: BarSelection, current: int | None, tries: int, error: JobError
    ) -> None:
        # Interrupted by a new filter's count (Cancel supersedes it: no answer comes):
        # again, under the filter now shown, a few times (each filter typed interrupts).
        if not interrupted(error):
            self.failed.emit(error.message)
        elif tries < RETRIES:
            self._count_bar(bar.under(self.view.spec), current, tries + 1)

    def _bar_counted(
        self,
        bar: BarSelection,
        current: int | None,
        found: tuple[int | None, int, bool, np.ndarray],
    ) -> None:
        first, count, kept, keys = found
        key = current if current is not None and kept else first
        if count and bar.specs[-1] != self.view.spec:  # filtered meanwhile: what it keeps
            self._count_bar(bar.under(self.view.spec), key)
            return
        self._bar, self._bar_key = (bar, key) if count else (None, None)
        # The keys first: the table then shows the focus among them (source_table.show_row).
        self.view.select_keys(keys)
        self.view.set_current(key if count else None, selected=count)

    def _follow_filter(self) -> None:
        """A filter change keeps the selected bar's events it still shows, and the
        focused one if it is among them (else the first), as in memory."""
        bar, spec = self._bar, self.view.spec
        if bar is not None and self.view.current_key == self._bar_key and bar.specs[-1] != spec:
            self._count_bar(bar.under(spec), self._bar_key)

    def selected_rows(self) -> np.ndarray:
        key = self.view.current_key
        if key is None or self.answer is None:
            return np.empty(0, np.int64)
        return np.flatnonzero(self.answer.keys == key)

    def match_partners(self) -> np.ndarray | None:
        """Per row of ``table`` (the events read for the view): its likely-same
        partner's row among them, past them when not read, -1 in no pair (None: no
        pairs found), as the memory source's over its table."""
        answer, match = self.answer, self.view.match
        if answer is None or match is None:
            return None
        if self._partners[0] is not answer or self._partners[1] is not match:
            self._partners = (answer, match, match.partners_among(answer.keys))
        return self._partners[2]

    def _match_changed(self) -> None:
        self.options_changed.emit()  # the pairs' links and diamonds, drawn again

    def bin_totals(self, hit: Hit) -> tuple[int, float, int]:
        if self.answer is None or hit.bin_range is None or hit.lane is None:
            return 0, 0.0, 0
        return self.answer.bin_totals(hit.lane, hit.bin_range[0])

    def title_of(self, row: int) -> str:
        value = self.table.df["title"].iloc[row]
        return "" if value is None or value != value else str(value)

    def range_summary(self, time_range: TimeRange | None) -> str:
        """The range's totals once counted (asked now if not: ``summary_changed``)."""
        if time_range is None or self.source is None:
            return ""
        known = self._totals.get((self.view.spec, time_range))
        if known is None:
            self._count_range(time_range)
            return ""
        return summary_text(time_range, *known)

    # -- asking -----------------------------------------------------------------------------
    def _want(self, x0: int, x1: int, width_px: float) -> None:
        wanted = (int(x0), int(x1), float(width_px))
        if wanted != self._wanted:
            self._wanted = wanted
            self._soon()

    def _soon(self) -> None:
        self._pending = True
        self._ask_soon()

    def _ask(self, tries: int = 0) -> None:
        self._pending = False
        source, wanted = self.source, self._wanted
        if source is None or wanted is None:
            return
        ask = TimelineAsk.for_view(self.view.spec, self.grouping, *wanted, finest=self.finest)
        if ask == self._asked:
            return
        self._asked = ask
        source.timeline.interrupt()  # the older view's queries: their answer is stale
        job = self._views.start(answer_view, source, ask, parent=self)
        job.returned.connect(self._answered)
        job.errored.connect(lambda error, ask=ask: self._view_failed(ask, tries, error))

    def _answered(self, answer: TimelineAnswer) -> None:
        self.answer = answer
        self.changed.emit()

    def _view_failed(self, ask: TimelineAsk, tries: int, error: JobError) -> None:
        # Interrupted by another view's Cancel or count: asked again, a few times.
        if interrupted(error) and tries < RETRIES:
            if ask == self._asked:
                self._asked = None
                self._ask(tries + 1)
            return
        self.failed.emit(error.message)

    def _query_changed(self) -> None:
        self._follow_filter()
        self._totals.clear()
        self._read_overview()
        self._asked = None
        if self._wanted is not None:
            self._soon()

    def _grouping_changed(self, *_args: Any) -> None:
        self.answer = None  # another grouping's lanes: none drawn until its answer
        self._asked = None
        self.changed.emit()
        if self._wanted is not None:
            self._soon()

    def _read_overview(self, tries: int = 0) -> None:
        source = self.source
        if source is None:
            return
        spec = self.view.spec
        job = self._overviews.start(read_overview, source, spec, parent=self)
        job.returned.connect(self._overview_read)
        job.errored.connect(lambda error: self._overview_failed(spec, tries, error))

    def _overview_failed(self, spec: FilterSpec, tries: int, error: JobError) -> None:
        # A new filter's count interrupts every query: the overview of the filter shown
        # is read again (it said "The timeline's query failed: INTERRUPT Error" and kept
        # the overview of the filter before).
        if interrupted(error) and tries < RETRIES:
            if spec == self.view.spec:
                self._read_overview(tries + 1)
            return
        self.failed.emit(error.message)

    def _overview_read(self, found: tuple[str, Overview]) -> None:
        first = self.overview is None
        self.finest, self.overview = found
        self.changed.emit()
        if first:
            self.ready.emit()

    def _count_range(self, time_range: TimeRange) -> None:
        source, spec = self.source, self.view.spec
        if source is None:
            return
        job = self._ranges.start(range_totals, source, spec, time_range, parent=self)
        job.returned.connect(lambda totals: self._range_counted(spec, time_range, totals))

    def _range_counted(
        self, spec: FilterSpec, time_range: TimeRange, totals: tuple[int, float, int]
    ) -> None:
        self._totals[(spec, time_range)] = totals
        self.summary_changed.emit()

    def busy(self) -> bool:
        """Asking the engine now (tests and the screenshot wait for it)."""
        return (
            self._views.busy() or self._overviews.busy() or self._pending or self.overview is None
        )


def sql_timeline(window: MainWindow) -> TimelineWidget:
    """The Timeline dock's widget for the window's DuckDB dataset."""
    from timeline_app.ui.timeline.widget import TimelineWidget

    source = SqlTimelineSource(window.state)
    widget = TimelineWidget(window.state, source=source)
    source.setParent(widget)
    widget.setObjectName("sqlTimeline")
    source.ready.connect(widget.frame_data)
    source.summary_changed.connect(widget._emit_summary)
    source.failed.connect(
        lambda message: window.statusBar().showMessage(
            widget.tr("The timeline's query failed: {error}").format(error=message), 10000
        )
    )
    widget.range_summary.connect(window.range_label.setText)
    window.cancel_button.clicked.connect(source.cancel)
    source.closed.connect(widget.disconnect_state)  # before the dock deletes it
    return widget
