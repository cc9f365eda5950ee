"""Slow filters off the UI thread: a free-text search over many rows runs in a thread.

AppState asks its ``filter_offload`` before it computes a mask. A filter whose text
search would read more than ``TEXT_THREAD_ROWS`` rows (~0.6 s for the notes of 1M
rows) is computed here in a thread and handed back through
``state.apply_filter_mask``; a result for a filter (or table) changed meanwhile is
dropped. Smaller searches, and every filter without text, stay on the UI thread: they
take milliseconds and show at once.
"""

from __future__ import annotations

import contextlib
import threading
import weakref

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, Signal

from timeline_app.model.events import EventTable
from timeline_app.model.filters import FilterSpec, filter_mask, text_scan_rows
from timeline_app.model.state import AppState

#: A text search reading more rows than this runs in a thread.
TEXT_THREAD_ROWS = 200_000


class FilterWorker(QObject):
    """Computes slow filter masks in a thread for one AppState (installs itself as its
    ``filter_offload``). ``busy_changed(bool)`` says when a search is running."""

    busy_changed = Signal(bool)
    _done = Signal(int, object)  # token, mask; emitted from the thread, queued to ours

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.busy = False
        self._latest = 0  # token of the newest filter asked for
        self._one_at_a_time = threading.Lock()  # two cores: never two scans at once
        self._threads: list[threading.Thread] = []
        self._done.connect(self._on_done)
        state.filter_offload = self.offload

    def offload(self, table: EventTable, spec: FilterSpec, token: int) -> bool:
        """AppState's hook: take the filter if its text search is big (True)."""
        if not shiboken6.isValid(self):  # the panel that owned us is gone
            return False
        self._latest = token  # any pending search is stale from now on
        if len(table) <= TEXT_THREAD_ROWS or text_scan_rows(table, spec) <= TEXT_THREAD_ROWS:
            self._set_busy(False)
            return False
        thread = threading.Thread(
            target=self._run, args=(weakref.ref(table), spec, token), daemon=True
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        self._set_busy(True)
        thread.start()
        return True

    def wait(self, timeout: float = 30.0) -> None:
        """Block until the searches started so far have ended (tests, benchmarks); their
        results arrive with the next turn of the event loop."""
        for thread in list(self._threads):
            thread.join(timeout)

    def _run(self, table_ref: weakref.ref[EventTable], spec: FilterSpec, token: int) -> None:
        with self._one_at_a_time:
            if token != self._latest:
                return  # superseded while it waited: do not scan for nothing
            table = table_ref()
            if table is None:
                return
            mask = self._compute(table, spec)
            del table
        with contextlib.suppress(RuntimeError):  # the worker was deleted meanwhile
            self._done.emit(token, mask)

    def _compute(self, table: EventTable, spec: FilterSpec) -> np.ndarray:
        return filter_mask(table, spec)  # numpy and Arrow kernels release the GIL

    def _on_done(self, token: int, mask: np.ndarray) -> None:
        if token != self._latest:
            return  # a newer filter was asked for meanwhile: its own result will come
        self.state.apply_filter_mask(token, mask)  # also drops it if the table changed
        self._set_busy(False)

    def _set_busy(self, on: bool) -> None:
        if on != self.busy:
            self.busy = on
            self.busy_changed.emit(on)
