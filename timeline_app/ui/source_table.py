"""The event table over an engine-backed dataset (model/source_view.py): rows read a
page at a time, in workers, as Qt asks for them.

A page is fetched by keyset on the sort keys (storage/duck/event_source.py), each job
on its own thread and so its own DuckDB cursor; the last pages read are kept. A row
whose page is still on its way shows a placeholder. A new filter or sort drops the
pages, and any page or count that arrives for an older one is dropped by its
generation. The cells are read as the memory table's are (ui/table_cells.ColumnCells),
from a small table made of the page.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pandas as pd
import pyarrow as pa
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget
from superqt.utils import signals_blocked

from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.schema import CANONICAL_COLUMNS, conform
from timeline_app.model.sorting import clicked_keys, sort_mark
from timeline_app.model.source import KEY_COLUMN
from timeline_app.model.source_view import SourceView
from timeline_app.model.state import AppState
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP
from timeline_app.ui.table_cells import ColumnCells, PagePairs, Precisions
from timeline_app.ui.table_header import column_menu, width_of
from timeline_app.ui.table_model import (
    ALIGNMENT_ROLE,
    ANSWERED_ROLES,
    NUMERIC_COLUMNS,
    RIGHT,
    Index,
    labelled,
)
from timeline_app.ui.workers import Job

PAGE_ROWS = 200
#: Pages kept (the last read): 40 000 rows, a few MB.
KEPT_PAGES = 200
LOADING = QT_TRANSLATE_NOOP("SourceTable", "loading…")
#: Columns a page has cells for (the likely-same pairs' with the pairs found).
_CELL_COLUMNS = frozenset([*CANONICAL_COLUMNS, "dataset", MATCH_COLUMN])


class Page:
    """One page's cells and row keys (with the pairs ``match`` found, if any)."""

    def __init__(self, rows: pa.Table, match=None) -> None:
        self.keys = rows.column(KEY_COLUMN).to_numpy()
        self.match = match
        #: The columns read (the others are unknown here).
        self.read = frozenset(rows.column_names)
        frame = rows.drop_columns([KEY_COLUMN]).to_pandas()
        events = conform(frame)
        events["dataset"] = pd.Categorical(frame["dataset"]) if "dataset" in frame else ""
        precision = Precisions(events["date_precision"])
        self.cells: dict[str, ColumnCells | PagePairs] = {
            c: ColumnCells(c, events[c], precision) for c in events.columns
        }
        n = len(self.keys)
        pairs = match.pairs_of(self.keys) if match is not None else (np.zeros(n, int), [], [])
        self.cells[MATCH_COLUMN] = PagePairs(*pairs)

    def __len__(self) -> int:
        return len(self.keys)


def read_page(_control, source, spec, sort_keys, number: int, match=None, columns=None) -> Page:
    """Page ``number``, its ``columns`` read (the others are left unknown)."""
    return Page(source.page(spec, sort_keys, number * PAGE_ROWS, PAGE_ROWS, columns), match)


class SourceTableModel(QAbstractTableModel):
    """Rows of ``state.source_view``, read a page at a time."""

    page_arrived = Signal(int)

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.view: SourceView = state.source_view
        self.columns = [c for c in labelled(state.views.table.columns) if c[0] in _CELL_COLUMNS]
        self._pages: OrderedDict[int, Page] = OrderedDict()
        self._asked: dict[int, Job] = {}
        self.view.source_changed.connect(self._reset)
        self.view.query_changed.connect(self._reset)
        self.view.count_changed.connect(self._on_count)
        self.view.match_changed.connect(self._on_match_changed)
        state.views.table.events.columns.connect(self._on_columns_changed)

    def _reset(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        for job in self._asked.values():
            job.cancel()
        self._asked.clear()
        self.endResetModel()

    def _on_columns_changed(self, names: tuple[str, ...], *_old) -> None:
        chosen = [c for c in labelled(names) if c[0] in _CELL_COLUMNS]
        if chosen != self.columns:
            self.beginResetModel()
            shown = self.read_columns()
            self.columns = chosen
            if not set(self.read_columns()) <= set(shown):  # a column the pages lack
                self._pages.clear()
                for job in self._asked.values():
                    job.cancel()
                self._asked.clear()
            self.endResetModel()

    def read_columns(self) -> list[str]:
        """The columns a page reads: the shown ones and each date's precision (DuckDB
        reads only those of the rows' row groups: the notes, the widest, when shown)."""
        shown = [c for c, _ in self.columns if c in CANONICAL_COLUMNS]
        return [*dict.fromkeys([*shown, "date_precision"])]

    def _on_match_changed(self) -> None:
        if any(c == MATCH_COLUMN for c, _ in self.columns):  # the pairs' cells are new
            self._reset()

    def _on_count(self, _count: int) -> None:
        # The same query's rows: the pages read or on their way stay good.
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.view.source is None else max(self.view.count, 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def column_name(self, section: int) -> str:
        return self.columns[section][0]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in ANSWERED_ROLES or not index.isValid():
            return None
        column = self.columns[index.column()][0]
        if role == ALIGNMENT_ROLE:
            return RIGHT if column in NUMERIC_COLUMNS else None
        page = self.page_of(index.row())
        if page is None:
            return QCoreApplication.translate("SourceTable", LOADING)
        local = index.row() % PAGE_ROWS
        return page.cells[column].display(local) if local < len(page) else None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or section >= len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            label = QCoreApplication.translate("Columns", self.columns[section][1])
            mark = self.sort_mark(section)
            return f"{label} {mark}" if mark else label
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if self.columns[section][0] in NUMERIC_COLUMNS else None
        return None

    def sort_mark(self, section: int) -> str:
        return sort_mark(self.columns[section][0], self.view.sort_keys)

    def key_of(self, row: int) -> int | None:
        """The event key of a row whose page is here (None while it loads)."""
        page = self.page_of(row, fetch=False)
        local = row % PAGE_ROWS
        return int(page.keys[local]) if page is not None and local < len(page) else None

    def page_of(self, row: int, fetch: bool = True) -> Page | None:
        number = row // PAGE_ROWS
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if fetch:
            self._fetch(number)
        return None

    def pages_here(self) -> list[int]:
        """The numbers of the pages read and kept."""
        return list(self._pages)

    def pages_loading(self) -> int:
        return len(self._asked)

    def _fetch(self, number: int) -> None:
        source = self.view.source
        if number in self._asked or source is None:
            return
        view = self.view
        generation = view.generation
        job = Job(
            read_page,
            source,
            view.spec,
            list(view.sort_keys),
            number,
            view.match,
            self.read_columns(),
            name="table page",
            parent=self,
        )
        job.returned.connect(lambda page, g=generation, n=number: self._arrived(g, n, page))
        job.finished.connect(lambda n=number, j=job: self._forget(n, j))
        self._asked[number] = job
        job.start()

    def _forget(self, number: int, job: Job) -> None:
        if self._asked.get(number) is job:
            del self._asked[number]

    def _arrived(self, generation: int, number: int, page: Page) -> None:
        if generation != self.view.generation or page.match is not self.view.match:
            return  # a page of an older filter, sort or search
        if not page.read >= set(self.read_columns()):
            return  # read before a column was shown: asked again
        self._asked.pop(number, None)
        self._pages[number] = page
        while len(self._pages) > KEPT_PAGES:
            self._pages.popitem(last=False)
        first = number * PAGE_ROWS
        last = min(first + len(page), self.rowCount()) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))
        self.page_arrived.emit(number)


