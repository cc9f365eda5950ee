"""The timeline as a user drives it: wheel, drag, keys, clicks, range, export."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.conftest import CONTEXT_CSV
from tests.model.test_timeline_data import synthetic_table
from timeline_app.formats.registry import load
from timeline_app.model.filters import FilterSpec
from timeline_app.model.state import AppState
from timeline_app.model.units import S_PER_DAY
from timeline_app.ui.shortcuts import find_menu
from timeline_app.ui.timeline import TimelineWidget

DAY_S = S_PER_DAY


def seconds(text: str) -> float:
    return pd.Timestamp(text).value / 1e9


def row_of(state: AppState, event_id: str) -> int:
    return state.table.row_of_id("mali_2023_context", event_id)


@pytest.fixture
def make_timeline(qtbot):
    made = []

    def factory(state: AppState | None = None, size=(1100, 520)) -> TimelineWidget:
        if state is None:
            state = AppState()
            state.add_dataset(load(CONTEXT_CSV))
        widget = TimelineWidget(state)
        qtbot.addWidget(widget)
        widget.resize(*size)
        widget.show()
        qtbot.waitExposed(widget)
        QApplication.processEvents()
        made.append(widget)
        return widget

    yield factory
    for widget in made:
        widget.disconnect_state()


def viewport(widget: TimelineWidget):
    return widget.plot.viewport()


def point_at(widget: TimelineWidget, when: float, lane: int | None = None, y: float | None = None):
    """Viewport pixel of a time (seconds) at a lane's centre (or a height in the plot)."""
    plot = widget.plot
    if y is None:
        y = float(plot.lane_centres_px()[lane])
    return plot.viewport_pos_of(when, y).toPoint()


def send_mouse(
    target, kind, pos: QPoint, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier
):
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(target.mapToGlobal(pos)), button, buttons, modifiers
    )
    QApplication.sendEvent(target, event)


def drag(target, start: QPoint, end: QPoint, button=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier):  # fmt: skip
    """Press, move in steps (pyqtgraph starts a drag after a few pixels), release."""
    send_mouse(target, QEvent.Type.MouseButtonPress, start, button, button, modifiers)
    for t in np.linspace(0, 1, 8)[1:]:
        p = QPoint(round(start.x() + (end.x() - start.x()) * t), round(start.y() + (end.y() - start.y()) * t))  # fmt: skip
        send_mouse(target, QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, button, modifiers)
    send_mouse(target, QEvent.Type.MouseButtonRelease, end, button, Qt.MouseButton.NoButton, modifiers)  # fmt: skip
    QApplication.processEvents()


