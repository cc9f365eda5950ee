"""Help > Keyboard Shortcuts and the README's shortcut table, both from the table of
actions (ui/actions.py); ``menu_actions`` reads the menus as built, for the tests that
hold the two to each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.ui.actions import ACTIONS, Action, menu_label, plain, shortcut_rows
from timeline_app.ui.menus import POPULATED, text_of, translated


def native(key: str) -> str:
    """A key as this platform writes it (Ctrl is ⌘ on macOS)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


@dataclass(frozen=True)
class ShortcutRow:
    menu: str  # "File", "View > Focus"
    text: str  # without the & mnemonic markers
    shortcuts: tuple[str, ...]

    @property
    def shortcut(self) -> str:
        return ", ".join(self.shortcuts)


def shortcut_list(rows: tuple[Action, ...] = ACTIONS) -> list[ShortcutRow]:
    """What Help > Keyboard Shortcuts lists: every action, in menu order, as the
    interface names it, with the platform's key names."""
    return [
        ShortcutRow(
            menu_label(r.menu, translated), plain(text_of(r)), tuple(native(k) for k in r.keys)
        )
        for r in shortcut_rows(rows)
    ]


def shortcuts_markdown(rows: tuple[Action, ...] = ACTIONS) -> str:
    """The shortcuts as a Markdown table (the README's: English, portable key names)."""
    lines = ["| Menu | Action | Shortcut |", "|---|---|---|"]
    for r in shortcut_rows(rows):
        keys = ", ".join(f"`{k}`" for k in r.keys) or "–"
        lines.append(f"| {menu_label(r.menu)} | {plain(r.text)} | {keys} |")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ActionInfo:
    """One action as the built menus hold it."""

    menu: str
    text: str
    shortcuts: tuple[str, ...]  # as the platform and language write them ("Ctrl+Maj+Z")
    action: QAction

    @property
    def shortcut(self) -> str:
        return ", ".join(self.shortcuts)


def menu_actions(window: QMainWindow) -> list[ActionInfo]:
    """Every action reachable from the menu bar, in menu order (submenus included,
    the entries of populated ones such as Open Recent left out)."""
    found: list[ActionInfo] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            sub = action.menu()
            if isinstance(sub, QMenu):
                if not sub.property(POPULATED):
                    walk(sub, f"{path} > {plain(action.text())}")
                continue
            keys = tuple(
                s.toString(QKeySequence.SequenceFormat.NativeText)
                for s in action.shortcuts()
                if not s.isEmpty()
            )
            found.append(ActionInfo(path, plain(action.text()), keys, action))

    for top in window.menuBar().actions():
        if isinstance(menu := top.menu(), QMenu):
            walk(menu, plain(top.text()))
    return found


def find_menu(window: QMainWindow, label: str) -> QMenu:
    """A built menu by its plain path, "View > Timeline" (for tests)."""
    menu: QMenu | None = None
    for step in label.split(" > "):
        entries = menu.actions() if menu is not None else window.menuBar().actions()
        found = next(
            (m for a in entries if isinstance(m := a.menu(), QMenu) and plain(a.text()) == step),
            None,
        )
        if found is None:
            raise LookupError(f"no menu {label!r}")
        menu = found
    assert menu is not None
    return menu


def show_shortcuts(window: QMainWindow) -> ShortcutsDialog:
    dialog = ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


class ShortcutsDialog(QDialog):
    """A searchable table of the actions and their keys."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.setObjectName("shortcutsDialog")
        self.resize(640, 640)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Type to find an action or a key…"))
        self.search.setAccessibleName(self.tr("Find a shortcut"))
        self.search.setClearButtonEnabled(True)
        self.table = QTableWidget(self)  # a few dozen fixed rows, not the event table
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setColumnCount(3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Menu"), self.tr("Action"), self.tr("Shortcut")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.infos = shortcut_list()
        self.table.setRowCount(len(self.infos))
        for row, info in enumerate(self.infos):
            for col, text in enumerate((info.menu, info.text, info.shortcut or "–")):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(
            QLabel(self.tr("Every action is also in a menu. Shortcuts follow your platform."), self)
        )
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.setTabOrder(self.search, self.table)

    def rows_shown(self) -> list[tuple[str, str, str]]:
        shown = [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]
        return [(self._text(r, 0), self._text(r, 1), self._text(r, 2)) for r in shown]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row, info in enumerate(self.infos):
            haystack = f"{info.menu} {info.text} {info.shortcut}".lower()
            self.table.setRowHidden(row, bool(needle) and needle not in haystack)
