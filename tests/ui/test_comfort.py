"""Keyboard-first and accessible: shortcuts, the shortcuts list, docks, focus, About, theme."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QTextBrowser

from timeline_app import __version__
from timeline_app.ui import theme
from timeline_app.ui.about import about_html, show_about
from timeline_app.ui.docks import reset_layout
from timeline_app.ui.notices import show_notice
from timeline_app.ui.shortcuts import (
    menu_actions,
    shortcut_list,
    shortcuts_markdown,
    show_shortcuts,
)


def activate(window, qtbot) -> None:
    """Make the window the active one (shortcuts only reach an active window)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.table_view.setFocus()


def test_the_menus_give_the_keys_a_user_knows(make_window) -> None:
    window = make_window()
    texts = {(a.menu, a.text): a.shortcut for a in menu_actions(window)}
    assert texts[("File", "Save Workspace")] == "Ctrl+S"
    assert texts[("File", "Open Workspace…")] == "Ctrl+Shift+O"
    assert texts[("Edit", "Undo")] == "Ctrl+Z"
    assert texts[("Edit", "Redo")].startswith("Ctrl+Shift+Z")
    assert texts[("View", "Reset Layout")] == "Ctrl+Alt+0"
    assert texts[("Help", "Keyboard Shortcuts…")].startswith("F1")


def test_the_shortcuts_dialog_lists_the_real_actions_and_finds_them(make_window, qtbot) -> None:
    window = make_window()
    dialog = show_shortcuts(window)
    qtbot.addWidget(dialog)
    rows = dialog.rows_shown()
    assert ("File", "Save Workspace", "Ctrl+S") in rows
    assert len(rows) == len(shortcut_list())
    qtbot.keyClicks(dialog.search, "workspace")
    found = dialog.rows_shown()
    assert found and all("workspace" in " ".join(r).lower() for r in found)
    assert ("Edit", "Undo", "Ctrl+Z") not in found
    dialog.close()


def test_f1_opens_the_shortcuts_list(make_window, qtbot) -> None:
    window = make_window()
    activate(window, qtbot)
    qtbot.keyClick(window.table_view, Qt.Key.Key_F1)
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "shortcutsDialog"]
    assert dialogs and dialogs[0].isVisible()
    dialogs[0].close()


def test_the_markdown_table_lists_every_action(qapp) -> None:
    text = shortcuts_markdown()
    assert "| File | Save Workspace | `Ctrl+S` |" in text
    assert text.count("\n") == len(shortcut_list()) + 2


def test_every_view_is_a_dock_and_reset_layout_puts_them_back(make_window, qtbot) -> None:
    window = make_window()
    docks = {d.windowTitle(): d for d in window.findChildren(QDockWidget)}
    assert {"Filters", "Events", "Timeline", "Details"} <= set(docks)
    assert docks["Timeline"].widget() is window.timeline
    docks["Details"].hide()
    docks["Filters"].setFloating(True)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, docks["Events"])
    window.actions_by_id["view.reset_layout"].trigger()
    assert all(d.isVisible() and not d.isFloating() for d in docks.values())
    assert window.dockWidgetArea(docks["Events"]) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert window.dockWidgetArea(docks["Filters"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window.dockWidgetArea(docks["Details"]) == Qt.DockWidgetArea.RightDockWidgetArea
    assert window.dockWidgetArea(docks["Timeline"]) == Qt.DockWidgetArea.TopDockWidgetArea


def test_show_keys_toggle_docks(make_window, qtbot) -> None:
    window = make_window()
    toggle = window.detail_dock.toggleViewAction()
    assert toggle.shortcut().toString() == "Ctrl+Alt+4"
    toggle.trigger()
    assert window.detail_dock.isHidden()
    reset_layout(window)
    assert window.detail_dock.isVisible()


def test_focus_keys_move_the_keyboard_focus_between_views(make_window, qtbot) -> None:
    window = make_window()
    activate(window, qtbot)
    qtbot.keyClick(window.table_view, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    focused = QApplication.focusWidget()
    assert focused is not None and window.detail.isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.table_view


def test_views_have_accessible_names_and_tab_leaves_the_table(make_window) -> None:
    window = make_window()
    for widget in (window.filter_panel, window.table_view, window.timeline, window.detail):
        assert widget.accessibleName()
        assert widget.accessibleDescription() or widget.accessibleName()
    assert not window.table_view.tabKeyNavigation()
    # Following the focus chain from the table reaches the timeline before the details.
    order, widget = [], window.table_view.nextInFocusChain()
    while widget is not window.table_view and len(order) < 500:
        order.append(widget)
        widget = widget.nextInFocusChain()

    def first(view):
        return next(i for i, w in enumerate(order) if w is view or view.isAncestorOf(w))

    assert first(window.timeline) < first(window.detail)


def test_about_gives_version_licences_and_citations(make_window, qtbot) -> None:
    window = make_window()
    html = about_html(window)
    assert __version__ in html
    assert "CC BY 4.0" in html
    assert "Sundberg" in html  # the UCDP citation of the bundled sample
    assert "mali_2023_context" in html  # the open dataset, with its licence
    dialog = show_about(window)
    qtbot.addWidget(dialog)
    assert not dialog.isModal()
    assert __version__ in dialog.findChild(QTextBrowser, "aboutText").toPlainText()
    dialog.close()


def test_errors_are_non_blocking_with_details_on_demand(make_window, qtbot) -> None:
    window = make_window()
    box = show_notice(window, "Could not open file", "x.csv: no such file", details="long story")
    assert box.isVisible()
    assert box.windowModality() == Qt.WindowModality.NonModal
    assert box.detailedText() == "long story"
    assert "x.csv: no such file" in window.statusBar().currentMessage()
    box.close()


def test_palette_colours_are_distinct_and_the_dark_theme_is_dark(qapp) -> None:
    colours = list(theme.CATEGORY_COLOURS.values())
    assert len(set(colours)) == len(colours)
    assert theme.category_colour("attack") == theme.VERMILLION
    assert theme.category_colour("something new", 3) in theme.LANE_COLOURS
    t = theme.apply_theme(qapp)
    try:
        t.apply(dark=True)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
        assert theme.readable_font(qapp.font()).pointSizeF() >= theme.MIN_POINT_SIZE
    finally:
        t.apply(dark=False)
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 150
    assert QColor(theme.BLUE).isValid()
