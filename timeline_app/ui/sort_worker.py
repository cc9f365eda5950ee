"""Sorting a big table off the UI thread.

Ranking a million titles or notes takes seconds the first time, and even dates or
categories take up to a second at 1M rows, so the first sort by new keys builds the
whole table's order (model/sorting.py ``Sorter.full_order``) as a worker job; once it
is kept, the state orders any filtered rows by one gather, on the UI thread. A newer
sort supersedes a running one; another table drops its result. The state hands its own
slow sorts here too (``AppState.sort_offload``: the default sort by date on opening a
big file).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from timeline_app.model.sorting import Sorter, SortKey
from timeline_app.model.state import OFFLOAD_SORT_ROWS, AppState
from timeline_app.ui.workers import Control, JobKind


class SortWorker(QObject):
    """``sort(keys)`` starts a background sort; ``busy(text)`` says what runs ("" when
    done); ``cancel()`` drops the pending result."""

    busy = Signal(str)

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.jobs = JobKind("sort")
        self._building: tuple[Sorter, tuple[SortKey, ...]] | None = None
        state.sort_offload = self._offload

    def needs_thread(self, keys: list[SortKey]) -> bool:
        sorter = self.state.sorter()
        if sorter.has_order(keys):
            return False
        big = len(self.state.table) >= OFFLOAD_SORT_ROWS
        return big or any(sorter.is_text(col) and not sorter.is_ready(col) for col, _ in keys)

    def sort(self, keys: list[SortKey]) -> None:
        """Build the order by ``keys`` in a worker, then sort the state by them."""
        self._start(self.state.sorter(), list(keys), asked=True)

    def cancel(self) -> None:
        self.jobs.supersede()
        self._building = None
        self.busy.emit("")

    def is_running(self) -> bool:
        return bool(self.jobs.running())

    def wait(self, timeout: float = 30.0) -> None:
        """Block until the sorts started so far have ended (tests and shutdown)."""
        self.jobs.wait(int(timeout * 1000))

    def _offload(self, sorter: Sorter, keys: list[SortKey]) -> bool:
        if self._building != (sorter, tuple(keys)):  # else: already on its way
            self._start(sorter, keys, asked=False)
        return True

    def _start(self, sorter: Sorter, keys: list[SortKey], asked: bool) -> None:
        """``asked``: the user's new keys (applied when done); else the state's own keys,
        applied only if they are still the state's."""
        self._building = (sorter, tuple(keys))
        self.busy.emit(f"Sorting by {', '.join(col for col, _ in keys)}…")
        mask = self.state.mask  # the rows shown now: ordered on the worker too
        job = self.jobs.start(_build, sorter, keys, mask, parent=self)
        job.returned.connect(lambda rows: self._on_done(sorter, keys, asked, mask, rows))

    def _on_done(
        self, sorter: Sorter, keys: list[SortKey], asked: bool, mask: np.ndarray, rows
    ) -> None:
        self._building = None
        self.busy.emit("")
        if self.state.sorter() is not sorter:
            return  # the table was replaced
        if asked or self.state.sort_keys == keys:
            # The order is kept now; the rows the worker ordered if the filter is the same
            # (else one gather of the new filter's rows, here).
            self.state.set_sort(keys, ordered=rows if self.state.mask is mask else None)


def _build(_control: Control, sorter: Sorter, keys: list[SortKey], mask: np.ndarray):
    sorter.full_order(keys)
    return sorter.order_mask(mask, keys)  # what set_sort would do on the UI thread
