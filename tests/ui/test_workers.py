"""The one worker helper: progress arrives, cancel stops between yields, a stale result is
dropped, and an error reaches its handler with the traceback."""

from __future__ import annotations

import gc
import sys
import threading
import weakref

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import shiboken6
from PySide6.QtCore import QObject

from timeline_app.model.memory import release_memory
from timeline_app.ui.workers import (
    Job,
    JobError,
    JobKind,
    install_memory_releases,
    jobs_in_flight,
)


def counting(control, steps: int, gate: threading.Event | None = None):
    for k in range(steps):
        if gate is not None:
            gate.wait(5)
        yield (k + 1) / steps
    return "done"


def test_progress_arrives_then_the_result(qtbot):
    job = Job(counting, 4, name="count")
    seen: list[float] = []
    job.progress.connect(seen.append)
    with qtbot.waitSignal(job.returned, timeout=5000) as returned:
        job.start()
    assert returned.args == ["done"]
    qtbot.waitUntil(lambda: seen == [0.25, 0.5, 0.75, 1.0], timeout=5000)


def test_a_function_reports_progress_through_its_control(qtbot):
    def work(control, n):
        for k in range(n):
            control.progress((k + 1) / n)
        return n * 2

    job = Job(work, 2)
    seen: list[float] = []
    job.progress.connect(seen.append)
    with qtbot.waitSignal(job.returned, timeout=5000) as returned:
        job.start()
    assert returned.args == [4]
    qtbot.waitUntil(lambda: seen == [0.5, 1.0], timeout=5000)


def test_cancel_stops_a_generator_between_yields(qtbot):
    gate = threading.Event()
    ran: list[int] = []

    def steps(control):
        for k in range(100):
            gate.wait(5)
            ran.append(k)
            yield k / 100

    job = Job(steps)
    returned: list[object] = []
    job.returned.connect(returned.append)
    job.start()
    job.cancel()
    with qtbot.waitSignals([job.cancelled, job.finished], order="strict", timeout=5000):
        gate.set()
    assert job.wait(5000)
    assert len(ran) <= 1 and not returned  # stopped at the first yield, no result


def test_a_cancelled_function_ends_as_cancelled_whatever_it_raises(qtbot):
    started = threading.Event()

    def work(control):
        started.set()
        while not control.cancelled():
            control.progress(0.5)
        raise RuntimeError("stopped half-way")

    job = Job(work)
    errors: list[JobError] = []
    job.errored.connect(errors.append)
    job.start()
    assert started.wait(5)
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.cancel()
    assert not errors


def test_a_stale_result_is_dropped(qtbot):
    kind = JobKind("sort")
    gate = threading.Event()
    results: list[str] = []

    def slow(control, label):
        gate.wait(5)
        return label

    old = kind.start(slow, "old")
    old.returned.connect(results.append)
    new = kind.start(lambda control: "new")
    new.returned.connect(results.append)
    assert old.stale and not new.stale
    with qtbot.waitSignal(old.finished, timeout=5000):
        gate.set()
    qtbot.waitUntil(lambda: not kind.busy(), timeout=5000)
    assert results == ["new"]


def test_serial_jobs_run_one_at_a_time_and_a_superseded_one_never_starts(qtbot):
    kind = JobKind("search", serial=True)
    gate = threading.Event()
    ran: list[str] = []

    def work(control, label):
        ran.append(label)
        gate.wait(5)
        return label

    first = kind.start(work, "first")
    qtbot.waitUntil(lambda: ran == ["first"], timeout=5000)
    kind.start(work, "second")  # waits for its turn...
    third = kind.start(work, "third")  # ... and is superseded before it comes
    with qtbot.waitSignal(third.returned, timeout=5000):
        gate.set()
    assert first.stale and ran == ["first", "third"]


def test_an_error_reaches_the_errored_handler_with_its_traceback(qtbot):
    def broken(control):
        return {}["missing"]

    job = Job(broken, name="broken job")
    with qtbot.waitSignal(job.errored, timeout=5000) as errored:
        job.start()
    error = errored.args[0]
    assert isinstance(error, JobError) and isinstance(error.exception, KeyError)
    assert "Traceback" in error.traceback and 'return {}["missing"]' in error.traceback
    assert error.message == "'missing'"


def test_waiting_from_the_ui_thread_returns_without_the_event_loop():
    job = Job(counting, 3).start()
    assert job.wait(5000) and not job.is_running()


def test_a_job_is_in_flight_from_its_start_until_it_has_finished(qtbot):
    gate = threading.Event()
    before = jobs_in_flight()
    job = Job(counting, 1, gate)
    job.start()
    assert jobs_in_flight() == before + 1
    with qtbot.waitSignal(job.finished, timeout=5000):
        gate.set()
    assert jobs_in_flight() == before


