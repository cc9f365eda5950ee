"""Both engines on the same Parquet file: every filter kind, several sorts, the same rows
in the same order; keyset pages that add up to the whole; counts and histograms."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.storage.engine_fixtures import write_fixture
from timeline_app.formats.registry import load
from timeline_app.model.export import choose_rows
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.state import AppState
from timeline_app.storage.duck import DuckEngine

AREA = (
    (
        ((-6.0, 12.0), (2.0, 12.0), (2.0, 18.0), (-6.0, 18.0), (-6.0, 12.0)),
        ((-3.0, 14.0), (0.0, 14.0), (0.0, 16.0), (-3.0, 16.0), (-3.0, 14.0)),  # a hole
    ),
)

SPECS = {
    "none": FilterSpec(),
    "actor": FilterSpec(actors=("JNIM",)),
    "actor raw only": FilterSpec(actors=("jnim",), actor_aliases=False),
    "actor scoped by country and date": FilterSpec(actors=("ISGS",)),
    "actor scoped by country": FilterSpec(actors=("MINUSMA",)),
    "actor uncertain": FilterSpec(actors=("FAMa",), include_uncertain_actors=True),
    "actor certain": FilterSpec(actors=("FAMa",)),
    "associated actor": FilterSpec(actors=("Wagner Group",), actor_aliases=False),
    "region accents": FilterSpec(regions=("segou",)),
    "region country": FilterSpec(regions=("Mali", "Niger")),
    "category and type": FilterSpec(categories=("attack",), event_types=("Battles",)),
    "dataset": FilterSpec(datasets=("events",)),
    "no such dataset": FilterSpec(datasets=("other",)),
    "dates": FilterSpec(date_from=datetime(2016, 3, 1), date_to=datetime(2018, 6, 30)),
    "dates with a time": FilterSpec(date_to=datetime(2015, 1, 1, 12, 30)),
    "fatalities": FilterSpec(fatalities_min=5, fatalities_max=20),
    "fatalities known only": FilterSpec(fatalities_min=10, include_unknown_fatalities=False),
    "unknown excluded": FilterSpec(include_unknown_fatalities=False),
    "text accents": FilterSpec(text="segou"),
    "text in a location": FilterSpec(text="MENAKA"),
    "text elsewhere": FilterSpec(text="télé"),
    "text in a title": FilterSpec(text="ROAD TO gao"),
    "bbox": FilterSpec(bbox=(-5.0, 12.0, 3.0, 17.0)),
    "bbox across the antimeridian": FilterSpec(bbox=(170.0, 12.0, -2.0, 17.0)),
    "near": FilterSpec(near=(14.0, -4.0, 250.0)),
    "within with a hole": FilterSpec(within=AREA, within_name="drawn"),
    "all at once": FilterSpec(
        actors=("JNIM",),
        regions=("Mali",),
        date_from=datetime(2014, 1, 1),
        fatalities_max=40,
        text="a",
        near=(15.0, -2.0, 600.0),
    ),
}

SORTS = {
    "file order": [],
    "region": [("admin1", True)],
    "start down, toll up": [("start", False), ("fatalities", True)],
    "title": [("title", True)],
    "toll down": [("fatalities", False)],
    "location, id down": [("location", True), ("id", False)],
    "ongoing, latitude down": [("ongoing", True), ("latitude", False)],
    "actor down": [("actor1", False)],
}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("engines")
    _csv, parquet = write_fixture(folder)
    state = AppState()
    state.add_dataset(load(parquet, use_cache=False))
    engine = DuckEngine(parquet)
    yield state, engine
    engine.close()


def memory_ids(state: AppState, spec: FilterSpec, sort: list) -> list[str]:
    state.set_filter(spec)
    state.set_sort(sort)
    rows = choose_rows(state, "filtered")
    return state.table.df["id"].to_numpy()[rows].astype(str).tolist()


def duck_ids(engine: DuckEngine, spec: FilterSpec, sort: list, page: int = 17) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        found = engine.page(spec, sort, after=after, limit=page)
        ids += found.rows.column("id").to_pylist()
        if found.rows.num_rows < page:
            return ids
        after = found.last


@pytest.mark.parametrize("spec_name", list(SPECS))
def test_every_filter_keeps_the_same_rows_in_file_order(engines, spec_name):
    state, engine = engines
    spec = SPECS[spec_name]
    expected = memory_ids(state, spec, [])
    assert duck_ids(engine, spec, []) == expected
    assert engine.count(spec) == len(expected)


def test_the_fixture_makes_every_filter_choose():
    """A filter that keeps all rows or none proves nothing (but the two meant to)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _csv, parquet = write_fixture(Path(tmp))
        state = AppState()
        state.add_dataset(load(parquet, use_cache=False))
        total = len(state.table)
        for name, spec in SPECS.items():
            kept = len(memory_ids(state, spec, []))
            if name in ("none", "dataset"):
                assert kept == total
            elif name == "no such dataset":
                assert kept == 0
            else:
                assert 0 < kept < total, name


