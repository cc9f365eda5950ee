"""The event table view: shows the visible events, mirrors the shared selection both
ways, sorts on header clicks (free-text sorts run in a worker) and copies rows as TSV.

Its columns, their order and widths are the app state's (``state.views.table``): the
view renders them and sends the user's changes (menu, drag, resize) to the state. The
Qt model is ui/table_model.py; the header and its columns menu ui/table_header.py.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMenu, QTableView, QWidget
from superqt.utils import signals_blocked

from timeline_app.model.sorting import SortKey, clicked_keys
from timeline_app.model.state import AppState
from timeline_app.ui import table_header
from timeline_app.ui.formatting import count
from timeline_app.ui.sort_worker import SortWorker
from timeline_app.ui.table_header import SortHeader, width_of
from timeline_app.ui.table_model import EventTableModel

COPY_LIMIT = 100_000


class EventTableView(QTableView):
    """Shows the visible events and mirrors the shared selection both ways."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("eventTable")
        self.setAccessibleName(self.tr("Event table"))
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
        if table_header.is_fresh(state):  # a new window: the last session's layout
            table_header.load_layout(state)
        self._apply_layout()
        header.sectionMoved.connect(self._on_section_moved)
        header.sectionResized.connect(self._on_section_resized)
        layout = state.views.table.events
        layout.columns.connect(self._on_layout_changed)  # after the model's (made first)
        layout.widths.connect(self._on_layout_changed)

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
    # The state's column list is the layout: showing, hiding and moving a column changes
    # it; the header never keeps moved or hidden sections of its own.
    def _on_layout_changed(self, *_args) -> None:
        self._apply_layout()
        table_header.save_layout(self.state)  # for the next start of the app

    def _apply_layout(self) -> None:
        """Show the state's columns: visual order back to the model's, the widths."""
        header = self.horizontalHeader()
        with signals_blocked(header):  # rendering the state is not a user's resize or move
            for logical in range(header.count()):
                if header.visualIndex(logical) != logical:
                    header.moveSection(header.visualIndex(logical), logical)
            for section, (column, _) in enumerate(self.table_model.columns):
                self.setColumnWidth(section, width_of(self.state, column))
        self._show_sort_indicator()

    def _on_section_resized(self, section: int, _old: int, new: int) -> None:
        if section < len(self.table_model.columns):
            self.state.set_column_width(self.table_model.column_name(section), new)

    def _on_section_moved(self, *_args) -> None:
        # Take the new order into the state once the header has finished its move.
        header = self.horizontalHeader()
        names = [
            self.table_model.column_name(header.logicalIndex(v)) for v in range(header.count())
        ]
        QTimer.singleShot(0, self, lambda: self.set_visible_columns(names))

    def set_visible_columns(self, names: list[str]) -> None:
        """Show these columns, in this order (unknown names are ignored)."""
        self.table_model.set_columns(names)
        self._apply_layout()  # a drag the state already had: the header's order back

    def set_column_visible(self, column: str, visible: bool) -> None:
        table_header.set_column_visible(self.state, column, visible)

    def reset_columns(self) -> None:
        table_header.reset_columns(self.state)

    def move_column(self, column: str, step: int) -> None:
        """Move a shown column ``step`` places right (negative: left)."""
        table_header.move_column(self.state, column, step)

    def visible_columns(self) -> list[str]:
        """Shown columns in their on-screen order."""
        return [c for c, _ in self.table_model.columns]

    def _header_menu(self, pos) -> None:
        section = self.horizontalHeader().logicalIndexAt(pos)
        column = self.table_model.column_name(section) if section >= 0 else None
        self.column_menu(column).exec(self.horizontalHeader().mapToGlobal(pos))

    def column_menu(self, column: str | None = None) -> QMenu:
        """Move the clicked column, show or hide any column, or reset the layout."""
        return table_header.column_menu(self.state, self, column)

    # -- sorting -----------------------------------------------------------------------------------
    def _on_header_clicked(self, section: int) -> None:
        header = self.horizontalHeader()
        add = bool(header.click_modifiers & Qt.KeyboardModifier.ShiftModifier)
        header.click_modifiers = Qt.KeyboardModifier.NoModifier
        self.sort_by(self.table_model.column_name(section), add=add)

    def sort_by(self, column: str, add: bool = False) -> None:
        """What a header click does: sort by ``column`` (again: reverse it); with ``add``
        (shift-click) make it a further key instead of replacing the others."""
        keys = clicked_keys(self.state.sort_keys, column, add)
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
                self.tr(
                    "Copied the first {copied} of {selected} rows; File > Export writes them all"
                ).format(copied=count(copied), selected=count(selected))
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
