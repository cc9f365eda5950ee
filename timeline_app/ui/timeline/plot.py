"""The main timeline plot: a date axis, lanes, the layers, the legend, and the mouse.

x is seconds since the epoch (float); the model keeps int64 ns. Lane i sits at y = i,
top to bottom, under a strip reserved for milestone labels.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMenu, QToolTip

from timeline_app.model.state import TimeRange
from timeline_app.model.timeline import Hit, Layout, hit_test, layout_frame
from timeline_app.model.units import NS_PER_S, S_PER_DAY, S_PER_HOUR, S_PER_YEAR
from timeline_app.ui.i18n import lane_label
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.axis import DateAxis, LaneAxis
from timeline_app.ui.timeline.legend import LegendStrip
from timeline_app.ui.timeline.marks import (
    BackgroundLayer,
    EventLayer,
    MilestoneLayer,
    SelectionLayer,
)
from timeline_app.ui.timeline.match_layer import MatchLayer
from timeline_app.ui.timeline.source import AnySource
from timeline_app.ui.timeline.tooltip import tooltip_for

#: Zoom limits: a view spans at least an hour and at most this many years.
MIN_SPAN_S = S_PER_HOUR
MAX_SPAN_S = 60 * S_PER_YEAR


class TimelineViewBox(pg.ViewBox):
    """Wheel zooms x around the cursor, drag pans, right-drag zooms to a band,
    Shift+drag selects a time range, click picks an event."""

    def __init__(self, plot: TimelinePlot) -> None:
        super().__init__(invertY=True, enableMenu=False)
        self.plot = plot
        self.setMouseEnabled(x=True, y=False)
        self._range_drag_start: float | None = None

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        if ev.button() == Qt.MouseButton.RightButton:  # (a right-drag zooms)
            ev.accept()
            self.plot.context_menu_at(ev.pos(), ev.screenPos())
            return
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.plot.source.state.set_range(None)  # Shift+click: no range
            else:
                self.plot.click_at(ev.pos())
        else:
            ev.ignore()

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if ev.button() == Qt.MouseButton.LeftButton and shift:
            ev.accept()
            start = self.mapToView(ev.buttonDownPos()).x()
            now = self.mapToView(ev.pos()).x()
            if ev.isFinish():
                self.plot.preview_range = None
                self.plot.select_range_s(min(start, now), max(start, now))
            else:
                self.plot.preview_range = (min(start, now), max(start, now))
                self.plot.selection_layer.update()
            return
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            down, now = ev.buttonDownPos(), ev.pos()
            if ev.isFinish():
                self.rbScaleBox.hide()
                a, b = sorted((self.mapToView(down).x(), self.mapToView(now).x()))
                if b - a > 0:
                    self.plot.set_x_range(a, b)
            else:
                top, bottom = 0.0, self.height()
                self.updateScaleBox(QPointF(down.x(), top), QPointF(now.x(), bottom))
            return
        super().mouseDragEvent(ev, axis)


class TimelinePlot(pg.PlotWidget):
    """Lanes of events over a date axis; draws ``source`` and mirrors the app's selection."""

    view_changed = Signal(float, float)  # x range in seconds
    #: "Compare before and after…" on a right-click: the date (ns) and the event's row (-1)
    compare_requested = Signal(object, int)
    hovered = Signal(str)  # the tooltip text ("" when over nothing)

    def __init__(self, source: AnySource, parent=None, live: bool = True) -> None:
        self.source = source
        vb = TimelineViewBox(self)
        self.lane_axis = LaneAxis()
        super().__init__(
            parent,
            background=style.BACKGROUND,
            viewBox=vb,
            axisItems={"bottom": DateAxis(), "left": self.lane_axis},
        )
        self.setObjectName("timelinePlot")
        self.vb = vb
        self.plot_item = self.getPlotItem()
        self.plot_item.hideButtons()
        self.plot_item.setMenuEnabled(False)
        self._style_axes()
        vb.disableAutoRange()
        vb.setLimits(minXRange=MIN_SPAN_S, maxXRange=MAX_SPAN_S)
        self.preview_range: tuple[float, float] | None = None
        self.current_frame = None
        self._layout: Layout | None = None
        self._layout_key: tuple = ()
        self.background_layer = BackgroundLayer(self, -10)
        self.event_layer = EventLayer(self, 0)
        self.milestone_layer = MilestoneLayer(self, 5)
        self.selection_layer = SelectionLayer(self, 10)
        self.match_layer = MatchLayer(self, 8)  # links between likely-same events
        self.layers = (
            self.background_layer,
            self.event_layer,
            self.milestone_layer,
            self.match_layer,
            self.selection_layer,
        )
        self.legend = LegendStrip(self)
        self.plot_item.layout.addItem(self.legend, 4, 1)
        vb.sigXRangeChanged.connect(self._x_changed)
        vb.sigResized.connect(self._fit_lanes)
        source.changed.connect(self._source_changed)
        source.options_changed.connect(self.redraw)
        self.live = live
        if live:
            self.scene().sigMouseMoved.connect(self._mouse_moved)
            source.state.selection_changed.connect(self._selection_changed)
            source.state.range_changed.connect(self._selection_changed)
            source.state.match_changed.connect(self._match_changed)
        self._source_changed()
        self.setMouseTracking(True)

    def _style_axes(self) -> None:
        for name in ("bottom", "left"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(pg.mkPen(style.AXIS))
            axis.setTextPen(pg.mkPen(style.TEXT))

    def restyle(self) -> None:
        """Take the theme's colours (style.use() was called): background, axes, marks."""
        self.setBackground(style.BACKGROUND)
        self._style_axes()
        self.redraw()

    def disconnect_state(self) -> None:
        """Stop listening to the app state (the model's signals hold plain callbacks)."""
        if self.live:
            self.source.state.selection_changed.disconnect(self._selection_changed)
            self.source.state.range_changed.disconnect(self._selection_changed)
            self.source.state.match_changed.disconnect(self._match_changed)
            self.live = False

    # -- geometry ----------------------------------------------------------------------
    def label_rows(self) -> int:
        """Rows of milestone labels: fewer on a short plot (the lanes need the height)."""
        height = self.vb.height()
        return style.LABEL_ROWS if height >= 300 else 2 if height >= 160 else 1

    def lanes_top_px(self) -> float:
        row = (style.MILESTONE_STRIP_PX - 8) / style.LABEL_ROWS
        return 8.0 + self.label_rows() * row

    def lane_height_px(self) -> float:
        n = max(self.source.index.n_lanes, 1)
        return max((self.vb.height() - self.lanes_top_px()) / n, 1.0)

    def lane_centres_px(self) -> np.ndarray:
        n = self.source.index.n_lanes
        return self.lanes_top_px() + (np.arange(n) + 0.5) * self.lane_height_px()

    def lane_at_px(self, y: float) -> int | None:
        lane = int(np.floor((y - self.lanes_top_px()) / self.lane_height_px()))
        return lane if 0 <= lane < self.source.index.n_lanes else None

    def lane_colour(self, lane: int) -> QColor:
        if self.source.grouping == "category":
            return style.category_colour(self.source.lanes.labels[lane], lane)
        return style.HISTOGRAM

    def x_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.vb.viewRange()
        return float(x0), float(x1)

    def set_x_range(self, x0: float, x1: float) -> None:
        span = min(max(x1 - x0, MIN_SPAN_S), MAX_SPAN_S)
        mid = (x0 + x1) / 2
        self.vb.setXRange(mid - span / 2, mid + span / 2, padding=0)

    def px_of_s(self, x: float) -> float:
        x0, x1 = self.x_range()
        return (x - x0) / max(x1 - x0, 1e-9) * self.vb.width()

    def range_px(self) -> tuple[float, float] | None:
        if self.preview_range is not None:
            a, b = self.preview_range
        elif self.source.state.range is not None:
            r = self.source.state.range
            a, b = r.start_ns / NS_PER_S, r.end_ns / NS_PER_S
        else:
            return None
        return self.px_of_s(a), self.px_of_s(b)

    def _fit_lanes(self, *_args) -> None:
        """Lanes share the height below the milestone strip; y never zooms."""
        self.lane_axis.fit_width(self.width())
        self.legend.fit_height()
        n = max(self.source.index.n_lanes, 1)
        strip_lanes = self.lanes_top_px() / self.lane_height_px()
        self.vb.setYRange(-0.5 - strip_lanes, n - 0.5, padding=0)
        self.redraw()

    # -- drawing -------------------------------------------------------------------------
    def layout(self) -> Layout | None:
        """The current view laid out in pixels, recomputed only when the view changed."""
        index = self.source.index
        width, height = self.vb.width(), self.vb.height()
        if width < 2 or height < 2:
            return None
        x0, x1 = self.x_range()
        key = (x0, x1, width, height, id(index), self.source.measure, id(self.source.table))
        if key != self._layout_key or self._layout is None:
            a, b = int(x0 * NS_PER_S), int(x1 * NS_PER_S)
            # (a live plot's view is what the DuckDB timeline asks the engine for)
            frame = self.source.frame(a, b, width, self.source.measure, ask=self.live)
            index = self.source.index  # (the DuckDB timeline's comes with its answer)
            self.current_frame = frame
            self._layout = layout_frame(
                frame,
                index,
                self.lane_centres_px(),
                self.lane_height_px(),
                style.mark_diameter,
            )
            self._layout_key = key
        return self._layout

    def redraw(self) -> None:
        self._layout_key = ()
        for layer in self.layers:
            layer.update()
        self.legend.update()

    def _x_changed(self, _vb, x_range) -> None:
        for layer in self.layers:
            layer.update()
        self.view_changed.emit(float(x_range[0]), float(x_range[1]))

    def _source_changed(self) -> None:
        counts = self.source.lane_counts()
        grouping = self.source.grouping
        labels = tuple(lane_label(grouping, lane) for lane in self.source.lanes.labels)
        self.lane_axis.set_lanes(labels, counts)
        self._fit_lanes()

    def _match_changed(self) -> None:
        self.match_layer.update()

    def _selection_changed(self, *_args) -> None:
        self.selection_layer.update()

    # -- the mouse ----------------------------------------------------------------------------
    def hit_at(self, pos: QPointF) -> Hit | None:
        """What is drawn at ``pos`` (view box pixels)."""
        layout = self.layout()
        if layout is None:
            return None
        lane = self.lane_at_px(pos.y())
        return hit_test(layout, self.source.index, pos.x(), pos.y(), lane, self.lane_height_px())

    def click_at(self, pos: QPointF) -> None:
        self.source.pick(self.hit_at(pos))

    def context_menu_at(self, pos: QPointF, screen_pos: QPointF) -> QMenu:
        """The right-click menu: compare before and after the milestone, event or day
        under the pointer."""
        hit = self.hit_at(pos)
        row = int(hit.rows[0]) if hit is not None and hit.kind != "bin" else -1
        if row >= 0:
            at_ns = int(self.source.table.start_ns[row])
            milestone = hit is not None and hit.kind == "milestone"
            what = (
                self.tr("Compare Before and After this milestone…")
                if milestone
                else self.tr("Compare Before and After this event…")
            )
        else:
            at_ns = int(np.floor(self.vb.mapToView(pos).x() / S_PER_DAY) * S_PER_DAY) * NS_PER_S
            what = self.tr("Compare Before and After this day…")
        menu = QMenu(self)
        menu.setObjectName("timelineContextMenu")
        action = menu.addAction(what)
        action.triggered.connect(lambda: self.compare_requested.emit(at_ns, row))
        menu.popup(QPoint(int(screen_pos.x()), int(screen_pos.y())))
        self.last_menu = menu
        return menu

    def select_range_s(self, a: float, b: float) -> None:
        """Select a time range dragged out in seconds, snapped to whole days unless
        zoomed in to less than two days (so the filter dates match it exactly)."""
        x0, x1 = self.x_range()
        if (x1 - x0) > 2 * S_PER_DAY:
            a = np.floor(a / S_PER_DAY) * S_PER_DAY
            b = np.ceil(b / S_PER_DAY) * S_PER_DAY
            if b <= a:
                b = a + S_PER_DAY
        else:
            a = np.floor(a / S_PER_HOUR) * S_PER_HOUR
            b = max(np.ceil(b / S_PER_HOUR) * S_PER_HOUR, a + S_PER_HOUR)
        self.source.state.set_range(TimeRange(int(a) * NS_PER_S, int(b) * NS_PER_S - 1))
        self.selection_layer.update()

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        if self.lane_axis.sceneBoundingRect().contains(scene_pos):  # a lane's full name
            text = self.lane_axis.tooltip_at(self.lane_axis.mapFromScene(scene_pos))
            global_pos = self.mapToGlobal(self.mapFromScene(scene_pos))
            QToolTip.showText(global_pos, text, self) if text else QToolTip.hideText()
            return
        if not self.vb.sceneBoundingRect().contains(scene_pos):
            QToolTip.hideText()
            return
        hit = self.hit_at(self.vb.mapFromScene(scene_pos))
        text = tooltip_for(self.source, hit) if hit is not None else ""
        self.hovered.emit(text)
        if text:
            global_pos = self.mapToGlobal(self.mapFromScene(scene_pos))
            QToolTip.showText(global_pos, text, self)
        else:
            QToolTip.hideText()

    def viewport_pos_of(self, x_s: float, y_px_in_vb: float) -> QPointF:
        """Widget-viewport pixels of a time (seconds) and a height inside the view box."""
        vb_point = QPointF(self.px_of_s(x_s), y_px_in_vb)
        return QPointF(self.mapFromScene(self.vb.mapToScene(vb_point)))
