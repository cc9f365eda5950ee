"""Colours and sizes of the timeline, in one place (the app's Okabe–Ito palette)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from PySide6.QtGui import QColor

from timeline_app.ui import theme

# The app's palette (ui/theme.py, Okabe & Ito): the same category colours in every view.
CATEGORY_COLOURS = theme.CATEGORY_COLOURS
EXTRA_COLOURS = (theme.SKY_BLUE, theme.YELLOW, theme.GREY)

RANGE_FILL = QColor(0, 114, 178, 40)
RANGE_EDGE = QColor(0, 114, 178, 200)

# The colours that follow the light or dark theme (set by use(); read at paint time as
# ``style.TEXT`` etc.). The category colours are the same in both.
_LIGHT = {
    "BACKGROUND": "#FFFFFF",
    "LANE_STRIPE": (0, 0, 0, 10),
    "LANE_SEPARATOR": (0, 0, 0, 40),
    "TEXT": "#202020",
    "MUTED_TEXT": "#606060",
    "SELECTION": "#000000",
    "AXIS": "#444444",
    "RIM": "#FFFFFF",  # around marks, and inside hollow ones: the background's colour
    "LABEL_FILL": (255, 255, 255, 215),  # behind labels drawn over marks
    "LEGEND_GREY": "#555555",
    "HISTOGRAM": "#5A6B7B",
    "HISTOGRAM_EDGE": "#3C4650",
    "WINDOW_FILL": (0, 0, 0, 28),
}
_DARK = {
    "BACKGROUND": "#1E1E21",
    "LANE_STRIPE": (255, 255, 255, 12),
    "LANE_SEPARATOR": (255, 255, 255, 45),
    "TEXT": "#E8E8E8",
    "MUTED_TEXT": "#A8A8A8",
    "SELECTION": "#FFFFFF",
    "AXIS": "#9A9A9A",
    "RIM": "#1E1E21",
    "LABEL_FILL": (30, 30, 33, 215),
    "LEGEND_GREY": "#B4B4B4",
    "HISTOGRAM": "#8197AD",
    "HISTOGRAM_EDGE": "#B3C2D1",
    "WINDOW_FILL": (255, 255, 255, 30),
}
BACKGROUND = LANE_STRIPE = LANE_SEPARATOR = TEXT = MUTED_TEXT = SELECTION = QColor()
AXIS = RIM = LABEL_FILL = LEGEND_GREY = HISTOGRAM = HISTOGRAM_EDGE = WINDOW_FILL = QColor()
dark = False


def use(dark_theme: bool) -> None:
    """Switch the timeline's colours to the dark or the light theme."""
    global dark
    dark = dark_theme
    for name, value in (_DARK if dark_theme else _LIGHT).items():
        globals()[name] = QColor(value) if isinstance(value, str) else QColor(*value)


@contextmanager
def light() -> Iterator[None]:
    """The light colours for a while (exported images are for print: dark text on white)."""
    was = dark
    use(False)
    try:
        yield
    finally:
        use(was)


use(False)

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
