"""The overview strip: all visible events as a density curve, and a window onto the main view.

Dragging or resizing the window moves the main view; zooming the main view moves the
window. Shift+drag on the strip selects a time range, as on the main plot.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal

from timeline_app.model.units import NS_PER_S
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.axis import DateAxis
from timeline_app.ui.timeline.source import AnySource


class OverviewViewBox(pg.ViewBox):
    """No zoom or pan of its own; a click centres the window, Shift+drag selects a range."""

    range_dragged = Signal(float, float, bool)  # a, b (seconds), finished
    clicked = Signal(float)

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=False, y=False)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.clicked.emit(self.mapToView(ev.pos()).x())

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        a = self.mapToView(ev.buttonDownPos()).x()
        b = self.mapToView(ev.pos()).x()
        self.range_dragged.emit(min(a, b), max(a, b), ev.isFinish())

    def wheelEvent(self, ev, axis=None) -> None:  # noqa: N802
        ev.ignore()


class WindowRegion(pg.LinearRegionItem):
    """The view window: drag to move, drag an edge to resize; Shift+drag passes through
    (to select a range underneath)."""

    def mouseDragEvent(self, ev) -> None:  # noqa: N802
        if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            ev.ignore()
            return
        super().mouseDragEvent(ev)


class OverviewPlot(pg.PlotWidget):
    window_moved = Signal(float, float)  # the user moved the window (seconds)

    def __init__(self, source: AnySource, parent=None) -> None:
        self.vb_overview = OverviewViewBox()
        super().__init__(
            parent,
            background=style.BACKGROUND,
            viewBox=self.vb_overview,
            axisItems={"bottom": DateAxis()},
        )
        self.setObjectName("timelineOverview")
        self.source = source
        item = self.getPlotItem()
        item.hideButtons()
        item.setMenuEnabled(False)
        item.hideAxis("left")
        item.getAxis("bottom").setHeight(22)
        self.setFixedHeight(78)
        self.curve = pg.PlotDataItem(
            stepMode="center",
            fillLevel=0,
            brush=pg.mkBrush(style.HISTOGRAM),
            pen=pg.mkPen(style.HISTOGRAM_EDGE),
        )
        self.addItem(self.curve)
        self.range_item = pg.LinearRegionItem(
            brush=pg.mkBrush(style.RANGE_FILL), pen=pg.mkPen(style.RANGE_EDGE), movable=False
        )
        self.range_item.setZValue(5)
        self.range_item.hide()
        self.addItem(self.range_item)
        self.window_region = WindowRegion(
            brush=pg.mkBrush(style.WINDOW_FILL), pen=pg.mkPen(style.TEXT, width=1.5)
        )
        self.window_region.setZValue(10)
        self.addItem(self.window_region)
        self._syncing = False
        self.window_region.sigRegionChanged.connect(self._window_changed)
        self.vb_overview.clicked.connect(self._centre_on)
        source.changed.connect(self.refresh)
        self.restyle()

    def restyle(self) -> None:
        """Take the theme's colours (style.use() was called)."""
        self.setBackground(style.BACKGROUND)
        axis = self.getPlotItem().getAxis("bottom")
        axis.setPen(pg.mkPen(style.AXIS))
        axis.setTextPen(pg.mkPen(style.TEXT))
        self.curve.setBrush(pg.mkBrush(style.HISTOGRAM))
        self.curve.setPen(pg.mkPen(style.HISTOGRAM_EDGE))
        self.window_region.setBrush(pg.mkBrush(style.WINDOW_FILL))
        for line in self.window_region.lines:
            line.setPen(pg.mkPen(style.TEXT, width=1.5))
        self.update()

    def refresh(self) -> None:
        """Recount the density over the whole extent (once per filter, not per zoom)."""
        found = self.source.overview_counts()
        if found is None:
            self.curve.setData([], [])
            return
        edges, counts = found
        a, b = int(edges[0]), int(edges[-1])
        self.curve.setData(edges / NS_PER_S, counts)
        self.getPlotItem().vb.setRange(
            xRange=(a / NS_PER_S, b / NS_PER_S), yRange=(0, max(counts.max(), 1) * 1.1), padding=0
        )

    def set_window(self, x0: float, x1: float) -> None:
        self._syncing = True
        try:
            self.window_region.setRegion((x0, x1))
        finally:
            self._syncing = False

    def show_range(self, a: float | None, b: float | None) -> None:
        if a is None or b is None:
            self.range_item.hide()
            return
        self.range_item.setRegion((a, b))
        self.range_item.show()

    def _window_changed(self) -> None:
        if not self._syncing:
            x0, x1 = self.window_region.getRegion()
            self.window_moved.emit(float(x0), float(x1))

    def _centre_on(self, x: float) -> None:
        x0, x1 = self.window_region.getRegion()
        half = (x1 - x0) / 2
        self.window_moved.emit(x - half, x + half)
