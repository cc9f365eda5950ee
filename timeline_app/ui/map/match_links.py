"""Likely-same pairs on the map (Tools > Find Likely Same Events…): a dashed line joining
the two events of each pair with an end in view, and a halo around each matched event
(seen even when both lie on one spot). One item, drawn from the source's arrays; at most
MAX_LINKS lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen

from timeline_app.ui.map.layers import PixelLayer, ViewMapping
from timeline_app.ui.map.source import drawn_at
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.marks import draw_lines, draw_points, round_pen

if TYPE_CHECKING:
    from timeline_app.ui.map.layers import EventLayer
    from timeline_app.ui.map.source import PointsSource

MAX_LINKS = 5_000
#: The pairs' colour: a dark teal, apart from the category colours and the selection.
PAIR = QColor(0, 110, 120)
EMPTY = np.empty(0, dtype=np.int64)


class MatchLinks(PixelLayer):
    """Below the events (z 19): the events' discs sit on the lines and halos."""

    def __init__(self, vb: pg.ViewBox, source: PointsSource, events: EventLayer) -> None:
        super().__init__(vb, z=19)
        self.source = source
        self.events = events
        #: The pairs drawn at the last paint (table rows of the two ends), for tests.
        self.drawn_pairs: tuple[np.ndarray, np.ndarray] = (EMPTY, EMPTY)
        source.changed.connect(self.update)
        source.state.match_changed.connect(lambda: self.update())

    def pairs_in_view(self, view: ViewMapping) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(matched rows in view, pair ends a, b): each pair with both ends drawn and one
        in view, once."""
        s = self.source
        partners = s.match_partners()
        if partners is None or len(partners) != len(s.drawn):
            return EMPTY, EMPTY, EMPTY
        idx = self.events.count_in_view(view)
        partner = partners[idx]
        mine = idx[partner >= 0]
        other = partner[partner >= 0]
        both = drawn_at(s.drawn, other)
        mine, other = mine[both], other[both]
        once = (mine < other) | ~np.isin(other, idx)  # both in view: the pair once
        return mine, mine[once][:MAX_LINKS], other[once][:MAX_LINKS]

    def draw(self, painter: QPainter, view: ViewMapping) -> None:
        matched, a, b = self.pairs_in_view(view)
        self.drawn_pairs = (a, b)
        if not len(matched):
            return
        s = self.source
        pen = QPen(style.with_alpha(PAIR, 220), 1.6, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        lines = np.column_stack(
            [view.px(s.lon[a]), view.py(s.lat[a]), view.px(s.lon[b]), view.py(s.lat[b])]
        )
        draw_lines(painter, lines.astype(np.float64))
        # A halo: the event's own disc, drawn over it, leaves a ring of the pairs' colour.
        halo = np.maximum(s.diameter[matched], style.UNKNOWN_RING_PX) + 7
        x, y = view.px(s.lon[matched]), view.py(s.lat[matched])
        for size in np.unique(np.round(halo)):
            one = np.round(halo) == size
            painter.setPen(round_pen(style.with_alpha(PAIR, 170), float(size)))
            draw_points(painter, x[one][:MAX_LINKS], y[one][:MAX_LINKS])

    def any_drawn(self) -> bool:
        """Whether some pair has both ends on the map, in view or not (the legend then
        names the mark): the source's answer, over the filter's events on either
        engine (the DuckDB map's arrays hold only the points read for the view)."""
        return self.source.pairs_on_map()
