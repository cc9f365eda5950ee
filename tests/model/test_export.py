"""Exports: exactly the chosen rows, in display order, re-readable, written atomically."""

from __future__ import annotations

import errno
import json
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.formats.registry import load
from timeline_app.model import export as export_module
from timeline_app.model.dataset import Dataset, LoadReport, file_sha256
from timeline_app.model.export import (
    BOM,
    ExportCancelled,
    ExportError,
    choose_rows,
    export_rows,
    original_layout_available,
)
from timeline_app.model.filters import FilterSpec
from timeline_app.model.provenance import (
    ExportChoice,
    build_provenance,
    read_provenance,
    sidecar_path,
    write_provenance,
)
from timeline_app.model.schema import CANONICAL_COLUMNS, conform
from timeline_app.model.state import AppState, TimeRange

COMPARED = [c for c in CANONICAL_COLUMNS if c != "dataset"]


@pytest.fixture
def state() -> AppState:
    state = AppState()
    state.add_dataset(load(CONTEXT_CSV))
    state.set_sort([])  # the file's order: round trips are compared row by row
    return state


def ids_in_csv(path: Path) -> list[str]:
    return pd.read_csv(path, dtype=str, keep_default_na=False)["id"].tolist()


def ids_of(state: AppState, rows) -> list[str]:
    return [str(v) for v in state.table.df["id"].to_numpy()[rows]]


def same_events(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a[COMPARED].reset_index(drop=True)
    b = b[COMPARED].reset_index(drop=True)
    for col in COMPARED:
        left = a[col].astype(object).where(a[col].notna(), None).tolist()
        right = b[col].astype(object).where(b[col].notna(), None).tolist()
        assert left == right, col


# -- which rows -------------------------------------------------------------------------------
def test_filtered_rows_follow_the_display_order(state: AppState):
    state.set_filter(FilterSpec(categories=("attack",)))
    state.set_sort([("start", False), ("title", True)])
    rows = choose_rows(state, "filtered")
    assert ids_of(state, rows) == ids_of(state, state.visible)
    assert set(state.table.df["category"].to_numpy()[rows]) == {"attack"}
    starts = state.table.start_ns[rows]
    assert (np.diff(starts) <= 0).all()  # newest first, as the table shows


def test_selected_rows_are_exactly_the_selection_in_display_order(state: AppState):
    state.set_sort([("title", True)])
    picked = [int(state.visible[5]), int(state.visible[1]), int(state.visible[3])]
    state.select(picked)
    rows = choose_rows(state, "selected")
    assert ids_of(state, rows) == ids_of(state, [state.visible[i] for i in (1, 3, 5)])


def test_range_with_and_without_the_other_filters(state: AppState):
    state.set_filter(FilterSpec(categories=("attack",)))
    start = pd.Timestamp("2023-09-07").value
    end = pd.Timestamp("2023-09-08T23:59:59").value
    state.set_range(TimeRange(start, end))
    with_filters = ids_of(state, choose_rows(state, "range"))
    everything = ids_of(state, choose_rows(state, "range_all"))
    assert with_filters == ["ctx-09", "ctx-10", "ctx-11", "ctx-12"]
    # Ignoring the filters brings back the blockade and the mourning period.
    assert set(everything) == set(with_filters) | {"ctx-03", "ctx-13"}
    assert everything == sorted(everything)  # file order, as the unsorted table


def test_range_ignoring_filters_still_uses_the_sort(state: AppState):
    state.set_filter(FilterSpec(categories=("attack",)))
    state.set_sort([("title", False)])
    state.set_range(TimeRange(pd.Timestamp("2023-09-07").value, pd.Timestamp("2023-09-10").value))
    rows = choose_rows(state, "range_all")
    titles = state.table.df["title"].to_numpy()[rows].tolist()
    assert titles == sorted(titles, key=str.casefold, reverse=True)


# -- formats and round trips ---------------------------------------------------------------------
def test_canonical_csv_round_trip_gives_the_same_events(state: AppState, tmp_path: Path):
    out = tmp_path / "all.csv"
    rows = choose_rows(state, "filtered")
    assert export_rows(state.table, rows, out) == len(state.table)
    again = load(out)
    assert again.report.rows_rejected == 0
    same_events(again.events, state.table.df)


def test_parquet_round_trip(state: AppState, tmp_path: Path):
    state.set_sort([("start", False)])
    out = tmp_path / "sorted.parquet"
    rows = choose_rows(state, "filtered")
    export_rows(state.table, rows, out, fmt="parquet")
    same_events(load(out).events, state.table.df.iloc[rows])


def test_times_of_day_survive_a_csv_round_trip(tmp_path: Path):
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "start": pd.to_datetime(["2023-09-07 14:30", "2023-09-08"], format="mixed"),
            "title": ["afternoon, with a comma", 'quoted "title"'],
            "fatalities": [np.nan, 3.0],
        }
    )
    table = AppState()
    table.add_dataset(Dataset("t", conform(frame), LoadReport(format="native")))
    out = tmp_path / "times.csv"
    export_rows(table.table, np.arange(2), out)
    text = out.read_text(encoding="utf-8")
    assert "2023-09-07T14:30:00" in text and "2023-09-08T00:00:00" in text
    assert ',"afternoon, with a comma",' in text
    same_events(load(out).events, table.table.df)
    # Unknown fatalities stay unknown (an empty cell), never 0.
    assert pd.isna(load(out).events["fatalities"].iloc[0])


