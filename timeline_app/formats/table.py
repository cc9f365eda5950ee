"""Any table (CSV with any delimiter, XLSX, Parquet, JSON records) mapped to events by the user.

No layout is assumed: a :class:`ColumnMapping` says which source column holds each
canonical field. The mapping comes from the mapping dialog (``options={"mapping": ...}``)
or from a mapping the user saved earlier for a file with the same header. Without one,
reading fails with a message asking the user to map the columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_app.formats._text import WRONG_WIDTH, TextTable, read_text_table
from timeline_app.formats.category_map import ACLED_EVENT_TYPES
from timeline_app.formats.registry import (
    CancelFn,
    FileProbe,
    FormatError,
    LoadCancelled,
    ProgressFn,
    register,
)
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.schema import CATEGORIES, conform

__all__ = [
    "ColumnMapping",
    "DATE_ORDERS",
    "MAPPABLE_FIELDS",
    "NeedsMapping",
    "needs_mapping",
    "TableReader",
    "apply_mapping",
    "config_dir",
    "header_key",
    "load_mapped",
    "peek_raw_table",
    "read_raw_table",
    "save_mapping",
    "saved_mapping",
    "suggest_mapping",
]

#: How the day and month of slash dates are ordered: decided from the column, or forced.
DATE_ORDERS: tuple[str, ...] = ("auto", "day-first", "month-first")

TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm", ".parquet", ".json"}


class NeedsMapping(FormatError):
    """A readable table whose columns nobody knows: the user must map them (the GUI offers
    the mapping dialog on this error)."""


@dataclass
class ColumnMapping:
    """Which source column feeds each canonical field (``None`` = not in this file).

    Either ``date`` (a point event) or ``start`` (with an optional ``end``) must be set.
    """

    date: str | None = None
    start: str | None = None
    end: str | None = None
    title: str | None = None
    category: str | None = None
    event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    fatalities: str | None = None
    notes: str | None = None
    source: str | None = None
    id: str | None = None
    date_order: str = "auto"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        known = {f.name for f in fields(cls)}
        values = {k: (str(v) if v is not None else None) for k, v in data.items() if k in known}
        mapping = cls(**values)
        if mapping.date_order not in DATE_ORDERS:
            mapping.date_order = "auto"
        return mapping

    def columns(self) -> dict[str, str]:
        """Field -> source column, for the fields that are mapped."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "date_order" and getattr(self, f.name)
        }

    def problem(self, header: list[str]) -> str | None:
        """Why this mapping cannot be used on a file with ``header`` (None when it can)."""
        if not (self.date or self.start):
            return "no column is mapped to the date (or start date)"
        missing = [col for col in self.columns().values() if col not in header]
        if missing:
            return f"column(s) not in this file: {', '.join(missing)}"
        return None


#: Fields shown in the mapping dialog, in order (``date_order`` is separate).
MAPPABLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ColumnMapping))[:-1]

# Common column names for each field, compared after lower-casing and dropping
# everything but letters and digits ("Event Date" -> "eventdate"). First match wins.
_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "date": ("date", "eventdate", "day", "incidentdate", "datum", "fecha", "sqldate"),
    "start": ("start", "startdate", "datestart", "begin", "from", "datefrom", "startedon"),
    "end": ("end", "enddate", "dateend", "until", "to", "dateto", "endedon"),
    "title": ("title", "headline", "name", "eventname", "summary", "description", "event"),
    "category": ("category", "kind", "class", "lane"),
    "event_type": ("eventtype", "type", "attacktype", "typeofviolence", "incidenttype"),
    "actor1": ("actor1", "actor", "perpetrator", "actora", "sidea", "group", "gname", "by"),
    "actor2": ("actor2", "target", "victim", "actorb", "sideb", "against"),
    "country": ("country", "countryname", "nation", "pays"),
    "admin1": ("admin1", "region", "province", "state", "provstate", "adm1", "governorate"),
    "admin2": ("admin2", "district", "county", "cercle", "adm2"),
    "location": ("location", "place", "city", "town", "village", "locality", "site"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "long", "lng", "x"),
    "fatalities": ("fatalities", "deaths", "killed", "nkill", "dead", "casualties", "best"),
    "notes": ("notes", "note", "comments", "comment", "details", "remarks", "text"),
    "source": ("source", "sources", "reference", "url", "link", "citation"),
    "id": ("id", "eventid", "eventidcnty", "uid", "incidentid", "ref", "code"),
}