@pytest.mark.parametrize("sort_name", list(SORTS))
@pytest.mark.parametrize("spec_name", ["none", "actor", "text accents", "near"])
def test_every_sort_gives_the_same_order(engines, spec_name, sort_name):
    state, engine = engines
    spec, sort = SPECS[spec_name], SORTS[sort_name]
    assert duck_ids(engine, spec, sort, page=23) == memory_ids(state, spec, sort)


def test_keyset_pages_follow_each_other_without_gaps_or_repeats(engines):
    _state, engine = engines
    sort = [("admin1", False), ("start", True)]
    whole = engine.page(FilterSpec(), sort, limit=10_000).rows.column("id").to_pylist()
    for size in (1, 7, 50):
        assert duck_ids(engine, FilterSpec(), sort, page=size) == whole


def test_value_counts_leave_out_their_own_field(engines):
    state, engine = engines
    spec = FilterSpec(categories=("attack",), regions=("Mali",))
    counts = engine.value_counts(spec, "category")
    state.set_filter(spec.without("categories"))
    rows = choose_rows(state, "filtered")
    expected = state.table.df["category"].iloc[rows].value_counts()
    assert counts == {k: int(v) for k, v in expected.items() if v}
    assert set(counts) > {"attack"}


def test_histogram_counts_events_and_known_tolls_per_month_and_lane(engines):
    state, engine = engines
    spec = FilterSpec(actors=("JNIM",))
    found = engine.histogram(spec, "month", "category").to_pandas()
    state.set_filter(spec)
    df = state.table.df.iloc[choose_rows(state, "filtered")]
    month = df["start"].dt.to_period("M").dt.start_time.astype("int64")
    expected = (
        df.assign(bin=month.to_numpy())
        .groupby(["bin", "category"], observed=True)
        .agg(events=("id", "size"), fatalities=("fatalities", lambda v: v.sum(min_count=1)))
        .reset_index()
    )
    assert found["events"].sum() == len(df)
    got = found.set_index(["bin", "lane"]).sort_index()
    want = expected.set_index(["bin", "category"]).sort_index()
    assert got["events"].tolist() == want["events"].tolist()
    np.testing.assert_allclose(
        got["fatalities"].to_numpy(float), want["fatalities"].to_numpy(float)
    )


def test_detail_by_key_and_by_id(engines):
    state, engine = engines
    page = engine.page(FilterSpec(text="segou"), [], limit=1)
    event = engine.event(int(page.keys[0]))
    assert event is not None and event["id"] == page.rows.column("id")[0].as_py()
    row = state.table.row_of_id("events", event["id"])
    memory = state.table.df.iloc[row]
    assert event["title"] == memory["title"] and event["admin1"] == memory["admin1"]
    assert engine.key_of_id("events", event["id"]) == int(page.keys[0])
    assert engine.key_of_id("events", "no such id") is None


def test_likely_same_filter_with_no_pairs_found_keeps_what_memory_keeps(engines):
    state, engine = engines  # model/matched.matched_mask with no pairs found
    everything = engine.count(FilterSpec())
    assert everything == len(state.table)
    assert engine.count(FilterSpec(matched="matched")) == 0
    assert engine.count(FilterSpec(matched="unmatched")) == everything
    assert engine.count(FilterSpec(matched="no_second")) == everything


