"""Event symbols drawn as pre-rendered sprites: one small pixmap per kind of symbol
(colour, size, style, dimmed), then one ``drawPixmapFragments`` call per kind over all
its points (how pyqtgraph's ScatterPlotItem draws fast). Stroking a round pen per point
costs tens of microseconds each; a fragment costs almost nothing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap

from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.marks import round_pen

try:  # packed fragments; pyqtgraph keeps it internal (the timeline uses it too)
    from pyqtgraph.Qt.internals import PrimitiveArray
except ImportError:  # pragma: no cover
    PrimitiveArray = None

FILLED, HOLLOW, ROUGH = 0, 1, 2
#: Alpha of events outside the timeline's time selection.
DIMMED_ALPHA = 70
#: A halo around an approximate place, as a multiple of its symbol's size.
HALO = 2.2


def symbol_keys(
    category: np.ndarray,
    diameter: np.ndarray,
    known: np.ndarray,
    rough: np.ndarray,
    dimmed: np.ndarray,
) -> np.ndarray:
    """One integer per point naming its sprite."""
    size = np.clip(np.round(diameter), 1, 63).astype(np.int64)
    kind = np.where(rough, ROUGH, np.where(known, FILLED, HOLLOW))
    return (((category.astype(np.int64) + 1) * 64 + size) * 4 + kind) * 2 + dimmed


class SpriteCache:
    """Pixmaps by sprite key, for one palette, theme and pixel ratio."""

    def __init__(self) -> None:
        self._sprites: dict[int, QPixmap] = {}
        self._for: tuple | None = None

    def sprite(self, key: int, palette: list[QColor], dpr: float) -> QPixmap:
        token = (tuple(c.rgba() for c in palette), style.RIM.rgba(), dpr)
        if token != self._for:
            self._sprites.clear()
            self._for = token
        found = self._sprites.get(key)
        if found is None:
            found = self._sprites[key] = self._render(key, palette, dpr)
        return found

    @staticmethod
    def _render(key: int, palette: list[QColor], dpr: float) -> QPixmap:
        dimmed = bool(key % 2)
        kind = (key // 2) % 4
        size = float((key // 8) % 64)
        code = key // 512 - 1
        colour = palette[code] if 0 <= code < len(palette) else style.category_colour("")
        colour = style.with_alpha(colour, DIMMED_ALPHA if dimmed else 230)
        rim = style.with_alpha(style.RIM, DIMMED_ALPHA if dimmed else 255)
        extent = (size * HALO if kind == ROUGH else max(size, style.UNKNOWN_RING_PX)) + 4
        side = int(np.ceil(extent * dpr))
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.scale(dpr, dpr)
        c = QPointF(side / dpr / 2, side / dpr / 2)
        if kind == FILLED:
            painter.setPen(round_pen(rim, size + 2))
            painter.drawPoint(c)
            painter.setPen(round_pen(colour, size))
            painter.drawPoint(c)
        elif kind == HOLLOW:  # unknown toll: a ring, never a small "zero" dot
            ring = style.UNKNOWN_RING_PX
            painter.setPen(round_pen(colour, ring + 1))
            painter.drawPoint(c)
            painter.setPen(round_pen(rim, ring - 3.5))
            painter.drawPoint(c)
        else:  # an approximate place: a faint halo and a cross, never an exact-looking dot
            painter.setPen(round_pen(style.with_alpha(colour, 20 if dimmed else 50), size * HALO))
            painter.drawPoint(c)
            arm = 0.5 * max(size, 7.0) / np.sqrt(2)
            for pen in (round_pen(rim, 4.0), round_pen(colour, 2.0)):
                painter.setPen(pen)
                painter.drawLine(c + QPointF(-arm, -arm), c + QPointF(arm, arm))
                painter.drawLine(c + QPointF(-arm, arm), c + QPointF(arm, -arm))
        painter.end()
        return pixmap


def draw_sprites(
    painter: QPainter,
    cache: SpriteCache,
    palette: list[QColor],
    keys: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    dpr: float = 1.0,
) -> None:
    """Every point's sprite at its (x, y), in key order (dimmed first, then big first)."""
    if not len(keys) or PrimitiveArray is None:
        return
    # Dimmed ones under the others; within each, bigger symbols under smaller ones; then
    # by key, so that each sprite's points are one run.
    size = (keys // 8) % 64
    order = np.lexsort((keys, -size, -(keys % 2)))
    keys, x, y = keys[order], x[order], y[order]
    bounds = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(keys)]])
    fragments = PrimitiveArray(QPainter.PixmapFragment, 10)
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        pixmap = cache.sprite(int(keys[lo]), palette, dpr)
        fragments.resize(hi - lo)
        frags = fragments.ndarray()
        frags[:, 0] = x[lo:hi]
        frags[:, 1] = y[lo:hi]
        frags[:, 2:6] = (0, 0, pixmap.width(), pixmap.height())
        frags[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)
        painter.drawPixmapFragments(*fragments.drawargs(), pixmap)  # type: ignore[call-arg]
