"""The legend, a strip under the date axis (so it is in every exported image too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from timeline_app.ui.i18n import category_label
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.marks import _fade_rect, round_pen

if TYPE_CHECKING:
    from timeline_app.ui.timeline.plot import TimelinePlot

ROW_H = 16.0
MAX_ROWS = 4
#: The room between two entries of a row.
ENTRY_GAP_PX = 12
#: A plot shorter than this keeps one legend row (the lanes need the height).
SHORT_PLOT_PX = 260
#: Under this plot height the legend keeps one row; between it and SHORT_PLOT_PX two
#: (one row at 1024x640 lost the unknown-toll ring, periods and milestones).
TINY_PLOT_PX = 200


class LegendStrip(pg.GraphicsWidget):
    """Row 1: category colours. Row 2: what sizes, rings, bars, fades and lines mean."""

    def __init__(self, plot: TimelinePlot) -> None:
        super().__init__()
        self.plot = plot
        self.setFixedHeight(2 * ROW_H + 6)
        # Painted once into a pixmap: it only changes with the data, not with the zoom.
        self.setCacheMode(self.CacheMode.DeviceCoordinateCache)
        self.setSizePolicy(
            pg.QtWidgets.QSizePolicy.Policy.Expanding, pg.QtWidgets.QSizePolicy.Policy.Fixed
        )

    def categories(self) -> list[str]:
        """Categories with visible events."""
        return self.plot.source.categories_present()

    def note(self) -> str:
        """A line on how the lanes count, where it is not one lane per event."""
        if self.plot.source.grouping == "actor":
            return self.tr("an event is in the lane of each of its actors")
        return ""

    def _groups(self, metrics: QFontMetricsF) -> list[list[tuple[float, Callable]]]:
        """(width, draw(painter, x, y)) of each entry, in reading order, in the groups
        that wrap as one."""
        grey = style.LEGEND_GREY

        def label(text: str, colour: QColor | None = None) -> tuple[float, Callable]:
            w = metrics.horizontalAdvance(text)

            def draw(p: QPainter, x: float, y: float) -> None:
                p.setPen(colour or style.TEXT)
                p.drawText(QRectF(x, y - ROW_H / 2, w + 2, ROW_H), Qt.AlignmentFlag.AlignVCenter, text)  # fmt: skip

            return w, draw

        def keyed(key_w: float, key: Callable, text: str) -> tuple[float, Callable]:
            w, draw_text = label(text)

            def draw(p: QPainter, x: float, y: float) -> None:
                key(p, x, y)
                draw_text(p, x + key_w + 4, y)

            return key_w + 4 + w, draw

        def disc(colour: QColor, d: float) -> Callable:
            def draw(p: QPainter, x: float, y: float) -> None:
                p.setPen(round_pen(colour, d))
                p.drawPoint(QPointF(x + d / 2, y))

            return draw

        def ring(p: QPainter, x: float, y: float) -> None:
            r = style.UNKNOWN_RING_PX
            p.setPen(round_pen(grey, r + 1))
            p.drawPoint(QPointF(x + r / 2, y))
            p.setPen(round_pen(style.RIM, r - 3.5))
            p.drawPoint(QPointF(x + r / 2, y))

        def period(p: QPainter, x: float, y: float) -> None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(grey)
            p.drawRect(QRectF(x, y - 4, 22, 8))

        def ongoing(p: QPainter, x: float, y: float) -> None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(grey)
            p.drawRect(QRectF(x, y - 4, 10, 8))
            _fade_rect(p, grey, 215, QRectF(x + 10, y - 4, 18, 8))

        def whisker(p: QPainter, x: float, y: float) -> None:
            p.setPen(QPen(grey, 1.2))
            p.drawLine(QPointF(x, y), QPointF(x + 20, y))
            p.drawLine(QPointF(x, y - 4), QPointF(x, y + 4))
            p.drawLine(QPointF(x + 20, y - 4), QPointF(x + 20, y + 4))

        def milestone(p: QPainter, x: float, y: float) -> None:
            p.setPen(QPen(style.category_colour("withdrawal"), 1.4))
            p.drawLine(QPointF(x + 3, y - 6), QPointF(x + 3, y + 6))

        def band(p: QPainter, x: float, y: float) -> None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(style.with_alpha(style.category_colour("mourning"), 60))
            p.drawRect(QRectF(x, y - 6, 16, 12))

        categories = [
            keyed(9, disc(style.category_colour(n), 9), category_label(n))
            for n in self.categories()
        ]
        sizes = [label(self.tr("fatalities:"), style.MUTED_TEXT)]
        for n in (1, 10, 100):
            d = float(style.mark_diameter([n])[0])
            sizes.append(keyed(d, disc(grey, d), f"{n}"))
        sizes.append(keyed(style.UNKNOWN_RING_PX, ring, self.tr("unknown")))
        marks = [
            keyed(22, period, self.tr("period")),
            keyed(28, ongoing, self.tr("ongoing")),
            keyed(20, whisker, self.tr("vague date (day/week/month)")),
            keyed(6, milestone, self.tr("milestone")),
            keyed(16, band, self.tr("mourning / blockade band")),
        ]
        note = [label(self.note(), style.MUTED_TEXT)] if self.note() else []
        # The fatality key ("fatalities:", its sizes, the unknown ring) reads as one: it
        # wraps as one; the other entries each alone.
        return [[e] for e in categories + note] + [sizes] + [[e] for e in marks]

    def _entries(self, metrics: QFontMetricsF) -> list[tuple[float, Callable]]:
        return [entry for group in self._groups(metrics) for entry in group]

    def _metrics(self) -> QFontMetricsF:
        font = QFont()
        font.setPointSizeF(8)
        return QFontMetricsF(font)

    def max_rows(self) -> int:
        """Rows the legend may take: fewer when the plot is short (lanes come first)."""
        height = self.plot.height()
        if height < TINY_PLOT_PX:
            return 1
        return 2 if height < SHORT_PLOT_PX else MAX_ROWS

    def _place(self, width: float) -> list[tuple[float, float, Callable]]:
        """Where each entry goes: rows wrap at ``width`` between groups (inside a group
        only when it is wider than a row), up to ``max_rows`` rows."""
        placed = []
        x, y, row = 4.0, 3 + ROW_H / 2, 0
        for group in self._groups(self._metrics()):
            group_w = sum(w for w, _ in group) + ENTRY_GAP_PX * (len(group) - 1)
            if x > 4.0 and x + group_w > width - 4 and group_w <= width - 8:
                x, y, row = 4.0, y + ROW_H, row + 1
            for w, draw in group:
                if x > 4.0 and x + w > width - 4:
                    x, y, row = 4.0, y + ROW_H, row + 1
                if row >= self.max_rows():
                    return placed
                placed.append((x, y, draw))
                x += w + ENTRY_GAP_PX
        return placed

    def rows_for(self, width: float) -> int:
        placed = self._place(width)
        return int(round((placed[-1][1] - 3 - ROW_H / 2) / ROW_H)) + 1 if placed else 1

    def fit_height(self) -> None:
        """As many rows as the entries need at the current width."""
        height = self.rows_for(self.width()) * ROW_H + 6
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_height()

    def paint(self, painter: QPainter, *_args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = painter.font()
        font.setPointSizeF(8)
        painter.setFont(font)
        for x, y, draw in self._place(self.width()):
            draw(painter, x, y)
