"""A Parquet dataset opened on the DuckDB engine in the window, used as a user would:
the table shows the memory engine's rows in its order, sorts on a header click,
follows a typed filter, and the details show the clicked event."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from tests.storage.engine_fixtures import write_fixture
from timeline_app.ui.source_table import PAGE_ROWS

ROWS = 450  # more than two pages


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("duckgui"), rows=ROWS)[1]


def open_duckdb(qtbot, make_window, parquet: Path):
    window = make_window(parquet)  # the memory engine's window for comparison...
    duck = make_window(parquet)
    duck.close_all_files()
    duck.open_paths([parquet], "duckdb")  # ...and the same file on DuckDB
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.source is not None and view.count >= 0, timeout=10_000)
    return window, duck


def export_by_key(qtbot, monkeypatch, duck, out: Path, key, modifiers=None) -> None:
    """Export from the DuckDB window by its shortcut (Ctrl+``key``, or ``modifiers``),
    the save dialog answering ``out``, until the status bar says it is written."""
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    duck.activateWindow()
    qtbot.waitUntil(duck.isActiveWindow)
    with qtbot.waitSignal(
        duck.statusBar().messageChanged,
        timeout=20_000,
        check_params_cb=lambda m: m.startswith("Exported"),
    ):
        qtbot.keyClick(duck, key, modifiers or Qt.KeyboardModifier.ControlModifier)


def cells(qtbot, table, rows: range) -> list[list[str]]:
    model = table.table_model
    columns = range(model.columnCount())
    if hasattr(model, "page_of"):  # the DuckDB table: ask for the pages, wait for them
        qtbot.waitUntil(lambda: model.rowCount() > max(rows, default=-1), timeout=10_000)
        for row in rows:
            model.data(model.index(row, 0))
        qtbot.waitUntil(lambda: all(model.page_of(r, fetch=False) for r in rows), timeout=10_000)
    return [[model.data(model.index(r, c)) for c in columns] for r in rows]


def click_header(qtbot, table, column: str) -> None:
    header = table.horizontalHeader()
    section = next(
        i
        for i in range(table.table_model.columnCount())
        if table.table_model.column_name(i) == column
    )
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_the_engine_shows_in_the_status_bar_and_every_dock_is_wired(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    assert window.engine_label.text() == "Engine: memory"
    assert duck.engine_label.text() == "Engine: DuckDB"
    assert duck.count_label.text() == f"{ROWS} of {ROWS} events"
    assert duck.table_dock.widget() is duck.sources.table
    assert duck.map_dock.widget() is duck.sources.map  # tests/ui/test_duckdb_map.py
    assert duck.trends_dock.widget() is duck.trends  # tests/ui/test_duckdb_trends.py
    assert (
        duck.timeline_dock.widget().objectName() == "sqlTimeline"
    )  # tests/ui/test_duckdb_timeline.py
    duck.close_all_files()
    assert duck.table_dock.widget() is duck.table_view and duck.map_dock.widget() is duck.map
    assert duck.timeline_dock.widget() is duck.timeline
    assert duck.engine_label.text() == ""


def test_the_table_shows_the_memory_rows_in_the_same_order(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    rows = range(0, ROWS)
    assert duck.sources.table.table_model.rowCount() == ROWS
    assert cells(qtbot, duck.sources.table, rows) == cells(qtbot, window.table_view, rows)


def test_a_header_click_sorts_as_in_memory(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    for table in (window.table_view, duck.sources.table):
        click_header(qtbot, table, "fatalities")
        click_header(qtbot, table, "fatalities")  # again: descending
    assert duck.state.source_view.sort_keys == window.state.sort_keys == [("fatalities", False)]
    rows = range(PAGE_ROWS - 20, PAGE_ROWS + 20)  # across a page boundary
    assert cells(qtbot, duck.sources.table, rows) == cells(qtbot, window.table_view, rows)


def test_a_typed_filter_changes_the_table_and_the_count(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    for w in (window, duck):
        w.filter_panel.search.setFocus()
        qtbot.keyClicks(w.filter_panel.search, "segou")
    qtbot.waitUntil(lambda: len(window.state.visible) < ROWS, timeout=5000)
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
    assert duck.count_label.text() == window.count_label.text().split(",")[0]
    rows = range(view.count)
    assert cells(qtbot, duck.sources.table, rows) == cells(qtbot, window.table_view, rows)


def click_third_row(qtbot, window, duck) -> None:
    """Click the DuckDB table's third row and the same event in memory, until the DuckDB
    details show the memory details' title."""
    table = duck.sources.table
    cells(qtbot, table, range(3))
    rect = table.visualRect(table.table_model.index(2, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    window.state.select([int(window.state.visible[2])])
    expected_title = window.detail.text().splitlines()[0]
    qtbot.waitUntil(lambda: duck.detail.text().splitlines()[0] == expected_title, timeout=10_000)


def test_the_details_show_the_clicked_event(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    click_third_row(qtbot, window, duck)
    event_id = window.state.table.df["id"].iloc[int(window.state.visible[2])]
    assert event_id in duck.detail.text()


def test_the_details_come_even_when_a_count_interrupts_their_read(
    qtbot, make_window, parquet, monkeypatch
):
    """A new filter's count interrupts every query, the details' read among them (a CI
    run's details stayed stale so): it is read again, and the details show the event."""
    import duckdb

    window, duck = open_duckdb(qtbot, make_window, parquet)
    source = duck.state.source_view.source
    read, calls = source.event, []

    def interrupted_once(key):
        calls.append(key)
        if len(calls) == 1:
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
        return read(key)

    monkeypatch.setattr(source, "event", interrupted_once)
    click_third_row(qtbot, window, duck)
    assert len(calls) == 2 and calls[0] == calls[1]


def test_open_as_picks_the_engine(qtbot, make_window, parquet, monkeypatch):
    window = make_window(parquet)
    monkeypatch.setattr(
        QInputDialog, "getItem", staticmethod(lambda _p, _t, _l, items, *a, **k: (items[2], True))
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(parquet), ""))
    )
    window.actions_by_id["file.open_as"].trigger()
    view = window.state.source_view
    qtbot.waitUntil(lambda: view.source is not None and view.count == ROWS, timeout=10_000)
    assert window.engine_label.text() == "Engine: DuckDB"
    assert not window.state.table.datasets  # one engine at a time


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_export_writes_the_memory_engines_file(
    qtbot, make_window, parquet, tmp_path, monkeypatch, suffix
):
    from tests.ui.test_export_dialog import click, export_and_wait, open_dialog, set_path

    window, duck = open_duckdb(qtbot, make_window, parquet)
    for w in (window, duck):
        w.filter_panel.search.setFocus()
        qtbot.keyClicks(w.filter_panel.search, "segou")
    view = duck.state.source_view
    qtbot.waitUntil(lambda: len(window.state.visible) < ROWS, timeout=5000)
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
    memory_out, duck_out = tmp_path / f"memory{suffix}", tmp_path / f"duck{suffix}"
    dialog = open_dialog(window, qtbot)
    click(qtbot, dialog.scope_buttons["filtered"])
    if suffix == ".parquet":
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("parquet"))
    set_path(qtbot, dialog, memory_out)
    export_and_wait(qtbot, dialog)

    export_by_key(qtbot, monkeypatch, duck, duck_out, Qt.Key.Key_E)  # File > Export…
    if suffix == ".csv":
        assert duck_out.read_bytes() == memory_out.read_bytes()
    else:
        import pandas as pd

        # The same rows and values (DuckDB marks its columns' nullability; the values match)
        a, b = pd.read_parquet(memory_out), pd.read_parquet(duck_out)
        assert list(a.columns) == list(b.columns)
        for column in a.columns:
            assert a[column].astype(str).tolist() == b[column].astype(str).tolist(), column
    import json

    from timeline_app.model.provenance import sidecar_path

    ours, theirs = (json.loads(sidecar_path(p).read_text()) for p in (duck_out, memory_out))
    for key in ("rows", "filter", "sort", "scope"):
        if key in theirs:
            assert ours.get(key) == theirs[key], key


