"""The Map dock on a DuckDB dataset, used as a user would, against the same Parquet file
in memory: the same points, density counts and region shading; a dragged box or a
clicked region filters the table to memory's count; a clicked point's event is shown
in the details."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.storage.engine_fixtures import write_fixture
from tests.ui.test_duckdb_window import open_duckdb
from timeline_app.ui.map import layers

ROWS = 450
VIEW = (-9.0, 9.0, 9.0, 21.0)  # the fixture's events: 10-20°N, 8°W-8°E


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("duckmap"), rows=ROWS)[1]


pytestmark = pytest.mark.usefixtures("every_mouse_move")  # (tests/ui/conftest.py)


def maps(qtbot, make_window, parquet):
    """(memory window, its map, DuckDB window, its map), both framing VIEW."""
    window, duck = open_duckdb(qtbot, make_window, parquet)
    duck_map = duck.map_dock.widget()
    assert duck_map is duck.sources.map and duck_map is not duck.map
    settle(qtbot, duck_map)  # opened: framed on its events' extent
    for m in (window.map, duck_map):
        m.view.set_view(*VIEW)
    settle(qtbot, duck_map)
    assert duck_map.view.view_bounds() == window.map.view.view_bounds()
    return window, window.map, duck, duck_map


def settle(qtbot, duck_map) -> None:
    QApplication.processEvents()
    qtbot.waitUntil(duck_map.settled, timeout=10_000)
    duck_map.view.viewport().repaint()


def drawn(m) -> list[tuple[float, float, float]]:
    """The points the map paints: (lon, lat, fatalities or -1 if unknown), sorted."""
    m.view.viewport().repaint()
    s, idx = m.source, m.view.events.in_view
    tolls = np.nan_to_num(s.fatalities[idx], nan=-1.0)
    return sorted(zip(s.lon[idx].tolist(), s.lat[idx].tolist(), tolls.tolist(), strict=True))


def pixel(m, lon: float, lat: float) -> QPoint:
    scene = m.view.vb.mapViewToScene(QPointF(lon, lat))
    return m.view.mapFromScene(scene)


def drag(m, start: QPoint, end: QPoint, steps: int = 12) -> None:
    viewport = m.view.viewport()
    held = Qt.MouseButton.LeftButton
    for kind, pos, buttons in (
        (QEvent.Type.MouseButtonPress, start, held),
        *(
            (QEvent.Type.MouseMove, start + (end - start) * (k / steps), held)
            for k in range(1, steps + 1)
        ),
        (QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton),
    ):
        button = (
            Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
        )
        event = QMouseEvent(
            kind,
            QPointF(pos),
            QPointF(viewport.mapToGlobal(pos)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)


def test_the_duckdb_map_draws_the_memory_maps_points(qtbot, make_window, parquet):
    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    points = drawn(duck_map)
    assert points == drawn(memory) and len(points) > 300
    assert not duck_map.view.density.isVisible()
    assert duck_map.status_text == memory.status_text  # "408 of 450 events on the map (…)"
    assert duck_map.view.legend_entries() == memory.view.legend_entries()
    # Zoomed in: the fewer points of the smaller view, asked again.
    for m in (memory, duck_map):
        m.view.set_view(-4.0, 12.0, 0.0, 16.0)
    settle(qtbot, duck_map)
    assert drawn(duck_map) == drawn(memory) and 0 < len(drawn(memory)) < len(points)


def test_too_many_in_view_is_the_memory_maps_density_counted_in_sql(
    qtbot, make_window, parquet, monkeypatch
):
    monkeypatch.setattr(layers, "POINTS_MAX", 100)
    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    memory.view.update_density()
    for m in (memory, duck_map):
        assert m.view.density.isVisible()
    counts = duck_map.view.density.counts
    assert counts.shape == memory.view.density.counts.shape
    assert np.array_equal(counts, memory.view.density.counts) and counts.sum() > 300
    assert not len(drawn(duck_map))  # the density stands in for the points
    assert ("square", "many events: density") in [
        (kind, text) for kind, _c, text in duck_map.view.legend_entries()
    ]


def test_a_view_holding_all_the_filters_events_asks_for_their_density_alone(
    qtbot, make_window, parquet, monkeypatch
):
    """Once the filter's summary is known, a view that holds every located event, more
    than POINTS_MAX of them, asks for the density without first asking for the points
    (map_queries.dense); the counts are memory's. A view holding some asks as before."""
    from timeline_app.storage.duck import map_queries

    monkeypatch.setattr(layers, "POINTS_MAX", 100)
    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    asked: list = []
    real = map_queries.points
    monkeypatch.setattr(map_queries, "points", lambda *a, **k: asked.append(a[2]) or real(*a, **k))
    wide = (-30.0, 0.0, 30.0, 30.0)  # every located event of the fixture, and room
    for m in (memory, duck_map):
        m.view.set_view(*wide)
    settle(qtbot, duck_map)
    memory.view.update_density()
    counts = duck_map.view.density.counts
    assert np.array_equal(counts, memory.view.density.counts) and counts.sum() > 300
    assert asked == []
    for m in (memory, duck_map):
        m.view.set_view(-2.0, 12.0, 4.0, 18.0)  # some of them: the points are asked first
    settle(qtbot, duck_map)
    memory.view.update_density()
    assert np.array_equal(duck_map.view.density.counts, memory.view.density.counts)
    assert len(asked) == 1


