"""Delimited text files read fast and accounted for row by row, shared by the text readers.

:func:`read_text_table` turns a CSV (any of ``, ; tab |``) into an Arrow table of string
columns, one per header name, plus the rows it could not take, each with its physical
line number (1-based, the header is line 1; a record spanning lines is numbered by its
first line). It copes with what re-saved exports contain: a UTF-8 byte-order mark,
Windows-1252 bytes (decoded as such, with a warning), quoted newlines, CRLF rows with bare
LF inside quotes, blank trailing header columns, one trailing extra field on every row,
an HXL tag row under the header, and blank lines.

Speed: the file is parsed by ``pyarrow.csv`` (multi-threaded, no newlines in values).
Only when that meets a quoted newline or a row of the wrong width is it parsed again
serially, which gives the rejected rows' record numbers. Python's ``csv`` module is the
last resort for files pyarrow refuses. Line numbers are computed lazily, only for rows a
reader rejects, from the count of line breaks in the rows before them (vectorised).

Turning the string columns into canonical ones is in :mod:`._columns`; dates in
:mod:`._dates`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from timeline_app.formats.base import (
    CancelFn,
    FormatError,
    LoadCancelled,
    ProgressFn,
    guess_delimiter,
    stage,
)
from timeline_app.model.dataset import LoadReport

HEAD_BYTES = 1 << 20  # how much is read up front to find the header and sample rows
BLOCK_BYTES = 4 << 20  # pyarrow block size: a record may not be longer than this. 4 MB parses
# as fast as 1 MB and makes 4x fewer chunks (a search taking a few rows pays per chunk)
SAMPLE_RECORDS = 200  # data records sampled to learn how many fields a row has
DICT_TYPE = pa.dictionary(pa.int32(), pa.string())

#: Why a row was rejected because of its shape (a stable reason for the report).
WRONG_WIDTH = "wrong number of fields"

_UTF8_BOM = b"\xef\xbb\xbf"
_LINE_BREAK = r"\r\n|\r|\n"  # one physical line break, as the line count sees it


# -- the table -----------------------------------------------------------------------------
@dataclass
class BadRow:
    """A record that could not be split into the header's columns."""

    record: int  # 0-based index among the records after the header (blank lines count)
    fields: int  # how many fields it had
    text: str  # its raw text


@dataclass
class TextTable:
    """A delimited file as string columns, with the account of every record."""

    path: Path
    names: list[str]  # column names as the file spells them (stripped, made unique)
    table: pa.Table  # one string or dictionary<string> column per name
    encoding: str = "utf-8"  # "utf-8", "utf-8-sig" or "cp1252"
    delimiter: str = ","
    first_line: int = 2  # physical line of the first record after the header (and HXL row)
    expected_fields: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Records (after the header) that are not data: blank or all-empty lines.
    blank_records: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # Physical lines of the table's rows when known exactly (small-file fallback path).
    exact_lines: np.ndarray | None = None
    _row_records: np.ndarray | None = None  # record index of each table row (lazy)
    _record_starts: np.ndarray | None = None  # physical first line of each record (lazy)

    @property
    def rows_read(self) -> int:
        """Data rows in the file: rows in the table plus rows of the wrong width."""
        return self.table.num_rows + len(self.bad_rows)

    def column(self, name: str) -> pa.ChunkedArray:
        return self.table.column(self.names.index(name))

    def start_report(self, format_name: str) -> LoadReport:
        """A report with the rows read, the encoding, warnings and the wrong-width rows."""
        report = LoadReport(format=format_name, rows_read=self.rows_read, encoding=self.encoding)
        report.warnings.extend(self.warnings)
        if self.bad_rows:
            lines = self.bad_row_lines()
            for bad, line in zip(self.bad_rows, lines, strict=True):
                detail = f"{bad.fields} fields, expected {self.expected_fields}: {bad.text}"
                report.reject(int(line), WRONG_WIDTH, detail)
        return report

    def bad_row_lines(self) -> list[int]:
        starts = self._starts()
        return [int(starts[b.record]) for b in self.bad_rows]

    def line_numbers(self, rows: np.ndarray) -> np.ndarray:
        """Physical first line of each given table row (computed on first use)."""
        rows = np.asarray(rows, dtype=np.int64)
        if self.exact_lines is not None:
            return self.exact_lines[rows]
        return self._starts()[self._records()[rows]]

    # Line accounting ----------------------------------------------------------------------
    def _records(self) -> np.ndarray:
        if self._row_records is None:
            total = self.table.num_rows + len(self.bad_rows) + len(self.blank_records)
            taken = np.zeros(total, dtype=bool)
            taken[[b.record for b in self.bad_rows]] = True
            taken[self.blank_records] = True
            self._row_records = np.flatnonzero(~taken)
        return self._row_records

    def _starts(self) -> np.ndarray:
        if self._record_starts is None:
            total = self.table.num_rows + len(self.bad_rows) + len(self.blank_records)
            spans = np.ones(total, dtype=np.int64)
            breaks = np.zeros(self.table.num_rows, dtype=np.int64)
            for i in range(self.table.num_columns):
                breaks += _line_breaks(self.table.column(i))
            spans[self._records()] += breaks
            for bad in self.bad_rows:
                spans[bad.record] += len(re.findall(_LINE_BREAK, bad.text))
            self._record_starts = self.first_line + np.cumsum(spans) - spans
        return self._record_starts


