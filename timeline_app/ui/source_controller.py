"""Datasets an engine answers (DuckDB over Parquet) in the window: opening one in a
worker, the Events dock's paged table (ui/source_table.py), the filter and its count
in workers (a new filter or Cancel interrupts the running query), the detail pane by
key, and the status bar's engine.

One such dataset is open at a time, instead of the in-memory files: opening one closes
those, opening a file into memory closes it. The timeline and the map draw from SQL
(ui/timeline/sql_source.py, ui/map/sql_source.py), the Filters and Trends docks count
in SQL (ui/source_facets.py, ui/source_trends.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDockWidget, QFileDialog, QInputDialog, QWidget

from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.export import format_for_path
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.provenance import ExportChoice
from timeline_app.model.schema import conform
from timeline_app.storage.engine_choice import choose_engine
from timeline_app.storage.parquet_files import ORIGINAL_PREFIX
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP
from timeline_app.ui.notices import show_notice
from timeline_app.ui.source_facets import SourceFacets
from timeline_app.ui.source_pairs import EventRead, read_with_pair
from timeline_app.ui.source_related import RelatedRead, read_related
from timeline_app.ui.source_selection import SourceSelection
from timeline_app.ui.source_table import SourceTableView
from timeline_app.ui.source_trends import SourceTrends
from timeline_app.ui.timeline.sql_source import sql_timeline
from timeline_app.ui.timeline_menu import show_timeline
from timeline_app.ui.workers import Job, JobError, JobKind

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow
    from timeline_app.ui.map.widget import MapWidget

ENGINE_LABELS = {
    "memory": QT_TRANSLATE_NOOP("Engines", "Engine: memory"),
    "duckdb": QT_TRANSLATE_NOOP("Engines", "Engine: DuckDB"),
}

#: Times the details' read, killed by another query's interrupt (a filter's count), is
#: asked again.
READ_RETRIES = 3
#: File > Open As…'s engines: (label, engine).
ENGINE_CHOICES = (
    (
        QT_TRANSLATE_NOOP(
            "Engines", "Automatic (DuckDB for Parquet of 1 GiB or 3M events or more)"
        ),
        "auto",
    ),
    (QT_TRANSLATE_NOOP("Engines", "Memory (the whole file read in)"), "memory"),
    (QT_TRANSLATE_NOOP("Engines", "DuckDB: a Parquet file"), "duckdb"),
    (QT_TRANSLATE_NOOP("Engines", "DuckDB: a folder of Parquet files"), "duckdb-folder"),
)


def ask_engine(parent: QWidget) -> str | None:
    """File > Open As…'s first question: which engine (None: cancelled)."""
    labels = [QCoreApplication.translate("Engines", label) for label, _ in ENGINE_CHOICES]
    label, ok = QInputDialog.getItem(
        parent,
        QCoreApplication.translate("Engines", "Open as"),
        QCoreApplication.translate("Engines", "Run the data on:"),
        labels,
        0,
        editable=False,
    )
    if not ok or label not in labels:
        return None
    return ENGINE_CHOICES[labels.index(label)][1]


def run_export(control: Any, source: Any, choice: ExportChoice, keys: Any = None) -> int:
    from timeline_app.storage.duck.provenance import export_with_provenance

    return export_with_provenance(source.duck, choice, progress=control.progress, keys=keys)


def open_source(
    _control, paths: list[Path], memory_limit: str | None, names: list[Any] | None = None
) -> tuple[Any, int]:
    from timeline_app.storage.duck.event_source import DuckSource

    source = DuckSource.open(paths, memory_limit=memory_limit, names=names)
    return source, source.count(FilterSpec())


def count_rows(_control, source, spec: FilterSpec) -> int:
    return int(source.count(spec))


def key_kept(_control, source, spec: FilterSpec, key: int) -> bool:
    return bool(source.contains(spec, key))


def keys_kept(_control, source, spec: FilterSpec, keys: np.ndarray) -> np.ndarray:
    return source.kept_keys(spec, keys)


def key_row(_control, source, spec: FilterSpec, sort_keys: list, key: int) -> int | None:
    return source.position(spec, sort_keys, key)


def read_event(_control, source, key: int, match=None) -> EventRead:
    return read_with_pair(source, key, match, lambda event: event_table(event, source))


