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
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from timeline_app.model.atomic import atomic_path
from timeline_app.model.events import EventTable
from timeline_app.model.memory import release_memory
from timeline_app.model.messages import N_
from timeline_app.model.schema import (
    CANONICAL_COLUMNS,
    CATEGORICAL_COLUMNS,
    DATE_COLUMNS,
    FLOAT_COLUMNS,
)
from timeline_app.model.table_cache import PerTable
from timeline_app.model.units import NAT_NS, NS_PER_DAY

if TYPE_CHECKING:
    from timeline_app.model.state import AppState


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
#: Rows per slice: converted ahead while the previous one is written. A few slices are in
#: memory at once, each being made twice over (~25 MB for 32k ACLED rows with notes): 64k
#: held ~100 MB more at the benchmark's sorted export, its peak, for about the same time.
CHUNK_ROWS = 32_768
COMBINE_AT = 0.5  # share of the table from which a sorted export glues text chunks first
#: ... text columns up to this size (ids, titles): a bigger one is taken a chunk at a time
#: in each slice, as fast beside the writer, where a glued copy of 1M notes held ~370 MB.
COMBINE_MAX_BYTES = 64 * 1024**2
CSV_THREADS = 2  # slices converted ahead of the writer (the reference machine has 2 cores)
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class ExtraColumns:
    """Columns an export adds after the chosen layout's (canonical actor names, match
    groups): their names, and a function giving them for some rows of the table."""

    names: tuple[str, ...]
    compute: Callable[[np.ndarray], dict[str, pa.Array[Any]]]


class ExportError(Exception):
    """An export that cannot be written. ``str(err)`` is one line a user can act on."""


class ExportCancelled(Exception):
    """The user cancelled; the destination was left as it was."""


# -- which rows ---------------------------------------------------------------------------------
def choose_rows(state: AppState, scope: str) -> np.ndarray:
    """The rows ``scope`` names, in the table's current display order.

    ``state`` is an AppState. Rows the table shows keep its order; rows it does not show
    (a range ignoring the filters) are ordered by the same sort keys, which is the same
    thing: the visible order is a stable sort of ascending row numbers by those keys.
    """
    # A big text search may still be running elsewhere: export the rows of the filter
    # the user sees named, never the previous filter's.
    state.finish_filter()
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


