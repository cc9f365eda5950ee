"""The app state is evented (psygnal): every change a view must follow emits, a repeated
value is silent, and undo snapshots round-trip the views' state through it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import CONTEXT_CSV
from timeline_app.formats.registry import load
from timeline_app.model.filters import FilterSpec
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.undo import Snapshot, UndoHistory
from timeline_app.model.view_state import (
    DEFAULT_TABLE_COLUMNS,
    MapView,
    TrendsView,
    view_from_dict,
    view_to_dict,
)

SEP_1 = pd.Timestamp("2023-09-01").value
SEP_16 = pd.Timestamp("2023-09-16").value


@pytest.fixture
def state() -> AppState:
    s = AppState()
    s.add_dataset(load(CONTEXT_CSV))
    return s


def recorder(signal) -> list:
    seen: list = []
    signal.connect(lambda *args: seen.append(args))
    return seen


def test_data_filter_selection_and_range_changes_emit(state: AppState) -> None:
    table, rows, filters = (
        recorder(state.table_changed),
        recorder(state.rows_changed),
        recorder(state.filter_changed),
    )
    selection, current, ranges = (
        recorder(state.selection_changed),
        recorder(state.current_changed),
        recorder(state.range_changed),
    )
    spec = FilterSpec(regions=("Gao",))
    state.set_filter(spec)
    state.set_filter(spec)  # the same again: nothing
    assert filters == [(spec,)] and len(rows) == 1
    state.select(state.visible[:2])
    assert np.array_equal(selection[-1][0], np.sort(state.visible[:2]))
    assert current[-1] == (int(np.sort(state.visible[:2])[0]),)
    state.set_range(TimeRange(SEP_1, SEP_16))
    assert ranges == [(TimeRange(SEP_1, SEP_16),)]
    state.set_datasets([load(CONTEXT_CSV)])
    assert len(table) == 1


def test_each_views_state_emits_on_change_and_is_silent_when_unchanged(state: AppState) -> None:
    events = state.views.timeline.events
    lanes, view, measure, bands = (
        recorder(events.lane_grouping),
        recorder(events.view_range),
        recorder(events.measure),
        recorder(events.show_bands),
    )
    columns, widths = (
        recorder(state.views.table.events.columns),
        recorder(state.views.table.events.widths),
    )
    docks = recorder(state.views.window.events.dock_layout)
    state.set_lane_grouping("actor")
    state.set_lane_grouping("actor")
    assert lanes == [("actor", "category")]
    with pytest.raises(ValueError):
        state.set_lane_grouping("bananas")
    state.set_view_range((SEP_16, SEP_1))  # either way round: start first
    assert view == [((SEP_1, SEP_16), None)]
    state.set_histogram_measure("fatalities")
    assert measure == [("fatalities", "events")]
    with pytest.raises(ValueError):
        state.set_histogram_measure("bananas")
    state.set_show_bands(False)
    assert bands == [(False, True)]
    state.set_table_columns(["title", "start", "title"])
    assert columns == [(("title", "start"), DEFAULT_TABLE_COLUMNS)]
    state.set_table_columns([])  # never no columns
    assert state.views.table.columns == ("title", "start")
    state.set_column_width("title", 300)
    state.set_column_width("title", 300)
    assert widths == [({"title": 300}, {})]
    state.set_dock_layout(b"\x01\x02")
    assert docks == [(b"\x01\x02", None)]


def test_an_undo_snapshot_round_trips_view_lanes_and_columns_through_the_state(
    state: AppState,
) -> None:
    history = UndoHistory(Snapshot.of(state), coalesce_s=0)
    state.set_view_range((SEP_1, SEP_16))
    history.record(Snapshot.of(state))
    state.set_lane_grouping("admin1")
    history.record(Snapshot.of(state))
    state.set_table_columns(["start", "title"])
    history.record(Snapshot.of(state))
    assert history.undo_label() == "Column Change"

    history.undo().restore(state)
    assert state.views.table.columns == DEFAULT_TABLE_COLUMNS
    assert state.views.timeline.lane_grouping == "admin1"
    history.undo().restore(state)
    assert state.views.timeline.lane_grouping == "category"
    assert state.views.timeline.view_range == (SEP_1, SEP_16)
    history.redo().restore(state)
    history.redo().restore(state)
    assert state.views.table.columns == ("start", "title")
    assert state.views.timeline.lane_grouping == "admin1"


def test_map_and_trends_state_has_room_and_survives_json() -> None:
    shape = {"type": "Polygon", "coordinates": [[[0, 10], [2, 10], [2, 12], [0, 10]]]}
    m = MapView(viewport=(-5.0, 10.0, 5.0, 25.0), spatial_selection=shape)
    back = view_from_dict(MapView, view_to_dict(m))
    assert back == m
    assert view_from_dict(TrendsView, {"unit": "week", "unknown": 1}) == TrendsView(unit="week")
    assert view_from_dict(TrendsView, {"bin": 7}) == TrendsView()  # malformed: the default
    assert view_from_dict(MapView, None) == MapView()
