"""A closed or replaced file's events must leave memory: nothing in the window may keep
the old Dataset or EventTable alive (checked with weak references after a gc)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QApplication

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.formats.registry import load


def settle(qtbot, ms: int = 100) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()
    gc.collect()


def open_and_wait(window, qtbot, path) -> None:
    opened = []
    window.state.table_changed.connect(lambda: opened.append(len(window.state.table)))
    job = window.open_file(path, report=False)
    qtbot.waitUntil(lambda: bool(opened) and not window._loads, timeout=10_000)
    assert job is not None


def test_a_replaced_dataset_and_its_table_are_freed(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    open_and_wait(window, qtbot, CONTEXT_CSV)
    window.state.select([0, 1], 1)  # the detail pane and table show one of its events
    window.show_frequencies()
    settle(qtbot)
    old = next(d for d in window.state.table.datasets if d.path == CONTEXT_CSV)
    old_dataset, old_table = weakref.ref(old), weakref.ref(window.state.table)
    old_events = weakref.ref(old.events)
    del old

    window.state.set_datasets([load(UCDP_SAMPLE)])  # the file is closed, another one shown
    settle(qtbot)

    assert old_table() is None, "the replaced EventTable is still referenced"
    assert old_dataset() is None, "the closed Dataset is still referenced"
    assert old_events() is None
    assert window.last_loaded is None  # it was closed: nothing to report on
    assert len(window.state.table) > 0


def test_the_last_loaded_dataset_is_kept_while_it_is_open(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    open_and_wait(window, qtbot, CONTEXT_CSV)
    assert window.last_loaded is not None and window.last_loaded.path == CONTEXT_CSV
    window.show_last_report()
    assert "mali_2023_context" in window._reports[-1].windowTitle()
    for dialog in window._reports:
        dialog.close()


def test_background_preparation_stops_and_lets_a_replaced_table_go(make_window, qtbot, monkeypatch):
    from timeline_app.model import filters
    from timeline_app.ui import filter_panel

    monkeypatch.setattr(filters, "PREPARE_IN_BACKGROUND_ROWS", 0)
    monkeypatch.setattr(filter_panel, "PREPARE_IN_BACKGROUND_ROWS", 0)
    entered, release = threading.Event(), threading.Event()
    prepared: list[tuple[filters._TableCache, str]] = []
    real_counts = filters._TableCache.category_counts

    def slow_counts(cache, column):  # stands for a step of preparing a big table
        if not entered.is_set():
            entered.set()
            release.wait(10)
        prepared.append((cache, column))
        return real_counts(cache, column)

    monkeypatch.setattr(filters._TableCache, "category_counts", slow_counts)
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    qtbot.waitUntil(entered.is_set, timeout=10_000)  # preparing in the background, once shown
    warmers = list(panel.warm_jobs)
    old_table = weakref.ref(window.state.table)
    old_cache = filters._cache(window.state.table)

    window.state.set_datasets([])  # File > Close while the table is being prepared
    settle(qtbot)
    try:
        assert old_table() is None, "the background preparation keeps the closed table alive"
    finally:
        release.set()
    for job in warmers:
        assert job.wait(10_000)
    # Stopped at the next check: no other column of the closed table prepared.
    assert len([column for cache, column in prepared if cache is old_cache]) == 1


def test_a_closed_file_sorted_in_the_background_is_freed(make_window, qtbot, monkeypatch):
    """A finished worker job lets go of what it worked on: its parent (the table's sort
    worker) lives as long as the window, and the job held the file's table (the soak,
    tests/soak, found every closed big file still in memory)."""
    from timeline_app.model import state as state_module
    from timeline_app.ui import sort_worker

    monkeypatch.setattr(state_module, "OFFLOAD_SORT_ROWS", 10)  # as for a big file
    monkeypatch.setattr(sort_worker, "OFFLOAD_SORT_ROWS", 10)
    window = make_window(UCDP_SAMPLE)
    qtbot.waitUntil(lambda: window.state.sorter().has_order(window.state.sort_keys))
    qtbot.waitUntil(lambda: not window.table_view.sort_worker.is_running())
    old_dataset = weakref.ref(window.state.table.datasets[0])
    old_table = weakref.ref(window.state.table)
    window.close_all_files()
    settle(qtbot)
    assert old_table() is None and old_dataset() is None
