"""The Map dock as a user meets it: drag a box and the table follows, click a point and
its row is selected, draw a region, export the map; and a map with nothing to place
says so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from tests.ui.test_table_view import click_header
from timeline_app.model.boundaries import bundled_layers
from timeline_app.model.filters import FilterSpec
from timeline_app.model.spatial import coordinates

TITLE_COLUMN = "title"


pytestmark = pytest.mark.usefixtures("every_mouse_move")  # (tests/ui/conftest.py)


def pixel(window, lon: float, lat: float) -> QPoint:
    """Where a place is on the map's viewport."""
    view = window.map.view
    scene = view.vb.mapViewToScene(QPointF(lon, lat))
    return view.mapFromScene(scene)


def mouse(widget, kind, pos: QPoint, buttons) -> None:
    button = Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        button if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def drag(window, start: QPoint, end: QPoint, steps: int = 12) -> None:
    """A left-button drag on the map, moving through the points in between."""
    viewport = window.map.view.viewport()
    held = Qt.MouseButton.LeftButton
    mouse(viewport, QEvent.Type.MouseButtonPress, start, held)
    for k in range(1, steps + 1):
        p = start + (end - start) * (k / steps)
        mouse(viewport, QEvent.Type.MouseMove, p, held)
    mouse(viewport, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def table_titles(window) -> list[str]:
    model = window.table_view.model()
    column = [c[0] for c in model.columns].index(TITLE_COLUMN)
    return [model.index(r, column).data() for r in range(model.rowCount())]


def ucdp_frame() -> pd.DataFrame:
    return pd.read_csv(UCDP_SAMPLE, dtype={"id": str})


def test_dragging_a_box_shows_only_its_events_in_the_table(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    window.map.set_tool("box")
    # Around Gao and Bourem.
    drag(window, pixel(window, -1.0, 17.3), pixel(window, 0.6, 15.8))
    qtbot.waitUntil(lambda: window.state.spec.bbox is not None)
    w, s, e, n = window.state.spec.bbox
    assert abs(w - -1.0) < 0.2 and abs(n - 17.3) < 0.2 and abs(e - 0.6) < 0.2
    df = ucdp_frame()
    inside = df[(df.longitude >= w) & (df.longitude <= e) & (df.latitude >= s) & (df.latitude <= n)]
    assert 0 < len(inside) < len(df)
    titles = table_titles(window)
    assert sorted(titles) == sorted(window.state.table.df["title"].iloc[window.state.visible])
    assert len(titles) == len(inside)
    assert all("Gao" in t or "Bourem" in t or "Bamba" in t or t for t in titles)
    # The box is a chip, and undo takes it away.
    assert any(label.startswith("Box ") for label in window.filter_panel.chips.labels())
    window.undo.undo()
    qtbot.waitUntil(lambda: window.state.spec.bbox is None)
    assert window.table_view.model().rowCount() == len(df)


def test_clicking_a_point_selects_its_row(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    df = window.state.table.df
    row = int(np.flatnonzero(df["id"].astype(str).to_numpy() == "491761")[0])  # the boat
    lon, lat = float(df["longitude"].iloc[row]), float(df["latitude"].iloc[row])
    window.map.view.set_view(lon - 0.5, lat - 0.5, lon + 0.5, lat + 0.5)  # nothing near it
    QApplication.processEvents()
    with qtbot.waitSignal(window.state.selection_changed):
        QTest.mouseClick(
            window.map.view.viewport(), Qt.MouseButton.LeftButton, pos=pixel(window, lon, lat)
        )
    assert window.state.selection.tolist() == [row]
    assert window.state.current == row
    selected = window.table_view.selectionModel().selectedRows()
    assert [window.state.visible[i.row()] for i in selected] == [row]
    # A click on empty ground (the farthest from any event in view) clears it.
    lons, lats = df["longitude"].to_numpy(float), df["latitude"].to_numpy(float)
    grid = [(lon + dx, lat + dy) for dx in (-0.4, 0, 0.4) for dy in (-0.4, 0, 0.4)]
    empty = max(grid, key=lambda p: np.min(np.hypot(lons - p[0], lats - p[1])))
    with qtbot.waitSignal(window.state.selection_changed):
        QTest.mouseClick(
            window.map.view.viewport(), Qt.MouseButton.LeftButton, pos=pixel(window, *empty)
        )
    assert not len(window.state.selection)


def test_a_clicked_region_filters_to_its_events(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    window.map.view.set_view(-6.0, 13.0, 2.0, 19.0)
    QApplication.processEvents()
    window.map.set_tool("region")
    QTest.mouseClick(
        window.map.view.viewport(), Qt.MouseButton.LeftButton, pos=pixel(window, 0.0, 16.3)
    )
    qtbot.waitUntil(lambda: bool(window.state.spec.within))
    assert window.state.spec.within_name == "Gao (mali regions)"
    gao = next(layer for layer in bundled_layers() if layer.key == "mali_adm1")
    geom = gao.geometries()[list(gao.names).index("Gao")]
    lon, lat, _known = coordinates(window.state.table)
    expected = [r for r in range(len(lon)) if geom.contains(shapely.Point(lon[r], lat[r]))]
    assert window.state.visible.tolist() == expected and expected
    assert "Inside Gao (mali regions)" in window.filter_panel.chips.labels()


def test_a_drawn_area_and_a_radius_become_filters(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    window.map.view.set_view(-6.0, 13.0, 2.0, 19.0)
    QApplication.processEvents()
    window.map.set_tool("area")
    corners = [(-1.5, 17.5), (1.0, 17.5), (1.0, 15.5), (-1.5, 15.5)]
    viewport = window.map.view.viewport()
    held = Qt.MouseButton.LeftButton
    mouse(viewport, QEvent.Type.MouseButtonPress, pixel(window, *corners[0]), held)
    outline = [*corners, corners[0]]
    for (lon0, lat0), (lon1, lat1) in zip(outline, outline[1:], strict=False):
        for t in np.linspace(0.1, 1.0, 10):  # a hand moves through many points
            p = pixel(window, lon0 + (lon1 - lon0) * t, lat0 + (lat1 - lat0) * t)
            mouse(viewport, QEvent.Type.MouseMove, p, held)
    release = pixel(window, *corners[0])
    mouse(viewport, QEvent.Type.MouseButtonRelease, release, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: bool(window.state.spec.within))
    assert window.state.spec.within_name == "drawn area"
    assert 0 < len(window.state.visible) < len(window.state.table)
    window.map.set_tool("radius")
    drag(window, pixel(window, -0.0447, 16.2717), pixel(window, -0.0447, 16.9))
    qtbot.waitUntil(lambda: window.state.spec.near is not None)
    lat, lon, km = window.state.spec.near
    assert abs(km - 70) < 8 and abs(lat - 16.27) < 0.1


def test_a_file_without_coordinates_is_said_not_drawn(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    message = window.map.message
    qtbot.waitUntil(message.isVisible)
    assert "None of the 18 events shown has coordinates" in message.text()
    assert not window.map.view.isVisible()
    # With located events beside them, the map is drawn and says how many are left out.
    window.add_dataset(
        __import__("timeline_app.formats.registry", fromlist=["load"]).load(UCDP_SAMPLE)
    )
    qtbot.waitUntil(window.map.view.isVisible)
    assert window.map.status_text == "60 of 78 events on the map (18 without coordinates)"


def test_map_exports_png_and_svg_with_legend_and_attribution(make_window, tmp_path):
    window = make_window(UCDP_SAMPLE)
    png = window.map.export_image(tmp_path / "map.png")
    assert png is not None and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = window.map.export_image(tmp_path / "map.svg")
    text = svg.read_text(encoding="utf-8")
    assert "Natural Earth" in text and "geoBoundaries" in text  # attribution
    assert " km<" in text or " km" in text  # the scale bar
    assert "attack" in text  # the legend
    # The borders as vectors, not the pixmaps the screen's paints keep of them.
    assert "<image" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "map.svg"]
    # Help > About names the boundaries' sources and licences too.
    from timeline_app.ui.about import about_html

    about = about_html(window)
    assert "Natural Earth" in about and "geoBoundaries (CC BY 4.0" in about


def test_the_maps_state_and_spatial_filter_come_back_with_a_workspace(make_window, qtbot, tmp_path):
    import json
    import shutil

    from timeline_app.model.filters import FilterSpec

    sample = Path(shutil.copy(UCDP_SAMPLE, tmp_path / UCDP_SAMPLE.name))
    window = make_window(sample)
    spec = FilterSpec(near=(16.2717, -0.0447, 150.0))
    window.state.set_filter(spec)
    window.map.shade_box.setCurrentIndex(window.map.shade_box.findData("fatalities"))
    window.map.regions_box.setCurrentIndex(window.map.regions_box.findData("mali_adm2"))
    window.map.window_days.setValue(14)
    window.map.view.set_view(-3.0, 14.0, 2.0, 18.0)
    window.map.view._moved()  # as a pan by the user does
    qtbot.waitUntil(lambda: window.state.views.map.viewport is not None)
    viewport = window.state.views.map.viewport
    saved = window.workspaces.save_to(tmp_path / "w.tlx.json", background=False)
    assert json.loads(saved.read_text())["map"]["shade"] == "fatalities"
    window.close()

    fresh = make_window(sample)
    fresh.workspaces.open_path(saved, background=False, interactive=False)
    qtbot.waitUntil(lambda: fresh.state.spec == spec)
    assert fresh.map.shade_box.currentData() == "fatalities"
    assert fresh.map.regions_box.currentData() == "mali_adm2"
    assert fresh.map.view.choropleth is not None
    assert fresh.map.view.choropleth.layer.key == "mali_adm2"
    assert fresh.map.window_days.value() == 14
    qtbot.waitUntil(
        lambda: (
            max(abs(a - b) for a, b in zip(fresh.map.view.view_bounds(), viewport, strict=True))
            < 0.05
        )
    )
    assert any(label.startswith("Within 150 km") for label in fresh.filter_panel.chips.labels())


def test_open_boundaries_shows_them_and_remembers_them(make_window, qtbot, tmp_path):
    import json

    square = [[(-1.0, 15.5), (1.0, 15.5), (1.0, 17.0), (-1.0, 17.0), (-1.0, 15.5)]]
    path = tmp_path / "districts.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"NAME": "Around Gao"},
                        "geometry": {"type": "Polygon", "coordinates": square},
                    }
                ],
            }
        )
    )
    window = make_window(UCDP_SAMPLE)
    assert window.map.open_boundaries(path)
    assert window.map.view.user_layer is not None
    assert window.map.regions_box.currentData() == "user"
    window.map.view.set_view(-3.0, 14.0, 2.0, 18.0)
    QApplication.processEvents()
    window.map.set_tool("region")
    QTest.mouseClick(
        window.map.view.viewport(), Qt.MouseButton.LeftButton, pos=pixel(window, 0.0, 16.3)
    )
    qtbot.waitUntil(lambda: bool(window.state.spec.within))
    assert window.state.spec.within_name == "Around Gao (districts)"
    lon, lat, _known = coordinates(window.state.table)
    inside = np.flatnonzero((lon > -1) & (lon < 1) & (lat > 15.5) & (lat < 17))
    assert window.state.visible.tolist() == inside.tolist()
    window.close()
    # The next window (the next start) shows them again.
    again = make_window(UCDP_SAMPLE)
    assert again.map.view.user_layer is not None
    assert again.map.view.user_layer.names.tolist() == ["Around Gao"]


