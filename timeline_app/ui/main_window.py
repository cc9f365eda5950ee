"""The main window assembles the views around one AppState and wires the menus.

It holds no logic of its own: loading runs in ui/loader.py, state changes go
through AppState, and each view mirrors that state.
"""

from __future__ import annotations

import itertools
import weakref
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QWidget,
)

from timeline_app.formats.registry import readers
from timeline_app.model.dataset import Dataset
from timeline_app.model.spatial import missing_coordinates
from timeline_app.model.state import AppState
from timeline_app.ui.app import app_icon
from timeline_app.ui.comfort import install_comfort
from timeline_app.ui.comfort import show_about as show_about_dialog
from timeline_app.ui.detail_pane import DetailPane
from timeline_app.ui.filter_panel import FilterPanel
from timeline_app.ui.filter_worker import FilterWorker
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP
from timeline_app.ui.import_report import ImportReportDialog
from timeline_app.ui.language_menu import install_language_menu
from timeline_app.ui.load_progress import LoadProgress
from timeline_app.ui.loader import LoadJob, load_failure
from timeline_app.ui.map import MapWidget
from timeline_app.ui.match_dialog import MatchController
from timeline_app.ui.notices import show_notice
from timeline_app.ui.opening import OpenJob
from timeline_app.ui.table_view import EventTableView
from timeline_app.ui.theme_menu import install_theme_menu
from timeline_app.ui.timeline import TimelineWidget
from timeline_app.ui.trends import install_trends
from timeline_app.ui.undo_controller import UndoController
from timeline_app.ui.window_fit import install_window_fit
from timeline_app.ui.window_memory import MAX_RECENT
from timeline_app.ui.workers import Job, JobError
from timeline_app.ui.workspace_controller import WorkspaceController

