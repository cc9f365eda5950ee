"""The timeline's frames from SQL equal the memory engine's for the same rows: lanes,
per-bin counts of both measures, which lanes show marks, and the events, periods,
milestones and bands drawn, at views from the whole data down to hours, for every
grouping (by actor too: an event in the lane of each of its actors) and with filters,
one of them through a dictionary entry scoped to a country and dates."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tests.storage.engine_fixtures import write_fixture
from timeline_app.formats.registry import load
from timeline_app.model.actor_store import activate_user_entries
from timeline_app.model.actors import Entry
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.state import AppState
from timeline_app.model.timeline import LaneOrder, TimelineIndex, assign_lanes, compute_frame
from timeline_app.model.timeline.remote import BarSelection, TimelineAsk
from timeline_app.model.units import NS_PER_DAY
from timeline_app.storage.duck import DuckEngine
from timeline_app.storage.duck.facets import FacetCounter
from timeline_app.storage.duck.timeline import TimelineCounter
from timeline_app.storage.duck.trends import TrendCounter

WIDTH = 900.0


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory):
    _csv, parquet = write_fixture(tmp_path_factory.mktemp("timeline"), rows=2500)
    state = AppState()
    state.add_dataset(load(parquet, use_cache=False))
    engine = DuckEngine(parquet)
    yield state, TimelineCounter(engine, TrendCounter(engine, FacetCounter(engine)))
    engine.close()


def memory_index(state: AppState, grouping: str) -> TimelineIndex:
    lanes = assign_lanes(state.table, grouping)
    return TimelineIndex(state.table, lanes, state.mask, LaneOrder(state.table, lanes))


def ids(table, rows) -> list[str]:
    return sorted(table.df["id"].iloc[rows].astype(str))


def views(index: TimelineIndex) -> list[tuple[int, int]]:
    a, b = index.extent()
    rng = np.random.default_rng(7)
    out = [(a, b)]
    for span in (2 * 365, 120, 20, 3, 0.4):  # days: years down to hours
        for mid in rng.uniform(a, b, 3):
            half = int(span * NS_PER_DAY / 2)
            out.append((int(mid) - half, int(mid) + half))
    return out


SPECS = [
    FilterSpec(),
    FilterSpec(actors=("JNIM",), fatalities_min=1),
    FilterSpec(regions=("Mali",), text="a"),
]
#: "Blue Helmets" is "Helmets2" in Mali from 2016 on, and "Wagner Group" is too: a
#: filter through the dictionary, resolved per country and date.
SCOPED = [
    Entry("any", "Blue Helmets", "Helmets Two", "Helmets2", ("Mali",), date(2016, 1, 1)),
    Entry("any", "Wagner Group", "Helmets Two", "Helmets2"),
]


@pytest.mark.parametrize("grouping", ["category", "event_type", "admin1", "dataset", "actor"])
@pytest.mark.parametrize("spec", SPECS, ids=["all", "jnim-deadly", "mali-text"])
def test_sql_frames_are_the_memory_ones(engines, grouping, spec):
    assert_same_frames(*engines, grouping, spec)


@pytest.mark.parametrize("grouping", ["actor", "category"])
def test_a_filter_through_a_scoped_dictionary_entry(engines, grouping):
    """Asked before the entry exists (nothing kept) and again once it does: the
    counts follow what the filter's name means, as in memory."""
    state, counter = engines
    spec = FilterSpec(actors=("Helmets2",))
    state.set_filter(FilterSpec())
    a, b = memory_index(state, grouping).extent()
    ask = TimelineAsk.for_view(spec, grouping, a, b, WIDTH, counter.finest_unit())
    assert counter.answer(ask).totals.sum() == 0
    try:
        activate_user_entries(SCOPED)
        state.set_filter(spec)
        df = state.table.df
        elsewhere = ((df["actor1"] == "Blue Helmets") & (df["country"] != "Mali")).to_numpy()
        assert state.mask.any() and (elsewhere & ~state.mask).any()  # scoped: not all kept
        assert counter.answer(ask).totals.sum() > 0
        assert_same_frames(state, counter, grouping, spec)
    finally:
        activate_user_entries([])


