"""Runs an export (file + provenance sidecar) on a worker thread with progress and cancel.

The UI thread only chooses the rows; writing, hashing and the sidecar happen here, so
a million-row export never freezes the window. Failures arrive as one line.
"""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QObject, Signal

from timeline_app.model.dataset import file_sha256
from timeline_app.model.events import EventTable
from timeline_app.model.export import ExportCancelled, ExportError, export_rows
from timeline_app.model.provenance import ExportChoice, build_provenance, write_provenance
from timeline_app.ui.background import BackgroundJob


class ExportWorker(QObject):
    progress = Signal(float)  # fraction written, 0..1
    done = Signal(int, str)  # rows written, sidecar path
    failed = Signal(str)  # one-line reason
    cancelled = Signal()
    finished = Signal()

    def __init__(self, table: EventTable, rows: np.ndarray, choice: ExportChoice) -> None:
        super().__init__()
        self.table = table  # immutable: safe to read from this thread
        self.rows = np.array(rows, dtype=np.int64, copy=True)
        self.choice = choice
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        c = self.choice
        try:
            count = export_rows(
                self.table,
                self.rows,
                c.out,
                columns=c.columns,
                fmt=c.fmt,
                bom=c.bom,
                progress=lambda f: self.progress.emit(0.9 * f),
                cancelled=self._stop.is_set,
            )
            data = build_provenance(self.table, self.rows, c, file_sha256(c.out))
            sidecar = write_provenance(c.out, data)
            self.progress.emit(1.0)
            self.done.emit(count, str(sidecar))
        except ExportCancelled:
            self.cancelled.emit()
        except ExportError as err:
            self.failed.emit(str(err))
        except OSError as err:  # the sidecar could not be written
            self.failed.emit(f"cannot write the provenance next to {c.out}: {err.strerror or err}")
        except Exception as err:  # never a traceback in the user's face
            self.failed.emit(f"export failed: {err}")
        finally:
            self.finished.emit()


class BackgroundExport(BackgroundJob):
    """One export on its own thread. Keep a reference until ``finished``."""

    done = Signal(int, str)
    RELAYED = (*BackgroundJob.RELAYED, "done")

    def __init__(
        self, table: EventTable, rows: np.ndarray, choice: ExportChoice, parent=None
    ) -> None:
        self.choice = choice
        super().__init__(ExportWorker(table, rows, choice), parent)
