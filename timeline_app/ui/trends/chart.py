"""The trends chart: a :class:`~timeline_app.model.trends.Series` drawn from its arrays.

One bar item per lane (never one per event), stacked in one plot or as small multiples
sharing the date axis; unknown tolls in a strip of their own below (never as zero);
milestones as vertical lines and mourning/blockade periods as bands. Dragging selects a
time range (sent as ``range_dragged``), the wheel zooms the dates, hovering names the
bin's values (``hover_text``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolTip

from timeline_app.model.trends import Series
from timeline_app.model.units import NS_PER_S as NS
from timeline_app.ui.formatting import count as format_count
from timeline_app.ui.formatting import format_date
from timeline_app.ui.i18n import lane_label
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.axis import DateAxis

#: Small multiples: at most this many lanes get a chart each (the rest stay in "other").
MAX_MULTIPLES = 9
UNKNOWN_COLOUR = QColor(120, 120, 120)


class TrendsViewBox(pg.ViewBox):
    """Drag selects a time range, the wheel zooms the dates, y follows the data."""

    def __init__(self, chart: TrendsChart) -> None:
        super().__init__(enableMenu=False)
        self.chart = chart
        self.setMouseEnabled(x=True, y=False)

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        a = self.mapToView(ev.buttonDownPos()).x()
        b = self.mapToView(ev.pos()).x()
        lo, hi = min(a, b), max(a, b)
        self.chart.show_range(lo, hi)
        if ev.isFinish():
            self.chart.range_dragged.emit(lo, hi)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        if ev.button() == Qt.MouseButton.LeftButton and (
            ev.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            ev.accept()
            self.chart.range_dragged.emit(0.0, 0.0)  # Shift+click: no range (as the timeline)
            return
        ev.ignore()


class TrendsChart(pg.GraphicsLayoutWidget):
    #: a time range dragged out, seconds (0, 0: cleared)
    range_dragged = Signal(float, float)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trendsChart")
        self.setBackground(style.BACKGROUND)
        self.series: Series | None = None
        self.plots: list[pg.PlotItem] = []
        self.bars: list[pg.BarGraphItem] = []
        self.unknown_bars: pg.BarGraphItem | None = None
        self.regions: list[pg.LinearRegionItem] = []
        self.hover_text = ""
        self._structure: tuple = ()
        self._marks: list[pg.GraphicsObject] = []
        self.scene().sigMouseMoved.connect(self._hover)

    # -- drawing ------------------------------------------------------------------------
    def set_series(
        self,
        series: Series,
        layout: str = "stacked",
        milestones: list[tuple[float, str]] | None = None,
        bands: list[tuple[float, float, str]] | None = None,
    ) -> None:
        """Draw ``series``; the plots are built again only when their number changes."""
        self.series = series
        self._last = (series, layout, milestones, bands)
        groups = (
            len(series.labels) if layout == "stacked" else min(len(series.labels), MAX_MULTIPLES)
        )
        unknown = series.measure == "fatalities" and bool(series.unknown.sum())
        structure = (layout, series.labels, series.measure, unknown)
        if structure != self._structure:
            self._build(series, layout, groups, unknown)
            self._structure = structure
        self._fill(series, layout)
        self._draw_marks(milestones or [], bands or [])
        if len(series.edges) > 1:
            x0, x1 = series.edges[0] / NS, series.edges[-1] / NS
            self.plots[0].setXRange(x0, x1, padding=0.01)

    def restyle(self) -> None:
        """Take the theme's colours (style.use() was called) and draw again."""
        self.setBackground(style.BACKGROUND)
        self._structure = ()
        last = getattr(self, "_last", None)
        if last is not None:
            self.set_series(*last)

    def _build(self, series: Series, layout: str, groups: int, unknown: bool) -> None:
        self.clear()
        self.plots, self.bars, self.regions, self._marks = [], [], [], []
        self.unknown_bars = None
        count = 1 if layout == "stacked" else max(groups, 1)
        # Small multiples in a grid (a dock is wider than tall): 1, 2 or 3 columns.
        cols = 1 if count <= 2 else 2 if count <= 4 else 3
        rows = -(-count // cols)
        what = _what(series)
        for i in range(count):
            row, col = divmod(i, cols)
            # Dates under the bottom plot of each column only (the multiples share them).
            dated = row == rows - 1 or i + cols >= count
            plot = self._plot(row, col, dates=dated)
            if layout == "stacked":
                plot.setLabel("left", what)
            else:
                name = lane_label(series.grouping, series.labels[i]) if series.labels else what
                plot.setTitle(name, size="9pt", color=style.TEXT)
        self._grid = (rows, cols)
        lanes = range(len(series.labels)) if layout == "stacked" else range(groups)
        for lane in lanes:
            plot = self.plots[0] if layout == "stacked" else self.plots[lane]
            colour = self.lane_colour(series, lane)
            bar = pg.BarGraphItem(x0=[], width=[], height=[], brush=colour, pen=pg.mkPen(None))
            plot.addItem(bar)
            self.bars.append(bar)
        if layout == "stacked" and len(series.labels) > 1:
            legend = self.plots[0].addLegend(
                offset=(8, 4), labelTextSize="8pt", labelTextColor=style.TEXT
            )
            for lane, bar in enumerate(self.bars):
                legend.addItem(bar, lane_label(series.grouping, series.labels[lane]))
        if unknown:
            plot = self._plot(self._grid[0], 0, height=70, colspan=self._grid[1])
            plot.setTitle(
                QCoreApplication.translate(
                    "Trends", "events with an unknown toll (not counted as 0)"
                ),
                size="8pt",
                color=style.TEXT,
            )
            self.unknown_bars = pg.BarGraphItem(
                x0=[], width=[], height=[], brush=pg.mkBrush(None), pen=pg.mkPen(UNKNOWN_COLOUR)
            )
            plot.addItem(self.unknown_bars)

    def _plot(
        self, row: int, col: int, height: int | None = None, colspan: int = 1, dates: bool = True
    ) -> pg.PlotItem:
        axis = DateAxis()  # the timeline's: calendar ticks, the language's month names
        plot = self.addPlot(
            row=row,
            col=col,
            colspan=colspan,
            viewBox=TrendsViewBox(self),
            axisItems={"bottom": axis},
        )
        if not dates:
            plot.getAxis("bottom").setStyle(showValues=False)
            plot.getAxis("bottom").setHeight(6)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.showGrid(y=True, alpha=0.25)
        for name in ("bottom", "left"):
            plot.getAxis(name).setPen(pg.mkPen(style.AXIS))
            plot.getAxis(name).setTextPen(pg.mkPen(style.TEXT))
        plot.getAxis("left").setWidth(48)
        if height is not None:
            plot.setMaximumHeight(height)
        if self.plots:
            plot.setXLink(self.plots[0])
        region = pg.LinearRegionItem(movable=False, brush=style.RANGE_FILL, pen=pg.mkPen(None))
        region.setZValue(-5)
        region.hide()
        plot.addItem(region, ignoreBounds=True)
        self.regions.append(region)
        self.plots.append(plot)
        return plot

    def _fill(self, series: Series, layout: str) -> None:
        x0 = series.edges[:-1] / NS
        width = np.diff(series.edges) / NS * 0.9
        bottom = np.zeros(len(x0))
        for lane, bar in enumerate(self.bars):
            values = series.values[lane] if lane < len(series.values) else np.zeros(len(x0))
            y0 = bottom.copy() if layout == "stacked" else np.zeros(len(x0))
            bar.setOpts(x0=x0, width=width, y0=y0, height=values)
            if layout == "stacked":
                bottom += values
        top = float(bottom.max()) if layout == "stacked" and len(bottom) else 0.0
        for lane, plot in enumerate(self.plots[: len(self.bars) if layout != "stacked" else 1]):
            peak = top if layout == "stacked" else float(series.values[lane].max(initial=0))
            plot.setYRange(0, max(peak, 4.0) * 1.08, padding=0)
        if self.unknown_bars is not None:
            unknown = series.bin_unknown()
            some = unknown > 0  # outlined bars: an empty week draws nothing, not a line
            self.unknown_bars.setOpts(
                x0=x0[some], width=width[some], y0=np.zeros(int(some.sum())), height=unknown[some]
            )
            self.plots[-1].setYRange(0, max(float(unknown.max(initial=0)), 1.0) * 1.1, padding=0)

    def _draw_marks(
        self, milestones: list[tuple[float, str]], bands: list[tuple[float, float, str]]
    ) -> None:
        for plot_item, mark in self._marks:
            plot_item.removeItem(mark)
        self._marks = []
        colour = style.category_colour("withdrawal")
        for plot in self.plots:
            for x, title in milestones:
                line = pg.InfiniteLine(
                    x,
                    angle=90,
                    pen=pg.mkPen(colour, width=1.2),
                )  # unlabelled: titles stacked on narrow bins would pile up; hover names it
                line.setToolTip(title)
                plot.addItem(line, ignoreBounds=True)
                self._marks.append((plot, line))
            for a, b, category in bands:
                fill = QColor(style.category_colour(category))
                fill.setAlpha(38)
                band = pg.LinearRegionItem((a, b), movable=False, brush=fill, pen=pg.mkPen(None))
                band.setZValue(-8)
                plot.addItem(band, ignoreBounds=True)
                self._marks.append((plot, band))

    def show_range(self, a: float | None, b: float | None = None) -> None:
        """Shade the selected range (seconds) on every plot; None hides it."""
        for region in self.regions:
            if a is None or b is None or b <= a:
                region.hide()
            else:
                region.setRegion((a, b))
                region.show()

    @staticmethod
    def lane_colour(series: Series, lane: int) -> QColor:
        if series.grouping == "category":
            return style.category_colour(series.labels[lane], lane)
        return QColor(OKABE_ITO[lane % len(OKABE_ITO)])

    # -- hover -----------------------------------------------------------------------------
    def text_at(self, x_s: float) -> str:
        """What the bin under time ``x_s`` holds, lane by lane."""
        series = self.series
        if series is None or len(series.edges) < 2:
            return ""
        k = int(np.searchsorted(series.edges, int(x_s * NS), side="right")) - 1
        if not 0 <= k < len(series.edges) - 1:
            return ""
        start = format_date(np.datetime64(int(series.edges[k]), "ns"), _precision(series.unit))
        week_of = QCoreApplication.translate("Trends", "Week of {date}")
        lines = [week_of.format(date=start) if series.unit == "week" else start]
        for lane, label in enumerate(series.labels):
            value = series.values[lane, k]
            if value:
                lines.append(f"{lane_label(series.grouping, label)}: {format_count(round(value))}")
        total = format_count(round(series.bin_totals()[k]))
        lines.append(
            QCoreApplication.translate("Trends", "total: {total} {what}").format(
                total=total, what=_what(series)
            )
        )
        unknown = int(series.bin_unknown()[k])
        if unknown:
            lines.append(
                QCoreApplication.translate(
                    "Trends", "{count} event(s) with an unknown toll"
                ).format(count=format_count(unknown))
            )
        return "\n".join(lines)

    def _hover(self, scene_pos: QPointF) -> None:
        for plot in self.plots:
            if plot.vb.sceneBoundingRect().contains(scene_pos):
                x = plot.vb.mapSceneToView(scene_pos).x()
                self.hover_text = self.text_at(x)
                global_pos = self.mapToGlobal(self.mapFromScene(scene_pos))
                if self.hover_text:
                    QToolTip.showText(global_pos, self.hover_text, self)
                return
        self.hover_text = ""
        QToolTip.hideText()


#: Colours of lanes other than categories (Okabe–Ito, then greys)
OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
)


def _precision(unit: str) -> str:
    return {"day": "day", "week": "day", "month": "month", "year": "year"}.get(unit, "day")


def _what(series: Series) -> str:
    if series.measure == "events":
        return QCoreApplication.translate("Trends", "events")
    return QCoreApplication.translate("Trends", "known fatalities")
