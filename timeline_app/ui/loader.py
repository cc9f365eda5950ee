"""Loads files on a worker thread with progress and cancel; the UI thread only adds
the finished dataset to the state, so a failed or cancelled load changes nothing."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from timeline_app.formats.cache import SHOWN_WAIT_S
from timeline_app.formats.registry import FormatError, LoadCancelled, load
from timeline_app.model.dataset import Dataset
from timeline_app.model.memory import release_memory
from timeline_app.ui.background import BackgroundJob


class LoadWorker(QObject):
    progress = Signal(float)  # fraction of the file read
    loaded = Signal(object)  # Dataset
    failed = Signal(str)  # one-line reason
    cancelled = Signal()
    finished = Signal()

    def __init__(self, path: Path, format: str | None = None, options: dict | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.format = format
        self.options = options
        self._stop = threading.Event()
        # Set by the window once the loaded events are on screen: the work that follows a
        # load (hashing the file, writing the cache) waits for it, so as not to slow that.
        self.shown = threading.Event()

    def cancel(self) -> None:
        self._stop.set()
        self.shown.set()  # nothing left to wait for

    def run(self) -> None:
        try:
            dataset = load(
                self.path,
                self.format,
                progress=self.progress.emit,
                cancelled=self._stop.is_set,
                options=self.options,
                shown=self.shown,
            )
            if self._stop.is_set():
                raise LoadCancelled()
            # What the parse needed beyond what the events keep (a few ms): returned now,
            # it is not still held while the cache entry is made.
            release_memory()
            self.loaded.emit(dataset)
            # Fingerprint the file as it was read, for exports' provenance and workspaces;
            # after the data is shown, so a big file opens no later for it.
            self.shown.wait(SHOWN_WAIT_S)  # as long as the cache writer waits
            if not dataset.sha256 and not self._stop.is_set():
                digest = _sha256(self.path, self._stop.is_set)
                if digest:
                    dataset.sha256 = digest
            del dataset
            release_memory()  # and what hashing and caching needed
        except LoadCancelled:
            self.cancelled.emit()
        except FormatError as err:
            self.failed.emit(str(err))
        except Exception as err:  # a bad file must never take the app down
            self.failed.emit(f"{self.path.name}: unexpected error while reading: {err}")
        finally:
            self.finished.emit()


def _sha256(path: Path, cancelled, chunk: int = 1 << 22) -> str:
    """SHA-256 of a file, or "" if cancelled or unreadable (it is then taken on export)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(chunk):
                if cancelled():
                    return ""
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


class BackgroundLoad(BackgroundJob):
    """One file loading on its own thread. Keep a reference until ``finished``.

    Call :meth:`mark_shown` once the loaded dataset is on screen: the load's follow-up
    work (hashing, caching) starts then."""

    loaded = Signal(object)  # Dataset
    RELAYED = (*BackgroundJob.RELAYED, "loaded")

    def __init__(
        self, path: Path, format: str | None = None, options: dict | None = None, parent=None
    ) -> None:
        self.path = Path(path)
        super().__init__(LoadWorker(path, format, options), parent)

    def mark_shown(self) -> None:
        self.worker.shown.set()


def load_now(path: Path, format: str | None = None) -> Dataset:
    """Synchronous load, for the command line and screenshots."""
    return load(path, format)
