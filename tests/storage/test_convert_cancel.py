"""A conversion's Cancel (File > Save as Parquet Dataset… in the window): it stops
DuckDB's sort mid-way and writes nothing; an existing file stays as it was."""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import pytest

from tests.conftest import UCDP_SAMPLE
from timeline_app.formats.registry import load
from timeline_app.model.dataset import Dataset
from timeline_app.storage.convert import convert
from timeline_app.storage.interruptible import ConvertCancelled

COPIES = 8000  # 480,000 events: a sort that lasts well beyond the watcher's first look


def test_cancel_stops_the_sort_and_keeps_the_old_file(tmp_path):
    small = load(UCDP_SAMPLE, use_cache=False)
    events = pd.concat([small.events] * COPIES, ignore_index=True)
    big = Dataset(name="big", events=events, report=small.report)
    out = tmp_path / "out" / "big.parquet"
    out.parent.mkdir()
    out.write_bytes(b"an older file")
    sorting = threading.Event()  # the parts are written below 0.5; DuckDB's COPY above

    def progress(fraction: float) -> None:
        if 0.5 <= fraction < 1.0:
            sorting.set()

    with pytest.raises(ConvertCancelled) as caught:
        convert([big], out, progress=progress, cancelled=sorting.is_set)
    assert isinstance(caught.value.__context__, duckdb.InterruptException)  # stopped mid-way
    assert out.read_bytes() == b"an older file"
    assert [p.name for p in out.parent.iterdir()] == ["big.parquet"]  # no part, no spill


def test_cancel_before_the_sort_writes_nothing(tmp_path):
    small = load(UCDP_SAMPLE, use_cache=False)
    out = tmp_path / "small.parquet"
    with pytest.raises(ConvertCancelled):
        convert([small, small], out, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []
