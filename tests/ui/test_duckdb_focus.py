"""The focused event on the DuckDB engine behaves as in memory: a filter that drops it
drops the focus (the details empty), one that keeps it keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.storage.engine_fixtures import write_fixture
from tests.ui.test_duckdb_window import cells, open_duckdb

ROWS = 450
TITLE = "Protest in Niamey"  # "junta" is in another title only; "Niamey" is in this one


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("duckfocus"), rows=ROWS)[1]


def click_row(qtbot, table, row: int) -> None:
    index = table.model().index(row, 0)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def first_line(pane) -> str:
    return pane.text().splitlines()[0]


def focus_a_protest(qtbot, window, duck) -> str:
    """Click the first "Protest in Niamey" row in both tables; its details' first line
    (its related events are compared in tests/ui/test_duckdb_related.py)."""
    titles = window.state.table.df["title"].to_numpy()[window.state.visible]
    row = next(i for i, t in enumerate(titles) if t == TITLE)
    cells(qtbot, duck.sources.table, range(row + 1))
    click_row(qtbot, window.table_view, row)
    click_row(qtbot, duck.sources.table, row)
    assert window.state.current == int(window.state.visible[row])
    expected = first_line(window.detail)
    assert TITLE in expected
    qtbot.waitUntil(lambda: first_line(duck.detail) == expected, timeout=10_000)
    return expected


def type_filter(qtbot, window, duck, text: str) -> None:
    for w in (window, duck):
        w.filter_panel.search.setFocus()
        qtbot.keyClicks(w.filter_panel.search, text)
    qtbot.waitUntil(lambda: len(window.state.visible) < ROWS, timeout=5000)
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)


def test_a_filter_that_drops_the_focused_event_drops_the_focus(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    focused = focus_a_protest(qtbot, window, duck)
    type_filter(qtbot, window, duck, "junta")
    assert window.state.current == -1 and first_line(window.detail) != focused  # memory drops it
    qtbot.waitUntil(lambda: duck.detail.text() == window.detail.text(), timeout=10_000)
    assert duck.state.source_view.current_key is None
    assert duck.detail.selection_label.text() == window.detail.selection_label.text()


def test_a_filter_that_keeps_the_focused_event_keeps_it(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    focused = focus_a_protest(qtbot, window, duck)
    key = duck.state.source_view.current_key
    type_filter(qtbot, window, duck, "Niamey")
    qtbot.waitUntil(lambda: not duck.sources.checking_focus(), timeout=10_000)
    assert first_line(window.detail) == focused
    assert duck.state.source_view.current_key == key is not None
    assert first_line(duck.detail) == focused


def row_shown(table, row: int) -> bool:
    rect = table.visualRect(table.model().index(row, 0))
    shown = table.viewport().rect().intersects(rect)
    return shown and table.selectionModel().isRowSelected(row)  # highlighted


def test_an_event_focused_on_the_timeline_is_the_tables_current_row(qtbot, make_window, parquet):
    import numpy as np
    from PySide6.QtCore import QPoint, QPointF

    from tests.ui.test_duckdb_timeline import answered, duck_timeline
    from tests.ui.test_duckdb_window import click_header

    window, duck = open_duckdb(qtbot, make_window, parquet)
    for table in (window.table_view, duck.sources.table):  # ties and unknowns to order
        click_header(qtbot, table, "fatalities")  # ascending: the big mark's row far down
    widget = duck_timeline(duck)
    widget.plot.setFocus()
    for _ in range(12):  # zoom in with the keys until there are marks
        qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
        if len(widget.plot.layout().marks_x):
            break
        qtbot.keyClick(widget.plot, Qt.Key.Key_Plus)
    layout = widget.plot.layout()
    k = int(np.argmax(layout.marks_d))  # a big mark, easy to hit
    pos = widget.plot.mapFromScene(
        widget.plot.vb.mapToScene(QPointF(layout.marks_x[k], layout.marks_y[k]))
    )
    qtbot.mouseClick(
        widget.plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y())
    )
    event_id = str(widget.source.table.df["id"].iloc[int(layout.marks_row[k])])
    key = duck.state.source_view.current_key
    assert key is not None
    memory_row = window.state.table.row_of_id(window.state.table.datasets[0].name, event_id)
    window.state.select([memory_row])  # the memory timeline's click
    memory_table, table = window.table_view, duck.sources.table
    at = memory_table.table_model.view_row(memory_row)
    assert at > 40 and row_shown(memory_table, at)  # far down: the memory table scrolled
    qtbot.waitUntil(lambda: row_shown(table, at), timeout=10_000)
    qtbot.waitUntil(lambda: table.table_model.key_of(at) is not None, timeout=10_000)
    assert table.table_model.key_of(at) == key == duck.state.source_view.current_key
    assert table.currentIndex().row() == at  # the keys go on from there
    assert cells(qtbot, table, range(at, at + 1)) == cells(qtbot, memory_table, range(at, at + 1))
