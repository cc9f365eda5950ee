"""The readers' thread pool: a waiting thread runs queued jobs itself."""

from __future__ import annotations

import threading

import pytest

from timeline_app.formats._pool import HelpingPool


def test_the_waiting_thread_runs_jobs_no_worker_has_started():
    pool = HelpingPool(max_workers=1)
    release = threading.Event()
    try:
        busy = pool.submit(release.wait, 10)  # the only worker is taken
        ran_on: list[str] = []
        queued = pool.submit(lambda: ran_on.append(threading.current_thread().name) or 42)
        assert queued.result() == 42  # not waiting for the busy worker: run here
        assert ran_on == [threading.current_thread().name]
        release.set()
        assert busy.result() is True
    finally:
        release.set()
        pool.shutdown()


def test_help_runs_what_is_queued_and_errors_reach_the_caller():
    pool = HelpingPool(max_workers=1)
    release = threading.Event()
    try:
        pool.submit(release.wait, 10)
        done: list[int] = []
        jobs = [pool.submit(done.append, i) for i in range(3)]
        failing = pool.submit(int, "not a number")
        pool.help()
        assert sorted(done) == [0, 1, 2] and all(j.result() is None for j in jobs)
        with pytest.raises(ValueError):
            failing.result()
    finally:
        release.set()
        pool.shutdown()