def test_a_gdelt_file_without_coordinates_says_so(make_window, qtbot, tmp_path):
    fixture = Path(__file__).parents[1] / "formats" / "fixtures" / "gdelt_v1_header.csv"
    df = pd.read_csv(fixture, dtype=str, keep_default_na=False)
    df["ActionGeo_Lat"] = "0"
    df["ActionGeo_Long"] = "0"  # GDELT's "unknown place"
    path = tmp_path / "gdelt_unplaced.csv"
    df.to_csv(path, index=False)
    window = make_window(path)
    assert window.state.table.datasets[0].format == "gdelt"
    qtbot.waitUntil(window.map.message.isVisible)
    n = len(window.state.visible)
    assert f"None of the {n} events shown has coordinates" in window.map.message.text()
    # A spatial filter then says what it left out, in the status bar.
    window.state.set_filter(window.state.spec.with_(bbox=(-20.0, 0.0, 20.0, 30.0)))
    assert f"{n} without coordinates left out by the map filter" in window.count_label.text()


def many_events(n: int, tmp_path) -> Path:
    rng = np.random.default_rng(3)
    return attacks_at(rng.normal(15.0, 1.5, n), rng.normal(-2.0, 2.0, n), tmp_path / "many.csv")


def attacks_at(lat: np.ndarray, lon: np.ndarray, path: Path) -> Path:
    """A native CSV of one-day attacks at these places (a toll each)."""
    n = len(lat)
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(n)],
            "category": "attack",
            "start": "2023-09-07",
            "end": "2023-09-07",
            "date_precision": "day",
            "title": "an attack",
            "latitude": np.round(lat, 4),
            "longitude": np.round(lon, 4),
            "fatalities": rng.integers(0, 20, n),
        }
    )
    frame.to_csv(path, index=False)
    return path


