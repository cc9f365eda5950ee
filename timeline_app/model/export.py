"""Exports: which rows, which columns, which file format, written atomically.

The GUI (ui/export_dialog.py) and the command line (commands/export.py) both call
:func:`choose_rows` and :func:`export_rows`, so the same choices give the same bytes.
Columns are converted to Arrow once (categorical codes become dictionary lookups,
never a Python loop per row) and written in chunks so progress and cancel work.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from timeline_app.model.events import EventTable
from timeline_app.model.schema import CANONICAL_COLUMNS, DATE_COLUMNS

ProgressFn = Callable[[float], None]
CancelFn = Callable[[], bool]

#: What to export (the dialog's first choice).
SCOPES: dict[str, str] = {
    "filtered": "The filtered rows",
    "selected": "The selected rows",
    "range": "The timeline range, with the other filters",
    "range_all": "The timeline range, ignoring the other filters",
}
FORMATS: dict[str, str] = {"csv": ".csv", "xlsx": ".xlsx", "parquet": ".parquet"}
COLUMN_LAYOUTS = ("canonical", "original")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row
CHUNK_ROWS = 100_000
BOM = b"\xef\xbb\xbf"
DAY_NS = 86_400 * 10**9


class ExportError(Exception):
    """An export that cannot be written. ``str(err)`` is one line a user can act on."""


class ExportCancelled(Exception):
    """The user cancelled; the destination was left as it was."""


# -- which rows ---------------------------------------------------------------------------------
def choose_rows(state, scope: str) -> np.ndarray:
    """The rows ``scope`` names, in the table's current display order.

    ``state`` is an AppState. Rows the table shows keep its order; rows it does not show
    (a range ignoring the filters) are ordered by the same sort keys, which is the same
    thing: the visible order is a stable sort of ascending row numbers by those keys.
    """
    if scope == "filtered":
        return np.asarray(state.visible, dtype=np.int64)
    if scope == "selected":
        wanted = state.selection
    elif scope == "range":
        wanted = state.range_rows(with_filters=True)
    elif scope == "range_all":
        wanted = state.range_rows(with_filters=False)
    else:
        raise ValueError(f"unknown export scope {scope!r}")
    return display_order(state, np.asarray(wanted, dtype=np.int64))


def display_order(state, rows: np.ndarray) -> np.ndarray:
    """``rows`` (any order) in the order the table would show them."""
    rows = np.unique(rows)
    if len(rows) == 0:
        return rows
    if len(state.mask) and state.mask[rows].all():
        visible = np.asarray(state.visible, dtype=np.int64)
        return visible[np.isin(visible, rows)]
    return state.sorter().order(rows, list(state.sort_keys))


def event_keys(table: EventTable, rows: np.ndarray) -> list[tuple[str, str]]:
    """(dataset, id) of each row: how a selection is named outside this table."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return []
    datasets = table.df["dataset"].to_numpy()[rows].astype(str)
    ids = table.df["id"].to_numpy()[rows].astype(str)
    return list(zip(datasets.tolist(), ids.tolist(), strict=True))


def original_layout_available(table: EventTable, rows: np.ndarray) -> bool:
    """True when every row comes from datasets of one format that kept their own columns."""
    datasets = (
        [table.datasets[k] for k in np.unique(table.dataset_index(rows))] if len(rows) else []
    )
    if not datasets:
        return False
    if len({d.format for d in datasets}) != 1:
        return False
    return all(d.originals is not None and len(d.originals) == len(d.events) for d in datasets)


def format_for_path(path: Path | str, default: str = "csv") -> str:
    suffix = Path(path).suffix.lower()
    return next((name for name, ext in FORMATS.items() if ext == suffix), default)