def test_regions_are_shaded_by_the_memory_maps_totals(qtbot, make_window, parquet):
    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    for shade in ("events", "fatalities"):
        for m in (memory, duck_map):
            m.shade_box.setCurrentIndex(m.shade_box.findData(shade))
        settle(qtbot, duck_map)
        qtbot.waitUntil(lambda: duck_map.view.choropleth.values.any(), timeout=10_000)
        expected = memory.view.choropleth.values
        assert duck_map.view.choropleth.values.tolist() == expected.tolist() and expected.sum() > 0


def test_a_dragged_box_filters_the_duckdb_table_to_memorys_count(qtbot, make_window, parquet):
    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    for m in (memory, duck_map):
        m.set_tool("box")
        drag(m, pixel(m, -5.0, 18.0), pixel(m, 2.0, 12.0))
    qtbot.waitUntil(lambda: duck.state.spec.bbox is not None, timeout=5000)
    assert duck.state.spec.bbox == window.state.spec.bbox
    view = duck.state.source_view
    expected = len(window.state.visible)
    assert 0 < expected < ROWS
    qtbot.waitUntil(lambda: view.count == expected, timeout=10_000)
    assert any(label.startswith("Box ") for label in duck.filter_panel.chips.labels())
    settle(qtbot, duck_map)
    assert drawn(duck_map) == drawn(memory)
    assert duck_map.status_text == memory.status_text
    # A region clicked on the same place keeps memory's events too.
    for m in (memory, duck_map):
        m.set_tool("region")
        QTest.mouseClick(m.view.viewport(), Qt.MouseButton.LeftButton, pos=pixel(m, -4.0, 14.5))
    qtbot.waitUntil(lambda: bool(duck.state.spec.within), timeout=5000)
    assert duck.state.spec == window.state.spec
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)


def test_a_clicked_point_shows_its_event_in_the_details(qtbot, make_window, parquet):
    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    drawn(duck_map)
    s, idx = duck_map.source, duck_map.view.events.in_view
    # The event farthest from the others in view: the click cannot pick a neighbour.
    lon, lat = s.lon[idx].astype(float), s.lat[idx].astype(float)
    gaps = [np.partition(np.hypot(lon - x, lat - y), 1)[1] for x, y in zip(lon, lat, strict=True)]
    row = int(idx[int(np.argmax(gaps))])
    key = int(s.keys[row])
    view = duck.state.source_view
    QTest.mouseClick(
        duck_map.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=pixel(duck_map, float(s.lon[row]), float(s.lat[row])),
    )
    assert view.current_key == key
    # The same event picked on the memory map: its details, read there from memory.
    QTest.mouseClick(
        memory.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=pixel(memory, float(s.lon[row]), float(s.lat[row])),
    )
    expected = window.detail.text()
    assert window.state.current >= 0
    qtbot.waitUntil(
        lambda: duck.detail.text().splitlines()[:1] == expected.splitlines()[:1], timeout=10_000
    )
    event_id = window.state.table.df["id"].iloc[window.state.current]
    assert event_id in duck.detail.text()
    duck_map.view.viewport().repaint()
    assert duck_map.source.current == row  # ringed on the map


def test_the_map_export_writes_the_shown_duckdb_map_as_memory_draws_it(
    qtbot, make_window, parquet, tmp_path
):
    from PySide6.QtGui import QImage

    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    assert duck.map.shown() is duck_map and window.map.shown() is window.map
    images = []
    for w, name in ((window, "memory.png"), (duck, "duck.png")):
        # File > Export Map Image… is the window's map command (its handler: window.map)
        assert w.map.export_image(tmp_path / name) == tmp_path / name
        images.append(QImage(str(tmp_path / name)))
    assert images[0].size() == images[1].size() and images[0] == images[1]


