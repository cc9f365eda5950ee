"""A timeline histogram bar's selection on a DuckDB dataset, used as a user would,
against the same Parquet file in memory: the table highlights all the bar's events, the
map rings those in view, Ctrl+C copies them; a filter keeps those it still shows, and
widening it again brings back no others."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.storage.engine_fixtures import write_fixture
from tests.ui.test_duckdb_map import VIEW, settle
from tests.ui.test_duckdb_timeline import answered, click_tallest_bar, duck_timeline, show
from tests.ui.test_duckdb_window import open_duckdb
from timeline_app.model.units import NS_PER_S

ROWS = 3000  # histograms when zoomed out (more than the marks' budget)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("duckbar"), rows=ROWS)[1]


def highlighted(table, rows: int = 100) -> list[int]:
    """The table's first ``rows`` rows shown selected."""
    chosen = table.selectionModel()
    return [r for r in range(rows) if chosen.isRowSelected(r, table.rootIndex())]


def ringed(m) -> list[tuple[float, float]]:
    """The map's points ringed as selected (lon, lat), sorted."""
    m.view.viewport().repaint()
    rows = m.source.selected_drawn()
    return sorted(zip(m.source.lon[rows].tolist(), m.source.lat[rows].tolist(), strict=True))


def copied(qtbot, window, duck) -> tuple[str, str]:
    """Ctrl+C in the memory table, then in the DuckDB one: both texts."""
    window.table_view.setFocus()
    qtbot.keyClick(window.table_view, Qt.Key.Key_C, CTRL)
    memory = QGuiApplication.clipboard().text()
    QGuiApplication.clipboard().setText("")
    table = duck.sources.table
    table.setFocus()
    with qtbot.waitSignal(duck.sources.selection.copied, timeout=10_000):
        qtbot.keyClick(table, Qt.Key.Key_C, CTRL)
    return memory, QGuiApplication.clipboard().text()


def bar_selected(qtbot, make_window, parquet):
    """Both windows with the same bar clicked, their maps on VIEW, the selection here."""
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    a, b = (t / NS_PER_S for t in window.timeline.source.extent_ns())
    show(qtbot, [window.timeline, widget], a, b)
    duck_map = duck.map_dock.widget()
    settle(qtbot, duck_map)
    for m in (window.map, duck_map):
        m.view.set_view(*VIEW)
    click_tallest_bar(qtbot, window, widget)
    selected = len(window.state.selection)
    assert selected > 1
    view = duck.state.source_view
    qtbot.waitUntil(lambda: len(view.selection) == selected, timeout=10_000)
    qtbot.waitUntil(lambda: not duck.sources.checking_focus(), timeout=10_000)
    settle(qtbot, duck_map)
    return window, duck, duck_map


def same_selection(qtbot, window, duck, duck_map) -> None:
    """The table's highlight, the map's rings, the counts said (status bar, Details)
    and the copied text are memory's."""
    table = duck.sources.table
    qtbot.waitUntil(lambda: highlighted(table) == highlighted(window.table_view), timeout=10_000)
    assert str(len(window.state.selection)) in window.count_label.text()
    assert duck.count_label.text() == window.count_label.text()
    assert duck.detail.selection_label.text() == window.detail.selection_label.text()
    assert ringed(duck_map) == ringed(window.map)
    memory, text = copied(qtbot, window, duck)
    assert text == memory


def test_a_bars_events_are_highlighted_ringed_and_copied_as_in_memory(qtbot, make_window, parquet):
    window, duck, duck_map = bar_selected(qtbot, make_window, parquet)
    assert len(highlighted(window.table_view, ROWS)) > 1  # more than the focused one
    assert len(ringed(window.map)) > 1
    same_selection(qtbot, window, duck, duck_map)


