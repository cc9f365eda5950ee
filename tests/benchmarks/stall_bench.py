"""``ui_max_stall_ms`` (issue 16): the longest the UI thread goes without handling events
while the user opens a file, filters, sorts and exports through the window, in memory.

A heartbeat timer on the UI thread ticks every few milliseconds; the figure is the
longest gap between two ticks over the four steps, each done as the window does it
(File > Open's worker, the filter state with its text-search worker, a sort by the
table's worker, the export dialog's job), each waited for on the event loop, with the
work it sets off (the repaint, the filter's counts: until no worker thread is left), so
that a step's tail is not counted in the next step.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

#: The heartbeat's period: a gap this long is no stall at all.
TICK_MS = 5
#: A gap longer than this is a stall worth naming: the watchdog samples where the UI
#: thread is while a beat is this late, and the report lists the longest such gaps.
LATE_MS = 40
#: How often the watchdog looks at the UI thread while a beat is late.
SAMPLE_MS = 5


def _where(frame) -> tuple[str, bool]:
    """A thread's stack in a few words: the innermost frames of the app (or of the
    benchmark, when no app code is on it), and the innermost frame when that is elsewhere
    (numpy, pyarrow, Qt's own Python); and whether app code is on it."""
    stack = traceback.extract_stack(frame)[::-1]
    ours = [f for f in stack if "/timeline_app/" in f.filename][:3]
    in_app = bool(ours)
    if not ours:
        ours = [f for f in stack if "/tests/" in f.filename][:1]
    named = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in ours]
    if stack and (not ours or stack[0] is not ours[0]):
        inner = stack[0]
        named.insert(
            0,
            f"[{Path(inner.filename).parent.name}/{Path(inner.filename).name}"
            f":{inner.lineno} {inner.name}]",
        )
    return " <- ".join(named), in_app


@dataclass
class Gap:
    """One stall: its step, how long, and where the UI thread was while it lasted."""

    step: str
    ms: float
    where: Counter[str] = field(default_factory=Counter)

    def describe(self) -> str:
        if not self.where:  # no sample: inside Qt's C++, or shorter than a sample
            return f"{self.step} {self.ms:.0f} ms: (no Python frame sampled)"
        places = "; ".join(f"{n}x {w}" for w, n in self.where.most_common(3))
        return f"{self.step} {self.ms:.0f} ms: {places}"