def test_too_many_points_in_view_become_a_density_image(make_window, qtbot, tmp_path):
    from timeline_app.ui.map.layers import POINTS_MAX

    window = make_window(many_events(POINTS_MAX + 5_000, tmp_path))
    view = window.map.view
    view.fit()
    qtbot.waitUntil(view.density.isVisible)
    assert int(view.density.image.sum()) > 0
    assert any(text == "many events: density" for _k, _c, text in view.legend_entries())
    # Zoomed in, the fewer events in view are points again.
    view.set_view(-2.5, 14.5, -1.5, 15.5)
    qtbot.waitUntil(lambda: not view.density.isVisible())
    view.viewport().repaint()
    assert 0 < len(view.events.in_view) <= POINTS_MAX


def test_a_filter_bins_the_density_once_and_the_image_follows_it(make_window, qtbot, tmp_path):
    from timeline_app.ui.map.layers import POINTS_MAX

    window = make_window(many_events(2 * POINTS_MAX + 5_000, tmp_path))
    view, state = window.map.view, window.state
    view.fit()
    qtbot.waitUntil(view.density.isVisible)
    qtbot.waitUntil(window.map.settled)
    state.set_filter(FilterSpec(bbox=(-10.0, 0.0, -2.0, 30.0)))
    counts = view.density.counts
    assert int(counts.sum()) == len(view.events.count_in_view())
    # The view's own step after the change (the same rows over the same cells) keeps
    # the image made for the filter rather than binning the same rows again.
    view.update_density()
    assert view.density.counts is counts
    # Another filter, another image: the rows it keeps.
    state.set_filter(FilterSpec(bbox=(-10.0, 0.0, -1.0, 30.0)))
    assert view.density.counts is not counts
    assert int(view.density.counts.sum()) == len(view.events.count_in_view())
    assert int(view.density.counts.sum()) > int(counts.sum())


