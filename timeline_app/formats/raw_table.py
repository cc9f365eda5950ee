"""Any table as text cells, with the line each row came from: the shared text reader's
output for delimited files, the first sheet of a workbook, a Parquet file, the records of
a JSON or GeoJSON file. The mapped-table, GTD and GDELT readers build events from these.

The rows come as a :class:`~.raw_rows.RawTable`.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_app.formats.base import (
    CancelFn,
    FormatError,
    LoadCancelled,
    ProgressFn,
    dedupe_header,
    stage,
)
from timeline_app.formats.geojson import read_geojson_table
from timeline_app.formats.raw_rows import RawTable, RowAccount
from timeline_app.formats.text_reader import read_text_table
from timeline_app.formats.text_table import WRONG_WIDTH, TextTable
from timeline_app.model.messages import N_

log = logging.getLogger(__name__)

__all__ = ["RawTable", "RowAccount", "peek_raw_table", "read_raw_table"]


def _cell_text(value: Any) -> str:
    """One spreadsheet cell as text: dates in ISO form, whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _sheet_rows(path: Path) -> tuple[Any, int]:
    """The first sheet's rows (lists of cell values, from sheet row 1) and a row estimate.

    python-calamine (Rust) reads a workbook some 20 times faster than openpyxl; openpyxl
    is the fallback where calamine is not installed.
    """
    try:
        import python_calamine
    except ImportError:
        python_calamine = None  # type: ignore[assignment]
    if python_calamine is not None:
        try:
            sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        except Exception as err:  # calamine raises its own types for a broken workbook
            log.info("calamine cannot read %s", path, exc_info=err)
            raise FormatError(
                N_("{name}: not a readable XLSX workbook ({error})", name=path.name, error=str(err))
            ) from err
        return sheet.iter_rows(), int(sheet.height or 0)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a broken workbook
        log.info("openpyxl cannot read %s", path, exc_info=err)
        raise FormatError(
            N_("{name}: not a readable XLSX workbook ({error})", name=path.name, error=str(err))
        ) from err
    sheet = book.worksheets[0]

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            yield from sheet.iter_rows(values_only=True)
        finally:
            book.close()

    return rows(), 0