def _squash(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def suggest_mapping(header: list[str]) -> ColumnMapping:
    """Guess a mapping from common column names; unmatched fields stay unmapped."""
    squashed = {}
    for col in header:
        squashed.setdefault(_squash(col), col)
    mapping = ColumnMapping()
    taken: set[str] = set()
    for field_name, names in _SUGGESTIONS.items():
        for name in names:
            col = squashed.get(name)
            if col is not None and col not in taken:
                setattr(mapping, field_name, col)
                taken.add(col)
                break
    if mapping.date and mapping.start:
        mapping.date = None  # a start column is the more specific of the two
    if not (mapping.date or mapping.start):
        # Fall back to any column with "date" in its name.
        for col in header:
            if "date" in _squash(col) and col not in taken:
                mapping.date = col
                break
    return mapping


# ---------------------------------------------------------------------------
# Reading any table as text cells, with the physical line of every row
#
# GTD and GDELT use these too. Everything is kept as text; the mapping decides what
# each column means. Lines are 1-based physical lines (the header is line 1) for text
# files, sheet row numbers for XLSX, and record numbers for Parquet and JSON.


@dataclass
class RawTable:
    """A table's header and cells as text, with the line each row came from."""

    header: list[str]  # unique column names, in file order
    frame: pd.DataFrame  # one str column per header name; "" for blank cells
    # The line (or sheet row / record number) of each row: an array, or a function of row
    # indices, because counting lines in a big file is only worth it for rejected rows.
    line_source: np.ndarray | Callable[[np.ndarray], np.ndarray]
    rows_read: int  # data rows seen, including those in ``rejected``
    rejected: list[tuple[int, str, str]]  # rows that could not be split: (line, reason, text)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)

    def line_numbers(self, rows: np.ndarray | list[int]) -> np.ndarray:
        """The lines of the given rows (indices into ``frame``)."""
        rows = np.asarray(rows, dtype=np.int64)
        if callable(self.line_source):
            return np.asarray(self.line_source(rows), dtype=np.int64)
        return np.asarray(self.line_source, dtype=np.int64)[rows]

    @property
    def lines(self) -> np.ndarray:
        """Every row's line (computes them all: prefer :meth:`line_numbers` on big tables)."""
        return self.line_numbers(np.arange(len(self.frame)))


class RowAccount:
    """A raw table's load report, and which of its rows are still to become events.

    Readers reject rows by mask, check after check; a row is counted once, under the
    first reason that rejected it.
    """

    def __init__(self, raw: RawTable, format_name: str) -> None:
        self.raw = raw
        self.report = LoadReport(format=format_name, rows_read=raw.rows_read, encoding=raw.encoding)
        self.report.warnings.extend(raw.warnings)
        for line, reason, text in raw.rejected:
            self.report.reject(line, reason, text)
        self.kept = np.ones(len(raw.frame), dtype=bool)

    def reject(self, mask: np.ndarray, reason: str, texts: pd.Series) -> None:
        idx = np.flatnonzero(mask & self.kept)
        if idx.size:
            lines = [int(v) for v in self.raw.line_numbers(idx)]
            self.report.reject_many(lines, reason, texts.to_numpy()[idx].tolist())
        self.kept &= ~mask  # in place: callers may hold this array


def dedupe_header(names: list[Any]) -> list[str]:
    """Header names made unique and non-blank (blank -> ``column_N``, repeats -> ``name.2``)."""
    result: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names):
        name = "" if raw is None else str(raw).strip()
        name = name or f"column_{i + 1}"
        candidate, k = name, 1
        while candidate in seen:
            k += 1
            candidate = f"{name}.{k}"
        seen.add(candidate)
        result.append(candidate)
    return result


def decode_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Text of a file: UTF-8 (BOM stripped) or, failing that, Windows-1252 (with a warning)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        note = "not valid UTF-8: decoded as Windows-1252"
        return data.decode("cp1252", errors="replace"), "cp1252", [note]


