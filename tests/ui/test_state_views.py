"""The views render the app state: a change made to the state in code (as undo, a
workspace or another view makes it) shows in the timeline, the table and the docks."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt

SEP_1 = pd.Timestamp("2023-09-01").value
SEP_16 = pd.Timestamp("2023-09-16").value


def header_labels(view) -> list[str]:
    model = view.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_setting_the_lane_grouping_in_the_state_re_lanes_the_timeline(make_window) -> None:
    window = make_window()
    timeline = window.timeline
    by_category = list(timeline.source.lanes.labels)
    window.state.set_lane_grouping("admin1")
    assert timeline.grouping_box.currentData() == "admin1"
    assert timeline.grouping_actions["admin1"].isChecked()
    labels = list(timeline.source.lanes.labels)
    assert labels != by_category and "Gao" in labels
    shown = timeline.plot.lane_axis.lane_texts()  # what the lane axis paints
    assert any(text.startswith("Gao") for _rect, text in shown)


def test_histogram_measure_and_bands_follow_the_state(make_window) -> None:
    window = make_window()
    timeline = window.timeline
    window.state.set_histogram_measure("fatalities")
    assert timeline.measure_box.currentData() == "fatalities"
    assert timeline.source.measure == "fatalities"
    window.state.set_show_bands(False)
    assert not timeline.bands_box.isChecked()
    timeline.bands_box.setChecked(True)  # and the user's click goes to the state
    assert window.state.views.timeline.show_bands


def test_setting_the_view_range_in_the_state_moves_the_timeline(make_window) -> None:
    window = make_window()
    window.state.set_view_range((SEP_1, SEP_16))
    a, b = window.timeline.x_range()
    assert abs(a - SEP_1 / 1e9) < 1 and abs(b - SEP_16 / 1e9) < 1
    window.timeline.zoom(0.5)  # and the user's zoom comes back into the state
    a, b = window.state.views.timeline.view_range
    assert (b - a) < (SEP_16 - SEP_1) * 0.6


def test_setting_columns_in_the_state_changes_the_table_header(make_window) -> None:
    window = make_window()
    view = window.table_view
    window.state.set_table_columns(["title", "start", "notes"])
    assert header_labels(view) == ["Title", "Date", "Notes"]
    assert view.model().data(view.model().index(0, 1)) is not None
    window.state.set_column_width("title", 345)
    assert view.columnWidth(0) == 345
    view.setColumnWidth(1, 190)  # the user drags the Date column wider
    assert window.state.views.table.widths["start"] == 190


def test_a_dock_layout_put_into_the_state_is_shown(make_window, qtbot) -> None:
    window = make_window()
    window.workspaces.docks.capture()
    everything = window.state.views.window.dock_layout
    assert everything
    window.detail_dock.hide()
    window.workspaces.docks.capture()
    assert window.state.views.window.dock_layout != everything
    window.state.set_dock_layout(everything)  # as a workspace or undo would
    qtbot.waitUntil(lambda: window.detail_dock.isVisible(), timeout=2000)


def test_a_search_that_hides_the_selected_event_keeps_the_table_working(make_window) -> None:
    """Issue 18: the table mirrored a selection none of whose rows were shown any more."""
    from timeline_app.model.filters import FilterSpec

    window = make_window()
    row = window.state.table.row_of_id("mali_2023_context", "ctx-11")
    window.state.select([row])
    window.state.set_filter(FilterSpec(text="no event says this"))
    assert window.table_view.model().rowCount() == 0
    assert len(window.state.selection) == 0
