"""View > Timeline on a DuckDB dataset, used from the menus as a user would: every entry
acts on the timeline the dock shows (the one drawn from SQL), as the same entry does in
a memory window over the same file; closing the dataset gives the menus back to the
memory timeline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from tests.storage.engine_fixtures import write_fixture
from tests.ui.test_duckdb_timeline import answered, duck_timeline
from tests.ui.test_duckdb_window import open_duckdb
from timeline_app.model.export import choose_rows
from timeline_app.model.state import TimeRange
from timeline_app.model.units import NS_PER_DAY
from timeline_app.ui.menus import ACTION_ID

ROWS = 600


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("ducktimemenu"), rows=ROWS)[1]


def menu_action(window, action_id: str) -> QAction:
    """The entry of the window's menu bar (any depth) with that id."""
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    while menus:
        menu = menus.pop()
        for action in menu.actions():
            if action.property(ACTION_ID) == action_id:
                return action
            if isinstance(action.menu(), QMenu):
                menus.append(action.menu())
    raise LookupError(action_id)


def click(window, action_id: str) -> None:
    action = menu_action(window, action_id)
    assert action.isEnabled(), action_id
    action.trigger()


def ready(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(
        lambda: answered(widget) and widget.source.extent_ns() is not None, timeout=10_000
    )
    click(duck, "view.timeline.fit")
    window.timeline.set_x_range(*widget.x_range())  # both windows at one view
    return window, duck, widget


def test_the_menus_hold_the_shown_timelines_actions(qtbot, make_window, parquet):
    _window, duck, widget = ready(qtbot, make_window, parquet)
    assert widget is not duck.timeline and widget.actions_by_id
    for action_id, action in widget.actions_by_id.items():
        assert menu_action(duck, action_id) is action
        assert duck.actions_by_id[action_id] is action
    duck.close_all_files()
    for action_id, action in duck.timeline.actions_by_id.items():
        assert menu_action(duck, action_id) is action
        assert duck.actions_by_id[action_id] is action


def test_zoom_pan_fit_back_and_forward_move_the_shown_timeline(qtbot, make_window, parquet):
    window, duck, widget = ready(qtbot, make_window, parquet)
    fitted = widget.x_range()
    steps = [
        "view.timeline.zoom_in",
        "view.timeline.zoom_in",
        "view.timeline.pan_right",
        "view.timeline.zoom_out",
        "view.timeline.pan_left",
    ]
    for step in steps:
        before = widget.x_range()
        for w in (window, duck):
            click(w, step)
        assert widget.x_range() != pytest.approx(before), step
        assert widget.x_range() == pytest.approx(window.timeline.x_range()), step
    history = duck.state.view_history
    qtbot.waitUntil(  # the view settled: it is in the history
        lambda: (
            history.position > 0
            and np.allclose(history.entries[history.position], widget.x_range())
        ),
        timeout=5000,
    )
    moved = widget.x_range()
    click(duck, "view.timeline.back")
    assert widget.x_range() != pytest.approx(moved)
    click(duck, "view.timeline.forward")
    assert widget.x_range() == pytest.approx(moved)
    assert widget.x_range() != pytest.approx(fitted)
    click(duck, "view.timeline.fit")
    assert widget.x_range() == pytest.approx(fitted)


def test_the_lane_entries_and_the_bands_set_the_shown_timeline(qtbot, make_window, parquet):
    window, duck, widget = ready(qtbot, make_window, parquet)
    for w in (window, duck):
        click(w, "view.timeline.lanes.admin1")
    assert duck.state.views.timeline.lane_grouping == "admin1"
    assert widget.grouping_box.currentData() == "admin1"
    assert menu_action(duck, "view.timeline.lanes.admin1").isChecked()
    qtbot.waitUntil(lambda: answered(widget) and widget.source.lanes.grouping == "admin1",
                    timeout=10_000)  # fmt: skip
    assert widget.source.lanes.labels == window.timeline.source.lanes.labels
    on = duck.state.views.timeline.show_bands
    click(duck, "view.timeline.bands")
    assert duck.state.views.timeline.show_bands is not on
    assert widget.source.show_bands is not on
    assert menu_action(duck, "view.timeline.bands").isChecked() is not on


def test_the_range_entries_filter_clear_and_export_the_range(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    window, duck, widget = ready(qtbot, make_window, parquet)
    a, b = duck.timeline_dock.widget().source.extent_ns()
    a = (a + (b - a) // 3) // NS_PER_DAY * NS_PER_DAY
    chosen = TimeRange(a, a + 120 * NS_PER_DAY - 1)
    for w in (window, duck):
        w.state.set_range(chosen)
    out = tmp_path / "range.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    click(duck, "view.timeline.export_range")
    qtbot.waitUntil(
        lambda: duck.statusBar().currentMessage().startswith("Exported"), timeout=10_000
    )
    rows = choose_rows(window.state, "range")
    assert 0 < len(rows) < ROWS
    expected = sorted(window.state.table.df["id"].iloc[rows].astype(str))
    assert sorted(pd.read_csv(out, dtype=str)["id"]) == expected
    for w in (window, duck):
        click(w, "view.timeline.filter_range")
    assert duck.state.spec == window.state.spec and duck.state.spec.date_from is not None
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
    click(duck, "view.timeline.clear_range")
    assert duck.state.range is None


def test_zoom_to_selection_frames_the_focused_event(qtbot, make_window, parquet):
    window, duck, widget = ready(qtbot, make_window, parquet)
    a, b = widget.x_range()
    mid = (a + b) / 2
    for w in (window.timeline, widget):  # a few weeks: the events are read, as marks
        w.set_x_range(mid, mid + 30 * 86_400)
    qtbot.waitUntil(lambda: answered(widget) and len(widget.source.table) > 0, timeout=10_000)
    source = widget.source
    row = int(np.argmax(source.table.end_ns - source.table.start_ns))
    duck.state.source_view.set_current(int(source.answer.keys[row]))
    event_id = str(source.table.df["id"].iloc[row])
    memory_row = window.state.table.row_of_id(window.state.table.datasets[0].name, event_id)
    window.state.select([memory_row])
    for w in (window, duck):
        click(w, "view.timeline.zoom_selection")
    assert widget.x_range() == pytest.approx(window.timeline.x_range())
    assert widget.x_range() != pytest.approx((mid, mid + 30 * 86_400))


def test_export_timeline_image_exports_the_shown_timeline(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    from timeline_app.ui.timeline.caption import default_caption
    from timeline_app.ui.timeline.export import ExportImageDialog

    window, duck, widget = ready(qtbot, make_window, parquet)
    # The caption names the DuckDB dataset's input as the memory window names its file.
    expected = default_caption(window.timeline.source, widget.x_range())
    assert default_caption(widget.source, widget.x_range()) == expected
    assert "events" in expected.citation
    out = tmp_path / "timeline.png"
    accepted = ExportImageDialog.DialogCode.Accepted
    monkeypatch.setattr(ExportImageDialog, "exec", lambda _self: accepted)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    drawn = []
    monkeypatch.setattr(type(widget), "export_image", lambda self, *a, **k: drawn.append(self))
    click(duck, "file.export_timeline")
    assert drawn == [widget]  # the timeline shown, not the hidden memory one


def test_the_keys_of_the_menus_reach_the_shown_timeline(qtbot, make_window, parquet):
    """One action per key: the shown timeline's (the hidden one's keys do nothing)."""
    from PySide6.QtCore import Qt

    _window, duck, widget = ready(qtbot, make_window, parquet)
    on = duck.state.views.timeline.show_bands
    duck.activateWindow()
    qtbot.keyClick(
        duck, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert duck.state.views.timeline.show_bands is not on
    widget.plot.setFocus()
    before = widget.x_range()
    qtbot.keyClick(widget.plot, Qt.Key.Key_Plus)  # a key of the timeline itself: zoom in
    assert widget.x_range()[1] - widget.x_range()[0] < before[1] - before[0]