def read_xlsx(
    path: Path,
    *,
    max_rows: int | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> RawTable:
    """The first sheet of a workbook; the first non-empty row is the header."""
    sheet_rows, total = _sheet_rows(path)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    # Workbooks come row by row from either engine: no vectorised path to hand.
    for number, values in enumerate(sheet_rows, start=1):
        cells = [_cell_text(v).strip() for v in values]
        if not any(cells):
            continue
        if header is None:
            header = dedupe_header(cells)
            continue
        rows.append(cells)
        lines.append(number)
        if max_rows is not None and len(rows) >= max_rows:
            break
        if number % 5000 == 0:
            if cancelled and cancelled():
                raise LoadCancelled()
            if progress and total:
                progress(0.6 * number / total)
    if header is None:
        raise FormatError(N_("{name}: the first sheet is empty", name=path.name))
    width = len(header)
    # Cells beyond the header are kept only when the header had a blank name for them.
    frame = pd.DataFrame([(r + [""] * width)[:width] for r in rows], columns=header, dtype=object)
    rejected = []
    keep = np.ones(len(rows), dtype=bool)
    for i, r in enumerate(rows):
        if any(c for c in r[width:]):
            rejected.append(
                (lines[i], WRONG_WIDTH, f"{len(r)} cells, expected {width}: {','.join(r)}")
            )
            keep[i] = False
    return RawTable(
        header=header,
        frame=frame.loc[keep].reset_index(drop=True).fillna("").astype(str),
        line_source=np.array(lines, dtype=np.int64)[keep],
        rows_read=len(rows),
        rejected=rejected,
        encoding="xlsx",
    )


def _frame_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Any frame's cells as text ("" for missing), dates in ISO form."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            has_time = bool((values.dropna().dt.normalize() != values.dropna()).any())
            text = values.dt.strftime("%Y-%m-%d %H:%M:%S" if has_time else "%Y-%m-%d")
        elif pd.api.types.is_float_dtype(values):
            known = values.dropna().to_numpy()
            whole = bool(len(known)) and bool(np.all(np.mod(known, 1) == 0))
            text = values.astype("Int64").astype(str) if whole else values.astype(str)
        else:
            text = values.astype(str)
        out[col] = text.where(values.notna(), "").astype(object)
    result: pd.DataFrame = pd.DataFrame(out, columns=frame.columns)
    return result


def _parquet_head(path: Path, max_rows: int | None) -> pd.DataFrame:
    """A Parquet file, or only its first rows (a preview need not read a big file)."""
    if max_rows is None:
        return pd.read_parquet(path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    batch = next(parquet.iter_batches(batch_size=max(max_rows, 1)), None)
    if batch is None:
        return parquet.schema_arrow.empty_table().to_pandas()
    return pa.Table.from_batches([batch]).to_pandas()


def read_parquet_or_json(path: Path, *, max_rows: int | None = None) -> RawTable:
    """A Parquet file or a JSON/GeoJSON file's records; rows are numbered from 1."""
    if path.suffix.lower() == ".parquet":
        try:
            frame = _parquet_head(path, max_rows)
        except Exception as err:  # pyarrow raises its own types for a broken file
            log.info("pyarrow cannot read %s", path, exc_info=err)
            raise FormatError(
                N_("{name}: not a readable Parquet file ({error})", name=path.name, error=str(err))
            ) from err
    else:  # [...], {"data": [...]}, or a GeoJSON FeatureCollection (formats/geojson.py)
        raw = _from_text_table(read_geojson_table(path))
        if max_rows is not None:
            raw.frame = raw.frame.iloc[:max_rows]
        return raw
    if max_rows is not None:
        frame = frame.head(max_rows)
    header = dedupe_header(list(frame.columns))
    frame.columns = header
    return RawTable(
        header=header,
        frame=_frame_as_text(frame),
        line_source=np.arange(1, len(frame) + 1, dtype=np.int64),
        rows_read=len(frame),
        rejected=[],
        encoding="parquet",
    )


def read_raw_table(
    path: Path,
    *,
    delimiter: str | None = None,
    names: list[str] | None = None,
    quoting: bool = True,
    max_rows: int | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> RawTable:
    """Any supported table, by its suffix; text files of any delimiter otherwise.

    Text goes through the one text reader (text_reader.py), so that every text format
    treats encodings, HXL rows, blank lines and ragged rows the same way, and a preview
    names the columns exactly as the full load will (the mapping must fit both).
    ``delimiter``, ``names`` (a headerless layout) and ``quoting`` are passed to it."""
    path = Path(path)
    if not path.is_file():
        raise FormatError(N_("{path}: no such file", path=str(path)))
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(path, max_rows=max_rows, progress=progress, cancelled=cancelled)
    if suffix in {".parquet", ".json", ".geojson"}:
        return read_parquet_or_json(path, max_rows=max_rows)
    how: dict[str, Any] = {"delimiter": delimiter, "names": names, "quoting": quoting}
    if max_rows is not None:
        return _text_head(path, max_rows, how)
    # The table's share of the work; then the cells.
    reading = stage(progress, 0.0, 0.6)
    return _from_text_table(read_text_table(path, progress=reading, cancelled=cancelled, **how))


PREVIEW_BYTES = 256 * 1024


def _text_head(path: Path, max_rows: int, how: dict[str, Any]) -> RawTable:
    """The first rows of a text table, read by the shared reader from the file's first bytes."""
    with open(path, "rb") as fh:
        head = fh.read(PREVIEW_BYTES + 1)
    if len(head) <= PREVIEW_BYTES:
        raw = _from_text_table(read_text_table(path, **how))
    else:
        head = head[: head.rfind(b"\n") + 1] or head[:PREVIEW_BYTES]
        with tempfile.TemporaryDirectory(prefix="timeline-preview-") as folder:
            part = Path(folder) / path.name  # same name: messages name the user's file
            part.write_bytes(head)
            raw = _from_text_table(read_text_table(part, **how))
        raw.rows_read = min(raw.rows_read, max_rows)
    raw.frame = raw.frame.iloc[:max_rows]
    return raw


def _from_text_table(text: TextTable) -> RawTable:
    """A :class:`RawTable` from the shared text reader's Arrow table."""
    frame = text.table.to_pandas()
    frame.columns = text.names
    frame = frame.fillna("")
    # Line numbers cost a pass over every column: only count them when a row was bad.
    bad_lines = text.bad_row_lines() if text.bad_rows else []
    rejected = [
        (line, WRONG_WIDTH, f"{bad.fields} fields, expected {text.expected_fields}: {bad.text}")
        for bad, line in zip(text.bad_rows, bad_lines, strict=True)
    ]
    return RawTable(
        header=list(text.names),
        frame=frame,
        line_source=text.line_numbers,
        rows_read=text.rows_read,
        rejected=rejected,
        encoding=text.encoding,
        warnings=list(text.warnings),
    )


def peek_raw_table(path: Path, rows: int = 20) -> RawTable:
    """The header and first ``rows`` rows of a table, cheaply (for previews)."""
    return read_raw_table(path, max_rows=rows)
