"""The cache of files read before: a reopen gives back exactly what the reader gave, and a
file that changed, other options, or a broken entry are always read from the file again."""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from timeline_app.formats import registry
from timeline_app.formats.registry import load
from timeline_app.model.dataset import Dataset, LoadReport, Rejection, file_sha256
from timeline_app.storage import cache
from timeline_app.storage import frames as arrow_frames

FIXTURES = Path(__file__).parents[1] / "formats" / "fixtures"


@pytest.fixture(autouse=True)
def small_cache(tmp_path, monkeypatch):
    """Every file is big enough to cache; entries are written before ``load`` returns."""
    monkeypatch.setenv("TIMELINE_APP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "MIN_FILE_BYTES", 0)
    monkeypatch.setattr(cache, "MIN_FREE_BYTES", 0)
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", False)
    monkeypatch.setattr(cache, "RACY_S", 0)  # the files here were all written just now
    monkeypatch.setattr(cache, "SHA256_WAIT_S", 0)


def entries() -> list[Path]:
    root = cache.cache_dir()
    return sorted(p for p in root.iterdir() if cache._is_entry(p)) if root.is_dir() else []


def from_cache(dataset: Dataset) -> bool:
    return getattr(dataset.report, "from_cache", False)


def chunks(column: pd.Series) -> int:
    return column.array.__arrow_array__().num_chunks


def assert_same(a: Dataset, b: Dataset) -> None:
    for frame in ("events", "originals"):
        left, right = getattr(a, frame), getattr(b, frame)
        pd.testing.assert_frame_equal(left, right, check_exact=True)
        assert list(left.dtypes) == list(right.dtypes)
        for col in left.columns:
            if isinstance(left[col].dtype, pd.CategoricalDtype):
                assert left[col].cat.categories.dtype == right[col].cat.categories.dtype, col
                assert left[col].cat.codes.dtype == right[col].cat.codes.dtype, col
                np.testing.assert_array_equal(left[col].cat.codes, right[col].cat.codes)
    assert a.report.as_dict() == b.report.as_dict()
    assert a.report.rejected_samples == b.report.rejected_samples  # all, not the first 20
    assert a.report.rejected_by_reason == b.report.rejected_by_reason
    same = ("name", "format", "licence", "citation", "path", "sha256")
    assert [getattr(a, f) for f in same] == [getattr(b, f) for f in same]


# -- a reader of our own, to send every kind of column through the cache ---------------------


def awkward_frame() -> pd.DataFrame:
    n = 6
    strings = pa.chunked_array([["a", None, "ç"], ["d", "", None]], type=pa.large_string())
    return pd.DataFrame(
        {
            "cat_str": pd.Categorical(["x", None, "y", "x", "z", None]),
            "cat_obj": pd.Categorical(
                ["b", "a", None, "a", "b", "b"], categories=pd.Index(["b", "a"], dtype=object)
            ),
            "cat_int": pd.Categorical([3, 1, None, 3, 2, 1]),
            "cat_ordered": pd.Categorical(
                ["low", "high", "low", None, "mid", "high"],
                categories=["low", "mid", "high"],
                ordered=True,
            ),
            "cat_unused": pd.Categorical(["p"] * n, categories=["p", "never"]),
            "text_na": pd.array(["t", None, "u", "v", None, "w"], dtype="string[pyarrow]"),
            "text_str": pd.Series(["t", None, "u", "v", None, "w"], dtype="str"),
            "arrow_chunked": pd.arrays.ArrowExtensionArray(strings),
            "arrow_int": pd.array([1, None, 3, 4, 5, None], dtype=pd.ArrowDtype(pa.int64())),
            "start": np.array(
                ["2020-01-01", "NaT", "1900-02-03", "2024-12-31T23:59", "NaT", "2001-01-01"],
                dtype="datetime64[ns]",
            ),
            "micro": np.array(["2020-01-01T01:02:03.000004"] * n, dtype="datetime64[us]"),
            "number": [1.5, np.nan, -0.0, np.inf, 2.0, np.nan],
            "count": np.arange(n, dtype=np.int32),
            "flag": [True, False, True, True, False, False],
        }
    )


class FrameReader:
    """Reads nothing: returns a fixed frame; counts its reads."""

    name = "frames"
    label = "test frames"

    def __init__(self) -> None:
        self.reads = 0
        self.frame = awkward_frame()

    def sniff(self, probe) -> float:
        return 0.0

    def read(self, path, *, progress=None, cancelled=None, options=None) -> Dataset:
        self.reads += 1
        report = LoadReport(format=self.name, rows_read=9, events=6, rows_merged=1)
        report.reject(4, "unparseable date", "x,y,not a date")
        report.reject_many([7, 8], "no id", ["a", "b"])
        report.warnings.append("decoded as Windows-1252")
        report.encoding = "cp1252"
        events = self.frame.copy()
        return Dataset(
            name=Path(path).stem,
            events=events,
            report=report,
            originals=pd.DataFrame({"Raw Col": events["text_str"], "n": events["count"]}),
            licence="",
            citation="Made up (2026)",
        )


@pytest.fixture
def reader(monkeypatch) -> FrameReader:
    made = FrameReader()
    registry.readers()  # the built-in readers first, so ours is not replaced by them
    monkeypatch.setitem(registry._READERS, made.name, made)
    return made


@pytest.fixture
def data_file(tmp_path) -> Path:
    path = tmp_path / "events.txt"
    path.write_text("anything\n" * 10, encoding="utf-8")
    return path


# -- the round trip ---------------------------------------------------------------------------


def test_every_kind_of_column_comes_back_exactly(reader, data_file):
    first = load(data_file, "frames")
    assert not from_cache(first) and len(entries()) == 1
    again = load(data_file, "frames")
    assert from_cache(again) and reader.reads == 1
    assert_same(first, again)
    pd.testing.assert_frame_equal(again.events, awkward_frame(), check_exact=True)
    assert again.report.rejected_samples[0] == Rejection(4, "unparseable date", "x,y,not a date")
    assert again.report.balanced is first.report.balanced
    assert isinstance(again.events["text_na"].array, pd.arrays.ArrowStringArray)
    assert chunks(again.events["arrow_chunked"]) == chunks(first.events["arrow_chunked"]) == 2
    again.events.loc[0, "number"] = 99.0  # the app may change its copy; the cache does not
    assert load(data_file, "frames").events.loc[0, "number"] == 1.5


def test_acled_file_round_trip_with_rejected_rows(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_bytes((FIXTURES / "acled_bad_rows.csv").read_bytes())
    first = load(path)
    assert first.report.rows_rejected > 0 and first.originals is not None
    again = load(path)
    assert from_cache(again)
    assert_same(first, again)
    assert again.events["start"].dtype == "datetime64[ns]"
    for col in ("id", "title", "notes"):
        assert again.events[col].dtype == first.events[col].dtype
        assert chunks(again.events[col]) == chunks(first.events[col])  # as the reader made them


def test_acled_1m_benchmark_file_round_trip_when_present(tmp_path):
    """The real shape at scale (the benchmark's generated file, if this machine has it)."""
    big = Path(__file__).resolve().parents[2] / ".bench-cache" / "acled_like_v1_100000.csv"
    if not big.is_file():
        pytest.skip("no generated benchmark file here (make bench makes one)")
    first = load(big)
    again = load(big)
    assert from_cache(again)
    assert_same(first, again)
    for col in ("id", "title", "notes"):
        assert chunks(again.events[col]) == chunks(first.events[col])


def test_the_cache_keeps_every_field_of_a_dataset_and_its_report():
    """Fails when Dataset or LoadReport gains a field the cache does not carry."""
    carried = {"name", "events", "report", "originals", "path", "format", "licence"}
    carried |= {"citation", "sha256"}
    carried |= {"options"}  # not stored: the registry sets it from the load's options
    carried |= {"parts", "source"}  # not stored: cut from the file's events on each load
    assert {f.name for f in dataclasses.fields(Dataset)} == carried
    report = arrow_frames.report_to_json(LoadReport(format="x"))
    assert set(report) == {f.name for f in dataclasses.fields(LoadReport)}


def test_sidecar_licence_is_read_each_time_not_cached(reader, data_file):
    sidecar = data_file.with_name("events.meta.json")
    sidecar.write_text(json.dumps({"licence": "CC BY 4.0"}), encoding="utf-8")
    assert load(data_file, "frames").licence == "CC BY 4.0"
    sidecar.write_text(json.dumps({"licence": "CC0"}), encoding="utf-8")
    again = load(data_file, "frames")
    assert from_cache(again) and again.licence == "CC0"
    sidecar.write_text("{broken", encoding="utf-8")
    again = load(data_file, "frames")
    assert again.report.warnings == [
        "decoded as Windows-1252",
        "ignored unreadable events.meta.json",
    ]
    assert (
        load(data_file, "frames").report.warnings.count("ignored unreadable events.meta.json") == 1
    )


# -- when the cache must not answer -----------------------------------------------------------


def test_a_file_touched_or_resized_is_read_again(reader, data_file):
    load(data_file, "frames")
    stat = data_file.stat()
    os.utime(data_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # same size, 1 ns later
    assert not from_cache(load(data_file, "frames")) and reader.reads == 2
    assert from_cache(load(data_file, "frames"))
    mtime = data_file.stat().st_mtime_ns
    data_file.write_text("anything\n" * 11, encoding="utf-8")
    os.utime(data_file, ns=(mtime, mtime))  # same time, other size
    assert not from_cache(load(data_file, "frames")) and reader.reads == 3


def test_other_options_or_reader_miss(reader, data_file):
    load(data_file, "frames", options={"mapping": {"start": "Date"}})
    assert from_cache(load(data_file, "frames", options={"mapping": {"start": "Date"}}))
    assert not from_cache(load(data_file, "frames", options={"mapping": {"start": "When"}}))
    assert not from_cache(load(data_file, "frames"))
    assert reader.reads == 3


def test_options_that_cannot_be_keyed_are_never_cached(reader, data_file):
    load(data_file, "frames", options={"parse": object()})
    load(data_file, "frames", options={"parse": object()})
    assert reader.reads == 2 and entries() == []


def test_options_that_json_would_blur_are_never_cached(reader, data_file):
    load(data_file, "frames", options={"columns": ("a", "b")})  # a tuple comes back a list
    load(data_file, "frames", options={1: "a"})  # an int key comes back a str
    assert entries() == []


def test_a_file_changed_just_now_is_not_cached(reader, data_file, monkeypatch):
    monkeypatch.setattr(cache, "RACY_S", 60)
    load(data_file, "frames")
    assert entries() == []
    old = data_file.stat().st_mtime_ns - 120 * 10**9
    os.utime(data_file, ns=(old, old))  # its ctime is still now: still not cached
    load(data_file, "frames")
    assert entries() == []


def test_a_file_replaced_by_another_with_the_same_size_and_time_is_read_again(
    reader, data_file, tmp_path
):
    load(data_file, "frames")
    stat = data_file.stat()
    other = tmp_path / "other.txt"
    other.write_text("ANYTHING\n" * 10, encoding="utf-8")
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(other, data_file)  # as a download or a sync tool would
    assert data_file.stat().st_size == stat.st_size
    assert data_file.stat().st_mtime_ns == stat.st_mtime_ns
    assert not from_cache(load(data_file, "frames"))


def test_a_version_bump_ignores_old_entries(reader, data_file, monkeypatch):
    load(data_file, "frames")
    monkeypatch.setattr(cache, "CACHE_VERSION", cache.CACHE_VERSION + 1)
    assert not from_cache(load(data_file, "frames"))


def test_use_cache_false_neither_reads_nor_writes(reader, data_file):
    load(data_file, "frames", use_cache=False)
    assert entries() == []
    load(data_file, "frames")
    assert not from_cache(load(data_file, "frames", use_cache=False)) and reader.reads == 3


def test_small_files_are_not_cached(reader, data_file, monkeypatch):
    monkeypatch.setattr(cache, "MIN_FILE_BYTES", data_file.stat().st_size + 1)
    load(data_file, "frames")
    assert entries() == []
    monkeypatch.setattr(cache, "MIN_FILE_BYTES", data_file.stat().st_size)
    load(data_file, "frames")
    assert len(entries()) == 1


def test_frames_with_columns_that_cannot_round_trip_are_not_cached(reader, data_file):
    reader.frame = awkward_frame().assign(mixed=[1, "a", None, 2.5, b"x", "b"])
    first = load(data_file, "frames")
    assert entries() == [] and not from_cache(load(data_file, "frames"))
    assert first.events["mixed"].tolist()[:2] == [1, "a"]


@pytest.mark.parametrize(
    "damage",
    ["truncate events", "garbage events", "garbage meta", "no meta", "wrong key", "bad codes"],
)
def test_a_broken_entry_is_ignored_deleted_and_rewritten(reader, data_file, damage):
    first = load(data_file, "frames")
    (folder,) = entries()
    events = max(folder.glob("events.*.arrow"), key=lambda f: f.stat().st_size)
    meta = folder / "meta.json"
    if damage == "truncate events":
        events.write_bytes(events.read_bytes()[:-100])
    elif damage == "garbage events":
        events.write_bytes(b"\x00" * events.stat().st_size)
    elif damage == "garbage meta":
        meta.write_text("{not json", encoding="utf-8")
    elif damage == "no meta":
        meta.unlink()
    elif damage == "wrong key":
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["key"]["path"] = "/elsewhere.csv"
        meta.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "bad codes":  # a category that does not exist, same size on disk
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["frames"]["events"]["dtypes"][0] = data["frames"]["events"]["dtypes"][2]
        meta.write_text(json.dumps(data), encoding="utf-8")
    again = load(data_file, "frames")
    assert not from_cache(again) and reader.reads == 2
    assert_same(first, again)
    (rewritten,) = entries()  # the broken one was replaced by a good one
    assert from_cache(load(data_file, "frames"))


def test_an_unwritable_cache_folder_only_means_no_cache(reader, data_file, monkeypatch, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("TIMELINE_APP_CACHE_DIR", str(blocker))  # a file, not a folder
    assert len(load(data_file, "frames").events) == 6
    assert not from_cache(load(data_file, "frames"))


# -- writing in the background, pruning -------------------------------------------------------


def test_background_write_leaves_no_temporary_files(reader, data_file, monkeypatch):
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", True)
    go = threading.Event()
    write = cache._write_entry

    def held_write(*args):
        go.wait(10)
        write(*args)

    monkeypatch.setattr(cache, "_write_entry", held_write)
    first = load(data_file, "frames")
    # The app changes its dataset before the entry is written: the entry keeps what was read.
    first.events.loc[0, "number"] = 99.0
    first.events.loc[1, "cat_str"] = "z"
    first.events = first.events.drop(columns=["flag"])
    go.set()
    cache.wait_for_writes()
    assert [p.name for p in cache.cache_dir().iterdir()] == [entries()[0].name]
    assert_same(load(data_file, "frames"), load(data_file, "frames", use_cache=False))


def test_a_cache_emptied_while_an_entry_is_written_gets_no_entry(reader, data_file, monkeypatch):
    class EmptiedWhileWriting:  # json as the writer sees it, with a cleaner racing it
        loads = staticmethod(json.loads)

        @staticmethod
        def dumps(obj, **kwargs):
            if isinstance(obj, dict) and "files" in obj:  # the meta: the data files are written
                for written in cache.cache_dir().glob(".tmp-*/*.arrow"):
                    written.unlink()
            return json.dumps(obj, **kwargs)

    monkeypatch.setattr(cache, "json", EmptiedWhileWriting)
    load(data_file, "frames")
    assert entries() == [] and list(cache.cache_dir().iterdir()) == []
    monkeypatch.setattr(cache, "json", json)
    load(data_file, "frames")
    assert from_cache(load(data_file, "frames"))


def test_the_loaders_sha256_joins_the_entry_so_a_reopen_need_not_hash(
    reader, data_file, monkeypatch
):
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", True)
    monkeypatch.setattr(cache, "SHA256_WAIT_S", 30)
    first = load(data_file, "frames")
    assert first.sha256 == ""
    first.sha256 = file_sha256(data_file)  # as the window's loader does after showing it
    cache.wait_for_writes(30)
    again = load(data_file, "frames")
    assert from_cache(again) and again.sha256 == first.sha256


def test_a_sha256_taken_after_the_file_changed_is_not_kept(reader, data_file, monkeypatch):
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", True)
    monkeypatch.setattr(cache, "SHA256_WAIT_S", 30)
    go = threading.Event()
    write = cache._write_entry

    def held_write(*args):
        go.wait(10)
        write(*args)

    monkeypatch.setattr(cache, "_write_entry", held_write)
    first = load(data_file, "frames")
    stat = data_file.stat()
    data_file.write_text("different\n" * 9, encoding="utf-8")
    first.sha256 = file_sha256(data_file)  # of the new content, not of what was read
    os.utime(data_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    go.set()
    cache.wait_for_writes(30)
    (folder,) = entries()  # written: it was taken from the file as it was read
    assert json.loads((folder / "meta.json").read_text(encoding="utf-8"))["dataset"]["sha256"] == ""


def test_a_closed_dataset_does_not_keep_the_writer_waiting(reader, data_file, monkeypatch):
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", True)
    monkeypatch.setattr(cache, "SHA256_WAIT_S", 60)
    load(data_file, "frames")  # dropped at once, never hashed
    cache.wait_for_writes(10)
    assert not [t for t in threading.enumerate() if t.name == "timeline-app cache writer"]


def test_prune_keeps_the_most_recently_used_entries(reader, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    files = []
    for i in range(3):
        path = tmp_path / f"f{i}.txt"
        path.write_text("x" * (i + 1), encoding="utf-8")
        files.append(path)
    load(files[0], "frames")
    load(files[1], "frames")
    for folder in entries():  # f0 was used last
        meta = folder / "meta.json"
        os.utime(meta, (1, 1))
    assert from_cache(load(files[0], "frames"))
    load(files[2], "frames")  # a third entry: the least recently used (f1) goes
    assert len(entries()) == 2
    assert from_cache(load(files[0], "frames"))
    assert from_cache(load(files[2], "frames"))
    assert not from_cache(load(files[1], "frames"))


def test_prune_bounds_the_bytes_and_removes_stale_temporary_folders(reader, tmp_path, monkeypatch):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("a", encoding="utf-8")
    b.write_text("bb", encoding="utf-8")
    load(a, "frames")
    one_entry = cache._entry_bytes(entries()[0])
    stale = cache.cache_dir() / ".tmp-0123-dead"
    stale.mkdir()
    os.utime(stale, (1, 1))
    fresh = cache.cache_dir() / ".tmp-4567-busy"  # another process writing right now
    fresh.mkdir()
    monkeypatch.setattr(cache, "MAX_BYTES", int(one_entry * 1.5))
    load(b, "frames")
    assert len(entries()) == 1 and from_cache(load(b, "frames"))
    assert not stale.exists() and fresh.exists()
    monkeypatch.setattr(cache, "MAX_BYTES", one_entry // 2)  # an entry bigger than the cache
    cache.clear()
    load(a, "frames")
    assert entries() == []


def test_counter_and_samples_survive_json(reader, data_file):
    load(data_file, "frames")
    report = load(data_file, "frames").report
    assert report.rejected_by_reason == Counter({"no id": 2, "unparseable date": 1})
    assert [r.line for r in report.rejected_samples] == [4, 7, 8]


def test_text_shared_by_events_and_original_columns_is_stored_once(tmp_path):
    rows = pd.read_csv(FIXTURES / "acled_current.csv", dtype=str, keep_default_na=False)
    rows["notes"] = rows["notes"].where(rows["notes"].str.strip() != "", "No note given.")
    source = tmp_path / "acled.csv"  # every note written (a blank one is not the same text)
    rows.to_csv(source, index=False)
    first = load(source)
    notes = first.events["notes"].array.__arrow_array__()
    assert arrow_frames.same_buffers(notes, first.originals["notes"].array.__arrow_array__())
    (folder,) = entries()
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    shared = meta["frames"]["originals"]["shared"]
    names = meta["frames"]["originals"]["names"]
    assert "notes" in [names[int(i)] for i in shared] and "events.notes" in shared.values()
    again = load(source)
    assert from_cache(again)
    assert_same(first, again)
    assert arrow_frames.same_buffers(  # one copy in memory again, as when read from the file
        again.events["notes"].array.__arrow_array__(),
        again.originals["notes"].array.__arrow_array__(),
    )


def test_a_converted_file_of_several_sources_reopens_from_the_cache_as_its_sources(tmp_path):
    """The whole file is cached; its sources are cut from it again on a reopen."""
    from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
    from timeline_app.cli import main

    out = tmp_path / "both.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(out)]) == 0
    first = load(out)
    again = load(out)
    assert not from_cache(first) and from_cache(again)
    for read in (first, again):
        assert [d.name for d in read.opened] == [UCDP_SAMPLE.stem, CONTEXT_CSV.stem]
        assert [len(d) for d in read.opened] == [60, 18]
    for a, b in zip(first.opened, again.opened, strict=True):
        pd.testing.assert_frame_equal(a.events, b.events)
        pd.testing.assert_frame_equal(a.originals, b.originals)
        assert (a.licence, a.citation, a.source) == (b.licence, b.citation, b.source)


def test_the_entry_is_written_from_the_frames_own_numbers_and_codes():
    """The snapshot shares the frame's numbers, dates and category codes instead of copying
    them (~110 MB at 1M events, at the first open's peak); an edit of the frame made
    meanwhile copies first (pandas' copy-on-write), so the entry keeps what was read."""
    frame = pd.DataFrame(
        {
            "n": np.arange(1000.0),
            "k": pd.Categorical(["a", "b", None, "a"] * 250),
            "d": pd.to_datetime(["2020-01-01", None] * 500),
        }
    )
    captured = frame.copy(deep=False)  # as the cache captures a loaded dataset's frame
    tables, meta, _ = arrow_frames.frame_snapshot(captured, "events")
    written = {}
    for group in meta["groups"]:
        table = tables[group["file"]]
        for i in group["columns"]:
            written[meta["names"][i]] = table.column(f"c{i}").chunk(0)
    assert written["n"].buffers()[1].address == frame["n"].to_numpy().ctypes.data
    assert written["d"].buffers()[1].address == frame["d"].to_numpy().ctypes.data
    codes = frame["k"].array.codes
    assert written["k"].indices.buffers()[1].address == codes.ctypes.data
    frame.loc[0, "n"] = 99.0
    frame.loc[0, "k"] = "b"
    assert written["n"][0].as_py() == 0.0 and written["k"][0].as_py() == "a"
    assert written["k"][2].as_py() is None and written["d"][1].as_py() is None
