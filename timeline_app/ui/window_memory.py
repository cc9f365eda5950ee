"""What the app remembers between sessions in QSettings: the recent workspaces, whether
to reopen the last one on start, and the window's geometry and dock layout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from timeline_app.ui.dock_layout import LAYOUT_VERSION

#: How many recent files and workspaces File > Open Recent keeps.
MAX_RECENT = 10
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_RECENT = "recentWorkspaces"
KEY_LAST = "lastWorkspace"
KEY_REOPEN = "reopenLastWorkspace"


def settings() -> QSettings:
    return QSettings("timeline-app", "timeline-app")


# -- recent workspaces and reopen-last ------------------------------------------------------
def recent_workspaces() -> list[str]:
    value = settings().value(KEY_RECENT, [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def remember_workspace(path: Path) -> None:
    """``path`` goes first in the recent list and becomes the one reopened on start."""
    resolved = str(Path(path).resolve())
    recent = [resolved] + [p for p in recent_workspaces() if p != resolved]
    s = settings()
    s.setValue(KEY_RECENT, recent[:MAX_RECENT])
    s.setValue(KEY_LAST, resolved)


def reopen_last_enabled() -> bool:
    return bool(settings().value(KEY_REOPEN, False, type=bool))


def set_reopen_last(on: bool) -> None:
    settings().setValue(KEY_REOPEN, bool(on))


def last_workspace() -> Path | None:
    """The workspace to reopen on start: when asked for, and it still exists."""
    last = settings().value(KEY_LAST, "")
    if not reopen_last_enabled() or not last or not Path(str(last)).is_file():
        return None
    return Path(str(last))


# -- window geometry and dock layout ----------------------------------------------------------
def restore_window(window: QMainWindow) -> bool:
    """Put the window back where it was last closed (size, position, docks)."""
    s = settings()
    geometry, state = s.value(KEY_GEOMETRY), s.value(KEY_STATE)
    restored = False
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        restored = window.restoreGeometry(geometry)
    if isinstance(state, QByteArray) and not state.isEmpty():
        restored = window.restoreState(state, LAYOUT_VERSION) or restored
    return restored


def save_window(window: QMainWindow) -> None:
    s = settings()
    s.setValue(KEY_GEOMETRY, window.saveGeometry())
    s.setValue(KEY_STATE, window.saveState(LAYOUT_VERSION))
    s.sync()
