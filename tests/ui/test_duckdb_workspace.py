"""Workspaces of a Parquet dataset opened on DuckDB, used as a user would: File > Save
Workspace writes its Parquet paths, that it runs on DuckDB, and the memory workspace's
state (filter, sort, views); File > Open Workspace opens it on DuckDB again."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.storage.engine_fixtures import write_fixture
from tests.ui import test_duckdb_match
from tests.ui.test_duckdb_match import find
from tests.ui.test_duckdb_window import cells, click_header, open_duckdb

ROWS = 300
two_files = test_duckdb_match.two_files  # two Parquet datasets with likely-same events


@pytest.fixture
def parquet(tmp_path: Path) -> Path:
    return write_fixture(tmp_path, rows=ROWS)[1]


def filter_and_sort(qtbot, duck) -> None:
    """The user types a search and sorts by fatalities, most first, on DuckDB."""
    duck.filter_panel.search.setFocus()
    qtbot.keyClicks(duck.filter_panel.search, "segou")
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.spec.text == "segou" and view.count >= 0, timeout=10_000)
    click_header(qtbot, duck.sources.table, "fatalities")
    click_header(qtbot, duck.sources.table, "fatalities")
    assert view.sort_keys == [("fatalities", False)]


def empty_window(qtbot):
    """A window with nothing open, as on starting the app."""
    from timeline_app.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_via_menu(qtbot, window, saved: Path, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    with qtbot.waitSignal(window.workspaces.opened, timeout=20_000):
        window.workspaces.open_action.trigger()


def save_via_menu(window, target: Path, monkeypatch) -> Path:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.workspaces.save_as_action.trigger()
    saved = target.with_name(target.name.removesuffix(".tlx.json") + ".tlx.json")
    assert saved.is_file(), window.statusBar().currentMessage()
    return saved


def test_saving_on_duckdb_writes_its_parquet_the_engine_and_the_state(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    _window, duck = open_duckdb(qtbot, make_window, parquet)
    filter_and_sort(qtbot, duck)
    lanes = duck.timeline_dock.widget().grouping_box  # the DuckDB timeline's
    lanes.setCurrentIndex(lanes.findData("admin1"))
    saved = save_via_menu(duck, tmp_path / "duck-view", monkeypatch)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["engine"] == "duckdb"
    assert [(f["path"], f["name"]) for f in data["files"]] == [("events.parquet", "events")]
    assert data["files"][0]["fingerprint"].startswith("parquet-footer-v1:")
    assert data["filter"]["text"] == "segou"
    assert data["table"]["sort"] == [{"column": "fatalities", "ascending": False}]
    assert data["lane_grouping"] == "admin1"
    assert "Saved workspace duck-view.tlx.json" in duck.statusBar().currentMessage()


def test_a_memory_workspace_says_no_engine(qtbot, make_window, parquet, tmp_path, monkeypatch):
    """Memory workspaces are written as before: no ``engine`` (an older app reads them)."""
    window = make_window(parquet)
    saved = save_via_menu(window, tmp_path / "memory-view", monkeypatch)
    assert "engine" not in json.loads(saved.read_text(encoding="utf-8"))


def test_a_duckdb_workspace_opens_on_duckdb_with_the_same_rows_in_the_same_order(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    window.filter_panel.search.setFocus()  # the memory window, as the DuckDB one below
    qtbot.keyClicks(window.filter_panel.search, "segou")
    filter_and_sort(qtbot, duck)
    click_header(qtbot, window.table_view, "fatalities")
    click_header(qtbot, window.table_view, "fatalities")
    qtbot.waitUntil(lambda: 0 < len(window.state.visible) < ROWS, timeout=5000)
    lanes = duck.timeline_dock.widget().grouping_box
    lanes.setCurrentIndex(lanes.findData("admin1"))
    saved = save_via_menu(duck, tmp_path / "duck-view", monkeypatch)
    duck.close()

    fresh = empty_window(qtbot)
    open_via_menu(qtbot, fresh, saved, monkeypatch)
    view = fresh.state.source_view
    qtbot.waitUntil(lambda: view.count >= 0, timeout=10_000)
    assert fresh.engine_label.text() == "Engine: DuckDB"
    assert not fresh.state.table.datasets  # not read into memory
    assert view.spec.text == "segou" and view.sort_keys == [("fatalities", False)]
    assert view.count == len(window.state.visible)
    assert fresh.count_label.text() == f"{view.count} of {ROWS} events"
    rows = range(view.count)
    assert cells(qtbot, fresh.sources.table, rows) == cells(qtbot, window.table_view, rows)
    assert fresh.timeline_dock.widget().grouping_box.currentData() == "admin1"
    assert "Opened workspace duck-view.tlx.json" in fresh.statusBar().currentMessage()
    fresh.close()


def test_a_workspace_without_an_engine_still_opens_in_memory(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    _window, duck = open_duckdb(qtbot, make_window, parquet)
    filter_and_sort(qtbot, duck)
    saved = save_via_menu(duck, tmp_path / "duck-view", monkeypatch)
    data = json.loads(saved.read_text(encoding="utf-8"))
    del data["engine"]  # as every workspace saved before DuckDB workspaces
    old = tmp_path / "old.tlx.json"
    old.write_text(json.dumps(data), encoding="utf-8")

    fresh = empty_window(qtbot)
    open_via_menu(qtbot, fresh, old, monkeypatch)
    assert fresh.state.source_view.source is None
    assert [d.name for d in fresh.state.table.datasets] == ["events"]
    assert fresh.engine_label.text() == "Engine: memory"
    assert fresh.state.spec.text == "segou" and fresh.state.sort_keys == [("fatalities", False)]
    fresh.close()


def test_the_workspaces_likely_same_search_runs_again_on_duckdb(
    qtbot, make_window, two_files, tmp_path, monkeypatch
):
    duck = make_window(*two_files)
    duck.close_all_files()
    duck.open_paths(two_files, "duckdb")
    qtbot.waitUntil(lambda: duck.state.source_view.source is not None, timeout=10_000)
    find(qtbot, duck, "alpha", "beta", km=40.0)
    pairs = duck.state.source_view.match
    assert pairs is not None and pairs.result.taken.sum() > 0
    saved = save_via_menu(duck, tmp_path / "matched", monkeypatch)
    assert json.loads(saved.read_text(encoding="utf-8"))["matching"]["match"]["km"] == 40.0
    duck.close()

    fresh = empty_window(qtbot)
    open_via_menu(qtbot, fresh, saved, monkeypatch)
    view = fresh.state.source_view
    qtbot.waitUntil(lambda: view.match is not None, timeout=30_000)
    assert (view.match.first, view.match.second) == ("alpha", "beta")
    assert np.array_equal(view.match.result.taken, pairs.result.taken)
    assert np.array_equal(view.match.keys, pairs.keys)
    assert "likely-same pairs found again (alpha against beta)" in (
        fresh.statusBar().currentMessage()
    )
    fresh.close()


def test_a_duckdb_session_is_autosaved_and_restored_on_duckdb_after_a_crash(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    from tests.ui.test_autosave import _dead_pid
    from timeline_app.ui.autosave import RUNNING_FILE, SESSION_FILE, install_autosave

    state_dir = tmp_path / "state"
    _window, duck = open_duckdb(qtbot, make_window, parquet)
    install_autosave(duck, state_dir)
    filter_and_sort(qtbot, duck)
    duck.close()  # saved at exit...
    session = json.loads((state_dir / SESSION_FILE).read_text(encoding="utf-8"))
    assert session["engine"] == "duckdb" and session["filter"]["text"] == "segou"
    (state_dir / RUNNING_FILE).write_text(f"{_dead_pid()}\n")  # ...then it is as if it died

    fresh = empty_window(qtbot)
    install_autosave(fresh, state_dir)
    box = fresh.restore_box
    qtbot.waitUntil(box.isVisible)
    with qtbot.waitSignal(fresh.workspaces.opened, timeout=20_000):
        box.restore_button.click()
    view = fresh.state.source_view
    qtbot.waitUntil(lambda: view.count >= 0, timeout=10_000)
    assert fresh.engine_label.text() == "Engine: DuckDB"
    assert view.spec.text == "segou" and view.sort_keys == [("fatalities", False)]
    fresh.close()


def test_the_selected_and_focused_events_come_back_on_duckdb(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    _window, duck = open_duckdb(qtbot, make_window, parquet)
    filter_and_sort(qtbot, duck)
    table, view = duck.sources.table, duck.state.source_view
    cells(qtbot, table, range(4))
    for row, modifier in (
        (1, Qt.KeyboardModifier.NoModifier),
        (3, Qt.KeyboardModifier.ControlModifier),
    ):
        rect = table.visualRect(table.table_model.index(row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    qtbot.waitUntil(lambda: len(view.selection) == 2, timeout=10_000)
    chosen, focused = view.selection.copy(), view.current_key
    saved = tmp_path / "chosen.tlx.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    with qtbot.waitSignal(duck.workspaces.saved, timeout=10_000):
        duck.workspaces.save_as_action.trigger()
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert len(data["selection"]) == 2 and data["current"] in data["selection"]
    duck.close()

    fresh = empty_window(qtbot)
    open_via_menu(qtbot, fresh, saved, monkeypatch)
    fview = fresh.state.source_view
    qtbot.waitUntil(lambda: len(fview.selection) == 2, timeout=10_000)
    assert np.array_equal(fview.selection, chosen) and fview.current_key == focused
    qtbot.waitUntil(lambda: fresh.count_label.text().endswith(", 2 selected"), timeout=10_000)
    fresh.close()


def test_a_screenshot_of_a_duckdb_workspace_waits_for_its_rows(parquet, tmp_path, monkeypatch):
    """``timeline-app --screenshot out.png duck.tlx.json``: the picture is taken once the
    DuckDB dataset is open, filtered, counted and its page shown."""
    from timeline_app.cli import main
    from timeline_app.model.filters import FilterSpec
    from timeline_app.model.workspace import FileEntry, Workspace, save_workspace
    from timeline_app.ui.main_window import MainWindow

    ws = Workspace(
        files=[FileEntry(path=str(parquet), name="events")],
        filter=FilterSpec(text="segou"),
        engine="duckdb",
    )
    saved = save_workspace(ws, tmp_path / "shot.tlx.json")
    seen: list[tuple[str, str, int, bool]] = []
    grab = MainWindow.grab

    def watched(self, *args):
        model = self.sources.table.table_model
        shown = bool(model.page_of(0, fetch=False)) and not model.pages_loading()
        text = (self.engine_label.text(), self.count_label.text())
        seen.append((*text, model.rowCount(), shown))
        return grab(self, *args)

    monkeypatch.setattr(MainWindow, "grab", watched)
    from timeline_app.ui import source_controller

    opener = source_controller.open_source

    def slow_open(*args):  # a big dataset's open takes a while (on the worker thread)
        time.sleep(1.0)
        return opener(*args)

    monkeypatch.setattr(source_controller, "open_source", slow_open)
    out = tmp_path / "shot.png"
    assert main(["--screenshot", str(out), str(saved)]) == 0
    assert out.stat().st_size > 10_000
    [(engine, counted, rows, shown)] = seen
    assert engine == "Engine: DuckDB" and shown  # its first page read, not blank
    assert counted == f"{rows} of {ROWS} events" and 0 < rows < ROWS


def test_the_timelines_view_comes_back_on_duckdb(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    """The DuckDB timeline frames its data when their extent is read, after the
    workspace's view was set: the saved view is kept, not the whole span."""
    _window, duck = open_duckdb(qtbot, make_window, parquet)
    timeline = duck.timeline_dock.widget()
    qtbot.waitUntil(lambda: timeline.source.overview is not None, timeout=10_000)
    year = (pd.Timestamp("2016-01-01").value, pd.Timestamp("2017-01-01").value)
    timeline.set_x_range(year[0] / 1e9, year[1] / 1e9)  # the user zooms on 2016
    qtbot.waitUntil(lambda: duck.state.views.timeline.view_range == year, timeout=5000)
    saved = save_via_menu(duck, tmp_path / "year", monkeypatch)
    duck.close()

    fresh = empty_window(qtbot)
    open_via_menu(qtbot, fresh, saved, monkeypatch)
    shown = fresh.timeline_dock.widget()
    qtbot.waitUntil(lambda: shown.source.overview is not None, timeout=10_000)
    qtbot.waitUntil(
        lambda: all(abs(x - y / 1e9) < 1 for x, y in zip(shown.x_range(), year, strict=True)),
        timeout=5000,
    )
    assert fresh.state.views.timeline.view_range == year
    fresh.close()