def test_bom_is_written_only_when_asked(state: AppState, tmp_path: Path):
    rows = choose_rows(state, "filtered")
    export_rows(state.table, rows, tmp_path / "bom.csv", bom=True)
    export_rows(state.table, rows, tmp_path / "plain.csv")
    assert (tmp_path / "bom.csv").read_bytes().startswith(BOM + b"id,")
    assert (tmp_path / "plain.csv").read_bytes().startswith(b"id,")
    same_events(load(tmp_path / "bom.csv").events, state.table.df)


def test_xlsx_holds_the_rows_cell_by_cell(state: AppState, tmp_path: Path):
    state.set_filter(FilterSpec(actors=("JNIM",)))
    rows = choose_rows(state, "filtered")
    out = tmp_path / "jnim.xlsx"
    export_rows(state.table, rows, out, fmt="xlsx")
    book = load_workbook(out, read_only=True)
    table_rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert list(table_rows[0]) == list(CANONICAL_COLUMNS)
    assert len(table_rows) == len(rows) + 1
    df = state.table.df
    for cells, row in zip(table_rows[1:], rows, strict=True):
        record = dict(zip(table_rows[0], cells, strict=True))
        assert record["id"] == df["id"].iloc[row]
        assert record["title"] == df["title"].iloc[row]
        assert pd.Timestamp(record["start"]) == df["start"].iloc[row]
        fat = df["fatalities"].iloc[row]
        assert (record["fatalities"] is None) if pd.isna(fat) else record["fatalities"] == fat


def test_original_layout_writes_the_source_columns(state: AppState, tmp_path: Path):
    state.set_filter(FilterSpec(categories=("mourning",)))
    rows = choose_rows(state, "filtered")
    assert original_layout_available(state.table, rows)
    out = tmp_path / "orig.csv"
    export_rows(state.table, rows, out, columns="original")
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    source = pd.read_csv(CONTEXT_CSV, dtype=str, keep_default_na=False)
    assert list(written.columns) == list(source.columns)
    expected = source[source["category"] == "mourning"].reset_index(drop=True)
    pd.testing.assert_frame_equal(written, expected)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_an_empty_original_export_writes_the_files_header(state: AppState, tmp_path, fmt):
    state.set_filter(FilterSpec(text="no event says this"))
    rows = choose_rows(state, "filtered")
    assert len(rows) == 0
    out = tmp_path / f"none.{fmt}"
    assert export_rows(state.table, rows, out, columns="original", fmt=fmt) == 0
    source = pd.read_csv(CONTEXT_CSV, dtype=str, keep_default_na=False)
    if fmt == "csv":
        written = pd.read_csv(out, dtype=str)
    elif fmt == "parquet":
        written = pd.read_parquet(out)
    else:
        written = pd.read_excel(out, dtype=str)
    assert list(written.columns) == list(source.columns) and len(written) == 0


