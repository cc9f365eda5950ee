"""A file converted from several sources (``timeline-app convert A B -o both.parquet``)
opened in the window as a user opens it: on either engine it is its sources, one
dataset each, in the Datasets filter, the table and the exports' provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from tests.ui.test_duckdb_filters import shown
from tests.ui.test_duckdb_window import cells, export_by_key
from tests.ui.test_filter_panel import click_facet
from timeline_app.cli import main
from timeline_app.model.provenance import read_provenance, sidecar_path

UCDP, CONTEXT = UCDP_SAMPLE.stem, CONTEXT_CSV.stem


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sources") / "both.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(out)]) == 0
    return out


def open_in_memory(qtbot, make_window, path: Path):
    """File > Open… of ``path`` into memory (its load and table made on the worker)."""
    window = make_window()
    window.close_all_files()
    with qtbot.waitSignal(window.state.table_changed, timeout=10_000):
        window.open_paths([path], "memory")
    qtbot.waitUntil(window.filter_panel.counts_settled, timeout=10_000)
    return window


def dataset_column(qtbot, window) -> list[str]:
    table = window.table_dock.widget()
    model = table.table_model
    column = next(i for i in range(model.columnCount()) if model.column_name(i) == "dataset")
    return [row[column] for row in cells(qtbot, table, range(model.rowCount()))]


def test_in_memory_the_file_opens_as_its_sources(qtbot, make_window, both):
    window = open_in_memory(qtbot, make_window, both)
    datasets = window.state.table.datasets
    assert [d.name for d in datasets] == [UCDP, CONTEXT]
    assert [len(d) for d in datasets] == [60, 18]
    assert all(d.path == both for d in datasets)
    assert "Sundberg" in datasets[0].citation and "Sundberg" not in datasets[1].citation
    assert datasets[0].source["format"] == "ucdp"
    assert datasets[0].source["path"] == str(UCDP_SAMPLE.resolve())
    listed = [text for _depth, text in shown(window.filter_panel.datasets.view.model())]
    assert any(t.startswith(UCDP) and "60" in t for t in listed)
    assert any(t.startswith(CONTEXT) and "18" in t for t in listed)
    click_facet(qtbot, window.filter_panel.datasets, CONTEXT)
    qtbot.waitUntil(lambda: len(window.state.visible) == 18, timeout=5000)
    assert window.filter_panel.count_label.text() == "18 of 78 events"
    assert set(dataset_column(qtbot, window)) == {CONTEXT}


def open_on_duckdb(qtbot, make_window, path: Path):
    duck = make_window()
    duck.close_all_files()
    duck.open_paths([path], "duckdb")
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.source is not None and view.count >= 0, timeout=10_000)
    settled(qtbot, duck)
    return duck


def settled(qtbot, duck) -> None:
    view = duck.state.source_view
    qtbot.waitUntil(duck.filter_panel.counts_settled, timeout=10_000)
    qtbot.waitUntil(
        lambda: duck.sources.facets.counts_settled() and view.count >= 0, timeout=20_000
    )


def datasets_listed(window) -> list[tuple[int, str]]:
    return shown(window.filter_panel.datasets.view.model())


def test_on_duckdb_the_file_opens_as_its_sources_as_in_memory(qtbot, make_window, both):
    memory = open_in_memory(qtbot, make_window, both)
    duck = open_on_duckdb(qtbot, make_window, both)
    assert duck.state.source_view.source.names == [UCDP, CONTEXT]
    assert [d.name for d in duck.state.source_view.source.datasets()] == [UCDP, CONTEXT]
    assert datasets_listed(duck) == datasets_listed(memory)
    assert len(datasets_listed(duck)) == 2
    rows = range(78)  # the same rows in the same order, source by source
    assert cells(qtbot, duck.sources.table, rows) == cells(qtbot, memory.table_view, rows)
    for w in (memory, duck):
        click_facet(qtbot, w.filter_panel.datasets, UCDP)
    settled(qtbot, duck)
    qtbot.waitUntil(lambda: len(memory.state.visible) == 60, timeout=5000)
    assert duck.state.source_view.count == 60
    assert duck.filter_panel.count_label.text() == "60 of 78 events"
    assert set(dataset_column(qtbot, duck)) == {UCDP}
    rows = range(60)
    assert cells(qtbot, duck.sources.table, rows) == cells(qtbot, memory.table_view, rows)


def test_beside_a_file_of_a_sources_name_the_names_are_made_unique_alike(
    qtbot, make_window, both, tmp_path
):
    """A source named as a file already open gets " (2)", on DuckDB as in memory."""
    single = tmp_path / f"{CONTEXT}.parquet"
    assert main(["convert", str(CONTEXT_CSV), "-o", str(single)]) == 0
    memory = make_window(single, both)
    names = [d.name for d in memory.state.table.datasets]
    assert names == [CONTEXT, UCDP, f"{CONTEXT} (2)"]
    duck = make_window()
    duck.close_all_files()
    duck.open_paths([single, both], "duckdb")
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.source is not None and view.count >= 0, timeout=10_000)
    assert view.source.names == names
    rows = range(96)
    assert cells(qtbot, duck.sources.table, rows) == cells(qtbot, memory.table_view, rows)


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_workspace_reopens_the_file_as_its_sources(
    qtbot, make_window, both, tmp_path, monkeypatch, engine
):
    from tests.ui.test_duckdb_workspace import empty_window, open_via_menu, save_via_menu

    if engine == "memory":
        window = open_in_memory(qtbot, make_window, both)
    else:
        window = open_on_duckdb(qtbot, make_window, both)
    click_facet(qtbot, window.filter_panel.datasets, CONTEXT)
    qtbot.waitUntil(lambda: window.state.spec.datasets == (CONTEXT,), timeout=5000)
    saved = save_via_menu(window, tmp_path / f"{engine}-view", monkeypatch)
    entry = json.loads(saved.read_text(encoding="utf-8"))["files"]
    assert entry == [{**entry[0], "sources": {UCDP: UCDP, CONTEXT: CONTEXT}}]
    fresh = empty_window(qtbot)
    open_via_menu(qtbot, fresh, saved, monkeypatch)
    if engine == "memory":
        assert [d.name for d in fresh.state.table.datasets] == [UCDP, CONTEXT]
        qtbot.waitUntil(lambda: len(fresh.state.visible) == 18, timeout=5000)
    else:
        settled(qtbot, fresh)
        assert fresh.state.source_view.source.names == [UCDP, CONTEXT]
        assert fresh.state.source_view.count == 18
    assert fresh.state.spec.datasets == (CONTEXT,)
    assert fresh.filter_panel.count_label.text() == "18 of 78 events"
    assert set(dataset_column(qtbot, fresh)) == {CONTEXT}
    if engine == "duckdb":  # File > Export… of the reopened workspace
        gui = tmp_path / "gui.csv"
        export_by_key(qtbot, monkeypatch, fresh, gui, Qt.Key.Key_E)
    fresh.close()
    # Its export on the command line: the workspace's sources, filter and provenance.
    out = tmp_path / f"{engine}.csv"
    assert main(["export", "--workspace", str(saved), "-o", str(out)]) == 0
    assert len(pd.read_csv(out)) == 18
    sources = read_provenance(sidecar_path(out))["sources"]
    assert [(s["dataset"], s["events"], s["rows_exported"]) for s in sources] == [
        (UCDP, 60, 0),
        (CONTEXT, 18, 18),
    ]
    assert [s["converted_from"]["format"] for s in sources] == ["ucdp", "native"]
    if engine == "duckdb":
        assert gui.read_bytes() == out.read_bytes()
        assert read_provenance(sidecar_path(gui))["sources"] == sources


def test_the_timelines_lanes_by_dataset_are_the_sources_on_both_engines(qtbot, make_window, both):
    from tests.ui.test_duckdb_timeline import answered, duck_timeline

    memory = open_in_memory(qtbot, make_window, both)
    duck = open_on_duckdb(qtbot, make_window, both)
    widget = duck_timeline(duck)
    for w in (memory.timeline, widget):
        w.grouping_box.setCurrentIndex(w.grouping_box.findData("dataset"))
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    mine = memory.timeline.source
    assert tuple(mine.lanes.labels) == (UCDP, CONTEXT)
    assert widget.source.lanes.labels == mine.lanes.labels
    assert widget.source.lane_counts() == mine.lane_counts()