def _guess_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in ("\t", ",", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _record_layout(
    data: bytes, delimiter: str, quoting: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where each record starts, its physical line, its field count, and whether it is blank.

    Vectorised over the bytes: a newline or delimiter ends a record or field only outside
    double quotes (quote parity, so doubled quotes inside a quoted field cancel out).
    """
    a = np.frombuffer(data, dtype=np.uint8)
    if not a.size:
        none = np.zeros(0, dtype=np.int64)
        return none, none, none, none.astype(bool)
    newline = a == 10
    delim = a == ord(delimiter)
    if quoting:
        inside = (np.cumsum(a == 34, dtype=np.uint8) & 1).astype(bool)
        newline_out = newline & ~inside
        delim &= ~inside
    else:
        newline_out = newline
    ends = np.flatnonzero(newline_out)
    if a.size and (ends.size == 0 or ends[-1] != a.size - 1):
        ends = np.append(ends, a.size)
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64)
    lines = 1 + np.searchsorted(np.flatnonzero(newline), starts)
    # Delimiters per record, summed segment by segment (no array of positions: files are big).
    if starts.size:
        nfields = 1 + np.add.reduceat(delim.view(np.uint8), starts, dtype=np.int64)
    else:
        nfields = np.zeros(0, dtype=np.int64)
    # A record of only blanks (and line ends) is skipped by the parsers: find them the same way.
    space = (a == 32) | (a == 13) | (a == 10)
    if delimiter != "\t":
        space |= a == 9
    if starts.size:
        blank = np.add.reduceat((~space).view(np.uint8), starts, dtype=np.int64) == 0
    else:
        blank = np.zeros(0, dtype=bool)
    return starts, lines, nfields, blank


def _split_fast(
    text: str, data: bytes, delimiter: str, quoting: bool
) -> tuple[list[list[str]] | pd.DataFrame, np.ndarray, np.ndarray] | None:
    """Records via pandas' C parser, checked against the byte layout (None if they disagree)."""
    _, lines, nfields, blank = _record_layout(data, delimiter, quoting)
    lines, nfields = lines[~blank], nfields[~blank]
    if lines.size == 0:
        return pd.DataFrame(), lines, nfields
    width = int(nfields.max())
    if not blank.any() and (nfields == width).all():
        multiline = bool((np.diff(lines) > 1).any())
        frame = _split_arrow(data, delimiter, quoting, width, multiline)
        if frame is not None and len(frame) == lines.size:
            return frame, lines, nfields
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            names=list(range(width)),
            dtype=str,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=True,
            quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError):
        return None
    if len(frame) != lines.size:
        return None
    return frame, lines, nfields


def _split_arrow(
    data: bytes, delimiter: str, quoting: bool, width: int, multiline: bool
) -> pd.DataFrame | None:
    """Records via pyarrow's parser, for the common case of a rectangular file (fastest)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"' if quoting else False,
                newlines_in_values=multiline,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    frame = table.to_pandas()
    frame.columns = range(frame.shape[1])
    return frame


def _split_slow(text: str, delimiter: str, quoting: bool):
    """Records via the csv module: slower, but exact for any file the fast path mistrusts."""
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE,
        strict=False,
    )
    rows, lines = [], []
    last = 0
    try:
        for row in reader:
            start = last + 1
            last = reader.line_num
            if not row or not "".join(row).strip():
                continue
            rows.append(row)
            lines.append(start)
    except csv.Error:
        pass  # an unterminated quote at the end: what was read is kept; the rest is counted below
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], columns=range(width))
    nfields = np.array([len(r) for r in rows], dtype=np.int64)
    return frame, np.array(lines, dtype=np.int64), nfields


def read_delimited(
    path: Path,
    *,
    delimiter: str | None = None,
    has_header: bool = True,
    quoting: bool = True,
    names: list[str] | None = None,
    max_bytes: int | None = None,
    short_rows: str = "pad",
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> RawTable:
    """A delimited text file as a :class:`RawTable`; every non-blank row is counted.

    A row with more fields than the header is rejected (unless the extra cells are all
    empty: trailing delimiters); a row with fewer is padded with blanks, or rejected
    when ``short_rows="reject"`` (fixed layouts, where a short row is a cut-off line).
    """
    data = _read_bytes(path, max_bytes, progress, cancelled)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if max_bytes is not None and len(data) >= max_bytes:
        data = data[: data.rfind(b"\n") + 1] or data  # a preview ends at a whole line
    text, encoding, warnings = decode_bytes(data)
    if encoding == "cp1252":
        data = text.encode("utf-8")  # same structural bytes; keeps the layout scan in step
    delimiter = delimiter or _guess_delimiter(text)
    if len(delimiter) != 1:
        raise FormatError(f"{path.name}: delimiter must be one character, not {delimiter!r}")
    split = _split_fast(text, data, delimiter, quoting)
    if split is None:
        split = _split_slow(text, delimiter, quoting)
    if cancelled and cancelled():
        raise LoadCancelled()
    cells, lines, nfields = split
    if progress:
        progress(0.6)
    if has_header:
        if len(cells) == 0:
            raise FormatError(f"{path.name}: the file is empty")
        width = int(nfields[0])
        header = dedupe_header(list(cells.iloc[0, :width]))
        cells, lines, nfields = cells.iloc[1:], lines[1:], nfields[1:]
    else:
        width = len(names) if names else (int(nfields.max()) if nfields.size else 0)
        header = dedupe_header(names or [f"column_{i + 1}" for i in range(width)])
    rows_read = len(cells)
    rejected: list[tuple[int, str, str]] = []
    keep = np.ones(rows_read, dtype=bool)
    too_long = np.flatnonzero(nfields > width)
    if too_long.size:
        extra = cells.iloc[too_long, width:]
        nonblank = (extra.astype(str).apply(lambda c: c.str.strip()) != "").any(axis=1).to_numpy()
        for i in too_long[nonblank]:
            text_row = delimiter.join(cells.iloc[i, : nfields[i]].astype(str))
            rejected.append(
                (int(lines[i]), WRONG_WIDTH, f"{nfields[i]} fields, expected {width}: {text_row}")
            )
            keep[i] = False
    if short_rows == "reject":
        for i in np.flatnonzero(nfields < width):
            text_row = delimiter.join(cells.iloc[i, : nfields[i]].astype(str))
            rejected.append(
                (int(lines[i]), WRONG_WIDTH, f"{nfields[i]} fields, expected {width}: {text_row}")
            )
            keep[i] = False
    if cells.shape[1] < width:
        for k in range(cells.shape[1], width):
            cells[k] = ""
    frame = cells.iloc[keep, :width].reset_index(drop=True)
    frame.columns = header
    return RawTable(
        header=header,
        frame=frame,
        line_source=lines[keep].astype(np.int64),
        rows_read=rows_read,
        rejected=rejected,
        encoding=encoding,
        warnings=warnings,
    )


def _read_bytes(
    path: Path, max_bytes: int | None, progress: ProgressFn | None, cancelled: CancelFn | None
) -> bytes:
    size = max(path.stat().st_size, 1)
    limit = size if max_bytes is None else min(size, max_bytes)
    chunks, got = [], 0
    with open(path, "rb") as fh:
        while got < limit:
            block = fh.read(min(1 << 22, limit - got))
            if not block:
                break
            chunks.append(block)
            got += len(block)
            if cancelled and cancelled():
                raise LoadCancelled()
            if progress:
                progress(0.5 * got / size)
    return b"".join(chunks)


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
        from python_calamine import CalamineWorkbook
    except ImportError:
        CalamineWorkbook = None
    if CalamineWorkbook is not None:
        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        except Exception as err:  # calamine raises its own types for a broken workbook
            raise FormatError(f"{path.name}: not a readable XLSX workbook ({err})") from err
        return sheet.iter_rows(), int(sheet.height or 0)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a broken workbook
        raise FormatError(f"{path.name}: not a readable XLSX workbook ({err})") from err
    sheet = book.worksheets[0]

    def rows():
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
        raise FormatError(f"{path.name}: the first sheet is empty")
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
    return pd.DataFrame(out, columns=frame.columns)


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
    """A Parquet file or a JSON array of records; rows are numbered from 1."""
    if path.suffix.lower() == ".parquet":
        try:
            frame = _parquet_head(path, max_rows)
        except Exception as err:  # pyarrow raises its own types for a broken file
            raise FormatError(f"{path.name}: not a readable Parquet file ({err})") from err
    else:
        try:
            data = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as err:
            raise FormatError(f"{path.name}: not valid JSON ({err})") from err
        if isinstance(data, dict):  # {"data": [...]} or {"events": [...]}
            data = next((v for v in data.values() if isinstance(v, list)), None)
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise FormatError(f"{path.name}: JSON is not a list of records")
        frame = pd.DataFrame.from_records(data)
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
        encoding="parquet" if path.suffix.lower() == ".parquet" else "utf-8",
    )


def read_raw_table(
    path: Path,
    *,
    delimiter: str | None = None,
    max_rows: int | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> RawTable:
    """Any supported table, by its suffix; text files of any delimiter otherwise."""
    path = Path(path)
    if not path.is_file():
        raise FormatError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(path, max_rows=max_rows, progress=progress, cancelled=cancelled)
    if suffix in {".parquet", ".json"}:
        return read_parquet_or_json(path, max_rows=max_rows)
    if delimiter is None:
        # Text goes through the shared fast reader, so that every text reader treats
        # encodings, HXL rows, blank lines and ragged rows the same way, and a preview
        # names the columns exactly as the full load will (the mapping must fit both).
        try:
            if max_rows is None:
                text = read_text_table(path, progress=progress, cancelled=cancelled)
                return _from_text_table(text)
            return _text_head(path, max_rows)
        except csv.Error:
            pass  # a quoting mess the shared reader trips on: the splitter below copes
    raw = read_delimited(
        path,
        delimiter=delimiter,
        max_bytes=None if max_rows is None else 256 * 1024,
        progress=progress,
        cancelled=cancelled,
    )
    if max_rows is not None and len(raw.frame) > max_rows:
        raw.frame = raw.frame.iloc[:max_rows]
    return raw


PREVIEW_BYTES = 256 * 1024


def _text_head(path: Path, max_rows: int) -> RawTable:
    """The first rows of a text table, read by the shared reader from the file's first bytes."""
    with open(path, "rb") as fh:
        head = fh.read(PREVIEW_BYTES + 1)
    if len(head) <= PREVIEW_BYTES:
        raw = _from_text_table(read_text_table(path))
    else:
        head = head[: head.rfind(b"\n") + 1] or head[:PREVIEW_BYTES]
        with tempfile.TemporaryDirectory(prefix="timeline-preview-") as folder:
            part = Path(folder) / path.name  # same name: messages name the user's file
            part.write_bytes(head)
            raw = _from_text_table(read_text_table(part))
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


# ---------------------------------------------------------------------------
# Dates


_YEAR = re.compile(r"^\d{4}$")
_EARLIEST, _LATEST = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{1,2}$")
_SLASHED = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T].*)?$")