def test_a_click_on_the_density_picks_memorys_event_and_rings_it(
    qtbot, make_window, parquet, monkeypatch
):
    monkeypatch.setattr(layers, "POINTS_MAX", 100)
    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    assert duck_map.source.dense and duck_map.view.density.isVisible()
    df = window.state.table.df
    row = int(np.flatnonzero(np.isfinite(df["latitude"].to_numpy(float)))[5])
    lon, lat = float(df["longitude"].iloc[row]), float(df["latitude"].iloc[row])
    QTest.mouseClick(memory.view.viewport(), Qt.MouseButton.LeftButton, pos=pixel(memory, lon, lat))
    picked = window.state.current
    assert picked >= 0
    view = duck.state.source_view
    QTest.mouseClick(
        duck_map.view.viewport(), Qt.MouseButton.LeftButton, pos=pixel(duck_map, lon, lat)
    )
    qtbot.waitUntil(lambda: view.current_key is not None, timeout=10_000)
    event_id = df["id"].iloc[picked]
    qtbot.waitUntil(lambda: event_id in duck.detail.text(), timeout=10_000)
    settle(qtbot, duck_map)
    s = duck_map.source
    assert s.keys.tolist() == [view.current_key] and s.current == 0  # its ring, no point
    assert np.isclose(s.lon[0], lon, atol=1e-4)
    duck_map.view.viewport().repaint()
    assert duck_map.view.events.dense  # no sprite: the density stands in
    # A click on empty sea clears the focus.
    QTest.mouseClick(
        duck_map.view.viewport(), Qt.MouseButton.LeftButton, pos=pixel(duck_map, -8.9, 20.9)
    )
    qtbot.waitUntil(lambda: view.current_key is None, timeout=10_000)


def test_the_time_slider_dims_the_same_events_and_a_radius_filters_the_same(
    qtbot, make_window, parquet
):
    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    for m in (memory, duck_map):
        m.window_days.setValue(400)
        m.slider.setValue(900)  # a window of 400 days from the 900th
    assert duck.state.range == window.state.range is not None

    def lit(m) -> list[tuple[float, float]]:
        m.view.viewport().repaint()
        s, idx = m.source, m.view.events.in_view
        shown = idx[s.in_range_of(idx)]
        return sorted(zip(s.lon[shown].tolist(), s.lat[shown].tolist(), strict=True))

    assert lit(duck_map) == lit(memory) and 0 < len(lit(memory)) < len(drawn(memory))
    for m in (memory, duck_map):
        m.set_tool("radius")
        drag(m, pixel(m, -1.0, 15.0), pixel(m, 1.0, 15.0))
    qtbot.waitUntil(lambda: duck.state.spec.near is not None, timeout=5000)
    assert duck.state.spec.near == window.state.spec.near
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
    settle(qtbot, duck_map)
    assert drawn(duck_map) == drawn(memory) and drawn(memory)


def test_a_newer_map_question_interrupts_only_the_maps_query(qtbot, make_window, parquet):
    from timeline_app.ui.map.sql_source import Queries

    window, duck = open_duckdb(qtbot, make_window, parquet)
    engine = duck.state.source_view.source.duck
    endless = "SELECT sum(i) FROM range(10000000000000) t(i)"
    queries = Queries("test map")
    errors = []
    job = queries.start(lambda _c, d: d.query(endless), engine, parent=duck)
    job.errored.connect(errors.append)  # stale once superseded: nothing arrives
    qtbot.waitUntil(lambda: bool(queries._cursors), timeout=5000)
    # Someone else's query on its own cursor (the table's count) is left running.
    theirs = []  # its worker's cursor (the other views ask on cursors of their own too)

    def count_forever(_cancel) -> None:
        theirs.append(engine.cursor())
        engine.query(endless)

    other = duck.sources._counts.start(count_forever, parent=duck)
    qtbot.waitUntil(lambda: bool(theirs) and theirs[0] in engine._running, timeout=5000)
    # DuckDB drops an interrupt that comes before it has begun the query (the cursor is
    # known a moment before): interrupt until the job ends, as a newer question would.
    ended: list[str] = []
    job.finished.connect(lambda: ended.append("map"))
    other.finished.connect(lambda: ended.append("other"))
    qtbot.waitUntil(lambda: queries.interrupt() or "map" in ended, timeout=10_000)
    assert not errors and job.stale
    assert theirs[0] in engine._running and other.is_running() and "other" not in ended
    # Cancel: every query of the engine (the views may ask again afterwards).
    qtbot.waitUntil(lambda: duck.cancel_button.click() or "other" in ended, timeout=10_000)


def test_the_tables_selected_rows_are_the_memory_maps_selected_points(qtbot, make_window, parquet):
    from tests.ui.test_duckdb_selection import duck_select, select

    window, memory, duck, duck_map = maps(qtbot, make_window, parquet)
    select(qtbot, window.table_view)  # a click, a Shift+click range, a Ctrl+click
    duck_select(qtbot, duck)
    settle(qtbot, duck_map)

    def chosen(m) -> list[tuple[float, float]]:
        rows = m.source.selected_drawn()
        return sorted(zip(m.source.lon[rows].tolist(), m.source.lat[rows].tolist(), strict=True))

    assert len(chosen(duck_map)) > 300  # more than the focused one
    assert chosen(duck_map) == chosen(memory)
