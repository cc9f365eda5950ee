"""Opening a file from the window: the file is only ever read on worker threads.

1. **Plan** (worker): the registry reads the file's head and answers with a reader, or
   "needs a mapping" with a preview of the first rows, or a refusal saying what was
   found (:func:`timeline_app.formats.registry.plan_open`).
2. **Map** (UI thread, only if needed): the mapping dialog on that preview.
3. **Load** (worker): :class:`~timeline_app.ui.loader.LoadJob`.

:class:`OpenJob` strings the three together behind one set of signals, so the window
(and tests) follow one object from File > Open to the loaded dataset.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QWidget

from timeline_app.formats.registry import OpenPlan, plan_open
from timeline_app.model.dataset import Dataset
from timeline_app.ui.loader import LoadJob
from timeline_app.ui.mapping_dialog import MappingDialog
from timeline_app.ui.workers import Control, Job, JobError


def plan_in_worker(control: Control, path: Path, format: str | None, ask: bool) -> OpenPlan:
    """The first step of opening a file, run by a worker: read its head, decide how."""
    return plan_open(path, format, ask_mapping=ask)


class OpenJob(QObject):
    """One file being opened: plan, maybe the mapping dialog, then the load.

    Signals: ``progress(float)``, ``yielded(Dataset)``, ``errored(JobError)``,
    ``cancelled()``, then ``finished()`` always, last."""

    progress = Signal(float)
    yielded = Signal(object)
    errored = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self,
        path: Path,
        format: str | None = None,
        options: dict[str, Any] | None = None,
        *,
        ask_mapping: bool = False,
        parent: QWidget | None = None,
        prepare: Callable[[Dataset], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._prepare = prepare  # for the load (ui/loader.py)
        self.path = Path(path)
        self.format = format
        self.options = dict(options or {})
        self._ask = ask_mapping
        self._dialog_parent = parent
        self.plan: OpenPlan | None = None
        self.load: LoadJob | None = None
        self._stage: Job | None = None
        self._stopped = False
        self._idle = threading.Event()  # never set: what `shown` is before the load starts
        self.finished.connect(self._release)

    def _release(self) -> None:
        # Its parent, the window, would keep it and its jobs for the whole session: a
        # soak found every open's jobs and threads still there. Deleted once delivered.
        if self.parent() is not None:
            self.deleteLater()

    # -- what the window asks ---------------------------------------------------------
    @property
    def shown(self) -> threading.Event:
        return self.load.shown if self.load is not None else self._idle

    def mark_shown(self) -> None:
        if self.load is not None:
            self.load.mark_shown()

    def cancel(self) -> None:
        self._stopped = True
        if self._stage is not None:
            self._stage.cancel()

    def wait(self, ms: int = 60_000) -> bool:
        return self._stage.wait(ms) if self._stage is not None else True

    def start(self) -> None:
        mapped = self.options.get("mapping") is not None
        if mapped or self.format not in (None, "table") or (self.format and not self._ask):
            self._start_load(self.format or ("table" if mapped else None))
            return
        plan = Job(plan_in_worker, self.path, self.format, self._ask, name=f"open {self.path.name}")
        plan.returned.connect(self._planned)
        plan.errored.connect(self._failed)
        plan.cancelled.connect(self._cancelled)
        plan.finished.connect(self._plan_finished)
        self._stage = plan
        plan.start()

    # -- the stages -------------------------------------------------------------------
    def _planned(self, plan: OpenPlan) -> None:
        self.plan = plan
        if self._stopped:
            return
        # The dialog waits until the plan's job has finished (its own modal loop would
        # otherwise deliver that job's last signals in the middle).
        self._stage = None
        QTimer.singleShot(0, self._after_plan)

    def _after_plan(self) -> None:
        plan = self.plan
        assert plan is not None
        if self._stopped:
            self.finished.emit()
            return
        if plan.needs_mapping and plan.preview is not None:
            dialog = mapping_dialog(plan, self._dialog_parent)
            try:
                accepted = dialog.exec() == QDialog.DialogCode.Accepted
                mapping = dialog.mapping() if accepted else None
            finally:
                dialog.deleteLater()
            if mapping is None:
                self._stopped = True  # the user said no: nothing is loaded
                self.finished.emit()
                return
            self.options["mapping"] = mapping
            self._start_load("table")
            return
        self._start_load(plan.format)

    def _start_load(self, format: str | None) -> None:
        job = LoadJob(self.path, format, self.options or None, self, prepare=self._prepare)
        job.progress.connect(self.progress)
        job.yielded.connect(self.yielded)
        job.errored.connect(self._failed)
        job.cancelled.connect(self._cancelled)
        job.finished.connect(self.finished)
        self.load = job
        self._stage = job
        job.start()

    def _plan_finished(self) -> None:
        if self.plan is None or self._stopped and self._stage is not None:
            self.finished.emit()  # refused or cancelled: no dialog, no load

    def _failed(self, error: JobError) -> None:
        self.errored.emit(error)

    def _cancelled(self) -> None:
        self.cancelled.emit()


def mapping_dialog(plan: OpenPlan, parent: QWidget | None = None) -> MappingDialog:
    """The mapping dialog on a plan's preview (the rows the worker read)."""
    assert plan.preview is not None, "only a plan that needs a mapping has a preview"
    return MappingDialog(plan.preview, file_name=plan.path.name, parent=parent)