def answer_file_questions(buttons: list[str]) -> list[str]:
    """Click each of ``buttons`` ("locate", "anyway", "cancel") on the file questions as
    they come, until none is left (clear it to stop); returns the texts they showed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []
    todo = buttons

    def click() -> None:
        for box in QApplication.topLevelWidgets():
            name = box.objectName()
            if isinstance(box, QMessageBox) and name == "workspaceFileProblem" and box.isVisible():
                seen.append(box.text() + "\n" + box.informativeText())
                getattr(box, f"{todo.pop(0)}_button").click()
                break
        if todo:
            QTimer.singleShot(20, click)

    QTimer.singleShot(20, click)
    return seen


def test_locate_finds_a_moved_parquet_folder(qtbot, make_window, parquet, tmp_path, monkeypatch):
    """A DuckDB workspace of a folder of Parquet files whose folder moved: the question
    says the folder was not found, and Locate… picks a folder (a file dialog could only
    pick a file), whose data open on DuckDB as the memory window shows them."""
    import pyarrow.parquet as pq

    folder = tmp_path / "events"
    folder.mkdir()
    rows = pq.read_table(parquet)
    pq.write_table(rows.slice(0, ROWS // 2), folder / "part-0.parquet")
    pq.write_table(rows.slice(ROWS // 2), folder / "part-1.parquet")
    window, duck = open_duckdb(qtbot, make_window, folder)
    window.filter_panel.search.setFocus()
    qtbot.keyClicks(window.filter_panel.search, "segou")
    qtbot.waitUntil(lambda: 0 < len(window.state.visible) < ROWS, timeout=5000)
    filter_and_sort(qtbot, duck)
    click_header(qtbot, window.table_view, "fatalities")
    click_header(qtbot, window.table_view, "fatalities")
    saved = save_via_menu(duck, tmp_path / "folder-view", monkeypatch)
    duck.close()
    moved = folder.rename(tmp_path / "moved")

    fresh = empty_window(qtbot)
    answers = ["locate", "cancel"]  # asked again (not located): the user gives up
    seen = answer_file_questions(answers)
    picked: list[str] = []

    def pick_folder(*_args, **_kwargs) -> str:
        picked.append("folder")
        return str(moved)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", pick_folder)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))  # no file
    fresh.workspaces.open_path(saved)
    qtbot.waitUntil(lambda: not fresh.workspaces.busy, timeout=20_000)
    answers.clear()
    assert seen and "The workspace's folder “events” was not found." in seen[0]
    assert picked == ["folder"]
    view = fresh.state.source_view
    qtbot.waitUntil(lambda: view.count >= 0, timeout=10_000)
    assert fresh.engine_label.text() == "Engine: DuckDB"
    assert [Path(p) for p in view.source.paths] == [moved]
    assert view.count == len(window.state.visible)
    shown = range(view.count)
    assert cells(qtbot, fresh.sources.table, shown) == cells(qtbot, window.table_view, shown)
    fresh.close()


def test_opening_a_duckdb_workspace_does_not_read_its_parquet_whole(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    """Saving and opening a DuckDB workspace checks each Parquet file by its size, time
    and footer, not by hashing all of it (many GB beyond memory); a rewritten file is
    still said to have changed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from timeline_app.model import dataset, workspace, workspace_entries, workspace_source

    hashed: list[Path] = []
    whole = dataset.file_sha256

    def counted(path, *args):
        hashed.append(Path(path))
        return whole(path, *args)

    for module in (dataset, workspace, workspace_entries, workspace_source):
        monkeypatch.setattr(module, "file_sha256", counted, raising=False)
    _window, duck = open_duckdb(qtbot, make_window, parquet)
    filter_and_sort(qtbot, duck)
    saved = save_via_menu(duck, tmp_path / "big-view", monkeypatch)
    [entry] = json.loads(saved.read_text(encoding="utf-8"))["files"]
    assert entry["sha256"] == "" and entry["fingerprint"].startswith("parquet-footer-v1:")
    duck.close()

    fresh = empty_window(qtbot)
    open_via_menu(qtbot, fresh, saved, monkeypatch)
    view = fresh.state.source_view
    qtbot.waitUntil(lambda: view.count >= 0, timeout=10_000)
    assert view.spec.text == "segou" and fresh.engine_label.text() == "Engine: DuckDB"
    assert hashed == []  # neither on saving nor on opening
    fresh.close()

    rows = pq.read_table(parquet)  # the file is converted again, one toll changed
    tolls = rows.column("fatalities").to_pylist()
    tolls[0] = 10_000
    pq.write_table(
        rows.set_column(
            rows.schema.get_field_index("fatalities"),
            "fatalities",
            pa.array(tolls, rows.schema.field("fatalities").type),
        ),
        parquet,
    )
    again = empty_window(qtbot)
    answers = ["anyway"]
    seen = answer_file_questions(answers)
    open_via_menu(qtbot, again, saved, monkeypatch)
    answers.clear()
    assert seen and "has changed since the workspace was saved" in seen[0]
    assert hashed == []
    again.close()


