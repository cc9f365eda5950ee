"""The app's own format: the canonical columns as CSV (UTF-8) or Parquet.

CSV dates are ISO (``2023-09-07``, or ``2023-09-07T14:30:00`` when the time is known);
``ongoing`` is ``true``/``false``; unknown values are empty cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from timeline_app.formats.base import CancelFn, FileProbe, FormatError, ProgressFn
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.messages import N_
from timeline_app.model.schema import CANONICAL_COLUMNS, PRECISIONS, conform
from timeline_app.storage.parquet_files import ORIGINAL_PREFIX, hive_partitions, parquet_files

REQUIRED = {"start", "title"}


class NativeReader:
    name = "native"
    label = "Timeline Explorer table (CSV/Parquet)"

    def sniff(self, probe: FileProbe) -> float:
        header = probe.header_lower
        if probe.container == "parquet":
            return 0.9 if header >= REQUIRED else 0.0
        if not header:
            return 0.0
        known = len(header & set(CANONICAL_COLUMNS))
        if header >= REQUIRED and known >= 8:
            return 0.5 + 0.5 * known / len(CANONICAL_COLUMNS)
        return 0.0

    def read(
        self,
        path: Path,
        *,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        options: dict[str, Any] | None = None,
    ) -> Dataset:
        path = Path(path)
        if path.is_dir() or path.suffix.lower() == ".parquet":
            raw = read_parquet_frame(path)
            first_line = 1  # Parquet has no lines: rows are numbered from 1
        else:
            raw = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", na_values=[]
            )
            first_line = 2
        if progress:
            progress(0.7)
        missing = REQUIRED - set(raw.columns)
        if missing:
            raise FormatError(
                N_(
                    "{name}: missing column(s) {columns}",
                    name=path.name,
                    columns=", ".join(sorted(missing)),
                )
            )
        report = LoadReport(format=self.name, rows_read=len(raw))
        frame = raw[[c for c in CANONICAL_COLUMNS if c in raw.columns]].copy()
        start = pd.to_datetime(frame["start"], errors="coerce", format="mixed")
        bad = start.isna().to_numpy()
        if bad.any():
            idx = np.flatnonzero(bad)
            report.reject_many(
                [int(i) + first_line for i in idx],
                "unparseable date",
                [str(v) for v in raw["start"].to_numpy()[idx]],
            )
        frame = frame.loc[~bad]
        frame["start"] = start[~bad]
        if "end" in frame.columns:
            frame["end"] = pd.to_datetime(frame["end"], errors="coerce", format="mixed")
        if "ongoing" in frame.columns and frame["ongoing"].dtype != bool:
            frame["ongoing"] = (
                frame["ongoing"].astype(str).str.strip().str.lower().isin(["true", "1", "yes"])
            )
        if "date_precision" in frame.columns:
            prec = frame["date_precision"].astype(str).str.strip().str.lower()
            frame["date_precision"] = prec.where(prec.isin(PRECISIONS), "day")
        events = conform(frame)
        report.events = len(events)
        if progress:
            progress(1.0)
        originals = _originals(raw.loc[~bad].reset_index(drop=True))
        return Dataset(
            name=path.stem,
            events=events,
            report=report,
            originals=originals,
            format=self.name,
        )


def read_parquet_frame(path: Path) -> pd.DataFrame:
    """A Parquet file, a folder of them or a hive-partitioned dataset as one frame: the
    files in the order both engines read them, partition keys as text columns."""
    tables = []
    for file in parquet_files(path):
        table = pq.read_table(file)
        for key, value in hive_partitions(path, file).items():
            if key not in table.column_names:
                table = table.append_column(key, pa.array([value] * len(table), pa.string()))
        tables.append(table)
    if not tables:
        raise FormatError(N_("{name}: no Parquet files", name=path.name))
    joined = tables[0] if len(tables) == 1 else pa.concat_tables(tables, promote_options="default")
    frame: pd.DataFrame = joined.to_pandas()
    return frame


def _originals(raw: pd.DataFrame) -> pd.DataFrame:
    """The source's own columns: those a converted file keeps as ``original.NAME``
    (``timeline-app convert``), else every column of the file."""
    kept = [c for c in raw.columns if str(c).startswith(ORIGINAL_PREFIX)]
    if not kept:
        return raw
    return cast(pd.DataFrame, raw[kept].rename(columns=lambda c: str(c)[len(ORIGINAL_PREFIX) :]))


def write_native(events: pd.DataFrame, path: Path) -> None:
    """Write canonical events as native CSV or Parquet (by the suffix)."""
    frame = events[list(CANONICAL_COLUMNS)]
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=False)
        return
    out = frame.copy()
    for col in ("start", "end"):
        values = out[col]
        has_time = (values.dt.normalize() != values).any()
        out[col] = values.dt.strftime("%Y-%m-%dT%H:%M:%S" if has_time else "%Y-%m-%d")
    out["ongoing"] = np.where(out["ongoing"], "true", "false")
    out.to_csv(path, index=False, encoding="utf-8")


READER = NativeReader()
