"""``timeline-app convert``: one sorted Parquet file in row groups that filters can skip,
with the canonical and the original columns and a provenance whose command writes the
same file again; the app opens it, a folder of Parquet files and a hive dataset."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from tests.storage.engine_fixtures import events_frame
from timeline_app.cli import main
from timeline_app.formats.registry import load
from timeline_app.model.dataset import file_sha256
from timeline_app.model.provenance import read_provenance, sidecar_path
from timeline_app.storage.convert import ROW_GROUP_ROWS
from timeline_app.storage.parquet_files import recorded_sources


def test_convert_writes_canonical_and_original_columns_with_a_provenance(tmp_path, capsys):
    out = tmp_path / "mali.parquet"
    assert main(["convert", str(CONTEXT_CSV), str(UCDP_SAMPLE), "-o", str(out)]) == 0
    assert "wrote 78 events" in capsys.readouterr().out
    table = pq.read_table(out)
    names = table.column_names
    assert names[:3] == ["id", "dataset", "category"]
    assert "original.date_start" in names and "original.best" in names  # UCDP's own
    frame = table.to_pandas()
    assert set(frame["dataset"]) == {CONTEXT_CSV.stem, UCDP_SAMPLE.stem}
    assert frame["start"].dtype == "datetime64[ns]"
    months = frame.groupby("dataset", sort=False)["start"].apply(lambda s: s.dt.to_period("M"))
    assert months.groupby(level=0).is_monotonic_increasing.all()  # by month within a source
    provenance = read_provenance(sidecar_path(out))
    assert provenance["row_count"] == 78
    assert provenance["layout"]["row_group_rows"] == ROW_GROUP_ROWS
    assert [s["events"] for s in provenance["sources"]] == [18, 60]
    assert provenance["sources"][1]["format"] == "ucdp"
    assert provenance["argv"][:2] == ["timeline-app", "convert"]
    # The command writes the same file again.
    argv = provenance["argv"]
    again = tmp_path / "again.parquet"
    argv[argv.index("-o") + 1] = str(again)
    assert main(argv[1:]) == 0
    assert pq.read_table(again).equals(table)
    assert shlex.split(provenance["command"])[1] == "convert"


def test_licences_and_citations_go_beside_the_converted_file(tmp_path):
    out = tmp_path / "mali.parquet"
    assert main(["convert", str(CONTEXT_CSV), str(UCDP_SAMPLE), "-o", str(out)]) == 0
    meta = json.loads((tmp_path / "mali.meta.json").read_text(encoding="utf-8"))
    assert "CC BY 4.0" in meta["licence"]
    assert (
        "Sundberg" in meta["citation"] and "Incident Timeline Explorer sample" in meta["citation"]
    )
    dataset = load(out, use_cache=False)
    assert dataset.citation == meta["citation"]


def test_a_sources_own_licence_and_citation_beside_it_are_never_rewritten(tmp_path, capsys):
    """X.csv and X.parquet share X.meta.json: converting X.csv and another source to
    X.parquet rewrote the sample's sidecar with both sources' licences and citations (and
    lost its title), so X.csv then opened citing the other source too."""
    import shutil

    for path in (UCDP_SAMPLE, CONTEXT_CSV):
        shutil.copy(path, tmp_path / path.name)
        meta = path.with_name(path.stem + ".meta.json")
        shutil.copy(meta, tmp_path / meta.name)
    ucdp, context = tmp_path / UCDP_SAMPLE.name, tmp_path / CONTEXT_CSV.name
    sidecar = tmp_path / f"{UCDP_SAMPLE.stem}.meta.json"
    before = sidecar.read_bytes()
    out = tmp_path / f"{UCDP_SAMPLE.stem}.parquet"
    assert main(["convert", str(ucdp), str(context), "-o", str(out)]) != 0
    err = capsys.readouterr().err
    assert f"{sidecar}: it is {ucdp.name}'s licence and citation too" in err
    assert sidecar.read_bytes() == before and not out.exists()
    assert load(ucdp, use_cache=False).citation == json.loads(before)["citation"]
    # That source alone: its sidecar says the file's licence and citation already.
    assert main(["convert", str(ucdp), "-o", str(out)]) == 0
    assert sidecar.read_bytes() == before
    assert load(out, use_cache=False).licence == json.loads(before)["licence"]
    # With no sidecar, one is written: the licence its reader gives (UCDP's), for both.
    sidecar.unlink()
    assert main(["convert", str(ucdp), "-o", str(out)]) == 0
    assert load(out, use_cache=False).licence == load(ucdp, use_cache=False).licence != ""


def test_the_converted_file_opens_with_the_sources_own_columns(tmp_path):
    out = tmp_path / "ucdp.parquet"
    assert main(["convert", str(UCDP_SAMPLE), "-o", str(out)]) == 0
    dataset = load(out, use_cache=False)
    source = pd.read_csv(UCDP_SAMPLE, dtype=str, keep_default_na=False)
    assert list(dataset.originals.columns) == list(source.columns)
    assert len(dataset.events) == 60
    assert sorted(dataset.originals["id"].astype(str)) == sorted(source["id"])


def test_row_groups_cover_separate_months_so_date_filters_skip_them(tmp_path):
    csv = tmp_path / "many.csv"
    events_frame(rows=200_000, seed=4).to_csv(csv, index=False)
    out = tmp_path / "many.parquet"
    assert main(["convert", str(csv), "-o", str(out)]) == 0
    meta = pq.ParquetFile(out).metadata
    assert meta.num_row_groups == -(-200_000 // ROW_GROUP_ROWS)
    start = meta.schema.to_arrow_schema().get_field_index("start")
    ranges = [
        (
            meta.row_group(i).column(start).statistics.min,
            meta.row_group(i).column(start).statistics.max,
        )
        for i in range(meta.num_row_groups)
    ]
    for (_lo, hi), (lo, _hi) in zip(ranges, ranges[1:], strict=False):
        assert pd.Timestamp(hi).to_period("M") <= pd.Timestamp(lo).to_period("M")
    years = {pd.Timestamp(lo).year for lo, _hi in ranges}
    assert len(years) > 1  # a filter on one year reads a part of them


def test_convert_refuses_what_it_cannot_write(tmp_path, capsys):
    assert main(["convert", str(CONTEXT_CSV), "-o", str(tmp_path / "x.csv")]) == 2
    assert "must be a .parquet file" in capsys.readouterr().err
    assert main(["convert", str(tmp_path / "none.csv"), "-o", str(tmp_path / "x.parquet")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not (tmp_path / "x.parquet").exists()


def test_a_folder_of_parquet_files_opens_as_one_dataset(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    assert main(["convert", str(CONTEXT_CSV), "-o", str(folder / "a.parquet")]) == 0
    assert main(["convert", str(UCDP_SAMPLE), "-o", str(folder / "b.parquet")]) == 0
    dataset = load(folder, use_cache=False)
    assert dataset.name == "parts" and len(dataset.events) == 78
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["inspect", str(empty)]) == 2


def test_a_file_of_several_sources_records_them_and_keeps_each_one_run(tmp_path, capsys):
    """The footer lists the sources (name, path, format, licence, citation, SHA-256,
    events) in the order of their rows, and each source's rows are one run, sorted by
    month within it: a file that says what it holds, read source by source."""
    out = tmp_path / "mali.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(out)]) == 0
    assert "note" not in capsys.readouterr().err
    records = recorded_sources(out)
    assert [r["name"] for r in records] == [UCDP_SAMPLE.stem, CONTEXT_CSV.stem]
    assert [r["events"] for r in records] == [60, 18]
    assert [r["format"] for r in records] == ["ucdp", "native"]
    assert records[0]["path"] == str(UCDP_SAMPLE.resolve())
    assert "Sundberg" in records[0]["citation"] and "CC BY 4.0" in records[0]["licence"]
    assert records[1]["sha256"] == file_sha256(CONTEXT_CSV)
    frame = pq.read_table(out, columns=["dataset", "start"]).to_pandas()
    assert list(frame["dataset"]) == [UCDP_SAMPLE.stem] * 60 + [CONTEXT_CSV.stem] * 18
    for _name, part in frame.groupby("dataset", sort=False):
        assert part["start"].dt.to_period("M").is_monotonic_increasing


def test_a_file_of_several_sources_loads_as_its_sources_an_older_one_as_one(tmp_path):
    out = tmp_path / "mali.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(out)]) == 0
    whole = load(out, use_cache=False)
    ucdp, context = whole.opened
    assert (ucdp.name, len(ucdp), context.name, len(context)) == (
        UCDP_SAMPLE.stem,
        60,
        CONTEXT_CSV.stem,
        18,
    )
    # The file's original columns, the sources' together (as DuckDB reads them).
    own = list(pd.read_csv(UCDP_SAMPLE, nrows=0, dtype=str).columns)
    assert list(ucdp.originals.columns)[: len(own)] == own
    assert ucdp.source["format"] == "ucdp" and context.source["format"] == "native"
    assert ucdp.format == "native" and ucdp.path == out  # how the file itself is read
    # Converted before the sources were recorded: one dataset named by the file.
    older = tmp_path / "older.parquet"
    pq.write_table(pq.read_table(out).replace_schema_metadata(None), older)
    assert [d.name for d in load(older, use_cache=False).opened] == ["older"]
    # One source: named by the file, as before.
    one = tmp_path / "ucdp.parquet"
    assert main(["convert", str(UCDP_SAMPLE), "-o", str(one)]) == 0
    assert [d.name for d in load(one, use_cache=False).opened] == ["ucdp"]


def test_an_export_of_the_sources_names_each_and_its_command_writes_it_again(tmp_path):
    """``export both.parquet --dataset A`` on either engine: the provenance lists each
    source with its counts, licence and origin, and its command writes the same file."""
    both = tmp_path / "both.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(both)]) == 0
    written = {}
    for engine in ("memory", "duckdb"):
        out = tmp_path / f"{engine}.csv"
        argv = ["export", str(both), "--engine", engine, "--dataset", CONTEXT_CSV.stem]
        assert main([*argv, "-o", str(out)]) == 0
        written[engine] = out.read_bytes()
        sources = read_provenance(sidecar_path(out))["sources"]
        assert [(s["dataset"], s["events"], s["rows_exported"]) for s in sources] == [
            (UCDP_SAMPLE.stem, 60, 0),
            (CONTEXT_CSV.stem, 18, 18),
        ]
        assert [s["converted_from"]["format"] for s in sources] == ["ucdp", "native"]
        assert "Sundberg" in sources[0]["citation"] and "Sundberg" not in sources[1]["citation"]
        assert {s["path"] for s in sources} == {str(both.resolve())}
        argv = read_provenance(sidecar_path(out))["argv"]
        assert argv.count(str(both.resolve())) == 1
        again = tmp_path / f"{engine}-again.csv"
        argv[argv.index("-o") + 1] = str(again)
        assert main(argv[1:]) == 0
        assert again.read_bytes() == out.read_bytes()
    assert written["memory"] == written["duckdb"]
    assert len(pd.read_csv(tmp_path / "memory.csv")) == 18


def test_the_likely_same_search_between_two_sources_is_the_same_on_both_engines(tmp_path):
    """One source's events reported again by another a little apart, both converted
    into one file: the pairs between the two sources are the same on either engine."""
    import numpy as np

    from timeline_app.model.matching import MatchRule, match_datasets
    from timeline_app.model.state import AppState
    from timeline_app.storage.duck.engine import DuckEngine
    from timeline_app.storage.duck.matching import match_source

    first = events_frame(rows=300, seed=2)
    other = first.sample(frac=0.7, random_state=3).reset_index(drop=True)
    other["id"] = ["o" + str(i) for i in range(len(other))]
    other["latitude"] = other["latitude"] + np.random.default_rng(5).choice(
        [0.0, 0.05, 0.5], len(other)
    )
    first.to_csv(tmp_path / "alpha.csv", index=False)
    other.to_csv(tmp_path / "beta.csv", index=False)
    both = tmp_path / "both.parquet"
    files = [str(tmp_path / "alpha.csv"), str(tmp_path / "beta.csv")]
    assert main(["convert", *files, "-o", str(both)]) == 0
    state = AppState()
    state.add_dataset(load(both, use_cache=False))
    rule = MatchRule(days=1, km=25)
    memory = match_datasets(state.table, "alpha", "beta", rule)
    engine = DuckEngine([both])
    try:
        duck = match_source(engine, "alpha", "beta", rule).result
    finally:
        engine.close()
    assert (memory.a_count, memory.b_count) == (duck.a_count, duck.b_count) == (300, 210)
    assert int(memory.taken.sum()) == int(duck.taken.sum()) > 0
    assert list(memory.score[memory.order]) == list(duck.score[duck.order])


def test_inspect_lists_the_sources_alike_on_both_engines(tmp_path, capsys):
    both = tmp_path / "both.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(both)]) == 0
    said = {}
    for engine in ("memory", "duckdb"):
        capsys.readouterr()
        assert main(["inspect", str(both), "--json", "--engine", engine]) == 0
        said[engine] = json.loads(capsys.readouterr().out)
        said[engine].pop("engine")
    assert said["memory"] == said["duckdb"]
    sources = said["memory"]["sources"]
    assert [(s["dataset"], s["events"], s["format"]) for s in sources] == [
        (UCDP_SAMPLE.stem, 60, "ucdp"),
        (CONTEXT_CSV.stem, 18, "native"),
    ]
    assert "Sundberg" in sources[0]["citation"] and said["memory"]["dataset"] == "both"


def test_a_file_of_several_sources_is_hashed_once_for_its_provenance(tmp_path, monkeypatch):
    """Each source of a converted file is a dataset of that one file: an export's or a
    conversion's provenance hashed the file once per source (a read of a big file each)."""
    from timeline_app.model import provenance

    both = tmp_path / "both.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(both)]) == 0
    hashed: list[str] = []

    def counted(path, *args):
        hashed.append(Path(path).name)
        return file_sha256(path, *args)

    monkeypatch.setattr(provenance, "file_sha256", counted)
    for argv in (
        ["export", "--engine", "memory", str(both), "-o", str(tmp_path / "m.csv")],
        ["export", "--engine", "duckdb", str(both), "-o", str(tmp_path / "d.csv")],
        ["convert", str(both), "-o", str(tmp_path / "again.parquet")],
    ):
        hashed.clear()
        assert main(argv) == 0
        assert hashed.count("both.parquet") <= 1, argv
    sources = read_provenance(sidecar_path(tmp_path / "d.csv"))["sources"]
    assert [s["sha256"] for s in sources] == [file_sha256(both)] * 2


def test_a_converted_file_never_goes_inside_a_folder_it_reads(tmp_path, capsys):
    """An input folder of Parquet files opens as every file in it: a conversion written
    inside it was read again with the rest next time, every event twice."""
    folder = tmp_path / "parts"
    folder.mkdir()
    assert main(["convert", str(CONTEXT_CSV), "-o", str(folder / "a.parquet")]) == 0
    capsys.readouterr()
    out = folder / "all.parquet"
    assert main(["convert", str(folder), "-o", str(out)]) != 0
    assert f"{out}: it is inside parts, an input folder" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == [
        "a.meta.json",
        "a.parquet",
        "a.parquet.provenance.json",
    ]
    assert len(load(folder, use_cache=False)) == 18
