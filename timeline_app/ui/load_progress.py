"""The status bar's one progress bar over every file loading at once.

A load reports the share of its work done, 1.0 once, last (formats/base.py ``stage``:
the readers once said 95% when the bytes were read and 100% before the events were
built, so one file's 100% stood beside another's 94%). Here each load's fraction only
goes up, the bar shows the mean over the running loads, and it never says 100% before
the last of them has finished.
"""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar

#: The most a running load shows (its events still have to reach the window).
RUNNING_CAP = 0.99


class LoadProgress:
    def __init__(self, bar: QProgressBar) -> None:
        self.bar = bar
        self._fractions: dict[int, float] = {}

    def start(self, job: object) -> None:
        self._fractions[id(job)] = 0.0
        self._show()

    def report(self, job: object, fraction: float) -> None:
        key = id(job)
        if key in self._fractions:
            self._fractions[key] = max(self._fractions[key], min(fraction, RUNNING_CAP))
            self._show()

    def finish(self, job: object) -> None:
        self._fractions.pop(id(job), None)
        self._show()

    def _show(self) -> None:
        if not self._fractions:
            return  # the window hides the bar
        mean = sum(self._fractions.values()) / len(self._fractions)
        span = self.bar.maximum() - self.bar.minimum()
        self.bar.setValue(self.bar.minimum() + int(mean * span))
