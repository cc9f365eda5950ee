"""The QApplication, set up once, with the app's look."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or sys.argv[:1])
        app.setApplicationName("Incident Timeline Explorer")
        app.setOrganizationName("timeline-app")
        app.setStyle("Fusion")
    return app