APP_NAME = "Incident Timeline Explorer"
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
        self.state = state or AppState()
        self.settings = QSettings("timeline-app", "timeline-app")
        self._loads: list[Job] = []
        # Files opened together load in parallel and finish in any order; each takes
        # its place by when it was asked for (id(dataset) -> the open's number), so the
        # datasets (table ties, lanes, legend, filter list) are in the same order on
        # every start.
        self._open_number = itertools.count()
        self._opened_as: dict[int, int] = {}
        self._reports: list[ImportReportDialog] = []
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )

        self.timeline = TimelineWidget(self.state, self)
        self.timeline.setObjectName("timeline")
        self.setCentralWidget(self.timeline)
        self.table_view = EventTableView(self.state, self)
        self.detail = DetailPane(self.state, self)
        self.filter_panel = FilterPanel(self.state, self)
        # Slow filters (the state decides which) are computed on a worker.
        self.filter_worker = FilterWorker(self.state, self)
        self.filter_worker.busy_changed.connect(self.filter_panel.show_busy)
        self.table_dock = self._dock(
            "events", self.tr("Events"), self.table_view, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.filter_dock = self._dock(
            "filters", self.tr("Filters"), self.filter_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.detail_dock = self._dock(
            "details", self.tr("Details"), self.detail, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.map = MapWidget(self.state, self)  # beside the timeline (ui/comfort.reset_layout)
        self.map_dock = self._dock(
            "map", self.tr("Map"), self.map, Qt.DockWidgetArea.TopDockWidgetArea
        )
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks(
            [self.filter_dock, self.detail_dock], [260, 340], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.table_dock], [380], Qt.Orientation.Vertical)

        self._build_status_bar()
        self._build_menus()
        self.state.table_changed.connect(self._update_title)
        self.state.rows_changed.connect(self._update_counts)
        self.state.selection_changed.connect(lambda _rows: self._update_counts())
        self._update_title()
        self._update_counts()
        # Undo/redo, workspaces, then docks/shortcuts/accessibility over all the menus.
        self.undo = UndoController(self)
        self.workspaces = WorkspaceController(self)
        self.matching = MatchController(self)  # Tools: likely-same events, actor aliases
        install_trends(self)  # the Trends dock, Tools > Compare Before and After…
        install_theme_menu(self)  # View > Theme: System, Light, Dark
        install_language_menu(self)  # View > Language: System, English, Français
        install_comfort(self)
        install_window_fit(self)  # small windows: side docks give way to the middle

    # -- construction ----------------------------------------------------------------
    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{key}Dock")  # saved layouts name docks by key, whatever the language
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

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
        # The timeline's selected range: "from – to: N events, F fatalities".
        self.range_label = QLabel(self)
        self.range_label.setObjectName("rangeSummary")
        self.timeline.range_summary.connect(self.range_label.setText)
        bar.insertPermanentWidget(0, self.range_label)

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.action_open = self._action(
            self.file_menu, self.tr("&Open…"), self.open_dialog, QKeySequence.StandardKey.Open
        )
        self.action_open_as = self._action(
            self.file_menu, self.tr("Open &As…"), self.open_as_dialog, QKeySequence("Ctrl+Alt+O")
        )
        self.recent_menu = self.file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.close_menu = self.file_menu.addMenu(self.tr("&Close File"))
        self.close_menu.aboutToShow.connect(self._fill_close_menu)
        self.action_close_all = self._action(
            self.file_menu,
            self.tr("Close A&ll Files"),
            self.close_all_files,
            QKeySequence("Ctrl+Shift+W"),
        )
        self.state.table_changed.connect(self._update_close_actions)
        self._update_close_actions()
        # The map's own (ui/map): a user's boundaries, and the map as an image.
        self.action_open_boundaries = self._action(
            self.file_menu, self.tr("Open &Boundaries…"), self.map.open_boundaries_dialog
        )
        self.file_menu.addSeparator()
        self.export_separator = self.file_menu.addSeparator()
        # Export (ui/export_dialog.py): inserted above the separator, Ctrl+E.
        self.action_export = QAction(self.tr("&Export…"), self)
        self.action_export.setShortcut(QKeySequence("Ctrl+E"))
        self.action_export.triggered.connect(lambda: self.show_export_dialog())
        self.file_menu.insertAction(self.export_separator, self.action_export)
        self.action_export_map = QAction(self.tr("Export &Map Image…"), self)
        self.action_export_map.triggered.connect(self.map.export_dialog)
        self.file_menu.insertAction(self.export_separator, self.action_export_map)
        range_export = getattr(self.timeline, "export_range_requested", None)
        if range_export is not None:  # the timeline's "Export range…"
            range_export.connect(lambda _range: self.show_export_dialog("range"))
        self._action(self.file_menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.action_copy_event = self._action(
            self.edit_menu,
            self.tr("&Copy Event"),
            self.detail.copy_event,
            QKeySequence("Ctrl+Shift+C"),
        )
        self.action_clear_selection = self._action(
            self.edit_menu,
            self.tr("Clear &Selection"),
            self.state.clear_selection,
            QKeySequence("Esc"),
        )
        self.action_export_selection = self._action(
            self.edit_menu,
            self.tr("&Export Selection…"),
            lambda: self.show_export_dialog("selected"),
            QKeySequence("Ctrl+Alt+S"),
        )
        self.action_export_selection.setEnabled(False)
        self.state.selection_changed.connect(
            lambda rows: self.action_export_selection.setEnabled(len(rows) > 0)
        )
        # Issue 4 wiring: copy the selected table rows as TSV (the table also takes Ctrl+C).
        self.action_copy_rows = self._action(
            self.edit_menu,
            self.tr("&Copy Rows"),
            self.table_view.copy_selection,
            QKeySequence.StandardKey.Copy,
        )
        # Right-click on the table offers what Edit offers for the selected rows.
        self.table_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table_view.addActions(
            [
                self.action_copy_rows,
                self.action_copy_event,
                self.action_export_selection,
                self.action_clear_selection,
            ]
        )
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        for dock in (self.table_dock, self.filter_dock, self.detail_dock, self.map_dock):
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self._action(self.view_menu, self.tr("Last &Import Report…"), self.show_last_report)
        self._action(  # issue 4
            self.view_menu,
            self.tr("&Frequencies"),
            self.show_frequencies,
            QKeySequence("Ctrl+Shift+F"),
        )
        # Timeline: View > zoom/lanes/range actions, File > Export Timeline Image….
        self.timeline.install_menu_actions(self.view_menu, self.file_menu, self.export_separator)
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.action_about = self._action(self.help_menu, self.tr("&About"), self.show_about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- loading ------------------------------------------------------------------------
    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open event files"), "", self.tr(OPEN_FILTER)
        )
        for path in paths:
            self.open_any(Path(path))

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
        job = OpenJob(path, format, options, ask_mapping=ask_mapping, parent=self)
        job.setProperty("openNumber", next(self._open_number))
        job.progress.connect(lambda f, j=job: self.load_progress.report(j, f))
        job.yielded.connect(lambda ds, j=job: self._on_loaded(ds, report, j))
        job.errored.connect(lambda e, p=path: self._on_failed(p, load_failure(p, e), e))
        job.cancelled.connect(
            lambda: self.statusBar().showMessage(
                self.tr("Loading {name} cancelled").format(name=path.name), 5000
            )
        )
        job.finished.connect(lambda j=job: self._on_finished(j))
        self._loads.append(job)
        self.load_progress.start(job)
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(self.tr("Loading {name}…").format(name=path.name))
        job.start()
        return job

    def open_as_dialog(self) -> None:
        """Open a file with a reader the user picks, overriding the sniffed one."""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open event file as…"), "", self.tr(OPEN_FILTER)
        )
        if not path:
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
        super().closeEvent(event)

    def _on_loaded(
        self, dataset: Dataset, report: bool, job: LoadJob | OpenJob | None = None
    ) -> None:
        self.state.add_dataset(dataset, self._place_for(dataset, job))
        if job is not None:  # once the events are painted (the queued paints come first)
            QTimer.singleShot(0, job.mark_shown)
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

    def _place_for(self, dataset: Dataset, job: LoadJob | OpenJob | None) -> int | None:
        """Where a loaded dataset goes among the open ones: before those opened after it
        that finished first (None: last)."""
        number = job.property("openNumber") if job is not None else None
        if number is None:
            return None
        open_now = self.state.table.datasets
        still = {id(d) for d in open_now}
        self._opened_as = {k: v for k, v in self._opened_as.items() if k in still}
        self._opened_as[id(dataset)] = int(number)
        later = (i for i, d in enumerate(open_now) if self._opened_as.get(id(d), -1) > number)
        return next(later, None)

    def _on_failed(self, path: Path, message: str, error: JobError | None = None) -> None:
        # A refusal says what was found in the file (size, contents, readers' scores).
        found = getattr(error.exception, "details", "") if error is not None else ""
        show_notice(
            self, self.tr("Could not open file"), message, details=found or str(path), error=error
        )

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
        if getattr(self, "frequency_dock", None) is None:
            from timeline_app.ui.frequency_view import FrequencyView

            self.frequency_view = FrequencyView(self.state, self)
            self.frequency_dock = self._dock(
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
        if dataset is None or not any(d is dataset for d in self.state.table.datasets):
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

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(Path(p)))
        if not self.recent_files():
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)

    # -- closing files ------------------------------------------------------------------------
    def close_file(self, name: str) -> None:
        """Close one open file: its events leave the table, the timeline and the filters."""
        self.state.remove_dataset(name)
        self.statusBar().showMessage(self.tr("Closed {name}").format(name=name), 5000)

    def close_all_files(self) -> None:
        self.state.set_datasets([])
        self.statusBar().showMessage(self.tr("Closed all files"), 5000)

    def _fill_close_menu(self) -> None:
        self.close_menu.clear()
        for dataset in self.state.table.datasets:
            label = self.tr("{name}  ({events} events)")
            action = self.close_menu.addAction(
                label.format(name=dataset.name, events=count(len(dataset)))
            )
            action.triggered.connect(lambda _=False, n=dataset.name: self.close_file(n))
        if not self.state.table.datasets:
            self.close_menu.addAction(self.tr("(none open)")).setEnabled(False)

    def _update_close_actions(self) -> None:
        has_files = bool(self.state.table.datasets)
        self.close_menu.setEnabled(has_files)
        self.action_close_all.setEnabled(has_files)

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
            self.open_file(path)

    # -- title and counts -------------------------------------------------------------------------
    def _update_title(self) -> None:
        names = ", ".join(d.name for d in self.state.table.datasets) or self.tr("no file open")
        title = self.tr("{app} — {names} — {events} events")
        self.setWindowTitle(
            title.format(app=APP_NAME, names=names, events=count(len(self.state.table)))
        )

    def _update_counts(self) -> None:
        text = self.tr("{shown} of {total} events").format(
            shown=count(len(self.state.visible)), total=count(len(self.state.table))
        )
        if len(self.state.selection):  # the status bar mirrors the shared selection too
            text += self.tr(", {selected} selected").format(
                selected=count(len(self.state.selection))
            )
        unlocated = missing_coordinates(self.state.table, self.state.spec)
        if unlocated:  # a spatial filter never keeps an event without coordinates
            text += self.tr("; {unlocated} without coordinates left out by the map filter").format(
                unlocated=count(unlocated)
            )
        self.count_label.setText(text)
        # the count is never squeezed ("12,106 of 12,106 event:"); the range label gives way
        self.count_label.setMinimumWidth(self.count_label.sizeHint().width())

    def show_about(self) -> None:
        # Version, libraries, and every dataset's licence and citation (ui/comfort.py).
        show_about_dialog(self)
