"""The event table's header: sort clicks with their modifiers, rank marks for several
sort keys, the columns menu, and the column layout remembered between sessions.

The layout itself is the app state's (``state.views.table``): the menu sends intents to
the state; QSettings keeps the last layout for the next start of the app.
"""

from __future__ import annotations

import contextlib
import json

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QWidget

from timeline_app.model.state import AppState
from timeline_app.model.view_state import DEFAULT_TABLE_COLUMNS, TableLayout
from timeline_app.ui.table_model import ALL_COLUMNS, LABELS, EventTableModel, column_label

#: Default pixel widths of the default columns; other columns get FALLBACK_WIDTH.
DEFAULT_WIDTHS = dict(
    zip(DEFAULT_TABLE_COLUMNS, [150, 80, 300, 160, 160, 100, 140, 70, 120], strict=True)
)
FALLBACK_WIDTH = 120
SETTINGS_KEY = "eventTable/columns"
WIDTHS_KEY = "eventTable/widths"


def width_of(state: AppState, column: str) -> int:
    widths = state.views.table.widths
    return int(widths.get(column, DEFAULT_WIDTHS.get(column, FALLBACK_WIDTH)))


# -- the layout between sessions ------------------------------------------------------------
def _settings() -> QSettings:
    return QSettings("timeline-app", "timeline-app")


def load_layout(state: AppState) -> None:
    """Put the last session's columns and widths into ``state`` (a damaged setting
    leaves the defaults)."""
    settings = _settings()
    names = settings.value(SETTINGS_KEY)
    if isinstance(names, str):
        names = [names]
    known = [str(n) for n in names or [] if str(n) in LABELS]
    if known:
        state.set_table_columns(known)
    widths = settings.value(WIDTHS_KEY)
    with contextlib.suppress(TypeError, ValueError, AttributeError):
        saved = json.loads(widths) if widths else {}
        state.views.table.widths = {str(k): int(v) for k, v in saved.items()}


def save_layout(state: AppState) -> None:
    settings = _settings()
    settings.setValue(SETTINGS_KEY, list(state.views.table.columns))
    settings.setValue(WIDTHS_KEY, json.dumps(state.views.table.widths))


def is_fresh(state: AppState) -> bool:
    """Nothing has set the table's layout yet (a new window on a new state)."""
    return state.views.table == TableLayout()


# -- intents on the layout ------------------------------------------------------------------
def set_column_visible(state: AppState, column: str, visible: bool) -> None:
    names = list(state.views.table.columns)
    if visible and column not in names:
        names.append(column)
    elif not visible and column in names and len(names) > 1:
        names.remove(column)
    state.set_table_columns(names)


def move_column(state: AppState, column: str, step: int) -> None:
    """Move a shown column ``step`` places right (negative: left)."""
    names = list(state.views.table.columns)
    if column not in names:
        return
    i = names.index(column)
    j = min(max(i + step, 0), len(names) - 1)
    names.insert(j, names.pop(i))
    state.set_table_columns(names)


def reset_columns(state: AppState) -> None:
    state.views.table.widths = {}
    state.set_table_columns(DEFAULT_TABLE_COLUMNS)


def column_menu(state: AppState, parent: QWidget, column: str | None = None) -> QMenu:
    """Move the clicked column, show or hide any column, or reset the layout."""
    menu = QMenu(QCoreApplication.translate("ColumnMenu", "Columns"), parent)
    if column is not None:
        label = column_label(column)
        left = QCoreApplication.translate("ColumnMenu", "Move “{label}” Left")
        right = QCoreApplication.translate("ColumnMenu", "Move “{label}” Right")
        for text, step in ((left.format(label=label), -1), (right.format(label=label), 1)):
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, c=column, s=step: move_column(state, c, s))
            menu.addAction(action)
        menu.addSeparator()
    shown = set(state.views.table.columns)
    for name, _label in ALL_COLUMNS:
        action = QAction(column_label(name), menu)
        action.setCheckable(True)
        action.setChecked(name in shown)
        action.toggled.connect(lambda on, c=name: set_column_visible(state, c, on))
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(
        QCoreApplication.translate("ColumnMenu", "Reset Columns"), lambda: reset_columns(state)
    )
    return menu


class SortHeader(QHeaderView):
    """A horizontal header that remembers the modifiers of the last click (shift adds a
    sort key), so the view does not depend on the global keyboard state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.click_modifiers = Qt.KeyboardModifier.NoModifier

    def mousePressEvent(self, event) -> None:
        self.click_modifiers = event.modifiers()
        super().mousePressEvent(event)

    def paintSection(self, painter, rect, logical_index: int) -> None:
        # With several sort keys, each key's column shows its rank ("▲1", "▼2"): Qt's
        # sort indicator can only show one. Drawn, not put in the label, so the header
        # text stays the column's name.
        painter.save()
        super().paintSection(painter, rect, logical_index)
        painter.restore()
        model = self.model()
        if isinstance(model, EventTableModel) and len(model.state.sort_keys) > 1:
            mark = model.sort_mark(logical_index)
            if mark:
                align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(rect.adjusted(3, 0, 0, 0), align, mark)
