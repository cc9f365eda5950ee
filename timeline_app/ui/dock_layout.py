"""The main window's dock layout, kept in the app state (``state.views.window``).

Qt owns the layout while the user drags docks about; it is written into the state a
moment after a dock moves, floats, shows or hides (debounced), and at once before a
snapshot (:meth:`DockLayoutSync.capture`). A layout put into the state from elsewhere
(a workspace) is applied to the window; the guard keeps that from echoing back.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow
from shiboken6 import isValid
from superqt.utils import qdebounced

from timeline_app.model.state import AppState

#: Bump when the dock set changes, so an old saved layout is not forced on new docks.
LAYOUT_VERSION = 3
#: A burst of dock changes (a drag) is written to the state once, this long after (ms).
SETTLE_MS = 300


class DockLayoutSync(QObject):
    def __init__(self, window: QMainWindow, state: AppState) -> None:
        super().__init__(window)
        self.window = window
        self.state = state
        self._capturing = False
        self._debounced_capture = qdebounced(self.capture, timeout=SETTLE_MS)
        state.views.window.events.dock_layout.connect(self._apply)
        for dock in window.findChildren(QDockWidget):
            self.watch(dock)

    def watch(self, dock: QDockWidget) -> None:
        """Follow one more dock (docks made later, such as Frequencies)."""
        dock.dockLocationChanged.connect(self._debounced_capture)
        dock.topLevelChanged.connect(self._debounced_capture)
        dock.visibilityChanged.connect(self._debounced_capture)

    def capture(self, *_args: object) -> None:
        """Write the window's current layout into the state."""
        if not isValid(self.window):  # a debounced call after the window went away
            return
        self._capturing = True
        try:
            self.state.set_dock_layout(bytes(self.window.saveState(LAYOUT_VERSION).data()))
        finally:
            self._capturing = False

    def _apply(self, layout: bytes | None, *_old: object) -> None:
        if self._capturing or not layout:
            return
        self.window.restoreState(QByteArray(layout), LAYOUT_VERSION)
