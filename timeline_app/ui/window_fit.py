"""Small windows: the side docks give way before the timeline and the table do.

QMainWindow keeps side docks at their width when the window shrinks and squeezes
the docks in the middle instead, down to a sliver at 640×420. Here every dock gets a
modest minimum, and whenever the middle (timeline over table) would get less than
``MIDDLE_SHARE`` of the width, the side docks are narrowed to their share; the
timeline keeps at least ``TIMELINE_SHARE`` of the middle's height.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow

#: dock attribute -> (minimum width, minimum height) of its contents, in pixels
DOCK_MINIMUMS = {
    "filter_dock": (150, 120),
    "detail_dock": (150, 100),
    "table_dock": (260, 90),
    "timeline_dock": (300, 190),
}
SIDE_SHARES = {"filter_dock": 0.19, "detail_dock": 0.23}
MIDDLE_SHARE = 0.5
TIMELINE_SHARE = 0.5
#: ... unless it is this tall already (the user may want a taller table)
TIMELINE_ENOUGH_PX = 320


def _docked(window: QMainWindow, name: str) -> QDockWidget | None:
    dock = getattr(window, name, None)
    if dock is None or dock.isFloating() or dock.isHidden():
        return None
    return dock


def set_minimums(window: QMainWindow) -> None:
    for name, (width, height) in DOCK_MINIMUMS.items():
        dock = getattr(window, name, None)
        if dock is not None and dock.widget() is not None:
            # an explicit minimum overrides the contents' hint (they scroll or elide)
            dock.widget().setMinimumSize(width, height)


def fit_docks(window: QMainWindow) -> None:
    """Narrow the side docks and heighten the timeline where the window is too small."""
    width = window.width()
    side = [(d, SIDE_SHARES[n]) for n in SIDE_SHARES if (d := _docked(window, n)) is not None]
    middle = width - sum(d.width() for d, _ in side)
    if side and middle < MIDDLE_SHARE * width:
        sizes = [max(DOCK_MINIMUMS[n][0], int(width * s)) for n, s in SIDE_SHARES.items()
                 if _docked(window, n) is not None]  # fmt: skip
        window.resizeDocks([d for d, _ in side], sizes, Qt.Orientation.Horizontal)
    timeline, table = _docked(window, "timeline_dock"), _docked(window, "table_dock")
    if timeline is None or table is None or timeline.x() != table.x():
        return  # not one above the other: the user arranged them
    both = timeline.height() + table.height()
    if timeline.height() < min(TIMELINE_SHARE * both, TIMELINE_ENOUGH_PX):
        share = int(both * TIMELINE_SHARE)
        window.resizeDocks([timeline, table], [share, both - share], Qt.Orientation.Vertical)


class WindowFit(QObject):
    """Re-fits the docks after each resize of the window (once the layout settled)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(lambda: fit_docks(self.window))
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False


def install_window_fit(window: QMainWindow) -> WindowFit:
    set_minimums(window)
    return WindowFit(window)
