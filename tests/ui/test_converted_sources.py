"""A file converted from several sources (``timeline-app convert A B -o both.parquet``)
opened in the window as a user opens it: on either engine it is its sources, one
dataset each, in the Datasets filter, the table and the exports' provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from tests.ui.test_duckdb_filters import shown
from tests.ui.test_duckdb_window import cells
from tests.ui.test_filter_panel import click_facet
from timeline_app.cli import main

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