def read_related_events(_control, source, table: EventTable, key: int, spec) -> RelatedRead:
    return read_related(source, table, key, spec)


def event_table(event: dict[str, Any] | None, source=None) -> EventTable | None:
    """One event read by key as a table of one row, for the detail pane: its dataset
    described as the source describes it (file, format, licence, citation)."""
    if event is None:
        return None
    frame = pd.DataFrame([event])
    originals = [c for c in frame.columns if c.startswith(ORIGINAL_PREFIX)]
    name = str(event.get("dataset") or "events")
    known = next((d for d in source.datasets() if d.name == name), None) if source else None
    dataset = Dataset(
        name=name,
        events=conform(frame),
        report=LoadReport("native"),
        originals=(
            frame[originals].set_axis([c[len(ORIGINAL_PREFIX) :] for c in originals], axis=1)
            if originals
            else None
        ),
        path=known.path if known is not None else None,
        format=known.format if known is not None else "native",
        licence=known.licence if known is not None else "",
        citation=known.citation if known is not None else "",
    )
    return EventTable([dataset])


class SourceController(QObject):
    """The window's engine-backed dataset: ``window.sources``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.view = window.state.source_view
        self.engine = "auto"
        self.memory_limit: str | None = None
        self.table = SourceTableView(self.state, window)
        self.table.hide()
        self.selection = SourceSelection(self.table)  # its rows as keys; Copy Rows
        self.selection.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        self.view.selection_changed.connect(self._on_selection)
        self._bound = False
        self.map: MapWidget | None = None  # the DuckDB map (map_widget)
        self._counts = JobKind("source count")
        self._events = JobKind("source event")
        self._related = JobKind("source related events")
        self._shown_read: tuple[int, EventRead] | None = None  # the details' event
        self._focus = JobKind("source focus")
        self._placing = JobKind("source focus row")
        self._opening: Job | None = None
        self._closing: list[Job] = []
        self._swapped: dict[QDockWidget, QWidget] = {}
        self.view.query_changed.connect(self._count)
        self.view.count_changed.connect(lambda _n: window._update_counts())
        self.view.selection_changed.connect(lambda _k: window._update_counts())
        self.view.current_changed.connect(lambda _k: window._update_counts())
        self.view.count_changed.connect(lambda _n: self._check_focus())
        self.view.current_changed.connect(self._read_event)
        self.view.match_changed.connect(lambda: self._read_event(self.view.current_key))
        self.view.current_changed.connect(self._place)
        self.view.source_changed.connect(self._on_source_changed)
        self.state.filter_changed.connect(self._on_filter)
        self.state.table_changed.connect(self._on_table_changed)
        window.cancel_button.clicked.connect(self.interrupt)
        self.facets = SourceFacets(self)  # the Filters dock's lists; after _count's interrupt
        self.trends = SourceTrends(self)  # the Trends dock's counts, likewise

    # -- opening ---------------------------------------------------------------------------
    def engine_for(self, paths: list[Path], asked: str | None = None) -> str:
        """``memory`` or ``duckdb`` (raises storage.engine_choice.NotParquetError)."""
        return choose_engine(asked or self.engine, paths)

    def open(self, paths: list[Path], names: list[Any] | None = None) -> Job:
        """Open Parquet files or folders on the DuckDB engine, in a worker (``names``:
        the datasets' names, a workspace's: a name, or a converted file's sources' names
        by the names recorded; by default the inputs' stems)."""
        paths = [Path(p) for p in paths]
        window = self.window
        job = Job(open_source, paths, self.memory_limit, names, name="open duckdb", parent=self)
        job.returned.connect(lambda found: self._opened(found, paths))
        job.errored.connect(lambda e: self._failed(paths, e))
        self._opening = job
        window.track_job(job)
        shown = ", ".join(p.name for p in paths)
        window.statusBar().showMessage(self.tr("Opening {name} with DuckDB…").format(name=shown))
        return job.start()

    def _opened(self, found: tuple[Any, int], paths: list[Path]) -> None:
        source, total = found
        if self.state.table.datasets:
            self.state.set_datasets([])  # one engine at a time
        old = self.view.source
        self.view.set_source(source, total)
        if old is not None:
            self._close_later(old)
        for path in paths:
            self.window._remember_recent(path)
        text = self.tr("Opened {name} with DuckDB: {events} events")
        self.window.statusBar().showMessage(
            text.format(name=", ".join(source.names), events=count(total)), 8000
        )

    def _failed(self, paths: list[Path], error: JobError) -> None:
        self.window._on_failed(paths[0], error.message, error)

    def close(self) -> None:
        old = self.view.source
        if old is not None:
            self.interrupt()
            self.view.set_source(None)
            self._close_later(old)

    def _close_later(self, source: Any) -> None:
        # Its interrupted queries unwind on their threads; closing waits for them there.
        job = Job(lambda _control: source.close(), name="close duckdb", parent=self)
        self._closing.append(job)
        job.finished.connect(lambda: self._closing.remove(job))
        job.start()

    def wait_closed(self, ms: int = 10_000) -> bool:
        return all(job.wait(ms) for job in list(self._closing))

    # -- the views ---------------------------------------------------------------------------
    def _on_source_changed(self) -> None:
        window = self.window
        # The old source's answers on their way are stale: an event read as its file
        # closed showed in the pane (and looked for its related events in the new one).
        for kind in (self._counts, self._events, self._related, self._focus, self._placing):
            kind.supersede()
        self._shown_read = None
        open_ = self.view.source is not None
        if open_:
            self._bind_actions()
            self._swap(window.table_dock, self.table)
            timeline = sql_timeline(window)
            self._swap(window.timeline_dock, timeline)
            show_timeline(window, timeline)  # the menus act on the timeline shown
            self._swap(window.map_dock, self.map_widget())
            self.state.set_filter(FilterSpec())
        else:
            for dock in list(self._swapped):
                self._restore(dock)
            show_timeline(window, window.timeline)
        self.window.detail.show_table_event(None)
        window._update_close_actions()
        window._update_title()
        window._update_counts()

    def _bind_actions(self) -> None:
        """Edit > Copy Rows also copies the DuckDB table's selection (the window's
        actions are made after this controller)."""
        if not self._bound:
            self._bound = True
            copy = self.window.actions_by_id["edit.copy_rows"]
            copy.triggered.connect(self._copy_rows)

    def _copy_rows(self) -> None:
        if self.view.source is not None:
            self.selection.copy()

    def _on_selection(self, keys: Any) -> None:
        actions = getattr(self.window, "actions_by_id", {})
        if "edit.export_selection" in actions and self.view.source is not None:
            actions["edit.export_selection"].setEnabled(len(keys) > 0)

    def _swap(self, dock: QDockWidget, widget: QWidget) -> None:
        if dock in self._swapped:
            old = dock.widget()
            dock.setWidget(widget)
            if old is not self._swapped[dock] and old not in self._kept():
                old.deleteLater()
        else:
            self._swapped[dock] = dock.widget()
            self._swapped[dock].hide()
            dock.setWidget(widget)
        widget.show()

    def _restore(self, dock: QDockWidget) -> None:
        shown, original = dock.widget(), self._swapped.pop(dock)
        dock.setWidget(original)
        original.show()
        shown.hide()
        if shown not in self._kept():
            shown.deleteLater()

    def _kept(self) -> tuple[QWidget, ...]:
        """The DuckDB views kept while the window lives (the others are made anew)."""
        return (self.table,) if self.map is None else (self.table, self.map)

    def map_widget(self) -> MapWidget:
        """The Map dock on DuckDB (ui/map/sql_source.py), made when first needed."""
        if self.map is None:
            from timeline_app.ui.map.sql_source import duck_map

            self.map = duck_map(self.state, self.window)
        return self.map

    def _on_table_changed(self) -> None:
        if self.state.table.datasets and self.view.source is not None:
            self.close()  # a file opened into memory replaces the DuckDB dataset

    def _on_filter(self, spec: FilterSpec) -> None:
        if self.view.source is not None:
            self.view.set_filter(spec)

    def _count(self) -> None:
        source = self.view.source
        if source is None:
            return
        self.interrupt()  # the older count or page: its answer would be dropped anyway
        generation = self.view.generation
        job = self._counts.start(count_rows, source, self.view.spec, parent=self)
        job.returned.connect(lambda n, g=generation: self.view.set_count(g, n))
        job.errored.connect(self._query_failed)
        self.window._update_counts()

    def _check_focus(self) -> None:
        """A new filter's count is here: drop the focus if the filter drops its event,
        as the memory engine does (the details then empty). A histogram bar's selection
        is the timeline's to keep or drop (ui/timeline/sql_source.py recounts it); its
        focus's related events are counted again here all the same: when the bar keeps
        its count the focus changes in no way the pane would see."""
        view, key = self.view, self.view.current_key
        if view.source is None:
            return
        if view.selected > 1:
            if key is not None:  # should the bar's recount move the focus, it reads anew
                self._recount_related(key)
            return
        generation, chosen = view.generation, view.selection
        if len(chosen):  # the table's selection: the filter drops the events it hides
            job = self._focus.start(keys_kept, view.source, view.spec, chosen, parent=self)
            job.returned.connect(lambda kept, g=generation: self._selection_checked(g, kept))
        elif key is not None:
            job = self._focus.start(key_kept, view.source, view.spec, key, parent=self)
            job.returned.connect(lambda kept, g=generation, k=key: self._focus_checked(g, k, kept))

    def _selection_checked(self, generation: int, kept: np.ndarray) -> None:
        """Memory's state.select(kept): the selection keeps the events still shown (a
        wider filter later brings back none of the others), the focus if it is one of
        them, else the first of them."""
        view, key = self.view, self.view.current_key
        if generation != view.generation or view.selected > 1:
            return
        view.select_keys(kept)
        if key is not None and key in kept:
            self._place(key)
            self._recount_related(key)
        else:
            view.set_current(int(kept[0]) if len(kept) else None)

    def _focus_checked(self, generation: int, key: int, kept: bool) -> None:
        view = self.view
        same = generation == view.generation and key == view.current_key
        if not kept and same and view.selected <= 1:
            view.set_current(None)
        elif kept and same:
            self._place(key)  # the new filter's table: its row again
            self._recount_related(key)

    def _recount_related(self, key: int) -> None:
        """The focus stays under a new filter: its related events the filter hides are
        counted again (as the memory pane does at each filter)."""
        shown = self._shown_read
        if shown is not None and shown[0] == key:
            self._show_read(key, shown[1], refresh=True)

    def _place(self, key: int | None) -> None:
        """Another view focused ``key`` (the timeline, the map): find its row under the
        filter and sort in a worker (a count by keyset), for the table to show it as the
        memory table does."""
        view = self.view
        if key is None or view.source is None or key == self.table.current_key():
            self._placing.supersede()
            return
        generation, sort_keys = view.generation, list(view.sort_keys)
        job = self._placing.start(key_row, view.source, view.spec, sort_keys, key, parent=self)
        job.returned.connect(lambda row, g=generation, k=key: self._placed(g, k, row))

    def _placed(self, generation: int, key: int, row: int | None) -> None:
        if row is not None and generation == self.view.generation and key == self.view.current_key:
            self.table.show_row(row)

    def checking_focus(self) -> bool:
        return self._focus.busy() or self._placing.busy()

    def _query_failed(self, error: JobError) -> None:
        self.window.statusBar().showMessage(
            self.tr("The query failed: {error}").format(error=error.message), 10000
        )

    def interrupt(self) -> None:
        """Cancel: stop the queries running now (their answers are dropped)."""
        source = self.view.source
        if source is not None:
            self._counts.supersede()
            source.interrupt()

    def _read_event(self, key: int | None, tries: int = 0) -> None:
        source = self.view.source
        self._related.supersede()
        self._shown_read = None
        if key is None or source is None:
            self._events.supersede()
            self.window.detail.show_table_event(None)
            return
        job = self._events.start(read_event, source, key, self.view.match, parent=self)
        job.returned.connect(lambda read, k=key: self._show_read(k, read))
        job.errored.connect(lambda error: self._event_failed(key, tries, error))

    def _show_read(self, key: int, read: EventRead, tries: int = 0, refresh: bool = False) -> None:
        """The event at once, then its related events once read (two bounded queries,
        ~0.1-1 s on 10M events: the pane says it is looking meanwhile; ``refresh``: a
        new filter's, the last ones shown until they come)."""
        sections = read.sections()
        self._shown_read = (key, read)
        if tries == 0 and not refresh:
            self.window.detail.show_table_event(read.table, sections, None)
        source = self.view.source
        if read.table is None or source is None:
            return
        job = self._related.start(
            read_related_events, source, read.table, key, self.view.spec, parent=self
        )
        job.returned.connect(
            lambda related, k=key: self._show_related(k, read.table, sections, related)
        )
        job.errored.connect(lambda error: self._related_failed(key, read, tries, error, refresh))

    def _show_related(self, key: int, table, sections: list, related: RelatedRead) -> None:
        if key == self.view.current_key:
            self.window.detail.show_table_event(table, sections, related)

    def _related_failed(
        self, key: int, read: EventRead, tries: int, error: JobError, refresh: bool = False
    ) -> None:
        if "interrupt" in error.message.lower() and tries < READ_RETRIES:  # as the event's
            if key == self.view.current_key:
                self._show_read(key, read, tries + 1, refresh)
            return
        self._query_failed(error)

    def _event_failed(self, key: int, tries: int, error: JobError) -> None:
        # Killed by a new filter's count (it interrupts every query; forgetting the
        # likely-same pairs is one): read again while it is still the focus.
        if "interrupt" in error.message.lower() and tries < READ_RETRIES:
            if key == self.view.current_key:
                self._read_event(key, tries + 1)
            return
        self._query_failed(error)

    def reading_event(self) -> bool:
        return self._events.busy() or self._related.busy()

    # -- export ------------------------------------------------------------------------------
    def export_dialog(self, scope: str | None = None) -> Job | None:
        """File > Export… on DuckDB: the filtered rows (``scope`` "range": those of the
        timeline's range) in the table's order, streamed by DuckDB to CSV or Parquet,
        with the memory engine's provenance."""
        ranged = scope in ("range", "range_all") and self.state.range is not None
        selected = scope == "selected" and len(self.view.selection) > 0
        if selected:
            title = self.tr("Export the selected events")
        elif ranged:
            title = self.tr("Export the filtered events of the range")
        else:
            title = self.tr("Export the filtered events")
        path, _ = QFileDialog.getSaveFileName(
            self.window, title, "", self.tr("CSV (*.csv);;Parquet (*.parquet)")
        )
        if not path:
            return None
        if selected:  # a Shift+click's keys may still be on their way
            self.selection.when_found(lambda: self.export_to(Path(path), "selected"))
            return None
        return self.export_to(Path(path), scope if ranged else None)

    def export_to(self, out: Path, scope: str | None = None) -> Job | None:
        source = self.view.source
        if source is None:
            return None
        # The pairs found: their columns when the table shows them (the memory export
        # dialog's default), and the provenance's record of them either way.
        found = self.view.match
        shown = MATCH_COLUMN in self.state.views.table.columns
        choice = ExportChoice(  # XLSX: the worker's error says DuckDB writes CSV or Parquet
            out=out,
            fmt=format_for_path(out),
            spec=self.view.spec,
            sort_keys=list(self.view.sort_keys),
            scope=scope or "filtered",
            time_range=self.state.range if scope in ("range", "range_all") else None,
            match=found.result.rule if found is not None and shown else None,
            match_pairs=found,
        )
        keys = self.view.selection.copy() if scope == "selected" else None
        job = Job(run_export, source, choice, keys, name="export duckdb", parent=self)
        job.returned.connect(lambda n: self._exported(n, out))
        job.errored.connect(
            lambda e: show_notice(self.window, self.tr("Could not export"), e.message, error=e)
        )
        self.window.track_job(job)
        self.window.statusBar().showMessage(self.tr("Exporting to {path}…").format(path=out))
        return job.start()

    def _exported(self, rows: int, out: Path) -> None:
        text = self.tr("Exported {rows} rows to {path}").format(rows=count(rows), path=out)
        self.window.statusBar().showMessage(text, 10000)

    # -- the status bar ------------------------------------------------------------------
    def engine_text(self) -> str:
        engine = self.view.engine or ("memory" if self.state.table.datasets else "")
        return QCoreApplication.translate("Engines", ENGINE_LABELS[engine]) if engine else ""

    def count_text(self) -> str:
        shown = self.view.count
        total = count(self.view.total)
        if shown < 0:
            return self.tr("counting… of {total} events").format(total=total)
        return self.tr("{shown} of {total} events").format(shown=count(shown), total=total)
