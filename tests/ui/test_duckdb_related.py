"""The detail pane on the DuckDB engine shows an event as the memory engine does: its
related events (the same actor within ±7 days, or within 25 km within ±3 days), those the
filter hides counted, each a link that selects it; Copy gives the same text."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from tests.conftest import UCDP_SAMPLE
from tests.ui.test_duckdb_selection import click_row
from tests.ui.test_duckdb_window import cells, open_duckdb
from timeline_app.cli import main
from timeline_app.model.filters import FilterSpec


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("duckrelated") / "ucdp.parquet"
    assert main(["convert", str(UCDP_SAMPLE), "-o", str(out)]) == 0  # with its licence
    return out


def related_part(window) -> str:
    """The pane's text from "Related events" to the original columns."""
    text = window.detail.text()
    start = text.find("Related events")
    return "" if start < 0 else text[start : text.index("Original columns", start)]


def links(window) -> list[str]:
    return re.findall(r"href=[\"']([^\"']+)", window.detail.html())


def show_row_of(qtbot, window, duck, event_id: str) -> None:
    ids = window.state.table.df["id"].astype(str).to_numpy()[window.state.visible]
    row = int(np.flatnonzero(ids == event_id)[0])
    cells(qtbot, duck.sources.table, range(row + 1))
    for table in (window.table_view, duck.sources.table):
        click_row(qtbot, table, row)


