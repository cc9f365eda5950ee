"""The background load: what follows a load (hashing, caching) waits until it is shown."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.storage import cache
from timeline_app.ui.loader import LoadJob


def test_hashing_and_caching_wait_until_the_events_are_shown(qtbot, monkeypatch):
    monkeypatch.setattr(cache, "MIN_FILE_BYTES", 0)  # cache even the small sample
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", True)
    written: list[str] = []
    monkeypatch.setattr(cache, "_write_entry", lambda folder, key, snapshot: written.append(key))
    job = LoadJob(CONTEXT_CSV)
    loaded = []
    job.yielded.connect(loaded.append)
    job.start()
    qtbot.waitUntil(lambda: bool(loaded), timeout=10_000)
    time.sleep(0.5)  # time enough to hash and cache the sample, were they not held back
    assert loaded[0].sha256 == "" and not written
    job.mark_shown()
    qtbot.waitUntil(lambda: bool(loaded[0].sha256) and bool(written), timeout=10_000)
    assert len(loaded[0].sha256) == 64
    qtbot.waitUntil(lambda: not job.is_running(), timeout=10_000)


def test_a_window_marks_its_loads_shown(make_window, qtbot, monkeypatch):
    window = make_window()
    monkeypatch.setattr(cache, "MIN_FILE_BYTES", 0)  # from here on
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", True)
    job = window.open_file(CONTEXT_CSV, report=False)
    qtbot.waitUntil(lambda: job.shown.is_set(), timeout=10_000)
    qtbot.waitUntil(lambda: not window._loads, timeout=10_000)
    assert window.state.table.datasets[-1].sha256  # hashed once shown
    cache.wait_for_writes(10)
    assert any(cache.cache_dir().iterdir())  # and cached


def test_waiting_for_a_load_from_the_ui_thread_returns(qtbot):
    """Closing the window waits for its loads on the UI thread: the load's thread must end
    without this thread's event loop."""
    job = LoadJob(CONTEXT_CSV)
    job.start()
    job.mark_shown()
    assert job.wait(10_000)


def test_a_load_through_the_window_can_be_cancelled(make_window, qtbot, monkeypatch):
    """Cancel (the status bar's button) mid-way: nothing is added, the bar goes away."""
    import threading

    from timeline_app.ui import loader

    reading = threading.Event()
    real_load = loader.load

    def slow_load(path, format=None, progress=None, cancelled=None, **kwargs):
        progress(0.5)
        reading.set()
        while not cancelled():  # a big file, mid-way
            threading.Event().wait(0.01)
        return real_load(path, format, **kwargs)

    monkeypatch.setattr(loader, "load", slow_load)
    window = make_window()
    before = [d.name for d in window.state.table.datasets]
    job = window.open_file(CONTEXT_CSV, report=False)
    qtbot.waitUntil(reading.is_set, timeout=10_000)  # (the head is sniffed first)
    qtbot.waitUntil(lambda: window.cancel_button.isVisible(), timeout=5000)
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window._loads, timeout=10_000)
    assert [d.name for d in window.state.table.datasets] == before
    assert not window.progress.isVisible() and not window.cancel_button.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_load_through_the_window_adds_the_file(make_window, qtbot):
    window = make_window()
    job = window.open_file(UCDP_SAMPLE, report=False)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    assert [d.name for d in window.state.table.datasets][-1] == UCDP_SAMPLE.stem
    assert not window.progress.isVisible()


def test_a_failed_load_offers_its_traceback(make_window, qtbot, monkeypatch, tmp_path):
    from timeline_app.ui import loader
    from timeline_app.ui.notices import open_notices

    def broken_load(path, *args, **kwargs):
        raise ZeroDivisionError("a bug in a reader")

    monkeypatch.setattr(loader, "load", broken_load)
    window = make_window()
    job = window.open_file(CONTEXT_CSV, report=False)
    qtbot.waitUntil(lambda: bool(open_notices(window)), timeout=10_000)
    qtbot.waitUntil(lambda: not window._loads, timeout=10_000)
    box = open_notices(window)[0]
    assert "unexpected error while reading: a bug in a reader" in box.text()
    details = box.detailedText()
    assert str(CONTEXT_CSV) in details and "Traceback" in details
    assert "ZeroDivisionError: a bug in a reader" in details and "broken_load" in details
    assert job is not None
    box.close()


def test_the_progress_bar_never_says_done_early_nor_goes_back(make_window, qtbot, monkeypatch):
    """A reader that reports a first pass as done, then the parse from its start: the bar
    shows neither 100% at the start nor a step back (issue 18, item 12)."""
    import threading

    from timeline_app.ui import loader

    go_on = threading.Event()
    real_load = loader.load

    def two_passes(path, format=None, progress=None, cancelled=None, **kwargs):
        for fraction in (1.0, 0.2, 0.94):
            progress(fraction)
        go_on.wait(10)
        return real_load(path, format, **kwargs)

    monkeypatch.setattr(loader, "load", two_passes)
    window = make_window()
    shown: list[int] = []
    window.progress.valueChanged.connect(shown.append)
    job = window.open_file(UCDP_SAMPLE, report=False)
    qtbot.waitUntil(lambda: len(shown) >= 2, timeout=10_000)
    go_on.set()
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    assert shown == sorted(shown)  # never back
    assert max(shown) < window.progress.maximum()  # never "done" while loading
