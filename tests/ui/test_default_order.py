"""The table starts in date order, and the datasets are in the order they were opened,
whichever file finishes loading first (they load in parallel)."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.ui import loader


def shown_dates(window) -> np.ndarray:
    return window.state.table.start_ns[window.state.visible]


def test_the_table_opens_sorted_by_date_and_says_so(make_window):
    window = make_window(UCDP_SAMPLE, CONTEXT_CSV)
    view = window.table_view
    dates = shown_dates(window)
    assert len(dates) > 50 and (np.diff(dates) >= 0).all()
    header = view.horizontalHeader()
    assert header.isSortIndicatorShown()
    assert header.sortIndicatorSection() == view.model().section_of("start")
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    # Ties keep the datasets' order, then each file's own: the same on every start.
    rows = window.state.visible
    same_day = rows[:-1][dates[:-1] == dates[1:]]
    after = rows[1:][dates[:-1] == dates[1:]]
    assert len(same_day) and (after > same_day).all()


def test_a_filter_keeps_the_date_order(make_window):
    from timeline_app.model.filters import FilterSpec

    window = make_window(UCDP_SAMPLE, CONTEXT_CSV)
    window.state.set_filter(FilterSpec(regions=("Gao", "Mopti")))
    dates = shown_dates(window)
    assert 0 < len(dates) < len(window.state.table) and (np.diff(dates) >= 0).all()


def test_files_opened_together_keep_their_order_when_the_first_loads_last(
    make_window, qtbot, monkeypatch
):
    real_load = loader.load
    second_done = threading.Event()

    def first_waits(path, *args, **kwargs):
        if path == CONTEXT_CSV:
            second_done.wait(20)  # the first file finishes after the second
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(loader, "load", first_waits)
    window = make_window(size=(1400, 900))
    window.state.set_datasets([])
    first = window.open_file(CONTEXT_CSV, report=False)
    second = window.open_file(UCDP_SAMPLE, report=False)
    with qtbot.waitSignal(second.yielded, timeout=20_000):
        pass
    second_done.set()
    with qtbot.waitSignal(first.finished, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: len(window.state.table.datasets) == 2, timeout=20_000)
    names = [d.name for d in window.state.table.datasets]
    assert names == [CONTEXT_CSV.stem, UCDP_SAMPLE.stem]
    window.state.set_lane_grouping("dataset")
    assert list(window.timeline.source.lanes.labels)[:2] == names
    facet = window.filter_panel.datasets.model
    assert facet.shown_names() == names


def test_a_big_table_is_sorted_by_date_in_the_background(make_window, qtbot, monkeypatch):
    """From OFFLOAD_SORT_ROWS rows, the first order by date is built by a worker (ranking
    1M dates takes up to a second); the rows show in file order meanwhile."""
    from timeline_app.model import state as state_module
    from timeline_app.ui import sort_worker

    monkeypatch.setattr(state_module, "OFFLOAD_SORT_ROWS", 10)
    monkeypatch.setattr(sort_worker, "OFFLOAD_SORT_ROWS", 10)
    window = make_window(UCDP_SAMPLE, CONTEXT_CSV)
    qtbot.waitUntil(lambda: (np.diff(shown_dates(window)) >= 0).all(), timeout=20_000)
    assert window.state.sorter().has_order(window.state.sort_keys)


def test_a_converted_file_of_several_sources_keeps_its_place_among_files_opened_together(
    make_window, qtbot, monkeypatch, tmp_path
):
    """A file of two sources opens as two datasets: the place it was asked for was kept
    under the file's dataset, which the table never holds, so a file opened before it
    that finished after it went after its sources (the order then hung on which file
    finished first)."""
    import shutil

    from timeline_app.cli import main

    a, b = tmp_path / "alpha.csv", tmp_path / "beta.csv"
    shutil.copy(UCDP_SAMPLE, a)
    shutil.copy(CONTEXT_CSV, b)
    both = tmp_path / "both.parquet"
    assert main(["convert", str(a), str(b), "-o", str(both)]) == 0
    real_load = loader.load
    done = {p: threading.Event() for p in (CONTEXT_CSV, both, UCDP_SAMPLE)}
    waits_for = {CONTEXT_CSV: both, both: UCDP_SAMPLE}  # they finish last to first

    def in_turn(path, *args, **kwargs):
        if path in waits_for:
            done[waits_for[path]].wait(20)
        try:
            return real_load(path, *args, **kwargs)
        finally:
            done[path].set()

    monkeypatch.setattr(loader, "load", in_turn)
    window = make_window(size=(1400, 900))
    window.state.set_datasets([])
    for path in (CONTEXT_CSV, both, UCDP_SAMPLE):
        window.open_file(path, report=False)
    qtbot.waitUntil(lambda: len(window.state.table.datasets) == 4, timeout=20_000)
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=20_000)
    names = [d.name for d in window.state.table.datasets]
    assert names == [CONTEXT_CSV.stem, "alpha", "beta", UCDP_SAMPLE.stem]
