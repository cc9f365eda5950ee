"""An export (file + provenance sidecar) as a worker job with progress and cancel.

The UI thread only chooses the rows; writing, hashing and the sidecar happen on the
worker, so a million-row export never freezes the window. The job returns
``(rows written, sidecar path)``; a failure is told in one line by :func:`export_failure`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject

from timeline_app.model.dataset import file_sha256
from timeline_app.model.events import EventTable
from timeline_app.model.export import ExportError, export_rows
from timeline_app.model.extra_columns import same_events_columns
from timeline_app.model.provenance import ExportChoice, build_provenance, write_provenance
from timeline_app.ui.i18n import error_message
from timeline_app.ui.workers import Control, Job, JobError


def _export(
    control: Control, table: EventTable, rows: np.ndarray, c: ExportChoice
) -> tuple[int, str]:
    rows, extra = same_events_columns(table, rows, c)  # the pairs' and canonical columns
    count = export_rows(
        table,
        rows,
        c.out,
        columns=c.columns,
        fmt=c.fmt,
        bom=c.bom,
        progress=lambda f: control.progress(0.9 * f),
        cancelled=control.cancelled,
        extra=extra,
    )
    data = build_provenance(table, rows, c, file_sha256(c.out))
    sidecar = write_provenance(c.out, data)
    control.progress(1.0)
    return count, str(sidecar)


def start_export(
    table: EventTable, rows: np.ndarray, choice: ExportChoice, parent: QObject | None = None
) -> Job:
    """A job (not started) writing ``rows`` of ``table`` as ``choice`` says.

    The table is immutable, so the worker may read it; the rows are copied."""
    rows = np.array(rows, dtype=np.int64, copy=True)
    return Job(_export, table, rows, choice, name=f"export {choice.out.name}", parent=parent)


def export_failure(choice: ExportChoice, error: JobError) -> str:
    """The one line a user reads about a failed export."""
    err = error.exception
    if isinstance(err, ExportError):
        return error_message(err)
    if isinstance(err, OSError):  # the sidecar could not be written
        return QCoreApplication.translate(
            "Export", "cannot write the provenance next to {path}: {reason}"
        ).format(path=choice.out, reason=err.strerror or err)
    return QCoreApplication.translate("Export", "export failed: {reason}").format(
        reason=error.message
    )
