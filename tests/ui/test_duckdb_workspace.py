"""Workspaces of a Parquet dataset opened on DuckDB, used as a user would: File > Save
Workspace writes its Parquet paths, that it runs on DuckDB, and the memory workspace's
state (filter, sort, views); File > Open Workspace opens it on DuckDB again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.storage.engine_fixtures import write_fixture
from tests.ui.test_duckdb_window import click_header, open_duckdb

ROWS = 300


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
    assert len(data["files"][0]["sha256"]) == 64
    assert data["filter"]["text"] == "segou"
    assert data["table"]["sort"] == [{"column": "fatalities", "ascending": False}]
    assert data["lane_grouping"] == "admin1"
    assert "Saved workspace duck-view.tlx.json" in duck.statusBar().currentMessage()


def test_a_memory_workspace_says_no_engine(qtbot, make_window, parquet, tmp_path, monkeypatch):
    """Memory workspaces are written as before: no ``engine`` (an older app reads them)."""
    window = make_window(parquet)
    saved = save_via_menu(window, tmp_path / "memory-view", monkeypatch)
    assert "engine" not in json.loads(saved.read_text(encoding="utf-8"))
