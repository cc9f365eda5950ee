"""The DuckDB table's selection (ui/source_table.py): the rows the user selects (click,
Shift+click, Ctrl+click) kept as event keys in the state (``source_view.selection``),
so that a new sort keeps them (a new filter: those it shows; ui/source_controller.py), and
Edit > Copy Rows of them.

A range's keys come from its pages when they are here; a range over pages not read
(Shift+click far down) is the rows between two positions of the current filter and
sort, whose keys DuckDB finds in a worker (reading the sort's columns only), at most
:data:`MAX_SELECTED` of them. Copy Rows reads the selected rows in a worker, in display
order, and writes the memory table's text (ui/table_cells.py tsv).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QObject, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence

from timeline_app.ui.formatting import count
from timeline_app.ui.source_table import KEPT_PAGES, PAGE_ROWS, Page, SourceTableView
from timeline_app.ui.table_cells import tsv
from timeline_app.ui.table_view import COPY_LIMIT
from timeline_app.ui.workers import JobError, JobKind

#: Rows a selection holds at most (their keys: 8 MB); a bigger one keeps its first rows.
MAX_SELECTED = 1_000_000

Ranges = list[tuple[int, int]]  # (first row, rows)


def find_keys(_control, source, spec, sort_keys, ranges: Ranges) -> np.ndarray:
    parts = [source.keys_at(spec, sort_keys, first, rows) for first, rows in ranges]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def copy_text(_control, source, spec, sort_keys, keys, columns, match=None) -> tuple[str, int]:
    """The TSV of the selected rows the filter keeps (the first COPY_LIMIT), and how
    many there were up to COPY_LIMIT + 1 (more: not all copied)."""
    rows = source.rows_of(spec, sort_keys, keys, COPY_LIMIT + 1)
    found = rows.num_rows
    page = Page(rows.slice(0, COPY_LIMIT), match)
    shown = np.arange(len(page))
    text = tsv(
        [label for _c, label in columns], [page.cells[c].copy_text(shown) for c, _ in columns]
    )
    return text, found


class SourceSelection(QObject):
    """The selection of ``table`` (a SourceTableView) as keys; Ctrl+C copies it.

    Signals: ``message(str)`` for the status bar, ``copied(int)`` rows copied."""

    message = Signal(str)
    copied = Signal(int)

    def __init__(self, table: SourceTableView) -> None:
        super().__init__(table)
        self.table = table
        self.view = table.app.source_view
        self._finding = JobKind("table selection")
        self._copying = JobKind("copy rows")
        self._then: list[Callable[[], Any]] = []
        self._syncing = False
        table.selectionModel().selectionChanged.connect(self._on_selection)
        self._own = False  # the table's own selection going to the state
        table.table_model.page_arrived.connect(self._show_kept)
        self.view.selection_changed.connect(self._show_given)
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Take Ctrl+C before the window's Edit > Copy Rows shortcut, as the memory table.
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and event.matches(  # type: ignore[attr-defined]
            QKeySequence.StandardKey.Copy
        ):
            event.accept()
            if kind == QEvent.Type.KeyPress:
                self.copy()
            return True
        return super().eventFilter(watched, event)

    # -- the selected keys -----------------------------------------------------------------
    def _show_given(self, _keys: Any) -> None:
        """Another view selected (a histogram bar's events): the table shows them on the
        pages it has, the others as they arrive, as the memory table does."""
        if self._own:
            return
        self._finding.supersede()
        self._syncing = True
        try:
            self.table.selectionModel().clearSelection()
        finally:
            self._syncing = False
        for number in self.table.table_model.pages_here():
            self._show_kept(number)

    def _show_kept(self, number: int) -> None:
        """A page arrived: its rows of selected keys are shown selected (after a new
        filter or sort, as the memory table shows its selection)."""
        page = self.table.table_model.page_of(number * PAGE_ROWS, fetch=False)
        if page is None or not len(self.view.selection):
            return
        rows = np.flatnonzero(np.isin(page.keys, self.view.selection)) + number * PAGE_ROWS
        if not len(rows):
            return
        model, last = self.table.table_model, self.table.table_model.columnCount() - 1
        breaks = np.flatnonzero(np.diff(rows) != 1) + 1  # one range per run of rows
        shown = QItemSelection()
        firsts = rows[np.concatenate([[0], breaks])]
        lasts = rows[np.concatenate([breaks - 1, [len(rows) - 1]])]
        for first, end in zip(firsts, lasts, strict=True):
            shown.select(model.index(int(first), 0), model.index(int(end), last))
        self._syncing = True
        try:
            self.table.selectionModel().select(shown, QItemSelectionModel.SelectionFlag.Select)
        finally:
            self._syncing = False

    def _on_selection(self, *_args) -> None:
        if self._syncing or (self.table.placing and self.table.holds_focus()):
            return  # the state's selection shown, not a user's change
        ranges: Ranges = []
        left = MAX_SELECTED
        selection = self.table.selectionModel().selection()
        for i in range(selection.count()):
            r = selection.at(i)
            rows = min(r.bottom() - r.top() + 1, left)
            if rows > 0:
                ranges.append((r.top(), rows))
                left -= rows
        if not left:
            text = self.tr("Only the first {rows} rows are selected; File > Export writes all")
            self.message.emit(text.format(rows=count(MAX_SELECTED)))
        known, unknown = [], []
        for first, rows in ranges:
            keys = self._known(first, rows)
            if keys is None:
                unknown.append((first, rows))
            else:
                known.append(keys)
        source = self.view.source
        if not unknown or source is None:
            self._finding.supersede()
            self._found(known)
            return
        view, generation = self.view, self.view.generation
        job = self._finding.start(
            find_keys, source, view.spec, list(view.sort_keys), unknown, parent=self
        )
        job.returned.connect(
            lambda keys: self._found([*known, keys]) if generation == view.generation else None
        )
        job.errored.connect(self._failed)

    def _known(self, first: int, rows: int) -> np.ndarray | None:
        """The keys of a range whose pages are all here (None: some are not)."""
        model = self.table.table_model
        numbers = range(first // PAGE_ROWS, (first + rows - 1) // PAGE_ROWS + 1)
        if len(numbers) > KEPT_PAGES:
            return None
        parts = []
        for number in numbers:
            page = model.page_of(number * PAGE_ROWS, fetch=False)
            if page is None:
                return None
            start = number * PAGE_ROWS
            parts.append(page.keys[max(first - start, 0) : min(first + rows - start, len(page))])
        return np.concatenate(parts)

    def _found(self, parts: list[np.ndarray]) -> None:
        keys = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
        self._own = True
        try:
            self.view.select_keys(keys)
        finally:
            self._own = False
        then, self._then = self._then, []
        for fn in then:
            fn()

    def _failed(self, error: JobError) -> None:
        self._then.clear()
        self.message.emit(self.tr("The query failed: {error}").format(error=error.message))

    def finding(self) -> bool:
        return self._finding.busy()

    def when_found(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` once the selection's keys are known (now, or when found)."""
        if self.finding():
            self._then.append(fn)
        else:
            fn()

    # -- Copy Rows ----------------------------------------------------------------------
    def copy(self) -> None:
        """Edit > Copy Rows: the selected rows, as the memory table copies them."""
        self.when_found(self._copy)

    def _copy(self) -> None:
        view, source = self.view, self.view.source
        if source is None or not len(view.selection):
            return
        columns = list(self.table.table_model.columns)
        job = self._copying.start(
            copy_text,
            source,
            view.spec,
            list(view.sort_keys),
            view.selection,
            columns,
            view.match,
            parent=self,
        )
        job.returned.connect(self._copied)
        job.errored.connect(self._failed)

    def _copied(self, found: tuple[str, int]) -> None:
        text, rows = found
        QGuiApplication.clipboard().setText(text)
        if rows > COPY_LIMIT:
            message = self.tr(
                "Copied the first {copied} selected rows; Edit > Export Selection writes them all"
            )
            self.message.emit(message.format(copied=count(COPY_LIMIT)))
        self.copied.emit(min(rows, COPY_LIMIT))
