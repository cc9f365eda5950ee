"""View > Language: System, English, Français, remembered in the settings.

Switching rebuilds the main window around the same AppState rather than retranslating
every widget in place: every choice a user made lives in the state (files, filters,
selection, sort, columns, the views' ranges and the dock layout), so a new window shows
exactly what the old one did, in the new language, with no per-widget retranslation
code to forget. What lives in the window itself (undo history, the open workspace, the
window's geometry) is handed over here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow

from timeline_app.ui import i18n
from timeline_app.ui.autosave import move_autosave
from timeline_app.ui.dock_layout import LAYOUT_VERSION
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP

#: Each language is named in itself; only "System" is translated.
TITLES: dict[str, str] = {
    "system": QT_TRANSLATE_NOOP("Language", "&System"),
    "en": "&English",
    "fr": "&Français",
}
#: Windows rebuilt here: a top-level window needs a Python owner to stay alive.
_windows: list[QMainWindow] = []
#: A language chosen while files load waits for them (ms between looks).
RETRY_MS = 200


def install_language_menu(window: Any) -> dict[str, QAction]:
    """Add View > Language to ``window`` (a MainWindow)."""
    menu = window.view_menu.addMenu(QCoreApplication.translate("Language", "&Language"))
    menu.menuAction().setObjectName("languageMenu")
    group = QActionGroup(window)
    group.setExclusive(True)
    chosen = i18n.current_choice()
    actions: dict[str, QAction] = {}
    for key in i18n.CHOICES:
        title = str(TITLES[key])
        if key == "system":
            title = QCoreApplication.translate("Language", title)
        act = menu.addAction(title)
        act.setObjectName(f"language_{key}")
        act.setCheckable(True)
        act.setChecked(key == chosen)
        act.triggered.connect(lambda _=False, k=key, w=window: choose_language(w, k))
        group.addAction(act)
        actions[key] = act
    window.language_actions = actions
    return actions


def choose_language(window: Any, choice: str) -> QMainWindow:
    """Remember ``choice`` and speak it; returns the window now showing (a new one when
    the language changed)."""
    i18n.save_choice(choice)
    if i18n.resolve(choice) == i18n.language():
        return window
    if window._loads:  # a loading thread belongs to this window: switch once it is done
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
    history = old.undo.history
    history.changed.disconnect()
    new.undo.history = history
    history.changed.connect(new.undo._update_actions)
    new.undo._update_actions()
    for name in ("path", "title", "remember_window"):
        setattr(new.workspaces, name, getattr(old.workspaces, name))
    new.last_loaded = old.last_loaded
    move_autosave(old, new)  # installed by the command line on the first window
