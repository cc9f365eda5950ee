"""The event table: a QAbstractTableModel reading straight from the event columns.

The model holds no copy of the data: row ``r`` on screen is table row
``state.visible[r]``; each cell is read from the column arrays (category codes,
int64 dates, float numbers, Arrow text) when Qt asks for it. Sorting is asked of the
state (header click; shift-click adds a key); free-text sorts run in a worker.
"""

from __future__ import annotations

import contextlib
import json
import weakref

import numpy as np
import pandas as pd
import pyarrow as pa
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QWidget,
)

from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.model.sorting import SortKey
from timeline_app.model.state import AppState
from timeline_app.ui.formatting import UNKNOWN, format_date, format_number
from timeline_app.ui.sort_worker import SortWorker

#: Columns shown by default, with their header labels (the first logical columns).
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
#: Further columns, hidden until chosen from the header's context menu.
EXTRA_LABELS: dict[str, str] = {
    "end": "End",
    "date_precision": "Date precision",
    "ongoing": "Ongoing",
    "event_type": "Event type",
    "sub_event_type": "Sub-event type",
    "assoc_actors": "Associated actors",
    "country": "Country",
    "admin2": "Admin 2",
    "admin3": "Admin 3",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "geo_precision": "Geo precision",
    "fatalities_low": "Fatalities (low)",
    "fatalities_high": "Fatalities (high)",
    "source": "Source",
    "notes": "Notes",
    "id": "ID",
}
ALL_COLUMNS: list[tuple[str, str]] = DEFAULT_COLUMNS + [
    (c, EXTRA_LABELS.get(c, c)) for c in CANONICAL_COLUMNS if c not in dict(DEFAULT_COLUMNS)
]
DEFAULT_WIDTHS = dict(
    zip([c for c, _ in DEFAULT_COLUMNS], [95, 80, 320, 160, 160, 100, 140, 70, 120], strict=True)
)
NUMERIC_COLUMNS = frozenset(
    {"fatalities", "fatalities_low", "fatalities_high", "latitude", "longitude", "geo_precision"}
)
COPY_LIMIT = 100_000
SETTINGS_KEY = "eventTable/columns"
WIDTHS_KEY = "eventTable/widths"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
ANSWERED_ROLES = frozenset(
    int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ALIGNMENT_ROLE)
)


class _Column:
    """Fast access to one column's cells: numpy arrays and Arrow, not pandas ``iloc``."""

    def __init__(self, name: str, series: pd.Series, precision: _Precisions) -> None:
        self.name = name
        self.series = series
        dtype = series.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            self.kind = "category"
            self.codes = series.cat.codes.to_numpy()
            # Labels as they are, each made text when shown (not all of them at open).
            self.names = series.cat.categories.to_numpy(dtype=object)
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            self.kind = "date"
            self.values = series.to_numpy()
            self.precision = precision
        elif pd.api.types.is_bool_dtype(dtype):
            self.kind = "bool"
            self.values = series.to_numpy()
        elif pd.api.types.is_numeric_dtype(dtype):
            self.kind = "number"
            self.values = series.to_numpy(dtype="float64")
        else:
            self.kind = "text"
            arrow = getattr(series.array, "__arrow_array__", None)
            self.values = arrow() if arrow else pa.array(series.astype(object).tolist())

    def display(self, row: int) -> str:
        if self.kind == "category":
            code = self.codes[row]
            return UNKNOWN if code < 0 else str(self.names[code])
        if self.kind == "date":
            return format_date(self.values[row], self.precision[row])
        if self.kind == "bool":
            return "yes" if self.values[row] else ""
        if self.kind == "number":
            return format_number(float(self.values[row]))
        value = self.values[row].as_py()
        return UNKNOWN if value is None else value

    def copy_text(self, rows: np.ndarray) -> list[str]:
        """Cells for a TSV: ISO dates at their precision, plain numbers, unknown empty."""
        if self.kind == "date":
            stamps = pd.DatetimeIndex(self.values[rows])
            precision = self.precision[rows]
            text = np.asarray(stamps.strftime("%Y-%m-%d"), dtype=object)
            for prec, fmt in (("month", "%Y-%m"), ("year", "%Y")):
                pick = precision == prec
                if pick.any():
                    text[pick] = np.asarray(stamps[pick].strftime(fmt), dtype=object)
            timed = np.asarray((stamps - stamps.normalize()) != pd.Timedelta(0))
            timed &= ~np.asarray(stamps.isna())
            if timed.any():
                text[timed] = np.asarray(stamps[timed].strftime("%Y-%m-%d %H:%M"), dtype=object)
            text[np.asarray(stamps.isna())] = ""
            return text.tolist()
        if self.kind == "number":
            values = self.values[rows]
            return [
                "" if np.isnan(v) else (f"{v:.0f}" if v.is_integer() else repr(v)) for v in values
            ]
        if self.kind == "bool":
            return ["true" if v else "false" for v in self.values[rows]]
        if self.kind == "category":
            codes = self.codes[rows]
            return ["" if c < 0 else str(self.names[c]) for c in codes]
        values = self.values.take(pa.array(rows)).to_pylist()
        return ["" if v is None else " ".join(str(v).split()) for v in values]


