"""View > Theme: System, Light or Dark, remembered in the settings across starts."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow

from timeline_app.ui.theme import current_theme

SETTING = "appearance/theme"
CHOICES = (("system", "&System"), ("light", "&Light"), ("dark", "&Dark"))


def saved_mode() -> str:
    mode = str(QSettings("timeline-app", "timeline-app").value(SETTING, "system"))
    return mode if mode in dict(CHOICES) else "system"


def choose_theme(mode: str) -> None:
    """Apply ``mode`` (when the app has a theme) and remember it."""
    QSettings("timeline-app", "timeline-app").setValue(SETTING, mode)
    look = current_theme()
    if look is not None:
        look.set_mode(mode)


def install_theme_menu(window: QMainWindow) -> dict[str, QAction]:
    """Add the Theme submenu to the View menu; the saved choice is applied now."""
    menu = window.view_menu.addMenu("T&heme")  # type: ignore[attr-defined]
    group = QActionGroup(window)
    group.setExclusive(True)
    mode = saved_mode()
    actions: dict[str, QAction] = {}
    for key, title in CHOICES:
        act = menu.addAction(title)
        act.setCheckable(True)
        act.setChecked(key == mode)
        act.triggered.connect(lambda _=False, k=key: choose_theme(k))
        group.addAction(act)
        actions[key] = act
    look = current_theme()
    if look is not None and look.mode != mode:
        look.set_mode(mode)
    window.theme_actions = actions  # type: ignore[attr-defined]
    return actions
