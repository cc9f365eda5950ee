"""Ctrl+Z / Ctrl+Shift+Z over filter changes, view changes and lane grouping."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from timeline_app.model.filters import FilterSpec

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SEP_1 = pd.Timestamp("2023-09-01").value
SEP_16 = pd.Timestamp("2023-09-16").value
AUG_1 = pd.Timestamp("2023-08-01").value


@pytest.fixture
def window(make_window, qtbot):
    w = make_window()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    qtbot.wait(50)  # the timeline frames the data on a zero timer; the history starts after
    w.table_view.setFocus()
    return w


def undo(qtbot, window) -> None:
    qtbot.keyClick(window.table_view, Qt.Key.Key_Z, CTRL)


def redo(qtbot, window) -> None:
    qtbot.keyClick(window.table_view, Qt.Key.Key_Z, CTRL | SHIFT)


def shown_ids(window) -> list[str]:
    return sorted(window.state.table.df["id"].to_numpy()[window.state.visible].astype(str))


def test_ctrl_z_and_ctrl_shift_z_walk_through_filter_changes(window, qtbot) -> None:
    window.undo.history.coalesce_s = 0  # each change its own step (no typing here)
    everything = shown_ids(window)
    window.state.set_filter(FilterSpec(categories=("attack",)))
    attacks = shown_ids(window)
    window.state.set_filter(FilterSpec(categories=("attack",), regions=("Gao",)))
    gao_attacks = shown_ids(window)
    assert len(everything) > len(attacks) > len(gao_attacks) > 0
    assert window.undo.undo_action.text() == "&Undo Filter Change"

    undo(qtbot, window)
    assert shown_ids(window) == attacks
    undo(qtbot, window)
    assert shown_ids(window) == everything
    assert not window.undo.undo_action.isEnabled()
    undo(qtbot, window)  # nothing left: nothing happens
    assert shown_ids(window) == everything

    redo(qtbot, window)
    assert shown_ids(window) == attacks
    redo(qtbot, window)
    assert shown_ids(window) == gao_attacks
    assert not window.undo.redo_action.isEnabled()


def test_ctrl_y_also_redoes(window, qtbot) -> None:
    window.state.set_filter(FilterSpec(categories=("attack",)))
    undo(qtbot, window)
    assert window.state.spec == FilterSpec()
    qtbot.keyClick(window.table_view, Qt.Key.Key_Y, CTRL)
    assert window.state.spec == FilterSpec(categories=("attack",))


def test_typing_a_search_is_one_undo_step(window, qtbot) -> None:
    for text in ("g", "ga", "gao"):  # as the debounced search box sends it
        window.state.set_filter(FilterSpec(text=text))
        qtbot.wait(30)
    assert window.undo.undo_action.text() == "&Undo Search Text"
    undo(qtbot, window)
    assert window.state.spec == FilterSpec()
    assert not window.undo.undo_action.isEnabled()


def test_a_new_change_after_undo_drops_the_redo(window, qtbot) -> None:
    window.undo.history.coalesce_s = 0
    window.state.set_filter(FilterSpec(categories=("attack",)))
    undo(qtbot, window)
    window.state.set_filter(FilterSpec(categories=("withdrawal",)))
    assert not window.undo.redo_action.isEnabled()
    undo(qtbot, window)
    assert window.state.spec == FilterSpec()


def test_undo_restores_the_lane_grouping(window, qtbot) -> None:
    timeline = window.timeline
    box = timeline.grouping_box
    box.setCurrentIndex(box.findData("admin1"))  # the user picks "Region" in the Lanes box
    assert window.state.views.timeline.lane_grouping == "admin1"
    assert window.undo.undo_action.text() == "&Undo Lane Grouping"
    undo(qtbot, window)
    assert window.state.views.timeline.lane_grouping == "category"
    assert box.currentData() == "category"
    assert timeline.source.lanes.labels[0] != "Gao"  # the lanes are categories again
    redo(qtbot, window)
    assert window.state.views.timeline.lane_grouping == "admin1"
    assert box.currentData() == "admin1"


def shown_view_ns(window) -> tuple[int, int]:
    """The time span the timeline's plot shows, in ns."""
    a, b = window.timeline.x_range()
    return int(a * 1e9), int(b * 1e9)