def test_a_cancelled_duckdb_search_stops(engines):
    from timeline_app.model.matching import MatchCancelled, MatchRule
    from timeline_app.storage.duck.matching import match_source

    _state, engine = engines
    with pytest.raises(MatchCancelled):
        match_source(engine, "events", "events", MatchRule(same_dataset=True), None, lambda: True)
    with pytest.raises(ValueError, match="no dataset named"):
        match_source(engine, "events", "nothing", MatchRule())


def test_a_folder_and_a_hive_dataset_open_in_both_engines(tmp_path: Path):
    import duckdb

    _csv, parquet = write_fixture(tmp_path, rows=120, seed=3)
    hive = tmp_path / "hive"
    duckdb.sql(
        f"COPY (SELECT * FROM '{parquet}') TO '{hive}' (FORMAT parquet, PARTITION_BY (country))"
    )
    spec = FilterSpec(regions=("segou",), text="a")
    for path in (hive,):
        state = AppState()
        state.add_dataset(load(path, use_cache=False))
        assert len(state.table) == 120
        engine = DuckEngine(path)
        try:
            assert duck_ids(engine, spec, [("start", True)]) == memory_ids(
                state, spec, [("start", True)]
            )
            assert duck_ids(engine, FilterSpec(), []) == memory_ids(state, FilterSpec(), [])
        finally:
            engine.close()
    assert pd.read_parquet(parquet)["country"].isna().any()  # the unknown partition too


