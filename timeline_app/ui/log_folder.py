"""Help > Open Log Folder (the "logs" part of ui/actions.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from timeline_app.logs import log_dir


def open_log_folder() -> Path:
    """The folder of the app's log (logs.py) in the file manager, made first if nothing
    was logged yet, so there is always something to open."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    return folder
