"""File > Save as Parquet Dataset…: every event of the files open in memory written as
``timeline-app convert`` writes them (storage/save_converted.py: the same layout, the
sources in the footer, the provenance whose command writes the file again, and
``OUT.meta.json``), on a worker, with the status bar's progress and Cancel.

All the rows of the open files, not the filter's: the file is the data to explore on
DuckDB, not an extract of it (File > Export… writes the filtered rows). On DuckDB the data
is Parquet already and the action is off, saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from timeline_app.model.dataset import Dataset
from timeline_app.model.provenance import sidecar_path
from timeline_app.storage.convert import Converted
from timeline_app.storage.save_converted import meta_path, save_converted
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import error_message
from timeline_app.ui.notices import show_notice
from timeline_app.ui.workers import Control, Job, JobError

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow

ACTION_ID = "file.save_parquet"


def _save(
    control: Control,
    datasets: list[Dataset],
    out: Path,
    memory_limit: str | None,
    done: list[Converted],
) -> Converted:
    converted = save_converted(
        datasets,
        out,
        memory_limit=memory_limit,  # the window's --memory-limit, as convert's
        progress=control.progress,
        cancelled=control.cancelled,
    )
    done.append(converted)  # written, even if Cancel came too late to stop it
    return converted


def parquet_path(path: str | Path) -> Path:
    """The save dialog's answer, with ``.parquet`` added when it has another suffix."""
    path = Path(path)
    return path if path.suffix.lower() == ".parquet" else path.with_name(path.name + ".parquet")


class ParquetSaver(QObject):
    """The window's File > Save as Parquet Dataset… (``window.parquet``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.action: QAction | None = None

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        self.action = actions[ACTION_ID]
        for menu in self.action.associatedObjects():  # its tooltip says why it is off
            if isinstance(menu, QMenu):
                menu.setToolTipsVisible(True)
        self.state.table_changed.connect(self._update_action)
        self.state.source_view.source_changed.connect(self._update_action)
        self._update_action()

    def _update_action(self) -> None:
        if self.action is None:
            return
        on_duckdb = self.state.source_view.source is not None
        if on_duckdb:
            tip = self.tr(
                "The data is Parquet already (open on DuckDB): File > Export… writes "
                "the filtered rows as Parquet"
            )
        elif not self.state.table.datasets:
            tip = self.tr("Open event files first")
        else:
            tip = self.tr(
                "Write every event of the open files (not only the filtered ones) as one "
                "Parquet file that DuckDB reads without loading it"
            )
        self.action.setEnabled(bool(self.state.table.datasets) and not on_duckdb)
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)

    # -- saving --------------------------------------------------------------------------
    def save_dialog(self) -> Job | None:
        datasets = list(self.state.table.datasets)
        if not datasets or self.state.source_view.source is not None:
            return None
        events = count(sum(len(d) for d in datasets))
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Save as Parquet dataset: all {events} events of the open files").format(
                events=events
            ),
            str(self._suggested(datasets)),
            self.tr("Parquet (*.parquet)"),
        )
        return self.save_to(parquet_path(path)) if path else None

    def _suggested(self, datasets: list[Dataset]) -> Path:
        first = datasets[0]
        folder = Path(first.path).parent if first.path is not None else Path.home()
        stem = Path(first.path).stem if first.path is not None else first.name
        inputs = self._inputs(datasets)
        out = folder / f"{stem}.parquet"
        # Not an open file, nor beside one of its name: X.parquet's X.meta.json is X.csv's.
        taken = out.resolve() in inputs or any(meta_path(p) == meta_path(out) for p in inputs)
        return folder / f"{stem}-converted.parquet" if taken else out

    @staticmethod
    def _inputs(datasets: list[Dataset]) -> set[Path]:
        return {Path(d.path).resolve() for d in datasets if d.path is not None}

    def save_to(self, out: Path) -> Job | None:
        """Write every open dataset to ``out`` on a worker (the status bar's progress and
        Cancel); the status bar and a message say what was written."""
        datasets = list(self.state.table.datasets)
        if not datasets:
            return None
        title = self.tr("Could not save as Parquet")
        if out.resolve() in self._inputs(datasets):
            text = self.tr("{path} is an open file: choose another name").format(path=out)
            show_notice(self.window, title, text, level="error")
            return None
        done: list[Converted] = []
        limit = self.window.sources.memory_limit
        job = Job(_save, datasets, out, limit, done, name="save parquet", parent=self)
        job.returned.connect(self._saved)
        job.errored.connect(
            lambda e: show_notice(self.window, title, self._failure(out, e), level="error", error=e)
        )
        job.cancelled.connect(lambda: self._cancelled(out, done))
        self.window.track_job(job)
        events = count(sum(len(d) for d in datasets))
        text = self.tr(
            "Saving all {events} events of the open files (not only the filtered ones) to {path}…"
        )
        self.window.statusBar().showMessage(text.format(events=events, path=out))
        return job.start()

    def _failure(self, out: Path, error: JobError) -> str:
        err = error.exception
        if isinstance(err, OSError):  # a full disk, a folder not writable
            where = err.filename or out
            return self.tr("cannot write {path}: {reason}").format(
                path=where, reason=err.strerror or err
            )
        return self.tr("saving failed: {reason}").format(reason=error_message(err))

    def _cancelled(self, out: Path, done: list[Converted]) -> None:
        if done:  # Cancel came after the file was whole: it is saved
            self._saved(done[0])
            return
        text = self.tr("Saving {path} cancelled: nothing written").format(path=out)
        self.window.statusBar().showMessage(text, 8000)

    def _saved(self, converted: Converted) -> QMessageBox:
        out = converted.out
        text = self.tr("Saved {events} events to {path}").format(
            events=count(converted.rows), path=out
        )
        details = self.tr(
            "Beside it: {provenance} (its sources, layout and the command that writes it "
            "again) and {meta} (the sources' licences and citations)."
        ).format(provenance=sidecar_path(out).name, meta=meta_path(out).name)
        box = show_notice(
            self.window, self.tr("Saved as Parquet"), text, details=details, level="info"
        )
        button = box.addButton(self.tr("Open on DuckDB"), QMessageBox.ButtonRole.ActionRole)
        button.setToolTip(self.tr("Open the file on DuckDB instead of the files in memory"))
        button.clicked.connect(lambda: self.window.open_paths([out], "duckdb"))
        return box
