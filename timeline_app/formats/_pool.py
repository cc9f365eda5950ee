"""A thread pool whose waiting thread lends a hand.

A reader hands its Arrow work (casts, joins, checks: Arrow releases the GIL) to two
workers while its own thread does the Python work; once done, instead of waiting, that
thread runs the queued jobs no worker has started yet (:meth:`HelpingPool.help`, and
:meth:`Job.result`), so no core sits idle while work is queued.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class HelpingPool(ThreadPoolExecutor):
    """A thread pool whose waiting thread runs jobs itself that no worker has started yet
    (the main thread, done with its own work, is then the free one)."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers)
        self._jobs: list[Job] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Job:  # type: ignore[override]
        job = Job(super().submit(fn, *args, **kwargs), fn, args, kwargs)
        self._jobs.append(job)
        return job

    def help(self) -> None:
        """Run here the jobs no worker has started, the last queued first."""
        for job in reversed(self._jobs):
            job.steal()


class Job:
    """A submitted call: its result comes from the worker that ran it, or from this
    thread, which runs it itself when no worker has started it yet."""

    def __init__(
        self,
        future: Future[Any],
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        self._future, self._fn, self._args, self._kwargs = future, fn, args, kwargs
        self._stolen = False
        self._value: Any = None
        self._error: Exception | None = None

    def steal(self) -> None:
        if not self._stolen and self._future.cancel():  # no worker has started it
            self._stolen = True
            try:
                self._value = self._fn(*self._args, **self._kwargs)
            except Exception as err:  # raised by result(), as a worker's error would be
                self._error = err

    def result(self) -> Any:
        self.steal()
        if not self._stolen:
            return self._future.result()
        if self._error is not None:
            raise self._error
        return self._value
