"""The timeline's layers: one graphics item per layer, each painting numpy arrays.

Layers live in the view box's own pixel coordinates and draw the plot's current
``Layout`` (see model/timeline/layout.py). Batches go through QPainter's array calls
(``drawRects``/``drawLines``/``drawPoints`` over one packed buffer), so a layer
costs a handful of Qt calls per colour, never one item or one call per event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject

from timeline_app.model.timeline import layout_labels
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import precision_label
from timeline_app.ui.timeline import style

try:  # packed-array drawing; pyqtgraph keeps it internal, so fall back if it moves
    from pyqtgraph.Qt.internals import PrimitiveArray
except ImportError:  # pragma: no cover
    PrimitiveArray = None

if TYPE_CHECKING:
    from timeline_app.ui.timeline.plot import TimelinePlot


def draw_rects(painter: QPainter, xywh: np.ndarray) -> None:
    if not len(xywh):
        return
    if PrimitiveArray is None:  # pragma: no cover
        for x, y, w, h in xywh:
            painter.drawRect(QRectF(x, y, w, h))
        return
    arr = PrimitiveArray(QRectF, 4)
    arr.resize(len(xywh))
    arr.ndarray()[:] = xywh
    painter.drawRects(*arr.drawargs())


def draw_lines(painter: QPainter, x1y1x2y2: np.ndarray) -> None:
    if not len(x1y1x2y2):
        return
    if PrimitiveArray is None:  # pragma: no cover
        for a, b, c, d in x1y1x2y2:
            painter.drawLine(QLineF(a, b, c, d))
        return
    arr = PrimitiveArray(QLineF, 4)
    arr.resize(len(x1y1x2y2))
    arr.ndarray()[:] = x1y1x2y2
    painter.drawLines(*arr.drawargs())


def draw_points(painter: QPainter, x: np.ndarray, y: np.ndarray) -> None:
    if not len(x):
        return
    if PrimitiveArray is None:  # pragma: no cover
        for a, b in zip(x, y, strict=True):
            painter.drawPoint(QPointF(a, b))
        return
    arr = PrimitiveArray(QPointF, 2)
    arr.resize(len(x))
    buf = arr.ndarray()
    buf[:, 0] = x
    buf[:, 1] = y
    painter.drawPoints(*arr.drawargs())


def round_pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


class Layer(QGraphicsObject):
    """An item covering the view box, painting in its pixels."""

    def __init__(self, plot: TimelinePlot, z: float) -> None:
        super().__init__(plot.vb)
        self.plot = plot
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        plot.vb.sigResized.connect(self._resized)

    def _resized(self, *_args) -> None:
        self.prepareGeometryChange()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, 0, self.plot.vb.width(), self.plot.vb.height())

    def paint(self, painter: QPainter, *_args) -> None:
        layout = self.plot.layout()
        if layout is None:
            return
        painter.save()
        painter.setClipRect(self.boundingRect())
        try:
            self.draw(painter, layout)
        finally:
            painter.restore()

    def draw(self, painter: QPainter, layout) -> None:  # pragma: no cover
        raise NotImplementedError


class BackgroundLayer(Layer):
    """Lane stripes, and (on request) light bands for mourning and blockade periods."""

    def draw(self, painter: QPainter, layout) -> None:
        plot = self.plot
        w = self.boundingRect().width()
        centres, h = plot.lane_centres_px(), plot.lane_height_px()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.LANE_STRIPE)
        stripes = [(0, c - h / 2, w, h) for i, c in enumerate(centres) if i % 2 == 1]
        draw_rects(painter, np.array(stripes, dtype=np.float64).reshape(-1, 4))
        painter.setPen(QPen(style.LANE_SEPARATOR, 1))
        top = plot.lanes_top_px()
        draw_lines(painter, np.array([[0, top, w, top]], dtype=np.float64))
        if not plot.source.show_bands or not len(layout.bands):
            return
        bottom = self.boundingRect().height()
        names = plot.source.index.category_names
        painter.setPen(Qt.PenStyle.NoPen)
        for (x0, x1, fade), code in zip(layout.bands, layout.bands_cat, strict=True):
            colour = style.category_colour(names[code])
            alpha = BAND_ALPHA.get(names[code], 30)
            painter.setBrush(style.with_alpha(colour, alpha))
            painter.drawRect(QRectF(x0, top, max(x1 - x0, 1.0), bottom - top))
            if fade > 1:
                _fade_rect(painter, colour, alpha, QRectF(x1, top, fade, bottom - top))


#: Mourning is short and must stand out; a blockade band is long and stays faint.
BAND_ALPHA = {"mourning": 70, "blockade": 26}


def _fade_rect(painter: QPainter, colour: QColor, alpha: int, rect: QRectF) -> None:
    """A rect whose colour fades to nothing left to right: "still going, as far as known"."""
    gradient = QLinearGradient(rect.left(), 0, rect.right(), 0)
    gradient.setColorAt(0.0, style.with_alpha(colour, alpha))
    gradient.setColorAt(1.0, style.with_alpha(colour, 0))
    painter.setBrush(QBrush(gradient))
    painter.drawRect(rect)


class EventLayer(Layer):
    """Histograms for dense lanes; periods, whiskers and marks for the others."""

    def draw(self, painter: QPainter, layout) -> None:
        plot = self.plot
        names = plot.source.index.category_names
        palette = style.category_palette(names)
        h = plot.lane_height_px()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self._draw_bins(painter, layout, palette)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._draw_periods(painter, layout, palette, h)
        if len(layout.whisker):
            painter.setPen(QPen(style.with_alpha(style.TEXT, 95), 1.0))
            wk = layout.whisker
            cap = 4.0
            draw_lines(painter, np.column_stack([wk[:, 0], wk[:, 2], wk[:, 1], wk[:, 2]]))
            caps = np.concatenate(
                [
                    np.column_stack([wk[:, 0], wk[:, 2] - cap, wk[:, 0], wk[:, 2] + cap]),
                    np.column_stack([wk[:, 1], wk[:, 2] - cap, wk[:, 1], wk[:, 2] + cap]),
                ]
            )
            draw_lines(painter, caps)
        self._draw_marks(painter, layout, palette)

    def _draw_bins(self, painter, layout, palette) -> None:
        if not len(layout.bins):
            return
        painter.setPen(Qt.PenStyle.NoPen)
        for lane in np.unique(layout.bins_lane):
            painter.setBrush(style.with_alpha(self.plot.lane_colour(int(lane)), 200))
            draw_rects(painter, layout.bins[layout.bins_lane == lane])
        # The scale of each histogram lane, at its right end: "max 120 / week".
        painter.setPen(style.MUTED_TEXT)
        font = painter.font()
        font.setPointSizeF(7.5)
        painter.setFont(font)
        centres, h = self.plot.lane_centres_px(), self.plot.lane_height_px()
        unit = self.plot.current_frame.unit
        if self.plot.source.measure == "fatalities":
            pattern = QCoreApplication.translate("Histogram", "max {n} fatalities / {unit}")
        else:
            pattern = QCoreApplication.translate("Histogram", "max {n} events / {unit}")
        for lane, vmax in enumerate(layout.lane_max):
            if np.isnan(vmax) or vmax <= 0:
                continue
            text = pattern.format(n=count(round(vmax)), unit=precision_label(unit))
            w = painter.fontMetrics().horizontalAdvance(text) + 6
            rect = QRectF(layout.width - w - 2, centres[lane] - h / 2 + 1, w, 12)
            painter.fillRect(rect, style.LABEL_FILL)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _draw_periods(self, painter, layout, palette, h) -> None:
        if not len(layout.periods):
            return
        p = layout.periods
        painter.setPen(Qt.PenStyle.NoPen)
        for code in np.unique(layout.periods_cat):
            colour = palette[code]
            sel = layout.periods_cat == code
            q = p[sel]
            # Solid from the first certain day; lighter across a vague start.
            painter.setBrush(style.with_alpha(colour, 215))
            draw_rects(painter, np.column_stack([q[:, 1], q[:, 3] - q[:, 5] / 2, np.maximum(q[:, 2] - q[:, 1], 1.5), q[:, 5]]))  # fmt: skip
            vague = q[q[:, 1] > q[:, 0] + 0.5]
            painter.setBrush(style.with_alpha(colour, 90))
            draw_rects(painter, np.column_stack([vague[:, 0], vague[:, 3] - vague[:, 5] / 2, vague[:, 1] - vague[:, 0], vague[:, 5]]))  # fmt: skip
            for row in np.flatnonzero(sel & layout.periods_ongoing):
                x0, _, x1, y, fade, bar = p[row]
                if fade > 1:
                    _fade_rect(painter, colour, 215, QRectF(x1, y - bar / 2, fade, bar))
                # a tick at the "as of" date: known to be going on up to here
                painter.setPen(QPen(colour.darker(140), 1.5))
                painter.drawLine(QPointF(x1, y - bar / 2 - 2), QPointF(x1, y + bar / 2 + 2))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.save()
                painter.setPen(style.MUTED_TEXT)
                font = painter.font()
                font.setPointSizeF(7.5)
                font.setItalic(True)
                painter.setFont(font)
                painter.drawText(
                    QPointF(x1 + 3, y - bar / 2 - 3),
                    QCoreApplication.translate("Marks", "ongoing →"),
                )
                painter.restore()

    def _draw_marks(self, painter, layout, palette) -> None:
        if not len(layout.marks_x):
            return
        d = np.round(layout.marks_d * 2) / 2
        white = style.RIM
        known = layout.marks_known
        for code in np.unique(layout.marks_cat):
            colour = palette[code]
            of_cat = layout.marks_cat == code
            # Known fatalities: filled discs, area by sqrt scale, a white rim to separate.
            for size in np.unique(d[of_cat & known])[::-1]:
                sel = of_cat & known & (d == size)
                painter.setPen(round_pen(white, size + 2))
                draw_points(painter, layout.marks_x[sel], layout.marks_y[sel])
                painter.setPen(round_pen(style.with_alpha(colour, 230), size))
                draw_points(painter, layout.marks_x[sel], layout.marks_y[sel])
            # Unknown fatalities: a hollow ring, never a small "zero" dot.
            sel = of_cat & ~known
            if sel.any():
                size = style.UNKNOWN_RING_PX
                painter.setPen(round_pen(colour, size + 1))
                draw_points(painter, layout.marks_x[sel], layout.marks_y[sel])
                painter.setPen(round_pen(white, size - 3.5))
                draw_points(painter, layout.marks_x[sel], layout.marks_y[sel])


class MilestoneLayer(Layer):
    """Vertical lines for milestones, labelled in the strip above the lanes.

    Labels go in up to ``LABEL_ROWS`` rows; one that fits in no row is dropped (its
    line stays, and hovering it names it), so labels never pile up.
    """

    #: (rect, text) of each label as last painted (tests read them).
    drawn_labels: tuple[tuple[QRectF, str], ...] = ()

    def draw(self, painter: QPainter, layout) -> None:
        if not len(layout.milestones_x):
            return
        plot = self.plot
        colour = style.category_colour("withdrawal")
        top, bottom = 2.0, self.boundingRect().height()
        strip = plot.lanes_top_px()
        x = layout.milestones_x
        vague = layout.milestones_vague
        solid = QPen(colour, 2.0)
        dashed = QPen(colour, 1.6, Qt.PenStyle.DashLine)
        for pen, sel in ((solid, ~vague), (dashed, vague)):
            painter.setPen(pen)
            xs = x[sel]
            draw_lines(painter, np.column_stack([xs, np.full(len(xs), strip - 6), xs, np.full(len(xs), bottom)]))  # fmt: skip
        font = painter.font()
        font.setPointSizeF(7.5)
        painter.setFont(font)
        # Measured on the device painted on: a screen's metrics can be narrower than the
        # text drawn (another DPI), and the next label's box then covers the end of it.
        metrics = QFontMetricsF(font, painter.device())
        titles = [_short(plot.source.title_of(int(r))) for r in layout.milestones_row]
        widths = np.array([metrics.horizontalAdvance(t) + 6 for t in titles])
        # A label running past the plot's right edge is cut to the room left ("…"), and
        # left out where that is a stub ("M" at the edge): its line stays, hover names it.
        room = layout.width - np.asarray(x, dtype=np.float64) - 4
        widths = np.minimum(widths, room) if len(widths) else widths
        label_rows = plot.label_rows()
        row_h = (strip - 8) / label_rows
        rows = layout_labels(x, widths, label_rows)
        rows[widths < MIN_LABEL_PX] = -1
        drawn: list[tuple[QRectF, str]] = []
        for xi, wi, ri, title in zip(x, widths, rows, titles, strict=True):
            if ri < 0:
                continue
            title = metrics.elidedText(title, Qt.TextElideMode.ElideRight, float(wi) - 6)
            rect = QRectF(xi + 2, top + ri * row_h, wi, row_h - 1)
            drawn.append((rect, title))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.LABEL_FILL)
            painter.drawRect(rect)
            painter.setPen(colour.darker(130))
            painter.drawText(rect.adjusted(2, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, title)
        self.drawn_labels = tuple(drawn)


#: A milestone label narrower than this (cut at the plot's edge) is not drawn.
MIN_LABEL_PX = 48


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SelectionLayer(Layer):
    """Outlines the selected events (marks, bars, milestones) and the selected range."""

    def draw(self, painter: QPainter, layout) -> None:
        plot = self.plot
        h = self.boundingRect().height()
        span = plot.range_px()
        if span is not None:
            x0, x1 = span
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.RANGE_FILL)
            painter.drawRect(QRectF(x0, 0, max(x1 - x0, 1.0), h))
            painter.setPen(QPen(style.RANGE_EDGE, 1.2))
            draw_lines(painter, np.array([[x0, 0, x0, h], [x1, 0, x1, h]], dtype=np.float64))
        selected = plot.source.selected_rows()
        if not len(selected):
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        ring = QPen(style.SELECTION, 2.2)
        sel = np.isin(layout.marks_row, selected)
        if sel.any():
            painter.setPen(ring)
            for x, y, d in zip(layout.marks_x[sel], layout.marks_y[sel], layout.marks_d[sel], strict=True):  # fmt: skip
                r = d / 2 + 3
                painter.drawEllipse(QPointF(x, y), r, r)
        sel = np.flatnonzero(np.isin(layout.periods_row, selected))
        for k in sel:
            x0, _, x1, y, _, bar = layout.periods[k]
            painter.setPen(ring)
            painter.drawRect(QRectF(x0 - 2, y - bar / 2 - 2, max(x1 - x0, 1.5) + 4, bar + 4))
        self._draw_selected_in_bins(painter, layout, selected)
        sel = np.isin(layout.milestones_row, selected)
        if sel.any():
            painter.setPen(QPen(style.SELECTION, 2.5))
            xs = layout.milestones_x[sel]
            draw_lines(painter, np.column_stack([xs, np.zeros(len(xs)), xs, np.full(len(xs), h)]))

    def _draw_selected_in_bins(self, painter: QPainter, layout, selected: np.ndarray) -> None:
        """Selected events inside histogram lanes: a short black tick under their bar."""
        plot = self.plot
        frame = plot.current_frame
        if frame is None or not len(layout.bins) or len(selected) > 100_000:
            return
        density = np.array([lf.mode == "density" for lf in frame.lanes])
        lanes = plot.source.lanes.of_row[selected]
        rows = selected[density[lanes]] if len(density) else selected[:0]
        start = plot.source.table.start_ns[rows]
        rows = rows[(start >= frame.x0) & (start <= frame.x1)][:5000]
        if not len(rows):
            return
        x = frame.px(plot.source.table.start_ns[rows])
        base = plot.lane_centres_px()[plot.source.lanes.of_row[rows]] + plot.lane_height_px() * 0.4
        painter.setPen(QPen(style.SELECTION, 1.5))
        draw_lines(painter, np.column_stack([x, base + 1, x, base + 6]))
