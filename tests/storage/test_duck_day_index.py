"""The timeline's day index (storage/duck/day_index.py) gives what the SQL gives: for
every filter it serves (lists, dates, tolls: the counts per lane and day come from it,
no event read), the same answers as the SQL's GROUP BY at views from the whole data
down to hours, and the memory engine's frames; every other filter, the lanes by actor,
a filter keeping too many events and a dictionary the index was not made for are
counted by SQL. Milestones, bands, periods and fractional tolls included."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from tests.storage.engine_fixtures import events_frame, write_fixture
from tests.storage.test_duck_engine import SPECS
from tests.storage.test_duck_timeline import (
    SCOPED,
    WIDTH,
    assert_same_frames,
    memory_index,
    views,
)
from timeline_app.formats.registry import load
from timeline_app.model.actor_store import activate_user_entries
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.state import AppState
from timeline_app.model.timeline.index import MILESTONE_CATEGORY
from timeline_app.model.timeline.remote import TimelineAsk
from timeline_app.storage.convert import convert
from timeline_app.storage.duck import DuckEngine, day_index
from timeline_app.storage.duck.facets import FacetCounter
from timeline_app.storage.duck.timeline import TimelineCounter
from timeline_app.storage.duck.trends import TrendCounter

#: The filters the index cannot answer (text, a box, a distance, an area).
NOT_SERVED = {
    "text accents",
    "text in a location",
    "text elsewhere",
    "text in a title",
    "bbox",
    "bbox across the antimeridian",
    "near",
    "within with a hole",
    "all at once",
    "text and lists",
}
MORE = {
    "lists": FilterSpec(actors=("JNIM",), regions=("Mali",), event_types=("Battles",)),
    "an exact spelling": FilterSpec(actors=("=jnim",)),
    "from a date (periods begun before)": FilterSpec(date_from=datetime(2017, 5, 3)),
    "lists, dates and tolls": FilterSpec(
        actors=("JNIM",),
        regions=("Mali", "Niger"),
        categories=("attack", "blockade", MILESTONE_CATEGORY),
        date_from=datetime(2015, 2, 1),
        date_to=datetime(2021, 7, 31),
        fatalities_max=40,
    ),
    "whitespace text": FilterSpec(regions=("Mali",), text="  "),
    "text and lists": FilterSpec(regions=("Mali",), text="a"),
}
ALL = {**SPECS, **MORE}
#: The other groupings the index counts, each for a few filters.
OTHER_GROUPINGS = [
    (grouping, name)
    for grouping in ("event_type", "admin1", "dataset")
    for name in ("none", "lists, dates and tolls", "region accents", "text accents")
]


@pytest.fixture(scope="module", params=["whole tolls", "fractional tolls"])
def counters(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """The memory state, a timeline counter with the day index and one without (SQL)."""
    folder = tmp_path_factory.mktemp("days")
    frame = events_frame(2500)
    frame.loc[::29, "category"] = MILESTONE_CATEGORY  # milestones (the fixture has none)
    if request.param == "fractional tolls":  # not held exactly by float32
        frame.loc[::7, "fatalities"] = 0.1
    frame.to_csv(folder / "events.csv", index=False)
    parquet = folder / "events.parquet"
    convert([load(folder / "events.csv", use_cache=False)], parquet)
    state = AppState()
    state.add_dataset(load(parquet, use_cache=False))
    engine = DuckEngine(parquet)
    facets = FacetCounter(engine)
    assert facets.prepare()
    index = facets.day_index()
    assert index is not None and index.end is not None  # periods: their ends are kept
    fractional = request.param == "fractional tolls"
    assert index.fatalities.dtype == (np.float64 if fractional else np.float32)
    indexed = TimelineCounter(engine, TrendCounter(engine, facets))
    by_sql = TimelineCounter(engine, TrendCounter(engine))
    yield state, indexed, by_sql
    engine.close()


def answers_agree(indexed: TimelineCounter, by_sql: TimelineCounter, spec, grouping, views):
    for x0, x1 in views:
        ask = TimelineAsk.for_view(spec, grouping, x0, x1, WIDTH, indexed.finest_unit())
        mine, theirs = indexed.answer(ask), by_sql.answer(ask)
        assert by_sql.last_path in ("sql", "")  # "": its day counts kept from before
        for name in ("events", "unknown", "in_view", "fetched", "totals"):
            assert np.array_equal(getattr(mine, name), getattr(theirs, name)), (name, x0, x1)
        np.testing.assert_allclose(mine.fatalities, theirs.fatalities)
        assert (mine.many_milestones, mine.many_bands) == (theirs.many_milestones, theirs.many_bands)  # fmt: skip
        assert sorted(mine.keys.tolist()) == sorted(theirs.keys.tolist())  # the marks' events


def same_counts(indexed: TimelineCounter, by_sql: TimelineCounter) -> None:
    """The day counts kept, field by field: per lane and day the events, tolls,
    milestones, bands and the earliest and latest start (what tells a view's edge
    bins apart)."""
    assert indexed._days is not None and by_sql._days is not None
    mine, theirs = indexed._days[1], by_sql._days[1]
    for name in ("starts", "events", "unknown", "milestones", "bands", "first", "last"):
        assert np.array_equal(getattr(mine, name), getattr(theirs, name)), name
    np.testing.assert_allclose(mine.fatalities, theirs.fatalities)


@pytest.mark.parametrize(
    ("grouping", "name"), [("category", name) for name in ALL] + OTHER_GROUPINGS
)
def test_the_index_answers_as_the_sql_does(counters, grouping, name):
    """Each filter at the whole data, a year, a week and a few hours: the index's
    answers are the SQL's, and it is the index that counted exactly the filters it
    serves (the others: SQL)."""
    state, indexed, by_sql = counters
    spec = ALL[name]
    state.set_filter(FilterSpec())
    every = views(memory_index(state, "category"))
    chosen = [every[0], every[1], every[10], every[13]]
    indexed._days = by_sql._days = None  # counted afresh, by each
    answers_agree(indexed, by_sql, spec, grouping, chosen[:1])
    expected = "sql" if name in NOT_SERVED else "index"
    assert indexed.last_path == expected
    same_counts(indexed, by_sql)
    answers_agree(indexed, by_sql, spec, grouping, chosen[1:])


@pytest.mark.parametrize(
    ("grouping", "name"),
    [("category", "lists, dates and tolls"), ("admin1", "actor scoped by country and date")],
)
def test_the_index_frames_are_the_memory_ones(counters, grouping, name):
    state, indexed, _by_sql = counters
    indexed._days = None
    assert_same_frames(state, indexed, grouping, ALL[name])
    assert indexed.last_path == "index"


def test_the_lanes_by_actor_are_counted_by_sql(counters):
    """An event in the lane of each of its actors: not the index's (its frames are
    test_duck_timeline's); the lanes' totals are memory's."""
    state, indexed, _by_sql = counters
    spec = FilterSpec(regions=("Mali",))
    state.set_filter(spec)
    memory = memory_index(state, "actor")
    indexed._days = None
    answer = indexed.answer(TimelineAsk.for_view(spec, "actor", *memory.extent(), WIDTH))
    assert indexed.last_path == "sql"
    assert answer.totals.tolist() == np.diff(memory.lane_bounds).tolist()


