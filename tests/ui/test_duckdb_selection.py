"""The DuckDB table's selection used as a user would: click, Shift+click over pages not
read, Ctrl+click; Ctrl+C copies what the memory table copies for the same rows, and
Edit > Export Selection… writes the memory window's file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView

from tests.storage.engine_fixtures import write_fixture
from tests.ui.test_duckdb_window import export_by_key, open_duckdb
from timeline_app.model.provenance import sidecar_path

ROWS = 450  # three pages
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("duckselect"), rows=ROWS)[1]


def click_row(qtbot, table, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    index = table.model().index(row, 2)
    table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def select(qtbot, table) -> None:
    """Row 5, Shift+click to row 420 (the page between is not read), Ctrl+click 440."""
    click_row(qtbot, table, 5)
    click_row(qtbot, table, 420, SHIFT)
    click_row(qtbot, table, 440, CTRL)


def duck_select(qtbot, duck) -> None:
    table, view = duck.sources.table, duck.state.source_view
    select(qtbot, table)
    qtbot.waitUntil(lambda: len(view.selection) == 416 + 1, timeout=10_000)
    assert not duck.sources.selection.finding()


def test_a_shift_click_range_over_unread_pages_copies_the_memory_rows(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    select(qtbot, window.table_view)
    assert len(window.state.selection) == 417
    window.table_view.setFocus()
    qtbot.keyClick(window.table_view, Qt.Key.Key_C, CTRL)
    expected = QGuiApplication.clipboard().text()
    assert expected.count("\n") == 1 + 417
    QGuiApplication.clipboard().setText("")

    table = duck.sources.table
    click_row(qtbot, table, 5)
    assert table.table_model.page_of(300, fetch=False) is None  # its keys come from SQL
    click_row(qtbot, table, 420, SHIFT)
    click_row(qtbot, table, 440, CTRL)
    table.setFocus()
    with qtbot.waitSignal(duck.sources.selection.copied, timeout=10_000) as copied:
        qtbot.keyClick(table, Qt.Key.Key_C, CTRL)  # while the range's keys may be on their way
    assert copied.args == [417]
    assert QGuiApplication.clipboard().text() == expected


def test_edit_copy_rows_copies_the_selection_after_a_new_sort(qtbot, make_window, parquet):
    from tests.ui.test_duckdb_window import click_header

    window, duck = open_duckdb(qtbot, make_window, parquet)
    duck_select(qtbot, duck)
    for w, table in ((window, window.table_view), (duck, duck.sources.table)):
        if w is window:
            select(qtbot, table)
        click_header(qtbot, table, "fatalities")  # the selection stays, its rows move
    table = window.table_view
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C, CTRL)
    expected = QGuiApplication.clipboard().text()
    QGuiApplication.clipboard().setText("")
    with qtbot.waitSignal(duck.sources.selection.copied, timeout=10_000):
        duck.actions_by_id["edit.copy_rows"].trigger()
    assert QGuiApplication.clipboard().text() == expected


def test_export_selection_writes_the_memory_windows_file(
    qtbot, make_window, parquet, tmp_path, monkeypatch
):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    select(qtbot, window.table_view)
    duck_select(qtbot, duck)
    for w in (window, duck):  # a filter hides some selected rows: they are not exported
        w.filter_panel.search.setFocus()
        qtbot.keyClicks(w.filter_panel.search, "segou")
    view = duck.state.source_view
    qtbot.waitUntil(lambda: len(window.state.visible) < ROWS, timeout=5000)
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
    kept = len(window.state.selection)
    assert 0 < kept < 417
    qtbot.waitUntil(lambda: len(view.selection) == kept, timeout=10_000)  # as in memory

    assert export_selections(qtbot, monkeypatch, window, duck, tmp_path) == kept


def export_selections(qtbot, monkeypatch, window, duck, folder: Path) -> int:
    """Edit > Export Selection… (Ctrl+Alt+S) in both windows: the same file and
    provenance; how many rows it holds."""
    from tests.ui.test_export_dialog import export_and_wait, set_path
    from timeline_app.ui.export_dialog import ExportDialog

    memory_out, duck_out = folder / "memory.csv", folder / "duck.csv"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.findChild(ExportDialog) is not None)
    dialog = window.findChild(ExportDialog)
    assert dialog.scope() == "selected"
    set_path(qtbot, dialog, memory_out)
    export_and_wait(qtbot, dialog)

    assert duck.actions_by_id["edit.export_selection"].isEnabled()
    export_by_key(
        qtbot, monkeypatch, duck, duck_out, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.AltModifier
    )
    assert duck_out.read_bytes() == memory_out.read_bytes()
    ours, theirs = (json.loads(sidecar_path(p).read_text()) for p in (duck_out, memory_out))
    for key in ("row_count", "scope", "filters_applied", "filter", "selection", "sort"):
        assert ours[key] == theirs[key], key
    assert ours["scope"] == "selected"
    return duck_out.read_bytes().count(b"\n") - 1