def test_undo_restores_the_view_after_zooming(window, qtbot) -> None:
    before = shown_view_ns(window)
    assert window.state.views.timeline.view_range is not None  # the state knows the view
    window.timeline.set_x_range(SEP_1 / 1e9, SEP_16 / 1e9)  # as a zoom or a drag would
    a, b = window.state.views.timeline.view_range
    assert abs(a - SEP_1) < 10**9 and abs(b - SEP_16) < 10**9
    qtbot.waitUntil(lambda: window.undo.undo_action.isEnabled(), timeout=3000)
    assert window.undo.undo_action.text() == "&Undo View Change"
    undo(qtbot, window)
    span = before[1] - before[0]
    for shown in (shown_view_ns(window), window.state.views.timeline.view_range):
        assert abs(shown[0] - before[0]) < span * 0.01 and abs(shown[1] - before[1]) < span * 0.01
    redo(qtbot, window)
    a, b = shown_view_ns(window)
    assert abs(a - SEP_1) < 10**9 and abs(b - SEP_16) < 10**9


def test_many_small_pans_are_one_step(window, qtbot) -> None:
    before = shown_view_ns(window)
    day = 86_400 * 10**9
    for k in range(10):  # a drag: many views within a moment
        window.state.set_view_range((AUG_1 + k * day, SEP_16 + k * day))
    qtbot.waitUntil(lambda: window.undo.undo_action.isEnabled(), timeout=3000)
    assert len(window.undo.history) == 2
    undo(qtbot, window)
    a, _b = shown_view_ns(window)
    assert abs(a - before[0]) < (before[1] - before[0]) * 0.01


def test_undo_restores_the_table_columns(window, qtbot) -> None:
    window.undo.history.coalesce_s = 0
    before = window.state.views.table.columns
    window.table_view.set_column_visible("actor2", False)  # the header's menu, as a user
    assert "actor2" not in window.state.views.table.columns
    assert window.undo.undo_action.text() == "&Undo Column Change"
    undo(qtbot, window)
    assert window.state.views.table.columns == before
    assert "actor2" in window.table_view.visible_columns()
    redo(qtbot, window)
    assert "actor2" not in window.table_view.visible_columns()


def test_undo_is_not_the_timelines_back_and_forward(window, qtbot) -> None:
    assert window.undo.undo_action is not window.actions_by_id["view.timeline.back"]
    window.undo.history.coalesce_s = 0
    window.state.set_filter(FilterSpec(categories=("attack",)))
    view = shown_view_ns(window)
    position = window.timeline.history.position
    undo(qtbot, window)  # undoes the filter; the view and its back/forward stay put
    assert window.state.spec == FilterSpec()
    assert shown_view_ns(window) == view
    assert window.timeline.history.position == position


def test_opening_new_data_starts_a_fresh_history(window, qtbot) -> None:
    from tests.conftest import CONTEXT_CSV
    from timeline_app.formats.registry import load

    window.state.set_filter(FilterSpec(categories=("attack",)))
    assert window.undo.undo_action.isEnabled()
    window.state.set_datasets([load(CONTEXT_CSV)])
    qtbot.waitUntil(lambda: not window.undo.undo_action.isEnabled(), timeout=3000)


def test_typing_in_the_search_box_then_ctrl_z_in_the_table_clears_it(window, qtbot) -> None:
    search = window.filter_panel.search
    search.setFocus()
    qtbot.keyClicks(search, "gao")
    qtbot.waitUntil(lambda: window.state.spec.text == "gao", timeout=3000)
    narrowed = shown_ids(window)
    assert 0 < len(narrowed) < len(window.state.table)
    window.table_view.setFocus()
    undo(qtbot, window)
    assert window.state.spec.text == ""
    assert search.text() == ""  # the panel mirrors the state
    assert len(shown_ids(window)) == len(window.state.table)
    redo(qtbot, window)
    assert search.text() == "gao" and shown_ids(window) == narrowed


def test_same_view_tolerates_rounding() -> None:
    from timeline_app.ui.undo_controller import same_view

    assert same_view((0, 1000), (1, 1001)) and not same_view((0, 1000), (100, 1100))
    assert same_view(None, None) and not same_view(None, (0, 1))
