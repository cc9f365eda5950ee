"""The Timeline dock on a DuckDB dataset, used as a user would, against the same file
in memory: the same lanes and per-bin counts, marks once zoomed in (a click shows the
event in the details), and a time selection that filters the table as in memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from tests.storage.engine_fixtures import write_fixture
from tests.ui.test_duckdb_filters import settled
from tests.ui.test_duckdb_window import open_duckdb
from tests.ui.test_filter_panel import click_region
from tests.ui.test_timeline import drag, point_at
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.timeline import choose_bin_unit
from timeline_app.model.units import NS_PER_S
from timeline_app.ui.timeline import TimelineWidget

ROWS = 3000  # a lane of more than the marks' budget: histograms when zoomed out


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("ducktime"), rows=ROWS)[1]


def duck_timeline(duck) -> TimelineWidget:
    widget = duck.timeline_dock.widget()
    assert isinstance(widget, TimelineWidget) and widget.isVisible()
    return widget


def answered(widget: TimelineWidget) -> bool:
    """The engine's answer stands for what the plot shows (asking for it if not)."""
    plot, source = widget.plot, widget.source
    if plot.layout() is None or source.busy():
        return False
    x0, x1 = (int(x * NS_PER_S) for x in plot.x_range())
    unit = choose_bin_unit(x1 - x0, plot.vb.width(), finest=source.finest)
    answer = source.answer
    return answer is not None and answer.ask.covers(x0, x1, unit)


def show(qtbot, widgets, x0: float, x1: float) -> None:
    for widget in widgets:
        widget.set_x_range(x0, x1)
    qtbot.waitUntil(lambda: answered(widgets[-1]), timeout=10_000)


def frames(window, widget: TimelineWidget, measure: str = "events"):
    """The memory and the DuckDB frame of the DuckDB plot's view, at its width."""
    x0, x1 = (int(x * NS_PER_S) for x in widget.plot.x_range())
    width = widget.plot.vb.width()
    memory = window.timeline.source.frame(x0, x1, width, measure)
    return memory, widget.source.frame(x0, x1, width, measure, ask=False)


def ids_of(source, positions) -> list[str]:
    index = source.index
    return sorted(source.table.df["id"].iloc[index.rows[positions]].astype(str))


def assert_same_frames(window, widget: TimelineWidget) -> set[str]:
    modes = set()
    for measure in ("events", "fatalities"):
        memory, duck = frames(window, widget, measure)
        assert [lf.mode for lf in duck.lanes] == [lf.mode for lf in memory.lanes]
        assert duck.unit == memory.unit
        for mine, theirs in zip(memory.lanes, duck.lanes, strict=True):
            modes.add(mine.mode)
            if mine.mode == "density":
                assert mine.count == theirs.count
                # The same calendar bins, the engine's reaching a view further each side.
                at = np.searchsorted(duck.edges, memory.edges[:-1])
                assert (duck.edges[at] == memory.edges[:-1]).all()
                np.testing.assert_allclose(theirs.values[at], mine.values)
            elif mine.mode == "marks":
                assert ids_of(widget.source, theirs.pos) == ids_of(window.timeline.source, mine.pos)
                assert ids_of(widget.source, theirs.ppos) == ids_of(
                    window.timeline.source, mine.ppos
                )
    return modes


