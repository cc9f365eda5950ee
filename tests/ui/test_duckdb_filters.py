"""The Filters dock on a DuckDB dataset, used as a user would: the same lists, values
and counts (under the other filters) as the memory engine's window for the same file,
and a tick filters the table and the count line as in memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.storage.engine_fixtures import write_fixture
from tests.ui.test_duckdb_window import cells, open_duckdb
from tests.ui.test_filter_panel import click_facet, click_region
from timeline_app.model.filter_spec import FilterSpec

ROWS = 450


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("duckfilters"), rows=ROWS)[1]


def shown(model, parent: QModelIndex | None = None, depth: int = 0) -> list[tuple[int, str]]:
    """Every entry of a list or tree as the dock shows it (its name and count)."""
    parent = parent or QModelIndex()
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append((depth, str(index.data(Qt.ItemDataRole.DisplayRole))))
        out += shown(model, index, depth + 1)
    return out


def lists(window) -> dict[str, list[tuple[int, str]]]:
    panel = window.filter_panel
    views = {
        "actors": panel.actors.view,
        "regions": panel.regions.view,
        **{
            name: getattr(panel, name).view
            for name in ("categories", "event_types", "sub_event_types", "datasets")
        },
    }
    return {name: shown(view.model()) for name, view in views.items()}


def settled(qtbot, window, duck) -> None:
    qtbot.waitUntil(window.filter_panel.counts_settled, timeout=10_000)
    view = duck.state.source_view
    qtbot.waitUntil(
        lambda: duck.sources.facets.counts_settled() and view.count >= 0, timeout=20_000
    )


def test_the_lists_show_the_memory_engines_values_and_counts(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    settled(qtbot, window, duck)
    expected = lists(window)
    assert len(expected["actors"]) > 10 and expected["regions"] and expected["categories"]
    assert lists(duck) == expected
    assert duck.filter_panel.count_label.text() == f"{ROWS} of {ROWS} events"


def test_ticking_values_filters_both_engines_alike(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    settled(qtbot, window, duck)
    steps = [
        lambda w: click_facet(qtbot, w.filter_panel.actors, "JNIM"),
        lambda w: click_region(qtbot, w.filter_panel, "Mali"),
        lambda w: click_facet(qtbot, w.filter_panel.event_types, "Battles"),
        lambda w: click_facet(qtbot, w.filter_panel.categories, "attack"),
    ]
    for step in steps:
        for w in (window, duck):
            step(w)
        assert duck.state.spec == window.state.spec
        settled(qtbot, window, duck)
        shown_rows = len(window.state.visible)
        assert duck.state.source_view.count == shown_rows
        assert duck.filter_panel.count_label.text() == f"{shown_rows} of {ROWS} events"
        assert window.filter_panel.count_label.text() == f"{shown_rows} of {ROWS} events"
        assert lists(duck) == lists(window)  # counts under the other filters, as in memory
    rows = range(duck.state.source_view.count)
    assert 0 < len(rows) < ROWS
    assert cells(qtbot, duck.sources.table, rows) == cells(qtbot, window.table_view, rows)


def test_once_prepared_the_lists_count_from_the_cube_as_in_memory(qtbot, make_window, parquet):
    """After the first lists a worker makes the cube (storage/duck/facet_cube.py); the
    counts of a filter of lists then come from it, and still equal memory's; a date
    filter scans the events, equal too."""
    window, duck = open_duckdb(qtbot, make_window, parquet)
    settled(qtbot, window, duck)
    facets = duck.sources.facets
    qtbot.waitUntil(
        lambda: facets._prepared is not None and not facets.prepare_jobs.busy(), timeout=20_000
    )
    counter = duck.state.source_view.source._facets
    assert counter.has_cube()
    steps = [
        (lambda w: click_region(qtbot, w.filter_panel, "Mali"), "cube"),
        (lambda w: click_facet(qtbot, w.filter_panel.actors, "FAMa"), "cube"),
        (lambda w: click_facet(qtbot, w.filter_panel.categories, "attack"), "cube"),
        (lambda w: w.filter_panel.fat_min.setValue(4), "scan"),
    ]
    for step, path in steps:
        for w in (window, duck):
            step(w)
        settled(qtbot, window, duck)
        assert duck.state.spec == window.state.spec
        assert counter.last_path == path
        assert duck.state.source_view.count == len(window.state.visible)
        assert lists(duck) == lists(window)


def test_an_exact_spelling_and_the_dictionary_scoped_names(qtbot, make_window, parquet):
    """A raw spelling under a canonical actor ("=NAME", that spelling only) and an
    actor the dictionary scopes to a country and dates."""
    window, duck = open_duckdb(qtbot, make_window, parquet)
    settled(qtbot, window, duck)
    for name in ("jnim", "FAMa"):
        for w in (window, duck):
            click_facet(qtbot, w.filter_panel.actors, name)
        settled(qtbot, window, duck)
        assert duck.state.spec == window.state.spec
        assert duck.state.source_view.count == len(window.state.visible)
        assert lists(duck) == lists(window)


def test_closing_the_dataset_empties_the_lists(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    settled(qtbot, window, duck)
    duck.close_all_files()
    assert duck.filter_panel.engine_counts is None
    qtbot.waitUntil(lambda: not lists(duck)["actors"] and not lists(duck)["regions"])
    assert duck.filter_panel.count_label.text() == "0 of 0 events"


def test_a_new_actor_dictionary_applies_to_the_same_filter(qtbot, make_window, parquet):
    """Saving the dictionary applies the filter again (state.refilter): the DuckDB
    table's count, the lists and the trends follow, as in memory."""
    from timeline_app.model.actor_store import activate_user_entries
    from timeline_app.model.actors import Entry

    window, duck = open_duckdb(qtbot, make_window, parquet)
    spec = FilterSpec(actors=("Helmets2",))
    for w in (window, duck):
        w.state.set_filter(spec)
    settled(qtbot, window, duck)
    assert duck.state.source_view.count == len(window.state.visible) == 0
    try:
        row = {"raw_name": "Blue Helmets", "canonical": "Helmets Two", "short_name": "Helmets2"}
        activate_user_entries([Entry.from_row(row)])
        for w in (window, duck):
            w.state.refilter()
        settled(qtbot, window, duck)
        assert duck.state.source_view.count == len(window.state.visible) > 0
        assert lists(duck) == lists(window)
        assert any("Helmets2" in text for _depth, text in lists(duck)["actors"])
        rows = range(duck.state.source_view.count)
        assert cells(qtbot, duck.sources.table, rows) == cells(qtbot, window.table_view, rows)
    finally:
        activate_user_entries([])
