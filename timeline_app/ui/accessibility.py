"""Names a screen reader can say, and a tab order that follows the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QWidget

from timeline_app.ui.docks import docks

#: view attribute on the window -> (accessible name, description)
ACCESSIBLE = {
    "filter_panel": ("Filters", "Narrow the events by actor, region, type, date, fatalities"),
    "table_view": ("Events table", "The events that pass the filters; select to see details"),
    "timeline": ("Timeline", "Events on a date axis; + and - zoom, arrows pan, Home fits all"),
    "detail": ("Event details", "Everything known about the selected event"),
    "map": ("Map", "Where the filtered events happened; click to select, draw to filter"),
}


def set_accessibility(window: QMainWindow) -> None:
    for attr, (name, description) in ACCESSIBLE.items():
        widget = getattr(window, attr, None)
        if widget is None:
            continue
        if not widget.accessibleName():
            widget.setAccessibleName(name)
        if not widget.accessibleDescription():
            widget.setAccessibleDescription(description)
    for dock in docks(window):
        dock.setAccessibleName(f"{dock.windowTitle()} panel")
    timeline = getattr(window, "timeline", None)
    if timeline is not None and timeline.focusPolicy() == Qt.FocusPolicy.NoFocus:
        timeline.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # it has keys: + - arrows Home
    table = getattr(window, "table_view", None)
    if table is not None:
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    names = ("filter_panel", "table_view", "timeline", "detail")
    chain: list[QWidget] = [w for n in names if (w := getattr(window, n, None)) is not None]
    for first, second in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(first, second)
