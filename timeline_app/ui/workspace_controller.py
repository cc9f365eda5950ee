"""File > Save/Open Workspace and File > Recent Workspaces, for one main window.

Opening a workspace: read the .tlx.json, check every file (exists? same SHA-256?) off
the UI thread, ask the user about each missing or changed file ("Locate…", "Open
anyway", "Cancel"), load the files off the UI thread with progress and Cancel, then
put it into the app state: datasets, filter, sort, range, selection, and every view's
state (table columns, lanes, visible range, dock layout...); the views follow the
state. Anything that could not be restored is said, in a non-blocking notice with the
details on demand: a workspace never fails silently.

The file question is ui/workspace_files.py; what is remembered between sessions (recent
workspaces, reopen-last, window geometry) ui/window_memory.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from timeline_app.formats.registry import LoadCancelled, load
from timeline_app.model.dataset import file_sha256
from timeline_app.model.file_sources import by_file
from timeline_app.model.matching import MatchResult, MatchRule
from timeline_app.model.workspace import (
    CHANGED,
    DUCKDB,
    MISSING,
    SUFFIX,
    FileCheck,
    OpenedWorkspace,
    Workspace,
    WorkspaceError,
    capture,
    load_workspace,
    open_workspace,
    rows_of_keys,
    save_workspace,
)
from timeline_app.model.workspace_entries import parquet_fingerprint
from timeline_app.model.workspace_source import capture_source
from timeline_app.paths import DATA_DIR
from timeline_app.ui import window_memory, workspace_files
from timeline_app.ui.dock_layout import DockLayoutSync
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP, error_message
from timeline_app.ui.match_dialog import match_job
from timeline_app.ui.notices import show_notice
from timeline_app.ui.undo_controller import after_pending_timers
from timeline_app.ui.workers import Job, JobError
from timeline_app.ui.workspace_duck import DuckWorkspaces

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

WORKSPACE_FILTER = QT_TRANSLATE_NOOP("WorkspaceController", "Workspaces (*{suffix});;All files (*)")
#: Files to hash on save larger than this (together) are hashed on a worker thread.
HASH_ON_WORKER_BYTES = 64 * 1024 * 1024


# -- background work -----------------------------------------------------------------------
def _workspace_job(fn: Callable[..., Any], parent: QObject) -> Job:
    """A workspace step, ``fn(progress, cancelled)``, as a worker job (not started)."""
    return Job(
        lambda control: fn(control.progress, control.cancelled), name="workspace", parent=parent
    )


def _failure(error: JobError) -> str:
    if isinstance(error.exception, WorkspaceError):
        return error_message(error.exception)
    return f"unexpected error: {error.message}"


class WorkspaceController(QObject):
    """Save and open workspaces for one main window; remembers recent ones and the
    window's geometry and dock layout."""

    opened = Signal(object)  # OpenedWorkspace, once the view is restored
    open_failed = Signal(str)  # one-line reason (also shown to the user)
    saved = Signal(object)  # Path

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.docks = DockLayoutSync(window, self.state)
        self.path: Path | None = None
        self.title = ""  # the open workspace's own line about itself
        self.busy = False
        #: Save geometry and docks on close: only for a session that restored them (the
        #: GUI), never for screenshots, benchmarks or tests that did not ask.
        self.remember_window = False
        self._task: Job | None = None
        self._background = True  # whether the workspace being opened uses the workers
        #: A reopened workspace's likely-same search, running on the worker.
        self.match_job: Job | None = None
        #: the last session's window and docks were put back (no default layout on show)
        self.layout_restored = False
        #: The open DuckDB dataset's files' SHA-256, by resolved path (hashed once).
        self._source_hashes: dict[str, str] = {}
        self.on_duckdb = DuckWorkspaces(self)  # a DuckDB workspace's opening
        self.state.source_view.source_changed.connect(lambda: self._source_hashes.clear())
        window.installEventFilter(self)

    # -- menus ----------------------------------------------------------------------------
    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """File's workspace rows of ui/actions.py; Reopen Last… shows the saved choice."""
        self.open_action = actions["file.open_workspace"]
        self.save_action = actions["file.save_workspace"]
        self.save_as_action = actions["file.save_workspace_as"]
        self.reopen_action = actions["file.reopen_workspace"]
        self.reopen_action.setChecked(self.reopen_last_enabled())

    # -- capturing ------------------------------------------------------------------------------
    def capture(self) -> Workspace:
        """The state as a Workspace (not yet written)."""
        self.docks.capture()  # the layout as it is this moment, not a moment ago
        if self.state.source_view.source is not None:  # a DuckDB dataset's
            return capture_source(self.state, self.title, self._source_hashes, self.on_duckdb.ids)
        return capture(self.state, title=self.title)  # the title of the one opened, if any

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> Path | None:
        if self.path is None or _inside(self.path, DATA_DIR):
            return self.save_as()  # never overwrite the bundled example by accident
        return self.save_to(self.path)

    def save_as(self) -> Path | None:
        start = str(self.path.parent if self.path else Path.home())
        name, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Save workspace"),
            start,
            self.tr(WORKSPACE_FILTER).format(suffix=SUFFIX),
        )
        return self.save_to(Path(name)) if name else None

    def save_to(self, path: Path, *, background: bool = True) -> Path | None:
        """Write the workspace. Files not hashed yet are hashed first: on a worker when
        they are big (the window keeps working; listen to ``saved``), else right away.
        Returns the path written, or None when it failed or goes on in the background."""
        if not self.state.table.datasets and self.state.source_view.source is None:
            show_notice(
                self.window,
                self.tr("Nothing to save"),
                self.tr("Open a file before saving a workspace."),
            )
            return None
        written: list[Path | None] = []
        self.on_duckdb.with_selection(  # a DuckDB selection's ids read first
            lambda: self.when_hashed(lambda: written.append(self._write(path)), background),
            background,
        )
        return written[0] if written else None

    def when_hashed(self, then: Callable[[], None], background: bool = True) -> bool:
        """Call ``then`` once every open file has its checksum (a workspace records it):
        right away (True) when they have or are small, else after a worker hashed them
        (False; the window keeps working)."""
        unhashed = [  # a converted file's sources: the file once
            group
            for group in by_file(self.state.table.datasets)
            if group[0].path is not None and not group[0].sha256
        ]
        # A DuckDB dataset's Parquet files (a folder has no checksum): kept while it is open.
        source = self.state.source_view.source
        inputs = [Path(p).resolve() for p in getattr(source, "paths", [])]
        files = [  # a Parquet file is saved by its footer's fingerprint: no hash
            p
            for p in inputs
            if str(p) not in self._source_hashes and p.is_file() and not parquet_fingerprint(p)
        ]
        size = sum(_size(g[0].path) for g in unhashed) + sum(_size(p) for p in files)
        if not (background and size > HASH_ON_WORKER_BYTES):
            then()
            return True
        self.window.statusBar().showMessage(self.tr("Computing file checksums for the workspace…"))
        hashes = self._source_hashes

        def hash_files(progress, cancelled):
            todo = len(unhashed) + len(files)
            for k, item in enumerate([*unhashed, *files]):
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                if isinstance(item, Path):
                    hashes[str(item)] = file_sha256(item)
                else:
                    digest = file_sha256(Path(item[0].path))
                    for d in item:
                        d.sha256 = digest
                if progress is not None:
                    progress((k + 1) / todo)

        self._run(hash_files, lambda _none: then(), True)
        return False

    def _write(self, path: Path) -> Path | None:
        try:
            written = save_workspace(self.capture(), path)
        except WorkspaceError as err:
            show_notice(
                self.window,
                self.tr("Could not save the workspace"),
                error_message(err),
                level="error",
                error=err,
            )
            return None
        self.path = written
        self._remember(written)
        self.window.statusBar().showMessage(
            self.tr("Saved workspace {name}").format(name=written.name), 8000
        )
        self.saved.emit(written)
        return written

    # -- opening --------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        start = str(self.path.parent if self.path else DATA_DIR)
        name, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Open workspace"),
            start,
            self.tr(WORKSPACE_FILTER).format(suffix=SUFFIX),
        )
        if name:
            self.open_path(Path(name))

    def open_path(
        self,
        path: Path,
        *,
        background: bool = True,
        interactive: bool = True,
        remember: bool | None = None,
    ) -> bool:
        """Open a workspace. With ``background`` the checks and loads run on worker threads
        (listen to ``opened``); without, everything happens before this returns.
        Without ``interactive`` no question is asked: missing files are left out and
        changed files opened, and the notice says so. ``remember`` (by default when
        interactive) puts it in the recent workspaces and makes it the one Save writes."""
        remember = interactive if remember is None else remember
        if self.busy:
            self.window.statusBar().showMessage(self.tr("Still opening a workspace…"), 5000)
            return False
        path = Path(path)
        try:
            workspace = load_workspace(path)
        except WorkspaceError as err:
            return self.fail(error_message(err), JobError.of(err))
        self.busy = True
        self._background = background
        self.window.statusBar().showMessage(
            self.tr("Opening workspace {name}…").format(name=path.name)
        )

        def check(progress, cancelled):
            return workspace.check_files()

        def after_check(checks: list[FileCheck]) -> None:
            checks = self._resolve(checks, interactive)
            if checks is None:
                self.busy = False
                self.window.statusBar().showMessage(
                    self.tr("Opening the workspace was cancelled"), 5000
                )
                return
            if workspace.engine == DUCKDB:  # its Parquet on DuckDB, as File > Open As…
                self.on_duckdb.open(OpenedWorkspace(workspace, [], checks), path, remember)
                return

            def read(progress, cancelled):
                return open_workspace(
                    workspace, load=load, checks=checks, progress=progress, cancelled=cancelled
                )

            # A non-interactive open (a screenshot) leaves the user's recent list alone.
            self._run(read, lambda opened: self._restore(opened, path, remember), background)

        self._run(check, after_check, background)
        return True

    def _run(self, fn, then: Callable[[Any], None], background: bool) -> None:
        if not background:
            try:
                result = fn(None, None)
            except WorkspaceError as err:
                self.fail(error_message(err), JobError.of(err))
                return
            except Exception as err:  # never a traceback for a bad workspace: in the details
                log.warning("opening a workspace failed", exc_info=err)
                self.fail(
                    self.tr("unexpected error: {reason}").format(reason=err), JobError.of(err)
                )
                return
            then(result)
            return
        task = _workspace_job(fn, self)
        self._task = task
        task.returned.connect(then)
        task.errored.connect(lambda error: self.fail(_failure(error), error))
        task.cancelled.connect(self.cancelled)
        self.window.track_job(task)  # the status bar's progress; its Cancel stops it too
        task.finished.connect(lambda t=task: self._task_finished(t))
        task.start()

    def _task_finished(self, task: Job) -> None:
        if self._task is task:
            self._task = None

    def wait(self, ms: int = 60_000) -> bool:
        """Block until the current background step ends (tests, shutdown)."""
        task = self._task
        return task.wait(ms) if task is not None else True

    def cancelled(self) -> None:
        self.busy = False
        self.window.statusBar().showMessage(self.tr("Opening the workspace was cancelled"), 5000)

    def fail(self, message: str, error: JobError | None = None) -> bool:
        self.busy = False
        show_notice(
            self.window,
            self.tr("Could not open the workspace"),
            message,
            level="error",
            error=error,
        )
        self.open_failed.emit(message)
        return False

    def _resolve(self, checks: list[FileCheck], interactive: bool) -> list[FileCheck] | None:
        """Ask about each missing or changed file; None if the user cancels."""
        if not interactive:
            return checks
        return workspace_files.resolve(checks, self.ask_about, self.locate)

    def ask_about(self, check: FileCheck) -> str:
        """LOCATE, ANYWAY or CANCEL for a missing or changed file (a modal question)."""
        return workspace_files.ask_about(self.window, check)

    def locate(self, check: FileCheck) -> Path | None:
        return workspace_files.locate(self.window, check)

    def _restore(self, opened: OpenedWorkspace, path: Path, remember: bool = True) -> None:
        """Put the opened workspace on screen (UI thread)."""
        ws = opened.workspace
        run = (lambda a, b, rule: self._match_later(ws, a, b, rule)) if self._background else None
        try:
            unselected = opened.apply(self.state, run)
        except Exception as err:  # a bad combination of files must not crash the window
            log.warning("restoring %s failed", path, exc_info=err)
            self.fail(
                self.tr("{name}: could not show its files together: {reason}").format(
                    name=path.name, reason=err
                ),
                JobError.of(err),
            )
            return
        self.restored(opened, unselected, path, remember)

    def restored(
        self, opened: OpenedWorkspace, unselected: list, path: Path, remember: bool
    ) -> None:
        ws = opened.workspace
        # The undo history starts from here, once the views have settled on the new data.
        undo = getattr(self.window, "undo", None)
        if undo is not None:
            after_pending_timers(self, undo.reset)
        self.path = path
        self.title = ws.title
        if remember:
            self._remember(path)
        self.busy = False
        self._report(opened, unselected, path)
        self.opened.emit(opened)

    def follow_match(
        self,
        job: Job,
        first: str,
        second: str,
        again: Callable[[JobError], bool] = lambda _error: False,
    ) -> None:
        status = self.window.statusBar()
        job.errored.connect(
            lambda error: (
                again(error)
                or status.showMessage(
                    self.tr("Likely-same events not found: {reason}").format(reason=error.message)
                )
            )
        )
        job.cancelled.connect(
            lambda: status.showMessage(
                self.tr("The workspace's likely-same search was cancelled"), 10_000
            )
        )
        self.window.track_job(job)
        status.showMessage(
            self.tr("Finding the workspace's likely-same events ({first}, {second})…").format(
                first=first, second=second
            )
        )
        job.start()

    def _match_later(self, ws: Workspace, first: str, second: str, rule: MatchRule) -> None:
        """Run the workspace's likely-same search on the worker (a million events take
        seconds); the pairs, and the selection a filter on them hid, come when it ends."""
        table = self.state.table
        job = match_job(table, first, second, rule, parent=self)
        self.match_job = job
        job.returned.connect(lambda result: self._matched(ws, table, result, first, second))
        self.follow_match(job, first, second)

    def _matched(
        self, ws: Workspace, table: object, result: MatchResult | None, first: str, second: str
    ) -> None:
        if result is None or self.state.table is not table:
            return  # cancelled, or another table is shown by now
        self.state.set_match(result, first, second)
        if ws.selection and not len(self.state.selection):  # hidden until the pairs came
            rows = rows_of_keys(table, ws.selection)  # type: ignore[arg-type]
            current = self.state.table.row_of_id(*ws.current) if ws.current else None
            self.state.select(rows[rows >= 0], current=current)
        self.window.statusBar().showMessage(
            self.found_text(int(result.taken.sum()), first, second), 10_000
        )

    def found_text(self, pairs: int, first: str, second: str) -> str:
        return self.tr("{pairs} likely-same pairs found again ({first} against {second})").format(
            pairs=count(pairs), first=first, second=second
        )

    def _report(self, opened: OpenedWorkspace, unselected: list, path: Path) -> None:
        """Say what could not be restored: a box for file problems, the status bar for
        selected events the filter hides."""
        ws_title = opened.workspace.title
        lines = []
        for check in opened.checks:
            if check.status == MISSING:
                lines.append(self.tr("Left out (not found): {path}").format(path=check.entry.path))
            elif check.status == CHANGED:
                lines.append(
                    self.tr("Opened although it changed since saved: {path}").format(
                        path=check.entry.path
                    )
                )
        lines += [self.tr("Could not read: {reason}").format(reason=e) for e in opened.errors]
        found = rows_of_keys(self.state.table, unselected)
        gone = [k for k, row in zip(unselected, found, strict=True) if row < 0]
        hidden = [k for k in unselected if k not in gone]
        if gone:
            lines.append(
                self.tr("{count} selected event(s) no longer in the files: ").format(
                    count=len(gone)
                )
                + ", ".join(f"{d}/{i}" for d, i in gone[:10])
            )
        if lines:
            show_notice(
                self.window,
                self.tr("Workspace opened with problems"),
                f"{path.name}: {lines[0]}"
                + (
                    self.tr(" (and {count} more)").format(count=len(lines) - 1) if lines[1:] else ""
                ),
                details="\n".join(opened.problems() + lines),
            )
        else:
            message = self.tr("Opened workspace {name}").format(name=path.name) + (
                f": {ws_title}" if ws_title else ""
            )
            if hidden:
                titles = self._titles(hidden)
                message += self.tr("; selected but hidden by the filters: {titles}").format(
                    titles=titles
                )
            self.window.statusBar().showMessage(message, 15000)

    def _titles(self, keys: list[tuple[str, str]]) -> str:
        df = self.state.table.df
        names = []
        for key in keys[:3]:
            row = self.state.table.row_of_id(*key)
            names.append(str(df["title"].iloc[row]) if row is not None else key[1])
        return "; ".join(names) + (" …" if len(keys) > 3 else "")

    # -- recent workspaces and reopen-last ------------------------------------------------------
    def recent(self) -> list[str]:
        return window_memory.recent_workspaces()

    def _remember(self, path: Path) -> None:
        window_memory.remember_workspace(path)

    def fill_recent_menu(self, menu: QMenu) -> None:
        """File > Recent Workspaces, filled each time it opens."""
        menu.clear()
        for path in self.recent():
            act = menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.open_path(Path(p)))
        if not self.recent():
            menu.addAction(self.tr("(none)")).setEnabled(False)

    def reopen_last_enabled(self) -> bool:
        return window_memory.reopen_last_enabled()

    def set_reopen_last(self, on: bool) -> None:
        window_memory.set_reopen_last(on)

    def reopen_last(self) -> bool:
        """At start: reopen the last workspace if the user asked for it and it exists."""
        last = window_memory.last_workspace()
        return self.open_path(last) if last is not None else False

    # -- window geometry and dock layout ----------------------------------------------------------
    def restore_window(self) -> bool:
        """Put the window back where it was last closed (size, position, docks), and
        remember them again when it closes."""
        self.remember_window = True
        restored = window_memory.restore_window(self.window)
        self.layout_restored = restored  # ui/docks.DockLayout: no default layout on show
        self.docks.capture()  # the state holds the layout shown
        return restored

    def save_window(self) -> None:
        window_memory.save_window(self.window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            if self._task is not None:
                self._task.cancel()
                self._task.wait(5000)
            if self.remember_window:
                self.save_window()
            # Notices, reports and help windows belong to this window: they go with it.
            for child in self.window.findChildren(QWidget):
                if child.isWindow() and child.isVisible():
                    child.close()
        return False


def _size(path: Path | None) -> int:
    try:
        return Path(path).stat().st_size if path is not None else 0
    except OSError:
        return 0


def _inside(path: Path, folder: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(Path(folder).resolve())
    except (OSError, ValueError):
        return False
