"""The timeline's back/forward: the x ranges (seconds) the user settled on, like a
browser's history. Part of the app state, so that a window rebuilt around the same state
(View > Language) goes back and forward through the same views."""

from __future__ import annotations

import numpy as np

MAX_HISTORY = 100


class ViewHistory:
    """Back/forward through the x ranges the user settled on."""

    def __init__(self) -> None:
        self.entries: list[tuple[float, float]] = []
        self.position = -1

    def push(self, view: tuple[float, float]) -> None:
        if self.position >= 0 and np.allclose(self.entries[self.position], view, rtol=0, atol=1):
            return
        self.entries = self.entries[: self.position + 1] + [view]
        self.entries = self.entries[-MAX_HISTORY:]
        self.position = len(self.entries) - 1

    def back(self) -> tuple[float, float] | None:
        if self.position > 0:
            self.position -= 1
            return self.entries[self.position]
        return None

    def forward(self) -> tuple[float, float] | None:
        if self.position < len(self.entries) - 1:
            self.position += 1
            return self.entries[self.position]
        return None