class EventWatch:
    """The Qt event being delivered on the UI thread (an application-wide event filter):
    when the watchdog finds no Python frame doing the work, the stall is inside Qt's C++
    (a paint, a layout), and the last event delivered says which widget it was for."""

    def __init__(self, app) -> None:
        from PySide6.QtCore import QObject

        watch = self
        self.current = ""

        class _Filter(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
                watch.current = f"{event.type().name} to {type(obj).__name__}"
                return False

        self.filter = _Filter()
        self.app = app
        app.installEventFilter(self.filter)

    def remove(self) -> None:
        self.app.removeEventFilter(self.filter)


class Heartbeat:
    """Records the longest gap between ticks of a timer on the UI thread, per step, and
    (a watchdog thread sampling ``sys._current_frames()``) where the UI thread was during
    each gap longer than ``LATE_MS``."""

    def __init__(self, events: EventWatch | None = None) -> None:
        from PySide6.QtCore import QTimer

        self.events = events
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0
        self.by_step: dict[str, float] = {}
        self.gaps: list[Gap] = []
        self._samples: Counter[str] = Counter()  # of the gap in progress (watchdog's)
        self._lock = threading.Lock()
        self._watching = False
        self._name = ""

    def _tick(self) -> None:
        at = time.perf_counter()
        if self.last:
            self._close_gap(at - self.last)
        self.last = at

    def _close_gap(self, gap: float) -> None:
        self.longest = max(self.longest, gap)
        with self._lock:
            samples, self._samples = self._samples, Counter()
        if gap * 1000 >= LATE_MS:
            self.gaps.append(Gap(self._name, gap * 1000, samples))

    def step(self, name: str) -> None:
        """From now on, gaps count for ``name`` (the previous step's longest is kept)."""
        self.by_step[name] = 0.0
        self.longest, self.last = 0.0, time.perf_counter()
        with self._lock:
            self._samples = Counter()
        self._name = name

    def end_step(self) -> None:
        # Work done synchronously at the end of the step has had no tick after it yet.
        self._close_gap(time.perf_counter() - self.last)
        self.last = time.perf_counter()
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
        main = threading.main_thread().ident
        while self._watching:
            asleep = time.perf_counter()
            time.sleep(SAMPLE_MS / 1000)
            woke = time.perf_counter()
            if (woke - self.last) * 1000 < LATE_MS:
                continue
            frames = sys._current_frames()
            found = []
            frame = frames.get(main or 0)
            if frame is not None:
                where, in_app = _where(frame)
                if self.events is not None and not in_app:
                    where += f" (Qt event: {self.events.current})"
                found.append(where)
            overslept = (woke - asleep) * 1000 - SAMPLE_MS
            if overslept >= LATE_MS / 2:
                # This thread could not run either: some thread held the GIL (a long C
                # call that does not release it). Those just let go of it are named.
                names = {t.ident: t.name for t in threading.enumerate()}
                for ident, other in frames.items():
                    name = names.get(ident, "?")
                    if ident in (main, threading.get_ident()):
                        continue
                    where, in_app = _where(other)
                    if in_app:
                        found.append(f"GIL held {overslept:.0f} ms; {name!r} at {where}")
            with self._lock:
                self._samples.update(found)

    def worst(self, n: int = 8) -> list[str]:
        """The ``n`` longest stalls, longest first, each with where it was spent."""
        return [g.describe() for g in sorted(self.gaps, key=lambda g: -g.ms)[:n]]


def busy_threads() -> list[str]:
    """The app's worker threads still running (not the watchdog, nor Qt's own threads)."""
    return [
        t.name
        for t in threading.enumerate()
        if t is not threading.main_thread()
        and type(t).__name__ != "_DummyThread"
        and t.name != "stall-watch"
    ]


def measure_ui_stall(bench) -> None:
    from PySide6.QtCore import QTimer

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
        # And the work the step set off: the window's repaint, the filter's counts and
        # the like, so that a step's tail is counted in that step, not in the next one.
        quiet: list[bool] = []  # the last polls' answers: idle at three in a row

        def idle() -> bool:
            quiet[:] = [*quiet[-2:], not busy_threads()]
            return len(quiet) == 3 and all(quiet)  # and their results delivered

        wait_until(app, idle, timeout_s=30)

    # The trends step left its tab in front of the table's: the open waits for the table to
    # paint, so bring the table back (as a researcher would) before it.
    window.table_dock.raise_()
    close_all(bench)  # the harness's own work (gc), before the heartbeat
    events = EventWatch(app)
    beat = Heartbeat(events)
    beat.start()
    try:
        beat.step("open")
        open_in_window(bench, window)
        # Open ends when every view shows the file: the Filters dock's lists and counts too.
        panel = window.filter_panel
        wait("open", lambda: not window.filter_worker.busy and panel.counts_settled())
        beat.end_step()
        state = window.state
        beat.step("filter")
        # Three intents, each its own event as a user's clicks and typing are, one tick
        # apart (a timer of TICK_MS, not 0: Qt makes a 0 ms single shot a posted event,
        # which runs in the same pass as the repaint the first one posted, so that the
        # three and their paints counted as one stall no user can cause). No worker need
        # have finished between them.
        intents = [
            FilterSpec(**FILTER_A),
            FilterSpec(**FILTER_A, text=TEXT_A),
            FilterSpec(text=TEXT_A),  # all 1M notes: the worker searches
        ]

        def next_intent() -> None:
            state.set_filter(intents.pop(0))
            if intents:
                QTimer.singleShot(TICK_MS, next_intent)

        QTimer.singleShot(TICK_MS, next_intent)
        wait("filter", lambda: not intents and not state.filter_pending)
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
        events.remove()
    # The figure is the worst step's; the note says each step's (printed with the table).
    by_step = ", ".join(f"{k} {v:.0f}" for k, v in beat.by_step.items())
    bench.record("ui_max_stall_ms", max(beat.by_step.values()), note=f"by step (ms): {by_step}")
    bench.diagnostics["ui_stall_by_step_ms"] = {k: round(v, 1) for k, v in beat.by_step.items()}
    bench.diagnostics["ui_stall_worst"] = beat.worst()
