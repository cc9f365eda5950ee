"""View > Language: System, English, Français, remembered in the settings (the menu's
rows are in ui/actions.py).

Switching rebuilds the main window around the same AppState rather than retranslating
every widget in place: every choice a user made lives in the state (files, filters,
selection, sort, columns, the views' ranges and the dock layout), so a new window shows
exactly what the old one did, in the new language, with no per-widget retranslation
code to forget. What lives in the window itself (undo history, the open workspace, the
window's geometry) is handed over here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from timeline_app.ui import i18n
from timeline_app.ui.autosave import move_autosave
from timeline_app.ui.dock_layout import LAYOUT_VERSION

#: Windows rebuilt here: a top-level window needs a Python owner to stay alive.
_windows: list[QMainWindow] = []
#: A language chosen while files load waits for them (ms between looks).
RETRY_MS = 200


class LanguageChoice:
    """The "language" part of the table of actions (ui/actions.py: one row per choice of
    i18n.CHOICES, each language named in itself)."""

    def __init__(self, window: Any) -> None:
        self.window = window

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        self.actions = {key: actions[f"view.language.{key}"] for key in i18n.CHOICES}
        self.actions[i18n.current_choice()].setChecked(True)

    def choose(self, choice: str) -> QMainWindow:
        return choose_language(self.window, choice)


def choose_language(window: Any, choice: str) -> QMainWindow:
    """Remember ``choice`` and speak it; returns the window now showing (a new one when
    the language changed)."""
    i18n.save_choice(choice)
    if i18n.resolve(choice) == i18n.language():
        return window
    if window.is_loading():  # a loading thread belongs to this window: wait for it
        window.statusBar().showMessage(
            QCoreApplication.translate("Language", "The language changes once loading ends…")
        )
        QTimer.singleShot(RETRY_MS, window, lambda: choose_language(window, choice))
        return window
    i18n.apply_language(choice)
    return rebuild(window)


def rebuild(old: Any) -> QMainWindow:
    """A new window of the same kind around ``old``'s state, in ``old``'s place."""
    state = old.state
    state.finish_filter()  # the new window's filter worker knows nothing of the old one's
    old.workspaces.docks.capture()
    geometry, docks = old.saveGeometry(), old.saveState(LAYOUT_VERSION)
    frequencies = getattr(old, "frequency_dock", None)
    wanted_frequencies = frequencies is not None and frequencies.isVisible()
    was_visible = old.isVisible()
    state.disconnect_all()  # the old window's views stop listening
    new = type(old)(state)
    if wanted_frequencies:
        new.show_frequencies()
    new.restoreGeometry(QByteArray(geometry))
    new.restoreState(QByteArray(docks), LAYOUT_VERSION)
    _hand_over(old, new)
    for timer in old.findChildren(QTimer):  # the autosave's has moved to the new window
        timer.stop()  # until deleted, the old views' pending work must not move the state
    if was_visible:
        new.show()
    old.hide()
    old.deleteLater()  # not close(): closing is the user's end of a session
    if old in _windows:
        _windows.remove(old)
    _windows.append(new)
    return new


def _hand_over(old: Any, new: Any) -> None:
    """What the window, not the state, holds: undo history, the open workspace."""
    new.undo.adopt(old.undo.history)
    for name in ("path", "title", "remember_window"):
        setattr(new.workspaces, name, getattr(old.workspaces, name))
    new.last_loaded = old.last_loaded
    move_autosave(old, new)  # installed by the command line on the first window
