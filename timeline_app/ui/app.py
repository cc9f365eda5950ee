"""The QApplication, set up once, with the app's look."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from timeline_app.paths import ICONS_DIR


def create_app(argv: list[str] | None = None, lang: str | None = None) -> QApplication:
    """The application; ``lang`` ("en", "fr") overrides View > Language for this run."""
    from timeline_app.ui.i18n import apply_language
    from timeline_app.ui.theme import apply_theme, prepare_high_dpi

    app = QApplication.instance()
    if app is None:
        prepare_high_dpi()  # must precede the QApplication
        app = QApplication(argv or sys.argv[:1])
        app.setApplicationName("Incident Timeline Explorer")
        app.setOrganizationName("timeline-app")
        app.setDesktopFileName("timeline-app")  # Wayland matches the window to its entry
        app.setWindowIcon(app_icon())
        app.setStyle("Fusion")
        apply_theme(app)  # light/dark from the system, readable fonts (ui/theme.py)
        apply_language(lang)  # the saved choice, or the system's language (ui/i18n.py)
    elif lang is not None:
        apply_language(lang)
    return app


def app_icon() -> QIcon:
    """The app's icon: the SVG for any size, and the PNGs rendered from it for the small
    sizes where a desktop would otherwise blur it (tools/build_icons.py)."""
    icon = QIcon(str(ICONS_DIR / "timeline-app.svg"))
    for png in sorted(ICONS_DIR.glob("timeline-app-*.png")):
        icon.addFile(str(png))
    return icon