def test_shading_counts_events_and_fatalities_per_region(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    window.map.shade_box.setCurrentIndex(window.map.shade_box.findData("events"))
    choropleth = window.map.view.choropleth
    assert choropleth is not None and choropleth.layer.key == "mali_adm1"
    df = ucdp_frame()
    layer = choropleth.layer
    expected = np.zeros(len(layer))
    deaths = np.zeros(len(layer))
    for k, geom in enumerate(layer.geometries()):
        for lon, lat, best in zip(df.longitude, df.latitude, df.best, strict=True):
            if geom.contains(shapely.Point(lon, lat)):
                expected[k] += 1
                deaths[k] += best
    assert choropleth.values.tolist() == expected.tolist()
    assert expected[list(layer.names).index("Gao")] > 0
    window.map.shade_box.setCurrentIndex(window.map.shade_box.findData("fatalities"))
    assert window.map.view.choropleth.values.tolist() == pytest.approx(deaths.tolist())


def test_the_time_slider_plays_a_window_of_days_and_dims_the_rest(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    state, source = window.state, window.map.source
    window.map.window_days.setValue(10)
    with qtbot.waitSignal(state.range_changed):
        window.map.play_button.setChecked(True)
    first = state.range
    assert first.end_ns - first.start_ns + 1 == 10 * 86_400 * 10**9
    with qtbot.waitSignal(state.range_changed, timeout=5_000):
        pass  # the next step of the play
    assert state.range.start_ns > first.start_ns
    window.map.play_button.setChecked(False)
    # Events outside the window are dimmed, those inside are not.
    inside = state.range.overlaps(state.table)
    assert (source.in_range == inside).all() and inside.any() and not inside.all()


def test_sorting_the_table_leaves_the_map_as_drawn_and_a_filter_redraws_it(make_window, qtbot):
    window = make_window(UCDP_SAMPLE)
    source = window.map.source
    drawn = source.generation
    click_header(qtbot, window.table_view, "fatalities")
    qtbot.waitUntil(lambda: window.state.sort_keys == [("fatalities", True)])
    assert source.generation == drawn  # the same events: nothing to redraw
    qtbot.keyClicks(window.filter_panel.search, "Gao")
    qtbot.waitUntil(lambda: source.generation > drawn)
    assert source.filtered == len(window.state.visible)


def test_a_narrow_map_breaks_its_attribution_between_sources_not_off_its_edge(make_window):
    """At 305 px (the map at 1400x900) the one-line attribution lost "Borders: " off the
    map's left edge; a wide map keeps it on one line."""
    from types import SimpleNamespace

    from PySide6.QtGui import QFont, QFontMetricsF

    window = make_window(size=(1400, 900))
    view = window.map.view
    font = QFont(view.font())
    font.setPointSizeF(8.0)
    metrics = QFontMetricsF(font)
    whole = view.attribution()
    narrow = view.overlay._attribution_lines(SimpleNamespace(w=305.0), metrics)
    assert len(narrow) == 2 and " · ".join(narrow) == whole
    assert narrow[0].startswith("Borders: Natural Earth")
    assert all(metrics.horizontalAdvance(line) <= 305 - 16 for line in narrow)
    assert view.overlay._attribution_lines(SimpleNamespace(w=900.0), metrics) == [whole]


@pytest.mark.parametrize("spec", [FilterSpec(), FilterSpec(categories=("attack",))])
def test_the_legend_names_what_the_map_draws(make_window, spec, monkeypatch):
    """The categories drawn, an unknown toll, an approximate place: as the drawn rows
    have them, whichever way they are counted (a few categories, or many)."""
    from timeline_app.ui.map import source as map_source

    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    window.state.set_filter(spec)
    points = window.map.view.source
    drawn = np.flatnonzero(points.drawn)
    assert len(drawn)
    expected = (
        sorted(set(points.category[drawn].tolist())),
        bool((~points.known[drawn]).any()),
        bool(points.imprecise[drawn].any()),
    )
    assert expected[0]
    codes, unknown, rough = points.legend_facts()
    assert (codes.tolist(), unknown, rough) == expected
    monkeypatch.setattr(map_source, "MANY_CATEGORIES", 0)
    points._legend = None
    codes, unknown, rough = points.legend_facts()
    assert (codes.tolist(), unknown, rough) == expected


def viewport_pixels(view) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    return rows[:, : image.width(), :3].astype(np.int16)


def test_a_still_map_is_copied_from_pictures_that_show_what_a_fresh_paint_shows(make_window, qtbot):
    """Land, borders and overlay are painted from pictures while the view is still (a
    filter or the time slider repaints without stroking them again), afresh while it
    moves; after each pan the copied map is the one a paint from scratch draws."""
    from PySide6.QtWidgets import QGraphicsItem

    from timeline_app.ui.map.export import uncached

    cache = QGraphicsItem.CacheMode
    window = make_window(UCDP_SAMPLE)
    view = window.map.view
    qtbot.waitUntil(view.isVisible)
    for k in range(6):
        east, north = 0.37 * k, 0.11 * k  # degrees: a fraction of a pixel more each time
        view.set_view(-12.0 + east, 8.0 + north, 6.0 + east, 22.0 + north)
        view.viewport().repaint()  # moved: painted afresh
        assert view.land.cacheMode() == cache.NoCache and not view.overlay.keep_pixmap
        qtbot.waitUntil(lambda: not view._density_timer.isActive())  # the view settled
        view.viewport().repaint()  # still: the pictures are made...
        view.viewport().repaint()  # ... and copied
        assert view.land.cacheMode() == cache.DeviceCoordinateCache and view.overlay.keep_pixmap
        kept = viewport_pixels(view)
        with uncached(view):
            view.viewport().repaint()
            fresh = viewport_pixels(view)
        off = np.abs(kept - fresh).max(axis=2) > 80
        assert off.sum() <= 5, f"pan {k}: {off.sum()} pixels differ"


def test_the_overlay_kept_between_paints_shows_what_a_fresh_paint_shows(make_window, qtbot):
    """The legend, scale and attribution are copied from their last picture while they
    stay the same; a time selection, a filter or a shading changes the legend, and the
    map then shows the new one, as a paint from scratch does."""
    import pandas as pd

    from timeline_app.model.state import TimeRange
    from timeline_app.ui.map.export import uncached

    window = make_window(UCDP_SAMPLE)
    view, state = window.map.view, window.state
    qtbot.waitUntil(view.isVisible)
    start = int(pd.Timestamp("2023-09-01").value)
    steps = [
        lambda: None,
        lambda: state.set_range(TimeRange(start, start + 10 * 86_400 * 10**9)),
        lambda: state.set_filter(FilterSpec(text="Gao")),
        lambda: view.set_shading("events"),
        lambda: state.set_range(None),
    ]
    seen = set()
    for step in steps:
        step()
        qtbot.waitUntil(lambda: not view._density_timer.isActive())
        for _ in range(3):  # still: the pictures made, then copied
            view.viewport().repaint()
        assert view.overlay.keep_pixmap
        kept = viewport_pixels(view)
        with uncached(view):
            view.viewport().repaint()
            fresh = viewport_pixels(view)
        assert (np.abs(kept - fresh).max(axis=2) > 80).sum() <= 5
        seen.add(view.overlay._kept[0][1])  # the legend drawn
    assert len(seen) >= 3  # the legend did change on the way


def test_the_legend_moves_to_the_top_when_the_events_lie_under_it(make_window, qtbot, tmp_path):
    # The sample's events sit in Mali's south and centre, where the legend's corner is:
    # it hid some of them. It goes where it hides fewer, and back.
    rng = np.random.default_rng(7)
    # in the view's bottom right below
    lat, lon = rng.uniform(10.0, 12.0, 300), rng.uniform(4.0, 9.0, 300)
    path = attacks_at(lat, lon, tmp_path / "south_east.csv")
    window = make_window(path, size=(1400, 900))
    window.map_dock.show()
    window.map_dock.raise_()
    view = window.map.view
    overlay = view.overlay

    def legend_at(w: float, s: float, e: float, n_: float) -> str:
        view.set_view(w, s, e, n_)
        overlay.legend_rect = None
        qtbot.waitUntil(lambda: overlay.legend_rect is not None)  # painted at the new view
        rect = overlay.legend_rect
        return "top" if rect.center().y() < view.viewport().height() / 2 else "bottom"

    assert legend_at(-2.0, 9.5, 9.5, 22.0) == "top"  # the events at the bottom right
    assert legend_at(-2.0, 0.0, 9.5, 12.5) == "bottom"  # now at the top


def test_clearing_a_filter_shows_the_density_of_every_event_without_binning_again(
    make_window, qtbot, tmp_path
):
    from timeline_app.ui.map.layers import POINTS_MAX

    window = make_window(many_events(2 * POINTS_MAX + 5_000, tmp_path))
    view, state = window.map.view, window.state
    view.fit()
    qtbot.waitUntil(view.density.isVisible)
    qtbot.waitUntil(window.map.settled)
    every = view.density.counts
    assert int(every.sum()) == len(view.events.count_in_view())
    state.set_filter(FilterSpec(bbox=(-10.0, 0.0, -1.0, 30.0)))  # a density of its own
    assert view.density.isVisible() and view.density.counts is not every
    assert int(view.density.counts.sum()) < int(every.sum())
    state.set_filter(FilterSpec())
    assert view.density.counts is every  # the image of every event, as kept, not binned anew
    image = view.density.image
    assert image is not None and float(image.max()) > 0


def test_the_rows_in_a_view_are_the_drawn_rows_inside_it_filtered_or_not(make_window):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    source = window.map.view.source
    for spec in (FilterSpec(), FilterSpec(categories=("attack",))):
        window.state.set_filter(spec)
        drawn = np.flatnonzero(source.drawn)
        assert len(drawn) and set(drawn.tolist()) <= set(np.flatnonzero(source.has_place))
        assert source.rows_in(-180.0, -90.0, 180.0, 90.0).tolist() == drawn.tolist()
        lon, lat = source.lon[drawn], source.lat[drawn]
        inside = drawn[(lon >= -4.0) & (lon <= 0.0) & (lat >= 13.0) & (lat <= 17.0)]
        assert 0 < len(inside) < len(drawn)
        assert source.rows_in(-4.0, 13.0, 0.0, 17.0).tolist() == inside.tolist()


def test_closing_the_file_lets_its_density_arrays_go(make_window, qtbot, tmp_path):
    # The density keeps its last binnings' rows and positions for a filter cleared;
    # a closed file's must not stay with them (a closed file's memory goes).
    import gc
    import weakref

    from timeline_app.ui.map.layers import POINTS_MAX

    window = make_window(many_events(2 * POINTS_MAX + 5_000, tmp_path))
    view = window.map.view
    view.fit()
    qtbot.waitUntil(view.density.isVisible)
    qtbot.waitUntil(window.map.settled)
    lon = weakref.ref(view.source.lon)
    window.close_all_files()
    qtbot.waitUntil(window.map.settled)
    gc.collect()
    assert lon() is None
    assert not view.density.isVisible()
