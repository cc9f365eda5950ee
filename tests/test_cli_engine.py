"""``--engine {auto,memory,duckdb}`` on every command: the same answers, files and
provenance from both engines on the same Parquet data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests.conftest import CONTEXT_CSV
from tests.storage.engine_fixtures import write_fixture
from timeline_app.cli import main
from timeline_app.commands import engines
from timeline_app.model.provenance import read_provenance, sidecar_path
from timeline_app.storage import engine_choice


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("cli-engine"))[1]


def run_json(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_inspect_says_the_same_on_both_engines(parquet, capsys):
    memory = run_json(capsys, "inspect", str(parquet), "--json", "--engine", "memory")
    duck = run_json(capsys, "inspect", str(parquet), "--json", "--engine", "duckdb")
    assert (memory.pop("engine"), duck.pop("engine")) == ("memory", "duckdb")
    assert duck == memory
    assert duck["events"] == 400


FILTERS = [
    ["--actor", "JNIM", "--sort", "fatalities:desc", "--sort", "admin1"],
    ["--region", "segou", "--text", "a", "--from", "2015-01-01", "--to", "2020-12-31"],
    ["--near", "14,-4,300", "--exclude-unknown-fatalities", "--sort", "start:desc"],
    ["--range", "2016-01-01", "2017-06-30", "--category", "attack", "--columns", "original"],
    ["--scope", "range_all", "--range", "2016-01-01", "2016-03-31", "--actor", "ISGS"],
]


@pytest.mark.parametrize("options", FILTERS, ids=lambda o: " ".join(o[:2]))
def test_export_writes_the_same_file_and_provenance(parquet, tmp_path, capsys, options):
    written = {}
    for engine in ("memory", "duckdb"):
        out = tmp_path / f"{engine}.csv"
        argv = ["export", str(parquet), *options, "--engine", engine, "-o", str(out)]
        assert main(argv) == 0, capsys.readouterr().err
        written[engine] = (out.read_bytes(), read_provenance(sidecar_path(out)))
    (memory, memory_record), (duck, duck_record) = written["memory"], written["duckdb"]
    assert duck == memory and memory.count(b"\n") > 1
    for record in (memory_record, duck_record):
        record.pop("created")
        record.pop("output")
        record.pop("argv")
        record["command"] = record["command"].rsplit(" -o ", 1)[0]
    assert duck_record == memory_record
    assert "--engine" not in duck_record["command"]  # either engine writes the same file


def test_the_provenance_command_writes_the_same_file_again(parquet, tmp_path, capsys):
    out = tmp_path / "first.csv"
    assert (
        main(["export", str(parquet), "--actor", "FAMa", "--engine", "duckdb", "-o", str(out)]) == 0
    )
    argv = read_provenance(sidecar_path(out))["argv"]
    again = tmp_path / "again.csv"
    argv[argv.index("-o") + 1] = str(again)
    assert main([*argv[1:], "--engine", "duckdb"]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_compare_counts_the_same_weeks_on_both_engines(parquet, capsys):
    argv = ["compare", str(parquet), "--at", "2018-03-05", "--weeks", "30", "--json"]
    memory = run_json(capsys, *argv, "--actor", "JNIM", "--engine", "memory")
    duck = run_json(capsys, *argv, "--actor", "JNIM", "--engine", "duckdb")
    assert duck == memory
    assert memory["before"]["events"] + memory["after"]["events"] > 0


def test_compare_writes_the_same_report_notes_and_files_on_both_engines(parquet, tmp_path, capsys):
    """From SQL aggregates: the notes and the sources' counts are the whole data's (read
    from the weeks alone, the data seemed to start within them)."""
    argv = ["compare", str(parquet), "--at", "2018-03-05", "--weeks", "30"]
    argv += ["--near", "15,0,600", "--outer-ring", "900", "--category", "attack"]
    said, records, tables = {}, {}, {}
    for engine in ("memory", "duckdb"):
        out = tmp_path / engine / "table.csv"
        out.parent.mkdir()
        assert main([*argv, "--engine", engine, "--table", str(out)]) == 0
        said[engine] = capsys.readouterr().out.replace(str(out), "OUT")
        tables[engine] = out.read_text(encoding="utf-8")
        record = read_provenance(sidecar_path(out))
        record.pop("created")
        record["output"].pop("path")
        record["command"] = record["command"].replace(str(out), "OUT")
        record["argv"] = [a.replace(str(out), "OUT") for a in record["argv"]]
        records[engine] = record
    assert said["duckdb"] == said["memory"] and "outer ring" in said["memory"]
    assert tables["duckdb"] == tables["memory"]
    assert records["duckdb"] == records["memory"]
    assert records["memory"]["sources"][0]["events"] == 400  # all of them, not the weeks'
    assert "starts on" not in said["memory"]  # the data cover the weeks: no note


def test_match_finds_the_same_pairs_on_both_engines(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = write_fixture(tmp_path / "a", rows=300, seed=1)[1]
    b = write_fixture(tmp_path / "b", rows=300, seed=2)[1]
    rule = ("--days", "10", "--km", "100")
    memory = run_json(capsys, "match", str(a), str(b), *rule, "--json", "--engine", "memory")
    duck = run_json(capsys, "match", str(a), str(b), *rule, "--json", "--engine", "duckdb")
    assert duck == memory and memory["pairs"]


def test_what_only_the_memory_engine_does_is_refused_with_a_reason(parquet, tmp_path, capsys):
    out = tmp_path / "x.csv"
    for option in (["--id", "events:e0001"], ["--canonical-actors"]):
        argv = ["export", str(parquet), *option, "--engine", "duckdb", "-o", str(out)]
        assert main(argv) == 2
        assert "needs --engine memory" in capsys.readouterr().err
    assert main(["export", str(CONTEXT_CSV), "--engine", "duckdb", "-o", str(out)]) == 2
    assert "reads Parquet" in capsys.readouterr().err
    assert not out.exists()


def test_auto_takes_duckdb_for_big_parquet_only(parquet, monkeypatch):
    args = argparse.Namespace(engine="auto")
    assert engines.engine_for(args, [parquet]) == "memory"  # small
    assert engines.engine_for(args, [CONTEXT_CSV]) == "memory"
    monkeypatch.setattr(engine_choice, "AUTO_DUCKDB_BYTES", parquet.stat().st_size)
    assert engines.engine_for(args, [parquet]) == "duckdb"
    assert engines.engine_for(args, [parquet, CONTEXT_CSV]) == "memory"  # not all Parquet
    assert engines.engine_for(argparse.Namespace(engine="memory"), [parquet]) == "memory"


def test_auto_takes_duckdb_for_many_events_in_few_bytes(parquet, monkeypatch):
    """The 10M-event benchmark file is 281 MB (its notes repeat): auto loaded it into
    memory (~25 GB) because it held less than 1 GiB. The footers' row count decides too."""
    import pyarrow.parquet as pq

    rows = pq.read_metadata(parquet).num_rows
    args = argparse.Namespace(engine="auto")
    monkeypatch.setattr(engine_choice, "AUTO_DUCKDB_EVENTS", rows + 1)
    assert engines.engine_for(args, [parquet]) == "memory"
    monkeypatch.setattr(engine_choice, "AUTO_DUCKDB_EVENTS", rows)
    assert engines.engine_for(args, [parquet]) == "duckdb"
    assert engines.engine_for(args, [parquet, CONTEXT_CSV]) == "memory"  # not all Parquet


def test_auto_leaves_a_damaged_parquet_file_to_the_reader_that_says_why(tmp_path, capsys):
    """A .parquet file whose footer cannot be read (a download cut short) was an
    unexpected error of the engine rule (pyarrow's, from the footers' row count) in the
    window and on every command; it goes to memory, whose reader says why it is not read."""
    bad = tmp_path / "cut.parquet"
    bad.write_bytes(b"PAR1 not a whole file")
    args = argparse.Namespace(engine="auto")
    assert engines.engine_for(args, [bad]) == "memory"
    assert main(["inspect", str(bad)]) != 0
    err = capsys.readouterr().err
    assert "details in" not in err  # the reader's one-line reason, not an unexpected error