def assert_same_frames(state, counter, grouping, spec):
    state.set_filter(spec)
    index = memory_index(state, grouping)
    if grouping == "actor":  # events in several lanes: the pairs, as in memory
        assert index.lanes.multi and len(index) > state.mask.sum()
    modes = set()
    for x0, x1 in views(index):
        ask = TimelineAsk.for_view(spec, grouping, x0, x1, WIDTH, counter.finest_unit())
        answer = counter.answer(ask)
        assert answer.labels == index.lanes.labels
        assert answer.totals.tolist() == np.diff(index.lane_bounds).tolist()
        for measure in ("events", "fatalities"):
            memory = compute_frame(index, x0, x1, WIDTH, measure=measure)
            duck = answer.frame(x0, x1, WIDTH, measure)
            assert duck.unit == memory.unit
            at = np.searchsorted(duck.edges, memory.edges[:-1])
            assert (duck.edges[at] == memory.edges[:-1]).all()
            for mine, theirs in zip(memory.lanes, duck.lanes, strict=True):
                assert theirs.mode == mine.mode, (x0, x1, mine.lane)
                assert theirs.count == mine.count
                modes.add(mine.mode)
                if mine.mode == "density":
                    np.testing.assert_allclose(theirs.values[at], mine.values)
                else:
                    got = answer.index.rows
                    assert ids(answer.table, got[theirs.pos]) == ids(state.table, index.rows[mine.pos])  # fmt: skip
                    assert ids(answer.table, got[theirs.ppos]) == ids(state.table, index.rows[mine.ppos])  # fmt: skip
            got = answer.index.rows
            assert ids(answer.table, got[duck.milestones]) == ids(state.table, index.rows[memory.milestones])  # fmt: skip
            assert ids(answer.table, got[duck.bands]) == ids(state.table, index.rows[memory.bands])  # fmt: skip
    assert modes >= ({"density", "marks"} if spec == FilterSpec() else {"marks"})
    assert index.lanes.labels != ("other",)


def test_bins_and_range_totals(engines):
    state, counter = engines
    state.set_filter(FilterSpec())
    index = memory_index(state, "category")
    a, b = index.extent()
    mid = (a + b) // 2
    ask = TimelineAsk.for_view(FilterSpec(), "category", a, b, WIDTH, counter.finest_unit())
    answer = counter.answer(ask)
    lane = int(np.argmax(answer.events.sum(axis=1)))
    i = int(np.argmax(answer.events[lane]))
    lo, hi = int(answer.edges[i]), int(answer.edges[i + 1])
    s0, s1 = int(index.lane_bounds[lane]), int(index.lane_bounds[lane + 1])
    starts = index.start[s0:s1]
    rows = index.rows[s0:s1][(starts >= lo) & (starts < hi)]
    fat = state.table.df["fatalities"].to_numpy(dtype=np.float64)[rows]
    events, known, unknown = answer.bin_totals(lane, lo)
    assert (events, unknown) == (len(rows), int(np.isnan(fat).sum()))
    assert known == pytest.approx(np.nansum(fat))
    totals = counter.range_totals(FilterSpec(), mid, mid + 90 * NS_PER_DAY)
    expected = index.range_totals(mid, mid + 90 * NS_PER_DAY)
    assert totals[0] == expected[0] and totals[2] == expected[2]
    assert totals[1] == pytest.approx(expected[1])


@pytest.mark.parametrize("grouping", ["category", "actor"])
def test_a_bars_events_are_the_memory_ones(engines, grouping):
    """What a click on a bar selects: its events (their number) and the first of them,
    the memory table's first row (keys are the rows in reading order)."""
    state, counter = engines
    spec = FilterSpec(fatalities_min=1)
    state.set_filter(spec)
    index = memory_index(state, grouping)
    a, b = index.extent()
    answer = counter.answer(TimelineAsk.for_view(spec, grouping, a, b, WIDTH))
    checked = 0
    for lane in range(len(answer.labels)):
        for i in np.flatnonzero(answer.events[lane])[:3]:
            lo, hi = int(answer.edges[i]), int(answer.edges[i + 1])
            s0, s1 = int(index.lane_bounds[lane]), int(index.lane_bounds[lane + 1])
            starts = index.start[s0:s1]
            rows = index.rows[s0:s1][(starts >= lo) & (starts < hi)]
            bar = BarSelection((spec,), grouping, lane, lo, hi)
            first = int(rows.min())
            assert counter.bar_events(bar, first) == (first, len(rows), True)
            # The filter changed since: what both keep (as memory's selection does).
            other = FilterSpec(categories=("attack",))
            state.set_filter(other)
            kept = rows[state.mask[rows]]
            found = counter.bar_events(bar.under(other), first)
            assert found == (int(kept.min()) if len(kept) else None, len(kept), first in kept)
            state.set_filter(spec)
            checked += 1
    assert checked > len(answer.labels)
    past = BarSelection((spec,), grouping, 0, b + NS_PER_DAY, b + 2 * NS_PER_DAY)
    assert counter.bar_events(past) == (None, 0, False)
    assert past.under(FilterSpec()).under(spec).specs == (FilterSpec(), spec)


