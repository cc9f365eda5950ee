"""View > Theme: System, Light or Dark, remembered in the settings across starts (the
menu's rows are in ui/actions.py; this module is their "theme" part)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction

from timeline_app.ui.theme import current_theme

SETTING = "appearance/theme"
MODES = ("system", "light", "dark")  # each a row "view.theme.<mode>" of ui/actions.py


def saved_mode() -> str:
    mode = str(QSettings("timeline-app", "timeline-app").value(SETTING, "system"))
    return mode if mode in MODES else "system"


def choose_theme(mode: str) -> None:
    """Apply ``mode`` (when the app has a theme) and remember it."""
    QSettings("timeline-app", "timeline-app").setValue(SETTING, mode)
    look = current_theme()
    if look is not None:
        look.set_mode(mode)


def bind_actions(actions: Mapping[str, QAction]) -> dict[str, QAction]:
    """Check the saved choice among View > Theme's rows (ui/actions.py) and apply it."""
    mode = saved_mode()
    chosen = {key: actions[f"view.theme.{key}"] for key in MODES}
    chosen[mode].setChecked(True)
    look = current_theme()
    if look is not None and look.mode != mode:
        look.set_mode(mode)
    return chosen
