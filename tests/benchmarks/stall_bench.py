"""``ui_max_stall_ms`` (issue 16): the longest the UI thread goes without handling events
while the user opens a file, filters, sorts and exports through the window, in memory.

A heartbeat timer on the UI thread ticks every few milliseconds; the figure is the
longest gap between two ticks over the four steps, each done as the window does it
(File > Open's worker, the filter state with its text-search worker, a sort by the
table's worker, the export dialog's job), each waited for on the event loop.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

#: The heartbeat's period: a gap this long is no stall at all.
TICK_MS = 5


class Heartbeat:
    """Records the longest gap between ticks of a timer on the UI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0
        self.by_step: dict[str, float] = {}
        self.where: Counter[str] = Counter()
        self._watching = False

    def _tick(self) -> None:
        at = time.perf_counter()
        if self.last:
            self.longest = max(self.longest, at - self.last)
        self.last = at

    def step(self, name: str) -> None:
        """From now on, gaps count for ``name`` (the previous step's longest is kept)."""
        self.by_step[name] = 0.0
        self.longest, self.last = 0.0, time.perf_counter()
        self._name = name

    def end_step(self) -> None:
        # Work done synchronously at the end of the step has had no tick after it yet.
        self.longest = max(self.longest, time.perf_counter() - self.last)
        self.by_step[self._name] = self.longest * 1000

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()
        self._watching = True
        threading.Thread(target=self._watch, name="stall-watch", daemon=True).start()

    def stop(self) -> None:
        self.timer.stop()
        self._watching = False

    def _watch(self) -> None:
        """Where the UI thread is while it has missed ticks for 300 ms: the code that
        stalls it, for its owners (sampled every 50 ms, the innermost frames)."""
        main = threading.main_thread().ident
        while self._watching:
            time.sleep(0.05)
            if time.perf_counter() - self.last < 0.3:
                continue
            frame = sys._current_frames().get(main or 0)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)[-4:][::-1]
            where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in stack)
            self.where[where] += 1


def measure_ui_stall(bench) -> None:
    from tests.benchmarks.run import FILTER_A, TEXT_A, close_all, open_in_window, wait_until
    from timeline_app.model.filters import FilterSpec
    from timeline_app.model.provenance import ExportChoice
    from timeline_app.ui.export_worker import start_export

    window, app = bench.window, bench.app
    if window is None:
        raise RuntimeError("no window: the open step failed")

    def wait(step: str, condition) -> None:
        if not wait_until(app, condition, timeout_s=120):
            raise RuntimeError(f"the {step} did not finish within 120 s")

    # The trends step left its tab in front of the table's: the open waits for the table to
    # paint, so bring the table back (as a researcher would) before it.
    window.table_dock.raise_()
    close_all(bench)  # the harness's own work (gc), before the heartbeat
    beat = Heartbeat()
    beat.start()
    try:
        beat.step("open")
        open_in_window(bench, window)
        wait("open", lambda: not window.filter_worker.busy)
        beat.end_step()
        state = window.state
        beat.step("filter")
        state.set_filter(FilterSpec(**FILTER_A))
        state.set_filter(FilterSpec(**FILTER_A, text=TEXT_A))
        state.set_filter(FilterSpec(text=TEXT_A))  # all 1M notes: the worker searches
        wait("filter", lambda: not state.filter_pending)
        beat.end_step()
        beat.step("sort")
        sorter = window.table_view.sort_worker  # the table header's sort
        sorter.sort([("notes", True)])
        wait("sort", lambda: not sorter.is_running())
        beat.end_step()
        beat.step("export")
        state.set_filter(FilterSpec())
        out = Path(bench.path).with_name("stall-export.csv")
        job = start_export(state.table, state.visible, ExportChoice(out=out), parent=window)
        done: list[bool] = []
        job.finished.connect(lambda: done.append(True))
        job.start()
        wait("export", lambda: bool(done))
        beat.end_step()
        out.unlink(missing_ok=True)
        Path(str(out) + ".provenance.json").unlink(missing_ok=True)
    finally:
        beat.stop()
    bench.record("ui_max_stall_ms", max(beat.by_step.values()))
    bench.diagnostics["ui_stall_by_step_ms"] = {k: round(v, 1) for k, v in beat.by_step.items()}
    bench.diagnostics["ui_stall_where"] = [
        f"{n * 50} ms: {where}" for where, n in beat.where.most_common(5)
    ]
