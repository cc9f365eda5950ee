"""The DuckDB engine as the window's event source: pages read in any order (a jump to the
middle, then on, then back) give the memory engine's rows in its order."""

from __future__ import annotations

import numpy as np
import pytest

from tests.storage.engine_fixtures import write_fixture
from tests.storage.test_duck_engine import SPECS, memory_ids
from timeline_app.formats.registry import load
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.source import KEY_COLUMN, EventSource
from timeline_app.model.state import AppState
from timeline_app.storage.duck.event_source import DuckSource


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory):
    _csv, parquet = write_fixture(tmp_path_factory.mktemp("source"))
    state = AppState()
    state.add_dataset(load(parquet, use_cache=False))
    source = DuckSource.open([parquet])
    yield state, source
    source.close()


@pytest.mark.parametrize(
    "sort", [[], [("admin1", False), ("start", True)], [("fatalities", True)], [("title", False)]]
)
@pytest.mark.parametrize("spec_name", ["none", "actor", "text accents"])
def test_pages_in_any_order_are_the_memory_rows(both, spec_name, sort):
    state, source = both
    spec = SPECS[spec_name]
    expected = memory_ids(state, spec, sort)
    assert source.count(spec) == len(expected)
    size = 13
    starts = list(range(0, len(expected) + size, size))
    order = starts[len(starts) // 2 :] + starts[: len(starts) // 2][::-1]  # jump, then on
    got: dict[int, list[str]] = {}
    for start in order:
        page = source.page(spec, sort, start, size)
        assert page.num_rows == len(expected[start : start + size])
        got[start] = page.column("id").to_pylist()
    assert [i for s in starts for i in got[s]] == expected


def test_a_page_past_the_end_is_empty_and_keys_read_the_detail(both):
    state, source = both
    assert source.page(FilterSpec(), [], len(state.table) + 50, 10).num_rows == 0
    page = source.page(FilterSpec(text="segou"), [("start", False)], 0, 3)
    event = source.event(int(page.column(KEY_COLUMN)[1].as_py()))
    assert event is not None and event["id"] == page.column("id")[1].as_py()


def test_it_is_an_event_source(both):
    _state, source = both
    checked: EventSource = source
    assert checked.engine == "duckdb" and checked.names == ["events"]


@pytest.mark.parametrize(
    "sort", [[], [("admin1", False), ("start", True)], [("fatalities", False)], [("title", True)]]
)
@pytest.mark.parametrize("spec_name", ["none", "actor", "text accents"])
def test_a_keys_position_is_its_row_in_the_memory_order(both, spec_name, sort):
    state, source = both
    spec = SPECS[spec_name]
    expected = memory_ids(state, spec, sort)
    everything = source.page(FilterSpec(), [], 0, len(state.table))
    keys = everything.column(KEY_COLUMN).to_pylist()
    ids = dict(zip(keys, everything.column("id").to_pylist(), strict=True))
    row_of = {event_id: row for row, event_id in enumerate(expected)}
    for key in keys[::7]:  # every unknown toll, name and date kind is among them
        row = row_of.get(ids[key])
        assert source.contains(spec, key) is (row is not None)
        assert source.position(spec, sort, key) == row


@pytest.mark.parametrize("spec_name", ["none", "actor", "text accents"])
def test_the_kept_keys_are_those_of_the_selected_events_the_memory_filter_keeps(both, spec_name):
    state, source = both
    spec = SPECS[spec_name]
    kept_ids = set(memory_ids(state, spec, []))
    everything = source.page(FilterSpec(), [], 0, len(state.table))
    keys = np.asarray(everything.column(KEY_COLUMN).to_pylist(), dtype=np.int64)
    ids = dict(zip(keys.tolist(), everything.column("id").to_pylist(), strict=True))
    chosen = keys[::3]
    expected = sorted(k for k in chosen.tolist() if ids[k] in kept_ids)
    assert source.kept_keys(spec, chosen).tolist() == expected