def test_a_job_whose_parent_is_deleted_while_it_runs_is_not_kept(qtbot):
    """Its parent (a closed window's view) deleted, the job's wrapper, and with it the
    slots and tables it holds, goes too; once its thread has ended it is not in flight."""
    gate = threading.Event()
    before = jobs_in_flight()
    parent = QObject()
    job = Job(counting, 1, gate, parent=parent).start()
    thread, gone = job._thread, weakref.ref(job)
    assert jobs_in_flight() == before + 1
    shiboken6.delete(parent)
    del job, parent
    gc.collect()
    assert gone() is None
    gate.set()
    assert thread is not None
    thread.join(5)
    assert jobs_in_flight() == before


def test_a_job_without_a_parent_is_kept_until_it_has_finished(qtbot):
    """Nobody need hold a parentless job: its result still arrives."""
    gate = threading.Event()
    results: list[object] = []
    job = Job(counting, 1, gate)
    job.returned.connect(results.append)
    finished = job.finished
    job.start()
    gone = weakref.ref(job)
    del job
    gc.collect()
    assert gone() is not None
    with qtbot.waitSignal(finished, timeout=5000):
        gate.set()
    assert results == ["done"]


def resident_anonymous_mb() -> float:
    with open("/proc/self/status") as fh:
        line = next(line for line in fh if line.startswith("RssAnon:"))
    return int(line.split()[1]) / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_arrow_memory_a_job_freed_goes_back_to_the_system(qtbot):
    """Arrow's allocator keeps what a thread freed until that thread, or the main one,
    asks for it back: a job's thread ended without asking, and its memory stayed resident
    (~400 MB at the end of the 1M-event benchmark, after a sort by notes on a worker)."""
    text = pc.cast(pa.array(np.arange(3_000_000)), pa.string())
    text = pc.binary_join_element_wise(text, text, text, text, "-")  # ~100 MB of text
    release_memory()
    before = resident_anonymous_mb()

    def churn(_control) -> int:  # a job's Arrow work: ~200 MB made, then freed
        upper = pc.utf8_upper(text)
        return len(pc.utf8_lower(upper))

    job = Job(churn, name="churn")
    with qtbot.waitSignal(job.finished, timeout=30_000):
        job.start()
    qtbot.waitUntil(lambda: not job.is_running(), timeout=5000)
    qtbot.waitUntil(lambda: resident_anonymous_mb() - before < 40, timeout=5000)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_a_workers_release_reaches_what_ended_threads_left(qtbot):
    """A release asked on a worker also returns what threads that have ended left (on the
    UI thread, posted: only the main thread's request reaches it)."""
    install_memory_releases()
    text = pc.cast(pa.array(np.arange(3_000_000)), pa.string())
    text = pc.binary_join_element_wise(text, text, text, text, "-")
    release_memory()
    before = resident_anonymous_mb()

    def helper() -> None:  # a helper thread of a job's (a pool's), ended without asking
        pc.utf8_lower(pc.utf8_upper(text))

    thread = threading.Thread(target=helper)
    thread.start()
    thread.join()
    assert resident_anonymous_mb() - before > 100  # what it freed is still resident
    worker = threading.Thread(target=release_memory)  # a job's release, on its thread
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: resident_anonymous_mb() - before < 40, timeout=5000)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_what_a_jobs_result_held_goes_back_once_it_is_let_go(qtbot):
    """A job's result is let go on the UI thread after the job ended (a sort's keys, an
    export's tables): Arrow's allocator gives that back only when the UI thread asks, a
    little after the last job ended (at 1M events, ~400 MB stayed after the benchmark's
    sort by notes and export)."""
    install_memory_releases()
    text = pc.cast(pa.array(np.arange(3_000_000)), pa.string())
    text = pc.binary_join_element_wise(text, text, text, text, "-")
    release_memory()
    before = resident_anonymous_mb()
    results: list = []

    def lowered(_control):  # made on the worker, freed on the UI thread
        return pc.utf8_lower(pc.utf8_upper(text))

    job = Job(lowered, name="lowered")
    job.returned.connect(results.append)
    with qtbot.waitSignal(job.finished, timeout=30_000):
        job.start()
    qtbot.waitUntil(lambda: not job.is_running(), timeout=5000)
    assert resident_anonymous_mb() - before > 80  # the result, held
    results.clear()  # the view is done with it
    qtbot.waitUntil(lambda: resident_anonymous_mb() - before < 40, timeout=5000)
