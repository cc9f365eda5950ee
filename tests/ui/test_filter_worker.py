"""A text search over many rows runs in a thread: the window stays responsive, shows
"Searching…", then the rows found; a result for a filter changed meanwhile never shows."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from timeline_app.model import filters
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.filters import FilterSpec
from timeline_app.model.schema import conform
from timeline_app.model.state import AppState
from timeline_app.model.workspace import Workspace, apply_to_state
from timeline_app.ui.filter_worker import FilterWorker

ROWS = 6000


def synthetic(rows: int = ROWS) -> Dataset:
    """Notes name "needle" in every 7th event and "straw" in every 11th."""
    k = np.arange(rows)
    notes = np.where(k % 7 == 0, "a Néedle here", "nothing")
    notes = np.where(k % 11 == 0, np.char.add(notes.astype(str), " and straw"), notes)
    frame = pd.DataFrame(
        {
            "id": [f"E{i}" for i in k],
            "start": pd.Timestamp("2020-01-01") + pd.to_timedelta(k % 900, unit="D"),
            "category": np.where(k % 2 == 0, "attack", "statement"),
            "actor1": np.where(k % 3 == 0, "Group A", "Group B"),
            "title": [f"event {i}" for i in k],
            "notes": notes,
            "fatalities": (k % 5).astype(float),
        }
    )
    report = LoadReport(format="synthetic", rows_read=rows, events=rows)
    return Dataset(name="big", events=conform(frame), report=report)


def shown_ids(window) -> list[str]:
    model = window.table_view.model()
    ids = window.state.table.df["id"].to_numpy()
    return sorted(ids[model.event_row(r)] for r in range(model.rowCount()))


def ids_where(condition) -> list[str]:
    return sorted(f"E{i}" for i in np.flatnonzero(condition(np.arange(ROWS))))


@pytest.fixture
def window(make_window, monkeypatch):
    monkeypatch.setattr(filters, "OFFLOAD_TEXT_ROWS", 1000)  # 6,000 rows is "big"
    window = make_window()
    window.state.set_datasets([synthetic()])
    return window


def search(qtbot, window, text: str) -> None:
    box = window.filter_panel.search
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_a_big_search_runs_in_a_thread_then_shows_its_rows(qtbot, window, monkeypatch):
    threads = []
    compute = FilterWorker._compute
    monkeypatch.setattr(
        FilterWorker,
        "_compute",
        lambda self, t, s: (threads.append(threading.current_thread()), compute(self, t, s))[1],
    )
    panel = window.filter_panel
    search(qtbot, window, "needle")
    # Asked for, not shown yet: the table still shows every row, and says it is searching.
    assert window.state.filter_pending
    assert panel.busy_label.isVisibleTo(panel)
    assert len(shown_ids(window)) == ROWS
    qtbot.waitUntil(lambda: not window.state.filter_pending, timeout=5000)
    assert threads and threads[0] is not threading.main_thread()
    assert shown_ids(window) == ids_where(lambda k: k % 7 == 0)
    assert panel.count_label.text() == f"{len(ids_where(lambda k: k % 7 == 0)):,} of 6,000 events"
    assert not panel.busy_label.isVisibleTo(panel)


def test_a_search_narrowed_by_other_filters_is_done_at_once(qtbot, window):
    """Under the threshold (few rows left by the other filters) nothing waits."""
    state = window.state
    state.set_filter(state.spec.with_(actors=("Group A",), date_to=pd.Timestamp("2020-01-10")))
    search(qtbot, window, "needle")
    assert not state.filter_pending
    assert shown_ids(window) == ids_where(lambda k: (k % 7 == 0) & (k % 3 == 0) & (k % 900 < 10))


def test_a_result_for_a_filter_changed_meanwhile_is_dropped(qtbot, window, monkeypatch):
    """The first search is held in its thread until the user has typed a second one;
    its (late) rows must never reach the table."""
    release = threading.Event()
    compute = FilterWorker._compute

    def slow_for_needle(self, table, spec):
        if spec.text == "needle":
            release.wait(5)
        return compute(self, table, spec)

    monkeypatch.setattr(FilterWorker, "_compute", slow_for_needle)
    shown = []
    window.state.rows_changed.connect(lambda: shown.append(len(window.state.visible)))
    search(qtbot, window, "needle")
    assert window.state.filter_pending
    search(qtbot, window, "straw")  # while "needle" is still being searched
    release.set()
    window.filter_worker.wait()
    qtbot.waitUntil(lambda: not window.state.filter_pending, timeout=5000)
    qtbot.wait(50)  # give a late "needle" result every chance to arrive
    assert shown_ids(window) == ids_where(lambda k: k % 11 == 0)
    assert len(ids_where(lambda k: k % 7 == 0)) not in shown  # never shown, not even briefly
    assert window.state.spec.text == "straw"


def test_a_search_overtaken_by_a_quick_filter_is_dropped(qtbot, window, monkeypatch):
    release = threading.Event()
    compute = FilterWorker._compute
    monkeypatch.setattr(
        FilterWorker, "_compute", lambda self, t, s: (release.wait(5), compute(self, t, s))[1]
    )
    panel = window.filter_panel
    search(qtbot, window, "needle")
    assert window.state.filter_pending
    panel.clear_all()  # no text: filtered at once, on this thread
    assert not window.state.filter_pending
    assert not panel.busy_label.isVisibleTo(panel)
    release.set()
    window.filter_worker.wait()
    qtbot.wait(50)
    assert len(shown_ids(window)) == ROWS
    assert window.state.spec.text == ""


def never_answers(_table, _spec, _token) -> bool:
    return True  # an offload that takes every filter and never hands a mask back


@pytest.fixture
def big(monkeypatch):
    monkeypatch.setattr(filters, "OFFLOAD_TEXT_ROWS", 1000)  # 6,000 rows is "big"


def test_a_caller_that_needs_the_rows_at_once_finishes_a_pending_filter(big):
    state = AppState()
    state.set_datasets([synthetic()])
    state.filter_offload = never_answers
    state.set_filter(FilterSpec(text="needle"))
    assert state.filter_pending and len(state.visible) == ROWS
    state.finish_filter()
    assert not state.filter_pending
    ids = state.table.df["id"].to_numpy()
    assert sorted(ids[state.visible]) == ids_where(lambda k: k % 7 == 0)


def test_a_workspace_with_a_big_search_keeps_its_selection(big):
    """Its selection is applied under its own filter, not the one shown before."""
    state = AppState()
    dataset = synthetic()
    state.set_datasets([dataset])
    state.set_filter(FilterSpec(text="straw"))  # shown before: E7 is not among these
    state.filter_offload = never_answers
    workspace = Workspace(filter=FilterSpec(text="needle"), selection=[("big", "E7")])
    apply_to_state(state, [dataset], workspace)
    assert state.table.df["id"].to_numpy()[state.selection].tolist() == ["E7"]


def test_an_export_started_while_a_search_runs_gets_the_new_filters_rows(big):
    """An export never takes the previous filter's rows while a big search is pending."""
    from timeline_app.model.export import choose_rows

    state = AppState()
    state.set_datasets([synthetic()])
    state.filter_offload = never_answers
    state.set_filter(FilterSpec(text="needle"))
    assert state.filter_pending and len(state.visible) == ROWS  # still the old rows shown
    ids = state.table.df["id"].to_numpy()
    assert sorted(ids[choose_rows(state, "filtered")]) == ids_where(lambda k: k % 7 == 0)


def test_the_first_actor_filter_through_the_dictionary_runs_in_a_thread(qtbot, big):
    """Resolving every actor name of a big table through the dictionary takes about half
    a second at 1M rows: before the warm-up has done it, the first actor filter is done
    by a worker, and finds the actor under another of its names (GSIM is JNIM)."""
    dataset = synthetic()
    k = np.arange(ROWS)
    dataset.events["actor1"] = pd.Categorical(np.where(k % 3 == 0, "GSIM", "Group B"))
    state = AppState()
    state.set_datasets([dataset])
    worker = FilterWorker(state)
    state.set_filter(FilterSpec(actors=("JNIM",)))
    assert state.filter_pending and len(state.visible) == ROWS  # not on this thread
    qtbot.waitUntil(lambda: not state.filter_pending, timeout=5000)
    ids = state.table.df["id"].to_numpy()
    assert sorted(ids[state.visible]) == ids_where(lambda k: k % 3 == 0)
    # Resolved now (by the worker): the next actor filter is shown at once.
    state.set_filter(FilterSpec(actors=("JNIM", "Group B")))
    assert not state.filter_pending and len(state.visible) == ROWS
    worker.deleteLater()
