"""The one way to run work off the UI thread: loading, searching, counting, sorting,
exporting, opening workspaces.

Built on superqt's workers (``superqt.utils.GeneratorWorker``: ``started``,
``yielded``, ``returned``, ``errored``, ``finished``; ``quit()`` honoured between
yields), with what the app needs on top:

- **Progress and cancel.** A job's function is called as ``fn(control, *args)``:
  ``control.progress(f)`` reports a fraction (0..1), ``control.cancelled()`` says it
  should stop. A generator may instead yield fractions; it is stopped between yields
  once cancelled. Anything else it yields is a partial result (``Job.yielded``: a load
  yields its dataset, then goes on hashing the file). After :meth:`Job.cancel` the job
  ends as cancelled, whatever it returns or raises.
- **A generation token.** The jobs of one :class:`JobKind` (the table's sort, the
  filter's counts) supersede each other: starting one makes the older ones stale and
  asks them to stop; whatever a stale job reports is dropped on arrival.
- **Errors with their traceback.** ``Job.errored`` carries a :class:`JobError` (the
  exception, a one-line message, the formatted traceback); the error is also logged.

Every signal of a :class:`Job` is delivered on the UI thread.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import threading
import traceback
import weakref
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from superqt.utils import GeneratorWorker
from superqt.utils._qthreading import GeneratorWorkerSignals

from timeline_app.model.memory import post_releases_with, release_arrow_memory

log = logging.getLogger(__name__)

#: Every job started and not yet finished, whatever its kind (see :func:`jobs_in_flight`).
#: Weak: a job whose parent was deleted is gone with it (its slots, the table they hold).
_in_flight: weakref.WeakSet[Job] = weakref.WeakSet()
#: Jobs without a parent, kept until they have finished (their caller need not hold them).
_unowned: set[Job] = set()


def jobs_in_flight() -> int:
    """How many jobs have started and not yet sent ``finished``: none means the app has
    no work left running off the UI thread (the soak waits for it before it measures).
    A job whose parent was deleted never sends ``finished``: it counts until its thread
    has ended."""
    for job in [j for j in _in_flight if not shiboken6.isValid(j) and not j.is_running()]:
        _in_flight.discard(job)
    return len(_in_flight)


@dataclass(frozen=True)
class JobError:
    """Why a job failed: what to tell the user, and the details for those who ask."""

    exception: BaseException
    traceback: str

    @property
    def message(self) -> str:
        return str(self.exception) or type(self.exception).__name__

    @classmethod
    def of(cls, exception: BaseException) -> JobError:
        return cls(exception, "".join(traceback.format_exception(exception)))


class Control:
    """What a running job is given to report progress and to see whether to stop."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._emit: Callable[[float], None] = lambda _fraction: None

    def cancelled(self) -> bool:
        return self._stop.is_set()

    def progress(self, fraction: float) -> None:
        self._emit(float(fraction))


class _Signals(GeneratorWorkerSignals):
    progress = Signal(float)


class _Worker(GeneratorWorker):
    """superqt's generator worker. Its ``run`` is superqt's, less the warnings capture:
    ``warnings.catch_warnings`` swaps process-wide state, so with several workers (and
    the UI thread) warnings would be routed to whichever worker started last."""

    def __init__(self, name: str, control: Control, *body_args: Any) -> None:
        super().__init__(_body, control, *body_args, SignalsClass=_Signals)
        self.name = name
        self.control = control

    def quit(self) -> None:
        self.control._stop.set()
        super().quit()

    def run(self) -> None:
        self._running = True
        self.started.emit()
        try:
            result = self.work()
            if isinstance(result, Exception):  # superqt hands RuntimeErrors back this way
                raise result
            if not self.abort_requested:
                self.returned.emit(result)
        except Exception as exc:
            if not self.abort_requested:  # a cancelled job may fail on its way out
                log.warning("%s failed", self.name, exc_info=exc)
            with contextlib.suppress(RuntimeError):  # nobody left to tell
                self.errored.emit(exc)
        finally:
            self._gen.close()  # runs its cleanup here, now (a lock it holds, files)
            # What the job freed of Arrow's, before its thread ends (model/memory.py).
            release_arrow_memory()
            self._running = False
            with contextlib.suppress(RuntimeError):
                self.finished.emit()


def _body(
    control: Control, fn: Callable[..., Any], args: tuple, kwargs: dict, lock: Any
) -> Generator[Any, None, Any]:
    with lock if lock is not None else contextlib.nullcontext():
        if control.cancelled():  # superseded while it waited for its turn
            return None
        if inspect.isgeneratorfunction(fn):
            return (yield from fn(control, *args, **kwargs))
        return fn(control, *args, **kwargs)


