"""Uncaught exceptions in slots fail the test suite, and the ones found that way are fixed."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV


def test_a_search_that_hides_the_selected_event_raises_nothing(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    rect = view.visualRect(view.model().index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(window.state.selection) == 1
    panel = window.filter_panel
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "no event says this")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.model().rowCount() == 0)
    assert view.selectionModel().selectedRows() == []


GUARDED = """
import threading
from PySide6.QtCore import QObject, QTimer, Signal


class Emitter(QObject):
    fired = Signal()


def test_a_slot_raises(qtbot):
    emitter = Emitter()
    emitter.fired.connect(lambda: [][0])
    emitter.fired.emit()


def test_a_timer_slot_raises(qtbot):
    QTimer.singleShot(0, lambda: 1 / 0)
    qtbot.wait(20)


def test_a_thread_raises():
    thread = threading.Thread(target=lambda: [][0])
    thread.start()
    thread.join()


def test_a_hook_is_replaced():
    import sys
    sys.excepthook = lambda *args: None


def test_nothing_raises(qtbot):
    emitter = Emitter()
    emitter.fired.connect(lambda: None)
    emitter.fired.emit()
"""


def test_uncaught_exceptions_in_slots_and_threads_fail_the_test(pytester, monkeypatch):
    # the inner run imports this project's tests package: put the checkout on its path
    # (CI runs from a clean clone with no PYTHONPATH)
    root = str(Path(__file__).resolve().parents[2])
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    )
    pytester.makeconftest("from tests.conftest import fail_on_uncaught_exceptions  # noqa: F401")
    pytester.makeini("[pytest]\nqt_api = pyside6\n")
    pytester.makepyfile(test_guarded=GUARDED)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    # slots fail the call; a dead thread or a replaced hook fail at teardown
    result.assert_outcomes(passed=3, failed=2, errors=2)
    result.stdout.fnmatch_lines(["*ERROR*test_a_thread_raises*IndexError*"])
    result.stdout.fnmatch_lines(["*ERROR*test_a_hook_is_replaced*sys.excepth*"])
