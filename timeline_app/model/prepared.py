"""A new event table made ahead of time, off the UI thread, with what the views derive
from it.

Opening a file ends on the UI thread: the state takes the new table and every view
builds its arrays for it (the timeline's lanes and order, the map's points, the table's
column readers: ~150 ms at 1M events, while the window cannot repaint). The loading
worker can do most of that first: :meth:`TablePrep.make` builds the table the state
will hold (the same datasets in the same order) and runs each view's ``prepare``
callback on it; :meth:`AppState.set_datasets` then takes that table when it is for
exactly its datasets, and each view picks up what it prepared. The data still flows
file -> reader -> event table -> state -> views: nothing is shown before the state has
the table, and a guess that turned out wrong (another file opened or closed meanwhile)
only costs the worker's time: the state builds its table as it always did.

Thread-safe: ``make`` runs on a worker, ``take``/``value`` on the UI thread.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from timeline_app.model.dataset import Dataset
from timeline_app.model.events import EventTable

Prepare = Callable[[EventTable], Any]


class TablePrep:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: name -> a weak reference to a view's bound method (a closed view is not kept)
        self._prepares: dict[str, weakref.WeakMethod[Prepare]] = {}
        self._made: tuple[EventTable, list[str], dict[str, Any]] | None = None
        #: the table the state took, with the values not asked for yet
        self._taken: tuple[EventTable, dict[str, Any]] | None = None

    def add(self, name: str, prepare: Prepare) -> None:
        """Have ``prepare(table)`` (a bound method: held weakly) run on every table made
        ahead; what it returns is :meth:`value` ``(name, table)``."""
        with self._lock:
            self._prepares[name] = weakref.WeakMethod(prepare)

    def remove(self, name: str) -> None:
        with self._lock:
            self._prepares.pop(name, None)

    def clear(self) -> None:
        """Let go of what was made (the prepares stay: held weakly, they go with their views)."""
        with self._lock:
            self._made = self._taken = None

    def make(self, datasets: list[Dataset]) -> EventTable:
        """Build the table of ``datasets`` and run the views' prepares on it (a worker's
        call); the state takes it if it is then given the same datasets, named the same."""
        table = EventTable(datasets)
        with self._lock:
            prepares = [(n, m()) for n, m in self._prepares.items()]
        values = _side_by_side(table, [(n, fn) for n, fn in prepares if fn is not None])
        with self._lock:
            self._made = (table, [d.name for d in datasets], values)
        return table

    def take(self, datasets: list[Dataset]) -> EventTable | None:
        """The table made for exactly ``datasets`` (the same objects, in this order, with
        the same names), or None; what was made for another table is dropped."""
        with self._lock:
            made, self._made, self._taken = self._made, None, None
            if made is None:
                return None
            table, names, values = made
            same = len(table.datasets) == len(datasets) and all(
                a is b for a, b in zip(table.datasets, datasets, strict=True)
            )
            if not same or names != [d.name for d in datasets]:
                return None
            self._taken = (table, values)
            return table

    def value(self, name: str, table: EventTable) -> Any | None:
        """What ``name``'s prepare returned for ``table`` (once: it is then let go), or
        None when the table was not made ahead."""
        with self._lock:
            if self._taken is None or self._taken[0] is not table:
                return None
            return self._taken[1].pop(name, None)


def _side_by_side(table: EventTable, prepares: list[tuple[str, Prepare]]) -> dict[str, Any]:
    """Every ``prepare(table)``, on this thread and one more: they are mostly numpy, which
    lets go of the GIL (the map's and the timeline's took 0.16 and 0.14 s one after the
    other at 1M events, most of a reopen). Each value is built once even when two
    prepares need it (model/table_cache.py); the first error is raised, as it was."""
    todo = list(reversed(prepares))
    lock = threading.Lock()
    values: dict[str, Any] = {}

    def work() -> None:
        while True:
            with lock:
                if not todo:
                    return
                name, prepare = todo.pop()
            values[name] = prepare(table)

    if len(prepares) < 2 or (os.cpu_count() or 1) < 2:
        work()
    else:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="timeline-app prepare") as pool:
            helper = pool.submit(work)
            try:
                work()
            finally:
                helper.result()
    return {name: values[name] for name, _ in prepares}
