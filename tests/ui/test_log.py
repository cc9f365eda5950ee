"""The log keeps what a user's error message leaves out: the traceback, in a file of the
user's log folder (here the test's own, tests/conftest.py), and Help opens that folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from tests.conftest import CONTEXT_CSV
from timeline_app.logs import log_dir, log_file, setup_logging
from timeline_app.ui.shortcuts import menu_actions


def test_an_error_in_a_load_writes_its_traceback_to_the_log(make_window, qtbot, monkeypatch):
    from timeline_app.ui import loader
    from timeline_app.ui.notices import open_notices

    def broken_load(path, *args, **kwargs):
        raise ZeroDivisionError("a bug in a reader")

    path = setup_logging()
    assert path == log_file() and path.parent == log_dir()
    monkeypatch.setattr(loader, "load", broken_load)
    window = make_window()
    window.open_file(CONTEXT_CSV, report=False)
    qtbot.waitUntil(lambda: bool(open_notices(window)), timeout=10_000)
    qtbot.waitUntil(lambda: not window._loads, timeout=10_000)
    for box in open_notices(window):
        box.close()
    logged = path.read_text(encoding="utf-8")
    assert "Could not open file" in logged
    assert "Traceback (most recent call last)" in logged
    assert "in broken_load" in logged and "ZeroDivisionError: a bug in a reader" in logged


def test_help_open_log_folder_shows_the_folder(make_window, qtbot, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window = make_window()
    assert not log_dir().exists()  # nothing logged yet in this test's folder
    entry = next(a for a in menu_actions(window) if (a.menu, a.text) == ("Help", "Open Log Folder"))
    assert entry.shortcut == "Ctrl+Alt+L"
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    qtbot.keyClick(
        window.table_view,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert len(opened) == 1
    assert Path(opened[0].toLocalFile()) == log_dir()
    assert log_dir().is_dir()  # made, so that the file manager has something to show
