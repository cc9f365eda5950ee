"""Errors and warnings as clear, non-blocking messages, with the details on demand.

A notice never stops the user: it is a modeless message box (the window keeps working
behind it), its first line says what happened, and "Show Details…" reveals the rest:
for an error, its traceback, so that a bug report can say where it happened. The same
line goes to the status bar, so it is seen even if the box is closed, and to the log
(with the traceback: logs.py).
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from timeline_app.ui.workers import JobError

log = logging.getLogger(__name__)

LEVELS = {
    "info": QMessageBox.Icon.Information,
    "warning": QMessageBox.Icon.Warning,
    "error": QMessageBox.Icon.Critical,
}
LOG_LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


def show_notice(
    parent: QWidget,
    title: str,
    text: str,
    details: str = "",
    level: str = "warning",
    error: JobError | BaseException | None = None,
) -> QMessageBox:
    """Show a modeless message; returns the box (tests read and close it).

    ``error`` (a job's :class:`JobError` or an exception) adds its traceback to the
    details."""
    trace = error_details(error)
    details = "\n\n".join(part for part in (details, trace) if part)
    exception = error.exception if isinstance(error, JobError) else error
    log.log(LOG_LEVELS.get(level, logging.WARNING), "%s: %s", title, text, exc_info=exception)
    box = QMessageBox(LEVELS.get(level, QMessageBox.Icon.Warning), title, text, parent=parent)
    box.setObjectName("notice")
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAccessibleName(title)
    if details:
        box.setDetailedText(details)
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text.splitlines()[0] if text else title, 15000)
    box.show()
    return box


def error_details(error: JobError | BaseException | None) -> str:
    """The traceback of an error, as text ("" for none)."""
    if isinstance(error, JobError):
        return error.traceback
    if isinstance(error, BaseException):
        return "".join(traceback.format_exception(error))
    return ""


def open_notices(parent: QWidget) -> list[QMessageBox]:
    """The notices currently shown over ``parent`` (for tests)."""
    return [w for w in parent.findChildren(QMessageBox, "notice") if w.isVisible()]
