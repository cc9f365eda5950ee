"""Comfort for long sessions: docks that can be rearranged and reset, a shortcut for every
action, focus keys, tab order and accessible names, the shortcuts list and About.

``install_comfort(window)`` is called once at the end of the main window's set-up; it
only adds to what the window built (menus, docks), so the window stays the one place
that assembles the views.
"""

from __future__ import annotations

import html
import json
import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QMainWindow,
    QMenu,
    QTabBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from timeline_app import __version__
from timeline_app.logs import log_dir
from timeline_app.paths import DATA_DIR
from timeline_app.ui.i18n import english
from timeline_app.ui.shortcuts import ShortcutsDialog
from timeline_app.ui.window_fit import fit_docks

APP_NAME = "Incident Timeline Explorer"

#: Keys for actions other parts build without one, by their plain menu text. An action
#: that already has a key keeps it.
DEFAULT_KEYS: dict[str, str] = {
    "Quit": "Ctrl+Q",  # the platform's own Quit key is empty on some desktops
    "Last Import Report…": "Ctrl+I",
    "About": "Ctrl+F1",
    "Export Timeline Image…": "Ctrl+Shift+E",
    "Frequencies": "Ctrl+Shift+F",
    "Zoom to Selection": "Ctrl+Alt+Z",
    "Mourning/Blockade Bands": "Ctrl+Alt+B",
    "Filter to Range": "Ctrl+R",
    "Export Range…": "Ctrl+Alt+E",
    "Clear Range": "Shift+Esc",
}
#: Submenus whose entries get Alt+1, Alt+2, … in order (one choice among several).
NUMBERED_MENUS = ("Lanes by",)

#: Docks: attribute on the window, title, default area, focus key, show/hide key.
DOCKS = (
    ("filter_dock", "Filters", Qt.DockWidgetArea.LeftDockWidgetArea, "Ctrl+1", "Ctrl+Alt+1"),
    ("table_dock", "Events", Qt.DockWidgetArea.BottomDockWidgetArea, "Ctrl+2", "Ctrl+Alt+2"),
    ("timeline_dock", "Timeline", Qt.DockWidgetArea.TopDockWidgetArea, "Ctrl+3", "Ctrl+Alt+3"),
    ("detail_dock", "Details", Qt.DockWidgetArea.RightDockWidgetArea, "Ctrl+4", "Ctrl+Alt+4"),
    ("map_dock", "Map", Qt.DockWidgetArea.TopDockWidgetArea, "Ctrl+5", "Ctrl+Alt+5"),
    ("trends_dock", "Trends", Qt.DockWidgetArea.BottomDockWidgetArea, "Ctrl+6", "Ctrl+Alt+T"),
)

ACCESSIBLE = {
    "filter_panel": ("Filters", "Narrow the events by actor, region, type, date, fatalities"),
    "table_view": ("Events table", "The events that pass the filters; select to see details"),
    "timeline": ("Timeline", "Events on a date axis; + and - zoom, arrows pan, Home fits all"),
    "detail": ("Event details", "Everything known about the selected event"),
    "map": ("Map", "Where the filtered events happened; click to select, draw to filter"),
}


def install_comfort(window: QMainWindow) -> None:
    """Add the comfort features to a built main window (idempotent per window)."""
    if getattr(window, "_comfort_installed", False):
        return
    window._comfort_installed = True
    _timeline_into_dock(window)
    _view_actions(window)
    _help_actions(window)
    _default_keys(window)
    set_accessibility(window)
    reset_layout(window)
    # Dock sizes only take once the window has its size: lay out again when first shown.
    window._first_show = _OnFirstShow(window)


def action(window: QMainWindow, menu, text: str, slot, keys: str | list[str]) -> QAction:
    """A menu action with its shortcut(s), active anywhere in the window."""
    act = QAction(text, window)
    act.setShortcuts([QKeySequence(k) for k in ([keys] if isinstance(keys, str) else keys)])
    act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    act.triggered.connect(slot)
    if menu is not None:
        menu.addAction(act)
    return act