class _Precisions:
    """Each row's date precision name, looked up from the category codes when asked (a
    column of a million names would cost tens of ms when a table opens)."""

    def __init__(self, prec: pd.Series) -> None:
        self.codes = prec.cat.codes.to_numpy()
        names = [str(c) for c in prec.cat.categories] + ["day"]  # code -1: "day"
        self.names = np.asarray(names, dtype=object)

    def __getitem__(self, rows):
        return self.names[self.codes[rows]]


class _CellCache:
    """Column accessors of one table, made on first use and shared by every view of it
    (a new table view over a million rows then paints without copying a column)."""

    _by_table: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __init__(self, table) -> None:
        self._table = weakref.ref(table)
        self._columns: dict[str, _Column] = {}
        self._precision: _Precisions | None = None

    @classmethod
    def of(cls, table) -> _CellCache:
        cache = cls._by_table.get(table)
        if cache is None:
            cache = cls._by_table[table] = cls(table)
        return cache

    def __getitem__(self, column: str) -> _Column:
        if column not in self._columns:
            df = self._table().df
            if self._precision is None:
                self._precision = _Precisions(df["date_precision"])
            self._columns[column] = _Column(column, df[column], self._precision)
        return self._columns[column]


class EventTableModel(QAbstractTableModel):
    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        #: The shown columns, in their on-screen order (the layout is the model's).
        self.columns = list(DEFAULT_COLUMNS)
        self._cells: _CellCache
        state.table_changed.connect(self._on_table_changed)
        state.rows_changed.connect(self._reset)
        self._cache_columns()

    def _cache_columns(self) -> None:
        self._cells = _CellCache.of(self.state.table)

    def _on_table_changed(self, *_args) -> None:
        self.beginResetModel()
        self._cache_columns()
        self.endResetModel()

    def _reset(self, *_args) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.visible)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def column_name(self, section: int) -> str:
        return self.columns[section][0]

    def section_of(self, column: str) -> int:
        """The column's position, or -1 when it is not shown."""
        return next((i for i, (c, _) in enumerate(self.columns) if c == column), -1)

    def set_columns(self, names: list[str]) -> None:
        labels = dict(ALL_COLUMNS)
        chosen = [(n, labels[n]) for n in dict.fromkeys(names) if n in labels]
        if chosen and chosen != self.columns:
            self.beginResetModel()
            self.columns = chosen
            self.endResetModel()

    def event_row(self, view_row: int) -> int:
        return int(self.state.visible[view_row])

    def view_row(self, event_row: int) -> int:
        hits = np.flatnonzero(self.state.visible == event_row)
        return int(hits[0]) if len(hits) else -1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
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
            return self.columns[section][1]
        if role == Qt.ItemDataRole.ToolTipRole:
            mark = self.sort_mark(section)
            return f"Sort key {mark}" if mark else "Click to sort; shift-click to add a key"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            column = self.columns[section][0]
            return RIGHT if column in NUMERIC_COLUMNS else None
        return None

    def sort_mark(self, section: int) -> str:
        """ "▲2" when this column is the second sort key, ascending ("" if not a key)."""
        column = self.columns[section][0]
        for k, (col, ascending) in enumerate(self.state.sort_keys):
            if col == column:
                return f"{'▲' if ascending else '▼'}{k + 1}"
        return ""

    def tsv(self, view_rows: np.ndarray | list[int], sections: list[int]) -> str:
        """The given rows and columns as TSV with a header row of the column labels."""
        rows = self.state.visible[np.asarray(view_rows, dtype=np.int64)]
        header = [self.columns[s][1] for s in sections]
        cells = [self._cells[self.columns[s][0]].copy_text(rows) for s in sections]
        lines = ["\t".join(header)]
        lines.extend("\t".join(values) for values in zip(*cells, strict=True))
        return "\n".join(lines) + "\n"


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
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(22)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        header = SortHeader(self)
        self.setHorizontalHeader(header)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        # The header gets a selection of its own that stays empty: to draw a section
        # Qt asks whether its column is selected, row by row, which takes seconds once
        # a million rows are selected (Ctrl+A). Rows are selected, never columns.
        header.setHighlightSections(False)
        header.setSelectionModel(QItemSelectionModel(self.table_model, header))
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionClicked.connect(self._on_header_clicked)
        self._widths = dict(DEFAULT_WIDTHS)
        self._applying = False
        self._restore_layout()
        header.sectionMoved.connect(self._on_section_moved)
        header.sectionResized.connect(self._on_section_resized)

        self.sort_worker = SortWorker(state, self)
        self.busy_label = QLabel(self.viewport())
        self.busy_label.setObjectName("sortBusy")
        self.busy_label.setStyleSheet("background: palette(tooltip-base); padding: 2px 6px;")
        self.busy_label.hide()
        self.sort_worker.busy.connect(self._show_busy)

        self._syncing = False
        self.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table_model.modelReset.connect(self._on_model_reset)
        state.selection_changed.connect(lambda _rows: self._show_state_selection())
        state.current_changed.connect(self._scroll_to_current)

    # -- columns ----------------------------------------------------------------------------------
    # The model's column list is the layout: showing, hiding and moving a column changes
    # it; the header never keeps its own moved or hidden sections. Names and widths are
    # kept in QSettings.
    def _restore_layout(self) -> None:
        settings = QSettings("timeline-app", "timeline-app")
        names = settings.value(SETTINGS_KEY)
        if isinstance(names, str):
            names = [names]
        if names:
            self.table_model.set_columns([str(n) for n in names])
        widths = settings.value(WIDTHS_KEY)
        with contextlib.suppress(TypeError, ValueError):  # a damaged setting: defaults
            self._widths = {**self._widths, **json.loads(widths)} if widths else self._widths
        self._apply_widths()

    def _apply_widths(self) -> None:
        self._applying = True
        try:
            for section, (column, _) in enumerate(self.table_model.columns):
                self.setColumnWidth(section, int(self._widths.get(column, 120)))
        finally:
            self._applying = False

    def save_layout(self) -> None:
        settings = QSettings("timeline-app", "timeline-app")
        settings.setValue(SETTINGS_KEY, self.visible_columns())
        settings.setValue(WIDTHS_KEY, json.dumps(self._widths))

    def _on_section_resized(self, section: int, _old: int, new: int) -> None:
        if self._applying or section >= len(self.table_model.columns):
            return
        self._widths[self.table_model.column_name(section)] = new
        self.save_layout()

    def _on_section_moved(self, *_args) -> None:
        # Take the new order into the model once the header has finished its move.
        header = self.horizontalHeader()
        names = [
            self.table_model.column_name(header.logicalIndex(v)) for v in range(header.count())
        ]
        QTimer.singleShot(0, self, lambda: self.set_visible_columns(names))

    def set_visible_columns(self, names: list[str]) -> None:
        """Show these columns, in this order (unknown names are ignored)."""
        header = self.horizontalHeader()
        self.table_model.set_columns(names)
        if any(header.logicalIndex(v) != v for v in range(header.count())):
            header.blockSignals(True)
            try:  # back to visual == logical: the model has the order now
                for logical in range(header.count()):
                    header.moveSection(header.visualIndex(logical), logical)
            finally:
                header.blockSignals(False)
        self._apply_widths()
        self._show_sort_indicator()
        self.save_layout()

    def set_column_visible(self, column: str, visible: bool) -> None:
        names = self.visible_columns()
        if visible and column not in names:
            names.append(column)
        elif not visible and column in names and len(names) > 1:
            names.remove(column)
        self.set_visible_columns(names)

    def reset_columns(self) -> None:
        self._widths = dict(DEFAULT_WIDTHS)
        self.set_visible_columns([c for c, _ in DEFAULT_COLUMNS])

    def visible_columns(self) -> list[str]:
        """Shown columns in their on-screen order."""
        return [c for c, _ in self.table_model.columns]

    def _header_menu(self, pos) -> None:
        section = self.horizontalHeader().logicalIndexAt(pos)
        column = self.table_model.column_name(section) if section >= 0 else None
        self.column_menu(column).exec(self.horizontalHeader().mapToGlobal(pos))

    def move_column(self, column: str, step: int) -> None:
        """Move a shown column ``step`` places right (negative: left)."""
        names = self.visible_columns()
        if column not in names:
            return
        i = names.index(column)
        j = min(max(i + step, 0), len(names) - 1)
        names.insert(j, names.pop(i))
        self.set_visible_columns(names)

    def column_menu(self, column: str | None = None) -> QMenu:
        """Move the clicked column, show or hide any column, or reset the layout."""
        menu = QMenu("Columns", self)
        if column is not None:
            label = dict(ALL_COLUMNS)[column]
            for text, step in ((f"Move “{label}” Left", -1), (f"Move “{label}” Right", 1)):
                action = QAction(text, menu)
                action.triggered.connect(lambda _=False, c=column, s=step: self.move_column(c, s))
                menu.addAction(action)
            menu.addSeparator()
        shown = set(self.visible_columns())
        for column, label in ALL_COLUMNS:
            action = QAction(label, menu)
            action.setCheckable(True)
            action.setChecked(column in shown)
            action.toggled.connect(lambda on, c=column: self.set_column_visible(c, on))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Reset Columns", self.reset_columns)
        return menu

    # -- sorting -----------------------------------------------------------------------------------
    def _on_header_clicked(self, section: int) -> None:
        header = self.horizontalHeader()
        add = bool(header.click_modifiers & Qt.KeyboardModifier.ShiftModifier)
        header.click_modifiers = Qt.KeyboardModifier.NoModifier
        self.sort_by(self.table_model.column_name(section), add=add)

    def sort_by(self, column: str, add: bool = False) -> None:
        """What a header click does: sort by ``column`` (again: reverse it); with ``add``
        (shift-click) make it a further key instead of replacing the others."""
        keys = list(self.state.sort_keys)
        position = next((i for i, (c, _) in enumerate(keys) if c == column), None)
        if add:
            if position is None:
                keys.append((column, True))
            else:
                keys[position] = (column, not keys[position][1])
        elif position == 0:
            keys = [(column, not keys[0][1])]
        else:
            keys = [(column, True)]
        self.request_sort(keys)

    def request_sort(self, keys: list[SortKey]) -> None:
        if self.sort_worker.needs_thread(keys):
            self.sort_worker.sort(keys)
        else:
            self.sort_worker.cancel()
            self.state.set_sort(keys)

    def _show_sort_indicator(self) -> None:
        header = self.horizontalHeader()
        keys = self.state.sort_keys
        if not keys:
            header.setSortIndicatorShown(False)
            return
        column, ascending = keys[0]
        if self.table_model.section_of(column) < 0 or len(keys) > 1:  # marks drawn instead
            header.setSortIndicatorShown(False)
            return
        header.setSortIndicatorShown(True)
        order = Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
        header.setSortIndicator(self.table_model.section_of(column), order)

    def _show_busy(self, text: str) -> None:
        self.busy_label.setText(text)
        self.busy_label.adjustSize()
        self.busy_label.move(6, 6)
        self.busy_label.setVisible(bool(text))

    # -- copy and keys -------------------------------------------------------------------------------
    def selected_view_rows(self) -> np.ndarray:
        """Selected rows on screen, sorted; read from the selection's ranges, so that
        Ctrl+A over a million rows does not build a million indexes."""
        ranges = self.selectionModel().selection()
        if len(ranges) == 1:
            return np.arange(ranges[0].top(), ranges[0].bottom() + 1, dtype=np.int64)
        marked = np.zeros(self.table_model.rowCount(), dtype=bool)
        for r in ranges:
            marked[r.top() : r.bottom() + 1] = True
        return np.flatnonzero(marked)

    def selection_tsv(self, limit: int | None = None) -> str:
        header = self.horizontalHeader()
        sections = [header.logicalIndex(v) for v in range(header.count())]
        sections = [s for s in sections if not header.isSectionHidden(s)]
        return self.table_model.tsv(self.selected_view_rows()[:limit], sections)

    def copy_selection(self) -> int:
        """Copy the selected rows, shown columns in their order, as TSV with a header.

        At most COPY_LIMIT rows (the clipboard is not an export; a million rows would
        hold the UI for seconds). Returns the number of rows copied."""
        selected = len(self.selected_view_rows())
        if not selected:
            return 0
        QGuiApplication.clipboard().setText(self.selection_tsv(COPY_LIMIT))
        copied = min(selected, COPY_LIMIT)
        if copied < selected:
            self._show_busy(
                f"Copied the first {copied:,} of {selected:,} rows; File > Export writes them all"
            )
            QTimer.singleShot(6000, self.busy_label, lambda: self._show_busy(""))
        return copied

    def event(self, event) -> bool:
        # Take Ctrl+C before a window-level shortcut does, so copying works from here.
        if event.type() == QEvent.Type.ShortcutOverride and event.matches(
            QKeySequence.StandardKey.Copy
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- selection ------------------------------------------------------------------------------------
    def _on_model_reset(self) -> None:
        self._show_sort_indicator()
        self._show_state_selection()

    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        view_rows = self.selected_view_rows()
        visible = self.state.visible
        view_rows = view_rows[view_rows < len(visible)]
        rows = visible[view_rows]
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

    def _on_current_row(self, current, _previous) -> None:
        # Qt moves the focus after the selection: follow it when it lands on a selected row.
        if self._syncing or not current.isValid() or current.row() >= len(self.state.visible):
            return
        row = int(self.state.visible[current.row()])
        selection = self.state.selection  # sorted: a binary search, not a set of 1M rows
        at = int(np.searchsorted(selection, row))
        if row != self.state.current and at < len(selection) and selection[at] == row:
            self._syncing = True
            try:
                self.state.select(self.state.selection, current=row)
            finally:
                self._syncing = False

    def _show_state_selection(self) -> None:
        """Mirror the shared selection (guarded: no feedback into the state)."""
        if self._syncing:
            return
        self._syncing = True
        try:
            selection = QItemSelection()
            positions = np.flatnonzero(np.isin(self.state.visible, self.state.selection))
            if len(positions):  # selected events the filter hides have no row to select
                # One range per run of adjacent rows (Ctrl+A is a single range).
                breaks = np.flatnonzero(np.diff(positions) != 1) + 1
                firsts = positions[np.concatenate([[0], breaks])]
                lasts = positions[np.concatenate([breaks - 1, [len(positions) - 1]])]
                last = self.table_model.columnCount() - 1
                for first, end in zip(firsts[:10_000], lasts[:10_000], strict=True):
                    selection.select(
                        self.table_model.index(int(first), 0),
                        self.table_model.index(int(end), last),
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
        if pos >= 0:  # chosen elsewhere (timeline, links): show it with context around it
            self.scrollTo(
                self.table_model.index(pos, 0), QAbstractItemView.ScrollHint.PositionAtCenter
            )