def _line_breaks(column: pa.ChunkedArray) -> np.ndarray:
    """Line breaks inside each value of a column (quoted newlines)."""
    counts = []
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            per_value = pc.count_substring_regex(chunk.dictionary, _LINE_BREAK)
            per_value = per_value.to_numpy(zero_copy_only=False)
            idx = chunk.indices.to_numpy(zero_copy_only=False)
            counts.append(per_value[idx] if len(per_value) else np.zeros(len(idx), np.int64))
        else:
            found = pc.count_substring_regex(chunk, _LINE_BREAK)
            counts.append(pc.fill_null(found, 0).to_numpy(zero_copy_only=False))
    return np.concatenate(counts).astype(np.int64) if counts else np.zeros(0, np.int64)


def as_strings(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    if pa.types.is_dictionary(column.type):
        return pc.cast(column, pa.string())
    return column


# -- reading -------------------------------------------------------------------------------
def read_text_table(
    path: Path,
    *,
    dictionary: Callable[[str], bool] | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> TextTable:
    """Read a delimited text file into string columns; see the module docstring.

    ``dictionary(name)`` says which columns to dictionary-encode (repetitive ones such as
    actors or regions: cheaper to hold and to turn into categoricals); the rest are plain
    strings. Raises :class:`FormatError` for a file that is not a text table.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    size = max(path.stat().st_size, 1)
    if not head.strip():
        raise FormatError(f"{path.name}: the file is empty")
    if b"\x00" in head[:4096]:
        raise FormatError(f"{path.name}: binary data, not a text table")
    bom = head.startswith(_UTF8_BOM)
    body = head[3:] if bom else head
    encoding = "utf-8-sig" if bom else "utf-8"
    if not _looks_utf8(body, complete=len(head) < HEAD_BYTES):
        encoding = "cp1252"
    layout = _layout(path, body, encoding, complete=len(head) < HEAD_BYTES)
    offset = (3 if bom else 0) + layout.data_offset
    progress = _monotonic(progress)
    # The bytes are under half the work; the columns (dictionary encoding) the rest.
    reading = stage(progress, 0.0, READ_SHARE)
    want_dict = dictionary or (lambda _name: False)
    types = {n: (DICT_TYPE if want_dict(n) else pa.string()) for n in layout.read_names}
    # pyarrow parses every column as plain strings; the repetitive ones are encoded after
    # the parse, whole-column (cheaper than per-block dictionaries that must be unified).
    plain = dict.fromkeys(layout.read_names, pa.string())
    try:
        table = _read_arrow(path, offset, size, encoding, layout, plain, reading, cancelled)
    except _NotUtf8:
        encoding = "cp1252"
        layout.warnings.append("decoded as Windows-1252 (the file is not valid UTF-8)")
        table = _read_arrow(path, offset, size, encoding, layout, plain, reading, cancelled)
    if encoding == "cp1252" and not any("Windows-1252" in w for w in layout.warnings):
        layout.warnings.append("decoded as Windows-1252 (the file is not valid UTF-8)")
    if table is None:  # pyarrow refused the file: the slow, forgiving path
        table = _read_python(path, offset, size, encoding, layout, types, reading, cancelled)
    dictionary_names = {n for n, t in types.items() if t == DICT_TYPE}
    result = _finish(path, layout, table, encoding, dictionary_names)
    if progress:
        progress(1.0)
    return result


#: The share of reading a text table that is reading its bytes (0.37-0.65 of the time for
#: 100k ACLED rows; the rest is building the columns).
READ_SHARE = 0.45
#: Progress is passed on in steps of at least this fraction: a 1M-row file is read in
#: ~700 blocks, and a signal per block across threads kept the UI thread (and the GIL) busy.
PROGRESS_STEP = 0.01


def _monotonic(progress: ProgressFn | None) -> ProgressFn | None:
    """Progress that never goes back (a second, serial parse starts from byte 0 again),
    reported in steps of PROGRESS_STEP (and always at the end)."""
    if progress is None:
        return None
    best = [0.0]

    def report(fraction: float) -> None:
        if fraction >= best[0] + PROGRESS_STEP or (fraction >= 1.0 > best[0]):
            best[0] = fraction
            progress(fraction)

    return report


@dataclass
class _Layout:
    """What the first records of a file say about its shape."""

    names: list[str]  # the kept column names
    read_names: list[str]  # names given to pyarrow (may include padding columns)
    delimiter: str
    data_offset: int  # bytes from the start of the text (after any BOM) to the first data record
    first_line: int
    drop: list[str] = field(default_factory=list)  # padding columns to drop if empty
    warnings: list[str] = field(default_factory=list)
    # Filled while reading:
    bad_rows: list[BadRow] = field(default_factory=list)
    blank_records: np.ndarray | None = None
    exact_lines: np.ndarray | None = None


def _looks_utf8(data: bytes, complete: bool) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        # A multi-byte character cut off by the head's size is not an error.
        return not complete and err.start > len(data) - 4
    return True


def _decode(data: bytes, encoding: str) -> str:
    if encoding == "cp1252":
        return data.decode("cp1252", errors="replace")
    return data.decode("utf-8", errors="replace")


def _records(data: bytes, limit: int, delimiter: str) -> list[tuple[int, int]]:
    """(end offset, physical lines) of the first ``limit`` records.

    Quotes count as CSV readers count them: a quote opens a quoted field only at the start
    of a field (a quote inside an unquoted field is a character), ``""`` is an escaped quote.
    """
    breaks = re.compile(rb'"|\r\n|\r|\n|' + re.escape(delimiter.encode()))
    out: list[tuple[int, int]] = []
    in_quotes = False
    lines = 1
    field_start = 0  # offset where the current field starts
    closed_at = -1  # offset just after the last closing quote
    for match in breaks.finditer(data):
        token, at = match.group(), match.start()
        if token == b'"':
            if in_quotes:
                in_quotes, closed_at = False, match.end()
            elif at in (field_start, closed_at):
                in_quotes = True
        elif in_quotes:
            lines += token != delimiter.encode()
        elif token == delimiter.encode():
            field_start = match.end()
        else:
            out.append((match.end(), lines))
            lines, field_start = 1, match.end()
            if len(out) >= limit:
                break
    return out


def _split(record: bytes, encoding: str, delimiter: str) -> list[str]:
    text = _decode(record, encoding).rstrip("\r\n")
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return text.split(delimiter)


def _layout(path: Path, body: bytes, encoding: str, complete: bool) -> _Layout:
    first_line_text = _decode(re.split(rb"\r\n|\r|\n", body[:65536], maxsplit=1)[0], encoding)
    delimiter = guess_delimiter(first_line_text)
    records = _records(body, SAMPLE_RECORDS + 2, delimiter)
    if complete and (not records or records[-1][0] < len(body)):
        tail = body[records[-1][0] if records else 0 :]
        if tail.strip():  # the last line has no line break
            records.append((len(body), 1 + len(re.findall(rb"\r\n|\r|\n", tail))))
    if not records:
        raise FormatError(f"{path.name}: no complete line in the first {HEAD_BYTES >> 20} MB")
    header_end, header_lines = records[0]
    header = [h.strip() for h in _split(body[:header_end], encoding, delimiter)]
    if not any(header):
        raise FormatError(f"{path.name}: the first line is not a header (it is blank)")
    offset, first_line = header_end, 1 + header_lines
    warnings: list[str] = []
    rest = records[1:]
    if rest:
        second = _split(body[offset : rest[0][0]], encoding, delimiter)
        cells = [c.strip() for c in second if c.strip()]
        if cells and all(c.startswith("#") for c in cells):  # an HXL tag row, not an event
            offset, first_line = rest[0][0], first_line + rest[0][1]
            rest = rest[1:]
            warnings.append("skipped the HXL tag row under the header")
    # How many fields a data row has, from a sample of records (blank ones ignored).
    widths: Counter = Counter()
    trailing_empty: Counter = Counter()
    start = offset
    for end, _lines in rest:
        fields = _split(body[start:end], encoding, delimiter)
        start = end
        if any(f.strip() for f in fields):
            widths[len(fields)] += 1
            trailing_empty[len(fields)] += not fields[-1].strip()
    names = _unique([h or f"column_{i + 1}" for i, h in enumerate(header)])
    kept = len(header)
    while kept and not header[kept - 1]:
        kept -= 1  # blank trailing header columns
    width = widths.most_common(1)[0][0] if widths else len(header)
    drop: list[str] = []
    read_names = list(names)
    if width == len(header) + 1:
        # UCDP website exports end every row with a delimiter: one field more than named.
        read_names.append(_unique(names + ["column_extra"])[-1])
        drop = read_names[kept:]
        if trailing_empty[width] == widths[width]:
            warnings.append("every row ends with an extra empty field (trailing delimiter)")
    elif kept <= width < len(header):
        read_names = names[:width]  # rows stop before the blank header columns
        drop = []
    else:
        drop = names[kept:]
    return _Layout(
        names=[n for n in read_names if n not in drop] + [],
        read_names=read_names,
        delimiter=delimiter,
        data_offset=offset,
        first_line=first_line,
        drop=drop,
        warnings=warnings,
    )


def _unique(names: list[str]) -> list[str]:
    seen: Counter = Counter()
    out = []
    for name in names:
        new = name if not seen[name] else f"{name}.{seen[name]}"
        seen[name] += 1
        out.append(new)
    return out


class _NotUtf8(Exception):
    pass


class _Stream:
    """A file object for pyarrow: reports progress, honours cancel, transcodes cp1252."""

    def __init__(
        self,
        path: Path,
        offset: int,
        size: int,
        encoding: str,
        progress: ProgressFn | None,
        cancelled: CancelFn | None,
    ) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._fh.seek(offset)
        self._done = offset
        self._size = size
        self._cp1252 = encoding == "cp1252"
        self._progress = progress
        self._cancelled = cancelled
        self.closed = False

    def read(self, n: int = -1) -> bytes:
        if self._cancelled and self._cancelled():
            raise LoadCancelled()
        data = self._fh.read(n)
        self._done += len(data)
        if self._progress:
            self._progress(self._done / self._size)
        if self._cp1252:
            data = data.decode("cp1252", errors="replace").encode("utf-8")
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self._fh.close()
        self.closed = True


def _read_arrow(
    path: Path,
    offset: int,
    size: int,
    encoding: str,
    layout: _Layout,
    types: dict[str, pa.DataType],
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> pa.Table | None:
    """Parse with pyarrow: fast and parallel first, serial with record numbers if needed."""
    for fast in (True, False):
        bad: list[BadRow] = []
        blank: list[int] = []

        def on_bad(row, bad=bad, blank=blank, fast=fast):  # noqa: ANN001 - pyarrow's InvalidRow
            if fast:
                return "error"  # stop at once: the serial pass will number it
            record = int(row.number or 0) - 1
            if _blank_text(row.text or "", layout.delimiter):
                blank.append(record)  # e.g. a lone quote or ",,," : no data, not a row
            else:
                bad.append(BadRow(record, row.actual_columns, row.text or ""))
            return "skip"

        stream = _Stream(path, offset, size, encoding, progress, cancelled)
        try:
            table = pcsv.read_csv(
                stream,
                read_options=pcsv.ReadOptions(
                    column_names=layout.read_names, use_threads=fast, block_size=BLOCK_BYTES
                ),
                parse_options=pcsv.ParseOptions(
                    delimiter=layout.delimiter,
                    newlines_in_values=not fast,
                    ignore_empty_lines=False,
                    invalid_row_handler=on_bad,
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False
                ),
            )
        except pa.ArrowInvalid as err:
            if "invalid UTF8" in str(err) and encoding != "cp1252":
                raise _NotUtf8() from err
            if fast:
                continue
            return None
        finally:
            stream.close()
        if not fast and any(r < 0 for r in [b.record for b in bad] + blank):
            return None  # record numbers unknown: let the Python path number them
        layout.bad_rows = bad
        layout.blank_records = np.array(sorted(blank), dtype=np.int64)
        return table
    return None


def _read_python(
    path: Path,
    offset: int,
    size: int,
    encoding: str,
    layout: _Layout,
    types: dict[str, pa.DataType],
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> pa.Table:
    """Python's csv module, for what pyarrow refuses: slower, but it numbers every line."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 28))
    with open(path, "rb") as fh:
        fh.seek(offset)  # already past any BOM and the header
        raw = fh.read()
    text = _decode(raw, "cp1252" if encoding == "cp1252" else "utf-8")
    width = len(layout.read_names)
    columns: list[list[str]] = [[] for _ in range(width)]
    lines: list[int] = []
    bad: list[BadRow] = []
    blanks: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    record = 0
    line_before = 0
    try:
        for record, fields in enumerate(reader):  # noqa: B007 - record is used after the loop
            if cancelled and record % 10000 == 0 and cancelled():
                raise LoadCancelled()
            first = layout.first_line + line_before
            line_before = reader.line_num
            # Blank line, or delimiters only (a stray quote or line break at most): no row.
            if not any(f.strip("\r\n") for f in fields):
                blanks.append(record)
                continue
            if len(fields) != width:
                bad.append(BadRow(record, len(fields), layout.delimiter.join(fields)))
                continue
            for column, value in zip(columns, fields, strict=True):
                column.append(value)
            lines.append(first)
    except csv.Error as err:
        raise FormatError(
            f"{path.name}: unreadable CSV near line {line_before + 1}: {err}"
        ) from err
    layout.bad_rows = bad
    layout.blank_records = np.array(blanks, dtype=np.int64)
    layout.exact_lines = np.array(lines, dtype=np.int64)
    arrays = []
    for name, values in zip(layout.read_names, columns, strict=True):
        array = pa.array(values, type=pa.string())
        arrays.append(array.dictionary_encode() if types.get(name) == DICT_TYPE else array)
    if progress:
        progress(1.0)  # of reading (the caller's share of it)
    return pa.table(arrays, names=layout.read_names)


def _finish(
    path: Path,
    layout: _Layout,
    table: pa.Table,
    encoding: str,
    dictionary_names: set[str] | frozenset[str] = frozenset(),
) -> TextTable:
    """Drop blank records and empty padding columns; keep the account of each record."""
    exact = layout.exact_lines
    blanks = layout.blank_records if layout.blank_records is not None else np.zeros(0, np.int64)
    empty = _all_empty(table)
    if empty is not None and empty.any():  # blank lines and rows of delimiters only (",,,,")
        keep = np.flatnonzero(~empty)
        records = _record_index(table.num_rows, layout.bad_rows, blanks)
        blanks = np.sort(np.concatenate([blanks, records[np.flatnonzero(empty)]]))
        table = table.take(pa.array(keep))
        exact = exact[keep] if exact is not None else None
    table = _one_chunk_dictionaries(table, dictionary_names)
    warnings = list(layout.warnings)
    if len(blanks):
        warnings.append(f"skipped {len(blanks)} blank line(s)")
    names = list(layout.read_names)
    for name in layout.drop:
        col = table.column(names.index(name))
        if _is_blank(col):
            table = table.remove_column(names.index(name))
            names.remove(name)
    return TextTable(
        path=path,
        names=names,
        table=table,
        encoding=encoding,
        delimiter=layout.delimiter,
        first_line=layout.first_line,
        expected_fields=len(layout.read_names),
        bad_rows=layout.bad_rows,
        warnings=warnings,
        blank_records=np.asarray(blanks, dtype=np.int64),
        exact_lines=exact,
    )


def _one_chunk_dictionaries(
    table: pa.Table, encode: set[str] | frozenset[str] = frozenset()
) -> pa.Table:
    """Each dictionary column (and each plain one named in ``encode``, dictionary-encoded
    now) as one chunk with one dictionary: cheap to factorize later. Columns are encoded
    on two threads (Arrow releases the GIL)."""

    def one_chunk(column: pa.ChunkedArray, name: str) -> pa.ChunkedArray:
        if pa.types.is_dictionary(column.type):
            if column.num_chunks == 1:
                return column
            return pa.chunked_array([column.combine_chunks()], type=column.type)
        if name not in encode:
            return column
        whole = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
        return pa.chunked_array([pc.dictionary_encode(whole)], type=DICT_TYPE)

    names = table.column_names
    with ThreadPoolExecutor(max_workers=2) as pool:
        columns = list(pool.map(one_chunk, table.columns, names))
    return pa.table(columns, names=names)


def _blank_text(text: str, delimiter: str) -> bool:
    """Whether a raw record holds no value at all (only delimiters, quotes, spaces)."""
    return not any(_split(text.encode("utf-8"), "utf-8", delimiter))


def _record_index(rows: int, bad: list[BadRow], blanks: np.ndarray | None = None) -> np.ndarray:
    """Record index of each of ``rows`` table rows, given the records that are not rows."""
    skip = [b.record for b in bad] + (list(blanks) if blanks is not None else [])
    taken = np.zeros(rows + len(skip), dtype=bool)
    taken[skip] = True
    return np.flatnonzero(~taken)


def _empty_values(column: pa.ChunkedArray) -> np.ndarray:
    parts = []
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            blank = pc.equal(pc.binary_length(chunk.dictionary), 0).to_numpy(zero_copy_only=False)
            idx = chunk.indices.to_numpy(zero_copy_only=False)
            parts.append(blank[idx] if len(blank) else np.ones(len(idx), dtype=bool))
        else:
            parts.append(
                pc.fill_null(pc.equal(pc.binary_length(chunk), 0), True).to_numpy(
                    zero_copy_only=False
                )
            )
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _all_empty(table: pa.Table) -> np.ndarray | None:
    """Rows whose every field is empty (blank lines and delimiter-only lines)."""
    if not table.num_rows or not table.num_columns:
        return None
    empty = _empty_values(table.column(0))
    if not empty.any():
        return empty
    for i in range(1, table.num_columns):
        empty &= _empty_values(table.column(i))
        if not empty.any():
            break
    return empty


def _is_blank(column: pa.ChunkedArray) -> bool:
    return bool(_empty_values(column).all())