def test_the_related_events_are_the_memory_windows(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    for event_id in ("482770", "482947"):
        show_row_of(qtbot, window, duck, event_id)
        expected = related_part(window)
        assert "same actor: Government of Mali" in expected
        qtbot.waitUntil(lambda e=expected: related_part(duck) == e, timeout=10_000)
    # a related event's link selects it, and the pane shows it, as in memory
    memory_link = next(u for u in links(window) if u.startswith("event:"))
    duck_link = next(u for u in links(duck) if u.startswith("key:"))
    for w, url in ((window, memory_link), (duck, duck_link)):
        w.detail.browser.anchorClicked.emit(QUrl(url))
    first_line = window.detail.text().splitlines()[0]
    qtbot.waitUntil(lambda: duck.detail.text().splitlines()[0] == first_line, timeout=10_000)
    view = duck.state.source_view
    assert view.current_key == int(duck_link.split(":")[1])
    assert list(view.selection) == [view.current_key]
    qtbot.waitUntil(lambda: related_part(duck) == related_part(window), timeout=10_000)


def test_those_the_filter_hides_are_counted_as_in_memory(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    show_row_of(qtbot, window, duck, "482770")
    # Only events with at least 20 deaths: the event stays, some of its related go.
    spec = FilterSpec(fatalities_min=13.0)
    for w in (window, duck):
        w.state.set_filter(spec)
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
    show_row_of(qtbot, window, duck, "482947")
    expected = related_part(window)
    assert "more hidden by the filters" in expected, window.detail.text()
    qtbot.waitUntil(lambda: related_part(duck) == expected, timeout=10_000)


def test_copy_gives_the_memory_windows_text(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    show_row_of(qtbot, window, duck, "482947")
    first_line = window.detail.text().splitlines()[0]
    qtbot.waitUntil(lambda: duck.detail.text().splitlines()[0] == first_line, timeout=10_000)
    texts = []
    for w in (window, duck):
        assert w.detail.copy_button.isEnabled()
        w.detail.copy_button.click()
        texts.append(QApplication.clipboard().text())
    assert "Kouakourou village" in texts[0] and "CC BY 4.0" in texts[0]
    assert texts[1] == texts[0]


def test_the_event_shows_at_once_and_its_related_events_when_read(
    qtbot, make_window, parquet, monkeypatch
):
    # The related events take two more queries (up to a second on 10M events): the
    # event's fields must not wait for them.
    import threading

    from timeline_app.ui import source_controller

    release = threading.Event()
    real = source_controller.read_related

    def slow(*args):
        assert release.wait(20)
        return real(*args)

    monkeypatch.setattr(source_controller, "read_related", slow)
    window, duck = open_duckdb(qtbot, make_window, parquet)
    show_row_of(qtbot, window, duck, "482947")
    first_line = window.detail.text().splitlines()[0]
    qtbot.waitUntil(lambda: duck.detail.text().splitlines()[0] == first_line, timeout=10_000)
    assert "Related events looking for them…" in duck.detail.text()
    assert duck.detail.copy_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: related_part(duck) == related_part(window), timeout=10_000)


def test_a_new_filter_that_keeps_the_event_counts_its_hidden_related_events(
    qtbot, make_window, parquet
):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    show_row_of(qtbot, window, duck, "482947")
    qtbot.waitUntil(lambda: related_part(duck) == related_part(window), timeout=10_000)
    assert "hidden by the filters" not in related_part(duck)
    for w in (window, duck):
        w.state.set_filter(FilterSpec(fatalities_min=13.0))  # the event stays
    expected = related_part(window)
    assert "more hidden by the filters" in expected
    qtbot.waitUntil(lambda: related_part(duck) == expected, timeout=10_000)


def test_an_event_read_when_its_file_closes_is_not_shown(qtbot, make_window, parquet, monkeypatch):
    # The event's read has its answer on the way when the file is closed: the pane must
    # not show the closed file's event (nor look for its related events elsewhere).
    import threading

    from timeline_app.ui import source_controller

    read, release = threading.Event(), threading.Event()
    real = source_controller.read_with_pair

    def late(*args):
        found = real(*args)
        read.set()
        assert release.wait(20)
        return found

    monkeypatch.setattr(source_controller, "read_with_pair", late)
    window, duck = open_duckdb(qtbot, make_window, parquet)
    show_row_of(qtbot, window, duck, "482947")
    qtbot.waitUntil(read.is_set, timeout=10_000)
    duck.close_all_files()
    qtbot.waitUntil(lambda: duck.state.source_view.source is None, timeout=10_000)
    closed_text = duck.detail.text()
    assert "482947" not in closed_text
    release.set()
    qtbot.waitUntil(lambda: not duck.sources.reading_event(), timeout=10_000)
    qtbot.wait(50)  # let a queued answer arrive
    assert duck.detail.text() == closed_text


def test_a_busy_window_still_reads_the_event_and_its_nearest_events(
    qtbot, make_window, parquet, monkeypatch
):
    # Past WINDOW_ROWS events in a query's days (an actor with thousands a day), the rows
    # read are those that start nearest the event: by start from the window's first day,
    # they left out the event itself, and the pane said it had no related events.
    from timeline_app.ui import source_related

    monkeypatch.setattr(source_related, "WINDOW_ROWS", 3)
    window, duck = open_duckdb(qtbot, make_window, parquet)
    show_row_of(qtbot, window, duck, "504149")
    memory = related_part(window)
    assert "Related events (3)" in memory
    qtbot.waitUntil(lambda: "Related events (" in related_part(duck), timeout=10_000)
    shown = related_part(duck)
    assert "Related events (0)" not in shown
    titles = re.findall(r"^(.+) \(\d", shown, flags=re.M)
    assert titles and all(t in memory for t in titles), (shown, memory)


def test_looking_at_events_leaves_no_table_behind(qtbot, make_window, parquet):
    # The events 25 km around each event looked at are read in a box: a distance
    # filter would leave a table of its own in DuckDB per event (every event within
    # reach, all dates), kept as long as the file is open.
    window, duck = open_duckdb(qtbot, make_window, parquet)
    for event_id in ("482770", "482947", "504149"):
        show_row_of(qtbot, window, duck, event_id)
        expected = related_part(window)
        qtbot.waitUntil(lambda e=expected: related_part(duck) == e, timeout=10_000)
    engine = duck.state.source_view.source.duck
    tables = engine.query("SELECT table_name FROM duckdb_tables()").column(0).to_pylist()
    assert not [t for t in tables if t.startswith("spatial_")], tables