def test_the_header_menu_shows_hides_and_moves_columns_as_in_memory(qtbot, make_window, parquet):
    """A right-click on the DuckDB table's header opens the memory table's columns
    menu: hiding, showing and moving a column change both tables alike (the state's
    columns), and Reset Columns brings back the default ones."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    window, duck = open_duckdb(qtbot, make_window, parquet)
    table = duck.sources.table

    def right_click(column: str) -> dict:
        """The menu a right-click on ``column``'s header opens (closed once read)."""
        opened: list[QMenu] = []

        def read_and_close() -> None:
            menu = QApplication.activePopupWidget()
            if isinstance(menu, QMenu):
                opened.append(menu)
                menu.close()

        header = table.horizontalHeader()
        section = table.visible_columns().index(column)
        pos = QPoint(header.sectionViewportPosition(section) + 5, 5)
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, pos, header.viewport().mapToGlobal(pos)
        )
        QTimer.singleShot(50, read_and_close)
        QApplication.sendEvent(header.viewport(), event)  # returns once the menu closed
        assert opened
        return {a.text(): a for a in opened[0].actions()}

    def same_tables() -> None:
        assert table.visible_columns() == window.table_view.visible_columns()
        rows = range(0, ROWS, 37)
        assert cells(qtbot, table, rows) == cells(qtbot, window.table_view, rows)

    actions = right_click("title")
    assert {"Move “Title” Left", "Move “Title” Right", "Notes", "Reset Columns"} <= set(actions)
    assert actions["Actor 2"].isChecked() and not actions["Notes"].isChecked()
    memory = {a.text(): a for a in window.table_view.column_menu("title").actions()}
    for name in ("Actor 2", "Notes", "Move “Title” Right"):  # hide, show, move
        actions[name].trigger()
        memory[name].trigger()
    assert "actor2" not in table.visible_columns() and table.visible_columns()[-1] == "notes"
    assert table.visible_columns().index("title") == 3
    same_tables()
    right_click("notes")["Reset Columns"].trigger()
    window.table_view.reset_columns()
    assert table.visible_columns()[:3] == ["start", "category", "title"]
    same_tables()


