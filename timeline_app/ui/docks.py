"""The views' docks: where each starts, View > Reset Layout, View > Focus, and the
default layout once the window is first shown (unless a saved one was restored)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QWidget

from timeline_app.ui.window_fit import fit_docks

#: Dock attribute on the window and the area it starts in.
DOCKS = (
    ("filter_dock", Qt.DockWidgetArea.LeftDockWidgetArea),
    ("table_dock", Qt.DockWidgetArea.BottomDockWidgetArea),
    ("timeline_dock", Qt.DockWidgetArea.TopDockWidgetArea),
    ("detail_dock", Qt.DockWidgetArea.RightDockWidgetArea),
    ("map_dock", Qt.DockWidgetArea.TopDockWidgetArea),
    ("trends_dock", Qt.DockWidgetArea.BottomDockWidgetArea),
)


def docks(window: QMainWindow) -> list[QDockWidget]:
    return [d for name, _area in DOCKS if (d := getattr(window, name, None)) is not None]


def make_dock(
    window: QMainWindow, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea
) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(f"{key}Dock")  # saved layouts name docks by key, whatever the language
    dock.setWidget(widget)
    window.addDockWidget(area, dock)
    return dock


def empty_middle(window: QMainWindow) -> None:
    """Every view is a dock; an empty central area would soak up the width the side
    docks were given, so a zero-height placeholder takes its place."""
    placeholder = QWidget(window)
    placeholder.setObjectName("centralPlaceholder")
    placeholder.setMaximumHeight(0)
    window.setCentralWidget(placeholder)
    window.setDockNestingEnabled(True)


#: The timeline's share of the width it shares with the map: time needs the width more
#: than a map of the Sahel does (at 55% the lanes of half a year were crammed in 340 px).
TIMELINE_WIDTH_SHARE = 0.62
#: Narrower than this, the map is a tab beside the timeline rather than beside it.
SMALL_WINDOW_PX = 1200


def reset_layout(window: QMainWindow) -> None:
    """Put every dock back where it starts: filters left, timeline and map above the
    events table (the trends a tab beside it), details right, all shown and docked."""
    small = window.width() < SMALL_WINDOW_PX
    for name, area in DOCKS:
        dock = getattr(window, name, None)
        if dock is None:
            continue
        dock.setFloating(False)
        window.addDockWidget(area, dock)
        dock.show()
    # Tabbed docks are untabbed by addDockWidget; the corners give side docks full height.
    window.setCorner(Qt.Corner.TopLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    side = [d for n in ("filter_dock", "detail_dock") if (d := getattr(window, n, None))]
    sides = [250, 320]
    if len(side) == 2:
        window.resizeDocks(side, sides, Qt.Orientation.Horizontal)
    table, trends = getattr(window, "table_dock", None), getattr(window, "trends_dock", None)
    if table is not None and trends is not None:  # the trends chart a tab beside the table
        window.tabifyDockWidget(table, trends)
        table.raise_()
    timeline, map_dock = getattr(window, "timeline_dock", None), getattr(window, "map_dock", None)
    if timeline is not None and map_dock is not None and small:
        # Side by side, each would get under 300 px (the map's legend over half of it):
        # in a small window the map is a tab beside the timeline instead.
        window.splitDockWidget(timeline, map_dock, Qt.Orientation.Horizontal)
        window.tabifyDockWidget(timeline, map_dock)
        timeline.raise_()
    elif timeline is not None and map_dock is not None:  # the map beside the timeline
        window.splitDockWidget(timeline, map_dock, Qt.Orientation.Horizontal)
        middle_width = max(window.width() - sum(sides), 400)
        share = int(middle_width * TIMELINE_WIDTH_SHARE)
        window.resizeDocks(
            [timeline, map_dock], [share, middle_width - share], Qt.Orientation.Horizontal
        )
    middle = [d for n in ("timeline_dock", "table_dock") if (d := getattr(window, n, None))]
    if len(middle) == 2:
        height = max(window.height(), 600)
        window.resizeDocks(middle, [int(height * 0.5), int(height * 0.4)], Qt.Orientation.Vertical)
    fit_docks(window)  # a small window: narrower side docks
    QTimer.singleShot(0, window, lambda: _hide_stale_tab_bars(window))


def _hide_stale_tab_bars(window: QMainWindow) -> None:
    """Laying the docks out again (the first show does it twice, Reset Layout once
    more) leaves Qt's tab bar of an earlier tab group on screen, over the Filters dock
    at 1024x640: a bar is in use only right under (or over) one of its docks."""
    docks = {d.windowTitle(): d for d in window.findChildren(QDockWidget)}
    for bar in window.findChildren(QTabBar):
        if bar.parent() is not window or not bar.isVisible():
            continue
        mine = [docks.get(bar.tabText(i)) for i in range(bar.count())]
        place = bar.geometry()
        used = any(
            d is not None
            and d.isVisible()
            and abs(d.geometry().left() - place.left()) <= 3
            and (
                abs(d.geometry().bottom() - place.top()) <= 3
                or abs(place.bottom() - d.geometry().top()) <= 3
            )
            for d in mine
        )
        if not used:
            bar.hide()


def focus_view(window: QMainWindow, dock_name: str) -> None:
    """Show a dock if hidden and put the keyboard focus in it."""
    dock = getattr(window, dock_name, None)
    if dock is None:
        return
    dock.show()
    dock.raise_()
    widget = dock.widget()
    target = widget.focusProxy() or widget
    if target.focusPolicy() == Qt.FocusPolicy.NoFocus:
        target = next(
            (
                w
                for w in widget.findChildren(QWidget)
                if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.isEnabled()
            ),
            target,
        )
    target.setFocus(Qt.FocusReason.ShortcutFocusReason)


class DockLayout(QObject):
    """The "layout" part of the table of actions: Reset Layout and the Focus keys; and
    the default layout when the window is first shown, unless ``restored()`` says the
    last session's layout was put back (ui/workspace_controller.restore_window)."""

    def __init__(self, window: QMainWindow, restored: Callable[[], bool]) -> None:
        super().__init__(window)
        self.window = window
        self.restored = restored
        window.installEventFilter(self)

    def reset(self) -> None:
        reset_layout(self.window)

    def focus(self, dock_name: str) -> None:
        focus_view(self.window, dock_name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Dock sizes only take once the window has its size: lay out again when shown.
        if watched is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            if not self.restored():
                reset_layout(self.window)
                QTimer.singleShot(0, self.window, lambda: reset_layout(self.window))
        return False