def display_order(state: AppState, rows: np.ndarray) -> np.ndarray:
    """``rows`` (any order) in the order the table would show them."""
    rows = np.unique(rows)
    if len(rows) == 0:
        return rows
    if len(state.mask) and state.mask[rows].all():
        visible = np.asarray(state.visible, dtype=np.int64)
        return visible[np.isin(visible, rows)]
    result: np.ndarray = state.sorter().order(rows, list(state.sort_keys))
    return result


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
    # No rows: the header is the open datasets' own (an empty export still has columns).
    datasets = (
        [table.datasets[k] for k in np.unique(table.dataset_index(rows))]
        if len(rows)
        else list(table.datasets)
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
#: After exporting this many rows, the memory the export used is given back to the system.
RELEASE_AFTER_ROWS = 100_000


def export_rows(
    table: EventTable,
    rows: np.ndarray,
    path: Path | str,
    columns: str = "canonical",
    fmt: str = "csv",
    bom: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    extra: ExtraColumns | None = None,
) -> int:
    """Write exactly ``rows`` of ``table`` (in that order) to ``path``; return the row count.
    ``extra`` columns come after the layout's own.

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
            N_(
                "{rows} rows do not fit in an Excel sheet ({most} at most): export CSV or Parquet",
                rows=len(rows),
                most=XLSX_MAX_ROWS,
            )
        )
    if columns == "original" and not original_layout_available(table, rows):
        raise ExportError(
            N_("the original layout needs rows from sources of one format that kept their columns")
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(
            N_(
                "cannot write {path}: folder {folder} does not exist",
                path=str(path),
                folder=str(folder),
            )
        )
    if path.is_dir():
        raise ExportError(N_("cannot write {path}: it is a folder", path=str(path)))
    check = cancelled or (lambda: False)
    report = progress or (lambda _f: None)
    try:
        # A temporary file beside the target, synced, then renamed over it (model.atomic):
        # a failure or a cancel never leaves a half file or clobbers a good one.
        with atomic_path(path) as tmp:
            source = _Source(table, rows, columns, extra)
            report(0.05)
            writer = {"csv": _write_csv, "xlsx": _write_xlsx, "parquet": _write_parquet}[fmt]
            # Arrow's own file object: CSV and Parquet are then written without Python
            # copies. openpyxl wants a Python file.
            opener = open if fmt == "xlsx" else pa.OSFile
            with opener(str(tmp), "wb") as fh:
                writer(source, fh, bom, report, check)
            if check():
                raise ExportCancelled()
    except ExportCancelled:
        raise
    except (OSError, pa.ArrowException) as err:
        raise ExportError(
            N_("cannot write {path}: {error}", path=str(path), error=_reason(err))
        ) from err
    del source
    if len(rows) >= RELEASE_AFTER_ROWS:
        release_memory()  # the export's Arrow tables and write buffers
    report(1.0)
    return len(rows)


def _reason(err: Exception) -> str:
    """The OS's words for an error, on one line (Arrow adds a "Detail: ..." of its own)."""
    text = getattr(err, "strerror", None) or str(err)
    if "Detail:" in text:  # e.g. "Error writing bytes to file. Detail: [errno 28] No space..."
        text = text.split("Detail:", 1)[1].strip()
        text = text.split("] ", 1)[1] if text.startswith("[errno") and "] " in text else text
    return " ".join(text.split())


# -- columns as Arrow ---------------------------------------------------------------------------
def arrow_table(table: EventTable, rows: np.ndarray, columns: str = "canonical") -> pa.Table:
    """The chosen rows as an Arrow table, columns typed (dates as timestamps)."""
    return _Source(table, np.asarray(rows, dtype=np.int64), columns).full()


class _Source:
    """The rows to write, handed out as Arrow tables a slice at a time.

    Choices that must hold for the whole file (whether a date column has times of day,
    whether a float column holds only whole numbers) are made once here, over all the
    chosen rows, so that every slice is written the same way.
    """

    def __init__(
        self, table: EventTable, rows: np.ndarray, columns: str, extra: ExtraColumns | None = None
    ) -> None:
        self.table = table
        self.rows = rows
        self.num_rows = len(rows)
        self.extra = extra
        self._original = _original_arrow(table, rows) if columns == "original" else None
        if self._original is not None:
            self.column_names = list(self._original.column_names) + list(self.extra_names)
            self.timed: set[str] = set()
            self.whole: set[str] = set()
            return
        self.column_names = list(CANONICAL_COLUMNS) + list(self.extra_names)
        df = table.df
        # Rows in a sorted (not file) order hit every chunk of a text column in every
        # slice: glue such columns (up to COMBINE_MAX_BYTES) into one chunk once, then
        # each slice is one take.
        self._text: dict[str, Any] = {}  # ChunkedArray, or one Array once combined
        self._codes = {c: table.codes(c) for c in CATEGORICAL_COLUMNS}
        self._names = _category_names_of(table)  # once per table, not per slice
        ascending = len(rows) < 2 or bool(np.all(rows[1:] > rows[:-1]))
        for c in CANONICAL_COLUMNS:
            if _is_arrow_text(df[c]):
                values: Any = pa.chunked_array(df[c].array.__arrow_array__())
                many = values.num_chunks > 1 and len(rows) >= COMBINE_AT * len(table)
                if not ascending and many and values.nbytes <= COMBINE_MAX_BYTES:
                    values = values.combine_chunks()
                self._text[c] = values
        # A time of day somewhere in a date column: write times in all of that column.
        self.timed = {c for c in DATE_COLUMNS if _has_time_of_day(df[c], rows)}
        self.whole = set()
        for c in FLOAT_COLUMNS:
            values = df[c].to_numpy()[rows]
            known = values[~np.isnan(values)]
            if np.all(known == np.round(known)) and np.all(np.abs(known) < 2**53):
                self.whole.add(c)

    @property
    def extra_names(self) -> tuple[str, ...]:
        return self.extra.names if self.extra is not None else ()

    def full(self) -> pa.Table:
        return self.part(0, self.num_rows)

    def part(self, lo: int, hi: int) -> pa.Table:
        """Rows ``lo:hi`` of the chosen rows, typed as stored (dates as timestamps)."""
        part = self._layout_part(lo, hi)
        if self.extra is None:
            return part
        added = self.extra.compute(self.rows[lo:hi])
        for name in self.extra.names:
            part = part.append_column(name, added[name])
        return part

    def _layout_part(self, lo: int, hi: int) -> pa.Table:
        if self._original is not None:
            return self._original.slice(lo, hi - lo)
        rows = self.rows[lo:hi]
        df = self.table.df
        columns: dict[str, Any] = {}
        for c in CANONICAL_COLUMNS:
            if c in self._text:
                columns[c] = take_rows(self._text[c], rows)
            elif c in self._names:
                codes = self._codes[c][rows]
                columns[c] = self._names[c].take(pa.array(codes, mask=codes < 0))
            else:
                columns[c] = _column(df[c], rows)
        return pa.table(columns)

    def text_part(self, lo: int, hi: int) -> pa.Table:
        """Rows ``lo:hi`` ready for CSV: ISO dates, whole numbers without a decimal point
        (Arrow's integer writer is several times faster than its float writer)."""
        data = self.part(lo, hi)
        for i, name in enumerate(data.column_names):
            col = data.column(i)
            if name in DATE_COLUMNS and pa.types.is_timestamp(col.type):
                data = data.set_column(i, name, _date_text(col, name in self.timed))
            elif name in self.whole and pa.types.is_floating(col.type):
                data = data.set_column(i, name, col.cast(pa.int64(), safe=False))
        return data


def _has_time_of_day(series: pd.Series, rows: np.ndarray) -> bool:
    values = series.to_numpy().view("int64")[rows]
    values = values[values != NAT_NS]
    return bool(np.any(values % NS_PER_DAY))


#: Category names as Arrow strings, per table (tables are immutable; a closed one goes).
_NAMES = PerTable["dict[str, pa.Array[Any]]"]("export: category names")


def _category_names_of(table: EventTable) -> dict[str, pa.Array[Any]]:
    return _NAMES.get(table, lambda: {c: _category_names(table.df[c]) for c in CATEGORICAL_COLUMNS})


def _date_text(col: Any, with_time: bool) -> Any:
    """``2023-09-07``, or ``2023-09-07T14:30:00`` when the column has times of day."""
    if with_time:
        return pc.strftime(col.cast(pa.timestamp("s"), safe=False), "%Y-%m-%dT%H:%M:%S")
    return col.cast(pa.date32(), safe=False).cast(pa.string())


def _column(series: pd.Series, rows: np.ndarray) -> Any:
    """One column's values at ``rows``."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()[rows]
        names = _category_names(series)
        # Decode through the (small) category array; code -1 is unknown.
        return names.take(pa.array(codes, mask=codes < 0))
    if _is_arrow_text(series):
        return take_rows(pa.chunked_array(series.array.__arrow_array__()), rows)
    values = series.to_numpy()[rows]
    if values.dtype.kind == "f":
        return pa.array(values, mask=np.isnan(values))
    if values.dtype.kind == "M":
        return pa.array(values, mask=np.isnat(values))
    if values.dtype.kind == "O":
        return pa.array(values, from_pandas=True)
    return pa.array(values)


def _is_arrow_text(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.ArrowDtype) or str(series.dtype) == "string[pyarrow]"


def _category_names(series: pd.Series) -> pa.Array[Any]:
    return pa.array(series.cat.categories.astype(str).to_numpy(dtype=object), pa.string())


def take_rows(values: Any, rows: np.ndarray) -> Any:
    """``values[rows]`` without gluing all chunks together first (which Arrow's own take on
    a many-chunk array does, copying the whole column for every slice)."""
    n = len(rows)
    if n == 0:
        return values.slice(0, 0)
    if rows[-1] - rows[0] + 1 == n and (n == 1 or bool(np.all(np.diff(rows) == 1))):
        return values.slice(int(rows[0]), n)  # a contiguous run: no copy
    if isinstance(values, pa.Array) or values.num_chunks <= 1:
        return values.take(pa.array(rows))
    offsets = np.cumsum([0] + [len(c) for c in values.chunks])
    which = np.searchsorted(offsets, rows, side="right") - 1
    order = np.argsort(which, kind="stable")
    grouped, chunk_of = rows[order], which[order]
    cuts = np.flatnonzero(np.diff(chunk_of)) + 1
    pieces: list[Any] = []
    for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, n], strict=True):  # per chunk, not per row
        k = int(chunk_of[lo])
        pieces.append(values.chunk(k).take(pa.array(grouped[lo:hi] - offsets[k])))
    taken: Any = pa.concat_arrays(pieces)
    if np.all(order[1:] > order[:-1]):
        return taken
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    return taken.take(inverse)


def _original_arrow(table: EventTable, rows: np.ndarray) -> pa.Table:
    """The source files' own columns for ``rows``, in order (several datasets of one format
    are stacked; a column one of them lacks is empty there)."""
    which = table.dataset_index(rows)
    local = rows - table.offsets[which]
    names: list[str] = []
    if not len(rows):  # the header alone, from every open dataset of the format
        for dataset in table.datasets:
            columns: Any = dataset.originals.columns if dataset.originals is not None else []
            names += [str(c) for c in columns if str(c) not in names]
        return pa.table({name: pa.array([], pa.string()) for name in names})
    for k in np.unique(which):
        names += [str(c) for c in table.datasets[k].originals.columns if str(c) not in names]
    parts, order = [], []
    for k in np.unique(which):
        pick = np.flatnonzero(which == k)
        frame = table.datasets[k].originals.iloc[local[pick]]
        frame = frame.set_axis([str(c) for c in frame.columns], axis=1).reindex(columns=names)
        parts.append(frame)
        order.append(pick)
    if not parts:
        return pa.table({})
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    # Back to the chosen order (the parts were grouped by dataset).
    frame = frame.iloc[np.argsort(np.concatenate(order), kind="stable")].reset_index(drop=True)
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        # Mixed Python objects in a column: write their text.
        text = frame.astype(object).where(frame.notna(), None).astype(str)
        return pa.Table.from_pandas(text.where(frame.notna(), None), preserve_index=False)


# -- writers ------------------------------------------------------------------------------------
def _slices(n: int) -> list[tuple[int, int]]:
    return [(lo, min(lo + CHUNK_ROWS, n)) for lo in range(0, n, CHUNK_ROWS)]


def _write_csv(
    source: _Source, sink: Any, bom: bool, progress: ProgressFn, cancelled: CancelFn
) -> None:
    """Slices are taken and converted on a small thread pool (Arrow releases the GIL)
    while this thread writes the previous ones in order; a few slices are in memory at
    once, whatever the size of the export."""
    if bom:
        sink.write(BOM)
    sink.write(header_line(source.column_names))
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    writer = None
    pending: deque[Any] = deque()

    def write_next() -> None:
        nonlocal writer
        hi, future = pending.popleft()
        part = future.result()
        if writer is None:
            writer = pacsv.CSVWriter(sink, part.schema, write_options=options)
        writer.write_table(part)
        progress(0.05 + 0.94 * hi / source.num_rows)

    workers = max(1, min(CSV_THREADS, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            for lo, hi in _slices(source.num_rows):
                if cancelled():
                    raise ExportCancelled()
                pending.append((hi, pool.submit(source.text_part, lo, hi)))
                if len(pending) > workers:
                    write_next()
            while pending:
                if cancelled():
                    raise ExportCancelled()
                write_next()
        finally:
            for _hi, future in pending:
                future.cancel()
    if writer is not None:
        writer.close()


def header_line(names: list[str]) -> bytes:
    """The header quoted only where needed (Arrow quotes every name): ``id,dataset,...``."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(names)
    return line.getvalue().encode("utf-8")


