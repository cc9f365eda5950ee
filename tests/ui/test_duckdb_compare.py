"""Tools > Compare Before and After… and the timeline's right-click on a DuckDB dataset,
used as a user would: the dialog shows what the memory engine's window shows for the
same file (the figures, the chart's text, the table, the default centre), follows its
choices and the filter, exports the same files, and Cancel stops its count."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtWidgets import QMenu

from tests.storage.engine_fixtures import events_frame
from tests.ui.test_duckdb_timeline import answered, duck_timeline, mark_point
from tests.ui.test_duckdb_timeline_menu import click
from tests.ui.test_duckdb_window import open_duckdb
from timeline_app.formats.registry import load
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.provenance import sidecar_path
from timeline_app.storage.convert import convert

ROWS = 800


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The engines' fixture, with Mali cercles named (some events without coordinates:
    their comparison is inside the cercle) and a few withdrawals (milestones)."""
    folder = tmp_path_factory.mktemp("duckcompare")
    frame = events_frame(ROWS)
    frame["admin2"] = np.where(np.arange(ROWS) % 3 == 0, "Tombouctou", "Gao")
    frame.loc[frame.index[::29], "category"] = "withdrawal"
    frame.loc[frame.index[::7], "country"] = "Mali"
    frame.loc[frame.index[::14], "latitude"] = np.nan
    frame.to_csv(folder / "events.csv", index=False)
    convert([load(folder / "events.csv", use_cache=False)], folder / "events.parquet")
    return folder / "events.parquet"


def shown(dialog) -> dict:
    """What the dialog shows: its choices, the chart's figures and text, the table."""
    chart = dialog.chart
    return {
        "date": dialog.date_edit.date().toString("yyyy-MM-dd"),
        "weeks": dialog.weeks_box.value(),
        "area": [r.isChecked() for r in (dialog.filters_radio, dialog.cercle_radio, dialog.near_radio)],
        "cercle": dialog.cercle_radio.text() if dialog.cercle_radio.isVisibleTo(dialog) else "",
        "place": [b.value() for b in (dialog.lat_box, dialog.lon_box, dialog.km_box)],
        "ring": (dialog.ring_box.isChecked(), dialog.outer_box.value()),
        "comparison": chart.comparison.as_dict(),
        "actors": chart.comparison.actors,
        "notes": chart.comparison.notes,
        "outer": chart.ring.as_dict() if chart.ring is not None else None,
        "text": (chart.text.title, chart.text.subtitle, chart.text.date_label),
        "table": dialog.table_label.text(),
    }  # fmt: skip


def counted(qtbot, dialog) -> None:
    qtbot.waitUntil(
        lambda: (
            dialog.isVisible()
            and not dialog.source_figures.busy()
            and dialog.figures is not None
            and not dialog.status_label.isVisibleTo(dialog)
        ),
        timeout=20_000,
    )


def same(qtbot, window, duck) -> dict:
    qtbot.waitUntil(lambda: not window.filter_worker.busy, timeout=10_000)
    counted(qtbot, duck.comparing.dialog)
    expected = shown(window.comparing.dialog)
    assert shown(duck.comparing.dialog) == expected
    return expected


