"""Sorting by a free-text column off the UI thread.

Ranking a million titles or notes takes seconds the first time, so the sort runs in
a thread; its result is handed to the state only if nothing changed meanwhile (a
newer sort, another table). If the filter changed, the rank is cached by then and
the state re-sorts its current rows quickly.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np
from PySide6.QtCore import QObject, Signal

from timeline_app.model.sorting import Sorter, SortKey
from timeline_app.model.state import AppState


class SortWorker(QObject):
    """``sort(keys)`` starts a background sort; ``busy(text)`` says what runs ("" when
    done); ``cancel()`` drops the pending result."""

    busy = Signal(str)
    _done = Signal(int, object, object, object, object)  # generation, sorter, mask, keys, rows

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._generation = 0
        self._threads: list[threading.Thread] = []
        self._done.connect(self._on_done)

    def needs_thread(self, keys: list[SortKey]) -> bool:
        sorter = self.state.sorter()
        return any(sorter.is_text(col) and not sorter.is_ready(col) for col, _ in keys)

    def sort(self, keys: list[SortKey]) -> None:
        self._generation += 1
        generation = self._generation
        sorter, mask = self.state.sorter(), self.state.mask
        rows = np.flatnonzero(mask).astype(np.int64)
        labels = ", ".join(col for col, _ in keys)
        self.busy.emit(f"Sorting by {labels}…")
        thread = threading.Thread(
            target=self._run, args=(generation, sorter, mask, keys, rows), daemon=True
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def cancel(self) -> None:
        self._generation += 1
        self.busy.emit("")

    def is_running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def wait(self, timeout: float = 30.0) -> None:
        """Block until the threads end (tests and shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def _run(self, generation: int, sorter: Sorter, mask, keys, rows) -> None:
        ordered = sorter.order(rows, keys)
        # RuntimeError: the view (and this worker) was closed meanwhile; nobody waits.
        with contextlib.suppress(RuntimeError):
            self._done.emit(generation, sorter, mask, keys, ordered)  # queued to the UI thread

    def _on_done(self, generation: int, sorter: Sorter, mask, keys, ordered) -> None:
        if generation != self._generation or self.state.sorter() is not sorter:
            return  # superseded, or the table was replaced
        self.busy.emit("")
        if self.state.mask is mask:
            self.state.set_visible_order(list(keys), ordered)
        else:
            self.state.set_sort(list(keys))  # ranks are cached now: fast
