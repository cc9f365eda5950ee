"""The detail pane and the linked selection, driven like a user: clicks, Ctrl/Shift,
arrow keys, Esc, links in the pane, the Copy button."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from tests.conftest import CONTEXT_CSV
from timeline_app.model.filters import FilterSpec

HEADER = (
    "id,start,end,date_precision,title,event_type,sub_event_type,actor1,actor2,assoc_actors,"
    "country,admin1,admin2,location,latitude,longitude,geo_precision,fatalities,"
    "fatalities_low,fatalities_high,source,notes,category\n"
)
ROWS = [
    "b-1,2023-09-07,,day,Attack near Bamako,Battles,Armed clash,JNIM,FAMa,Wagner;Dozo,"
    "Mali,Bamako,Bamako,Bamako,12.6392,-8.0029,1,65,60,70,Report A,"
    '"First line.\nSecond line, full.",attack\n',
    "b-2,2023-09-09,,day,Clash 12 km north,Battles,,Other group,,,"
    "Mali,Koulikoro,Kati,Kati,12.75,-8.0029,2,3,,,Report B,,attack\n",
    "b-3,2023-09-12,,day,JNIM statement,Statement,,JNIM,,,Mali,,,,,,,,,,Report C,,statement\n",
    "b-4,2023-10-30,,month,Far later,Battles,,JNIM,,,Mali,,,,,,,,,,Report D,,attack\n",
]


@pytest.fixture
def events_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bamako.csv"
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    path.with_name("bamako.meta.json").write_text(
        json.dumps({"licence": "CC0 test licence", "citation": "Made-up events for a test."})
    )
    return path


def view_row_of(window, event_id: str) -> int:
    state = window.state
    row = int(np.flatnonzero(state.table.df["id"].to_numpy() == event_id)[0])
    return int(np.flatnonzero(state.visible == row)[0])


def click_row(qtbot, window, event_id: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    view = window.table_view
    rect = view.visualRect(view.model().index(view_row_of(window, event_id), 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def selected_ids(window) -> list[str]:
    return sorted(str(v) for v in window.state.table.df["id"].to_numpy()[window.state.selection])


def table_selected_ids(window) -> list[str]:
    view = window.table_view
    rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
    return sorted(str(window.state.table.df["id"].iloc[int(window.state.visible[r])]) for r in rows)


def click_link(qtbot, pane, text: str) -> None:
    """Click the link whose text is ``text`` in the pane, where it is drawn."""
    browser = pane.browser
    document = browser.document()
    found = document.find(text)
    assert not found.isNull(), f"{text!r} not in the pane"
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionStart() + 1)
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    point = browser.cursorRect(cursor).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_every_field_is_formatted(make_window, qtbot, events_csv: Path):
    window = make_window(events_csv)
    click_row(qtbot, window, "b-1")
    text = window.detail.text()
    for expected in (
        "Attack near Bamako",
        "7 Sep 2023 (day precision)",
        "Battles / Armed clash",
        "JNIM vs FAMa",
        "Wagner, Dozo",
        "12.6392, -8.0029 (precision 1)",
        "65 (60–70)",
        "Report A",
        "First line.",
        "Second line, full.",
        "CC0 test licence",
        "Made-up events for a test.",
        "b-1",
    ):
        assert expected in text, expected
    # The place names "Bamako" once, though it is the town, cercle and region.
    assert "Bamako, Mali" in text and "Bamako, Bamako" not in text


def test_unknown_values_are_dashes_not_zero(make_window, qtbot, events_csv: Path):
    window = make_window(events_csv)
    click_row(qtbot, window, "b-3")
    text = window.detail.text()
    assert text.split("Coordinates", 1)[1].split()[0] == "–"
    assert text.split("Fatalities", 1)[1].split()[0] == "–"
    click_row(qtbot, window, "b-2")
    assert window.detail.text().split("Fatalities", 1)[1].split()[0] == "3"


def test_related_events_are_links_that_select(make_window, qtbot, events_csv: Path):
    window = make_window(events_csv)
    click_row(qtbot, window, "b-1")
    pane = window.detail
    ids = [str(window.state.table.df["id"].iloc[r]) for r in pane.related_rows()]
    # b-2: 12 km away 2 days later; b-3: same actor 5 days later; b-4: too late.
    assert ids == ["b-2", "b-3"]
    assert "12 km away" in pane.text() and "same actor: JNIM" in pane.text()
    click_link(qtbot, pane, "JNIM statement")
    assert selected_ids(window) == ["b-3"]
    assert table_selected_ids(window) == ["b-3"]
    assert pane.text().startswith("JNIM statement")


def test_related_events_hidden_by_the_filter_are_counted(make_window, qtbot, events_csv: Path):
    window = make_window(events_csv)
    click_row(qtbot, window, "b-1")
    window.state.set_filter(FilterSpec(categories=("attack",)))
    assert "1 more hidden by the filters" in window.detail.text()
    assert [str(window.state.table.df["id"].iloc[r]) for r in window.detail.related_rows()] == [
        "b-2"
    ]


def test_original_columns_fold_open(make_window, qtbot, events_csv: Path):
    window = make_window(events_csv)
    click_row(qtbot, window, "b-2")
    pane = window.detail
    assert "Original columns (23)" in pane.text()
    assert "Clash 12 km north" in pane.text()
    assert "fatalities_low" not in pane.text()  # folded
    click_link(qtbot, pane, "Original columns")
    assert "fatalities_low" in pane.text() and "geo_precision" in pane.text()
    click_link(qtbot, pane, "Original columns")
    assert "fatalities_low" not in pane.text()


def test_copy_gives_text_with_a_citation(make_window, qtbot, events_csv: Path):
    window = make_window(events_csv)
    click_row(qtbot, window, "b-1")
    QApplication.clipboard().clear()
    qtbot.mouseClick(window.detail.copy_button, Qt.MouseButton.LeftButton)
    text = QApplication.clipboard().text()
    lines = text.splitlines()
    assert lines[0] == "Attack near Bamako"
    assert "Fatalities: 65 (60–70)" in lines
    assert lines[-1].startswith("Cite: Dataset bamako, file bamako.csv, event b-1")
    assert "Made-up events for a test." in lines[-1]
    # Edit > Copy Event does the same.
    QApplication.clipboard().clear()
    window.actions_by_id["edit.copy_event"].trigger()
    assert QApplication.clipboard().text() == text


def test_ctrl_and_shift_multi_select_show_the_focused_event(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    click_row(qtbot, window, "ctx-09")
    click_row(qtbot, window, "ctx-12", Qt.KeyboardModifier.ControlModifier)
    assert selected_ids(window) == ["ctx-09", "ctx-12"]
    assert "2 events selected" in window.detail.selection_label.text()
    assert window.detail.text().startswith("Attack on Gao airport")  # the last clicked
    click_row(qtbot, window, "ctx-08")
    click_row(qtbot, window, "ctx-11", Qt.KeyboardModifier.ShiftModifier)
    assert selected_ids(window) == ["ctx-08", "ctx-09", "ctx-10", "ctx-11"]
    assert table_selected_ids(window) == selected_ids(window)
    assert window.state.table.df["id"].iloc[window.state.current] == "ctx-11"
    assert "4 events selected" in window.detail.selection_label.text()
    assert window.count_label.text() == "18 of 18 events, 4 selected"  # the status bar


def test_arrow_keys_move_the_focus_and_esc_clears(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts (Esc) go to the active window
    click_row(qtbot, window, "ctx-09")
    view = window.table_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert selected_ids(window) == ["ctx-10"]
    assert window.detail.text().startswith("Attack on the passenger boat")
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert selected_ids(window) == ["ctx-10", "ctx-11"]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert selected_ids(window) == []
    assert table_selected_ids(window) == []
    assert window.state.current == -1
    assert "Select an event" in window.detail.text()
    assert window.detail.selection_label.text() == "No event selected"
    assert window.count_label.text() == "18 of 18 events"
    assert not window.detail.copy_button.isEnabled()


def test_selection_survives_filters_for_events_still_shown(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    click_row(qtbot, window, "ctx-03")  # the blockade
    click_row(qtbot, window, "ctx-09", Qt.KeyboardModifier.ControlModifier)
    click_row(qtbot, window, "ctx-13", Qt.KeyboardModifier.ControlModifier)
    emitted = []
    window.state.selection_changed.connect(lambda rows: emitted.append(len(rows)))
    window.state.set_filter(FilterSpec(categories=("attack", "blockade")))
    assert selected_ids(window) == ["ctx-03", "ctx-09"]  # the mourning went out of view
    assert table_selected_ids(window) == ["ctx-03", "ctx-09"]
    assert emitted == [2]  # one change, no echo from the views
    assert "2 events selected" in window.detail.selection_label.text()
    window.state.set_filter(FilterSpec())
    assert selected_ids(window) == ["ctx-03", "ctx-09"]  # nothing comes back by itself
    assert table_selected_ids(window) == ["ctx-03", "ctx-09"]


def test_a_ucdp_event_with_its_range_place_and_neighbours(make_window, qtbot):
    from tests.conftest import UCDP_SAMPLE

    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    click_row(qtbot, window, "482947")
    text = window.detail.text()
    assert text.startswith("Kouakourou village: Government of Mali vs JNIM")
    assert "13 (13–43)" in text
    assert "14.2223, -4.4959" in text
    assert "Government of Mali vs JNIM" in text
    assert "Djenné" in text and "Mopti" in text
    assert "CC BY 4.0" in text and "Sundberg & Melander" in text
    click_row(qtbot, window, "482770")
    assert "same actor: Government of Mali; 9 km away" in window.detail.text()
    click_link(qtbot, window.detail, "Dani-Saré village")
    assert selected_ids(window) == ["482771"]


def test_one_click_is_one_selection_change_with_no_echo(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    selections, currents = [], []
    window.state.selection_changed.connect(lambda rows: selections.append(rows.tolist()))
    window.state.current_changed.connect(currents.append)
    click_row(qtbot, window, "ctx-10")
    row = window.state.table.row_of_id("mali_2023_context", "ctx-10")
    assert selections == [[row]] and currents == [row]
    click_link(qtbot, window.detail, "Attack on Gao airport")  # a related event
    gao = window.state.table.row_of_id("mali_2023_context", "ctx-12")
    assert selections == [[row], [gao]] and currents == [row, gao]
    assert table_selected_ids(window) == ["ctx-12"]


def test_a_list_of_sources_breaks_between_sources_not_inside_a_name(make_window, qtbot):
    # UCDP joins its sources with bare semicolons ("…Monitoring;The Guardian;CNN"): the
    # pane could only wrap such a run inside a word. They show as "…; The Guardian; CNN".
    from tests.conftest import UCDP_SAMPLE

    window = make_window(UCDP_SAMPLE)
    click_row(qtbot, window, "491761")
    text = window.detail.text()
    assert "The African Time Monitoring; The Guardian; CNN; BBC Monitoring Africa" in text
    assert ";The Guardian" not in text
