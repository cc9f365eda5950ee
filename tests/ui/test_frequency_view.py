"""The Frequencies dock: room for its rows and columns, and counts per period."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.model.filters import FilterSpec


def fully_shown_rows(view) -> int:
    table, model = view.table, view.model
    port = table.viewport().rect()
    return sum(port.contains(table.visualRect(model.index(r, 0))) for r in range(model.rowCount()))


def cut_cells(view) -> list[str]:
    """Number cells and headers whose text does not fit their column."""
    table, model = view.table, view.model
    metrics, header = table.fontMetrics(), table.horizontalHeader()
    cut = []
    for column in range(1, model.columnCount()):
        width = table.columnWidth(column)
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        if header.fontMetrics().horizontalAdvance(title) > width - 4:
            cut.append(title)
        for row in range(model.rowCount()):
            text = str(model.index(row, column).data())
            if metrics.horizontalAdvance(text) > width - 4:
                cut.append(text)
    return cut


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)])
def test_the_dock_shows_every_actor_and_whole_numbers(make_window, size):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=size)
    window.show_frequencies()
    view = window.frequency_view
    view.set_dimension("actor")
    view.refresh()
    assert view.model.rowCount() == 8
    assert fully_shown_rows(view) == 8  # it showed three
    assert cut_cells(view) == []
    assert view.table.columnWidth(0) >= 120  # names are not squeezed to "…"


def test_a_small_window_scrolls_sideways_rather_than_squeeze_the_names(make_window):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=(1024, 640))
    window.show_frequencies()
    view = window.frequency_view
    view.refresh()
    assert fully_shown_rows(view) >= 5
    assert view.table.columnWidth(0) >= 120 and cut_cells(view) == []


def test_per_week_rows_run_in_time_order_and_a_double_click_filters_that_week(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    window.show_frequencies()
    view = window.frequency_view
    view.set_dimension("week")
    view.refresh()
    model = view.model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Week of"
    labels = [model.value_at(r) for r in range(model.rowCount())]
    assert labels[0] == "15 Aug 2022"  # the Monday of the first event's week
    starts = pd.to_datetime(labels, format="%d %b %Y")
    assert (np.diff(starts.to_numpy()) == np.timedelta64(7, "D")).all()  # quiet weeks too
    events = [int(model.index(r, 1).data().replace(",", "")) for r in range(model.rowCount())]
    assert sum(events) == len(window.state.table)
    row = labels.index("4 Sep 2023")  # the week of the attacks of 7-8 September
    view.table.scrollTo(model.index(row, 0))
    rect = view.table.visualRect(model.index(row, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    spec = window.state.spec
    assert (spec.date_from, spec.date_to) == (
        pd.Timestamp("2023-09-04"),
        pd.Timestamp("2023-09-10"),
    )
    # The week's events, and periods running through it.
    assert len(window.state.visible) >= events[row] > 0


def test_per_month_of_a_big_table_is_counted_in_a_thread(make_window, qtbot, monkeypatch):
    from timeline_app.ui import frequency_view

    monkeypatch.setattr(frequency_view, "THREAD_ROWS", 0)
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    window.show_frequencies()
    view = window.frequency_view
    view.set_dimension("month")
    qtbot.waitUntil(lambda: view.model.period == "month", timeout=5000)
    window.state.set_filter(FilterSpec(categories=("withdrawal",)))
    qtbot.waitUntil(
        lambda: (
            view.model.rowCount() > 0
            and sum(int(view.model.index(r, 1).data()) for r in range(view.model.rowCount())) == 9
        ),
        timeout=5000,
    )
    view.wait()
    assert view.model.value_at(0) == "Aug 2022"
