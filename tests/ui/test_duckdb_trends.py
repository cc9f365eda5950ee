"""The Trends dock on a DuckDB dataset, used as a user would: the same chart (series,
periods, summary) as the memory engine's window for the same file, following the
filter and the dock's own choices (unit, measure, lanes)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.storage.engine_fixtures import events_frame
from tests.ui.test_duckdb_window import open_duckdb
from tests.ui.test_trends_gui import show_trends
from timeline_app.formats.registry import load
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.storage.convert import convert

ROWS = 450


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The engines' fixture, with a few withdrawals: the chart's milestones."""
    folder = tmp_path_factory.mktemp("ducktrends")
    frame = events_frame(ROWS)
    frame.loc[frame.index[::37], "category"] = "withdrawal"
    csv_path = folder / "events.csv"
    frame.to_csv(csv_path, index=False)
    convert([load(csv_path, use_cache=False)], folder / "events.parquet")
    return folder / "events.parquet"


def drawn(window) -> tuple:
    """What the chart draws: its series' fields, its milestones and bands, the summary."""
    series, _layout, milestones, bands = window.trends.chart._last
    values = []
    for f in fields(series):
        value = getattr(series, f.name)
        values.append(value.tolist() if isinstance(value, np.ndarray) else value)
    return values, milestones, bands, window.trends.summary.text()


def same_chart(qtbot, window, duck) -> tuple:
    qtbot.waitUntil(lambda: not window.trends.jobs.busy(), timeout=10_000)
    qtbot.waitUntil(
        lambda: not duck.sources.trends.counting() and duck.trends.series is not None,
        timeout=20_000,
    )
    expected = drawn(window)
    assert drawn(duck) == expected
    return expected


def test_the_chart_is_the_memory_engines(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    for w in (window, duck):
        show_trends(w, qtbot)
    values, milestones, bands, summary = same_chart(qtbot, window, duck)
    assert milestones and bands and f"{ROWS} events" in summary


def test_the_chart_follows_the_dock_and_the_filter(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    for w in (window, duck):
        show_trends(w, qtbot)
    same_chart(qtbot, window, duck)
    steps = [
        lambda w: w.trends.unit_box.setCurrentIndex(w.trends.unit_box.findData("month")),
        lambda w: w.trends.measure_box.setCurrentIndex(w.trends.measure_box.findData("fatalities")),
        lambda w: setattr(w.state.views.timeline, "lane_grouping", "event_type"),
        lambda w: w.state.set_filter(FilterSpec(regions=("Mali",), text="attack")),
        lambda w: setattr(w.state.views.timeline, "lane_grouping", "admin1"),
        lambda w: w.trends.unit_box.setCurrentIndex(w.trends.unit_box.findData("year")),
        lambda w: w.state.set_filter(FilterSpec(date_from=pd.Timestamp("2016-01-01").date())),
        lambda w: setattr(w.state.views.timeline, "lane_grouping", "dataset"),
        lambda w: setattr(w.state.views.timeline, "lane_grouping", "actor"),
        lambda w: w.state.set_filter(FilterSpec(actors=("FAMa",), include_uncertain_actors=True)),
    ]
    for step in steps:
        for w in (window, duck):
            step(w)
        same_chart(qtbot, window, duck)
    series = duck.trends.series
    assert series.unit == "year" and series.measure == "fatalities" and series.grouping == "actor"
    assert "each of its actors" in duck.trends.summary.text()


def test_a_sort_counts_nothing_again(qtbot, make_window, parquet):
    window, duck = open_duckdb(qtbot, make_window, parquet)
    show_trends(duck, qtbot)
    show_trends(window, qtbot)
    same_chart(qtbot, window, duck)
    shown = duck.trends.series
    duck.state.source_view.set_sort([("fatalities", False)])
    same_chart(qtbot, window, duck)
    assert duck.trends.series is shown
    # (Tools > Compare Before and After… counts in SQL too: tests/ui/test_duckdb_compare.py)