def test_original_layout_refused_across_formats(state: AppState, tmp_path: Path):
    other = load(CONTEXT_CSV)
    other.format = "acled"  # pretend: a second source with another layout
    state.add_dataset(other)
    rows = choose_rows(state, "filtered")
    assert not original_layout_available(state.table, rows)
    # Rows from one of them only: allowed again.
    assert original_layout_available(state.table, rows[:3])
    with pytest.raises(ExportError, match="original layout"):
        export_rows(state.table, rows, tmp_path / "x.csv", columns="original")
    assert not (tmp_path / "x.csv").exists()


def test_empty_export_writes_just_the_header(state: AppState, tmp_path: Path):
    out = tmp_path / "none.csv"
    assert export_rows(state.table, np.empty(0, np.int64), out) == 0
    assert out.read_text().splitlines() == [",".join(CANONICAL_COLUMNS)]


# -- atomic writes, failures, progress ---------------------------------------------------------
GOOD = b"a good file that must survive\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_cancelled_export_leaves_the_good_file(state: AppState, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(export_module, "CHUNK_ROWS", 4)  # several chunks from 18 rows
    out = tmp_path / "keep.csv"
    out.write_bytes(GOOD)
    calls = []

    def cancel_after_first_chunk() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(ExportCancelled):
        export_rows(
            state.table, choose_rows(state, "filtered"), out, cancelled=cancel_after_first_chunk
        )
    assert out.read_bytes() == GOOD
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_failing_disk_gives_a_clear_message_and_keeps_the_good_file(
    state: AppState, tmp_path: Path, monkeypatch, fmt: str
):
    out = tmp_path / f"keep.{fmt}"
    out.write_bytes(GOOD)

    def full_disk(data, fh, *args):
        fh.write(b"half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, f"_write_{fmt}", full_disk)
    with pytest.raises(ExportError) as err:
        export_rows(state.table, choose_rows(state, "filtered"), out, fmt=fmt)
    message = str(err.value)
    assert "No space left on device" in message and str(out) in message
    assert "\n" not in message
    assert out.read_bytes() == GOOD
    assert leftovers(tmp_path) == []


def test_impossible_paths_fail_with_one_line(state: AppState, tmp_path: Path):
    rows = choose_rows(state, "filtered")
    with pytest.raises(ExportError, match="does not exist"):
        export_rows(state.table, rows, tmp_path / "no" / "such" / "folder" / "x.csv")
    with pytest.raises(ExportError, match="is a folder"):
        export_rows(state.table, rows, tmp_path)
    with pytest.raises(ExportError, match="unknown export format"):
        export_rows(state.table, rows, tmp_path / "x.doc", fmt="doc")


def test_read_only_folder_is_a_clear_error(state: AppState, tmp_path: Path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        probe = folder / "probe"
        try:
            probe.write_text("x")  # root ignores permissions: nothing to test then
            pytest.skip("running as root: a read-only folder is writable")
        except PermissionError:
            pass
        with pytest.raises(ExportError, match="Permission denied"):
            export_rows(state.table, choose_rows(state, "filtered"), folder / "x.csv")
    finally:
        folder.chmod(0o700)


def test_progress_rises_to_one(state: AppState, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(export_module, "CHUNK_ROWS", 5)
    seen: list[float] = []
    export_rows(
        state.table, choose_rows(state, "filtered"), tmp_path / "p.csv", progress=seen.append
    )
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 4


def test_xlsx_refuses_more_rows_than_a_sheet_holds(state: AppState, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(export_module, "XLSX_MAX_ROWS", 10)
    with pytest.raises(ExportError, match="Excel"):
        export_rows(state.table, choose_rows(state, "filtered"), tmp_path / "x.xlsx", fmt="xlsx")


# -- provenance ----------------------------------------------------------------------------------
def test_provenance_records_sources_filter_range_and_command(state: AppState, tmp_path: Path):
    spec = FilterSpec(actors=("JNIM",), date_from=datetime(2023, 9, 1), fatalities_min=1)
    state.set_filter(spec)
    state.set_sort([("start", False)])
    state.set_range(TimeRange(pd.Timestamp("2023-09-05").value, pd.Timestamp("2023-09-09").value))
    rows = choose_rows(state, "range")
    out = tmp_path / "around 7 Sept.csv"
    export_rows(state.table, rows, out)
    choice = ExportChoice(
        out=out,
        scope="range",
        spec=state.spec,
        sort_keys=state.sort_keys,
        time_range=state.range,
    )
    sidecar = write_provenance(out, build_provenance(state.table, rows, choice, file_sha256(out)))
    assert sidecar == sidecar_path(out) == tmp_path / "around 7 Sept.csv.provenance.json"
    data = read_provenance(sidecar)
    assert data["row_count"] == len(rows) == len(pd.read_csv(out))
    assert FilterSpec.from_dict(data["filter"]) == spec
    assert data["range"]["start_ns"] == state.range.start_ns
    assert data["range"]["start"].startswith("2023-09-05")
    assert data["app_version"] and data["created"].endswith("+00:00")
    assert data["output"]["sha256"] == file_sha256(out)
    [source] = data["sources"]
    assert source["path"] == str(CONTEXT_CSV.resolve())
    assert source["sha256"] == file_sha256(CONTEXT_CSV)
    assert source["format"] == "native"
    assert source["licence"].startswith("CC BY 4.0")
    assert "Mali 2022-2023" in source["citation"]
    assert source["rows_exported"] == len(rows)
    argv = data["argv"]
    assert argv[:3] == ["timeline-app", "export", str(CONTEXT_CSV.resolve())]
    assert argv[argv.index("--actor") + 1] == "JNIM"
    assert argv[argv.index("--from") + 1] == "2023-09-01"
    assert argv[argv.index("--min-fatalities") + 1] == "1"
    assert argv[argv.index("--sort") + 1] == "start:desc"
    assert argv[argv.index("--range") + 1 : argv.index("--range") + 3] == [
        "2023-09-05T00:00:00",
        "2023-09-09T00:00:00",
    ]
    assert json.loads(sidecar.read_text())["command"].startswith("timeline-app export /")


def test_provenance_of_a_range_ignoring_filters_has_no_filter(state: AppState, tmp_path: Path):
    state.set_filter(FilterSpec(actors=("JNIM",)))
    state.set_range(TimeRange(pd.Timestamp("2023-09-05").value, pd.Timestamp("2023-09-09").value))
    rows = choose_rows(state, "range_all")
    choice = ExportChoice(
        out=tmp_path / "x.csv", scope="range_all", spec=state.spec, time_range=state.range
    )
    data = build_provenance(state.table, rows, choice)
    assert data["filter"] is None and data["filters_applied"] is False
    assert "--actor" not in data["argv"] and "--range" in data["argv"]


def test_no_command_for_a_dataset_without_a_file(tmp_path: Path):
    state = AppState()
    events = conform(pd.DataFrame({"id": ["x"], "start": ["2023-01-01"], "title": ["t"]}))
    state.add_dataset(Dataset("memory", events, LoadReport(format="native")))
    data = build_provenance(state.table, np.arange(1), ExportChoice(out=tmp_path / "m.csv"))
    assert data["command"] is None and data["sources"][0]["path"] is None
    assert data["command_note"] == "no command: memory came from no file"


# -- slices: the same file whatever the slice size -----------------------------------------------
def test_take_rows_over_many_chunks_matches_plain_indexing():
    import pyarrow as pa

    values = [f"v{i}" if i % 7 else None for i in range(50)]
    chunked = pa.chunked_array([values[i : i + 8] for i in range(0, 50, 8)])
    rng = np.random.default_rng(7)
    for rows in (
        rng.permutation(50),
        np.sort(rng.choice(50, 20, replace=False)),
        np.arange(10, 30),
        np.array([49, 0, 49]),
        np.empty(0, np.int64),
    ):
        taken = export_module.take_rows(chunked, rows)
        assert taken.to_pylist() == [values[i] for i in rows]


def test_whole_file_choices_hold_across_slices(tmp_path: Path, monkeypatch):
    frame = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(6)],
            "start": pd.to_datetime(
                [
                    "2023-01-01",
                    "2023-01-02",
                    "2023-01-03",
                    "2023-01-04",
                    "2023-01-05 06:30",
                    "2023-01-06",
                ],
                format="mixed",
            ),
            "title": ["t"] * 6,
            "fatalities": [1.0, 2.0, np.nan, 4.0, 5.5, 6.0],
            "latitude": [12.5, 13.0, 14.25, np.nan, 15.0, 16.125],
        }
    )
    state = AppState()
    state.add_dataset(Dataset("s", conform(frame), LoadReport(format="native")))
    rows = np.array([5, 4, 3, 2, 1, 0])
    monkeypatch.setattr(export_module, "CHUNK_ROWS", 2)  # three slices, written in parallel
    export_rows(state.table, rows, tmp_path / "sliced.csv")
    monkeypatch.setattr(export_module, "CHUNK_ROWS", 1000)
    export_rows(state.table, rows, tmp_path / "whole.csv")
    assert (tmp_path / "sliced.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    text = pd.read_csv(tmp_path / "sliced.csv", dtype=str, keep_default_na=False)
    # One time of day in the column: every date has its time, in every slice.
    assert text["start"].tolist()[:2] == ["2023-01-06T00:00:00", "2023-01-05T06:30:00"]
    assert text["fatalities"].tolist() == ["6", "5.5", "4", "", "2", "1"]
    assert text["latitude"].tolist() == ["16.125", "15", "", "14.25", "13", "12.5"]
    same_events(load(tmp_path / "sliced.csv").events, state.table.df.iloc[rows])


# -- UCDP GED beside the context events ----------------------------------------------------------
@pytest.fixture
def both() -> AppState:
    state = AppState()
    state.add_dataset(load(CONTEXT_CSV))
    state.add_dataset(load(UCDP_SAMPLE))
    return state


def test_ucdp_rows_in_their_original_layout_are_the_source_rows(both: AppState, tmp_path: Path):
    both.set_filter(FilterSpec(actors=("JNIM",), date_from=datetime(2023, 9, 1)))
    rows = choose_rows(both, "filtered")
    assert not original_layout_available(both.table, rows)  # context and UCDP rows
    ucdp = rows[both.table.dataset_index(rows) == 1]
    assert len(ucdp) and original_layout_available(both.table, ucdp)
    out = tmp_path / "ucdp.csv"
    export_rows(both.table, ucdp, out, columns="original")
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    source = pd.read_csv(UCDP_SAMPLE, dtype=str, keep_default_na=False)
    assert list(written.columns) == list(source.columns)
    by_id = source.set_index("id")
    for _, record in written.iterrows():  # multi-line descriptions and all
        assert record.drop("id").to_dict() == by_id.loc[record["id"]].to_dict()


def test_mixed_sources_round_trip_in_canonical_columns(both: AppState, tmp_path: Path):
    both.set_sort([("start", True), ("title", True)])
    rows = choose_rows(both, "filtered")
    out = tmp_path / "both.parquet"
    export_rows(both.table, rows, out, fmt="parquet")
    written = pd.read_parquet(out)
    assert written["dataset"].tolist() == [
        str(v) for v in both.table.df["dataset"].to_numpy()[rows]
    ]
    same_events(load(out).events, both.table.df.iloc[rows])
    csv_out = tmp_path / "both.csv"
    export_rows(both.table, rows, csv_out)
    same_events(load(csv_out).events, both.table.df.iloc[rows])


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_really_full_disk_is_one_clear_line(
    state: AppState, tmp_path: Path, monkeypatch, fmt: str
):
    """The real writers on a device that is always full (ENOSPC from the kernel)."""
    import pyarrow as pa

    real = pa.OSFile
    monkeypatch.setattr(export_module.pa, "OSFile", lambda _name, mode: real("/dev/full", mode))
    monkeypatch.setattr(export_module, "CHUNK_ROWS", 2)
    out = tmp_path / f"keep.{fmt}"
    out.write_bytes(GOOD)
    with pytest.raises(ExportError) as err:
        export_rows(state.table, choose_rows(state, "filtered"), out, fmt=fmt)
    assert str(err.value) == f"cannot write {out}: No space left on device"
    assert out.read_bytes() == GOOD
    assert leftovers(tmp_path) == []


def test_sorted_export_is_the_same_whether_text_chunks_are_glued_or_not(
    both: AppState, tmp_path: Path, monkeypatch
):
    import pyarrow as pa

    notes = pa.chunked_array(both.table.df["notes"].array.__arrow_array__())
    assert notes.num_chunks > 1  # two sources: the text columns come in several chunks
    both.set_sort([("title", False)])
    rows = choose_rows(both, "filtered")
    monkeypatch.setattr(export_module, "CHUNK_ROWS", 7)
    monkeypatch.setattr(export_module, "COMBINE_AT", 0.0)
    export_rows(both.table, rows, tmp_path / "glued.csv")
    monkeypatch.setattr(export_module, "COMBINE_AT", 2.0)
    export_rows(both.table, rows, tmp_path / "chunked.csv")
    assert (tmp_path / "glued.csv").read_bytes() == (tmp_path / "chunked.csv").read_bytes()
    monkeypatch.setattr(export_module, "COMBINE_AT", 0.0)
    monkeypatch.setattr(export_module, "COMBINE_MAX_BYTES", notes.nbytes - 1)
    export_rows(both.table, rows, tmp_path / "notes_chunked.csv")
    assert (tmp_path / "glued.csv").read_bytes() == (tmp_path / "notes_chunked.csv").read_bytes()
    assert ids_in_csv(tmp_path / "glued.csv") == ids_of(both, both.visible)


def test_a_sorted_export_of_every_row_glues_small_text_columns_only(both: AppState, monkeypatch):
    """Glued, a text column is one take per slice; but a glued copy of the 1M notes held
    ~370 MB for the whole export (the benchmark's peak): past COMBINE_MAX_BYTES a text
    column stays in its chunks, taken a chunk at a time in each slice."""
    import pyarrow as pa

    notes = pa.chunked_array(both.table.df["notes"].array.__arrow_array__())
    ids = pa.chunked_array(both.table.df["id"].array.__arrow_array__())
    assert ids.nbytes < notes.nbytes and ids.num_chunks > 1
    both.set_sort([("title", False)])
    rows = choose_rows(both, "filtered")
    monkeypatch.setattr(export_module, "COMBINE_MAX_BYTES", notes.nbytes - 1)
    source = export_module._Source(both.table, rows, "canonical")
    assert isinstance(source._text["notes"], pa.ChunkedArray)
    assert source._text["notes"].num_chunks == notes.num_chunks
    assert isinstance(source._text["id"], pa.Array)  # glued: one take per slice
