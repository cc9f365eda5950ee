"""The session is autosaved as a workspace on a timer and at exit; after a crash the next
start offers it back (the timer and the crash are driven directly: no waiting)."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.model.workspace import load_workspace
from timeline_app.ui.autosave import INTERVAL_MS, RUNNING_FILE, SESSION_FILE, install_autosave


def _search(qtbot, window, text: str) -> None:
    window.filter_panel.search.setFocus()
    qtbot.keyClicks(window.filter_panel.search, text)
    qtbot.waitUntil(lambda: window.state.spec.text == text, timeout=5000)


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_the_session_is_autosaved_every_few_minutes_and_at_exit(make_window, qtbot, tmp_path):
    window = make_window(CONTEXT_CSV)
    started = []
    autosave = install_autosave(window, tmp_path, otherwise=lambda: started.append(True))
    assert started == [True]  # no crash: the start opens what it always opens
    assert autosave.timer.isActive() and 60_000 <= INTERVAL_MS <= 5 * 60_000
    assert (tmp_path / RUNNING_FILE).read_text().strip() == str(os.getpid())

    _search(qtbot, window, "Timbuktu")
    autosave.timer.timeout.emit()  # the timer's tick
    saved = load_workspace(tmp_path / SESSION_FILE)
    assert [os.path.basename(f.path) for f in saved.files] == [CONTEXT_CSV.name]
    assert saved.filter.text == "Timbuktu"

    window.filter_panel.search.clear()
    _search(qtbot, window, "MINUSMA")
    window.close()  # a clean exit: saved once more, and no restore offered next time
    assert load_workspace(tmp_path / SESSION_FILE).filter.text == "MINUSMA"
    assert not (tmp_path / RUNNING_FILE).exists()


def _crashed_session(make_window, qtbot, tmp_path) -> None:
    """A session with a filter, autosaved, whose app then died without closing."""
    window = make_window(CONTEXT_CSV)
    install_autosave(window, tmp_path)
    _search(qtbot, window, "Timbuktu")
    window.close()
    (tmp_path / RUNNING_FILE).write_text(f"{_dead_pid()}\n")  # what a crash leaves


def test_the_restore_box_says_when_as_the_app_writes_dates(make_window, qtbot, tmp_path):
    """Where the system's locale is C (Xvfb, a bare session) the box said "saved at
    6 12 2026 21:10": the time is written as the app writes dates, in its language."""
    from PySide6.QtCore import QLocale

    _crashed_session(make_window, qtbot, tmp_path)
    session = tmp_path / SESSION_FILE
    stamp = 1796591400  # 6 Dec 2026, 21:10 UTC
    os.utime(session, (stamp, stamp))
    before = QLocale()
    QLocale.setDefault(QLocale.c())
    try:
        window = make_window(UCDP_SAMPLE)
        install_autosave(window, tmp_path, otherwise=lambda: None)
        box = window.restore_box
        qtbot.waitUntil(box.isVisible)
        local = datetime.datetime.fromtimestamp(stamp)
        expected = f"{local.day} {local:%b} {local.year} {local:%H:%M}"
        assert f"saved at {expected}:" in box.informativeText(), box.informativeText()
        box.discard_button.click()
    finally:
        QLocale.setDefault(before)


def test_after_a_crash_the_next_start_offers_the_session_back(make_window, qtbot, tmp_path):
    _crashed_session(make_window, qtbot, tmp_path)
    window = make_window(UCDP_SAMPLE)
    usual = []
    install_autosave(window, tmp_path, otherwise=lambda: usual.append(True))
    box = window.restore_box
    qtbot.waitUntil(box.isVisible)
    assert "did not close properly" in box.text()
    assert CONTEXT_CSV.name in box.informativeText()
    with qtbot.waitSignal(window.workspaces.opened, timeout=20_000):
        qtbot.mouseClick(box.restore_button, Qt.MouseButton.LeftButton)
    assert [d.name for d in window.state.table.datasets] == [CONTEXT_CSV.stem]
    assert window.state.spec.text == "Timbuktu"
    assert window.filter_panel.search.text() == "Timbuktu"
    assert usual == []  # the sample is not opened over the restored session
    assert window.workspaces.path is None  # Save asks where; the autosave is not overwritten
    assert (tmp_path / RUNNING_FILE).read_text().strip() == str(os.getpid())


def test_starting_afresh_after_a_crash_opens_what_a_start_opens(make_window, qtbot, tmp_path):
    _crashed_session(make_window, qtbot, tmp_path)
    window = make_window(UCDP_SAMPLE)
    usual = []
    autosave = install_autosave(window, tmp_path, otherwise=lambda: usual.append(True))
    box = window.restore_box
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(box.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: usual == [True])
    assert [d.name for d in window.state.table.datasets] == [UCDP_SAMPLE.stem]
    assert autosave.active


def test_no_offer_after_a_clean_exit_nor_while_another_instance_runs(make_window, qtbot, tmp_path):
    first = make_window(CONTEXT_CSV)
    install_autosave(first, tmp_path)
    first.close()
    window = make_window(CONTEXT_CSV)
    autosave = install_autosave(window, tmp_path)
    assert not hasattr(window, "restore_box") and autosave.active
    window.close()

    (tmp_path / RUNNING_FILE).write_text(f"{os.getppid()}\n")  # another app, alive
    other = make_window(CONTEXT_CSV)
    autosave = install_autosave(other, tmp_path)
    assert not hasattr(other, "restore_box")
    assert not autosave.active  # leaves the running instance's autosave alone
    assert (tmp_path / RUNNING_FILE).read_text().strip() == str(os.getppid())
