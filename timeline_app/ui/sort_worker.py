"""Sorting by a free-text column off the UI thread.

Ranking a million titles or notes takes seconds the first time, so the sort runs as a
worker job; its result is handed to the state only if nothing changed meanwhile (a
newer sort supersedes it; another table drops it). If the filter changed, the rank is
cached by then and the state re-sorts its current rows quickly.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from timeline_app.model.sorting import Sorter, SortKey
from timeline_app.model.state import AppState
from timeline_app.ui.workers import Control, JobKind


class SortWorker(QObject):
    """``sort(keys)`` starts a background sort; ``busy(text)`` says what runs ("" when
    done); ``cancel()`` drops the pending result."""

    busy = Signal(str)

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.jobs = JobKind("sort")

    def needs_thread(self, keys: list[SortKey]) -> bool:
        sorter = self.state.sorter()
        return any(sorter.is_text(col) and not sorter.is_ready(col) for col, _ in keys)

    def sort(self, keys: list[SortKey]) -> None:
        sorter, mask, keys = self.state.sorter(), self.state.mask, list(keys)
        rows = np.flatnonzero(mask).astype(np.int64)
        self.busy.emit(f"Sorting by {', '.join(col for col, _ in keys)}…")
        job = self.jobs.start(_order, sorter, rows, keys, parent=self)
        job.returned.connect(lambda ordered: self._on_done(sorter, mask, keys, ordered))

    def cancel(self) -> None:
        self.jobs.supersede()
        self.busy.emit("")

    def is_running(self) -> bool:
        return bool(self.jobs.running())

    def wait(self, timeout: float = 30.0) -> None:
        """Block until the sorts started so far have ended (tests and shutdown)."""
        self.jobs.wait(int(timeout * 1000))

    def _on_done(self, sorter: Sorter, mask: np.ndarray, keys: list[SortKey], ordered) -> None:
        if self.state.sorter() is not sorter:
            return  # the table was replaced
        self.busy.emit("")
        if self.state.mask is mask:
            self.state.set_visible_order(keys, ordered)
        else:
            self.state.set_sort(keys)  # ranks are cached now: fast


def _order(_control: Control, sorter: Sorter, rows: np.ndarray, keys: list[SortKey]):
    return sorter.order(rows, keys)
