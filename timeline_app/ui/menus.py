"""QActions and the menu bar, built from the table of actions (ui/actions.py).

``build_actions`` makes the QActions of the rows one part owns (the timeline makes its
own, so that its keys work wherever it is shown); ``build_menu_bar`` puts every row in
the window's menus, making the actions no part made. A row's handler is resolved here,
once, against the parts the window names: a handler that does not exist fails the
window's construction (and so every GUI test), not the user's click.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from timeline_app.ui.actions import ACTIONS, Action

#: A property set on a populated submenu: its entries (file paths…) are no table rows.
POPULATED = "populatedMenu"
#: The property every built QAction carries: its row's id.
ACTION_ID = "actionId"

Parts = Mapping[str, object]
#: The translation context of the table's texts (ui/actions.py marks them).
CONTEXT = "Actions"


def translated(text: str) -> str:
    """A menu or action text of the table in the interface's language."""
    return QCoreApplication.translate(CONTEXT, text)


def text_of(row: Action) -> str:
    return translated(row.text) if row.translate else row.text


def part_of(row: Action) -> str:
    return row.handler.partition(".")[0]


def resolve(row: Action, parts: Parts) -> Any:
    """The object a row's ``"part.attribute"`` handler names."""
    name, _, attribute = row.handler.partition(".")
    if name not in parts:
        raise LookupError(f"action {row.id}: no part {name!r} (parts: {', '.join(parts)})")
    target: Any = parts[name]
    for step in attribute.split(".") if attribute else ():
        target = getattr(target, step)  # AttributeError names the missing handler
    return target


def make_action(row: Action, parts: Parts, parent: QObject) -> QAction:
    """One command or dock row as a QAction with its text, keys, tip and handler."""
    if row.kind == "dock":
        action = resolve(row, parts).toggleViewAction()  # Qt keeps it checked in step
        action.setText(text_of(row))
    elif row.kind == "command":
        action = QAction(text_of(row), parent)
        action.setCheckable(row.checkable)
        _connect(action, row, resolve(row, parts))
    else:
        raise ValueError(f"action {row.id}: a {row.kind} row is a menu, not an action")
    action.setProperty(ACTION_ID, row.id)
    action.setShortcuts([QKeySequence(key) for key in row.keys])
    action.setShortcutContext(
        Qt.ShortcutContext.WidgetWithChildrenShortcut
        if row.scope == "widget"
        else Qt.ShortcutContext.WindowShortcut
    )
    if row.tip:
        action.setStatusTip(row.tip)
        action.setToolTip(row.tip)
    return action


def _connect(action: QAction, row: Action, slot: Callable[..., Any]) -> None:
    args = row.args
    if row.checkable and not row.group:  # a toggle: the handler is told on or off
        action.triggered.connect(lambda checked=False: slot(*args, checked))
    else:
        action.triggered.connect(lambda _checked=False: slot(*args))


def _group(groups: dict[str, QActionGroup], row: Action, action: QAction, parent: QObject):
    if row.group:
        if row.group not in groups:
            groups[row.group] = QActionGroup(parent)
            groups[row.group].setExclusive(True)
        groups[row.group].addAction(action)


def build_actions(
    owner: str, widget: QWidget, rows: tuple[Action, ...] = ACTIONS
) -> dict[str, QAction]:
    """The QActions of the rows whose handler is ``owner``'s, added to ``widget``
    (its widget-scoped keys then work while it has the focus, in or out of a window)."""
    built: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for row in rows:
        if row.kind == "command" and part_of(row) == owner:
            action = make_action(row, {owner: widget}, widget)
            _group(groups, row, action, widget)
            widget.addAction(action)
            built[row.id] = action
    return built


def build_menu_bar(
    window: QMainWindow,
    parts: Parts,
    prebuilt: Mapping[str, QAction] | None = None,
    rows: tuple[Action, ...] = ACTIONS,
) -> dict[str, QAction]:
    """Every row in the window's menus, in table order; returns the QActions by id
    (a submenu's by its menu action). ``prebuilt`` are actions a part made itself."""
    prebuilt = prebuilt or {}
    menus: dict[tuple[str, ...], QMenu] = {}
    built: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}

    def menu_at(path: tuple[str, ...]) -> QMenu:
        if path not in menus:
            parent = window.menuBar() if len(path) == 1 else menu_at(path[:-1])
            menus[path] = parent.addMenu(translated(path[-1]))
        return menus[path]

    for row in rows:
        menu = menu_at(row.menu)
        if row.separator_before:
            menu.addSeparator()
        if row.kind == "submenu":
            built[row.id] = menu_at(row.path).menuAction()
        elif row.kind == "populate":
            built[row.id] = _populated(menu_at(row.path), resolve(row, parts)).menuAction()
        else:
            action = prebuilt.get(row.id) or make_action(row, parts, window)
            if row.id not in prebuilt:
                _group(groups, row, action, window)
            menu.addAction(action)
            built[row.id] = action
        built[row.id].setProperty(ACTION_ID, row.id)
        for name in row.context:  # also in that part's right-click menu
            target = parts[name]
            assert isinstance(target, QWidget), f"action {row.id}: {name} is no widget"
            target.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            target.addAction(built[row.id])
    return built


def _populated(menu: QMenu, fill: Callable[[QMenu], None]) -> QMenu:
    menu.setProperty(POPULATED, True)
    menu.aboutToShow.connect(lambda: fill(menu))
    return menu
