"""Errors and warnings as clear, non-blocking messages, with the details on demand.

A notice never stops the user: it is a modeless message box (the window keeps working
behind it), its first line says what happened, and "Show Details…" reveals the rest.
The same line goes to the status bar, so it is seen even if the box is closed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

LEVELS = {
    "info": QMessageBox.Icon.Information,
    "warning": QMessageBox.Icon.Warning,
    "error": QMessageBox.Icon.Critical,
}


def show_notice(
    parent: QWidget,
    title: str,
    text: str,
    details: str = "",
    level: str = "warning",
) -> QMessageBox:
    """Show a modeless message; returns the box (tests read and close it)."""
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


def open_notices(parent: QWidget) -> list[QMessageBox]:
    """The notices currently shown over ``parent`` (for tests)."""
    return [w for w in parent.findChildren(QMessageBox, "notice") if w.isVisible()]
