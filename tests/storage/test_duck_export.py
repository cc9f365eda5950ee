"""Exports by DuckDB (COPY … TO) against the memory engine's writer; Cancel interrupts a
running query; work bigger than a small memory limit spills to disk instead of failing."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.storage.engine_fixtures import write_fixture
from timeline_app.formats.registry import load
from timeline_app.model.export import choose_rows, export_rows
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.state import AppState
from timeline_app.storage.duck import DuckEngine, EngineError
from timeline_app.storage.duck.export import export


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("export")
    _csv, parquet = write_fixture(folder)
    state = AppState()
    state.add_dataset(load(parquet, use_cache=False))
    engine = DuckEngine(parquet)
    yield state, engine, folder
    engine.close()


@pytest.mark.parametrize("columns", ["canonical", "original"])
@pytest.mark.parametrize(
    "spec, sort",
    [
        (FilterSpec(), []),
        (FilterSpec(actors=("JNIM",), text="a"), [("fatalities", False), ("admin1", True)]),
        (FilterSpec(near=(14.0, -4.0, 400.0)), [("start", False)]),
    ],
)
def test_csv_export_is_the_memory_engines_file_byte_for_byte(engines, spec, sort, columns):
    state, engine, folder = engines
    state.set_filter(spec)
    state.set_sort(sort)
    rows = choose_rows(state, "filtered")
    memory, duck = folder / "memory.csv", folder / "duck.csv"
    assert export_rows(state.table, rows, memory, columns) == len(rows)
    assert export(engine, spec, sort, duck, columns) == len(rows)
    assert duck.read_bytes() == memory.read_bytes()
    assert len(pd.read_csv(duck)) == len(rows) > 0


@pytest.mark.parametrize(
    "sort",
    [
        [],
        [("start", True)],
        [("start", False)],
        [("fatalities", False), ("admin1", True)],  # unknown tolls: their own, last part
        [("admin1", True)],  # categorical: by rank, spellings tied
        [("title", False)],
        [("end", True), ("id", False)],
        [("ongoing", True)],  # no quantiles of booleans: one part
    ],
)
def test_an_export_written_in_parts_is_the_same_file(engines, sort, tmp_path: Path):
    """Parts of a few dozen rows (a big export's are 100,000), two written at once:
    joined, the memory engine's file byte for byte, whatever the sort."""
    state, engine, _folder = engines
    spec = FilterSpec(text="a")
    state.set_filter(spec)
    state.set_sort(sort)
    rows = choose_rows(state, "filtered")
    memory, duck = tmp_path / "memory.csv", tmp_path / "duck.csv"
    export_rows(state.table, rows, memory, "canonical")
    shares: list[float] = []
    assert export(engine, spec, sort, duck, part_rows=37, progress=shares.append) == len(rows)
    assert duck.read_bytes() == memory.read_bytes()
    assert len(rows) > 4 * 37
    if sort != [("ongoing", True)]:
        assert len(shares) > 4 and shares[-1] == 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["duck.csv", "memory.csv"]  # no parts


def test_a_cancel_between_two_parts_stops_the_export(engines, tmp_path: Path):
    _state, engine, _folder = engines
    out = tmp_path / "out.csv"
    out.write_text("keep me")

    def cancel_at_once(_share: float) -> None:
        engine.interrupt()  # between parts: no query of the export is running

    with pytest.raises(duckdb.InterruptException):
        export(engine, FilterSpec(), [], out, part_rows=20, progress=cancel_at_once)
    assert out.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_parquet_export_holds_the_same_rows_and_values(engines):
    state, engine, folder = engines
    spec, sort = FilterSpec(regions=("segou",)), [("title", True)]
    state.set_filter(spec)
    state.set_sort(sort)
    rows = choose_rows(state, "filtered")
    memory, duck = folder / "memory.parquet", folder / "duck.parquet"
    export_rows(state.table, rows, memory, "canonical", "parquet")
    assert export(engine, spec, sort, duck, "canonical", "parquet") == len(rows)
    a, b = pd.read_parquet(memory), pd.read_parquet(duck)
    assert list(a.columns) == list(b.columns)
    for column in a.columns:
        assert a[column].astype(str).tolist() == b[column].astype(str).tolist(), column


def test_bom_and_a_failed_export_leaves_the_old_file(engines, tmp_path: Path):
    _state, engine, _folder = engines
    out = tmp_path / "out.csv"
    export(engine, FilterSpec(), [], out, bom=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,dataset,")
    out.write_text("keep me")
    with pytest.raises(Exception, match="original layout|cannot"):
        export(engine, FilterSpec(), [], tmp_path / "missing" / "x.csv")
    assert out.read_text() == "keep me"


def test_interrupt_stops_a_running_query(engines):
    _state, engine, _folder = engines
    outcome: list[BaseException | None] = []

    def slow() -> None:
        try:
            engine.query("SELECT count(*) FROM range(10000000000) a, range(1000) b")
            outcome.append(None)
        except BaseException as err:  # the interrupt, as the worker sees it
            outcome.append(err)

    thread = threading.Thread(target=slow)
    thread.start()
    while thread.is_alive():
        if engine.is_running():
            engine.interrupt()
        thread.join(0.05)
    assert outcome and isinstance(outcome[0], duckdb.InterruptException)
    assert engine.count() > 0  # the engine goes on answering


@pytest.mark.slow
def test_work_bigger_than_the_memory_limit_spills_instead_of_failing(tmp_path: Path):
    data = tmp_path / "big.parquet"
    duckdb.sql(
        "COPY (SELECT 'e' || i AS id, 'bench' AS dataset, 'attack' AS category, "
        'make_timestamp_ns(i * 1000000000) AS start, make_timestamp_ns(i * 1000000000) AS "end", '
        "md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS title, md5(i::VARCHAR) AS notes "
        f"FROM range(1500000) t(i)) TO '{data}' (FORMAT parquet)"
    )
    assert data.stat().st_size > 100 * 2**20  # bigger than the limit, even compressed
    spill = tmp_path / "spill"
    engine = DuckEngine(data, memory_limit="100MB", threads=1, temp_directory=spill)
    try:
        with pytest.raises(EngineError, match="Out of Memory"):  # the limit holds
            engine.query(
                "SELECT list(title) FROM events"  # one value holding them all: cannot spill
            )
        out = tmp_path / "sorted.parquet"
        count = export(engine, FilterSpec(), [("title", False)], out, fmt="parquet")
        assert count == 1_500_000
        first = pd.read_parquet(out, columns=["title"]).iloc[0, 0]
        assert first == engine.scalar("SELECT max(lower(title)) FROM events")
    finally:
        engine.close()


def test_awkward_values_are_written_as_the_memory_engine_writes_them(tmp_path: Path):
    """Quotes, commas and line breaks in text, accents, floats of every size and sign
    (whole ones in a column of fractions), unknowns: the DuckDB file, in parts and in
    one, is the memory engine's byte for byte."""
    from tests.storage.engine_fixtures import events_frame
    from timeline_app.storage.convert import convert

    frame = events_frame(160, seed=5)
    frame.loc[:9, "title"] = [
        'He said "go", then left',
        "a, b, c",
        "two\nlines",
        "tab\there",
        '"',
        "ünïcödé — ok",
        " leading space",
        "trailing,",
        "semi;colon",
        "'single'",
    ]
    frame.loc[:9, "notes"] = ['""', "x\r\ny", ",", "€", "plain", 'a"b', "", "z", "é", "\\"]
    frame.loc[:9, "latitude"] = [1e-7, 12.0, -0.5, 89.999999, 1.0 / 3, 45.5, -12.25, 0.1, 7.0, 1e-3]
    frame.loc[:9, "longitude"] = [
        123.456789012,
        -0.0,
        2.5e-5,
        -179.99,
        100.0,
        3.0,
        0.3,
        -1.1,
        6.0,
        5,
    ]
    frame.loc[:9, "fatalities"] = [0, 1, 2, 1000000, np.nan, 3, 4, 5, 6, 7]
    csv_path, parquet = tmp_path / "awkward.csv", tmp_path / "awkward.parquet"
    frame.to_csv(csv_path, index=False)
    convert([load(csv_path, use_cache=False)], parquet)
    state = AppState()
    state.add_dataset(load(parquet, use_cache=False))
    engine = DuckEngine(parquet)
    try:
        for sort in ([("start", True)], [("title", False)]):
            state.set_filter(FilterSpec())
            state.set_sort(sort)
            rows = choose_rows(state, "filtered")
            memory = tmp_path / "memory.csv"
            export_rows(state.table, rows, memory, "canonical")
            for part_rows in (37, 100_000):
                duck = tmp_path / f"duck-{part_rows}.csv"
                assert export(engine, FilterSpec(), sort, duck, part_rows=part_rows) == 160
                assert duck.read_bytes() == memory.read_bytes(), (sort, part_rows)
        text = memory.read_text(encoding="utf-8")
        assert '"He said ""go"", then left"' in text and '"two\nlines"' in text
        assert ",1e-7,123.456789012," in text and ",12,-0," in text
    finally:
        engine.close()


@pytest.mark.parametrize("columns", ["canonical", "original"])
def test_parts_share_duckdbs_threads_and_give_them_back(engines, tmp_path: Path, columns):
    """Two parts at a time, each on half of DuckDB's threads while the export runs (a
    sort spread over threads costs more than it saves when the parts already fill the
    cores); after it, and after a failed one, the engine has all its threads again."""
    state, _engine, folder = engines
    engine = DuckEngine(folder / "events.parquet", threads=4)
    try:
        seen: list[int] = []

        def note(_share: float) -> None:
            seen.append(int(engine.scalar("SELECT current_setting('threads')")))

        spec, sort = FilterSpec(text="a"), [("start", False)]
        state.set_filter(spec)
        state.set_sort(sort)
        memory, duck = tmp_path / "memory.csv", tmp_path / "duck.csv"
        export_rows(state.table, choose_rows(state, "filtered"), memory, columns)
        export(engine, spec, sort, duck, columns, part_rows=37, progress=note)
        assert duck.read_bytes() == memory.read_bytes()
        assert len(seen) > 4 and set(seen) == {2}
        assert engine.scalar("SELECT current_setting('threads')") == 4

        def cancel(_share: float) -> None:
            engine.interrupt()

        with pytest.raises(duckdb.InterruptException):
            export(engine, spec, sort, duck, columns, part_rows=37, progress=cancel)
        assert engine.scalar("SELECT current_setting('threads')") == 4
    finally:
        engine.close()