def test_a_resized_column_keeps_its_width_in_the_state(qtbot, make_window, parquet):
    """A column dragged wider on the DuckDB table is kept as the memory table keeps it
    (the state's widths: undo, workspaces, the next table), and a width the state gets
    (a workspace, an undo) is shown."""
    _window, duck = open_duckdb(qtbot, make_window, parquet)
    table = duck.sources.table
    header = table.horizontalHeader()
    section = table.visible_columns().index("title")
    header.resizeSection(section, header.sectionSize(section) + 77)  # as a drag does
    wanted = header.sectionSize(section)
    assert duck.state.views.table.widths["title"] == wanted
    duck.state.set_column_width("title", 140)
    assert header.sectionSize(section) == 140


def test_pages_read_the_shown_columns_and_a_column_shown_later_has_its_values(
    qtbot, make_window, parquet
):
    """The DuckDB table's pages read only the columns it shows (and the dates'
    precision): the notes, the widest, stay unread while hidden. Shown later (the
    columns menu), a column's cells are the memory table's, in the pages read before too."""
    from timeline_app.model.source import KEY_COLUMN

    window, duck = open_duckdb(qtbot, make_window, parquet)
    table = duck.sources.table
    rows = range(0, ROWS, 7)
    assert cells(qtbot, table, rows) == cells(qtbot, window.table_view, rows)
    shown = set(table.visible_columns())
    assert "notes" not in shown
    read = table.table_model.page_of(0, fetch=False).read
    assert read == (shown | {"date_precision", KEY_COLUMN}) - {"Likely same"}
    for w in (window, duck):
        w.state.set_table_columns([*w.state.views.table.columns, "notes", "id", "end"])
    assert table.visible_columns()[-3:] == ["notes", "id", "end"]
    assert cells(qtbot, table, rows) == cells(qtbot, window.table_view, rows)
    assert {"notes", "id", "end"} <= table.table_model.page_of(0, fetch=False).read
