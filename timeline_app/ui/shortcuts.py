"""Help > Keyboard Shortcuts: a list generated from the window's real menus.

Because the list is read from the QActions themselves, it can never disagree with
what the keys actually do; ``shortcuts_markdown`` prints the same list for the README.
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

#: Set this property on actions built on the fly (recent files) to leave them out.
DYNAMIC = "dynamicAction"


@dataclass(frozen=True)
class ActionInfo:
    menu: str  # "File", "View > Focus"
    text: str  # without the & mnemonic markers
    shortcuts: tuple[str, ...]  # in the platform's native text, e.g. "Ctrl+Shift+O"
    action: QAction

    @property
    def shortcut(self) -> str:
        return ", ".join(self.shortcuts)


def plain(text: str) -> str:
    """Menu text as a reader sees it: no mnemonic ampersands, no trailing tab part."""
    return text.split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")


def menu_actions(window: QMainWindow) -> list[ActionInfo]:
    """Every action reachable from the menu bar, in menu order (submenus included)."""
    found: list[ActionInfo] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.isSeparator() or action.property(DYNAMIC):
                continue
            sub = action.menu()
            if sub is not None:
                walk(sub, f"{path} > {plain(action.text())}")
                continue
            if not action.isVisible():
                continue
            keys = tuple(
                s.toString(QKeySequence.SequenceFormat.NativeText)
                for s in action.shortcuts()
                if not s.isEmpty()
            )
            found.append(ActionInfo(path, plain(action.text()), keys, action))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), plain(top.text()))
    return found


def missing_shortcuts(window: QMainWindow) -> list[str]:
    """Menu actions that have no shortcut ("Menu > Action"), for a test to assert empty."""
    return [f"{a.menu} > {a.text}" for a in menu_actions(window) if not a.shortcuts]


def duplicate_shortcuts(window: QMainWindow) -> dict[str, list[str]]:
    """Shortcuts bound to more than one action (Qt then fires neither)."""
    seen: dict[str, list[str]] = {}
    for info in menu_actions(window):
        for key in info.shortcuts:
            seen.setdefault(key, []).append(f"{info.menu} > {info.text}")
    return {k: v for k, v in seen.items() if len(v) > 1}


def shortcuts_markdown(window: QMainWindow) -> str:
    """The shortcuts as a Markdown table (for the README)."""
    lines = ["| Menu | Action | Shortcut |", "|---|---|---|"]
    for info in menu_actions(window):
        keys = ", ".join(f"`{k}`" for k in info.shortcuts) or "–"
        lines.append(f"| {info.menu} | {info.text} | {keys} |")
    return "\n".join(lines) + "\n"


class ShortcutsDialog(QDialog):
    """A searchable table of the window's actions and their keys."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setObjectName("shortcutsDialog")
        self.resize(640, 640)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Type to find an action or a key…")
        self.search.setAccessibleName("Find a shortcut")
        self.search.setClearButtonEnabled(True)
        self.table = QTableWidget(self)  # a few dozen fixed rows, not the event table
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setColumnCount(3)
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Shortcut"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.infos = menu_actions(window)
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
            QLabel("Every action is also in a menu. Shortcuts follow your platform.", self)
        )
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.setTabOrder(self.search, self.table)

    def rows_shown(self) -> list[tuple[str, str, str]]:
        return [
            tuple(self.table.item(r, c).text() for c in range(3))  # type: ignore[misc]
            for r in range(self.table.rowCount())
            if not self.table.isRowHidden(r)
        ]

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row, info in enumerate(self.infos):
            haystack = f"{info.menu} {info.text} {info.shortcut}".lower()
            self.table.setRowHidden(row, bool(needle) and needle not in haystack)