# -- docks ---------------------------------------------------------------------------------
def _timeline_into_dock(window: QMainWindow) -> None:
    """The timeline starts as the central widget; make it a dock like the others so that
    every view can be moved, tabbed, floated or hidden."""
    timeline = getattr(window, "timeline", None)
    if timeline is None or getattr(window, "timeline_dock", None) is not None:
        return
    if window.centralWidget() is timeline:
        window.takeCentralWidget()
        # An empty central area would soak up the width the side docks were given; a
        # zero-height placeholder lets the docks share the window as reset_layout says.
        placeholder = QWidget(window)
        placeholder.setObjectName("centralPlaceholder")
        placeholder.setMaximumHeight(0)
        window.setCentralWidget(placeholder)
    dock = QDockWidget("Timeline", window)
    dock.setObjectName("timelineDock")
    dock.setWidget(timeline)
    window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, dock)
    window.timeline_dock = dock
    window.setDockNestingEnabled(True)


def docks(window: QMainWindow) -> list[QDockWidget]:
    return [d for name, *_ in DOCKS if (d := getattr(window, name, None)) is not None]


#: The timeline's share of the width it shares with the map: time needs the width more
#: than a map of the Sahel does (at 55% the lanes of half a year were crammed in 340 px).
TIMELINE_WIDTH_SHARE = 0.62
#: Narrower than this, the map is a tab beside the timeline rather than beside it.
SMALL_WINDOW_PX = 1200


def reset_layout(window: QMainWindow) -> None:
    """Put every dock back where it starts: filters left, timeline above the events
    table, details right, all shown and docked."""
    small = window.width() < SMALL_WINDOW_PX
    for name, _title, area, *_ in DOCKS:
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
    side = [d for d in (getattr(window, "filter_dock", None), getattr(window, "detail_dock", None))]
    sides = [250, 320]
    if all(side):
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
    middle = [getattr(window, "timeline_dock", None), getattr(window, "table_dock", None)]
    if all(middle):
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


