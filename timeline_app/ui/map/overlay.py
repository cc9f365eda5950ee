"""What sits over the map: graticule with labels, scale bar, legend and attribution."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap

from timeline_app.model.boundaries import BoundaryLayer
from timeline_app.model.units import EARTH_RADIUS_KM
from timeline_app.ui.map.layers import PixelLayer, ViewMapping
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.marks import draw_points, round_pen

if TYPE_CHECKING:
    from timeline_app.ui.map.widget import MapView

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
#: The overlay's text size (points).
OVERLAY_POINTS = 8.0
#: The legend's place is chosen from at most this many of the events in view.
LEGEND_SAMPLE = 20_000
GRATICULE = QColor(0, 0, 0, 28)


def nice_step(span: float, target: int) -> float:
    """A 1-2-5 step giving about ``target`` intervals over ``span``."""
    raw = max(span / max(target, 1), 1e-9)
    power = 10 ** math.floor(math.log10(raw))
    for k in (1, 2, 5, 10):
        if k * power >= raw:
            return k * power
    return 10 * power  # pragma: no cover


def _metrics(base: QFont) -> QFontMetricsF:
    """The overlay's text metrics: ``base`` (the painter's font) at its size."""
    font = QFont(base)
    font.setPointSizeF(OVERLAY_POINTS)
    return QFontMetricsF(font)


def degree_text(value: float, positive: str, negative: str, step: float) -> str:
    digits = 0 if step >= 1 else min(3, int(math.ceil(-math.log10(step))))
    hemisphere = "" if abs(value) < 1e-9 else positive if value > 0 else negative
    return f"{abs(value):.{digits}f}°{hemisphere}"


class Overlay(PixelLayer):
    """Graticule lines and labels, the scale bar, the legend and the attribution."""

    def __init__(self, view: MapView) -> None:
        super().__init__(view.vb, z=40)
        self.map = view
        self._labels_of: BoundaryLayer | None = None
        self._scale_right = 0.0
        self._scale_top = 0.0
        self._scale_y = 0.0
        self._attribution_h = 0.0
        self._legend_top = False  # the legend at the top: fewer events under it there
        self.legend_rect: QRectF | None = None  # where the last paint put it
        self._labels = np.empty((0, 2))
        #: Keep a picture of what was drawn: a paint of the same view, legend and
        #: attribution (a selection, the time slider's frames, most filters) copies it
        #: (~3 ms of text and symbols a paint). The view turns it on while it is still
        #: (MapView.paintEvent); off while the map is exported (export.py).
        self.keep_pixmap = False
        self._kept: tuple[tuple, QPixmap] | None = None
        view.source.changed.connect(self.update)

    def draw(self, painter: QPainter, view: ViewMapping) -> None:
        if not self.keep_pixmap:
            self._kept = None
            self._draw(painter, view)
            return
        ratio = painter.device().devicePixelRatioF()
        legend = self.map.legend_entries()
        entries = tuple((k, c.rgba(), t) for k, c, t in legend)
        key = (
            (view.x0, view.x1, view.y0, view.y1, view.w, view.h, ratio),
            entries,
            self._legend_at_top(view, legend, _metrics(painter.font())),
            self.map.attribution(),
            id(self.map.region_layer()),
            painter.font().key(),
        )
        if self._kept is None or self._kept[0] != key:
            pixmap = QPixmap(math.ceil(view.w * ratio), math.ceil(view.h * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            onto = QPainter(pixmap)
            onto.setRenderHints(painter.renderHints())
            onto.setFont(painter.font())
            self._draw(onto, view)
            onto.end()
            self._kept = (key, pixmap)
        painter.drawPixmap(QPointF(0, 0), self._kept[1])

    def _draw(self, painter: QPainter, view: ViewMapping) -> None:
        font = QFont(painter.font())
        font.setPointSizeF(OVERLAY_POINTS)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        self._graticule(painter, view, metrics)
        self._region_names(painter, view, metrics)
        lines = self._attribution_lines(view, metrics)
        # What the attribution takes at the bottom: the scale bar and legend sit above.
        self._attribution_h = len(lines) * (metrics.height() + 2) + 4
        self._scale_bar(painter, view, metrics)
        self._attribution(painter, view, metrics, lines)
        self._legend(painter, view, metrics)

    def _graticule(self, painter: QPainter, view: ViewMapping, metrics: QFontMetricsF) -> None:
        step = nice_step(max(view.x1 - view.x0, view.y1 - view.y0), 6)
        step = min(step, 30.0)
        painter.setPen(QPen(GRATICULE, 1.0))
        lons = np.arange(math.ceil(view.x0 / step) * step, view.x1, step)
        lats = np.arange(math.ceil(view.y0 / step) * step, view.y1, step)
        for lon in lons:
            x = float(view.px(lon))
            painter.drawLine(QPointF(x, 0), QPointF(x, view.h))
        for lat in lats:
            y = float(view.py(lat))
            painter.drawLine(QPointF(0, y), QPointF(view.w, y))
        painter.setPen(style.MUTED_TEXT)
        east = QCoreApplication.translate("Compass", "E")
        west = QCoreApplication.translate("Compass", "W")  # "O" (ouest) in French
        north = QCoreApplication.translate("Compass", "N")
        south = QCoreApplication.translate("Compass", "S")
        for lon in lons:
            text = degree_text(lon, east, west, step)
            x = float(view.px(lon)) + 2
            painter.drawText(QPointF(x, metrics.ascent() + 2), text)
        for lat in lats:
            text = degree_text(lat, north, south, step)
            painter.drawText(QPointF(3, float(view.py(lat)) - 2), text)

    def _region_names(self, painter: QPainter, view: ViewMapping, metrics: QFontMetricsF) -> None:
        """The names of the regions, once zoomed in far enough to read them."""
        if view.x1 - view.x0 > 30:
            return
        layer = self.map.region_layer()
        if self._labels_of is not layer:
            self._labels_of, self._labels = layer, layer.label_points()
        x, y = view.px(self._labels[:, 0]), view.py(self._labels[:, 1])
        painter.setPen(style.with_alpha(style.MUTED_TEXT, 200))
        font = QFont(painter.font())
        font.setItalic(True)
        painter.save()
        painter.setFont(font)
        for name, px, py in zip(layer.names, x, y, strict=True):
            if 0 <= px <= view.w and 0 <= py <= view.h:
                half = metrics.horizontalAdvance(str(name)) / 2
                painter.drawText(QPointF(px - half, py), str(name))
        painter.restore()

    def _scale_bar(self, painter: QPainter, view: ViewMapping, metrics: QFontMetricsF) -> None:
        km_per_px = KM_PER_DEGREE / view.sy  # north-south: true at every latitude
        length_km = nice_step(km_per_px * 110, 1)
        length_px = length_km / km_per_px
        x, y = 12.0, view.h - self._attribution_h - 8.0
        painter.setPen(QPen(style.TEXT, 2.0))
        painter.drawLine(QPointF(x, y), QPointF(x + length_px, y))
        for end in (x, x + length_px):
            painter.drawLine(QPointF(end, y - 4), QPointF(end, y + 4))
        label = f"{length_km:g} km"
        painter.drawText(
            QPointF(x + (length_px - metrics.horizontalAdvance(label)) / 2, y - 6), label
        )
        # Where it ends and how high it reaches, so that the legend keeps clear of it.
        self._scale_right = x + max(length_px, metrics.horizontalAdvance(label)) + 8
        self._scale_top = y - 6 - metrics.height()
        self._scale_y = y

    def _attribution_lines(self, view: ViewMapping, metrics: QFontMetricsF) -> list[str]:
        """The attribution in as many lines as a narrow map needs, broken between its
        sources (one line cut off "Borders: Natural Earth" at its left)."""
        room = view.w - 16
        lines: list[str] = []
        for part in self.map.attribution().split(" · "):
            joined = f"{lines[-1]} · {part}" if lines else part
            if lines and metrics.horizontalAdvance(joined) <= room:
                lines[-1] = joined
            else:
                lines.append(part)
        return lines

    def _attribution(
        self, painter: QPainter, view: ViewMapping, metrics: QFontMetricsF, lines: list[str]
    ) -> None:
        height = metrics.height() + 2
        for k, text in enumerate(reversed(lines)):  # bottom up, right aligned
            width = metrics.horizontalAdvance(text)
            top = view.h - metrics.height() - 4 - k * height
            rect = QRectF(view.w - width - 8, top, width + 6, height)
            painter.fillRect(rect, style.LABEL_FILL)
            painter.setPen(style.MUTED_TEXT)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _legend_size(entries: list, metrics: QFontMetricsF) -> tuple[float, float]:
        line = metrics.height() + 3
        width = max((metrics.horizontalAdvance(text) for _k, _c, text in entries), default=0)
        return width + 34, line * len(entries) + 8

    def _legend_rects(
        self, view: ViewMapping, size: tuple[float, float], metrics: QFontMetricsF
    ) -> tuple[QRectF, QRectF]:
        """Where the legend may sit: bottom right, above the attribution (on a narrow
        map above the scale bar), or top right, below the graticule's labels."""
        width, height = size
        bottom = QRectF(
            view.w - width - 6, view.h - height - self._attribution_h - 4, width, height
        )
        if bottom.left() < self._scale_right:  # a narrow map: above the scale bar instead
            bottom.moveBottom(self._scale_top - 4)
        top = QRectF(view.w - width - 6, metrics.height() + 8, width, height)
        return bottom, top

    def _legend_at_top(self, view: ViewMapping, entries: list, metrics: QFontMetricsF) -> bool:
        """Whether the legend goes to the top: where it would hide fewer of the events
        in view (a sample of them), moving only for clearly fewer so that it does not
        jump about while the view moves."""
        s = self.map.source
        size = self._legend_size(entries, metrics)
        if not s.located or not entries:
            return self._legend_top
        rows = self.map.events.count_in_view(view)
        rows = rows[:: max(len(rows) // LEGEND_SAMPLE, 1)]
        x, y = view.px(s.lon[rows]), view.py(s.lat[rows])

        def under(rect: QRectF) -> int:
            inside = (x >= rect.left()) & (x <= rect.right())
            inside &= (y >= rect.top()) & (y <= rect.bottom())
            return int(np.count_nonzero(inside))

        bottom, top = (under(r) for r in self._legend_rects(view, size, metrics))
        if self._legend_top and bottom * 2 < top:
            self._legend_top = False
        elif not self._legend_top and top * 2 < bottom:
            self._legend_top = True
        return self._legend_top

    def _legend(self, painter: QPainter, view: ViewMapping, metrics: QFontMetricsF) -> None:
        entries = self.map.legend_entries()
        if not entries:
            return
        line = metrics.height() + 3
        bottom, top = self._legend_rects(view, self._legend_size(entries, metrics), metrics)
        rect = top if self._legend_at_top(view, entries, metrics) else bottom
        self.legend_rect = QRectF(rect)
        painter.fillRect(rect, style.LABEL_FILL)
        painter.setPen(QPen(style.LANE_SEPARATOR, 1.0))
        painter.drawRect(rect)
        for k, (kind, colour, text) in enumerate(entries):
            cx, cy = rect.left() + 14, rect.top() + 4 + line * k + line / 2
            self._symbol(painter, kind, colour, cx, cy)
            painter.setPen(style.TEXT)
            painter.drawText(QPointF(cx + 14, cy + metrics.ascent() / 2 - 1), text)

    def _symbol(self, painter: QPainter, kind: str, colour: QColor, cx: float, cy: float) -> None:
        xy = (np.array([cx]), np.array([cy]))
        if kind == "disc":
            painter.setPen(round_pen(colour, 9.0))
            draw_points(painter, *xy)
        elif kind == "ring":
            painter.setPen(round_pen(colour, 10.0))
            draw_points(painter, *xy)
            painter.setPen(round_pen(style.RIM, 5.5))
            draw_points(painter, *xy)
        elif kind == "cross":
            painter.setPen(round_pen(style.with_alpha(colour, 50), 14.0))
            draw_points(painter, *xy)
            painter.setPen(QPen(colour, 2.0))
            painter.drawLine(QPointF(cx - 4, cy - 4), QPointF(cx + 4, cy + 4))
            painter.drawLine(QPointF(cx - 4, cy + 4), QPointF(cx + 4, cy - 4))
        elif kind == "square":
            painter.fillRect(QRectF(cx - 5, cy - 5, 10, 10), colour)
        elif kind == "pair":  # two haloed discs joined by a dashed line (ui/map/match_links)
            painter.setPen(QPen(colour, 1.6, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(cx - 7, cy + 2), QPointF(cx + 7, cy - 2))
            ends = (np.array([cx - 7, cx + 7]), np.array([cy + 2, cy - 2]))
            painter.setPen(round_pen(style.with_alpha(colour, 170), 8.0))
            draw_points(painter, *ends)
            painter.setPen(round_pen(style.LEGEND_GREY, 4.0))
            draw_points(painter, *ends)
