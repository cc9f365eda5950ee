"""The Filters dock's counts from SQL (storage/duck/facets.py) equal the memory
engine's (model/actor_facet.filter_list_counts) for every filter kind: each list's
values, named as the dock names them, and their counts under the other filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.storage.engine_fixtures import write_fixture
from tests.storage.test_duck_engine import SPECS
from timeline_app.formats.registry import load
from timeline_app.model import facets
from timeline_app.model.actor_facet import actor_tree, filter_list_counts
from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.model.filters import filter_mask
from timeline_app.model.state import AppState
from timeline_app.storage.duck import DuckEngine
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


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory):
    parquet = write_fixture(tmp_path_factory.mktemp("facets"))[1]
    memory = EventTable([load(parquet, use_cache=False)])
    engine = DuckEngine(parquet)
    yield memory, FacetCounter(engine)
    engine.close()


def same(memory: EventTable, counter: FacetCounter, spec: FilterSpec) -> None:
    facet, counts = counter.counts(spec)
    expected = filter_list_counts(memory, spec, filter_mask(memory, spec))
    assert named(facet.table, counts) == named(memory, expected)


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
