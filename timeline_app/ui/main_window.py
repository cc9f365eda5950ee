"""The main window assembles the views around one AppState and wires the menus.

It holds no logic of its own: loading runs in ui/loader.py, state changes go
through AppState, and each view mirrors that state.
"""

from __future__ import annotations

import itertools
import weakref
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QWidget,
)

from timeline_app.formats.registry import readers
from timeline_app.model.dataset import Dataset
from timeline_app.model.spatial import missing_coordinates
from timeline_app.model.state import AppState
from timeline_app.storage.engine_choice import NotParquetError
from timeline_app.ui import log_folder, theme_menu
from timeline_app.ui.about import APP_NAME
from timeline_app.ui.about import show_about as show_about_dialog
from timeline_app.ui.accessibility import set_accessibility
from timeline_app.ui.app import app_icon
from timeline_app.ui.detail_pane import DetailPane
from timeline_app.ui.docks import DockLayout, empty_middle, make_dock, reset_layout
from timeline_app.ui.filter_panel import FilterPanel
from timeline_app.ui.filter_worker import FilterWorker
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP
from timeline_app.ui.import_report import ImportReportDialog
from timeline_app.ui.language_menu import LanguageChoice
from timeline_app.ui.load_progress import LoadProgress
from timeline_app.ui.loader import LoadJob, load_failure
from timeline_app.ui.map import MapWidget
from timeline_app.ui.match_dialog import MatchController
from timeline_app.ui.menus import build_menu_bar
from timeline_app.ui.notices import show_notice
from timeline_app.ui.opening import OpenJob
from timeline_app.ui.save_parquet import ParquetSaver
from timeline_app.ui.shortcuts import ShortcutsDialog, show_shortcuts
from timeline_app.ui.source_controller import SourceController, ask_engine
from timeline_app.ui.table_view import EventTableView
from timeline_app.ui.timeline import TimelineWidget
from timeline_app.ui.timeline_menu import show_timeline
from timeline_app.ui.trends import TrendsController, TrendsWidget
from timeline_app.ui.undo_controller import UndoController
from timeline_app.ui.window_fit import install_window_fit
from timeline_app.ui.window_memory import MAX_RECENT
from timeline_app.ui.workers import Job, JobError, install_memory_releases
from timeline_app.ui.workspace_controller import WorkspaceController

#: What the Frequencies table needs for a name and its four numbers.
FREQUENCY_DOCK_WIDTH = 430
OPEN_FILTER = QT_TRANSLATE_NOOP(
    "MainWindow",
    "Event tables (*.csv *.tsv *.txt *.xlsx *.parquet *.json *.geojson);;"
    "CSV (*.csv *.tsv *.txt);;Excel (*.xlsx);;Parquet (*.parquet);;"
    "GeoJSON (*.geojson *.json);;All files (*)",
)