def _write_parquet(
    source: _Source, fh: Any, bom: bool, progress: ProgressFn, cancelled: CancelFn
) -> None:
    writer = None
    try:
        for lo, hi in _slices(source.num_rows) or [(0, 0)]:
            if cancelled():
                raise ExportCancelled()
            part = source.part(lo, hi)
            if writer is None:
                writer = pq.ParquetWriter(fh, part.schema)
            writer.write_table(part)
            progress(0.05 + 0.94 * hi / max(source.num_rows, 1))
    finally:
        if writer is not None:
            writer.close()


def _write_xlsx(
    source: _Source, fh: Any, bom: bool, progress: ProgressFn, cancelled: CancelFn
) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("events")
    sheet.append(source.column_names)
    try:
        for lo, hi in _slices(source.num_rows):
            part = source.part(lo, hi)
            # openpyxl takes one Python row at a time; a sheet stops near 1M rows anyway.
            values = [_excel_values(part.column(i)) for i in range(part.num_columns)]
            for k, record in enumerate(zip(*values, strict=True)):
                if k % 5_000 == 0 and cancelled():
                    raise ExportCancelled()
                sheet.append(record)
            progress(0.05 + 0.9 * hi / source.num_rows)
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


def _excel_values(column: pa.ChunkedArray[Any]) -> list[Any]:
    if pa.types.is_timestamp(column.type):
        return column.cast(pa.timestamp("us"), safe=False).to_pylist()  # datetime objects
    if pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    values = column.to_pylist()
    if pa.types.is_floating(column.type):
        return [None if v is None or v != v else v for v in values]
    return values
