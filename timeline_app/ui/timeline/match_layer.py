"""Likely-same pairs on the timeline: a dashed link between the two marks of each pair
in view (its two datasets' lanes, or the same lane a day apart), and a small diamond
above each matched mark. Drawn from the layout's arrays; at most MAX_LINKS links."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter, QPen, QPolygonF

from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.marks import Layer, draw_lines

MAX_LINKS = 5_000


def links(rows: np.ndarray, partner: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Among marks of table ``rows``: the matched ones, and the pairs (mark indices) of
    which both marks are drawn, each pair once. ``partner``: per table row, its
    partner's row (-1: none; a row past the table's: a partner not drawn)."""
    mine = np.flatnonzero(partner[rows] >= 0) if len(rows) else np.empty(0, np.int64)
    if not len(mine):
        return mine, mine, mine
    order = np.argsort(rows, kind="stable")
    at = np.minimum(np.searchsorted(rows[order], partner[rows[mine]]), len(rows) - 1)
    other = order[at]
    both = rows[other] == partner[rows[mine]]
    a, b = mine[both], other[both]
    keep = a < b
    return mine, a[keep][:MAX_LINKS], b[keep][:MAX_LINKS]


class MatchLayer(Layer):
    def pairs_in_view(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        partner = self.plot.source.match_partners()
        layout = self.plot.layout()
        if partner is None or layout is None:
            empty = np.empty(0, np.int64)
            return empty, empty, empty
        return links(layout.marks_row, partner)

    def draw(self, painter: QPainter, layout) -> None:  # type: ignore[no-untyped-def]
        mine, a, b = self.pairs_in_view()
        if not len(mine):
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(style.MUTED_TEXT, 1.2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        xs, ys = layout.marks_x, layout.marks_y
        draw_lines(painter, np.column_stack([xs[a], ys[a], xs[b], ys[b]]).astype(np.float64))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.MUTED_TEXT)
        for k in mine[:MAX_LINKS]:
            x, y, d = float(xs[k]), float(ys[k]), float(layout.marks_d[k])
            top = y - d / 2 - 5
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(x, top - 3),
                        QPointF(x + 3, top),
                        QPointF(x, top + 3),
                        QPointF(x - 3, top),
                    ]
                )
            )