def test_footers_are_read_once_and_a_rewritten_file_anew(tmp_path: Path):
    """The engine keeps the Parquet footers it read (each query read them again: most of
    a table page's time on a big file), and a file rewritten while open is read anew."""
    import os

    import duckdb

    _csv, parquet = write_fixture(tmp_path, rows=120, seed=3)
    engine = DuckEngine(parquet)
    try:
        assert engine.scalar("SELECT current_setting('parquet_metadata_cache')") is True
        assert engine.count() == 120
        first = engine.page(FilterSpec(), [("start", True)], limit=5).rows.column("id")
        fewer = tmp_path / "fewer.parquet"
        duckdb.sql(
            f"COPY (SELECT * FROM '{parquet}' ORDER BY start DESC LIMIT 50) TO '{fewer}' "
            "(FORMAT parquet)"
        )
        stat = parquet.stat()
        os.replace(fewer, parquet)
        os.utime(parquet, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        assert engine.count() == 50
        again = engine.page(FilterSpec(), [("start", True)], limit=5).rows.column("id")
        assert again.to_pylist() != first.to_pylist()
    finally:
        engine.close()


def test_a_date_filter_with_the_longest_events_bound_keeps_the_same_rows(engines):
    # Once the engine knows how long its longest event lasts, a date filter also bounds
    # the start (so DuckDB skips the row groups before it): the events begun before the
    # first day that still overlap it, the longest among them, must stay.
    import time

    state, engine = engines
    deadline = time.monotonic() + 20
    while engine.longest_span_ns() is None:
        assert time.monotonic() < deadline, "the longest span was never worked out"
        time.sleep(0.01)
    table = state.table
    longest = int((table.end_ns - table.start_ns).max())
    assert engine.longest_span_ns() == longest
    row = int(np.argmax(table.end_ns - table.start_ns))  # the longest event's last day
    last_day = pd.Timestamp(int(table.end_ns[row])).to_pydatetime()
    specs = [
        FilterSpec(date_from=last_day),
        FilterSpec(date_from=last_day, date_to=last_day),
        FilterSpec(date_from=datetime(2016, 3, 1), date_to=datetime(2016, 3, 10)),
    ]
    for spec in specs:
        assert "start >= TIMESTAMP_NS" in engine.where(spec)
        expected = memory_ids(state, spec, [])
        assert duck_ids(engine, spec, []) == expected
    begun_before = memory_ids(state, specs[1], [])
    assert str(table.df["id"].iloc[row]) in begun_before  # it starts ~60 days before


def test_closing_waits_for_the_longest_span_thread_and_it_raises_nothing(tmp_path):
    # The span's thread may have its cursor but not yet have begun its query when the
    # engine closes: close() must not leave it to run on a closed connection (an
    # uncaught EngineError in a thread, after the file was closed) nor leave it running.
    import threading

    _csv, parquet = write_fixture(tmp_path)
    engine = DuckEngine(parquet)
    got_cursor, go_on = threading.Event(), threading.Event()
    own_cursor = engine.cursor

    def cursor():
        cur = own_cursor()
        if threading.current_thread().name == "duckdb span":
            got_cursor.set()
            go_on.wait(10)
        return cur

    engine.cursor = cursor  # type: ignore[method-assign]
    assert engine.longest_span_ns() is None
    assert got_cursor.wait(10)
    threading.Timer(0.2, go_on.set).start()  # let it go on while close() runs
    engine.close()
    assert not [t for t in threading.enumerate() if t.name == "duckdb span"]
    go_on.set()
    assert engine.longest_span_ns() is None  # closed: no new thread
    assert not [t for t in threading.enumerate() if t.name == "duckdb span"]


def test_kept_keys_leave_the_shared_key_tables_alone(engines):
    # Each event's related events ask which of theirs the filter keeps; a selection's
    # export reads its key table by name meanwhile: asking must not push it out.
    from timeline_app.storage.duck.engine import KEPT_KEY_TABLES

    _state, engine = engines
    keys = engine.page(FilterSpec(), [("start", True)], limit=40).keys
    exported = engine.key_table(keys[:5])
    spec = FilterSpec(fatalities_min=1)
    for i in range(KEPT_KEY_TABLES + 2):
        kept = engine.kept_keys(spec, keys[i : i + 20])
        assert set(kept.tolist()) <= set(keys[i : i + 20].tolist())
        assert kept.tolist() == sorted(kept.tolist())
    assert engine.scalar(f"SELECT count(*) FROM {exported}") == 5
    assert engine.kept_keys(FilterSpec(), keys[:3]).tolist() == sorted(keys[:3].tolist())


def test_spans_past_int64_give_no_start_bound_and_are_not_scanned_again(tmp_path):
    # An event from 1678 to 2261 lasts more than int64 nanoseconds hold: DuckDB's
    # subtraction overflows. The date filters then go without the start bound, and the
    # span is not scanned again at every filter (a full scan of two columns each time).
    import threading

    from tests.storage.engine_fixtures import events_frame

    frame = events_frame(60)
    frame.loc[3, "start"], frame.loc[3, "end"] = "1678-06-01", "2261-06-01"
    csv = tmp_path / "events.csv"
    frame.to_csv(csv, index=False)
    parquet = tmp_path / "events.parquet"
    from timeline_app.storage.convert import convert

    convert([load(csv, use_cache=False)], parquet)
    state = AppState()
    state.add_dataset(load(parquet, use_cache=False))
    engine = DuckEngine(parquet)
    scans = []
    own_query = engine.query

    def query(text, params=None):
        if 'epoch_ns("end") - epoch_ns(start)' in text:
            scans.append(text)
        return own_query(text, params)

    engine.query = query  # type: ignore[method-assign]
    try:
        for _ in range(3):
            assert engine.longest_span_ns() is None
            for thread in [t for t in threading.enumerate() if t.name == "duckdb span"]:
                thread.join(10)
        assert len(scans) == 1
        spec = FilterSpec(date_from=datetime(2016, 3, 1), date_to=datetime(2016, 3, 10))
        assert "start >=" not in engine.where(spec)
        assert duck_ids(engine, spec, []) == memory_ids(state, spec, [])
        old = FilterSpec(date_from=datetime(2200, 1, 1))  # only the long event
        assert duck_ids(engine, old, []) == memory_ids(state, old, []) != []
    finally:
        engine.close()


def test_an_export_sharing_the_threads_when_the_engine_closes_ends_with_its_own_error(
    tmp_path,
):
    # File > Close during a CSV export: the export's parts are interrupted and it gives
    # DuckDB's threads back as it unwinds, by then on a closed connection (the error
    # shown was "Connection already closed", not the export's own).
    _csv, parquet = write_fixture(tmp_path)
    engine = DuckEngine(parquet)
    with pytest.raises(RuntimeError, match="the export's own"), engine.sharing_threads(2):
        engine.close()
        raise RuntimeError("the export's own")
    with engine.sharing_threads(2):  # begun once closed: nothing to share
        pass
