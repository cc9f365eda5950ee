"""The legend, a strip under the date axis (so it is in every exported image too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from timeline_app.model.schema import CATEGORIES
from timeline_app.model.timeline import code_counts
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.marks import _fade_rect, round_pen

if TYPE_CHECKING:
    from timeline_app.ui.timeline.plot import TimelinePlot

ROW_H = 16.0


class LegendStrip(pg.GraphicsWidget):
    """Row 1: category colours. Row 2: what sizes, rings, bars, fades and lines mean."""

    def __init__(self, plot: TimelinePlot) -> None:
        super().__init__()
        self.plot = plot
        self._cache: list[str] = []
        self._cache_key = 0
        self.setFixedHeight(2 * ROW_H + 6)
        # Painted once into a pixmap: it only changes with the data, not with the zoom.
        self.setCacheMode(self.CacheMode.DeviceCoordinateCache)
        self.setSizePolicy(
            pg.QtWidgets.QSizePolicy.Policy.Expanding, pg.QtWidgets.QSizePolicy.Policy.Fixed
        )

    def categories(self) -> list[str]:
        """Categories with visible events (cached per index: a bincount over 1M is ~2 ms)."""
        index = self.plot.source.index
        if self._cache_key != id(index):
            names = index.category_names
            present = np.flatnonzero(code_counts(index.category, len(names)))
            rank = {c: i for i, c in enumerate(CATEGORIES)}
            self._cache = sorted((names[c] for c in present), key=lambda n: rank.get(n, 99))
            self._cache_key = id(index)
        return self._cache

    def paint(self, painter: QPainter, *_args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = painter.font()
        font.setPointSizeF(8)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        x, y = 4.0, 3 + ROW_H / 2

        def text(label: str, colour: QColor | None = None) -> None:
            nonlocal x
            painter.setPen(colour or style.TEXT)
            w = metrics.horizontalAdvance(label)
            painter.drawText(QRectF(x, y - ROW_H / 2, w + 2, ROW_H), Qt.AlignmentFlag.AlignVCenter, label)  # fmt: skip
            x += w + 12

        def disc(colour: QColor, d: float) -> None:
            nonlocal x
            painter.setPen(round_pen(colour, d))
            painter.drawPoint(QPointF(x + d / 2, y))
            x += d + 4

        for name in self.categories():
            disc(style.category_colour(name), 9)
            text(name)
        x, y = 4.0, 3 + ROW_H * 1.5
        text("fatalities:", style.MUTED_TEXT)
        x -= 8
        grey = style.LEGEND_GREY
        for n in (1, 10, 100):
            d = float(style.mark_diameter([n])[0])
            disc(grey, d)
            text(f"{n}")
        ring = style.UNKNOWN_RING_PX
        painter.setPen(round_pen(grey, ring + 1))
        painter.drawPoint(QPointF(x + ring / 2, y))
        painter.setPen(round_pen(style.RIM, ring - 3.5))
        painter.drawPoint(QPointF(x + ring / 2, y))
        x += ring + 4
        text("unknown")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(grey)
        painter.drawRect(QRectF(x, y - 4, 22, 8))
        x += 26
        text("period")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRect(QRectF(x, y - 4, 10, 8))
        _fade_rect(painter, grey, 215, QRectF(x + 10, y - 4, 18, 8))
        x += 32
        text("ongoing")
        painter.setPen(QPen(grey, 1.2))
        painter.drawLine(QPointF(x, y), QPointF(x + 20, y))
        painter.drawLine(QPointF(x, y - 4), QPointF(x, y + 4))
        painter.drawLine(QPointF(x + 20, y - 4), QPointF(x + 20, y + 4))
        x += 24
        text("date known only to the day/week/month")
        painter.setPen(QPen(style.category_colour("withdrawal"), 1.4))
        painter.drawLine(QPointF(x + 3, y - 6), QPointF(x + 3, y + 6))
        x += 8
        text("milestone")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.with_alpha(style.category_colour("mourning"), 60))
        painter.drawRect(QRectF(x, y - 6, 16, 12))
        x += 20
        text("mourning / blockade band")
