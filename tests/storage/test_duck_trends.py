"""The Trends chart's counts from SQL equal the memory engine's for the same rows: every
grouping the DuckDB engine counts, every unit, both measures, a filter and a span."""

from __future__ import annotations

import numpy as np
import pytest

from tests.storage.engine_fixtures import write_fixture
from timeline_app.formats.registry import load
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.state import AppState
from timeline_app.model.trends import count_series
from timeline_app.storage.duck import DuckEngine, EngineError
from timeline_app.storage.duck.facets import FacetCounter
from timeline_app.storage.duck.trends import TrendCounter


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory):
    _csv, parquet = write_fixture(tmp_path_factory.mktemp("trends"))
    state = AppState()
    state.add_dataset(load(parquet, use_cache=False))
    engine = DuckEngine(parquet)
    yield state, TrendCounter(engine, FacetCounter(engine))
    engine.close()


SPECS = [
    FilterSpec(),
    FilterSpec(actors=("JNIM",), fatalities_min=1),
    FilterSpec(regions=("Mali",), text="a"),
]


@pytest.mark.parametrize("grouping", ["category", "event_type", "admin1", "dataset", "actor"])
@pytest.mark.parametrize("unit", ["auto", "day", "week", "month", "year"])
@pytest.mark.parametrize("measure", ["events", "fatalities"])
@pytest.mark.parametrize("spec", SPECS, ids=["all", "jnim-deadly", "mali-text"])
def test_sql_counts_are_the_memory_engines(engines, grouping, unit, measure, spec):
    state, counter = engines
    state.set_filter(spec)
    memory = count_series(state.table, state.mask, unit, grouping, measure)
    duck = counter.series(spec, unit, grouping, measure)
    assert duck.unit == memory.unit
    assert duck.labels == memory.labels
    assert np.array_equal(duck.edges, memory.edges)
    assert np.allclose(duck.values, memory.values)
    assert np.array_equal(duck.events, memory.events)
    assert np.array_equal(duck.unknown, memory.unknown)
    assert (duck.total_events, duck.undated) == (memory.total_events, memory.undated)
    assert memory.events.sum() > 0
    for once in ("once", "once_unknown"):  # grouped by actor: each event once per bin
        mine, theirs = getattr(duck, once), getattr(memory, once)
        assert (mine is None and theirs is None) or np.array_equal(mine, theirs)
    assert (memory.once is not None) == (grouping == "actor")


def test_a_span_shows_its_bins_and_empty_rows_count_nothing(engines):
    state, counter = engines
    span = (int(np.datetime64("2015-03-01", "ns").view(np.int64)),) * 2
    span = (span[0], int(np.datetime64("2016-02-29", "ns").view(np.int64)))
    state.set_filter(FilterSpec())
    memory = count_series(state.table, state.mask, "month", "category", "events", span)
    duck = counter.series(FilterSpec(), "month", "category", "events", span)
    assert np.array_equal(duck.edges, memory.edges) and len(duck.starts) == 12
    assert np.array_equal(duck.events, memory.events)
    nothing = counter.series(FilterSpec(text="no event says this"), "week")
    assert nothing.total_events == 0 and nothing.events.sum() == 0


def test_grouped_by_actor_needs_the_actor_names(engines):
    _state, counter = engines
    with pytest.raises(EngineError, match="actor names"):
        TrendCounter(counter.engine).series(FilterSpec(), "month", "actor")


def test_lanes_by_actor_with_few_actors_have_no_other(tmp_path):
    """Every event names a lane's actor: no "other" lane, in either engine."""
    from tests.storage.engine_fixtures import events_frame
    from timeline_app.storage.convert import convert

    frame = events_frame(60)
    frame["actor1"] = ["JNIM", "IS", "Blue Helmets"] * 20
    frame.to_csv(tmp_path / "few.csv", index=False)
    convert([load(tmp_path / "few.csv", use_cache=False)], tmp_path / "few.parquet")
    state = AppState()
    state.add_dataset(load(tmp_path / "few.parquet", use_cache=False))
    engine = DuckEngine(tmp_path / "few.parquet")
    try:
        duck = TrendCounter(engine, FacetCounter(engine)).series(FilterSpec(), "year", "actor")
        memory = count_series(state.table, state.mask, "year", "actor")
        assert duck.labels == memory.labels and "other" not in duck.labels
        assert np.array_equal(duck.events, memory.events)
    finally:
        engine.close()


def test_the_event_source_answers_the_trends_chart(engines):
    from timeline_app.storage.duck.event_source import DuckSource

    state, counter = engines
    source = DuckSource(counter.engine)
    state.set_filter(FilterSpec())
    memory = count_series(state.table, state.mask, "year", "dataset", "fatalities")
    duck = source.trend_series(FilterSpec(), "year", "dataset", "fatalities")
    assert duck.labels == memory.labels and np.allclose(duck.values, memory.values)
