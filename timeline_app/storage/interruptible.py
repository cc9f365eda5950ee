"""A long DuckDB statement (a conversion's sort and COPY) that Cancel can stop, and whose
progress shows.

DuckDB runs a statement on the calling thread until it ends; another thread may ask the
connection how far it is (``query_progress``) and stop it (``interrupt``). :func:`watched`
starts such a thread for the statements of its block, polling a ``cancelled`` callable
(a worker's ``control.cancelled``), so that the caller need not hand its connection out.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

import duckdb

#: How often the watcher looks at the cancel flag and the progress (seconds).
POLL_S = 0.1


class ConvertCancelled(Exception):
    """The conversion was cancelled: nothing was written (an existing file is kept)."""


def check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise ConvertCancelled()


@contextlib.contextmanager
def watched(
    con: duckdb.DuckDBPyConnection,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[float], None] | None = None,
    span: tuple[float, float] = (0.0, 1.0),
) -> Iterator[None]:
    """Run the block's statements on ``con`` with a watcher that interrupts them once
    ``cancelled()`` is true (then :class:`ConvertCancelled` is raised) and reports their
    progress to ``progress``, mapped into ``span``."""
    if cancelled is None and progress is None:
        yield
        return
    if progress is not None:
        con.execute("SET enable_progress_bar = true")  # query_progress needs it
        con.execute("SET enable_progress_bar_print = false")
    done = threading.Event()
    low, high = span

    def watch() -> None:
        while not done.wait(POLL_S):
            if cancelled is not None and cancelled():
                # Again each time: an interrupt before the statement starts is not kept.
                con.interrupt()
                continue
            if progress is not None:
                share = con.query_progress()
                if share >= 0:
                    progress(low + (high - low) * min(share, 100.0) / 100.0)

    watcher = threading.Thread(target=watch, name="duckdb watch", daemon=True)
    watcher.start()
    try:
        yield
    except duckdb.InterruptException:
        if cancelled is not None and cancelled():
            raise ConvertCancelled() from None
        raise
    finally:
        done.set()
        watcher.join()
    check(cancelled)