def test_export_selection_after_a_bar_click_writes_the_memory_windows_file(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    from tests.ui.test_duckdb_selection import export_selections

    window, duck, _map = bar_selected(qtbot, make_window, parquet)
    assert export_selections(qtbot, monkeypatch, window, duck, tmp_path) == len(
        window.state.selection
    )


def search(qtbot, window, duck, text: str) -> None:
    """Type ``text`` in both windows' search box (empty: clear it), until both count."""
    for w in (window, duck):
        box = w.filter_panel.search
        box.setFocus()
        box.selectAll()
        qtbot.keyClick(box, Qt.Key.Key_Backspace)
        if text:
            qtbot.keyClicks(box, text)
    view = duck.state.source_view
    qtbot.waitUntil(
        lambda: (
            (len(window.state.visible) < ROWS) == bool(text)
            and view.count == len(window.state.visible)
        ),
        timeout=10_000,
    )


@pytest.mark.parametrize("how", ["bar", "rows"])
def test_a_filter_keeps_the_selected_events_it_shows_and_widened_brings_none_back(
    qtbot, make_window, parquet, how
):
    """As in memory (model/state._refilter): the events a filter hides leave the
    selection; clearing the filter again does not bring them back."""
    if how == "bar":
        window, duck, duck_map = bar_selected(qtbot, make_window, parquet)
    else:
        from tests.ui.test_duckdb_selection import select

        window, duck = open_duckdb(qtbot, make_window, parquet)
        duck_map = duck.map_dock.widget()
        settle(qtbot, duck_map)
        for m in (window.map, duck_map):
            m.view.set_view(*VIEW)
        for table in (window.table_view, duck.sources.table):
            select(qtbot, table)
        qtbot.waitUntil(
            lambda: len(duck.state.source_view.selection) == len(window.state.selection),
            timeout=10_000,
        )
    before = len(window.state.selection)
    view = duck.state.source_view
    search(qtbot, window, duck, "niamey")
    kept = len(window.state.selection)
    assert 0 < kept < before
    qtbot.waitUntil(lambda: len(view.selection) == kept, timeout=10_000)
    search(qtbot, window, duck, "")
    assert len(window.state.selection) == kept  # none of the others back
    qtbot.waitUntil(lambda: not duck.sources.checking_focus(), timeout=10_000)
    assert len(view.selection) == kept
    qtbot.waitUntil(
        lambda: duck.detail.text().splitlines()[0] == window.detail.text().splitlines()[0],
        timeout=10_000,
    )
    settle(qtbot, duck_map)
    same_selection(qtbot, window, duck, duck_map)


def test_a_filter_keeping_the_bars_events_recounts_the_focused_ones_hidden_related(
    qtbot, make_window, parquet
):
    """The bar's first event stays focused under a filter to the days of the bar's
    events (the bar keeps all of them): the Details count its related events the
    filter now hides, as memory's do (they showed the previous filter's count)."""
    from tests.ui.test_duckdb_related import related_part
    from timeline_app.model.filters import FilterSpec

    window, duck, _map = bar_selected(qtbot, make_window, parquet)
    view = duck.state.source_view
    qtbot.waitUntil(lambda: related_part(duck) == related_part(window), timeout=10_000)
    assert "hidden by the filters" not in related_part(window)
    chosen, focused = window.state.selection.copy(), window.state.current
    starts = window.state.table.df["start"].iloc[chosen]
    spec = FilterSpec(date_from=starts.min().to_pydatetime(), date_to=starts.max().to_pydatetime())
    for w in (window, duck):
        w.state.set_filter(spec)
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
    assert len(window.state.selection) == len(chosen) and window.state.current == focused
    expected = related_part(window)
    assert "more hidden by the filters" in expected, expected
    qtbot.waitUntil(lambda: not duck.sources.checking_focus(), timeout=10_000)
    qtbot.waitUntil(lambda: not duck.sources.reading_event(), timeout=10_000)
    assert view.selected == len(chosen)
    qtbot.waitUntil(lambda: related_part(duck) == expected, timeout=10_000)
