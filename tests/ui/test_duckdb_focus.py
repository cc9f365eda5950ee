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
    (the DuckDB pane has no related events: tests/ui/test_duckdb_window.py)."""
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
