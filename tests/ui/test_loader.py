"""The background load: what follows a load (hashing, caching) waits until it is shown."""

from __future__ import annotations

import time

from tests.conftest import CONTEXT_CSV
from timeline_app.formats import cache
from timeline_app.ui.loader import BackgroundLoad


def test_hashing_and_caching_wait_until_the_events_are_shown(qtbot, monkeypatch):
    monkeypatch.setattr(cache, "MIN_FILE_BYTES", 0)  # cache even the small sample
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", True)
    written: list[str] = []
    monkeypatch.setattr(cache, "_write_entry", lambda folder, key, snapshot: written.append(key))
    job = BackgroundLoad(CONTEXT_CSV)
    loaded = []
    job.loaded.connect(loaded.append)
    job.start()
    qtbot.waitUntil(lambda: bool(loaded), timeout=10_000)
    time.sleep(0.5)  # time enough to hash and cache the sample, were they not held back
    assert loaded[0].sha256 == "" and not written
    job.mark_shown()
    qtbot.waitUntil(lambda: bool(loaded[0].sha256) and bool(written), timeout=10_000)
    assert len(loaded[0].sha256) == 64
    qtbot.waitUntil(job.thread.isFinished, timeout=10_000)  # (its quit is queued to this thread)


def test_a_window_marks_its_loads_shown(make_window, qtbot, monkeypatch):
    window = make_window()
    monkeypatch.setattr(cache, "MIN_FILE_BYTES", 0)  # from here on
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", True)
    job = window.open_file(CONTEXT_CSV, report=False)
    qtbot.waitUntil(lambda: job.worker.shown.is_set(), timeout=10_000)
    qtbot.waitUntil(lambda: not window._loads, timeout=10_000)
    assert window.state.table.datasets[-1].sha256  # hashed once shown
    cache.wait_for_writes(10)
    assert any(cache.cache_dir().iterdir())  # and cached


def test_waiting_for_a_load_from_the_ui_thread_returns(qtbot):
    """Closing the window waits for its loads on the UI thread: the load's thread must end
    without this thread's event loop."""
    job = BackgroundLoad(CONTEXT_CSV)
    job.start()
    job.mark_shown()
    assert job.wait(10_000)