class _OnFirstShow(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            if not getattr(self.window, "_layout_restored", False):
                reset_layout(self.window)
                QTimer.singleShot(0, self.window, lambda: reset_layout(self.window))
        return False


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


def _view_actions(window: QMainWindow) -> None:
    menu = window.view_menu
    # One show/hide toggle per dock, each with a key, then focus keys and Reset Layout,
    # all above whatever else the window put in the View menu.
    for dock in docks(window):
        menu.removeAction(dock.toggleViewAction())
    anchor = menu.actions()[0] if menu.actions() else None
    for name, title, _area, _focus, show_key in DOCKS:
        dock = getattr(window, name, None)
        if dock is None:
            continue
        toggle = dock.toggleViewAction()
        toggle.setText(f"Show {title}")
        toggle.setShortcut(QKeySequence(show_key))
        menu.insertAction(anchor, toggle)
    focus_menu = QMenu("&Focus", menu)
    menu.insertMenu(anchor, focus_menu)
    for name, title, _area, focus_key, _show in DOCKS:
        if getattr(window, name, None) is not None:
            action(
                window,
                focus_menu,
                f"Go to {title}",
                lambda _=False, n=name: focus_view(window, n),
                focus_key,
            )
    window.reset_layout_action = action(
        window, None, "&Reset Layout", lambda: reset_layout(window), "Ctrl+Alt+0"
    )
    menu.insertAction(anchor, window.reset_layout_action)
    if anchor is not None:
        menu.insertSeparator(anchor)


def _help_actions(window: QMainWindow) -> None:
    menu = window.help_menu
    about = getattr(window, "action_about", None)  # found by name, not by its text
    window.shortcuts_action = action(
        window, None, "&Keyboard Shortcuts…", lambda: show_shortcuts(window), ["F1", "Ctrl+/"]
    )
    menu.insertAction(about, window.shortcuts_action)
    window.log_folder_action = action(
        window, None, "Open &Log Folder", open_log_folder, "Ctrl+Alt+L"
    )
    menu.insertAction(about, window.log_folder_action)


def open_log_folder() -> Path:
    """Help > Open Log Folder: the folder of the app's log (logs.py) in the file manager,
    made first if nothing was logged yet, so there is always something to open."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    return folder


def _default_keys(window: QMainWindow) -> None:
    from timeline_app.ui.shortcuts import menu_actions

    taken = {k for info in menu_actions(window) for k in info.shortcuts}
    numbered: dict[str, int] = {}
    for info in menu_actions(window):
        if info.shortcuts:
            continue
        # Keyed by the English text, so that every language gets the same keys.
        texts = english(info.text)
        text = next((t for t in texts if t in DEFAULT_KEYS), texts[0])
        key = DEFAULT_KEYS.get(text)
        submenus = english(info.menu.rsplit(" > ", 1)[-1])
        if key is None and any(m in NUMBERED_MENUS for m in submenus):
            numbered[info.menu] = numbered.get(info.menu, 0) + 1
            key = f"Alt+{numbered[info.menu]}" if numbered[info.menu] <= 9 else None
        if key is None or QKeySequence(key).toString() in taken:
            # An action added later without a key still gets one (and shows it in its
            # menu and in Help > Keyboard Shortcuts): Ctrl+Alt+Shift + a letter of its name.
            key = _free_key(text, taken)
        if key:
            info.action.setShortcut(QKeySequence(key))
            taken.add(QKeySequence(key).toString())


def _free_key(text: str, taken: set[str]) -> str | None:
    letters = [c for c in text.upper() if "A" <= c <= "Z"] + list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for letter in letters:
        key = QKeySequence(f"Ctrl+Alt+Shift+{letter}").toString()
        if key not in taken:
            return key
    return None


# -- accessibility -------------------------------------------------------------------------
def set_accessibility(window: QMainWindow) -> None:
    """Names a screen reader can say, and a tab order that follows the screen."""
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
    chain = [
        getattr(window, name, None) for name in ("filter_panel", "table_view", "timeline", "detail")
    ]
    chain = [w for w in chain if w is not None]
    for first, second in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(first, second)


# -- help ----------------------------------------------------------------------------------
def show_shortcuts(window: QMainWindow) -> ShortcutsDialog:
    dialog = ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def bundled_licences() -> list[tuple[str, str, str]]:
    """(title, licence, citation) of each bundled sample file, from its .meta.json."""
    out = []
    for meta in sorted(DATA_DIR.glob("*.meta.json")):
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        out.append(
            (
                str(data.get("title", meta.name)),
                str(data.get("licence", "")),
                str(data.get("citation", "")),
            )
        )
    return out


def about_html(window: QMainWindow) -> str:
    from timeline_app.model.boundaries import ATTRIBUTION as BOUNDARY_ATTRIBUTION

    e = html.escape
    state = getattr(window, "state", None)
    opened = state.table.datasets if state is not None else []
    rows = "".join(
        f"<li><b>{e(d.name)}</b> ({e(d.format)}, {len(d):,} events"
        + (f", {e(Path(d.path).name)}" if d.path else "")
        + f")<br>Licence: {e(d.licence or 'not stated — check the source')}"
        + (f"<br>Cite: {e(d.citation)}" if d.citation else "")
        + "</li>"
        for d in opened
    )
    bundled = "".join(
        f"<li><b>{e(title)}</b><br>Licence: {e(lic)}<br>Cite: {e(cite)}</li>"
        for title, lic, cite in bundled_licences()
    )
    return (
        f"<h2>{APP_NAME} {e(__version__)}</h2>"
        "<p>Load, filter, see and export political-violence event data.</p>"
        f"<p>Python {e(platform.python_version())}, Qt {e(qVersion())}, "
        f"PySide6 {e(PySide6.__version__)}. Licence: MIT.</p>"
        + (f"<h3>Open datasets</h3><ul>{rows}</ul>" if rows else "")
        + (f"<h3>Bundled sample data</h3><ul>{bundled}</ul>" if bundled else "")
        + f"<h3>Map boundaries</h3><p>{e(BOUNDARY_ATTRIBUTION)}</p>"
        + "<h3>Data you load</h3><p>ACLED, UCDP, GTD and GDELT data keep their own "
        "licences and terms of use: ACLED and GTD data may not be redistributed; UCDP "
        "data are CC BY 4.0; GDELT is free to use with attribution. Cite each source "
        "you export; every export's provenance file lists them.</p>"
    )


def show_about(window: QMainWindow) -> QDialog:
    """Help > About: version, libraries, and the licence and citation of every dataset."""
    dialog = QDialog(window)
    dialog.setObjectName("aboutDialog")
    dialog.setWindowTitle(f"About {APP_NAME}")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resize(560, 520)
    text = QTextBrowser(dialog)
    text.setObjectName("aboutText")
    text.setAccessibleName("About this app")
    text.setOpenExternalLinks(True)
    text.setHtml(about_html(window))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.show()
    return dialog