@pytest.mark.parametrize("grouping", ["category", "actor"])
def test_a_newer_view_does_not_interrupt_a_bars_count(engines, monkeypatch, grouping):
    """A click's count is the user's: the interrupt a newer view sends the timeline's
    own queries (those of its cursors in ``_mine``) must not reach it, even while it
    reads the lanes (a CI run lost a bar's selection so)."""
    state, counter = engines
    state.set_filter(FilterSpec())
    seen: list[int] = []
    reads = counter.trends.lanes, counter.trends.facets.facet_table

    def watched(read):
        def read_and_look(*args):
            seen.append(len(counter._mine))  # the cursors a newer view would interrupt
            return read(*args)

        return read_and_look

    monkeypatch.setattr(counter.trends, "lanes", watched(reads[0]))
    monkeypatch.setattr(counter.trends.facets, "facet_table", watched(reads[1]))
    a, b = memory_index(state, grouping).extent()
    bar = BarSelection((FilterSpec(),), grouping, 0, a, b + 1)
    first, n, _kept = counter.bar_events(bar)
    assert n > 0 and len(counter.bar_keys(bar, 10)) == min(n, 10)
    assert seen and not any(seen)
    counter.answer(TimelineAsk.for_view(FilterSpec(), grouping, a, b, WIDTH))
    assert seen[-1] == 1  # a view's reads are the timeline's own: a newer view stops them


def test_a_newer_view_does_not_interrupt_the_overviews_read(engines, monkeypatch):
    """The overview counts the whole filter, whatever the view shows: a pan's or a zoom's
    interrupt (the timeline's own queries, ``_mine``) stopped its read, and the window
    reads it again only a few times, so wheeling through a zoom while a big file's
    overview was read said "The timeline's query failed: INTERRUPT Error" and kept the
    filter before's overview."""
    state, counter = engines
    seen: list[int] = []
    engine = counter.engine
    reads = engine.query, engine.date_range

    def watched(read):
        def read_and_look(*args, **kwargs):
            seen.append(len(counter._mine))  # the cursors a newer view would interrupt
            return read(*args, **kwargs)

        return read_and_look

    monkeypatch.setattr(engine, "query", watched(reads[0]))
    monkeypatch.setattr(engine, "date_range", watched(reads[1]))
    overview = counter.overview(FilterSpec())
    assert int(overview.counts.sum()) == len(state.table)
    assert len(seen) >= 3 and not any(seen)


def test_a_view_cutting_a_day_counts_its_lanes_exactly(engines):
    """A view starting at a timed event whose day holds an earlier one of its lane: the
    day's bin has events on both sides of the edge; a histogram lane's count in view is
    the memory frame's all the same."""
    state, counter = engines
    state.set_filter(FilterSpec())
    index = memory_index(state, "category")
    start, day = index.start, index.start // NS_PER_DAY
    lane = np.repeat(np.arange(index.n_lanes), np.diff(index.lane_bounds))
    cuts = (day[1:] == day[:-1]) & (lane[1:] == lane[:-1]) & (start[1:] > start[:-1])
    dense = 0
    x1 = int(start[-1])
    for x0 in start[1:][cuts][:12].tolist():  # the first: views of most of the data
        answer = counter.answer(TimelineAsk.for_view(FilterSpec(), "category", x0, x1, WIDTH))
        memory, duck = compute_frame(index, x0, x1, WIDTH), answer.frame(x0, x1, WIDTH)
        for mine, theirs in zip(memory.lanes, duck.lanes, strict=True):
            assert (theirs.mode, theirs.count) == (mine.mode, mine.count)
            dense += mine.mode == "density"
    assert dense > 0