class MainWindow(QMainWindow):
    def __init__(self, state: AppState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install_memory_releases()  # a worker's freed Arrow memory goes back via this thread
        self.state = state or AppState()
        self.settings = QSettings("timeline-app", "timeline-app")
        self._loads: list[Job] = []
        # Files opened together load in parallel and finish in any order; each takes its
        # place by when it was asked for (id(dataset) -> the open's number), so the datasets
        # (table ties, lanes, legend, filter list) are in the same order on every start.
        self._open_number = itertools.count()
        self._opened_as: dict[int, int] = {}
        self._reports: list[ImportReportDialog] = []
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )

        # The views, each in a dock (ui/docks.py: where each starts, Reset Layout).
        self.timeline = TimelineWidget(self.state, self)
        self.timeline.setObjectName("timeline")
        self.table_view = EventTableView(self.state, self)
        self.detail = DetailPane(self.state, self)
        self.filter_panel = FilterPanel(self.state, self)
        # Slow filters (the state decides which) are computed on a worker.
        self.filter_worker = FilterWorker(self.state, self)
        self.filter_worker.busy_changed.connect(self.filter_panel.show_busy)
        self.map = MapWidget(self.state, self)
        self.trends = TrendsWidget(self.state, self)
        self.trends.setObjectName("trends")
        self.frequency_dock: QDockWidget | None = None  # made when first asked for
        area = Qt.DockWidgetArea
        self.table_dock = make_dock(
            self, "events", self.tr("Events"), self.table_view, area.BottomDockWidgetArea
        )
        self.filter_dock = make_dock(
            self, "filters", self.tr("Filters"), self.filter_panel, area.LeftDockWidgetArea
        )
        self.detail_dock = make_dock(
            self, "details", self.tr("Details"), self.detail, area.RightDockWidgetArea
        )
        self.timeline_dock = make_dock(
            self, "timeline", self.tr("Timeline"), self.timeline, area.TopDockWidgetArea
        )
        self.map_dock = make_dock(self, "map", self.tr("Map"), self.map, area.TopDockWidgetArea)
        self.trends_dock = make_dock(
            self, "trends", self.tr("Trends"), self.trends, area.BottomDockWidgetArea
        )
        self.trends.follow_visibility(self.trends_dock)  # a tab out of sight counts nothing
        empty_middle(self)
        self._build_status_bar()
        # A dataset DuckDB answers (Parquet bigger than memory): ui/source_controller.py.
        self.sources = SourceController(self)

        # The parts that own actions, then the menus from the table of actions.
        self.undo = UndoController(self)
        self.workspaces = WorkspaceController(self)
        self.matching = MatchController(self)  # Tools: likely-same events, actor aliases
        self.comparing = TrendsController(self)  # Tools > Compare Before and After…
        self.languages = LanguageChoice(self)  # View > Language: System, English, Français
        self.layout_docks = DockLayout(self, restored=lambda: self.workspaces.layout_restored)
        self.parquet = ParquetSaver(self)  # File > Save as Parquet Dataset…
        self.actions_by_id = build_menu_bar(self, self._parts(), self.timeline.actions_by_id)
        for part in (self.undo, self.workspaces, self.matching, self.languages, self.parquet):
            part.bind_actions(self.actions_by_id)
        theme_menu.bind_actions(self.actions_by_id)  # and applies the saved theme
        self._bind_actions()

        show_timeline(self, self.timeline)  # its comparison and range export
        self.state.table_changed.connect(self._update_title)
        self.state.rows_changed.connect(self._update_counts)
        self.state.selection_changed.connect(lambda _rows: self._update_counts())
        self._update_title()
        self._update_counts()
        set_accessibility(self)
        reset_layout(self)
        install_window_fit(self)  # small windows: side docks give way to the middle

    # -- construction ----------------------------------------------------------------
    def _parts(self) -> dict[str, object]:
        """What the handlers of ui/actions.py name ("part.method")."""
        return {
            "window": self,
            "state": self.state,
            "table": self.table_view,
            "timeline": self.timeline,
            "map": self.map,
            "detail": self.detail,
            "undo": self.undo,
            "workspaces": self.workspaces,
            "matching": self.matching,
            "trends": self.comparing,
            "theme": theme_menu,
            "language": self.languages,
            "layout": self.layout_docks,
            "logs": log_folder,
            "parquet": self.parquet,
        }

    def _bind_actions(self) -> None:
        """Keep the window's own actions' enabled state in step with the app state."""
        export_selection = self.actions_by_id["edit.export_selection"]
        export_selection.setEnabled(False)
        self.state.selection_changed.connect(
            lambda rows: export_selection.setEnabled(len(rows) > 0)
        )
        self.state.table_changed.connect(self._update_close_actions)
        self._update_close_actions()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("eventCount")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setAccessibleName(self.tr("Loading progress"))
        self.progress.hide()
        self.load_progress = LoadProgress(self.progress)  # never 100% before the end
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel loading"))
        self.cancel_button.clicked.connect(self.cancel_loads)
        self.cancel_button.hide()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.count_label)
        self.engine_label = QLabel(self)  # "Engine: DuckDB" / "Engine: memory"
        self.engine_label.setObjectName("engineName")
        bar.addPermanentWidget(self.engine_label)
        # The timeline's selected range: "from – to: N events, F fatalities".
        self.range_label = QLabel(self)
        self.range_label.setObjectName("rangeSummary")
        self.timeline.range_summary.connect(self.range_label.setText)
        bar.insertPermanentWidget(0, self.range_label)

    # -- loading ------------------------------------------------------------------------
    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open event files"), "", self.tr(OPEN_FILTER)
        )
        for path in paths:
            self.open_any(Path(path))

    def open_paths(self, paths: list[Path], engine: str | None = None) -> None:
        """Open files on the engine ``engine`` (default: the window's ``--engine``) picks
        for them: Parquet on DuckDB together, anything else into memory one by one."""
        try:
            chosen = self.sources.engine_for(paths, engine)
        except NotParquetError as err:
            self._on_failed(paths[0], str(err))
            return
        if chosen == "duckdb":
            self.sources.open(paths)
            return
        for path in paths:
            self.open_file(path)

    def open_file(
        self,
        path: Path,
        format: str | None = None,
        options: dict | None = None,
        report: bool = True,
        ask_mapping: bool = False,
    ) -> OpenJob:
        """Open a file in the background; the table is only touched once it has loaded.

        The file is read only on worker threads (ui/opening.py): its head first, to pick
        the reader; a table no reader recognises (and no saved mapping fits) then goes
        through the column-mapping dialog, on that preview; cancelling it loads nothing.
        """
        path = Path(path)
        job = OpenJob(
            path,
            format,
            options,
            ask_mapping=ask_mapping,
            parent=self,
            prepare=self.state.prepare_open,  # the new table made on the worker
        )
        job.setProperty("openNumber", next(self._open_number))
        job.progress.connect(lambda f, j=job: self.load_progress.report(j, f))
        job.yielded.connect(lambda ds, j=job: self._on_loaded(ds, report, j))
        job.errored.connect(lambda e, p=path: self._on_failed(p, load_failure(p, e), e))
        job.cancelled.connect(lambda: self._on_cancelled(path))
        job.finished.connect(lambda j=job: self._on_finished(j))
        self._loads.append(job)
        self.load_progress.start(job)
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(self.tr("Loading {name}…").format(name=path.name))
        job.start()
        return job

    def open_as_dialog(self) -> None:
        """Open a file (or a folder of Parquet files) on the engine the user picks, and
        into memory with a reader the user picks, overriding the sniffed one."""
        engine = ask_engine(self)
        if engine is None:
            return
        if engine == "duckdb-folder":
            folder = QFileDialog.getExistingDirectory(self, self.tr("Open a Parquet dataset"))
            if folder:
                self.open_paths([Path(folder)], "duckdb")
            return
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open event file as…"), "", self.tr(OPEN_FILTER)
        )
        if not path:
            return
        try:
            chosen = self.sources.engine_for([Path(path)], engine)
        except NotParquetError as err:
            self._on_failed(Path(path), str(err))
            return
        if chosen == "duckdb":
            self.sources.open([Path(path)])
            return
        choices = {f"{r.label} ({name})": name for name, r in sorted(readers().items())}
        labels = list(choices)
        current = next((i for i, k in enumerate(labels) if choices[k] == "table"), 0)
        label, ok = QInputDialog.getItem(
            self, self.tr("Open as"), self.tr("Read the file as:"), labels, current, editable=False
        )
        if not ok:
            return
        name = choices[label]
        self.open_file(Path(path), name, ask_mapping=name == "table")

    def add_dataset(self, dataset: Dataset) -> None:
        """Add a dataset loaded elsewhere (command line, screenshots, tests)."""
        self.state.add_dataset(dataset)

    def cancel_loads(self) -> None:
        for job in self._loads:
            job.cancel()

    def closeEvent(self, event) -> None:
        # A loading thread must not outlive the window that owns it.
        self.cancel_loads()
        for job in list(self._loads):
            job.wait(10_000)
        self.sources.close()
        self.sources.wait_closed()
        super().closeEvent(event)
        if event.isAccepted():
            # The state's listeners are this window's views. psygnal keeps each view group
            # (state.views.*.events) in a class-level map while it lives: a callback left
            # there would keep the closed window (and the state) alive for good.
            self.state.disconnect_all()

    def _on_loaded(
        self, dataset: Dataset, report: bool, job: LoadJob | OpenJob | None = None
    ) -> None:
        # The views take the new table in this turn and paint it in later ones, one view a
        # turn (tens of ms each at 1M events; Qt paints a window's dirty widgets in one
        # pass), the window handling input between them; a 1 ms timer (a 0 ms single shot
        # runs with the paints, in the same turn). The filters' threads wait for them.
        views = self._event_views()
        for view in views:
            view.setUpdatesEnabled(False)
        self.filter_panel.hold_background(True)
        try:
            self.state.add_dataset(dataset, self._place_for(dataset, job))
        finally:
            QTimer.singleShot(1, self, lambda: self._show_loaded(views, job))
        self._remember_recent(dataset.path)
        self.last_loaded = dataset
        r = dataset.report
        text = self.tr("Loaded {name}: {events} events").format(
            name=dataset.name, events=count(r.events)
        )
        if r.rows_rejected:
            text += self.tr(", {rejected} rows rejected").format(rejected=count(r.rows_rejected))
        self.statusBar().showMessage(text, 8000)
        if report:
            self.show_report(dataset)

    def _on_cancelled(self, path: Path) -> None:
        self.state.prepared.clear()  # a table made for the file is not kept
        self.statusBar().showMessage(
            self.tr("Loading {name} cancelled").format(name=path.name), 5000
        )

    def _event_views(self) -> list[QWidget]:
        return [self.timeline, self.table_view, self.map, self.trends]

    def _show_loaded(self, views: list[QWidget], job: LoadJob | OpenJob | None) -> None:
        views[0].setUpdatesEnabled(True)  # and repainted, with the new events
        if len(views) > 1:
            QTimer.singleShot(1, self, lambda: self._show_loaded(views[1:], job))
            return
        # Once the events are painted (the queued paints come first), the work after.
        QTimer.singleShot(0, self, lambda: self.filter_panel.hold_background(False))
        if job is not None:
            QTimer.singleShot(0, job.mark_shown)

    def _place_for(self, dataset: Dataset, job: LoadJob | OpenJob | None) -> int | None:
        """Where a loaded dataset goes among the open ones: before those opened after it
        that finished first (None: last)."""
        number = job.property("openNumber") if job is not None else None
        if number is None:
            return None
        open_now = self.state.table.datasets
        still = {id(d) for d in open_now}
        self._opened_as = {k: v for k, v in self._opened_as.items() if k in still}
        self._opened_as.update((id(d), int(number)) for d in dataset.opened)  # its sources
        later = (i for i, d in enumerate(open_now) if self._opened_as.get(id(d), -1) > number)
        return next(later, None)

    def _on_failed(self, path: Path, message: str, error: JobError | None = None) -> None:
        # A refusal says what was found in the file (size, contents, readers' scores).
        found = getattr(error.exception, "details", "") if error is not None else ""
        show_notice(
            self, self.tr("Could not open file"), message, details=found or str(path), error=error
        )

    def is_loading(self) -> bool:
        """Whether files (or a workspace's steps) are loading in this window."""
        return bool(self._loads)

    def track_job(self, job: Job) -> None:
        """Another part's background work (a workspace's steps) in the status bar: its
        progress, and the Cancel button stops it too. Call before ``job.start()``."""
        job.progress.connect(lambda f: self.progress.setValue(int(f * 1000)))
        job.finished.connect(lambda j=job: self._on_finished(j))
        self._loads.append(job)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()

    def _on_finished(self, job: Job) -> None:
        self.load_progress.finish(job)
        if job in self._loads:
            self._loads.remove(job)
        if not self._loads:
            self.progress.hide()
            self.cancel_button.hide()

    def show_report(self, dataset: Dataset) -> ImportReportDialog:
        dialog = ImportReportDialog(dataset, self)
        self._reports.append(dialog)
        dialog.show()
        return dialog

    def show_export_dialog(self, scope: str | None = None):
        """File > Export… (also for the range and selection menus: scope "range",
        "range_all" or "selected")."""
        if self.state.source_view.source is not None:
            return self.sources.export_dialog(scope)  # DuckDB: its rows, by COPY
        from timeline_app.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.state, self, scope=scope)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(
            lambda n, path: self.statusBar().showMessage(
                self.tr("Exported {rows} rows to {path}").format(rows=count(n), path=path), 10000
            )
        )
        dialog.open()
        return dialog

    def show_frequencies(self) -> QDockWidget:
        """Counts by actor, place or type of the filtered rows, in a dock (made once)."""
        if self.frequency_dock is None:
            from timeline_app.ui.frequency_view import FrequencyView

            self.frequency_view = FrequencyView(self.state, self)
            self.frequency_dock = make_dock(
                self,
                "frequencies",
                self.tr("Frequencies"),
                self.frequency_view,
                Qt.DockWidgetArea.RightDockWidgetArea,
            )
            self._place_below_details(self.frequency_dock)
        self.frequency_dock.show()
        self.frequency_dock.raise_()
        return self.frequency_dock

    def _place_below_details(self, dock: QDockWidget) -> None:
        """Under the Details pane, sharing its height (a dock added to the right area
        was given a sliver: three rows)."""
        details = self.detail_dock
        if details.isHidden() or details.isFloating():
            return
        self.splitDockWidget(details, dock, Qt.Orientation.Vertical)
        height = max(details.height(), 200)
        self.resizeDocks([details, dock], [height // 2, height // 2], Qt.Orientation.Vertical)
        # Wide enough for its five columns, within a third of the window.
        wanted = min(FREQUENCY_DOCK_WIDTH, self.width() // 3)
        if details.width() < wanted:
            self.resizeDocks([details], [wanted], Qt.Orientation.Horizontal)

    @property
    def last_loaded(self) -> Dataset | None:
        """The dataset opened last, while it is still open. Held weakly: a closed or
        replaced file's events must not stay in memory for the sake of its report."""
        ref = getattr(self, "_last_loaded", None)
        dataset = ref() if ref is not None else None
        if dataset is None or not any(d is dataset.opened[0] for d in self.state.table.datasets):
            return None
        return dataset

    @last_loaded.setter
    def last_loaded(self, dataset: Dataset | None) -> None:
        self._last_loaded = weakref.ref(dataset) if dataset is not None else None

    def show_last_report(self) -> None:
        dataset = self.last_loaded or (self.state.table.datasets or [None])[-1]
        if dataset is not None:
            self.show_report(dataset)

    # -- recent files ---------------------------------------------------------------------
    def _remember_recent(self, path: Path | None) -> None:
        if path is None:
            return
        recent = [str(Path(path).resolve())] + [
            p for p in self.recent_files() if p != str(Path(path).resolve())
        ]
        self.settings.setValue("recentFiles", recent[:MAX_RECENT])

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        return [value] if isinstance(value, str) else list(value or [])

    def fill_recent_menu(self, menu: QMenu) -> None:
        """File > Open Recent, filled each time it opens."""
        menu.clear()
        for path in self.recent_files():
            action = menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(Path(p)))
        if not self.recent_files():
            menu.addAction(self.tr("(none)")).setEnabled(False)

    # -- closing files ------------------------------------------------------------------------
    def close_file(self, name: str) -> None:
        """Close one open file: its events leave the table, the timeline and the filters."""
        self.state.remove_dataset(name)
        self.statusBar().showMessage(self.tr("Closed {name}").format(name=name), 5000)

    def close_all_files(self) -> None:
        self.sources.close()
        self.state.set_datasets([])
        self.statusBar().showMessage(self.tr("Closed all files"), 5000)

    def fill_close_menu(self, menu: QMenu) -> None:
        """File > Close File: one entry per open file."""
        menu.clear()
        for dataset in self.state.table.datasets:
            label = self.tr("{name}  ({events} events)")
            action = menu.addAction(label.format(name=dataset.name, events=count(len(dataset))))
            action.triggered.connect(lambda _=False, n=dataset.name: self.close_file(n))
        source = self.state.source_view.source
        if source is not None:
            label = self.tr("{name}  (DuckDB)").format(name=", ".join(source.names))
            menu.addAction(label).triggered.connect(lambda _=False: self.sources.close())
        elif not self.state.table.datasets:
            menu.addAction(self.tr("(none open)")).setEnabled(False)

    def _update_close_actions(self) -> None:
        has_files = bool(self.state.table.datasets) or self.state.source_view.source is not None
        self.actions_by_id["file.close"].setEnabled(has_files)
        self.actions_by_id["file.close_all"].setEnabled(has_files)

    # -- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.open_any(Path(url.toLocalFile()))

    def open_any(self, path: Path) -> None:
        """An event file, or a workspace (``*.tlx.json``: its files, filters and view)."""
        if path.name.lower().endswith(".tlx.json"):
            self.workspaces.open_path(path)
        else:
            self.open_paths([path])

    # -- title and counts -------------------------------------------------------------------------
    def _update_title(self) -> None:
        source = self.state.source_view
        names = ", ".join(source.source.names if source.source else [])
        names = names or ", ".join(d.name for d in self.state.table.datasets)
        total = source.total if source.source else len(self.state.table)
        title = self.tr("{app} — {names} — {events} events")
        self.setWindowTitle(
            title.format(app=APP_NAME, names=names or self.tr("no file open"), events=count(total))
        )

    def _selected_text(self, n: int) -> str:  # the status bar mirrors the selection too
        if n == 1:  # French says "1 sélectionné", "2 sélectionnés"
            return self.tr(", 1 selected")
        return self.tr(", {selected} selected").format(selected=count(n)) if n else ""

    def _update_counts(self) -> None:
        self.engine_label.setText(self.sources.engine_text())
        view = self.state.source_view
        if view.source is not None:
            text = self.sources.count_text()
            self.count_label.setText(text + self._selected_text(view.events_selected))
            self.count_label.setMinimumWidth(self.count_label.sizeHint().width())
            return
        text = self.tr("{shown} of {total} events").format(
            shown=count(len(self.state.visible)), total=count(len(self.state.table))
        )
        text += self._selected_text(len(self.state.selection))
        unlocated = missing_coordinates(self.state.table, self.state.spec)
        if unlocated:  # a spatial filter never keeps an event without coordinates
            text += self.tr("; {unlocated} without coordinates left out by the map filter").format(
                unlocated=count(unlocated)
            )
        self.count_label.setText(text)
        # the count is never squeezed ("12,106 of 12,106 event:"); the range label gives way
        self.count_label.setMinimumWidth(self.count_label.sizeHint().width())

    def show_about(self) -> QDialog:
        """Version, libraries, and every dataset's licence and citation (ui/about.py)."""
        return show_about_dialog(self)

    def show_shortcuts(self) -> ShortcutsDialog:
        return show_shortcuts(self)
