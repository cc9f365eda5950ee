"""Runs the filters the state hands off (a free-text search over many rows) as worker
jobs and gives their masks back.

Which filters go off the UI thread is the model's decision (``worth_offloading`` in
model/filters.py, asked by ``AppState.set_filter``); this only runs them: one search at
a time (two cores), the newest superseding the older, and a mask for a filter (or
table) changed meanwhile is dropped by ``state.apply_filter_mask``.
"""

from __future__ import annotations

import weakref

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, Signal

from timeline_app.model.events import EventTable
from timeline_app.model.filters import FilterSpec, filter_mask
from timeline_app.model.state import AppState
from timeline_app.ui.workers import Control, JobKind


class FilterWorker(QObject):
    """Installs itself as ``state.filter_offload``. ``busy_changed(bool)`` says when a
    search is running."""

    busy_changed = Signal(bool)

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.busy = False
        self.jobs = JobKind("text search", serial=True)
        state.filter_offload = self.offload
        state.rows_changed.connect(self._on_rows_changed)

    def offload(self, table: EventTable, spec: FilterSpec, token: int) -> bool:
        """AppState's hook: compute this filter's mask on a worker (True: taken)."""
        if not shiboken6.isValid(self):  # the window that owned us is gone
            return False
        job = self.jobs.start(self._search, weakref.ref(table), spec, parent=self)
        job.returned.connect(lambda mask: self._on_done(token, mask))
        self._set_busy(True)
        return True

    def wait(self, timeout: float = 30.0) -> None:
        """Block until the searches started so far have ended (tests, benchmarks); their
        results arrive with the next turn of the event loop."""
        self.jobs.wait(int(timeout * 1000))

    def _search(
        self, _control: Control, table_ref: weakref.ref[EventTable], spec: FilterSpec
    ) -> np.ndarray | None:
        table = table_ref()  # held weakly until its turn: a closed file is let go
        return None if table is None else self._compute(table, spec)

    def _compute(self, table: EventTable, spec: FilterSpec) -> np.ndarray:
        return filter_mask(table, spec)  # numpy and Arrow kernels release the GIL

    def _on_done(self, token: int, mask: np.ndarray | None) -> None:
        if mask is not None:
            self.state.apply_filter_mask(token, mask)  # dropped if the filter changed
        self._set_busy(self.state.filter_pending)

    def _on_rows_changed(self) -> None:
        if not shiboken6.isValid(self):
            return
        if not self.state.filter_pending:  # filtered another way (a quick filter won)
            self.jobs.supersede()
            self._set_busy(False)

    def _set_busy(self, on: bool) -> None:
        if on != self.busy:
            self.busy = on
            self.busy_changed.emit(on)
