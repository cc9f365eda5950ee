"""Loads files on a worker thread with progress and cancel; the UI thread only adds
the finished dataset to the state, so a failed or cancelled load changes nothing."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Generator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject

from timeline_app.formats.registry import FormatError, load
from timeline_app.model.dataset import Dataset
from timeline_app.model.file_sources import set_sha256
from timeline_app.model.memory import release_memory
from timeline_app.storage.cache import SHOWN_WAIT_S
from timeline_app.ui.i18n import error_message
from timeline_app.ui.workers import Control, Job, JobError

log = logging.getLogger(__name__)


def _load(
    control: Control,
    path: Path,
    format: str | None,
    options: dict | None,
    shown: threading.Event,
    prepare: Callable[[Dataset], None] | None = None,
) -> Generator[Dataset, None, None]:
    dataset = load(
        path,
        format,
        progress=control.progress,
        cancelled=control.cancelled,
        options=options,
        shown=shown,
    )
    # What the parse needed beyond what the events keep (a few ms): returned now, it is
    # not still held while the cache entry is made.
    release_memory()
    if prepare is not None and not control.cancelled():
        # The table the window will make of it, and the views' arrays for it, made here
        # rather than on the UI thread (model/prepared.py); at worst, made for nothing.
        try:
            prepare(dataset)
        except Exception:  # the state makes its own table then: the load goes on
            log.exception("preparing the table of %s", path.name)
    yield dataset  # the window shows it; the rest waits for that
    # Fingerprint the file as it was read, for exports' provenance and workspaces; after
    # the data is shown, so a big file opens no later for it.
    shown.wait(SHOWN_WAIT_S)  # as long as the cache writer waits
    if not dataset.sha256 and not control.cancelled():
        digest = _sha256(path, control.cancelled)
        if digest:
            set_sha256(dataset, digest)
    del dataset
    release_memory()  # and what hashing and caching needed


def _sha256(path: Path, cancelled: Callable[[], bool], chunk: int = 1 << 22) -> str:
    """SHA-256 of a file, or "" if cancelled or unreadable (it is then taken on export)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(chunk):
                if cancelled():
                    return ""
                digest.update(block)
    except OSError as err:
        log.info("cannot hash %s: %s", path, err)
        return ""
    return digest.hexdigest()


class LoadJob(Job):
    """One file loading on a worker thread (``yielded`` is the Dataset). Keep a
    reference until ``finished``.

    ``prepare(dataset)``, if given, runs on the worker before the dataset is yielded
    (the state's ``prepare_open``).

    Call :meth:`mark_shown` once the loaded dataset is on screen: the load's follow-up
    work (hashing, caching) starts then."""

    def __init__(
        self,
        path: Path,
        format: str | None = None,
        options: dict | None = None,
        parent: QObject | None = None,
        prepare: Callable[[Dataset], None] | None = None,
    ) -> None:
        self.path = Path(path)
        # Set by the window once the loaded events are on screen: the work that follows a
        # load (hashing the file, writing the cache) waits for it, so as not to slow that.
        self.shown = threading.Event()
        super().__init__(
            _load,
            self.path,
            format,
            options,
            self.shown,
            prepare,
            name=f"load {self.path.name}",
            parent=parent,
        )

    def mark_shown(self) -> None:
        self.shown.set()

    def cancel(self) -> None:
        super().cancel()
        self.shown.set()  # nothing left to wait for


def load_failure(path: Path, error: JobError) -> str:
    """The one line a user reads about a failed load."""
    if isinstance(error.exception, FormatError):
        return error_message(error.exception)
    return QCoreApplication.translate(
        "Loading", "{name}: unexpected error while reading: {reason}"
    ).format(name=Path(path).name, reason=error.message)


def load_now(path: Path, format: str | None = None) -> Dataset:
    """Synchronous load, for the command line and screenshots."""
    return load(path, format)
