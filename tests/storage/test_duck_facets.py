"""The Filters dock's counts from SQL (storage/duck/facets.py) equal the memory
engine's (model/actor_facet.filter_list_counts) for every filter kind: each list's
values, named as the dock names them, and their counts under the other filters. Both
ways of counting: by a scan of the events (any filter), and from the cube once it is
made (a filter of lists; the others still scan)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.storage.engine_fixtures import events_frame, write_fixture
from tests.storage.test_duck_engine import SPECS
from timeline_app.formats.registry import load
from timeline_app.model import facets
from timeline_app.model.actor_facet import actor_tree, filter_list_counts
from timeline_app.model.actors import active_dictionary
from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.model.filters import filter_mask
from timeline_app.model.state import AppState
from timeline_app.storage.convert import convert
from timeline_app.storage.duck import DuckEngine
from timeline_app.storage.duck.facet_cube import lists_only
from timeline_app.storage.duck.facets import FacetCounter

MORE = {
    "an exact spelling": FilterSpec(actors=("=jnim",)),
    "a term no actor has": FilterSpec(actors=("=jnim", "Nobody"), fatalities_min=3),
    "two lists": FilterSpec(actors=("JNIM",), regions=("Mali",), event_types=("Battles",)),
    "uncertain, dated": FilterSpec(
        actors=("FAMa",), include_uncertain_actors=True, text="attack", categories=("attack",)
    ),
}


def named(table: EventTable, counts: dict[str, Any]) -> dict[str, dict[Any, float]]:
    """Each list's counts by what the dock shows: an actor's term and its parent's, a
    region's path, a value's name."""
    out: dict[str, dict[Any, float]] = {}
    tree, actor_counts = counts["actors"]
    out["actors"] = {
        (tree.terms[i], tree.terms[tree.parent[i]] if tree.parent[i] >= 0 else ""): actor_counts[i]
        for i in range(len(actor_counts))
        if i < len(tree.terms)
    }
    places = facets.region_tree(table)

    def path(k: int) -> tuple[str, ...]:
        return (*path(int(places.parent[k])), places.names[k]) if k >= 0 else ()

    out["regions"] = {path(k): float(n) for k, n in enumerate(counts["regions"])}
    for name in VALUE_FIELDS:
        if name not in ("actors", "regions"):
            (column,) = VALUE_FIELDS[name]
            labels = [str(c) for c in table.df[column].cat.categories]
            out[name] = dict(zip(labels, counts[name].tolist(), strict=True))
    return out


@pytest.fixture(scope="module", params=["scan", "cube"])
def engines(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    parquet = write_fixture(tmp_path_factory.mktemp("facets"))[1]
    memory = EventTable([load(parquet, use_cache=False)])
    engine = DuckEngine(parquet)
    counter = FacetCounter(engine)
    if request.param == "cube":
        assert counter.prepare()
    yield memory, counter
    engine.close()


def same(memory: EventTable, counter: FacetCounter, spec: FilterSpec) -> None:
    facet, counts = counter.counts(spec)
    expected = filter_list_counts(memory, spec, filter_mask(memory, spec))
    assert named(facet.table, counts) == named(memory, expected)
    # The way it was counted: the cube whenever there is one and the filter is lists only.
    if spec.is_empty():
        assert counter.last_path == "none"
    elif counter.has_cube() and lists_only(counter.engine, spec):
        assert counter.last_path == "cube"
    else:
        assert counter.last_path == "scan"


@pytest.mark.parametrize("spec_name", list(SPECS) + list(MORE))
def test_every_filter_counts_the_lists_as_in_memory(engines, spec_name):
    memory, counter = engines
    same(memory, counter, {**SPECS, **MORE}[spec_name])


def test_every_actor_of_the_list_ticked_alone(engines):
    memory, counter = engines
    for uncertain in (False, True):
        for term in actor_tree(memory, True).terms:
            same(memory, counter, FilterSpec(actors=(term,), include_uncertain_actors=uncertain))


def test_two_inputs_keep_the_memory_engines_order(tmp_path: Path):
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
    paths = [
        write_fixture(f, rows=120, seed=seed)[1] for f, seed in zip(folders, (3, 4), strict=True)
    ]
    state = AppState()
    for path in paths:
        state.add_dataset(load(path, use_cache=False))
    engine = DuckEngine(paths)
    try:
        counter = FacetCounter(engine)
        for spec in (FilterSpec(), FilterSpec(datasets=("events (2)",), actors=("JNIM",))):
            same(state.table, counter, spec)
    finally:
        engine.close()


def test_places_below_admin2_and_every_list_filled(tmp_path: Path):
    """admin2, admin3 and sub-event types filled: a region filter naming an admin3
    (which the dock's tree does not list, but the filter matches) counts as in memory,
    from the cube and by a scan."""
    frame = events_frame(rows=300, seed=5)
    k = len(frame)
    frame["admin2"] = [["Bourem", "Ansongo", "", "Djenné"][i % 4] for i in range(k)]
    frame["admin3"] = [["Bamba", "Taboye", "", "Ouatagouna", "Bourem"][i % 5] for i in range(k)]
    frame["sub_event_type"] = [["Armed clash", "Attack", ""][i % 3] for i in range(k)]
    csv_path = tmp_path / "events.csv"
    frame.to_csv(csv_path, index=False)
    parquet = tmp_path / "events.parquet"
    convert([load(csv_path, use_cache=False)], parquet)
    memory = EventTable([load(parquet, use_cache=False)])
    specs = [
        FilterSpec(regions=("Taboye",)),
        FilterSpec(regions=("Bourem",), actors=("JNIM",)),  # an admin2 and an admin3 name
        FilterSpec(regions=("Mali",), sub_event_types=("Attack",)),
        FilterSpec(regions=("Ouatagouna",), date_from=datetime(2016, 1, 1)),
    ]
    engine = DuckEngine(parquet)
    try:
        counter = FacetCounter(engine)
        for spec in specs:
            same(memory, counter, spec)
        assert counter.prepare()
        for spec in specs:
            same(memory, counter, spec)
        assert counter.last_path == "scan"  # the dates
    finally:
        engine.close()


def test_the_cube_follows_the_actor_dictionary(engines):
    """A new dictionary makes a new facet table; the old cube (the old table's groups)
    is not used for it: the counts scan until the cube is made again, then use it."""
    from timeline_app.model.actor_store import activate_user_entries
    from timeline_app.model.actors import Entry

    memory, counter = engines
    spec = FilterSpec(actors=("Helmets2",), regions=("Mali",))
    try:
        row = {"raw_name": "Blue Helmets", "canonical": "Helmets Two", "short_name": "Helmets2"}
        activate_user_entries([Entry.from_row(row)])
        same(memory, counter, spec)
        assert counter.last_path == "scan"
        assert counter.prepare()
        same(memory, counter, spec)
        assert counter.last_path == "cube"
        assert counter.counts(spec)[1]["actors"][1].sum() > 0
    finally:
        activate_user_entries([])


def test_the_scan_finds_its_groups_by_hash_or_else_by_value(engines, monkeypatch):
    """With the cube the scan groups by the rows' hashes (facet_scan._by_hash); hashes
    that are not the rows' (here: all alike) leave it to the groups' values, with the
    same counts."""
    from timeline_app.storage.duck import facet_scan

    memory, shared = engines
    counter = FacetCounter(shared.engine)
    assert counter.prepare()
    answers: list = []
    real = facet_scan._by_hash
    monkeypatch.setattr(facet_scan, "_by_hash", lambda *a: answers.append(real(*a)) or answers[-1])
    spec = FilterSpec(actors=("JNIM",), regions=("Mali",), date_from=datetime(2015, 1, 1))
    same(memory, counter, spec)
    assert counter.last_path == "scan" and answers and answers[-1] is not None  # by hash
    facet = counter.facet_table()
    exprs = counter._actor_exprs(active_dictionary())
    by_value = facet_scan.scan_counts(counter.engine, facet, spec, exprs)
    row_hash = counter._cube[1].row_hash
    wrong = facet_scan.scan_counts(counter.engine, facet, spec, exprs, None, row_hash * 0)
    assert answers[-1] is None  # told apart by nothing: by value
    for name in VALUE_FIELDS:
        assert np.array_equal(wrong[name], by_value[name])