def test_a_filter_keeping_too_many_events_is_counted_by_sql(counters, monkeypatch):
    state, indexed, by_sql = counters
    monkeypatch.setattr(day_index, "COUNT_MAX_EVENTS", 1000)  # of 2,500
    state.set_filter(FilterSpec())
    every = views(memory_index(state, "category"))
    indexed._days = by_sql._days = None
    answers_agree(indexed, by_sql, FilterSpec(), "category", every[:1])
    assert indexed.last_path == "sql"
    indexed._days = None
    answers_agree(indexed, by_sql, FilterSpec(regions=("Tombouctou",)), "category", every[:1])
    assert indexed.last_path == "index"  # its few events: from the index


def test_a_new_dictionary_waits_for_its_index(counters):
    """The index holds the groups of the dictionary it was made for: under a new one
    the counts are the SQL's until the dock's worker makes the index again, then the
    index's, as in memory."""
    state, indexed, _by_sql = counters
    facets = indexed.trends.facets
    assert facets is not None
    spec = FilterSpec(actors=("Helmets2",))
    try:
        activate_user_entries(SCOPED)
        assert facets.day_index() is None
        indexed._days = None
        assert_same_frames(state, indexed, "category", spec)
        assert indexed.last_path == "sql"
        assert facets.prepare()
        indexed._days = None
        assert_same_frames(state, indexed, "category", spec)
        assert indexed.last_path == "index"
    finally:
        activate_user_entries([])
    assert facets.day_index() is None  # made for the dictionary gone


def test_two_inputs_by_dataset_as_in_memory(tmp_path):
    """Two files, their events by dataset lane: the index's counts are the SQL's and
    the memory frames, a filter naming the second file's dataset too."""
    paths = []
    for name, seed in (("a", 3), ("b", 4)):
        (tmp_path / name).mkdir()
        paths.append(write_fixture(tmp_path / name, rows=300, seed=seed)[1])
    state = AppState()
    for path in paths:
        state.add_dataset(load(path, use_cache=False))
    engine = DuckEngine(paths)
    try:
        facets = FacetCounter(engine)
        assert facets.prepare()
        indexed = TimelineCounter(engine, TrendCounter(engine, facets))
        by_sql = TimelineCounter(engine, TrendCounter(engine))
        whole = views(memory_index(state, "dataset"))[:2]
        second = FilterSpec(datasets=("events (2)",), actors=("JNIM",))
        for spec in (FilterSpec(), second):
            answers_agree(indexed, by_sql, spec, "dataset", whole)
            assert indexed.last_path == "index"
        indexed._days = None
        assert_same_frames(state, indexed, "dataset", second)  # (too few for histograms)
    finally:
        engine.close()
