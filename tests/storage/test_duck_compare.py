"""The before-and-after comparison from SQL equals the memory engine's for the same rows:
at a milestone, an event and a day, for several windows and filters (unknown tolls
counted apart, never as 0), the outer ring, the notes of a dataset that does not cover
the weeks, the default centre and the files' sources."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.storage.engine_fixtures import events_frame
from timeline_app.formats.registry import load
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.filters import filter_mask
from timeline_app.model.state import AppState
from timeline_app.model.trends import compare, day_ns, outer_ring_mask
from timeline_app.model.trends.report import memory_sources
from timeline_app.storage.convert import convert
from timeline_app.storage.duck import DuckEngine
from timeline_app.storage.duck.compare import CompareCounter
from timeline_app.storage.duck.facets import FacetCounter


def parquet_of(frame: pd.DataFrame, folder: Path, name: str) -> Path:
    frame.to_csv(folder / f"{name}.csv", index=False)
    convert([load(folder / f"{name}.csv", use_cache=False)], folder / f"{name}.parquet")
    return folder / f"{name}.parquet"


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory):
    """Two inputs: the engines' fixture (with milestones) and a second file that ends
    in 2014 (its weeks are empty later: a note says so)."""
    folder = tmp_path_factory.mktemp("compare")
    frame = events_frame(500)
    frame.loc[frame.index[::41], "category"] = "withdrawal"
    early = events_frame(200, seed=3)
    early = early[early["start"] < "2014-06-01"]
    early["id"] = "x" + early["id"]
    paths = [parquet_of(frame, folder, "events"), parquet_of(early, folder, "early")]
    state = AppState()
    for path in paths:
        state.add_dataset(load(path, use_cache=False))
    engine = DuckEngine(paths)
    yield state, CompareCounter(engine, FacetCounter(engine))
    engine.close()


def moments(state: AppState) -> dict[str, int]:
    df = state.table.df
    milestone = int(np.flatnonzero((df["category"] == "withdrawal").to_numpy())[3])
    timed = int(np.flatnonzero(state.table.start_ns % 86_400_000_000_000 != 0)[5])
    return {
        "milestone": day_ns(df["start"].iat[milestone]),
        "event": day_ns(df["start"].iat[timed]),  # an event at a time of day
        "day": day_ns("2014-03-05"),  # the early file ends within these weeks
    }


SPECS = {
    "all": FilterSpec(),
    "jnim-deadly": FilterSpec(actors=("JNIM",), fatalities_min=1),
    "mali-text": FilterSpec(regions=("Mali",), text="a"),
    "near": FilterSpec(near=(15.0, 0.0, 600.0)),
    "no-unknowns": FilterSpec(include_unknown_fatalities=False),
}


@pytest.mark.parametrize("moment", ["milestone", "event", "day"])
@pytest.mark.parametrize("weeks", [1, 6, 52])
@pytest.mark.parametrize("name", list(SPECS))
def test_the_sql_comparison_is_the_memory_engines(engines, moment, weeks, name):
    state, counter = engines
    spec = SPECS[name]
    at_ns = moments(state)[moment]
    memory = compare(state.table, filter_mask(state.table, spec), at_ns, weeks)
    duck = counter.compare(counter.where(spec), at_ns, weeks)
    assert duck == memory
    assert duck.as_dict() == memory.as_dict() and duck.rows() == memory.rows()


def test_the_comparisons_hold_what_they_are_tested_on(engines):
    """Unknown tolls counted apart, actors, both sides, notes: the cases above see them."""
    state, counter = engines
    at_ns = moments(state)["day"]
    wide = counter.compare(counter.where(FilterSpec()), at_ns, 52)
    assert wide.before.events and wide.after.events and wide.actors
    assert wide.before.unknown_fatalities > 0 and wide.after.unknown_fatalities > 0
    assert wide.notes and "early" in wide.notes[0]
    known = FilterSpec(include_unknown_fatalities=False)
    assert counter.compare(counter.where(known), at_ns, 52).after.unknown_fatalities == 0
    # An unknown toll is not a 0: the known tolls' sum is the same without those events.
    assert (
        counter.compare(counter.where(known), at_ns, 52).after.fatalities == wide.after.fatalities
    )
    names = {a.name for a in wide.actors}
    assert "jnim" not in names  # "JNIM" and "jnim" are one actor, named as in memory


@pytest.mark.parametrize("outer", [700.0, 1500.0])
def test_the_outer_ring_is_the_memory_engines(engines, outer):
    state, counter = engines
    spec = FilterSpec(near=(15.0, 0.0, 600.0), categories=("attack",))
    at_ns = moments(state)["milestone"]
    mask = outer_ring_mask(state.table, spec, outer)
    memory = compare(state.table, mask, at_ns, 52)
    duck = counter.compare(counter.ring_where(spec, outer), at_ns, 52)
    assert duck == memory and memory.before.events + memory.after.events > 0


def test_a_ring_it_cannot_draw_fails_as_in_memory(engines):
    state, counter = engines
    for spec, outer in ((FilterSpec(), 100.0), (FilterSpec(near=(15.0, 0.0, 600.0)), 300.0)):
        with pytest.raises(ValueError) as memory:
            outer_ring_mask(state.table, spec, outer)
        with pytest.raises(ValueError) as duck:
            counter.ring_where(spec, outer)
        assert str(duck.value) == str(memory.value)


CENTRES = [
    FilterSpec(),
    FilterSpec(actors=("JNIM",), fatalities_min=1),
    FilterSpec(regions=("Mali",), text="a"),
    FilterSpec(actors=("IS",)),
    FilterSpec(categories=("attack",)),
    FilterSpec(regions=("Niger",)),
    FilterSpec(actors=("Blue Helmets",)),
    FilterSpec(categories=("statement",)),
    FilterSpec(text="no event says this"),
]


def test_the_default_centre_is_the_median_of_the_located_events(engines):
    state, counter = engines
    located = []
    for spec in CENTRES:
        mask = filter_mask(state.table, spec)
        lat = state.table.df["latitude"].to_numpy(dtype=float, na_value=np.nan)[mask]
        lon = state.table.df["longitude"].to_numpy(dtype=float, na_value=np.nan)[mask]
        known = ~(np.isnan(lat) | np.isnan(lon))
        located.append(int(known.sum()))
        expected = (np.median(lat[known]), np.median(lon[known])) if known.any() else None
        assert counter.centre(spec) == expected
    assert {n % 2 for n in located if n > 1} == {0, 1} and 0 in located  # both middles


def test_the_sources_are_the_memory_engines(engines):
    state, counter = engines
    spec = SPECS["jnim-deadly"]
    memory = memory_sources(state.table, filter_mask(state.table, spec))
    assert counter.sources(counter.where(spec)) == memory
    assert [d.citation for d in counter.datasets()] == [d.citation for d in state.table.datasets]