_DAY_FIRST = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y", "%d/%m/%Y %H:%M:%S",
              "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M")  # fmt: skip
_MONTH_FIRST = ("%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                "%m/%d/%Y %I:%M:%S %p")  # fmt: skip
_NAMED = ("%d %B %Y", "%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%B %d, %Y", "%b %d, %Y",
          "%d-%B-%Y", "%d %b %y", "%Y/%m/%d")  # fmt: skip


def slash_order(values: pd.Series) -> str:
    """``day-first`` or ``month-first`` for a column of n/n/yyyy dates, judged on all of it.

    A first number above 12 proves day-first, a second above 12 month-first; when nothing
    proves either, month-first (what spreadsheet exports in the US locale write).
    """
    parts = values.str.extract(_SLASHED).dropna()
    if parts.empty:
        return "month-first"
    first = parts[0].astype(int)
    second = parts[1].astype(int)
    if (first > 12).any() and not (second > 12).any():
        return "day-first"
    return "month-first"


def parse_dates(values: pd.Series, order: str = "auto") -> tuple[pd.Series, pd.Series]:
    """Dates from text (vectorised, by trying formats on the whole column) and their precision.

    ``2023`` is year precision, ``2023-09`` month precision, anything else day precision.
    Unparseable and blank values are NaT.
    """
    text = values.astype(str).str.strip()
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    precision = pd.Series("day", index=text.index, dtype=object)
    todo = text != ""

    def fill(mask: pd.Series, fmt: str) -> None:
        nonlocal todo
        if not mask.any():
            return
        parsed = pd.to_datetime(text[mask], format=fmt, errors="coerce")
        # Only dates a nanosecond timestamp can hold (1678-2261); others are typos.
        got = parsed.notna() & parsed.between(_EARLIEST, _LATEST)
        idx = parsed.index[got]
        result.loc[idx] = parsed[got].astype("datetime64[ns]")
        todo = todo & ~text.index.isin(idx)

    year = todo & text.str.match(_YEAR)
    fill(year, "%Y")
    precision[year & result.notna()] = "year"
    year_month = todo & text.str.match(_YEAR_MONTH)
    fill(year_month, "%Y-%m")
    precision[year_month & result.notna()] = "month"
    fill(todo & text.str.match(r"^\d{4}-\d{1,2}-\d{1,2}"), "ISO8601")
    fill(todo & text.str.fullmatch(r"\d{8}"), "%Y%m%d")  # only 8 digits: "2023091" is not a date
    slashed = todo & text.str.match(_SLASHED)
    if slashed.any():
        chosen = order if order != "auto" else slash_order(text[slashed])
        for fmt in _DAY_FIRST if chosen == "day-first" else _MONTH_FIRST:
            fill(todo & slashed, fmt)
    for fmt in _NAMED:
        fill(todo, fmt)
    for fmt in ("%B %Y", "%b %Y"):
        named_month = todo.copy()
        fill(named_month, fmt)
        precision[named_month & result.notna()] = "month"
    return result, precision


# ---------------------------------------------------------------------------
# Saved mappings


def config_dir() -> Path:
    """Where the app keeps its settings: $TIMELINE_APP_CONFIG_DIR or the platform's place."""
    override = os.environ.get("TIMELINE_APP_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "timeline-app"


def _mappings_file() -> Path:
    return config_dir() / "column_mappings.json"


def header_key(header: list[str]) -> str:
    """A key for a header that ignores case, surrounding blanks and trailing empty columns."""
    names = [str(h).strip().lower() for h in header]
    while names and not names[-1]:
        names.pop()
    return hashlib.sha256("\x1f".join(names).encode("utf-8")).hexdigest()[:20]


def _read_store() -> dict[str, Any]:
    try:
        data = json.loads(_mappings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def saved_mapping(header: list[str]) -> ColumnMapping | None:
    """The mapping saved for files with this header, if any (and if it still fits)."""
    entry = _read_store().get(header_key(header))
    if not isinstance(entry, dict) or not isinstance(entry.get("mapping"), dict):
        return None
    mapping = ColumnMapping.from_dict(entry["mapping"])
    return None if mapping.problem(list(header)) else mapping


def save_mapping(header: list[str], mapping: ColumnMapping) -> Path:
    """Remember ``mapping`` for files with this header. Written atomically (temp + rename)."""
    store = _read_store()
    store[header_key(header)] = {"header": list(header), "mapping": mapping.to_dict()}
    path = _mappings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".mappings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(store, fh, indent=1, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------------
# Applying a mapping


@dataclass
class MappedRows:
    """The events made from a raw table, and the rows that could not become events."""

    events: pd.DataFrame  # canonical columns, one row per kept source row
    kept: np.ndarray  # bool per source row: became an event
    rejected: list[tuple[np.ndarray, str, list[str]]]  # (row indices, reason, offending values)
    warnings: list[str]


def _text(frame: pd.DataFrame, col: str | None) -> pd.Series | None:
    if not col:
        return None
    return frame[col].astype(str).str.strip()


def _numbers(values: pd.Series) -> tuple[pd.Series, int]:
    """Numbers from text; blanks and non-numbers are unknown (NaN). Returns the non-number count."""
    cleaned = values.str.replace(",", "", regex=False).str.strip()
    numbers = pd.to_numeric(cleaned, errors="coerce")
    bad = int((numbers.isna() & (cleaned != "") & (cleaned.str.upper() != "NA")).sum())
    return numbers.astype("float64"), bad


def apply_mapping(raw: RawTable, mapping: ColumnMapping) -> MappedRows:
    """Turn ``raw`` into canonical events by ``mapping`` (vectorised; no per-row Python)."""
    problem = mapping.problem(raw.header)
    if problem:
        raise FormatError(f"the column mapping does not fit this file: {problem}")
    frame = raw.frame
    n = len(frame)
    warnings: list[str] = []
    rejected: list[tuple[np.ndarray, str, list[str]]] = []
    kept = np.ones(n, dtype=bool)

    start_col = mapping.start or mapping.date
    start_text = _text(frame, start_col)
    start, precision = parse_dates(start_text, mapping.date_order)
    no_start = start.isna().to_numpy()
    blank = (start_text == "").to_numpy()
    for mask, reason in ((no_start & blank, "no date"), (no_start & ~blank, "unparseable date")):
        idx = np.flatnonzero(mask & kept)
        if idx.size:
            rejected.append((idx, reason, start_text.to_numpy()[idx].tolist()))
        kept &= ~mask

    end = start.copy()
    if mapping.start and mapping.end:
        end_text = _text(frame, mapping.end)
        parsed_end, _ = parse_dates(end_text, mapping.date_order)
        bad_end = (parsed_end.isna() & (end_text != "")).to_numpy()
        idx = np.flatnonzero(bad_end & kept)
        if idx.size:
            rejected.append((idx, "unparseable end date", end_text.to_numpy()[idx].tolist()))
        kept &= ~bad_end
        end = parsed_end.fillna(start)
        backwards = (end < start).to_numpy()
        idx = np.flatnonzero(backwards & kept)
        if idx.size:
            texts = (start_text + " > " + end_text).to_numpy()[idx].tolist()
            rejected.append((idx, "end date before start date", texts))
        kept &= ~backwards

    out = pd.DataFrame({"start": start, "end": end, "date_precision": precision})
    for name in (
        "id",
        "event_type",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "admin2",
        "location",
        "notes",
        "source",
    ):
        values = _text(frame, getattr(mapping, name))
        if values is not None:
            out[name] = values

    if mapping.fatalities:
        out["fatalities"], bad = _numbers(_text(frame, mapping.fatalities))
        if bad:
            warnings.append(f"{bad} non-numeric fatality value(s) read as unknown")
    if mapping.latitude and mapping.longitude:
        lat, bad_lat = _numbers(_text(frame, mapping.latitude))
        lon, bad_lon = _numbers(_text(frame, mapping.longitude))
        # 0,0 is the Gulf of Guinea: in event data it means "not located".
        unknown = ((lat == 0) & (lon == 0)) | ~lat.between(-90, 90) | ~lon.between(-180, 180)
        out["latitude"] = lat.mask(unknown)
        out["longitude"] = lon.mask(unknown)
        if bad_lat or bad_lon:
            warnings.append(f"{max(bad_lat, bad_lon)} non-numeric coordinate(s) read as unknown")

    out["category"] = _categories(frame, mapping)
    out["title"] = _titles(frame, mapping, out)

    if mapping.id:
        # Ids are unique per dataset; only rows still kept can clash (a rejected row
        # does not claim its id), and blank ids never clash.
        ids = out["id"].where(kept & (out["id"] != "").to_numpy())
        dup = (ids.duplicated(keep="first") & ids.notna()).to_numpy()
        idx = np.flatnonzero(dup)
        if idx.size:
            rejected.append((idx, "duplicate id", ids.to_numpy()[idx].tolist()))
        kept &= ~dup

    events = conform(out.loc[kept].reset_index(drop=True))
    return MappedRows(events=events, kept=kept, rejected=rejected, warnings=warnings)


def _categories(frame: pd.DataFrame, mapping: ColumnMapping) -> pd.Series:
    """Category from a mapped column (known names as-is), else from the event type."""
    if mapping.category:
        values = _text(frame, mapping.category).str.lower()
        return values.where(values != "", "other")
    if mapping.event_type:
        return category_for_event_types(_text(frame, mapping.event_type))
    return pd.Series(["other"] * len(frame), dtype=object)


#: Event-type words that make an event an attack when the user maps no category.
_VIOLENT_WORDS = (
    r"attack|battle|armed clash|clash|explosion|bomb|shell|air ?strike|drone|ambush|assault|"
    r"massacre|kill|violence against civilians|remote violence|abduction|kidnap|raid|fight|ied"
)


def category_for_event_types(event_types: pd.Series) -> pd.Series:
    """Category from event-type names: ACLED's types by the shared table in ``category_map``;
    a category name used as a type -> itself; other violent-sounding types -> ``attack``;
    the rest -> ``other``."""
    lowered = event_types.astype(str).str.strip().str.lower()
    result = pd.Series(np.full(len(lowered), "other", dtype=object), index=lowered.index)
    violent = lowered.str.contains(_VIOLENT_WORDS, regex=True, na=False)
    result = result.where(~violent, "attack")
    result = result.where(~lowered.isin(CATEGORIES), lowered)
    # ACLED's own type names follow the project's documented table.
    known = lowered.map(ACLED_EVENT_TYPES)
    return result.where(known.isna(), known)


def _titles(frame: pd.DataFrame, mapping: ColumnMapping, out: pd.DataFrame) -> pd.Series:
    """The mapped title, or one made of what is known: "Type: actor in place"."""
    n = len(frame)
    empty = pd.Series([""] * n, index=frame.index, dtype=object)
    given = _text(frame, mapping.title) if mapping.title else empty
    what = out.get("event_type", empty)
    who = out.get("actor1", empty)
    place = empty
    for name in ("location", "admin2", "admin1", "country"):
        if name in out:
            place = place.where(place != "", out[name])
    made = what.where(what != "", "Event")
    made = made.where(who == "", made + ": " + who)
    made = made.where(place == "", made + " in " + place)
    return given.where(given != "", made)


# ---------------------------------------------------------------------------
# The reader


def needs_mapping(path: Path | str) -> bool:
    """True when no reader knows ``path``'s layout and no saved mapping fits its header.

    The GUI asks this before loading (or after a load fails with :class:`NeedsMapping`)
    to decide whether to show the mapping dialog. A file that is not a table at all gives
    False: loading it then fails with a one-line reason.
    """
    from timeline_app.formats import registry

    path = Path(path)
    try:
        scores = registry.sniff(path)
    except FormatError:
        return False
    best = scores[0][1] if scores and scores[0][0] > 0 else None
    if best == "native" and path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            names = set(pq.read_schema(path).names)
        except Exception:  # not a readable Parquet file: loading will say so
            return False
        best = "native" if {"start", "title"} <= names else "table"
    if best != "table":
        return False
    try:
        header = peek_raw_table(path, rows=1).header
    except FormatError:
        return False
    return saved_mapping(header) is None


def load_mapped(
    raw: RawTable,
    mapping: ColumnMapping,
    *,
    name: str,
    format_name: str = "table",
) -> Dataset:
    """A Dataset from a raw table and a mapping, with every row accounted for."""
    report = RowAccount(raw, format_name).report
    mapped = apply_mapping(raw, mapping)
    for idx, reason, texts in mapped.rejected:
        lines = raw.line_numbers(idx)
        report.reject_many([int(v) for v in lines], reason, [str(t) for t in texts])
    report.warnings.extend(mapped.warnings)
    report.events = len(mapped.events)
    originals = raw.frame.loc[mapped.kept].reset_index(drop=True)
    originals.columns = raw.header
    return Dataset(
        name=name,
        events=mapped.events,
        report=report,
        originals=originals,
        format=format_name,
    )


class TableReader:
    name = "table"
    label = "Table with mapped columns (CSV, XLSX, Parquet, JSON)"

    def sniff(self, probe: FileProbe) -> float:
        # Any readable table qualifies, but only as the last resort: known layouts win,
        # and an unknown table goes to the mapping dialog.
        if probe.suffix in {".xlsx", ".xlsm", ".parquet", ".json"}:
            return 0.05
        if probe.text and len(probe.header) >= 2:
            return 0.05
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
        options = options or {}
        raw = read_raw_table(
            path, delimiter=options.get("delimiter"), progress=progress, cancelled=cancelled
        )
        mapping = options.get("mapping")
        if isinstance(mapping, dict):
            mapping = ColumnMapping.from_dict(mapping)
        if mapping is None:
            mapping = saved_mapping(raw.header)
            if mapping is None:
                raise NeedsMapping(
                    f"{path.name}: not a known event table layout; map its columns to fields"
                )
            raw.warnings.append("columns mapped by a saved mapping for this header")
        dataset = load_mapped(raw, mapping, name=path.stem)
        if progress:
            progress(1.0)
        return dataset


register(TableReader())