def same_sidecars(gui: Path, cli: Path) -> None:
    """The two exports' provenance says the same, but for when and where each was made."""
    from timeline_app.model.provenance import sidecar_path

    records = [json.loads(sidecar_path(p).read_text(encoding="utf-8")) for p in (gui, cli)]
    for record, out in zip(records, (gui, cli), strict=True):
        record.pop("created")
        text = json.dumps(record).replace(str(out.resolve()), "OUT")
        record.clear()
        record.update(json.loads(text))
    assert records[0] == records[1]


def export_workspace_on_the_command_line(saved: Path, out: Path, monkeypatch, *options) -> None:
    """``timeline-app export --workspace saved -o out``, which must not read it in memory."""
    from timeline_app.cli import main
    from timeline_app.commands import export

    def in_memory(*_args):
        raise AssertionError("the DuckDB workspace was read into memory")

    monkeypatch.setattr(export, "prepare", in_memory)
    assert main(["export", "--workspace", str(saved), *options, "-o", str(out)]) == 0


def test_export_of_a_duckdb_workspace_on_the_command_line_is_the_windows_export(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    """``export --workspace`` of a workspace saved on DuckDB runs on DuckDB (streamed,
    not read into memory) and writes the file and provenance File > Export… writes
    in a window that opened the workspace."""
    from tests.ui.test_duckdb_window import export_by_key

    _window, duck = open_duckdb(qtbot, make_window, parquet)
    filter_and_sort(qtbot, duck)
    saved = save_via_menu(duck, tmp_path / "segou", monkeypatch)
    duck.close()
    fresh = empty_window(qtbot)
    open_via_menu(qtbot, fresh, saved, monkeypatch)
    view = fresh.state.source_view
    qtbot.waitUntil(lambda: view.count >= 0 and view.sort_keys == [("fatalities", False)])
    gui, cli = tmp_path / "gui.csv", tmp_path / "cli.csv"
    export_by_key(qtbot, monkeypatch, fresh, gui, Qt.Key.Key_E)  # File > Export…
    shown = view.count
    fresh.close()

    export_workspace_on_the_command_line(saved, cli, monkeypatch)
    assert cli.read_bytes() == gui.read_bytes()
    assert 0 < len(pd.read_csv(cli)) == shown < ROWS
    same_sidecars(gui, cli)


def test_export_of_a_duckdb_workspaces_pairs_on_the_command_line_is_the_windows_export(
    qtbot, make_window, two_files, tmp_path, monkeypatch
):
    """A DuckDB workspace with a likely-same search and a filter on its pairs: the command
    line runs the search again on DuckDB, and ``--match`` writes the window's columns."""
    from tests.ui.test_duckdb_window import export_by_key
    from timeline_app.model.matched import MATCH_COLUMN
    from timeline_app.ui.table_header import set_column_visible

    duck = make_window(*two_files)
    duck.close_all_files()
    duck.open_paths(two_files, "duckdb")
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.source is not None and view.count > 0, timeout=10_000)
    set_column_visible(duck.state, MATCH_COLUMN, True)  # the header menu's "Likely same"
    find(qtbot, duck, "alpha", "beta", km=40.0)
    duck.matching.mode_actions["matched"].trigger()  # Tools > Show: matched events
    qtbot.waitUntil(lambda: 0 < view.count < view.total, timeout=10_000)
    gui, cli = tmp_path / "gui.csv", tmp_path / "cli.csv"
    export_by_key(qtbot, monkeypatch, duck, gui, Qt.Key.Key_E)
    assert "match_group" in pd.read_csv(gui).columns
    saved = save_via_menu(duck, tmp_path / "pairs", monkeypatch)
    duck.close()

    export_workspace_on_the_command_line(saved, cli, monkeypatch, "--match", "--km", "40")
    assert cli.read_bytes() == gui.read_bytes()
    same_sidecars(gui, cli)
