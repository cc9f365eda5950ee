"""The event table: sorting by header clicks, columns, dates at their precision, copy."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.model.filters import FilterSpec
from timeline_app.model.state import AppState
from timeline_app.model.text import fold
from timeline_app.ui.table_view import EventTableView


def texts(view, column: str) -> list[str]:
    model = view.model()
    section = model.section_of(column)
    return [model.index(r, section).data() for r in range(model.rowCount())]


def click_header(qtbot, view, column: str, shift: bool = False) -> None:
    header = view.horizontalHeader()
    section = view.model().section_of(column)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    pos = header.rect().center()
    pos.setX(x)
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, modifier, pos)


def click_row(qtbot, view, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_click_a_header_to_sort_unknown_fatalities_stay_last(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    view = window.table_view
    click_header(qtbot, view, "fatalities")
    assert window.state.sort_keys == [("fatalities", True)]
    shown = texts(view, "fatalities")
    numbers = [int(t.replace(",", "")) for t in shown if t != "–"]
    assert numbers == sorted(numbers) and len(numbers) == 60
    assert shown[60:] == ["–"] * 18  # unknown, never 0, and last
    click_header(qtbot, view, "fatalities")  # again: descending, unknown still last
    assert window.state.sort_keys == [("fatalities", False)]
    shown = texts(view, "fatalities")
    numbers = [int(t.replace(",", "")) for t in shown if t != "–"]
    assert numbers == sorted(numbers, reverse=True) and shown[60:] == ["–"] * 18
    header = view.horizontalHeader()
    assert header.isSortIndicatorShown()
    assert header.sortIndicatorSection() == view.model().section_of("fatalities")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_shift_click_adds_a_secondary_key(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    view = window.table_view
    click_header(qtbot, view, "admin1")
    click_header(qtbot, view, "start", shift=True)
    click_header(qtbot, view, "start", shift=True)  # shift-click again: reverse that key
    assert window.state.sort_keys == [("admin1", True), ("start", False)]
    df = window.state.table.df.iloc[window.state.visible]
    regions = df["admin1"].astype("string").fillna("").tolist()
    known = [r for r in regions if r]
    assert known == sorted(known, key=fold)  # "Ménaka" sorts as "Menaka"
    assert regions[len(known) :] == [""] * (len(regions) - len(known))  # unknown last
    for _, group in df.groupby(df["admin1"].astype("string").fillna("")):
        assert group["start"].is_monotonic_decreasing
    model = view.model()
    assert model.sort_mark(model.section_of("start")) == "▼2"
    assert model.sort_mark(model.section_of("admin1")) == "▲1"
    assert model.headerData(model.section_of("start"), Qt.Orientation.Horizontal) == "Date"
    view.horizontalHeader().viewport().repaint()  # the marks are drawn without error
    # a plain click replaces both keys
    click_header(qtbot, view, "category")
    assert window.state.sort_keys == [("category", True)]


def test_a_sort_is_stable(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    click_header(qtbot, view, "start")
    click_header(qtbot, view, "category")
    visible = window.state.visible
    cats = window.state.table.df["category"].astype(str).to_numpy()[visible]
    for cat in set(cats):
        rows = visible[cats == cat]
        assert list(rows) == sorted(rows)  # equal values keep the file's order


def test_sorting_by_title_runs_in_a_worker(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    view = window.table_view
    window.state.set_filter(FilterSpec(datasets=("mali_2023_context",)))
    with qtbot.waitSignal(view.sort_worker.busy, timeout=2000):
        click_header(qtbot, view, "title")
    qtbot.waitUntil(lambda: window.state.sort_keys == [("title", True)], timeout=10_000)
    titles = texts(view, "title")
    assert titles == sorted(titles, key=str.casefold) and len(titles) == 18
    assert not view.busy_label.isVisible()


def test_a_worker_result_for_old_rows_is_not_shown_for_new_ones(qtbot):
    from tests.ui.test_filter_panel import CONTEXT_CSV as path
    from timeline_app.formats.registry import load

    state = AppState()
    state.add_dataset(load(path))
    host = QWidget()
    qtbot.addWidget(host)
    view = EventTableView(state, host)
    view.sort_worker.sort([("title", False)])
    state.set_filter(FilterSpec(categories=("attack",)))  # the rows change meanwhile
    qtbot.waitUntil(lambda: state.sort_keys == [("title", False)], timeout=10_000)
    titles = texts(view, "title")
    assert len(titles) == 5 and titles == sorted(titles, key=str.casefold, reverse=True)


def test_dates_show_their_precision_and_numbers_align_right(make_window):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    model = view.model()
    by_title = dict(zip(texts(view, "title"), texts(view, "start"), strict=True))
    assert by_title["MINUSMA leaves its camp at Ogossagou"] == "Aug 2023"  # month precision
    assert by_title["Attack on Gao airport"] == "8 Sep 2023"
    assert by_title[
        "Army general staff says terrorist groups are in a state of 'feverishness'"
    ] == ("week of 1 Sep 2023")
    section = model.section_of("fatalities")
    alignment = model.index(0, section).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & int(Qt.AlignmentFlag.AlignRight)
    assert set(texts(view, "fatalities")) == {"–"}  # the sample knows no per-event toll


def test_copy_selected_rows_as_tsv_with_a_header(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    window.state.set_filter(FilterSpec(regions=("Gao",)))  # in date order by default
    click_row(qtbot, view, 0)
    click_row(qtbot, view, 2, Qt.KeyboardModifier.ShiftModifier)
    view.setFocus()
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t") == [
        "Date", "Category", "Title", "Actor 1", "Actor 2", "Region", "Location", "Fatalities",
        "Dataset",
    ]  # fmt: skip
    assert len(lines) == 4
    first = lines[1].split("\t")
    assert first[0] == "2022-08-15" and first[2].startswith("Last soldiers of France")
    assert first[7] == ""  # unknown fatalities: an empty cell, not 0
    assert lines[2].split("\t")[2] == "Attack on the Bamba military camp"


def test_copy_uses_the_shown_columns_in_their_order(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    view.set_visible_columns(["title", "start", "date_precision"])
    window.state.set_filter(FilterSpec(text="ogossagou"))
    view.selectAll()
    assert view.selection_tsv() == (
        "Title\tDate\tDate precision\nMINUSMA leaves its camp at Ogossagou\t2023-08\tmonth\n"
    )
    window.actions_by_id["edit.copy_rows"].trigger()
    assert QGuiApplication.clipboard().text().startswith("Title\tDate")


def test_keyboard_moves_the_current_event(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    click_header(qtbot, view, "start")
    click_row(qtbot, view, 0)
    assert window.state.current == window.state.visible[0]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.state.current == window.state.visible[1]
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(window.state.selection) == 2
    assert window.state.current == window.state.visible[2]  # the focus moved with the key
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert window.state.current == window.state.visible[view.currentIndex().row()]
    assert view.currentIndex().row() > 2 and len(window.state.selection) == 1


def test_columns_can_be_hidden_shown_and_moved_and_the_layout_persists(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    menu = view.column_menu()
    actions = {a.text(): a for a in menu.actions()}
    actions["Actor 2"].trigger()  # hide
    actions["Notes"].trigger()  # show
    assert "actor2" not in view.visible_columns() and view.visible_columns()[-1] == "notes"
    header = view.horizontalHeader()
    header.moveSection(header.visualIndex(view.model().section_of("title")), 0)  # drag
    qtbot.waitUntil(lambda: view.visible_columns()[0] == "title", timeout=2000)
    assert view.model().columns[0][0] == "title"  # the model has the new order
    assert header.logicalIndex(0) == 0
    menu = view.column_menu("title")  # the header's menu, opened on the Title column
    next(a for a in menu.actions() if a.text() == "Move “Title” Right").trigger()
    assert view.visible_columns()[:2] == ["start", "title"]
    saved = QSettings("timeline-app", "timeline-app").value("eventTable/columns")
    assert list(saved) == view.visible_columns()
    # a new table (next start of the app) comes back with the same layout
    other = EventTableView(window.state)
    qtbot.addWidget(other)
    assert other.visible_columns() == view.visible_columns()
    menu = view.column_menu()
    next(a for a in menu.actions() if a.text() == "Reset Columns").trigger()
    assert view.visible_columns()[:3] == ["start", "category", "title"]


def test_the_shared_selection_shows_in_the_table_after_a_sort(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    rows = [window.state.table.row_of_id("mali_2023_context", i) for i in ("ctx-02", "ctx-03")]
    window.state.select(rows)
    click_header(qtbot, view, "title")  # a worker sort, then the table is rebuilt
    qtbot.waitUntil(lambda: window.state.sort_keys == [("title", True)], timeout=10_000)
    shown = {view.model().event_row(r) for r in view.selected_view_rows()}
    assert shown == set(rows)
    view.selectAll()
    assert len(window.state.selection) == 18
    window.state.set_sort([("start", False)])
    assert len(view.selected_view_rows()) == 18


def test_copying_more_rows_than_the_limit_copies_the_first_and_says_so(
    make_window, qtbot, monkeypatch
):
    from timeline_app.ui import table_view

    monkeypatch.setattr(table_view, "COPY_LIMIT", 5)
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    view.selectAll()
    assert view.copy_selection() == 5
    assert len(QGuiApplication.clipboard().text().splitlines()) == 1 + 5
    assert "first 5 of 18 rows" in view.busy_label.text() and view.busy_label.isVisible()


def test_the_sort_worker_orders_the_shown_rows_too(qtbot, monkeypatch):
    """The filter unchanged, the worker's rows are shown as they are: the UI thread does
    no pass over the table's rows when the sort ends (a gather of 1M rows stalled it)."""
    import threading

    import numpy as np

    from timeline_app.formats.registry import load
    from timeline_app.model.sorting import Sorter

    state = AppState()
    state.add_dataset(load(UCDP_SAMPLE))
    state.set_filter(FilterSpec(text="gao"))
    host = QWidget()
    qtbot.addWidget(host)
    view = EventTableView(state, host)
    on_ui: list[bool] = []
    real = Sorter.order_mask

    def order_mask(self, mask, keys):
        on_ui.append(threading.current_thread() is threading.main_thread())
        return real(self, mask, keys)

    monkeypatch.setattr(Sorter, "order_mask", order_mask)
    view.sort_worker.sort([("notes", False), ("start", True)])
    qtbot.waitUntil(lambda: state.sort_keys == [("notes", False), ("start", True)], timeout=10_000)
    assert on_ui == [False]
    rows = np.flatnonzero(state.mask)
    expected = Sorter(state.table).order(rows, [("notes", False), ("start", True)])
    assert 1 < len(state.visible) < len(state.table)
    assert np.array_equal(state.visible, expected)
    assert view.model().rowCount() == len(expected)
