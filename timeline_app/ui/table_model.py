"""The event table's Qt model: a QAbstractTableModel reading straight from the columns.

The model holds no copy of the data: row ``r`` on screen is table row
``state.visible[r]``; each cell is read from the column arrays (ui/table_cells.py) when
Qt asks for it. The shown columns are the state's (``state.views.table.columns``): the
model follows them, and ``set_columns`` asks the state for a change.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.model.sorting import sort_mark
from timeline_app.model.state import AppState
from timeline_app.model.view_state import DEFAULT_TABLE_COLUMNS
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP
from timeline_app.ui.table_cells import CellCache, tsv

#: Header labels of the columns shown by default.
DEFAULT_LABELS: dict[str, str] = {  # (English; shown through column_label)
    "start": QT_TRANSLATE_NOOP("Columns", "Date"),
    "category": QT_TRANSLATE_NOOP("Columns", "Category"),
    "title": QT_TRANSLATE_NOOP("Columns", "Title"),
    "actor1": QT_TRANSLATE_NOOP("Columns", "Actor 1"),
    "actor2": QT_TRANSLATE_NOOP("Columns", "Actor 2"),
    "admin1": QT_TRANSLATE_NOOP("Columns", "Region"),
    "location": QT_TRANSLATE_NOOP("Columns", "Location"),
    "fatalities": QT_TRANSLATE_NOOP("Columns", "Fatalities"),
    "dataset": QT_TRANSLATE_NOOP("Columns", "Dataset"),
}
#: Columns shown by default, with their header labels.
DEFAULT_COLUMNS: list[tuple[str, str]] = [(c, DEFAULT_LABELS[c]) for c in DEFAULT_TABLE_COLUMNS]
#: Further columns, hidden until chosen from the header's context menu.
EXTRA_LABELS: dict[str, str] = {
    "end": QT_TRANSLATE_NOOP("Columns", "End"),
    "date_precision": QT_TRANSLATE_NOOP("Columns", "Date precision"),
    "ongoing": QT_TRANSLATE_NOOP("Columns", "Ongoing"),
    "event_type": QT_TRANSLATE_NOOP("Columns", "Event type"),
    "sub_event_type": QT_TRANSLATE_NOOP("Columns", "Sub-event type"),
    "assoc_actors": QT_TRANSLATE_NOOP("Columns", "Associated actors"),
    "country": QT_TRANSLATE_NOOP("Columns", "Country"),
    "admin2": QT_TRANSLATE_NOOP("Columns", "Admin 2"),
    "admin3": QT_TRANSLATE_NOOP("Columns", "Admin 3"),
    "latitude": QT_TRANSLATE_NOOP("Columns", "Latitude"),
    "longitude": QT_TRANSLATE_NOOP("Columns", "Longitude"),
    "geo_precision": QT_TRANSLATE_NOOP("Columns", "Geo precision"),
    "fatalities_low": QT_TRANSLATE_NOOP("Columns", "Fatalities (low)"),
    "fatalities_high": QT_TRANSLATE_NOOP("Columns", "Fatalities (high)"),
    "source": QT_TRANSLATE_NOOP("Columns", "Source"),
    "notes": QT_TRANSLATE_NOOP("Columns", "Notes"),
    "id": QT_TRANSLATE_NOOP("Columns", "ID"),
}
#: The pairs of Tools > Find Likely Same Events… (model/matched.py), not a data column.
MATCH_LABEL = QT_TRANSLATE_NOOP("Columns", "Likely same")
ALL_COLUMNS: list[tuple[str, str]] = (
    DEFAULT_COLUMNS
    + [(c, EXTRA_LABELS.get(c, c)) for c in CANONICAL_COLUMNS if c not in DEFAULT_LABELS]
    + [(MATCH_COLUMN, MATCH_LABEL)]
)
LABELS: dict[str, str] = dict(ALL_COLUMNS)
NUMERIC_COLUMNS = frozenset(
    {"fatalities", "fatalities_low", "fatalities_high", "latitude", "longitude", "geo_precision"}
)
Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
ANSWERED_ROLES = frozenset(
    int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ALIGNMENT_ROLE)
)


def column_label(name: str) -> str:
    """A column's header in the interface's language."""
    return QCoreApplication.translate("Columns", LABELS.get(name, name))


def labelled(names: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """(name, label) of the known columns among ``names``, in order; the defaults if none."""
    chosen = [(n, LABELS[n]) for n in dict.fromkeys(names) if n in LABELS]
    return chosen or list(DEFAULT_COLUMNS)


class EventTableModel(QAbstractTableModel):
    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        #: The shown (name, label) columns, in their on-screen order: the state's.
        self.columns = labelled(state.views.table.columns)
        self._cells: CellCache
        state.table_changed.connect(self._on_table_changed)
        state.rows_changed.connect(self._reset)
        state.match_changed.connect(self._on_match_changed)
        state.views.table.events.columns.connect(self._on_columns_changed)
        state.prepared.add("table", self._prepare)
        self._cache_columns()

    def _prepare(self, table) -> None:
        """(on a loading worker, model/prepared.py) The shown columns' readers of a
        table about to be opened (kept with the table: ui/table_cells.py)."""
        cells = CellCache.of(table)
        for column, _label in list(self.columns):
            cells[column]

    def _cache_columns(self) -> None:
        self._cells = CellCache.of(self.state.table)

    def _on_columns_changed(self, names: tuple[str, ...], *_old) -> None:
        chosen = labelled(names)
        if chosen != self.columns:
            self.beginResetModel()
            self.columns = chosen
            self.endResetModel()

    def _on_table_changed(self, *_args) -> None:
        self.beginResetModel()
        self._cache_columns()
        self.endResetModel()

    def _on_match_changed(self) -> None:
        if self.section_of(MATCH_COLUMN) >= 0:  # the pairs' cells are new
            self._reset()

    def _reset(self, *_args) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def column_name(self, section: int) -> str:
        return self.columns[section][0]

    def section_of(self, column: str) -> int:
        """The column's position, or -1 when it is not shown."""
        return next((i for i, (c, _) in enumerate(self.columns) if c == column), -1)

    def set_columns(self, names: list[str]) -> None:
        """Ask the state to show these columns, in this order (unknown names ignored)."""
        chosen = [n for n in dict.fromkeys(names) if n in LABELS]
        if chosen:
            self.state.set_table_columns(chosen)

    def event_row(self, view_row: int) -> int:
        return int(self.state.visible[view_row])

    def view_row(self, event_row: int) -> int:
        hits = np.flatnonzero(self.state.visible == event_row)
        return int(hits[0]) if len(hits) else -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        # Qt asks ~7 roles per painted cell: the ones not answered leave at once.
        if role not in ANSWERED_ROLES or not index.isValid():
            return None
        column = self.columns[index.column()][0]
        if role == ALIGNMENT_ROLE:
            return RIGHT if column in NUMERIC_COLUMNS else None
        if index.row() >= len(self.state.visible):
            return None
        return self._cells[column].display(self.event_row(index.row()))

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Columns", self.columns[section][1])
        if role == Qt.ItemDataRole.ToolTipRole:
            mark = self.sort_mark(section)
            if mark:
                return self.tr("Sort key {mark}").format(mark=mark)
            return self.tr("Click to sort; shift-click to add a key")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            column = self.columns[section][0]
            return RIGHT if column in NUMERIC_COLUMNS else None
        return None

    def sort_mark(self, section: int) -> str:
        return sort_mark(self.columns[section][0], self.state.sort_keys)

    def tsv(self, view_rows: np.ndarray | list[int], sections: list[int]) -> str:
        """The given rows and columns as TSV with a header row of the column labels."""
        rows = self.state.visible[np.asarray(view_rows, dtype=np.int64)]
        header = [self.columns[s][1] for s in sections]
        return tsv(header, [self._cells[self.columns[s][0]].copy_text(rows) for s in sections])