def test_tools_compare_shows_the_memory_engines_figures(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    action = duck.actions_by_id["tools.compare"]
    assert action.isEnabled() and "memory" not in action.toolTip()
    for w in (window, duck):
        click(w, "tools.compare")
    steps = [
        lambda d: d.date_edit.setDate(QDate(2017, 5, 14)),  # both at one date
        lambda d: d.weeks_box.setValue(30),
        lambda d: d.state.set_filter(FilterSpec(actors=("JNIM",))),
        lambda d: d.near_radio.setChecked(True),
        lambda d: d.km_box.setValue(400),
        lambda d: d.lat_box.setValue(14.5),
        lambda d: d.ring_box.setChecked(True),
        lambda d: d.outer_box.setValue(900),
        lambda d: d.outer_box.setValue(200),  # narrower than the area: no ring, a note
        lambda d: d.filters_radio.setChecked(True),
        lambda d: d.state.set_filter(FilterSpec(regions=("Mali",), text="attack")),
        lambda d: d.weeks_box.setValue(2),
    ]
    seen = []
    for step in steps:
        for w in (window, duck):
            step(w.comparing.dialog)
        seen.append(same(qtbot, window, duck))
    assert seen[0]["date"] == "2017-05-14" and seen[0]["comparison"]["weeks"] == 12
    # The cases are what they claim: unknown tolls counted apart, actors, a ring, a note.
    first = seen[1]["comparison"]
    assert first["before"]["events"] and first["after"]["events"]
    assert first["before"]["unknown_fatalities"] + first["after"]["unknown_fatalities"] > 0
    assert seen[1]["actors"] and seen[3]["place"][:2] != [0.0, 0.0]
    assert seen[7]["outer"] is not None and seen[8]["outer"] is None
    assert "must be wider" in seen[8]["table"]
    assert seen[3]["comparison"] != seen[2]["comparison"] != seen[1]["comparison"]


def right_click(qtbot, widget, pos: QPoint):
    qtbot.mouseClick(widget.plot.viewport(), Qt.MouseButton.RightButton, pos=pos)
    menu = widget.plot.last_menu
    assert isinstance(menu, QMenu)
    action = menu.actions()[0]
    menu.close()
    return action


def test_a_right_click_on_the_sql_timeline_compares_at_its_event(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    for row_kind in ("located", "in its cercle"):
        pos, row = mark_point(qtbot, widget, dx=1.0)
        table = widget.source.table
        if row_kind == "in its cercle":  # a mark of an event without coordinates
            layout = widget.plot.layout()
            memory = window.state.table
            unlocated = set(memory.df["id"][memory.df["latitude"].isna()].astype(str))
            ids = table.df["id"].astype(str).to_numpy()
            marks = [k for k, r in enumerate(layout.marks_row) if ids[r] in unlocated]
            assert marks
            k = marks[0]
            at = widget.plot.vb.mapToScene(QPointF(layout.marks_x[k] + 1, layout.marks_y[k]))
            point = widget.plot.mapFromScene(at)
            pos, row = QPoint(point.x(), point.y()), int(layout.marks_row[k])
        action = right_click(qtbot, widget, pos)
        assert action.text() in (
            "Compare Before and After this event…",
            "Compare Before and After this milestone…",
        )
        action.trigger()
        event_id = str(table.df["id"].iloc[row])
        memory_row = window.state.table.row_of_id(window.state.table.datasets[0].name, event_id)
        start = int(window.state.table.start_ns[memory_row])
        window.comparing.open_compare(start, memory_row)  # the memory window's right-click
        choice = window.state.views.trends.compare  # the event read by key, then shown
        qtbot.waitUntil(lambda c=choice: duck.state.views.trends.compare == c, timeout=10_000)
        expected = same(qtbot, window, duck)
        assert expected["date"] == str(table.df["start"].iloc[row].date())
        if row_kind == "located":
            assert expected["area"] == [False, False, True]  # within 50 km of the event
        else:  # no coordinates: inside its cercle
            assert expected["area"] == [False, True, False]
            assert "Tombouctou" in expected["cercle"] or "Gao" in expected["cercle"]
    # A day: between the marks, the day under the pointer.
    plot = widget.plot
    x0, x1 = plot.x_range()
    empty = QPointF(plot.px_of_s(x0 + (x1 - x0) * 0.5), 2)  # above the lanes
    pos = plot.mapFromScene(plot.vb.mapToScene(empty))
    action = right_click(qtbot, widget, QPoint(pos.x(), pos.y()))
    assert action.text() == "Compare Before and After this day…"
    action.trigger()
    counted(qtbot, duck.comparing.dialog)
    day = duck.comparing.dialog.date_edit.date()
    assert duck.state.views.trends.compare["at"] == day.toString("yyyy-MM-dd")


def test_the_exports_are_the_memory_engines(qtbot, make_window, parquet, tmp_path):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    for w in (window, duck):
        click(w, "tools.compare")
    steps = [
        lambda d: d.date_edit.setDate(QDate(2019, 2, 3)),
        lambda d: d.near_radio.setChecked(True),  # around the events' middle
        lambda d: d.ring_box.setChecked(True),
        lambda d: d.km_box.setValue(300),
        lambda d: d.outer_box.setValue(700),
    ]
    for step in steps:
        for w in (window, duck):
            step(w.comparing.dialog)
        same(qtbot, window, duck)
    exports = (("weekly.csv", "chart"), ("table.csv", "table"), ("chart.svg", "chart"),
               ("chart.png", "chart"))  # fmt: skip
    for name, output in exports:
        files = []
        for w, folder in ((window, "memory"), (duck, "duck")):
            (tmp_path / folder).mkdir(exist_ok=True)
            files.append(w.comparing.dialog.export(tmp_path / folder / name, output))
        memory, mine = files
        if name.endswith(".csv"):
            assert mine.read_text(encoding="utf-8") == memory.read_text(encoding="utf-8")
        elif name.endswith(".png"):
            assert mine.read_bytes() == memory.read_bytes()
        else:
            text = mine.read_text(encoding="utf-8")
            assert text.replace(str(tmp_path / "duck"), "") == memory.read_text(
                encoding="utf-8"
            ).replace(str(tmp_path / "memory"), "")
        records = [json.loads(sidecar_path(f).read_text(encoding="utf-8")) for f in files]
        for record, folder in zip(records, ("memory", "duck"), strict=True):
            record.pop("created")
            record["output"].pop("path")
            record["command"] = record["command"].replace(str(tmp_path / folder), "OUT")
            record["argv"] = [a.replace(str(tmp_path / folder), "OUT") for a in record["argv"]]
        assert records[1] == records[0]
        assert records[0]["sources"][0]["rows_exported"] > 0


def test_cancel_stops_the_count(qtbot, make_window, parquet, monkeypatch):
    from timeline_app.storage.duck.compare import CompareCounter

    _window, duck = open_duckdb(qtbot, make_window, parquet)
    click(duck, "tools.compare")
    dialog = duck.comparing.dialog
    counted(qtbot, dialog)
    before = shown(dialog)
    entered, release = threading.Event(), threading.Event()
    counting = CompareCounter.compare

    def held(self, *args, **kwargs):
        entered.set()
        release.wait(10)
        return counting(self, *args, **kwargs)

    monkeypatch.setattr(CompareCounter, "compare", held)
    dialog.weeks_box.setValue(3)
    assert dialog.status_label.text() == "Counting…"
    assert not dialog.export_chart_button.isEnabled()  # not the figures of the choice
    qtbot.waitUntil(entered.is_set, timeout=10_000)
    duck.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: not dialog.source_figures.busy(), timeout=10_000)
    assert dialog.status_label.text().startswith("Cancelled")
    assert shown(dialog)["comparison"] == before["comparison"]  # its answer was dropped
    monkeypatch.setattr(CompareCounter, "compare", counting)
    dialog.weeks_box.setValue(4)
    counted(qtbot, dialog)
    assert dialog.comparison.weeks == 4 and dialog.export_chart_button.isEnabled()


def test_the_dialog_follows_the_dataset_closed_and_opened_again(qtbot, make_window, parquet):
    _window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)  # framed: its middle has data
    click(duck, "tools.compare")
    dialog = duck.comparing.dialog
    dialog.weeks_box.setValue(100)
    counted(qtbot, dialog)
    first = shown(dialog)
    assert first["comparison"]["before"]["events"] > 0
    duck.close_all_files()  # no events now: nothing before or after
    assert dialog.comparison.before.events == dialog.comparison.after.events == 0
    duck.open_paths([parquet], "duckdb")
    qtbot.waitUntil(lambda: duck.state.source_view.source is not None, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.comparison.before.events > 0, timeout=20_000)
    counted(qtbot, dialog)
    assert shown(dialog) == first


