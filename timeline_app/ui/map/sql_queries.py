"""The DuckDB map's questions of one kind (ui/map/sql_source.py), each on its worker's
own cursor: a newer one interrupts the older ones' queries, and only theirs (the
table's pages and counts go on)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import duckdb
from PySide6.QtCore import QObject

from timeline_app.ui.workers import Job, JobKind

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine


class Queries:
    """Jobs of one kind on the DuckDB engine, each on its worker's own cursor: a newer
    one makes the older stale and interrupts their queries, and only theirs."""

    def __init__(self, name: str) -> None:
        self.kind = JobKind(name)
        self._lock = threading.Lock()
        self._cursors: set[duckdb.DuckDBPyConnection] = set()

    def start(self, fn: Callable[..., Any], duck: DuckEngine, *args: Any, parent: QObject) -> Job:
        self.interrupt()
        return self.kind.start(self._run, fn, duck, *args, parent=parent)

    def _run(self, control: Any, fn: Callable[..., Any], duck: DuckEngine, *args: Any) -> Any:
        cursor = duck.cursor()  # this worker's (engine.query runs on it)
        with self._lock:
            self._cursors.add(cursor)
        try:
            if control.cancelled():  # superseded before its cursor could be interrupted
                return None
            return fn(control, duck, *args)
        finally:
            with self._lock:
                self._cursors.discard(cursor)

    def interrupt(self) -> None:
        self.kind.supersede()
        with self._lock:
            running = list(self._cursors)
        for cursor in running:
            cursor.interrupt()

    def busy(self) -> bool:
        return self.kind.busy()
