"""File > Open makes the new table and the views' arrays on the loading worker
(model/prepared.py): the window then only swaps them in, and every view shows all of it,
the same as from a table made on the UI thread; the views paint it in later turns, one
view a turn."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QEvent, QObject

from tests.conftest import UCDP_SAMPLE
from timeline_app.model import spatial
from timeline_app.model.timeline import LaneOrder, TimelineIndex, assign_lanes


class Paints(QObject):
    def __init__(self, widget, views=()) -> None:
        super().__init__()
        self.count = 0
        self.views = views
        self.enabled: list[list[bool]] = []  # at each paint, which of ``views`` paint
        widget.installEventFilter(self)

    def eventFilter(self, _obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            self.enabled.append([view.updatesEnabled() for view in self.views])
        return False


def test_an_open_takes_the_table_made_on_the_worker_and_every_view_shows_it(
    make_window, qtbot, monkeypatch
):
    window = make_window()  # the context file is open already
    state = window.state
    made: list = []
    real_make = state.prepared.make

    def make(datasets):
        table = real_make(datasets)
        made.append((table, threading.current_thread() is threading.main_thread()))
        return table

    monkeypatch.setattr(state.prepared, "make", make)
    before = len(state.table)
    views = window._event_views()
    painted = Paints(window.table_view.viewport(), views)
    at_change: list[int] = []
    state.table_changed.connect(lambda: at_change.append(painted.count))
    job = window.open_file(UCDP_SAMPLE, report=False)
    qtbot.waitUntil(lambda: len(state.table.datasets) == 2, timeout=20_000)
    table = state.table
    assert made and made[-1][0] is table and not made[-1][1]  # made on the worker
    n = len(table)
    assert n > before
    # every view shows the whole new table
    assert window.table_view.model().rowCount() == n == len(state.visible)
    source = window.timeline.source
    lanes = assign_lanes(table, source.grouping, source.top_n)
    fresh = TimelineIndex(table, lanes, None, LaneOrder(table, lanes))
    assert source.index.table is table
    assert np.array_equal(source.index.rows, fresh.rows)
    assert np.array_equal(source.index.lane_bounds, fresh.lane_bounds)
    # (and what the first filter reads: the places of its rows, the range's tolls)
    made_ahead = vars(source.order)
    assert np.array_equal(made_ahead["fatalities"], fresh.fatalities, equal_nan=True)
    assert np.array_equal(made_ahead["position"][fresh.rows], np.arange(len(fresh.rows)))
    full = state.sorter().full_order(list(state.sort_keys))  # and the rows' places in it
    assert any(kept is full for kept, _places in state.sorter()._places_of.values())
    assert window.map.source.located == int(np.count_nonzero(spatial.coordinates(table)[2]))
    # and paints it once the state has it (the views wait one turn, then repaint one a
    # turn: when the table paints the new rows, the views after it still wait)
    qtbot.waitUntil(lambda: painted.count > at_change[-1], timeout=10_000)
    first = painted.enabled[at_change[-1]]
    assert first[views.index(window.table_view)] and not first[-1]
    qtbot.waitUntil(lambda: all(view.updatesEnabled() for view in views), timeout=10_000)
    qtbot.waitUntil(lambda: not window._loads, timeout=20_000)
    assert job.shown.is_set()


def test_the_map_legend_of_every_row_is_the_one_counted_over_them(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    source = window.map.source
    source._legend = None
    codes, unknown, rough = source.legend_facts()  # no filter: the kept facts
    drawn = np.flatnonzero(source.drawn)
    counts = np.bincount(source.category[drawn] + 1, minlength=len(source.category_names) + 1)
    assert np.array_equal(codes, np.flatnonzero(counts[1:]))
    assert unknown == bool((~source.known[drawn]).any())
    assert rough == bool(source.imprecise[drawn].any())
    assert len(codes)


def test_a_map_without_a_filter_finds_the_same_rows_and_bounds(make_window, qtbot):
    from timeline_app.model.filters import FilterSpec

    window = make_window(UCDP_SAMPLE)
    source = window.map.source

    def inside(x0, y0, x1, y1):
        lon, lat = source.lon, source.lat
        hit = source.drawn & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
        return np.flatnonzero(hit)

    for spec in (FilterSpec(), FilterSpec(text="gao")):
        window.state.set_filter(spec)
        lon, lat = source.lon[source.drawn], source.lat[source.drawn]
        a0, b0, a1, b1 = source.extent()
        assert (a0, b0, a1, b1) == (lon.min(), lat.min(), lon.max(), lat.max())
        around = (a0 - 1, b0 - 1, a1 + 1, b1 + 1)
        assert np.array_equal(source.rows_in(*around), inside(*around))
        assert len(source.rows_in(*around)) == source.located
        west = (a0 - 1, b0 - 1, (a0 + a1) / 2, b1 + 1)  # part of them only
        assert 0 < len(source.rows_in(*west)) < source.located
        assert np.array_equal(source.rows_in(*west), inside(*west))


def test_the_timeline_legend_follows_a_filter_and_its_clearing(make_window, qtbot):
    from timeline_app.model.filters import FilterSpec

    window = make_window()
    source, state = window.timeline.source, window.state

    def present() -> set[str]:
        shown = state.table.df["category"].to_numpy()[state.visible]
        return {str(c) for c in shown if str(c) != "nan"}

    everything = set(source.categories_present())
    assert everything == present() and len(everything) > 1
    one = sorted(everything)[0]
    state.set_filter(FilterSpec(categories=(one,)))
    assert source.categories_present() == [one]
    state.set_filter(FilterSpec())
    assert set(source.categories_present()) == everything


def test_a_load_cancelled_once_its_table_is_made_keeps_no_table(make_window, qtbot, monkeypatch):
    window = make_window()
    state = window.state
    before = [d.name for d in state.table.datasets]
    made: list = []
    jobs: list = []
    real_make = state.prepared.make

    def make_then_cancel(datasets):
        made.append(real_make(datasets))
        jobs[0].cancel()  # the user's Cancel, just as the table is ready
        return made[-1]

    monkeypatch.setattr(state.prepared, "make", make_then_cancel)
    job = window.open_file(UCDP_SAMPLE, report=False)
    jobs.append(job)
    with qtbot.waitSignal(job.cancelled, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: not window._loads, timeout=10_000)
    assert made and [d.name for d in state.table.datasets] == before
    assert state.prepared.take(list(made[0].datasets)) is None  # let go of


def test_the_filters_threads_start_once_the_views_have_painted_the_new_file(
    make_window, qtbot, monkeypatch
):
    # Their Python holds the GIL: started with the open, they slowed its first paints.
    from timeline_app.ui import filter_panel

    monkeypatch.setattr(filter_panel, "PREPARE_IN_BACKGROUND_ROWS", 10)  # as for 1M events
    monkeypatch.setattr(filter_panel, "COUNT_THREAD_ROWS", 10)
    window = make_window()
    panel, state = window.filter_panel, window.state
    canvases = (window.table_view.viewport(), window.timeline.plot.viewport())
    paints = [Paints(canvas) for canvas in canvases]
    at_change: list[list[int]] = []
    state.table_changed.connect(lambda: at_change.append([p.count for p in paints]))
    started: list[tuple[str, bool]] = []
    for kind in (panel.warm_jobs, panel.count_jobs):
        real = kind.start

        def start(*args, _real=real, _name=kind.name, **kwargs):
            if at_change:  # (the threads of the file open before are not asked about)
                painted = all(p.count > n for p, n in zip(paints, at_change[-1], strict=True))
                started.append((_name, painted))
            return _real(*args, **kwargs)

        monkeypatch.setattr(kind, "start", start)
    window.open_file(UCDP_SAMPLE, report=False)
    qtbot.waitUntil(lambda: {"prepare filters", "facet counts"} <= {n for n, _ in started})
    assert all(painted for _name, painted in started), started
    qtbot.waitUntil(lambda: not window._loads and panel.counts_settled(), timeout=20_000)