def test_a_right_click_on_a_milestone_compares_at_its_day(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    widget = duck_timeline(duck)
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    plot = widget.plot
    memory = window.state.table
    first = memory.df["category"].eq("withdrawal").to_numpy().nonzero()[0][4]
    day = int(memory.start_ns[first]) / 1e9
    for w in (window.timeline, widget):  # a few weeks around a withdrawal
        w.set_x_range(day - 20 * 86_400, day + 20 * 86_400)
    qtbot.waitUntil(lambda: answered(widget) and len(plot.layout().milestones_x) > 0,
                    timeout=10_000)  # fmt: skip
    layout = plot.layout()
    x_px, row = float(layout.milestones_x[0]), int(layout.milestones_row[0])
    y_px = float(plot.lane_centres_px()[-1])
    pos = plot.mapFromScene(plot.vb.mapToScene(QPointF(x_px + 1, y_px)))
    action = right_click(qtbot, widget, QPoint(pos.x(), pos.y()))
    assert action.text() == "Compare Before and After this milestone…"
    action.trigger()
    event_id = str(widget.source.table.df["id"].iloc[row])
    memory_row = memory.row_of_id(memory.datasets[0].name, event_id)
    window.comparing.open_compare(int(memory.start_ns[memory_row]), memory_row)
    choice = window.state.views.trends.compare
    qtbot.waitUntil(lambda: duck.state.views.trends.compare == choice, timeout=10_000)
    expected = same(qtbot, window, duck)
    assert memory.df["category"].iat[memory_row] == "withdrawal"
    assert expected["text"][2] == memory.df["title"].iat[memory_row]  # the chart's label


def test_a_new_actor_dictionary_counts_the_same_filter_again(qtbot, make_window, parquet):
    """Saving the dictionary applies the filter again (state.refilter): the comparison
    follows, as in memory."""
    from timeline_app.model.actor_store import activate_user_entries
    from timeline_app.model.actors import Entry

    window, duck = open_duckdb(qtbot, make_window, parquet)
    for w in (window, duck):
        click(w, "tools.compare")
    for step in (
        lambda d: d.date_edit.setDate(QDate(2018, 6, 1)),
        lambda d: d.weeks_box.setValue(150),
        lambda d: d.state.set_filter(FilterSpec(actors=("Helmets2",))),
    ):
        for w in (window, duck):
            step(w.comparing.dialog)
        empty = same(qtbot, window, duck)
    assert empty["comparison"]["before"]["events"] == empty["comparison"]["after"]["events"] == 0
    try:
        row = {"raw_name": "Blue Helmets", "canonical": "Helmets Two", "short_name": "Helmets2"}
        activate_user_entries([Entry.from_row(row)])
        for w in (window, duck):
            w.state.refilter()
        qtbot.waitUntil(lambda: duck.comparing.dialog.comparison.before.events > 0, timeout=20_000)
        found = same(qtbot, window, duck)
        assert found["comparison"]["after"]["events"] > 0
    finally:
        activate_user_entries([])
