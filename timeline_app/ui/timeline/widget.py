"""The timeline widget: toolbar, main plot, overview strip, keyboard and view history.

It translates user actions into AppState calls (select, set_range, set_filter, and the
view's own state in ``state.views.timeline``: visible span, lanes, histogram measure,
bands) and mirrors the state; all drawing decisions live in the plot and the model.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import signals_blocked

from timeline_app.model.filters import FilterSpec, inclusive_end_ns
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.timeline import GROUPINGS, shown_end
from timeline_app.model.units import NS_PER_DAY, NS_PER_S, S_PER_DAY
from timeline_app.ui import theme
from timeline_app.ui.actions import by_id
from timeline_app.ui.i18n import grouping_label
from timeline_app.ui.menus import build_actions
from timeline_app.ui.notices import show_notice
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.caption import Caption, default_caption
from timeline_app.ui.timeline.export import ExportImageDialog, export_timeline_image
from timeline_app.ui.timeline.overview import OverviewPlot
from timeline_app.ui.timeline.plot import TimelinePlot
from timeline_app.ui.timeline.source import AnySource, TimelineSource
from timeline_app.ui.timeline.toolbar_host import labelled_tool, toolbar_host

ZOOM_STEP = 1.5
PAN_STEP = 0.2  # of the visible span
FIT_MARGIN = 0.03
HISTORY_SETTLE_MS = 400
#: The overview strip shows when the timeline is at least this tall.
OVERVIEW_MIN_HEIGHT = 340


class TimelineWidget(QWidget):
    """Zoomable lanes of events over time, with an overview strip underneath."""

    #: "7 Sep 2023 – 10 Sep 2023: 6 events, 64 fatalities" ("" when no range is selected)
    range_summary = Signal(str)
    #: the user asked to export the events of the selected range
    export_range_requested = Signal(object)

    def __init__(
        self, state: AppState, parent: QWidget | None = None, source: AnySource | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        look = theme.current_theme()
        style.use(bool(look and look.dark))  # the plots take their colours as they are made
        # (the DuckDB timeline's source answers from SQL: ui/timeline/sql_source.py)
        self.source: AnySource = source if source is not None else TimelineSource(state, self)
        self.plot = TimelinePlot(self.source, self)
        self.overview = OverviewPlot(self.source, self)
        self.history = state.view_history  # the state's: a rebuilt window keeps it
        self._restoring = False
        self._from_plot = False  # the plot's own view change is being written to the state
        self._filter_dates = (state.spec.date_from, state.spec.date_to)
        self._filter_changing = False  # the filter moves the range: its rows are not in yet
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(HISTORY_SETTLE_MS)
        self._settle.timeout.connect(self._remember_view)
        # Frame new data once the filter has been re-applied to it (rows_changed follows).
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.setInterval(0)
        self._frame_timer.timeout.connect(self.frame_data)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        body = QWidget(self)
        plots = QVBoxLayout(body)
        plots.setContentsMargins(0, 0, 0, 0)
        plots.setSpacing(0)
        plots.addWidget(self.plot, 1)
        plots.addWidget(self.overview)
        layout.addWidget(toolbar_host(self._build_toolbar(), body, self))
        self._build_actions()
        self._update_range_buttons()

        self.plot.view_changed.connect(self._view_changed)
        self.overview.window_moved.connect(lambda a, b: self.plot.set_x_range(a, b))
        self.overview.vb_overview.range_dragged.connect(self._overview_range_dragged)
        self.source.changed.connect(self._source_changed)
        view = state.views.timeline.events
        view.view_range.connect(self._state_view_range)
        view.lane_grouping.connect(self._state_grouping)
        view.measure.connect(self._state_measure)
        view.show_bands.connect(self._state_bands)
        state.table_changed.connect(self._table_changed)
        state.range_changed.connect(self._range_changed)
        state.rows_changed.connect(self._emit_summary)
        state.filter_changed.connect(self._filter_changed)
        if look is not None:
            look.changed.connect(self.apply_theme)
        self.overview.refresh()
        if state.views.timeline.view_range is not None:  # the state has a view: show it
            self._state_view_range(state.views.timeline.view_range)
        else:
            self.frame_data()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        # A short timeline gives the overview strip's height to the lanes.
        self.overview.setVisible(self.height() >= OVERVIEW_MIN_HEIGHT)

    def apply_theme(self, dark: bool) -> None:
        """The system (or the user) switched between light and dark."""
        style.use(dark)
        self.plot.restyle()
        self.overview.restyle()

    def disconnect_state(self) -> None:
        """Unhook from the (Qt-free) AppState signals, which keep plain callbacks
        (for a timeline dropped while its state lives on; idempotent)."""
        for signal, slot in (
            (self.state.table_changed, self._table_changed),
            (self.state.range_changed, self._range_changed),
            (self.state.rows_changed, self._emit_summary),
            (self.state.filter_changed, self._filter_changed),
            (self.state.views.timeline.events.view_range, self._state_view_range),
            (self.state.views.timeline.events.lane_grouping, self._state_grouping),
            (self.state.views.timeline.events.measure, self._state_measure),
            (self.state.views.timeline.events.show_bands, self._state_bands),
        ):
            signal.disconnect(slot)
        self.source.disconnect_state()
        self.plot.disconnect_state()

    # -- construction ----------------------------------------------------------------
    def _build_toolbar(self) -> QToolBar:
        # A QToolBar rather than a row layout: when the dock is narrow, what does not fit
        # moves into its » menu instead of forcing the whole window wider.
        bar = QToolBar(self.tr("Timeline tools"), self)
        bar.setObjectName("timelineToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setContentsMargins(4, 0, 4, 0)

        def button(text: str, tip: str, slot) -> QToolButton:
            b = QToolButton(self)
            b.setText(text)
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.clicked.connect(slot)
            bar.addWidget(b)
            return b

        self.back_button = button("◀", self.tr("Back to the previous view (Alt+Left)"), self.back)
        self.forward_button = button("▶", self.tr("Forward (Alt+Right)"), self.forward)
        button(
            self.tr("Fit all"), self.tr("Frame the visible events (Home)"), lambda: self.fit_all()
        )
        button(
            self.tr("Zoom to selection"),
            self.tr("Frame the selected events"),
            self.zoom_to_selection,
        )
        bar.addSeparator()
        self.grouping_box = QComboBox(self)
        self.grouping_box.setAccessibleName(self.tr("Lane grouping"))
        for key, (_col, label) in GROUPINGS.items():
            self.grouping_box.addItem(grouping_label(label), key)
        self.grouping_box.setCurrentIndex(max(self.grouping_box.findData(self.source.grouping), 0))
        self.grouping_box.currentIndexChanged.connect(
            lambda i: self.set_grouping(self.grouping_box.itemData(i))
        )
        bar.addWidget(labelled_tool(self.tr(" Lanes: "), self.grouping_box, self))
        self.measure_box = QComboBox(self)
        self.measure_box.setAccessibleName(self.tr("Histogram measure"))
        self.measure_box.setToolTip(self.tr("What the histograms count when zoomed out"))
        self.measure_box.addItem(self.tr("events"), "events")
        self.measure_box.addItem(self.tr("fatalities"), "fatalities")
        self.measure_box.setCurrentIndex(max(self.measure_box.findData(self.source.measure), 0))
        self.measure_box.currentIndexChanged.connect(
            lambda i: self.source.set_measure(self.measure_box.itemData(i))
        )
        bar.addWidget(labelled_tool(self.tr(" Histograms: "), self.measure_box, self))
        self.bands_box = QCheckBox(self.tr("Period bands"), self)
        self.bands_box.setToolTip(
            self.tr("Mourning and blockade periods as bands across all lanes")
        )
        self.bands_box.setChecked(self.source.show_bands)
        self.bands_box.toggled.connect(self.source.set_show_bands)
        bar.addWidget(self.bands_box)
        bar.addSeparator()
        self.filter_button = button(
            self.tr("Filter to range"),
            self.tr("Filter the events to the selected range"),
            self.filter_to_range,
        )
        self.export_range_button = button(
            self.tr("Export range…"),
            self.tr("Export the events of the selected range"),
            self.request_export_range,
        )
        self.hint = QLabel(self.tr(" Shift+drag: select a range · right-drag: zoom"), self)
        self.hint.setToolTip(
            self.tr("Shift+drag selects a range (Shift+click clears it); right-drag zooms")
        )
        self.hint.setStyleSheet("color: #666;")
        bar.addWidget(self.hint)
        return bar

    def _build_actions(self) -> None:
        # Its rows of the table of actions (ui/actions.py), made here so that its keys
        # work wherever it is shown; the main window puts them in View > Timeline.
        self.actions_by_id = build_actions("timeline", self)
        self.grouping_actions = {
            str(by_id(i).args[0]): a
            for i, a in self.actions_by_id.items()
            if i.startswith("view.timeline.lanes.")
        }
        self._state_grouping(self.source.grouping)
        self._state_bands(self.source.show_bands)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # -- the table of actions' handlers ------------------------------------------------
    def zoom_in(self) -> None:
        self.zoom(1 / ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom(ZOOM_STEP)

    def pan_left(self) -> None:
        self.pan(-PAN_STEP)

    def pan_right(self) -> None:
        self.pan(PAN_STEP)

    def clear_range(self) -> None:
        self.state.set_range(None)

    def set_show_bands(self, on: bool) -> None:
        self.source.set_show_bands(on)

    # -- navigation ------------------------------------------------------------------------
    def x_range(self) -> tuple[float, float]:
        return self.plot.x_range()

    def set_x_range(self, x0: float, x1: float) -> None:
        self.plot.set_x_range(x0, x1)

    def zoom(self, factor: float) -> None:
        x0, x1 = self.x_range()
        mid, half = (x0 + x1) / 2, (x1 - x0) / 2 * factor
        self.set_x_range(mid - half, mid + half)

    def pan(self, fraction: float) -> None:
        x0, x1 = self.x_range()
        shift = (x1 - x0) * fraction
        self.set_x_range(x0 + shift, x1 + shift)

    def data_extent_s(self) -> tuple[float, float] | None:
        """First start to last end (an ongoing period's fade included), in seconds."""
        extent = self.source.extent_ns()
        if extent is None:
            return None
        return extent[0] / NS_PER_S, extent[1] / NS_PER_S

    def frame_data(self) -> None:
        """The first view of newly opened data: the same as Fit all."""
        self.fit_all(remember=True)

    def fit_all(self, remember: bool = False) -> None:
        """Frame the bulk of the visible events: all of them, unless a lone date far off
        at one end would squeeze the rest into a corner (the overview still shows it)."""
        core = self.source.core_extent()
        full = self.data_extent_s()
        if core is None or full is None:
            now = pd.Timestamp.now().value / NS_PER_S
            self.set_x_range(now - 365 * S_PER_DAY, now)
            return
        a, b = core[0] / NS_PER_S, core[1] / NS_PER_S
        if (b - a) >= 0.9 * (full[1] - full[0]):
            a, b = full
        span = max(b - a, S_PER_DAY)
        self.set_x_range(a - span * FIT_MARGIN, a + span + span * FIT_MARGIN)
        if remember:
            self._remember_view()

    def zoom_to_selection(self) -> None:
        # The source's: the selection in memory, the focused event read from DuckDB.
        rows = self.source.selected_rows()
        if not len(rows):
            return
        table = self.source.table
        a = table.start_ns[rows].min() / NS_PER_S
        b = shown_end(table.end_ns[rows]).max() / NS_PER_S
        span = max(b - a, 2 * S_PER_DAY)
        mid = (a + b) / 2
        self.set_x_range(mid - span * 0.6, mid + span * 0.6)

    def back(self) -> None:
        self._go(self.history.back())

    def forward(self) -> None:
        self._go(self.history.forward())

    def _go(self, view: tuple[float, float] | None) -> None:
        if view is None:
            return
        self._settle.stop()
        self._restoring = True
        try:
            self.plot.vb.setXRange(*view, padding=0)
        finally:
            self._restoring = False

    def _view_changed(self, x0: float, x1: float) -> None:
        self.overview.set_window(x0, x1)
        if not self._restoring:
            self._settle.start()
        self._from_plot = True  # the state learns what is shown; no echo back to the plot
        try:
            self.state.set_view_range((int(round(x0 * NS_PER_S)), int(round(x1 * NS_PER_S))))
        finally:
            self._from_plot = False

    def _state_view_range(self, view: tuple[int, int] | None, *_old) -> None:
        """The state's view range changed: show it, unless it came from the plot."""
        if self._from_plot or view is None:
            return
        self._frame_timer.stop()  # a view set on purpose (undo, workspace) wins over framing
        x0, x1 = self.x_range()
        a, b = view[0] / NS_PER_S, view[1] / NS_PER_S
        span = max(b - a, x1 - x0, 1e-9)
        if abs(a - x0) <= span * 1e-6 and abs(b - x1) <= span * 1e-6:
            return
        self.set_x_range(a, b)

    def _remember_view(self) -> None:
        self.history.push(self.x_range())

    # -- state ---------------------------------------------------------------------------------
    def set_grouping(self, grouping: str) -> None:
        """The user picked lanes (the box or the menu): tell the state."""
        self.source.set_grouping(grouping)

    def _state_grouping(self, grouping: str, *_old) -> None:
        i = self.grouping_box.findData(grouping)
        if i >= 0 and i != self.grouping_box.currentIndex():
            with signals_blocked(self.grouping_box):
                self.grouping_box.setCurrentIndex(i)
        action = self.grouping_actions.get(grouping)
        if action is not None:
            action.setChecked(True)

    def _state_measure(self, measure: str, *_old) -> None:
        i = self.measure_box.findData(measure)
        if i >= 0 and i != self.measure_box.currentIndex():
            with signals_blocked(self.measure_box):
                self.measure_box.setCurrentIndex(i)

    def _state_bands(self, on: bool, *_old) -> None:
        self.bands_box.setChecked(on)
        self.actions_by_id["view.timeline.bands"].setChecked(on)

    def _table_changed(self) -> None:
        # the source rebuilds first (it connected first); then frame the new data
        self._frame_timer.start()

    def _source_changed(self) -> None:
        self.plot.redraw()

    def _range_changed(self, time_range: TimeRange | None) -> None:
        self.plot.selection_layer.update()
        if time_range is None:
            self.overview.show_range(None, None)
        else:
            self.overview.show_range(time_range.start_ns / NS_PER_S, time_range.end_ns / NS_PER_S)
        self._update_range_buttons()
        self._emit_summary()

    def _emit_summary(self) -> None:
        if self._filter_changing:  # the filter's rows follow: summed then, over them
            return
        self.range_summary.emit(self.source.range_summary(self.state.range))

    def _update_range_buttons(self) -> None:
        has = self.state.range is not None
        for w in (self.filter_button, self.export_range_button):
            w.setEnabled(has)
        for name in ("filter_range", "export_range", "clear_range"):
            self.actions_by_id[f"view.timeline.{name}"].setEnabled(has)

    def _filter_changed(self, spec: FilterSpec) -> None:
        """The selected range and the view follow the filter's dates.

        Only a closed pair of dates makes a range: a lone "from" or "to" stays a
        one-sided filter (a range made from it would fill in the other side).
        """
        had_dates, self._filter_dates = self._filter_dates, (spec.date_from, spec.date_to)
        if spec.date_from is None and spec.date_to is None:
            if had_dates != (None, None):  # the dates were cleared: so is the range
                self.state.set_range(None)
            return
        if spec.date_from is None or spec.date_to is None:
            return
        a = int(pd.Timestamp(spec.date_from).value)
        b = int(inclusive_end_ns(spec.date_to))
        if b < a:
            return
        self._filter_changing = True  # (set before the rows are filtered again)
        try:
            self.state.set_range(TimeRange(a, b))
        finally:
            self._filter_changing = False
        span = (b - a) / NS_PER_S
        self.set_x_range(a / NS_PER_S - span * FIT_MARGIN, b / NS_PER_S + span * FIT_MARGIN)

    def _overview_range_dragged(self, a: float, b: float, finished: bool) -> None:
        self.plot.preview_range = None if finished else (a, b)
        self.overview.show_range(a, b)
        if finished:
            self.plot.select_range_s(a, b)
        self.plot.selection_layer.update()

    def filter_to_range(self) -> None:
        r = self.state.range
        if r is None:
            return
        start = pd.Timestamp(r.start_ns)
        end = pd.Timestamp(r.end_ns)
        # A range snapped to whole days becomes bare dates (the filter's "to" is inclusive).
        if (r.end_ns + 1) % NS_PER_DAY == 0:
            end = pd.Timestamp(r.end_ns + 1) - pd.Timedelta(days=1)
        spec = self.state.spec.with_(date_from=_py(start), date_to=_py(end))
        self.state.set_filter(spec)

    def request_export_range(self) -> None:
        if self.state.range is not None:
            self.export_range_requested.emit(self.state.range)

    # -- image export -------------------------------------------------------------------------------
    def export_image(
        self, path: Path, width: int, height: int, caption: bool = True, title: str = ""
    ) -> Path:
        """The view as an image; with ``caption``, a title, the filters and the citation."""
        text = default_caption(self.source, self.x_range()) if caption else None
        if text is not None and title:
            text = Caption(title, text.filters, text.citation)
        try:
            return export_timeline_image(
                self.source, self.x_range(), Path(path), width, height, text
            )
        finally:  # painted in light colours meanwhile, were it asked to: paint it again
            self.plot.redraw()
            self.overview.update()

    def export_image_dialog(self) -> None:
        suggested = default_caption(self.source, self.x_range()).title
        dialog = ExportImageDialog(self, title=suggested)
        if dialog.exec() != ExportImageDialog.DialogCode.Accepted:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export timeline image"),
            "timeline.png",
            self.tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"),
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".png", ".svg", ".pdf"):
            path += ".png"
        try:
            self.export_image(
                Path(path), *dialog.chosen_size(), dialog.wants_caption(), dialog.chosen_title()
            )
        except (OSError, ValueError) as err:
            show_notice(
                self, self.tr("Could not export the image"), str(err), details=path, error=err
            )


def _py(moment: pd.Timestamp) -> datetime:
    return moment.to_pydatetime(warn=False)