class Job(QObject):
    """One function running on a worker thread. Keep a reference until ``finished``.

    Signals (on the UI thread): ``progress(float)``, ``yielded(object)``,
    ``returned(object)``, ``errored(JobError)``, ``cancelled()``, then ``finished()``
    always, last. A stale job (superseded in its :class:`JobKind`) sends only
    ``finished``.
    """

    progress = Signal(float)
    yielded = Signal(object)
    returned = Signal(object)
    errored = Signal(object)  # JobError
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        name: str = "job",
        kind: JobKind | None = None,
        parent: QObject | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.kind = kind
        self.generation = kind.generation if kind is not None else 0
        self.control = Control()
        lock = kind.lock if kind is not None else None
        self._worker = _Worker(name, self.control, fn, args, kwargs, lock)
        signals = self._worker.signals
        self.control._emit = signals.progress.emit
        signals.progress.connect(self._on_progress)
        signals.yielded.connect(self._on_yielded)
        signals.returned.connect(self._on_returned)
        signals.errored.connect(self._on_errored)
        signals.finished.connect(self._on_finished)
        self._thread: threading.Thread | None = None
        self._done = False

    # -- control (UI thread) ------------------------------------------------------------
    def start(self) -> Job:
        # A daemon thread of its own rather than a QThreadPool: the global pool has as
        # many threads as cores (two here), so a load waiting to be shown would hold back
        # a search; and a pool makes Quit wait for a long sort, a daemon thread does not.
        self._thread = threading.Thread(target=self._worker.run, name=self.name, daemon=True)
        _in_flight.add(self)
        if self.parent() is None:
            _unowned.add(self)
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the job to stop; it then ends as cancelled, and returns nothing."""
        self._worker.quit()

    @property
    def is_cancelled(self) -> bool:
        return self.control.cancelled()

    @property
    def stale(self) -> bool:
        """A newer job of the same kind was started since: this one's results are dropped."""
        return self.kind is not None and self.kind.generation != self.generation

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, ms: int = 60_000) -> bool:
        """Block (without the event loop) until the thread has ended; True if it has.
        Its signals arrive with the next turn of the event loop."""
        if self._thread is not None:
            self._thread.join(ms / 1000)
        return not self.is_running()

    # -- relays (queued to the UI thread) -------------------------------------------------
    def _live(self) -> bool:
        return not self.stale and not self.is_cancelled

    def _on_progress(self, fraction: float) -> None:
        if self._live():
            self.progress.emit(fraction)

    def _on_yielded(self, value: Any) -> None:
        if value is None or not self._live():
            return
        if isinstance(value, (float, int)) and not isinstance(value, bool):
            self.progress.emit(float(value))
        else:
            self.yielded.emit(value)

    def _on_returned(self, value: Any) -> None:
        if self._live():
            self.returned.emit(value)

    def _on_errored(self, exception: BaseException) -> None:
        if self._live():
            self.errored.emit(JobError.of(exception))

    def _on_finished(self) -> None:
        if self._done:
            return
        self._done = True
        _in_flight.discard(self)
        _unowned.discard(self)
        if self.is_cancelled and not self.stale:
            self.cancelled.emit()
        self.finished.emit()
        _release_after_jobs()
        if self.kind is not None:
            self.kind._forget(self)
        if self.parent() is not None:
            # Its parent would keep it (and, through the slots connected to it, the
            # table it worked on) as long as the window lives: a soak found every sort
            # of a closed file still in memory. Deleted once this signal is delivered.
            self.deleteLater()


class JobKind:
    """Jobs that supersede one another: starting one makes the older ones stale (their
    results are dropped) and asks them to stop. ``serial`` runs them one at a time
    (two cores: two scans of a million rows at once would only slow both)."""

    def __init__(self, name: str, *, serial: bool = False) -> None:
        self.name = name
        self.generation = 0
        self.lock = threading.Lock() if serial else None
        self._jobs: list[Job] = []

    def start(
        self, fn: Callable[..., Any], *args: Any, parent: QObject | None = None, **kwargs: Any
    ) -> Job:
        """Run ``fn(control, *args, **kwargs)`` as the newest job of this kind."""
        self.supersede()
        job = Job(fn, *args, name=self.name, kind=self, parent=parent, **kwargs)
        self._jobs.append(job)
        return job.start()

    def supersede(self) -> None:
        """Make every job started so far stale (a result found another way replaces
        theirs) and ask them to stop."""
        self.generation += 1
        for job in self._jobs:
            job.cancel()

    def running(self) -> list[Job]:
        return [j for j in self._jobs if j.is_running()]

    def busy(self) -> bool:
        """A job of this kind is running, or its results are still on their way."""
        return bool(self.running()) or any(not j._done for j in self._jobs)

    def wait(self, ms: int = 30_000) -> bool:
        """Block until the jobs started so far have ended (tests, benchmarks, shutdown)."""
        return all(job.wait(ms) for job in list(self._jobs))

    def _forget(self, job: Job) -> None:
        with contextlib.suppress(ValueError):
            self._jobs.remove(job)

    def __iter__(self) -> Iterator[Job]:
        return iter(list(self._jobs))


#: After the last job ends, how long until Arrow's freed memory is given back on the UI
#: thread (what the jobs' results and the job objects held, freed there meanwhile).
RELEASE_AFTER_JOBS_MS = 250


class _MainThreadCalls(QObject):
    """Runs callables on the UI thread, posted from any thread (a queued signal), and
    gives Arrow's freed memory back once jobs have ended."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run)
        self.after_jobs = QTimer(self)
        self.after_jobs.setSingleShot(True)
        self.after_jobs.setInterval(RELEASE_AFTER_JOBS_MS)
        self.after_jobs.timeout.connect(release_arrow_memory)

    def _run(self, fn: Callable[[], None]) -> None:
        fn()


def _release_after_jobs() -> None:
    """A job ended (UI thread): Arrow's freed memory goes back a little later, once what
    the job held is freed too (its thread's share it gave back itself; what ended pool
    threads left and what the UI thread freed, only this thread's request returns)."""
    if _main_calls and shiboken6.isValid(_main_calls[0]):
        _main_calls[0].after_jobs.start()


_main_calls: list[_MainThreadCalls] = []


def install_memory_releases() -> None:
    """A worker's ``release_memory()`` (a load's, an export's, a sort's) returns Arrow's
    freed memory through the UI thread, the only thread on which Arrow's allocator gives
    it back (model/memory.py). Called on the UI thread; once is enough."""
    if not _main_calls or not shiboken6.isValid(_main_calls[0]):
        _main_calls[:] = [_MainThreadCalls()]
        post_releases_with(_main_calls[0].call.emit)
