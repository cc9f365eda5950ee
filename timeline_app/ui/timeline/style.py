"""Colours and sizes of the timeline, in one place (the app's Okabe–Ito palette)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from timeline_app.ui import theme

# The app's palette (ui/theme.py, Okabe & Ito): the same category colours in every view.
CATEGORY_COLOURS = theme.CATEGORY_COLOURS
EXTRA_COLOURS = (theme.SKY_BLUE, theme.YELLOW, theme.GREY)

BACKGROUND = QColor("#FFFFFF")
LANE_STRIPE = QColor(0, 0, 0, 10)
LANE_SEPARATOR = QColor(0, 0, 0, 40)
TEXT = QColor("#202020")
MUTED_TEXT = QColor("#606060")
SELECTION = QColor("#000000")
RANGE_FILL = QColor(0, 114, 178, 40)
RANGE_EDGE = QColor(0, 114, 178, 200)

#: Space above the lanes for milestone labels, in pixels.
MILESTONE_STRIP_PX = 46
LABEL_ROWS = 3
UNKNOWN_RING_PX = 9.0
MIN_MARK_PX = 5.0
MAX_MARK_PX = 30.0


def category_colour(name: str, k: int = 0) -> QColor:
    return QColor(CATEGORY_COLOURS.get(name, EXTRA_COLOURS[k % len(EXTRA_COLOURS)]))


def category_palette(names: list[str]) -> list[QColor]:
    """A colour per category code (index into the table's categories)."""
    extras = 0
    colours = []
    for name in names:
        if name in CATEGORY_COLOURS:
            colours.append(QColor(CATEGORY_COLOURS[name]))
        else:
            colours.append(QColor(EXTRA_COLOURS[extras % len(EXTRA_COLOURS)]))
            extras += 1
    return colours


def mark_diameter(fatalities: np.ndarray) -> np.ndarray:
    """Area grows with fatalities (sqrt scale); unknown gets the ring size (drawn hollow)."""
    f = np.asarray(fatalities, dtype=np.float64)
    d = np.clip(MIN_MARK_PX + 2.2 * np.sqrt(np.where(np.isnan(f), 0.0, f)), 0, MAX_MARK_PX)
    return np.where(np.isnan(f), UNKNOWN_RING_PX, d)


def with_alpha(colour: QColor, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c
