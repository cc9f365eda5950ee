"""A converted file of two sources on both engines: every filter (the Datasets filter
too) and sort keeps the same rows in the same order, source by source, the rows of a
source named by its dataset and id (ids may repeat across sources)."""

from __future__ import annotations

import pytest

from tests.storage.engine_fixtures import events_frame
from tests.storage.test_duck_engine import SORTS, SPECS
from timeline_app.formats.registry import load
from timeline_app.model.export import choose_rows
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.state import AppState
from timeline_app.storage.convert import convert
from timeline_app.storage.duck import DuckEngine

CASES = {
    **{name: SPECS[name] for name in ("none", "actor", "dates", "near", "text accents")},
    "all at once": SPECS["all at once"],
    "one source": FilterSpec(datasets=("beta",)),
    "one source and a region": FilterSpec(datasets=("alpha",), regions=("Mali",)),
}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("sources")
    for name, rows, seed in (("alpha", 400, 16), ("beta", 300, 7)):
        events_frame(rows=rows, seed=seed).to_csv(folder / f"{name}.csv", index=False)
    both = folder / "both.parquet"
    convert([load(folder / f"{n}.csv", use_cache=False) for n in ("alpha", "beta")], both)
    state = AppState()
    state.add_dataset(load(both, use_cache=False))
    assert [d.name for d in state.table.datasets] == ["alpha", "beta"]
    engine = DuckEngine(both)
    assert engine.dataset_names == ["alpha", "beta"]
    yield state, engine
    engine.close()


def memory_keys(state: AppState, spec: FilterSpec, sort: list) -> list[tuple[str, str]]:
    state.set_filter(spec)
    state.set_sort(sort)
    rows = choose_rows(state, "filtered")
    df = state.table.df
    names = df["dataset"].to_numpy()[rows].astype(str).tolist()
    return list(zip(names, df["id"].to_numpy()[rows].astype(str).tolist(), strict=True))


def duck_keys(engine: DuckEngine, spec: FilterSpec, sort: list) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    after = None
    while True:
        found = engine.page(spec, sort, after=after, limit=29)
        rows = found.rows
        pairs = zip(rows.column("dataset").to_pylist(), rows.column("id").to_pylist(), strict=True)
        keys += [(str(d), str(i)) for d, i in pairs]
        if rows.num_rows < 29:
            return keys
        after = found.last


@pytest.mark.parametrize("sort_name", ["file order", "region", "toll down", "title"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_same_rows_in_the_same_order_source_by_source(engines, case, sort_name):
    state, engine = engines
    spec, sort = CASES[case], SORTS[sort_name]
    expected = memory_keys(state, spec, sort)
    assert expected, case
    assert duck_keys(engine, spec, sort) == expected
    assert engine.count(spec) == len(expected)
    if not sort:  # file order: the first source's rows, then the second's
        names = [d for d, _ in expected]
        assert names == sorted(names)


def test_each_sources_events_are_counted_apart(engines):
    state, engine = engines
    counts = engine.value_counts(FilterSpec(), "dataset")
    assert counts == {"alpha": 400, "beta": 300}
