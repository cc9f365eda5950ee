"""The open session, autosaved as a workspace every few minutes and at exit; after a
crash, the next start offers to bring it back.

Files in the user's state folder (platformdirs; ``$TIMELINE_APP_STATE_DIR`` elsewhere,
as the tests do): ``session.tlx.json`` (the workspace, written atomically by the one
workspace writer) and ``running`` (the pid of the app that writes it). A clean exit
saves once more and removes ``running``; so a ``running`` whose process is gone means
the last session ended without closing (a crash, a kill, a power cut), and the autosave
beside it is offered. A second instance while one runs leaves the first one's autosave
alone and autosaves nothing itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from platformdirs import user_state_dir
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from timeline_app.model.atomic import atomic_write_text, process_alive
from timeline_app.model.workspace import WorkspaceError, load_workspace, save_workspace
from timeline_app.ui.formatting import format_date

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

STATE_DIR_ENV = "TIMELINE_APP_STATE_DIR"
SESSION_FILE = "session.tlx.json"
RUNNING_FILE = "running"
#: Every few minutes: little to lose, and the write (a small JSON file) costs nothing.
INTERVAL_MS = 3 * 60 * 1000


def state_dir() -> Path:
    override = os.environ.get(STATE_DIR_ENV)
    return Path(override) if override else Path(user_state_dir("timeline-app", appauthor=False))


def crashed_session(folder: Path | None = None) -> Path | None:
    """The autosave left by a session that did not close, if there is one."""
    folder = folder or state_dir()
    session, running = folder / SESSION_FILE, folder / RUNNING_FILE
    if not (session.is_file() and running.is_file()):
        return None
    return None if _running_pid(running) is not None else session


def _running_pid(running: Path) -> int | None:
    """The pid in ``running`` when that process is alive (not this one's own)."""
    try:
        pid = int(running.read_text(encoding="utf-8").strip() or "0")
    except (OSError, ValueError):
        return None
    return pid if pid > 0 and pid != os.getpid() and process_alive(pid) else None


class Autosave(QObject):
    """Autosaves ``window``'s session on a timer and when it closes."""

    def __init__(self, window: MainWindow, folder: Path | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.folder = folder or state_dir()
        self.session = self.folder / SESSION_FILE
        self.running = self.folder / RUNNING_FILE
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.save_now)
        self.active = False

    def start(self) -> bool:
        """Claim the autosave (unless another running instance holds it) and start the
        timer. Call after any restore question: this forgets the crashed session."""
        if _running_pid(self.running) is not None:
            log.info("another instance autosaves its session; this one does not")
            return False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.running, f"{os.getpid()}\n")
        except OSError as err:
            log.warning("cannot autosave in %s: %s", self.folder, err)
            return False
        self.active = True
        self.timer.start()
        return True

    def save_now(self, *, background: bool = True) -> None:
        """Write the session (files are hashed first, on a worker when big)."""
        if not self.active or getattr(self.window.workspaces, "busy", False):
            return  # a workspace is being opened: its state is not the user's yet
        state = self.window.state
        duckdb = state.source_view.source is not None  # a DuckDB dataset's workspace too
        if not duckdb and not any(d.path is not None for d in state.table.datasets):
            with contextlib.suppress(OSError):
                self.session.unlink()  # nothing open: nothing to restore
            return
        workspaces = self.window.workspaces
        workspaces.on_duckdb.with_selection(  # a DuckDB selection's ids read first
            lambda: workspaces.when_hashed(self._write, background), background
        )

    def _write(self) -> None:
        try:
            save_workspace(self.window.workspaces.capture(), self.session)
        except WorkspaceError as err:
            log.warning("autosave failed: %s", err)

    def finish(self) -> None:
        """A clean exit: save once more, then say so (no restore offered next time)."""
        if not self.active:
            return
        self.timer.stop()
        self.save_now(background=False)
        self.active = False
        with contextlib.suppress(OSError):
            self.running.unlink()


class RestoreBox(QMessageBox):
    """ "Restore the last session?" after a crash."""

    def __init__(self, parent: MainWindow, session: Path) -> None:
        super().__init__(parent)
        self.setObjectName("restoreSession")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(self.tr("Restore the last session?"))
        self.setText(self.tr("The app did not close properly last time."))
        # As the app writes dates, in the interface's language ("6 Dec 2026 21:10"; the
        # system's locale gave "6 12 2026 21:10" where it is C).
        saved = pd.Timestamp.fromtimestamp(int(session.stat().st_mtime))
        when = format_date(saved)
        try:
            names = ", ".join(Path(f.path).name for f in load_workspace(session).files)
        except WorkspaceError:
            names = ""
        self.setInformativeText(
            self.tr("Restore the session saved at {when}: its files, filters and view?").format(
                when=when
            )
            + (f"\n\n{names}" if names else "")
        )
        self.restore_button = self.addButton(self.tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
        self.discard_button = self.addButton(
            self.tr("Start afresh"), QMessageBox.ButtonRole.RejectRole
        )
        self.setDefaultButton(self.restore_button)


def move_autosave(old: MainWindow, new: MainWindow) -> None:
    """A window rebuilt around the same state (View > Language, ui/language_menu.py)
    takes over the old one's autosave: the same files, still claimed, the timer going."""
    autosave = getattr(old, "autosave", None)
    if autosave is None:
        return
    autosave.setParent(new)
    autosave.window = new
    new.autosave = autosave  # type: ignore[attr-defined]
    _CloseWatch(new, autosave)


def install_autosave(
    window: MainWindow,
    folder: Path | None = None,
    *,
    otherwise: Callable[[], None] = lambda: None,
    restored: Callable[[], None] = lambda: None,
) -> Autosave:
    """At start (the GUI only): offer the crashed session if there is one, then autosave
    this one. ``otherwise`` opens what a start opens when no session is restored (no
    crash, or the user starts afresh); ``restored`` runs once a restore has begun.
    Returns the Autosave; ``window.autosave`` too."""
    autosave = Autosave(window, folder)
    window.autosave = autosave  # type: ignore[attr-defined]  # for tests and the soak
    _CloseWatch(window, autosave)
    crashed = crashed_session(autosave.folder)
    if crashed is None:
        autosave.start()
        otherwise()
        return autosave
    box = RestoreBox(window, crashed)
    window.restore_box = box  # type: ignore[attr-defined]

    def answered(_result: int) -> None:
        restore = box.clickedButton() is box.restore_button
        box.deleteLater()
        if restore:
            _restore(window, crashed, autosave)
            restored()
        else:
            autosave.start()
            otherwise()

    box.finished.connect(answered)
    box.open()  # window-modal, not blocking: the event loop (and tests) go on
    return autosave


def _restore(window: MainWindow, session: Path, autosave: Autosave) -> None:
    """Open the autosave like any workspace (questions about moved files included),
    but not as the file Save writes to nor in the recent list. Autosaving goes on from
    now (it waits while the workspace opens)."""
    controller = window.workspaces

    def opened(_opened: object) -> None:
        if controller.path == session:
            controller.path = None  # Save asks where: the autosave is no one's workspace

    controller.opened.connect(opened)
    controller.open_path(session, remember=False)
    autosave.start()


class _CloseWatch(QObject):
    """Saves the session when the window closes (a clean exit)."""

    def __init__(self, window: MainWindow, autosave: Autosave) -> None:
        super().__init__(autosave)
        self.window, self.autosave = window, autosave
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.autosave.finish()
        return False
