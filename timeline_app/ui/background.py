"""Run a worker object on its own thread, relaying its signals to the UI thread.

Loading, exporting and opening workspaces all follow the same shape: a worker QObject
with ``run()``, ``cancel()``, ``progress``/``failed``/``cancelled``/``finished`` and
one result signal. The window's progress bar and Cancel button drive any of them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QThread, Signal


class BackgroundJob(QObject):
    """One worker on its own QThread. Keep a reference until ``finished``.

    Subclasses declare their result signal and add its name to ``RELAYED``.
    """

    progress = Signal(float)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()
    RELAYED: tuple[str, ...] = ("progress", "failed", "cancelled")

    def __init__(self, worker: QObject, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.worker = worker
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        for name in self.RELAYED:
            getattr(worker, name).connect(getattr(self, name))
        # Direct: quit() is thread-safe, and queued it would need this thread's event loop,
        # which wait() (closing the window during a load) blocks.
        worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.thread.finished.connect(self.finished)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.worker.cancel()

    def wait(self, ms: int = 60_000) -> bool:
        return self.thread.wait(ms)