def test_the_lanes_and_their_histograms_are_the_memory_ones(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    memory = window.timeline.source
    assert widget.source.lanes.labels == memory.lanes.labels
    assert widget.source.lane_counts() == memory.lane_counts()
    drawn, shown = widget.plot.lane_axis, window.timeline.plot.lane_axis
    assert (drawn._labels, drawn._counts) == (shown._labels, shown._counts)
    a, b = (t / NS_PER_S for t in memory.extent_ns())
    show(qtbot, [window.timeline, widget], a, b)
    assert assert_same_frames(window, widget) == {"density"}
    assert len(widget.plot.layout().bins)  # drawn: the bars are in the layout
    # Zoomed to a few months: marks in some lanes, all read from SQL.
    mid = (a + b) / 2
    show(qtbot, [window.timeline, widget], mid, mid + 90 * 86_400)
    assert "marks" in assert_same_frames(window, widget)
    # Another grouping: the same lanes as in memory.
    for w in (window.timeline, widget):
        w.grouping_box.setCurrentIndex(w.grouping_box.findData("admin1"))
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    assert widget.source.lanes.labels == memory.lanes.labels
    assert widget.source.lane_counts() == memory.lane_counts()
    assert_same_frames(window, widget)


def mark_point(qtbot, widget, dx: float = 0.0) -> tuple[QPoint, int]:
    """Zoomed in with the keys until there are marks: a big one's place (``dx`` seconds
    to its right) and row."""
    widget.plot.setFocus()

    def marks_shown() -> bool:
        return answered(widget) and len(widget.plot.layout().marks_x) > 0

    for _ in range(12):
        if marks_shown():
            break
        qtbot.keyClick(widget.plot, Qt.Key.Key_Plus)
        qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    assert marks_shown()
    layout = widget.plot.layout()
    k = int(np.argmax(layout.marks_d))  # a big one, easy to hit
    at = widget.plot.vb.mapToScene(QPointF(layout.marks_x[k] + dx, layout.marks_y[k]))
    pos = widget.plot.mapFromScene(at)
    return QPoint(pos.x(), pos.y()), int(layout.marks_row[k])


def test_zoomed_in_a_click_on_a_mark_shows_its_event(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    pos, row = mark_point(qtbot, widget)
    qtbot.mouseClick(widget.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    source = widget.source
    event_id = str(source.table.df["id"].iloc[row])
    assert duck.state.source_view.current_key == int(source.answer.keys[row])
    memory_row = window.state.table.row_of_id(window.state.table.datasets[0].name, event_id)
    window.state.select([memory_row])
    expected = window.detail.text().splitlines()[0]
    qtbot.waitUntil(lambda: duck.detail.text().splitlines()[0] == expected, timeout=10_000)
    assert event_id in duck.detail.text()
    assert len(source.selected_rows()) == 1  # outlined as the memory timeline outlines it


def test_a_time_selection_filters_the_table_as_in_memory(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    a, b = (t / NS_PER_S for t in window.timeline.source.extent_ns())
    show(qtbot, [window.timeline, widget], a, b)
    summaries: list[str] = []
    widget.range_summary.connect(summaries.append)
    frm, to = a + (b - a) * 0.3, a + (b - a) * 0.45
    for w in (window.timeline, widget):
        drag(
            w.plot.viewport(),
            point_at(w, frm, lane=0),
            point_at(w, to, lane=0),
            modifiers=Qt.KeyboardModifier.ShiftModifier,
        )
    assert duck.state.range == window.state.range is not None
    expected = window.timeline.source.range_summary(window.state.range)
    qtbot.waitUntil(lambda: summaries and summaries[-1] == expected, timeout=10_000)
    assert duck.range_label.text() == expected
    for w in (window.timeline, widget):
        qtbot.mouseClick(w.filter_button, Qt.MouseButton.LeftButton)
    view = duck.state.source_view
    qtbot.waitUntil(lambda: len(window.state.visible) < ROWS, timeout=5000)
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
    assert duck.state.spec == window.state.spec
    # The timeline follows the filter: counted again from SQL, as in memory.
    qtbot.waitUntil(
        lambda: answered(widget) and widget.source.answer.ask.spec == window.state.spec,
        timeout=10_000,
    )
    assert widget.source.lane_counts() == window.timeline.source.lane_counts()


def test_lanes_by_actor_are_the_memory_ones(qtbot, make_window, parquet):
    """The user picks lanes by actor: the DuckDB timeline shows the memory one's lanes,
    counts (an event in the lane of each of its actors) and frames, filtered too."""
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    for w in (window.timeline, widget):
        w.grouping_box.setCurrentIndex(w.grouping_box.findData("actor"))
    assert duck.state.views.timeline.lane_grouping == "actor"
    qtbot.waitUntil(
        lambda: answered(widget) and widget.source.answer.ask.grouping == "actor", timeout=10_000
    )
    memory = window.timeline.source
    assert widget.source.grouping == "actor" and widget.source.lanes.multi
    assert widget.source.lanes.labels == memory.lanes.labels != ("other",)
    assert widget.source.lane_counts() == memory.lane_counts()
    assert sum(memory.lane_counts()) > len(window.state.visible)  # some in several lanes
    drawn, shown = widget.plot.lane_axis, window.timeline.plot.lane_axis
    assert (drawn._labels, drawn._counts) == (shown._labels, shown._counts)
    assert widget.plot.legend.note() == window.timeline.plot.legend.note() != ""
    a, b = (t / NS_PER_S for t in memory.extent_ns())
    show(qtbot, [window.timeline, widget], a, b)
    assert "density" in assert_same_frames(window, widget)
    mid = (a + b) / 2
    show(qtbot, [window.timeline, widget], mid, mid + 90 * 86_400)
    assert "marks" in assert_same_frames(window, widget)
    # Filtered to an actor (through the dictionary): counted again, as in memory.
    spec = FilterSpec(actors=("JNIM",))
    for w in (window, duck):
        w.state.set_filter(spec)
    qtbot.waitUntil(
        lambda: answered(widget) and widget.source.answer.ask.spec == spec, timeout=10_000
    )
    assert widget.source.lane_counts() == memory.lane_counts()
    assert (drawn._labels, drawn._counts) == (shown._labels, shown._counts)
    assert assert_same_frames(window, widget)


def click_bar(qtbot, widget: TimelineWidget, lane: int, lo: int) -> None:
    """Click the middle of the bar of ``lane`` starting at ``lo`` ns."""
    layout = widget.plot.layout()
    k = int(np.flatnonzero((layout.bins_lane == lane) & (layout.bins_range[:, 0] == lo))[0])
    x, _top, w, _h = layout.bins[k]
    y = widget.plot.lane_centres_px()[lane]
    pos = widget.plot.mapFromScene(widget.plot.vb.mapToScene(QPointF(x + w / 2, y)))
    qtbot.mouseClick(
        widget.plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y())
    )


def click_tallest_bar(qtbot, window, widget: TimelineWidget) -> None:
    """Click, on both timelines, the tallest bar of the first lane on the DuckDB screen
    (the engine's reach past the view's sides is laid out too) that memory draws too."""
    layout = widget.plot.layout()
    theirs = window.timeline.plot.layout()
    drawn = theirs.bins_range[theirs.bins_lane == 0, 0]
    middle = layout.bins[:, 0] + layout.bins[:, 2] / 2
    shown = (middle > 0) & (middle < widget.plot.vb.width()) & (layout.bins_lane == 0)
    shown &= np.isin(layout.bins_range[:, 0], drawn)
    assert shown.any()
    k = int(np.argmax(np.where(shown, layout.bins_value, -1)))
    lane, lo = int(layout.bins_lane[k]), int(layout.bins_range[k, 0])
    for w in (window.timeline, widget):
        click_bar(qtbot, w, lane, lo)


def test_a_click_on_a_histogram_bar_selects_its_events(qtbot, make_window, parquet):
    """As in memory: the bar's events are selected (the Details say how many) and the
    first of them is focused (the Details show it), by category and by actor lanes."""
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    a, b = (t / NS_PER_S for t in window.timeline.source.extent_ns())
    view = duck.state.source_view
    for grouping in ("category", "actor"):
        for w in (window.timeline, widget):
            w.grouping_box.setCurrentIndex(w.grouping_box.findData(grouping))
        show(qtbot, [window.timeline, widget], a, b)
        qtbot.waitUntil(lambda g=grouping: widget.source.answer.ask.grouping == g, timeout=10_000)
        # and for the whole view: the lanes' answer may be for the view before (the list
        # changed first); the one for this view comes next, and the bars with it.
        qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
        click_tallest_bar(qtbot, window, widget)
        selected = len(window.state.selection)
        assert selected > 1 and window.state.current >= 0
        qtbot.waitUntil(lambda: view.selected == selected, timeout=10_000)  # noqa: B023
        expected = window.detail.text().splitlines()[0]
        qtbot.waitUntil(
            lambda: duck.detail.text().splitlines()[0] == expected,  # noqa: B023
            timeout=10_000,
        )
        current_id = str(window.state.table.df["id"].iloc[window.state.current])
        assert current_id in duck.detail.text()
        label = window.detail.selection_label.text()
        qtbot.waitUntil(lambda: duck.detail.selection_label.text() == label, timeout=10_000)  # noqa: B023
        assert str(selected) in label
    # A filter keeps the selected events it still shows (the focus if it is one of them,
    # else the first), then none: as in memory.
    for spec in (FilterSpec(fatalities_min=10), FilterSpec(fatalities_min=10, text="zzzz")):
        for w in (window, duck):
            w.state.set_filter(spec)
        kept = len(window.state.selection)
        assert kept < selected and (kept > 0) == (spec.text == "")
        qtbot.waitUntil(lambda k=kept: view.selected == k, timeout=10_000)
        assert (view.current_key is None) == (kept == 0)
        expected = window.detail.text().splitlines()[0]
        qtbot.waitUntil(lambda e=expected: duck.detail.text().splitlines()[0] == e, timeout=10_000)
        qtbot.waitUntil(
            lambda: duck.detail.selection_label.text() == window.detail.selection_label.text(),
            timeout=10_000,
        )
    for w in (window, duck):
        w.state.set_filter(FilterSpec())
    # A click where there is nothing (past the data): nothing selected, on both.
    show(qtbot, [window.timeline, widget], b + 10 * (b - a), b + 11 * (b - a))
    for w in (window.timeline, widget):
        qtbot.mouseClick(w.plot.viewport(), Qt.MouseButton.LeftButton, pos=point_at(w, b + 10.5 * (b - a), lane=0))  # fmt: skip
    assert len(window.state.selection) == 0
    qtbot.waitUntil(lambda: view.current_key is None and view.selected == 0, timeout=10_000)
    assert duck.detail.selection_label.text() == window.detail.selection_label.text()


def test_once_the_lists_worker_is_done_the_counts_come_from_the_day_index(
    qtbot, make_window, parquet
):
    """After the first lists the Filters dock's worker makes its cube, then the
    timeline's day index (storage/duck/day_index.py): a filter of lists and tolls is
    then counted from it, a typed one by SQL, each drawn as in memory."""
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    facets = duck.sources.facets
    qtbot.waitUntil(
        lambda: facets._prepared is not None and not facets.prepare_jobs.busy(), timeout=20_000
    )
    source = duck.state.source_view.source
    assert source._facets.day_index() is not None
    a, b = (t / NS_PER_S for t in window.timeline.source.extent_ns())

    def typed(w) -> None:
        w.filter_panel.search.setFocus()
        qtbot.keyClicks(w.filter_panel.search, "segou")
        qtbot.waitUntil(lambda: w.state.spec.text == "segou", timeout=5000)  # debounced

    steps = [
        (lambda w: click_region(qtbot, w.filter_panel, "Mali"), "index"),
        (lambda w: w.filter_panel.fat_min.setValue(4), "index"),
        (typed, "sql"),
    ]
    for step, path in steps:
        for w in (window, duck):
            step(w)
        settled(qtbot, window, duck)
        assert duck.state.spec == window.state.spec
        show(qtbot, [window.timeline, widget], a, b)
        qtbot.waitUntil(
            lambda: answered(widget) and widget.source.answer.ask.spec == duck.state.spec,
            timeout=10_000,
        )
        assert source.timeline.last_path == path
        assert assert_same_frames(window, widget)  # the lanes drawn as in memory


def test_an_overview_read_killed_by_a_filters_interrupt_is_read_again(
    qtbot, make_window, parquet, monkeypatch
):
    """A new filter's count interrupts every query of the engine: the overview's read
    ended in "The timeline's query failed: INTERRUPT Error: Interrupted!" (seen under
    Xvfb on the 10M-event file) and the overview kept the filter before's counts."""
    import duckdb

    from timeline_app.ui.timeline import sql_source

    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    everything = int(widget.source.overview_counts()[1].sum())
    real, killed = sql_source.read_overview, []

    def killed_once(control, source, spec):
        if not killed:
            killed.append(spec)
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
        return real(control, source, spec)

    monkeypatch.setattr(sql_source, "read_overview", killed_once)
    messages: list[str] = []
    duck.statusBar().messageChanged.connect(messages.append)
    spec = FilterSpec(actors=("JNIM",))
    for w in (window, duck):
        w.state.set_filter(spec)
    qtbot.waitUntil(lambda: bool(killed) and not widget.source.busy(), timeout=10_000)
    qtbot.waitUntil(lambda: window.filter_panel.counts_settled(), timeout=10_000)
    counts = widget.source.overview_counts()[1]
    assert int(counts.sum()) < everything  # the filter's overview, not the one before
    assert int(counts.sum()) == int(window.timeline.source.overview_counts()[1].sum())
    assert not [m for m in messages if "failed" in m], messages
