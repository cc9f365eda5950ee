"""The event table: a QAbstractTableModel reading straight from the event columns.

The model holds no copy of the data: row ``r`` on screen is table row
``state.visible[r]``; each cell is read from the column arrays when Qt asks for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QItemSelection, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from timeline_app.model.state import AppState
from timeline_app.ui.formatting import UNKNOWN, format_date, format_number

#: Columns shown by default, with their header labels.
DEFAULT_COLUMNS: list[tuple[str, str]] = [
    ("start", "Date"),
    ("category", "Category"),
    ("title", "Title"),
    ("actor1", "Actor 1"),
    ("actor2", "Actor 2"),
    ("admin1", "Region"),
    ("location", "Location"),
    ("fatalities", "Fatalities"),
    ("dataset", "Dataset"),
]


class EventTableModel(QAbstractTableModel):
    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.columns = list(DEFAULT_COLUMNS)
        state.table_changed.connect(self._reset)
        state.rows_changed.connect(self._reset)
        self._cache_columns()

    def _cache_columns(self) -> None:
        df = self.state.table.df
        self._precision = df["date_precision"].astype(str).to_numpy()
        self._values = {col: df[col] for col, _ in self.columns}

    def _reset(self, *_args) -> None:
        self.beginResetModel()
        self._cache_columns()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.visible)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def event_row(self, view_row: int) -> int:
        return int(self.state.visible[view_row])

    def view_row(self, event_row: int) -> int:
        hits = np.flatnonzero(self.state.visible == event_row)
        return int(hits[0]) if len(hits) else -1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = self.columns[index.column()][0]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (
                "fatalities",
                "latitude",
                "longitude",
                "fatalities_low",
                "fatalities_high",
            ):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.event_row(index.row())
        value = self._values[column].iloc[row]
        if column in ("start", "end"):
            return format_date(value, self._precision[row])
        if isinstance(value, float | np.floating):
            return format_number(value)
        if value is None or pd.isna(value):
            return UNKNOWN
        return str(value)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][1]
        return None


class EventTableView(QTableView):
    """Shows the visible events and mirrors the shared selection both ways."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("eventTable")
        self.setAccessibleName("Event table")
        self.table_model = EventTableModel(state, self)
        self.setModel(self.table_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(22)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for i, width in enumerate([95, 80, 320, 160, 160, 100, 140, 70, 120]):
            self.setColumnWidth(i, width)
        self._syncing = False
        self.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.table_model.modelReset.connect(self._show_state_selection)
        state.selection_changed.connect(lambda _rows: self._show_state_selection())
        state.current_changed.connect(self._scroll_to_current)

    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        view_rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        visible = self.state.visible
        rows = visible[np.asarray(view_rows, dtype=np.int64)] if view_rows else []
        current = self.currentIndex()
        focus = (
            int(visible[current.row()])
            if current.isValid() and current.row() < len(visible)
            else None
        )
        self._syncing = True
        try:
            self.state.select(rows, current=focus)
        finally:
            self._syncing = False

    def _show_state_selection(self) -> None:
        """Mirror the shared selection (guarded: no feedback into the state)."""
        if self._syncing:
            return
        self._syncing = True
        try:
            selection = QItemSelection()
            if len(self.state.selection):
                positions = np.flatnonzero(np.isin(self.state.visible, self.state.selection))
                last = self.table_model.columnCount() - 1
                for pos in positions[:10_000]:
                    selection.select(
                        self.table_model.index(int(pos), 0), self.table_model.index(int(pos), last)
                    )
            self.selectionModel().select(
                selection,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._syncing = False

    def _scroll_to_current(self, row: int) -> None:
        if row < 0 or self._syncing:
            return
        pos = self.table_model.view_row(row)
        if pos >= 0:
            self.scrollTo(self.table_model.index(pos, 0))
