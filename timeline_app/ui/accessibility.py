"""Names a screen reader can say, and a tab order that follows the screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMainWindow, QWidget

from timeline_app.ui.docks import docks
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP

#: view attribute on the window -> (accessible name, description)
ACCESSIBLE = {
    "filter_panel": (
        QT_TRANSLATE_NOOP("Views", "Filters"),
        QT_TRANSLATE_NOOP("Views", "Narrow the events by actor, region, type, date, fatalities"),
    ),
    "table_view": (
        QT_TRANSLATE_NOOP("Views", "Events table"),
        QT_TRANSLATE_NOOP("Views", "The events that pass the filters; select to see details"),
    ),
    "timeline": (
        QT_TRANSLATE_NOOP("Views", "Timeline"),
        QT_TRANSLATE_NOOP(
            "Views", "Events on a date axis; + and - zoom, arrows pan, Home fits all"
        ),
    ),
    "detail": (
        QT_TRANSLATE_NOOP("Views", "Event details"),
        QT_TRANSLATE_NOOP("Views", "Everything known about the selected event"),
    ),
    "map": (
        QT_TRANSLATE_NOOP("Views", "Map"),
        QT_TRANSLATE_NOOP(
            "Views", "Where the filtered events happened; click to select, draw to filter"
        ),
    ),
}


def set_accessibility(window: QMainWindow) -> None:
    for attr, (name, description) in ACCESSIBLE.items():
        widget = getattr(window, attr, None)
        if widget is None:
            continue
        if not widget.accessibleName():
            widget.setAccessibleName(QCoreApplication.translate("Views", name))
        if not widget.accessibleDescription():
            widget.setAccessibleDescription(QCoreApplication.translate("Views", description))
    for dock in docks(window):
        dock.setAccessibleName(
            QCoreApplication.translate("Views", "{view} panel").format(view=dock.windowTitle())
        )
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
