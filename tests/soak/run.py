"""``make soak MINUTES=N``: the window, offscreen, driven by random (seeded) actions for N
minutes over the bundled sample and a generated 100k-event file: open, filter, zoom,
select, export, undo/redo, close a file.

It fails (exit 1) on any uncaught exception (slots, threads), any Qt warning, any error
a user would be shown on opening, any error logged, and memory growing by more than 15%
after warm-up. Memory is compared at checkpoints where nothing is open (all files
closed, no job left running, garbage collected, freed memory returned), so what is
measured is what stays; the end is the median of the last checkpoints, so that one
caught while the allocator still holds a freed buffer does not count as a leak, while a
leak, which raises them all, does.

    python -m tests.soak --minutes 2 [--seed 7] [--events 100000]
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

#: Qt's own messages that say nothing about the app: the offscreen platform cannot
#: pass size hints to a window manager it does not have.
BENIGN_QT = ("This plugin does not support propagateSizeHints()",)
GROWTH_LIMIT = 1.15
CHECK_EVERY = 10  # actions between memory checkpoints
END_CHECKPOINTS = 3  # the median of these last checkpoints is the end's memory
WARM_UP = 0.3  # share of the time before the memory baseline is taken
MAX_OPEN = 3  # files open at once (a load of the big file takes a second or two)
TEXTS = ("attack", "Gao", "JNIM", "Timbuktu", "village", "MINUSMA", "Niger", "")


def rss_bytes() -> int:
    """The process's resident memory now (Linux); its peak elsewhere."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Problems:
    """Everything that fails the soak, as it happens."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, what: str) -> None:
        if len(self.found) < 50:
            print(f"soak: PROBLEM: {what}", file=sys.stderr, flush=True)
        self.found.append(what)

    def install(self) -> None:
        from PySide6.QtCore import QtMsgType, qInstallMessageHandler

        def on_qt(kind: QtMsgType, _context: object, message: str) -> None:
            if kind == QtMsgType.QtDebugMsg or kind == QtMsgType.QtInfoMsg:
                return
            if any(benign in message for benign in BENIGN_QT):
                return
            self.add(f"Qt {kind.name}: {message}")

        qInstallMessageHandler(on_qt)
        sys.excepthook = lambda t, e, tb: self.add(
            "exception: " + "".join(traceback.format_exception(t, e, tb)).strip()
        )
        threading.excepthook = lambda a: self.add(
            f"exception in thread {a.thread}: {a.exc_type.__name__}: {a.exc_value}"
        )

        class ToProblems(logging.Handler):
            def emit(inner, record: logging.LogRecord) -> None:  # noqa: N805
                self.add(f"logged {record.levelname}: {record.getMessage()}")

        handler = ToProblems(level=logging.ERROR)
        logging.getLogger("timeline_app").addHandler(handler)


class Soak:
    def __init__(self, files: list[Path], out: Path, seed: int, problems: Problems) -> None:
        self.files, self.out, self.problems = files, out, problems
        self.rng = random.Random(seed)
        self.done: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.window = self._new_window()

    # -- plumbing ---------------------------------------------------------------------------
    def _new_window(self):
        from timeline_app.ui.main_window import MainWindow

        window = MainWindow()
        window.resize(1400, 900)
        window.show()
        failed = window._on_failed  # what a user is shown when a file does not open

        def on_failed(path, message, error=None):
            self.problems.add(f"could not open {path}: {message}")
            failed(path, message, error)

        window._on_failed = on_failed
        self.settle()
        return window

    def settle(self, timeout: float = 60.0) -> None:
        """Let the window finish what it started (loads, filters, exports, paints)."""
        from PySide6.QtWidgets import QApplication

        from timeline_app.ui.workers import jobs_in_flight

        app = QApplication.instance()
        deadline = time.monotonic() + timeout
        window = getattr(self, "window", None)
        while time.monotonic() < deadline:
            app.processEvents()
            busy = window is not None and (
                window._loads
                or window.filter_worker.busy
                or window.workspaces.busy
                or not window.filter_panel.counts_settled()
                or jobs_in_flight() > 0
            )
            if not busy:
                break
            time.sleep(0.005)
        else:
            self.problems.add(f"the window was still busy after {timeout:.0f} s")
        for _ in range(3):
            app.processEvents()

    # -- actions ------------------------------------------------------------------------------
    def open(self) -> None:
        datasets = self.window.state.table.datasets
        if len(datasets) >= MAX_OPEN:
            self.close_file()
        self.window.open_file(self.rng.choice(self.files), report=False)

    def close_file(self) -> None:
        datasets = self.window.state.table.datasets
        if datasets:
            self.window.close_file(self.rng.choice(datasets).name)

    def filter(self) -> None:
        state = self.window.state
        kind = self.rng.choice(("text", "fatalities", "category", "clear"))
        spec = state.spec
        if kind == "text":
            spec = spec.with_(text=self.rng.choice(TEXTS))
        elif kind == "fatalities":
            spec = spec.with_(fatalities_min=float(self.rng.choice((0, 1, 5, 20))))
        elif kind == "category":
            cats = ("attack", "mourning", "withdrawal", "blockade", "statement", "other")
            spec = spec.with_(categories=tuple(self.rng.sample(cats, self.rng.randint(0, 3))))
        else:
            from timeline_app.model.filter_spec import FilterSpec

            spec = FilterSpec()
        state.set_filter(spec)

    def zoom(self) -> None:
        timeline = self.window.timeline
        if self.rng.random() < 0.2:
            timeline.fit_all()
        else:
            timeline.zoom(self.rng.choice((0.25, 0.5, 2.0, 4.0)))

    def select(self) -> None:
        state = self.window.state
        visible = state.visible
        if len(visible) == 0 or self.rng.random() < 0.15:
            state.clear_selection()
            return
        k = min(len(visible), self.rng.choice((1, 1, 3, 50)))
        rows = sorted(self.rng.sample(range(len(visible)), k))
        state.select([int(visible[i]) for i in rows])

    def export(self) -> None:
        if not len(self.window.state.visible):
            return
        dialog = self.window.show_export_dialog()
        self.settle()
        dialog.path_edit.setText(str(self.out / f"export-{self.rng.randint(0, 2)}.csv"))
        job = dialog.start_export()
        if job is None:  # the file exists: the button now says Replace
            job = dialog.start_export()
        if job is None:
            self.problems.add(f"export did not start: {dialog.message.text()}")
        else:
            deadline = time.monotonic() + 60
            while dialog.job is not None and time.monotonic() < deadline:
                self._spin()
            if not dialog._succeeded:
                self.problems.add(f"export failed: {dialog.message.text()}")
        dialog.close()

    def _spin(self) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.instance().processEvents()
        time.sleep(0.005)

    def undo(self) -> None:
        if self.rng.random() < 0.7:
            self.window.undo.undo()
        else:
            self.window.undo.redo()

    ACTIONS: tuple[tuple[str, float], ...] = (
        ("open", 3),
        ("close_file", 1),
        ("filter", 4),
        ("zoom", 3),
        ("select", 3),
        ("export", 1),
        ("undo", 2),
    )
    # Not "close the window and open another": a closed MainWindow is not freed yet
    # (Python references among its controllers keep it, with its files), which the app,
    # whose one window closing ends the process, never meets, but a soak would only
    # measure that.

    def step(self, name: str | None = None) -> None:
        names, weights = zip(*self.ACTIONS, strict=True)
        name = name or self.rng.choices(names, weights)[0]
        started = time.perf_counter()
        getattr(self, name)()
        self.settle()
        self.done[name] += 1
        self.seconds[name] += time.perf_counter() - started

    def warm_up(self) -> None:
        """Every action once with every file open, so that what is made once (caches,
        fonts, Qt's pools) is made before the baseline."""
        for path in self.files:
            self.window.open_file(path, report=False)
            self.settle()
            for name in ("filter", "zoom", "select", "export", "undo", "filter", "select"):
                self.step(name)

    def checkpoint(self) -> int:
        """Memory with nothing open: what the session leaves behind."""
        from timeline_app.model.memory import release_memory

        self.window.close_all_files()
        self.settle()
        gc.collect()
        release_memory()
        return rss_bytes()


def _isolate(folder: Path) -> None:
    """The soak's own settings, caches, logs and autosave, never the user's."""
    for name in ("CONFIG", "CACHE", "LOG", "STATE"):
        os.environ[f"TIMELINE_APP_{name}_DIR"] = str(folder / name.lower())
    os.environ["XDG_CONFIG_HOME"] = str(folder / "xdg")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run(
    minutes: float,
    seed: int,
    events: int,
    folder: Path,
    before_step: Callable[[Soak], None] | None = None,
) -> int:
    """The soak; returns the exit status (0: nothing found)."""
    _isolate(folder)
    from PySide6.QtCore import QSettings

    from timeline_app.paths import SAMPLE_FILES
    from timeline_app.ui.app import create_app

    problems = Problems()
    problems.install()
    app = create_app(lang="en")
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder / "settings"))
    files = [p for p in SAMPLE_FILES if p.exists()]
    if events:
        from tests.benchmarks.generate import ensure

        files.append(ensure(events, verbose=True))
    out = folder / "exports"
    out.mkdir(exist_ok=True)
    soak = Soak(files, out, seed, problems)
    soak.warm_up()
    soak.checkpoint()
    started = time.monotonic()
    deadline = started + minutes * 60
    warm_until = started + WARM_UP * minutes * 60
    baseline = 0
    checkpoints: list[int] = []
    steps = 0
    while time.monotonic() < deadline:
        if before_step is not None:
            before_step(soak)
        soak.step()
        steps += 1
        if steps % CHECK_EVERY == 0:
            checkpoints.append(soak.checkpoint())
            print(
                f"soak: {steps} actions, {checkpoints[-1] / 2**20:.0f} MB with nothing open",
                flush=True,
            )
            if time.monotonic() <= warm_until or not baseline:
                baseline = checkpoints[-1]
    checkpoints.append(soak.checkpoint())
    last = int(statistics.median(checkpoints[-END_CHECKPOINTS:]))
    baseline = baseline or last
    soak.window.close()
    app.processEvents()
    growth = last / baseline
    print(
        f"soak: {steps} actions in {(time.monotonic() - started) / 60:.1f} min (seed {seed}): "
        + ", ".join(
            f"{k} {v} ({soak.seconds[k] / v:.2f} s each)" for k, v in sorted(soak.done.items())
        )
    )
    print(
        f"soak: memory with nothing open {baseline / 2**20:.0f} MB after warm-up, "
        f"{last / 2**20:.0f} MB at the end (median of the last {END_CHECKPOINTS} checkpoints, "
        f"{(growth - 1) * 100:+.1f}%)"
    )
    if growth > GROWTH_LIMIT:
        problems.add(f"memory grew {(growth - 1) * 100:.0f}% after warm-up (limit 15%)")
    if problems.found:
        print(f"soak: FAILED: {len(problems.found)} problem(s)", file=sys.stderr)
        return 1
    print("soak: passed")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=20230907)
    parser.add_argument("--events", type=int, default=100_000, help="0: the sample only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="timeline-soak-") as folder:
        return run(args.minutes, args.seed, args.events, Path(folder))
