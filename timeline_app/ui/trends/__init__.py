"""The Trends dock and the before-and-after comparison, put into the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from timeline_app.ui.trends.compare_dialog import CompareDialog, compare_request
from timeline_app.ui.trends.widget import TrendsWidget

__all__ = ["CompareDialog", "TrendsWidget", "install_trends", "open_compare"]


def install_trends(window) -> None:
    """The Trends dock (shown and placed by ui/comfort.py like every dock), Tools >
    Compare Before and After…, and the timeline's right-click "Compare before and after"."""
    window.trends = TrendsWidget(window.state, window)
    window.trends.setObjectName("trends")
    window.trends_dock = window._dock(
        "trends", "Trends", window.trends, Qt.DockWidgetArea.BottomDockWidgetArea
    )
    window.compare_dialog = None
    menu = window.matching.menu  # Tools
    menu.addSeparator()
    action = menu.addAction("&Compare Before and After…")
    action.setShortcut(QKeySequence("Ctrl+Alt+C"))
    action.triggered.connect(lambda: open_compare(window))
    window.action_compare = action
    window.timeline.plot.compare_requested.connect(
        lambda at_ns, row: open_compare(window, at_ns, row)
    )
    # A comparison put into the state from elsewhere (a workspace) opens the dialog.
    window.state.views.trends.events.compare.connect(
        lambda choice, *_old: _show(window) if choice else None
    )
    if window.state.views.trends.compare:  # a window rebuilt around the state (a language)
        _show(window)


def open_compare(window, at_ns: int | None = None, row: int = -1) -> CompareDialog:
    """Open the comparison at ``at_ns`` (default: the focused event's start, or the middle
    of the timeline's view); ``row`` is the event clicked, if any."""
    state = window.state
    if at_ns is None:
        row = state.current
        if row >= 0:
            at_ns = int(state.table.start_ns[row])
        else:
            view = state.views.timeline.view_range or (0, 0)
            at_ns = (int(view[0]) + int(view[1])) // 2
    state.views.trends.compare = compare_request(state, at_ns, row)
    return _show(window)


def _show(window) -> CompareDialog:
    dialog = window.compare_dialog
    if dialog is None:
        dialog = window.compare_dialog = CompareDialog(window.state, window)
    dialog.show()
    dialog.raise_()
    return dialog