class SourceTableView(QTableView):
    """The Events dock's table for an engine-backed dataset: sorts on header clicks
    (shift-click adds a key), and the current row's event goes to the detail pane."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = state
        self.setObjectName("sourceTable")
        self.setAccessibleName(self.tr("Event table"))
        self.table_model = SourceTableModel(state, self)
        self._placing = False  # show_row making the focused event's row current
        self.setModel(self.table_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(22)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        header.sectionClicked.connect(self._on_header_clicked)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.table_model.page_arrived.connect(lambda _n: self._send_current(arrived=True))
        self.table_model.modelReset.connect(self._apply_widths)
        self._apply_widths()
        header.sectionResized.connect(self._on_section_resized)
        state.views.table.events.widths.connect(self._apply_widths)
        self.selectionModel().currentRowChanged.connect(lambda *_: self._send_current())

    def _apply_widths(self, *_args) -> None:
        """The memory table's widths (the state's, per column)."""
        with signals_blocked(self.horizontalHeader()):  # the state's, not a user's resize
            for section, (column, _) in enumerate(self.table_model.columns):
                self.setColumnWidth(section, width_of(self.app, column))

    def _on_section_resized(self, section: int, _old: int, new: int) -> None:
        """A column dragged wider or narrower: the state keeps it (undo, workspaces, the
        memory table), as the memory table's resize does."""
        if section < len(self.table_model.columns):
            self.app.set_column_width(self.table_model.column_name(section), new)

    # -- the columns menu (the memory table's: the state's columns) --------------------------
    def _header_menu(self, pos) -> None:
        section = self.horizontalHeader().logicalIndexAt(pos)
        column = self.table_model.column_name(section) if section >= 0 else None
        self.column_menu(column).exec(self.horizontalHeader().mapToGlobal(pos))

    def column_menu(self, column: str | None = None) -> QMenu:
        """Move the clicked column, show or hide any column, or reset the layout."""
        return column_menu(self.app, self, column)

    def visible_columns(self) -> list[str]:
        return [c for c, _ in self.table_model.columns]

    def _on_header_clicked(self, section: int) -> None:
        add = bool(QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.sort_by(self.table_model.column_name(section), add=add)

    def sort_by(self, column: str, add: bool = False) -> None:
        view = self.app.source_view
        view.set_sort(clicked_keys(view.sort_keys, column, add))

    def current_key(self) -> int | None:
        row = self.currentIndex().row()
        return self.table_model.key_of(row) if row >= 0 else None

    @property
    def placing(self) -> bool:
        """Another view's focus is being shown (not a user's selection)."""
        return self._placing

    def holds_focus(self) -> bool:
        """The focused event is one of the selected (``source_view.selection``)."""
        view = self.app.source_view
        at = int(np.searchsorted(view.selection, view.current_key or 0))
        return at < len(view.selection) and view.selection[at] == view.current_key

    def show_row(self, row: int) -> None:
        """Scroll to the row of the focus another view gave and make it current (its
        key is that focus: a bar's selection stays whole)."""
        index = self.table_model.index(row, 0)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._placing = True
        try:
            # The focus of a selection the table holds (kept by a filter) joins its rows;
            # another focus (a timeline click) is the selection, as in memory.
            flag = QItemSelectionModel.SelectionFlag
            kept = self.holds_focus()
            flags = (flag.Select if kept else flag.ClearAndSelect) | flag.Rows
            self.selectionModel().setCurrentIndex(index, flags)
        finally:
            self._placing = False

    def _send_current(self, arrived: bool = False) -> None:
        """The current row's event to the detail pane (its key known once its page is
        here). A page arriving leaves a focus the table did not give (another view's: a
        timeline bar's selection, which a filter keeps) unless it has a current row."""
        row = self.currentIndex().row()
        key = self.table_model.key_of(row) if row >= 0 else None
        if (arrived or self._placing) and (key is None or key == self.app.source_view.current_key):
            return
        if key is not None or row < 0:
            self.app.source_view.set_current(key)
