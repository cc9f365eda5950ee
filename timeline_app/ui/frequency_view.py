"""Frequencies: events and fatalities per actor, place or type among the filtered rows.

One row per distinct value (from numpy bincounts in model/facets.py), so the table is
small whatever the number of events. Double-clicking a row adds that value to the
filter. It is recomputed only while visible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qdebounced

from timeline_app.model import facets
from timeline_app.model.state import AppState
from timeline_app.model.text import fold
from timeline_app.ui.formatting import format_number
from timeline_app.ui.workers import Control, JobKind

COLUMNS = [
    ("value", "Value"),
    ("events", "Events"),
    ("share", "% of shown"),
    ("fatalities", "Fatalities (known)"),
    ("unknown_fatalities", "Events, fatalities unknown"),
]
#: From this many events, counting runs in a background thread.
THREAD_ROWS = 200_000
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class FrequencyModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.frame = pd.DataFrame(columns=[c for c, _ in COLUMNS])
        self.sort_column, self.ascending = 1, False

    def set_frame(self, frame: pd.DataFrame, total: int) -> None:
        frame = frame.copy()
        frame["share"] = frame["events"] / max(total, 1) * 100
        self.beginResetModel()
        self.frame = self._sorted(frame)
        self.endResetModel()

    def _sorted(self, frame: pd.DataFrame) -> pd.DataFrame:
        column = COLUMNS[self.sort_column][0]
        if column == "value":
            key = frame["value"].map(fold)
            return frame.iloc[
                np.argsort(key.to_numpy(), kind="stable")[:: 1 if self.ascending else -1]
            ]
        return frame.sort_values(column, ascending=self.ascending, kind="stable")

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column = column
        self.ascending = order == Qt.SortOrder.AscendingOrder
        self.beginResetModel()
        self.frame = self._sorted(self.frame)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def value_at(self, row: int) -> str:
        return str(self.frame["value"].iloc[row])

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return None if column == "value" else RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        value = self.frame[column].iloc[index.row()]
        if column == "value":
            return str(value)
        if column == "share":
            return f"{value:.1f}"
        return format_number(float(value))

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None


class FrequencyView(QWidget):
    """Choose what to count by; double-click a row to filter on that value."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("frequencyView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(QLabel("Count by"))
        self.by = QComboBox(self)
        self.by.setObjectName("frequencyBy")
        for key, label in facets.DIMENSIONS.items():
            self.by.addItem(label, key)
        self.by.currentIndexChanged.connect(lambda _i: self._count_soon())
        row.addWidget(self.by, 1)
        layout.addLayout(row)
        self.model = FrequencyModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("frequencyTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self.add_to_filter(index.row()))
        self.table.setToolTip("Double-click a row to add it to the filter")
        layout.addWidget(self.table, 1)
        # Once the event loop is back (the table redraws first), once for many changes.
        self._count_later = qdebounced(self._count_soon, timeout=0)
        self._counted = None
        self.jobs = JobKind("frequencies", serial=True)
        state.rows_changed.connect(self._schedule)
        state.table_changed.connect(self._schedule)

    def set_dimension(self, key: str) -> None:
        self.by.setCurrentIndex(self.by.findData(key))

    def _schedule(self, *_args) -> None:
        if self.isVisible() and self.state.mask is not self._counted:  # not for a sort
            self._count_later()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._count_later()

    def refresh(self) -> None:
        """Count now, on this thread."""
        self._count_later.cancel()
        mask = self.state.mask
        if len(mask) != len(self.state.table):
            return
        self._counted = mask
        self.jobs.supersede()  # a count still running is for other rows
        frame = facets.frequency(self.state.table, mask, self.by.currentData())
        self.model.set_frame(frame, int(mask.sum()))

    def _count_soon(self) -> None:
        """Count after a change; a big table is counted on a worker."""
        table, mask = self.state.table, self.state.mask
        if len(table) < THREAD_ROWS or len(mask) != len(table):
            self.refresh()
            return
        self._counted = mask
        job = self.jobs.start(_frequency, table, mask, self.by.currentData(), parent=self)
        job.returned.connect(lambda frame: self._on_ready(mask, frame))

    def _on_ready(self, mask, frame) -> None:
        if mask is self.state.mask:  # (a newer count would have made this one stale)
            self.model.set_frame(frame, int(mask.sum()))

    def wait(self, timeout: float = 30.0) -> None:
        self.jobs.wait(int(timeout * 1000))

    def add_to_filter(self, row: int) -> None:
        """Narrow the filter to this value (added to the values already chosen)."""
        key = self.by.currentData()
        field_name = facets.DIMENSION_FIELD[key]
        value = self.model.value_at(row)
        spec = self.state.spec
        if field_name == "text":
            self.state.set_filter(spec.with_(text=value))
            return
        values = tuple(getattr(spec, field_name))
        if fold(value) not in {fold(v) for v in values}:
            values = (*values, value)
        self.state.set_filter(spec.with_(**{field_name: values}))


def _frequency(_control: Control, table, mask, by: str) -> pd.DataFrame:
    return facets.frequency(table, mask, by)