def wheel(target, pos: QPoint, steps: int) -> None:
    event = QWheelEvent(
        QPointF(pos),
        QPointF(target.mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target, event)
    QApplication.processEvents()


# -- navigation -------------------------------------------------------------------------------
def test_first_view_and_home_frame_the_2023_events_not_the_lone_2022_one(make_timeline, qtbot):
    widget = make_timeline()
    first = widget.x_range()
    x0, x1 = first
    assert x0 < seconds("2023-06-30") and x1 > seconds("2023-12-31")
    assert x0 > seconds("2023-03-01")  # the lone 2022 event does not squeeze the rest
    widget.plot.setFocus()
    widget.zoom(0.2)
    qtbot.keyClick(widget.plot, Qt.Key.Key_Home)
    assert widget.x_range() == pytest.approx(first)  # Fit all frames as the first view


def test_wheel_zooms_around_the_cursor_in_x_only(make_timeline):
    widget = make_timeline()
    (x0, x1), (y0, y1) = widget.plot.vb.viewRange()
    anchor = seconds("2023-09-08")
    pos = point_at(widget, anchor, lane=0)
    wheel(viewport(widget), pos, steps=3)
    (n0, n1), (m0, m1) = widget.plot.vb.viewRange()
    assert n1 - n0 < (x1 - x0) * 0.8  # zoomed in
    assert (m0, m1) == pytest.approx((y0, y1))  # lanes do not zoom
    # the date under the cursor stays under the cursor
    before = (anchor - x0) / (x1 - x0)
    after = (anchor - n0) / (n1 - n0)
    assert after == pytest.approx(before, abs=0.01)
    wheel(viewport(widget), pos, steps=-6)
    o0, o1 = widget.x_range()
    assert o1 - o0 > n1 - n0


def test_dragging_pans_the_view_by_the_dragged_time(make_timeline):
    widget = make_timeline()
    x0, x1 = widget.x_range()
    start = point_at(widget, seconds("2023-10-01"), lane=0)
    end = QPoint(start.x() - 200, start.y())
    drag(viewport(widget), start, end)
    n0, n1 = widget.x_range()
    seconds_per_px = (x1 - x0) / widget.plot.vb.width()
    assert n1 - n0 == pytest.approx(x1 - x0)
    assert n0 - x0 == pytest.approx(200 * seconds_per_px, rel=0.1)


def test_right_drag_zooms_to_the_band(make_timeline):
    widget = make_timeline()
    a = point_at(widget, seconds("2023-09-01"), lane=1)
    b = point_at(widget, seconds("2023-09-15"), lane=1)
    drag(viewport(widget), a, b, button=Qt.MouseButton.RightButton)
    x0, x1 = widget.x_range()
    assert x0 == pytest.approx(seconds("2023-09-01"), abs=DAY_S)
    assert x1 == pytest.approx(seconds("2023-09-15"), abs=DAY_S)


def test_keys_zoom_pan_and_history_goes_back_and_forward(make_timeline, qtbot):
    widget = make_timeline()
    widget.plot.setFocus()
    first = widget.x_range()
    qtbot.keyClick(widget.plot, Qt.Key.Key_Plus)
    zoomed = widget.x_range()
    assert zoomed[1] - zoomed[0] == pytest.approx((first[1] - first[0]) / 1.5)
    qtbot.keyClick(widget.plot, Qt.Key.Key_Right)
    panned = widget.x_range()
    assert panned[0] > zoomed[0]
    qtbot.keyClick(widget.plot, Qt.Key.Key_Minus)
    out = widget.x_range()
    assert out[1] - out[0] == pytest.approx((panned[1] - panned[0]) * 1.5)
    widget._remember_view()  # what the settle timer does after the user stops
    last = widget.x_range()
    qtbot.keyClick(widget.plot, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert widget.x_range() == pytest.approx(first)
    qtbot.keyClick(widget.plot, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert widget.x_range() == pytest.approx(last)


def test_zoom_is_limited_to_an_hour_and_a_few_decades(make_timeline):
    widget = make_timeline()
    widget.set_x_range(seconds("2023-09-07"), seconds("2023-09-07") + 60)
    x0, x1 = widget.x_range()
    assert x1 - x0 >= 3600 - 1
    widget.set_x_range(seconds("1800-01-01"), seconds("2100-01-01"))
    x0, x1 = widget.x_range()
    assert x1 - x0 <= 61 * 365.25 * DAY_S


def test_zoom_to_selection_frames_the_selected_events(make_timeline):
    widget = make_timeline()
    state = widget.state
    state.select([row_of(state, "ctx-13")])  # mourning, 8-10 Sep 2023
    widget.zoom_to_selection()
    x0, x1 = widget.x_range()
    assert x0 < seconds("2023-09-08") and x1 > seconds("2023-09-11")
    assert x1 - x0 < 10 * DAY_S


# -- clicking ----------------------------------------------------------------------------------
def test_clicking_a_milestone_line_selects_it(make_timeline, qtbot):
    widget = make_timeline()
    state = widget.state
    # Tessalit, 21 Oct 2023: click its line where it crosses the (empty) attack lane
    layout = widget.plot.layout()
    row = row_of(state, "ctx-15")
    x_px = float(layout.milestones_x[layout.milestones_row == row][0])
    y_px = float(widget.plot.lane_centres_px()[0]) + 12
    pos = widget.plot.mapFromScene(widget.plot.vb.mapToScene(QPointF(x_px + 2, y_px)))
    qtbot.mouseClick(viewport(widget), Qt.MouseButton.LeftButton, pos=pos)
    assert state.current == row
    assert state.selection.tolist() == [row]


def test_clicking_the_mourning_bar_selects_it_and_empty_space_clears(make_timeline, qtbot):
    widget = make_timeline()
    state = widget.state
    widget.set_x_range(seconds("2023-09-01"), seconds("2023-09-20"))
    QApplication.processEvents()
    pos = point_at(widget, seconds("2023-09-09T12:00"), lane=1)
    qtbot.mouseClick(viewport(widget), Qt.MouseButton.LeftButton, pos=pos)
    assert state.current == row_of(state, "ctx-13")
    pos = point_at(widget, seconds("2023-09-18"), lane=1)
    qtbot.mouseClick(viewport(widget), Qt.MouseButton.LeftButton, pos=pos)
    assert state.current == -1 and not len(state.selection)


def test_hovering_an_event_tells_its_dates_at_their_precision(make_timeline):
    widget = make_timeline()
    widget.set_x_range(seconds("2023-07-20"), seconds("2023-09-20"))
    QApplication.processEvents()
    texts = []
    widget.plot.hovered.connect(texts.append)
    # the blockade: known to the month it began, still going on as of 9 September
    pos = point_at(widget, seconds("2023-09-05"), lane=3)
    widget.plot._mouse_moved(widget.plot.mapToScene(pos))
    assert "JNIM blockade of Timbuktu" in texts[-1]
    assert "Aug 2023 – ongoing (as of 9 Sep 2023)" in texts[-1]
    assert "Fatalities: –" in texts[-1]
    assert "mali_2023_context" in texts[-1]


# -- range selection ---------------------------------------------------------------------------
def test_shift_drag_selects_a_range_holding_exactly_the_overlapping_events(make_timeline):
    widget = make_timeline()
    state = widget.state
    summaries = []
    widget.range_summary.connect(summaries.append)
    widget.set_x_range(seconds("2023-08-25"), seconds("2023-09-25"))
    QApplication.processEvents()
    a = point_at(widget, seconds("2023-09-07T06:00"), lane=0)
    b = point_at(widget, seconds("2023-09-08T18:00"), lane=0)
    drag(viewport(widget), a, b, modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert state.range is not None
    # snapped to whole days: 7 Sep 00:00 .. the last instant of 8 Sep
    assert state.range.start_ns == pd.Timestamp("2023-09-07").value
    assert state.range.end_ns == pd.Timestamp("2023-09-09").value - 1
    ids = set(state.table.df["id"].iloc[state.range_rows()])
    # the four attacks of 7-8 Sep, the mourning from 8 Sep, the blockade still going on
    assert ids == {"ctx-09", "ctx-10", "ctx-11", "ctx-12", "ctx-13", "ctx-03"}
    start, end = state.table.start_ns, state.table.end_ns
    expected = np.flatnonzero((start <= state.range.end_ns) & (end >= state.range.start_ns))
    assert state.range_rows().tolist() == expected.tolist()
    assert summaries[-1] == "7 Sep 2023 – 8 Sep 2023: 6 events, – fatalities (6 unknown)"


def test_filter_to_range_sets_the_filter_dates_and_the_range_follows_the_filter(make_timeline):
    widget = make_timeline()
    state = widget.state
    widget.plot.select_range_s(seconds("2023-09-07"), seconds("2023-09-08T12:00"))
    assert widget.filter_button.isEnabled()
    widget.filter_button.click()
    assert state.spec.date_from == datetime(2023, 9, 7)
    assert state.spec.date_to == datetime(2023, 9, 8)
    assert sorted(state.visible.tolist()) == state.range_rows(with_filters=False).tolist()
    # and the other way: new dates in the filter move the range and the view
    state.set_filter(state.spec.with_(date_from=datetime(2023, 10, 1), date_to=datetime(2023, 10, 31)))  # fmt: skip
    assert state.range.start_ns == pd.Timestamp("2023-10-01").value
    assert state.range.end_ns == pd.Timestamp("2023-11-01").value - 1
    x0, x1 = widget.x_range()
    assert x0 < seconds("2023-10-01") < seconds("2023-11-01") < x1
    assert x1 - x0 < 40 * DAY_S
    # a lone "from" is a one-sided filter, not a range; clearing the dates clears the range
    state.set_filter(state.spec.with_(date_to=None))
    assert state.range.start_ns == pd.Timestamp("2023-10-01").value
    state.set_filter(state.spec.with_(date_from=None))
    assert state.range is None


def test_shift_click_clears_the_range(make_timeline, qtbot):
    widget = make_timeline()
    widget.plot.select_range_s(seconds("2023-09-07"), seconds("2023-09-09"))
    pos = point_at(widget, seconds("2023-10-15"), lane=2)
    qtbot.mouseClick(viewport(widget), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pos)  # fmt: skip
    assert widget.state.range is None
    assert not widget.filter_button.isEnabled()


def test_export_range_asks_for_an_export_of_the_range(make_timeline):
    widget = make_timeline()
    asked = []
    widget.export_range_requested.connect(asked.append)
    assert not widget.export_range_button.isEnabled()
    widget.plot.select_range_s(seconds("2023-09-07"), seconds("2023-09-09"))
    widget.export_range_button.click()
    assert asked == [widget.state.range]


def test_shift_drag_on_the_overview_selects_a_range(make_timeline):
    widget = make_timeline()
    ov = widget.overview
    vb = ov.vb_overview

    def overview_point(when: float) -> QPoint:
        scene = vb.mapViewToScene(QPointF(when, 0.5 * vb.viewRange()[1][1]))
        return ov.mapFromScene(scene)

    a, b = overview_point(seconds("2023-08-01")), overview_point(seconds("2023-09-30"))
    window_before = ov.window_region.getRegion()
    drag(ov.viewport(), a, b, modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert ov.window_region.getRegion() == pytest.approx(window_before)
    r = widget.state.range
    assert r is not None
    assert abs(r.start_ns / 1e9 - seconds("2023-08-01")) < 10 * DAY_S
    assert abs(r.end_ns / 1e9 - seconds("2023-09-30")) < 10 * DAY_S


def test_moving_the_overview_window_moves_the_main_view(make_timeline):
    widget = make_timeline()
    widget.overview.window_region.setRegion((seconds("2023-09-01"), seconds("2023-10-01")))
    x0, x1 = widget.x_range()
    assert x0 == pytest.approx(seconds("2023-09-01"), abs=60)
    assert x1 == pytest.approx(seconds("2023-10-01"), abs=60)
    widget.set_x_range(seconds("2023-11-01"), seconds("2023-11-20"))
    assert widget.overview.window_region.getRegion() == pytest.approx(widget.x_range())


# -- lanes, density, marks ------------------------------------------------------------------------
def test_lanes_can_be_grouped_by_region_with_top_n_and_other(make_timeline):
    widget = make_timeline()
    widget.grouping_box.setCurrentIndex(widget.grouping_box.findData("admin1"))
    labels = widget.source.lanes.labels
    assert labels[:3] == ("Gao", "Tombouctou", "Kidal") and labels[-1] == "other"
    shown = [text for _rect, text in widget.plot.lane_axis.lane_texts()]
    gao = int((state_regions(widget) == "Gao").sum())
    assert [t.split("\n")[0] for t in shown] == list(labels)
    assert shown[0] == f"Gao\n{gao}"  # each lane says how many events it holds


def state_regions(widget: TimelineWidget) -> np.ndarray:
    return widget.state.table.df["admin1"].astype(str).to_numpy()


def test_density_when_zoomed_out_and_marks_when_zoomed_in_on_200k_events(make_timeline):
    state = AppState()
    state.set_datasets(synthetic_table(200_000).datasets)
    widget = make_timeline(state)
    widget.fit_all()
    widget.plot.viewport().repaint()
    frame = widget.plot.current_frame
    assert [lf.mode for lf in frame.lanes] == ["density"] * len(frame.lanes)
    layout = widget.plot.layout()
    assert len(layout.marks_x) == 0 and len(layout.bins) > 100
    widget.set_x_range(seconds("2020-03-01"), seconds("2020-03-03"))
    widget.plot.viewport().repaint()
    frame = widget.plot.current_frame
    assert {lf.mode for lf in frame.lanes} <= {"marks", "empty"}
    layout = widget.plot.layout()
    in_view = (state.table.start_ns >= pd.Timestamp("2020-03-01").value) & (
        state.table.start_ns <= pd.Timestamp("2020-03-03").value
    )
    assert len(layout.marks_x) == int(in_view.sum())


def test_a_filter_redraws_the_timeline_with_only_the_filtered_events(make_timeline):
    widget = make_timeline()
    state = widget.state
    state.set_filter(FilterSpec(categories=("attack",)))
    layout = widget.plot.layout()
    assert set(state.table.df["category"].iloc[layout.marks_row]) == {"attack"}
    assert len(layout.milestones_x) == 0


# -- image export ------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_exported_image_has_the_asked_size_and_the_legend(make_timeline, tmp_path, suffix):
    widget = make_timeline()
    path = widget.export_image(tmp_path / f"timeline{suffix}", 900, 480)
    assert path.exists() and path.stat().st_size > 1000
    assert not list(tmp_path.glob(".timeline-*"))  # no temporary file left behind
    if suffix == ".png":
        image = QImage(str(path))
        assert (image.width(), image.height()) == (900, 480)
        # not blank: the vermillion of the attack marks is in it
        colours = {image.pixelColor(x, y).name() for x in range(0, 900, 3) for y in range(0, 480, 3)}  # fmt: skip
        assert len(colours) > 20
    else:
        text = path.read_text(encoding="utf-8")
        assert 'viewBox="0 0 900 480"' in text
        assert "attack" in text and "mourning" in text  # the legend's words


# -- in the main window ------------------------------------------------------------------------------
def test_the_status_bar_shows_the_selected_range_and_the_menus_hold_the_actions(make_window):
    window = make_window(CONTEXT_CSV)
    timeline = window.timeline
    timeline.plot.select_range_s(seconds("2023-09-08"), seconds("2023-09-10T12:00"))
    assert window.range_label.text() == (
        "8 Sep 2023 – 10 Sep 2023: 4 events, – fatalities (4 unknown)"
    )
    file_actions = [a.text() for a in find_menu(window, "File").actions()]
    assert "Export Timeline Image…" in file_actions
    timeline_actions = [a.text() for a in find_menu(window, "View > Timeline").actions()]
    for text in ("Zoom to Selection", "Fit All", "Filter to Range", "Export Range…"):
        assert text in timeline_actions
    window.state.set_range(None)
    assert window.range_label.text() == ""


def test_a_filter_with_dates_sums_its_range_once_over_its_own_rows(make_window):
    """The filter's dates make the range; its summary counts the filter's rows (not the
    rows shown before it), and is made once, after they are filtered."""
    window = make_window(CONTEXT_CSV)
    summaries: list[str] = []
    window.timeline.range_summary.connect(summaries.append)
    spec = FilterSpec(
        date_from=datetime(2023, 9, 1), date_to=datetime(2023, 9, 30), categories=("attack",)
    )
    window.state.set_filter(spec)
    rows = window.state.visible
    assert 0 < len(rows) < len(window.state.table)
    assert summaries == [window.range_label.text()]
    assert window.range_label.text().startswith(f"1 Sep 2023 – 30 Sep 2023: {len(rows)} event")


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_an_exported_figure_has_title_filters_and_citation_by_default(
    make_timeline, tmp_path, suffix
):
    from timeline_app.model.filters import FilterSpec

    widget = make_timeline()
    widget.state.set_filter(FilterSpec(categories=("attack",)))
    path = widget.export_image(tmp_path / f"figure{suffix}", 900, 520, title="Mali, 2023")
    assert path.stat().st_size > 1000
    if suffix == ".svg":
        text = path.read_text(encoding="utf-8")
        assert "Mali, 2023" in text and "categories: attack" in text
        assert "Sources:" in text
    elif suffix == ".pdf":
        assert path.read_bytes().startswith(b"%PDF")
    else:
        plain = widget.export_image(tmp_path / "plain.png", 900, 520, caption=False)
        with_caption, without = QImage(str(path)), QImage(str(plain))
        assert with_caption.size() == without.size()
        top_row_dark = any(
            with_caption.pixelColor(x, y).lightness() < 100 for x in range(10, 300) for y in range(8, 28)
        )  # fmt: skip
        assert top_row_dark  # the title is there