# -- the export ---------------------------------------------------------------------------------
def export_rows(
    table: EventTable,
    rows: np.ndarray,
    path: Path | str,
    columns: str = "canonical",
    fmt: str = "csv",
    bom: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> int:
    """Write exactly ``rows`` of ``table`` (in that order) to ``path``; return the row count.

    The file is written to a temporary file in the same folder and renamed over ``path``
    only when complete, so a failure or a cancel never leaves a half file or clobbers a
    good one. Raises ExportError (one-line reason) or ExportCancelled.
    """
    path = Path(path)
    rows = np.asarray(rows, dtype=np.int64)
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    if columns not in COLUMN_LAYOUTS:
        raise ExportError(f"unknown column layout {columns!r} (canonical or original)")
    if fmt == "xlsx" and len(rows) > XLSX_MAX_ROWS:
        raise ExportError(
            f"{len(rows):,} rows do not fit in an Excel sheet ({XLSX_MAX_ROWS:,} at most): "
            "export CSV or Parquet"
        )
    if columns == "original" and not original_layout_available(table, rows):
        raise ExportError(
            "the original layout needs rows from sources of one format that kept their columns"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    check = cancelled or (lambda: False)
    report = progress or (lambda _f: None)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as err:
        raise ExportError(f"cannot write {path}: {_reason(err)}") from err
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            data = arrow_table(table, rows, columns)
            report(0.1)
            writer = {"csv": _write_csv, "xlsx": _write_xlsx, "parquet": _write_parquet}[fmt]
            writer(data, fh, bom, report, check)
            fh.flush()
            os.fsync(fh.fileno())
        if check():
            raise ExportCancelled()
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except ExportCancelled:
        _remove(tmp)
        raise
    except OSError as err:
        _remove(tmp)
        raise ExportError(f"cannot write {path}: {_reason(err)}") from err
    except BaseException:
        _remove(tmp)
        raise
    report(1.0)
    return len(rows)


def _reason(err: OSError) -> str:
    return err.strerror or str(err)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# -- columns as Arrow ---------------------------------------------------------------------------
def arrow_table(table: EventTable, rows: np.ndarray, columns: str = "canonical") -> pa.Table:
    """The chosen rows as an Arrow table, columns typed (dates as timestamps)."""
    if columns == "original":
        return _original_arrow(table, rows)
    df = table.df
    everything = len(rows) == len(table) and bool(np.all(rows[1:] > rows[:-1]))
    picked = None if everything else rows  # all rows in table order: no copy needed
    return pa.table({col: _column(df[col], picked) for col in CANONICAL_COLUMNS})


def _column(series: pd.Series, rows: np.ndarray | None) -> pa.Array | pa.ChunkedArray:
    """One column's values at ``rows`` (None: all rows, in order)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        codes = codes if rows is None else codes[rows]
        names = pa.array(series.cat.categories.astype(str).to_numpy(dtype=object), pa.string())
        # Decode through the (small) category array; code -1 is unknown.
        return names.take(pa.array(codes, mask=codes < 0))
    if isinstance(series.dtype, pd.ArrowDtype) or str(series.dtype) == "string[pyarrow]":
        values = pa.chunked_array(series.array.__arrow_array__())
        return values if rows is None else values.take(pa.array(rows))
    values = series.to_numpy()
    values = values if rows is None else values[rows]
    if values.dtype.kind == "f":
        return pa.array(values, mask=np.isnan(values))
    if values.dtype.kind == "M":
        return pa.array(values, mask=np.isnat(values))
    if values.dtype.kind == "O":
        return pa.array(values, from_pandas=True)
    return pa.array(values)


def _original_arrow(table: EventTable, rows: np.ndarray) -> pa.Table:
    """The source files' own columns for ``rows``, in order (several datasets of one format
    are stacked; a column one of them lacks is empty there)."""
    which = table.dataset_index(rows)
    local = rows - table.offsets[which]
    names: list[str] = []
    for k in np.unique(which):
        names += [str(c) for c in table.datasets[k].originals.columns if str(c) not in names]
    parts, order = [], []
    for k in np.unique(which):
        pick = np.flatnonzero(which == k)
        frame = table.datasets[k].originals.iloc[local[pick]]
        frame = frame.set_axis([str(c) for c in frame.columns], axis=1).reindex(columns=names)
        parts.append(frame)
        order.append(pick)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    # Back to the chosen order (the parts were grouped by dataset).
    frame = frame.iloc[np.argsort(np.concatenate(order), kind="stable")].reset_index(drop=True)
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        # Mixed Python objects in a column: write their text.
        text = frame.astype(object).where(frame.notna(), None).astype(str)
        return pa.Table.from_pandas(text.where(frame.notna(), None), preserve_index=False)


def _text_dates(data: pa.Table) -> pa.Table:
    """Dates as ISO text: ``2023-09-07``, or ``2023-09-07T14:30:00`` when a time is known.

    One choice per column for the whole export (as the native writer does), so the file
    re-reads identically.
    """
    for name in DATE_COLUMNS:
        if name not in data.column_names:
            continue
        i = data.column_names.index(name)
        col = data.column(i)
        if not pa.types.is_timestamp(col.type):
            continue
        ns = col.cast(pa.timestamp("ns")).cast(pa.int64()).fill_null(0).to_numpy()
        if np.any(ns % DAY_NS):
            text = pc.strftime(col.cast(pa.timestamp("s"), safe=False), "%Y-%m-%dT%H:%M:%S")
        else:
            text = col.cast(pa.date32(), safe=False).cast(pa.string())
        data = data.set_column(i, name, text)
    return data


# -- writers ------------------------------------------------------------------------------------
def _slices(data: pa.Table) -> list[tuple[int, int]]:
    n = data.num_rows
    return [(lo, min(lo + CHUNK_ROWS, n)) for lo in range(0, n, CHUNK_ROWS)]


def _write_csv(data: pa.Table, fh, bom, progress, cancelled) -> None:
    if bom:
        fh.write(BOM)
    data = _text_dates(data)
    fh.write(_header_line(data.column_names))
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    with pacsv.CSVWriter(fh, data.schema, write_options=options) as writer:
        for lo, hi in _slices(data):
            if cancelled():
                raise ExportCancelled()
            writer.write_table(data.slice(lo, hi - lo))
            progress(0.1 + 0.89 * hi / data.num_rows)


def _header_line(names: list[str]) -> bytes:
    """The header quoted only where needed (Arrow quotes every name): ``id,dataset,...``."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(names)
    return line.getvalue().encode("utf-8")


def _write_parquet(data: pa.Table, fh, bom, progress, cancelled) -> None:
    with pq.ParquetWriter(fh, data.schema) as writer:
        for lo, hi in _slices(data):
            if cancelled():
                raise ExportCancelled()
            writer.write_table(data.slice(lo, hi - lo))
            progress(0.1 + 0.89 * hi / data.num_rows)


def _write_xlsx(data: pa.Table, fh, bom, progress, cancelled) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("events")
    sheet.append(data.column_names)
    try:
        for lo, hi in _slices(data):
            part = data.slice(lo, hi - lo)
            # openpyxl takes one Python row at a time; a sheet stops near 1M rows anyway.
            values = [_excel_values(part.column(i)) for i in range(part.num_columns)]
            for k, record in enumerate(zip(*values, strict=True)):
                if k % 5_000 == 0 and cancelled():
                    raise ExportCancelled()
                sheet.append(record)
            progress(0.1 + 0.85 * hi / data.num_rows)
    except BaseException:
        # Finish openpyxl's own temporary sheet file, or it complains when collected.
        with contextlib.suppress(Exception):
            sheet.close()
        raise
    # A fixed creation date, so two exports of the same rows differ only in the zip's clock.
    fixed = pd.Timestamp("2000-01-01").to_pydatetime()
    book.properties.created = fixed
    book.properties.modified = fixed
    book.save(fh)


def _excel_values(column: pa.ChunkedArray) -> list:
    if pa.types.is_timestamp(column.type):
        return column.cast(pa.timestamp("us"), safe=False).to_pylist()  # datetime objects
    if pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    values = column.to_pylist()
    if pa.types.is_floating(column.type):
        return [None if v is None or v != v else v for v in values]
    return values
