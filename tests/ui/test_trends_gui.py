"""The Trends dock follows the filters and selects a time range by dragging; the
before-and-after dialog opens from the Ber withdrawal milestone on the timeline."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication, QMenu

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.model.filters import FilterSpec, filter_mask
from timeline_app.model.provenance import sidecar_path
from timeline_app.model.trends import compare, day_ns, outer_ring_mask
from timeline_app.ui.trends.compare_dialog import cercle_area

DAY_S = 86400.0


def row_of(state, event_id: str) -> int:
    ids = state.table.df["id"].to_numpy().astype(str)
    return int(np.flatnonzero(ids == event_id)[0])


def show_trends(window, qtbot):
    # The window lays its docks out again just after it is shown (ui/docks.py), putting
    # the table's tab in front: let that happen first, then bring the chart forward.
    # (A tab behind another is "visible" for Qt, only out of sight; the chart counts
    # only while it is in sight.)
    QApplication.processEvents()
    window.trends_dock.show()
    window.trends_dock.raise_()
    qtbot.waitUntil(lambda: not window.trends.visibleRegion().isEmpty())
    return window.trends


def test_the_trends_dock_follows_a_filter(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    trends = show_trends(window, qtbot)
    window.state.views.trends.unit = "month"
    assert trends.unit_box.currentData() == "month"
    series = trends.series
    assert series.unit == "month" and series.total_events == 78
    attack = series.labels.index("attack")
    assert series.events[attack].sum() == 65
    window.state.set_filter(FilterSpec(regions=("Tombouctou",)))
    qtbot.waitUntil(lambda: trends.series.total_events < 78)
    tombouctou = int(window.state.mask.sum())
    assert trends.series.total_events == tombouctou
    assert trends.series.events.sum() == tombouctou
    assert f"{tombouctou} events, by month" in trends.summary.text()
    # Fatalities: the known tolls summed; the unknown ones counted apart, not as 0.
    trends.measure_box.setCurrentIndex(trends.measure_box.findData("fatalities"))
    assert window.state.views.trends.measure == "fatalities"
    known = window.state.table.df["fatalities"].to_numpy()[window.state.mask]
    assert trends.series.values.sum() == np.nansum(known)
    unknown = int(np.isnan(known).sum())
    assert unknown and trends.series.unknown.sum() == unknown
    assert "with an unknown toll" in trends.summary.text()
    assert trends.chart.unknown_bars is not None
    # Hovering a bin names its values.
    september = pd.Timestamp("2023-09-15").value / 1e9
    assert "Sep 2023" in trends.chart.text_at(september)


def test_dragging_on_the_trends_chart_selects_the_time_range(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    trends = show_trends(window, qtbot)
    plot = trends.chart.plots[0]
    vb = plot.vb
    a_s = pd.Timestamp("2023-09-01").value / 1e9
    b_s = pd.Timestamp("2023-09-30").value / 1e9

    def widget_pos(x_s: float) -> QPoint:
        scene = vb.mapViewToScene(QPointF(x_s, 0.5 * sum(vb.viewRange()[1])))
        return trends.chart.mapFromScene(scene)

    start, end = widget_pos(a_s), widget_pos(b_s)
    viewport = trends.chart.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for k in range(1, 6):
        qtbot.mouseMove(viewport, start + (end - start) * (k / 5))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: window.state.range is not None)
    r = window.state.range
    assert abs(r.start_ns / 1e9 - a_s) <= 2 * DAY_S and abs(r.end_ns / 1e9 - b_s) <= 2 * DAY_S
    # The same range as the timeline's: its status bar sums it up, and the chart shades it.
    assert "events" in window.range_label.text()
    assert trends.chart.regions[0].isVisible()


def test_right_clicking_the_ber_withdrawal_opens_the_comparison(make_window, qtbot, tmp_path):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    state = window.state
    state.set_filter(FilterSpec(regions=("Tombouctou",)))
    plot = window.timeline.plot
    window.timeline.set_x_range(
        pd.Timestamp("2023-07-01").value / 1e9, pd.Timestamp("2023-10-01").value / 1e9
    )
    QApplication.processEvents()
    layout = plot.layout()
    ber = row_of(state, "ctx-05")
    assert ber in layout.milestones_row.tolist()
    x_px = float(layout.milestones_x[layout.milestones_row == ber][0])
    y_px = float(plot.lane_centres_px()[-1])
    pos = plot.mapFromScene(plot.vb.mapToScene(QPointF(x_px + 1, y_px)))
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.RightButton, pos=pos)
    menu = plot.last_menu
    assert isinstance(menu, QMenu)
    action = menu.actions()[0]
    assert action.text() == "Compare Before and After this milestone…"
    menu.close()
    action.trigger()
    dialog = window.comparing.dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    assert dialog.date_edit.date().toString("yyyy-MM-dd") == "2023-08-13"
    assert dialog.weeks_box.value() == 12
    # Ber has no coordinates: its cercle, Tombouctou (the shipped boundary), by default.
    assert dialog.cercle_radio.isChecked() and "Tombouctou" in dialog.cercle_radio.text()
    cercle = state.spec.with_(within=cercle_area("Tombouctou"))
    expected = compare(state.table, filter_mask(state.table, cercle), day_ns("2023-08-13"), 12)
    assert dialog.comparison.as_dict() == expected.as_dict()
    # Timbuktu, Tiherdjen and twice "between Ber and Tombouctou" before; Koryoumé, Ber,
    # Timbuktu twice and Acharane (in the cercle's boundary; UCDP names Goundam) after.
    assert (expected.before.events, expected.after.events) == (4, 5)
    weekly = dialog.export(tmp_path / "cercle.csv", "chart")  # the area goes beside it
    command = json.loads(sidecar_path(weekly).read_text(encoding="utf-8"))["argv"]
    area = Path(command[command.index("--within") + 1])
    assert area == tmp_path / "cercle.csv.within.geojson" and area.is_file()
    dialog.filters_radio.setChecked(True)  # the filters' own area: the whole region
    expected = compare(state.table, state.mask, day_ns("2023-08-13"), 12)
    assert dialog.comparison.as_dict() == expected.as_dict()
    # Around Timbuktu: within 100 km of the town (Ber is ~50 km east of it).
    dialog.near_radio.setChecked(True)
    dialog.lat_box.setValue(16.7705)
    dialog.lon_box.setValue(-3.0056)
    dialog.km_box.setValue(100)
    result = dialog.comparison
    assert (result.before.events, result.after.events) == (4, 5)
    assert (result.before.fatalities, result.after.fatalities) == (38, 8)
    shown = dialog.table_label.text()
    assert "not a causal estimate" in shown and "starts on 2023-07-17" in shown
    assert "1.25" in shown  # the ratio of events, after / before
    assert dialog.chart.text.date_label.startswith("MINUSMA leaves its camp at Ber")
    # The choice is in the state (undo, workspaces); an outer ring adds its counts.
    dialog.ring_box.setChecked(True)
    dialog.outer_box.setValue(250)
    choice = state.views.trends.compare
    assert choice["near"] == [16.7705, -3.0056, 100.0] and choice["outer_km"] == 250
    ring = outer_ring_mask(state.table, dialog.spec(), 250)  # Tombouctou, 100-250 km
    expected = compare(state.table, ring, day_ns("2023-08-13"), 12)
    assert dialog.ring is not None and dialog.ring.as_dict() == expected.as_dict()
    assert "outer ring" in dialog.table_label.text()
    # Exports: the chart and the table, each with a provenance whose command writes it.
    png, table = tmp_path / "ber.png", tmp_path / "ber-table.csv"
    dialog.export(png, "chart")
    dialog.export(table, "table")
    assert png.read_bytes()[:4] == b"\x89PNG"
    rows = list(csv.reader(table.open(encoding="utf-8")))
    assert ["area", "events", "4", "5", "1", "1.25"] in rows
    command = json.loads(sidecar_path(png).read_text(encoding="utf-8"))["argv"]
    assert command[:2] == ["timeline-app", "compare"]
    assert "--at" in command and command[command.index("--at") + 1] == "2023-08-13"
    assert command[command.index("--outer-ring") + 1] == "250"
    dialog.close()
    assert state.views.trends.compare is None


def test_the_ber_example_workspace_opens_the_comparison_around_timbuktu(make_window, qtbot):
    from timeline_app.paths import DATA_DIR

    window = make_window(CONTEXT_CSV)
    window.workspaces.open_path(
        DATA_DIR / "mali-2023-ber.tlx.json", background=False, interactive=False
    )
    dialog = window.comparing.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.near_radio.isChecked() and dialog.km_box.value() == 100
    result = dialog.comparison
    assert result.weeks == 12 and result.as_dict()["at"] == "2023-08-13"
    assert (result.before.events, result.after.events) == (4, 5)
    assert window.state.views.trends.unit == "week"
    assert window.trends.series.unit == "week"
    assert "MINUSMA leaves its camp at Ber" in dialog.chart.text.title
    dialog.close()


def test_small_multiples_by_region_and_the_exports(make_window, qtbot, tmp_path):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    trends = show_trends(window, qtbot)
    window.state.set_lane_grouping("admin1")
    trends.layout_box.setCurrentIndex(trends.layout_box.findData("multiples"))
    assert window.state.views.trends.layout == "multiples"
    series = trends.series
    assert series.grouping == "admin1" and len(trends.chart.plots) == len(series.labels)
    titles = [plot.titleLabel.text for plot in trends.chart.plots]
    assert titles == list(series.labels)
    for lane, bar in enumerate(trends.chart.bars):  # each chart holds its own lane
        assert np.array_equal(bar.opts["height"], series.values[lane])
    png, svg, numbers = tmp_path / "t.png", tmp_path / "t.svg", tmp_path / "t.csv"
    for path in (png, svg, numbers):
        trends.export(path)
    assert png.read_bytes()[:4] == b"\x89PNG" and "<svg" in svg.read_text(encoding="utf-8")
    rows = list(csv.DictReader(numbers.open(encoding="utf-8")))
    assert len(rows) == len(series.edges) - 1
    total = sum(int(r["total (events)"]) for r in rows)
    assert total == series.total_events == 78
    assert sum(int(r["Tombouctou (events)"]) for r in rows) == series.events[0].sum()
    assert not list(tmp_path.glob("*.tl-part*"))  # nothing half-written left behind


def test_a_big_table_is_counted_on_the_worker(make_window, qtbot, monkeypatch):
    from timeline_app.ui.trends import widget

    monkeypatch.setattr(widget, "OFFLOAD_ROWS", 0)  # every table is "big"
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    trends = show_trends(window, qtbot)
    qtbot.waitUntil(lambda: trends.series is not None and trends.series.total_events == 78)
    window.state.set_filter(FilterSpec(categories=("withdrawal",)))
    assert trends.jobs.busy()  # counting elsewhere: the old chart stays until it is done
    assert trends.series.total_events == 78
    qtbot.waitUntil(lambda: trends.series.total_events == 9)
    withdrawal = trends.series.labels.index("withdrawal")
    assert trends.series.events[withdrawal].sum() == trends.series.events.sum() == 9


def test_the_chart_behind_the_table_counts_once_brought_forward(make_window, qtbot, monkeypatch):
    """A tab out of sight counts nothing (an open or a filter does not wait for it); it
    shows the rows of the moment when its tab comes in front, and a sort counts nothing."""
    from timeline_app.ui.trends import widget

    monkeypatch.setattr(widget, "OFFLOAD_ROWS", 0)  # every count is a job: it can be seen
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    QApplication.processEvents()  # the first layout: Events in front of Trends
    trends = window.trends
    assert trends.visibleRegion().isEmpty()
    window.state.set_filter(FilterSpec(categories=("withdrawal",)))
    assert not trends.jobs.busy()
    show_trends(window, qtbot)
    qtbot.waitUntil(lambda: trends.series is not None and trends.series.total_events == 9)
    qtbot.waitUntil(lambda: not trends.jobs.busy())
    window.state.set_sort([("fatalities", False)])
    assert not trends.jobs.busy() and trends.series.total_events == 9
