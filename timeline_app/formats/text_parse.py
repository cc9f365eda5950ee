"""Parsing a delimited file whose layout is known (:mod:`.text_layout`) into string columns.

Speed: the file is parsed by ``pyarrow.csv`` (multi-threaded, no newlines in values).
Only when that meets a quoted newline or a row of the wrong width is it parsed again
serially, which gives the rejected rows' record numbers. Python's ``csv`` module is the
last resort for files pyarrow refuses. :func:`finish` then drops blank records and empty
padding columns, and gives each repetitive column one dictionary.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, Literal, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from timeline_app.formats.base import CancelFn, FormatError, LoadCancelled, ProgressFn
from timeline_app.formats.text_layout import Layout, csv_quoting, decode, split_record
from timeline_app.formats.text_table import BadRow, TextTable
from timeline_app.model.messages import N_

BLOCK_BYTES = 4 << 20  # pyarrow block size: a record may not be longer than this. 4 MB parses
# as fast as 1 MB and makes 4x fewer chunks (a search taking a few rows pays per chunk)
DICT_TYPE = pa.dictionary(pa.int32(), pa.string())


class NotUtf8(Exception):
    """pyarrow met bytes that are not UTF-8: read again as Windows-1252."""


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


def read_arrow(
    path: Path,
    offset: int,
    size: int,
    encoding: str,
    layout: Layout,
    types: Mapping[str, pa.DataType],
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> pa.Table | None:
    """Parse with pyarrow: fast and parallel first, serial with record numbers if needed."""
    for fast in (True, False):
        bad: list[BadRow] = []
        blank: list[int] = []

        def on_bad(
            row: Any, bad: list[BadRow] = bad, blank: list[int] = blank, fast: bool = fast
        ) -> Literal["skip", "error"]:
            if fast:
                return "error"  # stop at once: the serial pass will number it
            record = int(row.number or 0) - 1
            if _blank_text(row.text or "", layout.delimiter, layout.quoting):
                blank.append(record)  # e.g. a lone quote or ",,," : no data, not a row
            else:
                bad.append(BadRow(record, row.actual_columns, row.text or ""))
            return "skip"

        stream = _Stream(path, offset, size, encoding, progress, cancelled)
        source = cast(IO[bytes], stream)  # what pyarrow needs of a file: read() and close()
        try:
            table = pcsv.read_csv(
                source,
                read_options=pcsv.ReadOptions(
                    column_names=layout.read_names, use_threads=fast, block_size=BLOCK_BYTES
                ),
                parse_options=pcsv.ParseOptions(
                    delimiter=layout.delimiter,
                    quote_char='"' if layout.quoting else False,
                    newlines_in_values=not fast,
                    ignore_empty_lines=False,
                    invalid_row_handler=on_bad,
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types=dict(types),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid as err:
            if "invalid UTF8" in str(err) and encoding != "cp1252":
                raise NotUtf8() from err
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


def read_python(
    path: Path,
    offset: int,
    size: int,
    encoding: str,
    layout: Layout,
    types: Mapping[str, pa.DataType],
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> pa.Table:
    """Python's csv module, for what pyarrow refuses: slower, but it numbers every line."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 28))
    with open(path, "rb") as fh:
        fh.seek(offset)  # already past any BOM and the header
        raw = fh.read()
    text = decode(raw, "cp1252" if encoding == "cp1252" else "utf-8")
    width = len(layout.read_names)
    columns: list[list[str]] = [[] for _ in range(width)]
    lines: list[int] = []
    bad: list[BadRow] = []
    blanks: list[int] = []
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=layout.delimiter,
        quoting=csv_quoting(layout.quoting),
    )
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
            N_(
                "{name}: unreadable CSV near line {line}: {error}",
                name=path.name,
                line=line_before + 1,
                error=str(err),
            )
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


def finish(
    path: Path,
    layout: Layout,
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
        table = table.take(keep)
        exact = exact[keep] if exact is not None else None
    table = _one_chunk_dictionaries(table, dictionary_names)
    warnings = list(layout.warnings)
    if len(blanks):
        warnings.append(N_("skipped {count} blank line(s)", count=len(blanks)))
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

    def one_chunk(column: pa.ChunkedArray[Any], name: str) -> pa.ChunkedArray[Any]:
        if pa.types.is_dictionary(column.type):
            if column.num_chunks == 1:
                return column
            return pa.chunked_array([column.combine_chunks()])
        if name not in encode:
            return column
        whole = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
        encoded: Any = pc.dictionary_encode(whole)  # dictionary<string, int32>: DICT_TYPE
        return pa.chunked_array([encoded])

    names = table.column_names
    with ThreadPoolExecutor(max_workers=2) as pool:
        columns = list(pool.map(one_chunk, table.columns, names))
    return pa.table(columns, names=names)


def _blank_text(text: str, delimiter: str, quoting: bool) -> bool:
    """Whether a raw record holds no value at all (only delimiters, quotes, spaces)."""
    return not any(split_record(text.encode("utf-8"), "utf-8", delimiter, quoting))


def _record_index(rows: int, bad: list[BadRow], blanks: np.ndarray | None = None) -> np.ndarray:
    """Record index of each of ``rows`` table rows, given the records that are not rows."""
    skip = [b.record for b in bad] + (list(blanks) if blanks is not None else [])
    taken = np.zeros(rows + len(skip), dtype=bool)
    taken[skip] = True
    return np.flatnonzero(~taken)


def _empty_values(column: pa.ChunkedArray[Any]) -> np.ndarray:
    parts = []
    chunks: list[Any] = column.chunks  # plain or dictionary arrays (the stubs know one)
    for chunk in chunks:
        if pa.types.is_dictionary(chunk.type):
            blank = _zero_length(chunk.dictionary)
            idx = chunk.indices.to_numpy(zero_copy_only=False)
            parts.append(blank[idx] if len(blank) else np.ones(len(idx), dtype=bool))
        else:
            parts.append(_zero_length(chunk))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _zero_length(values: Any) -> np.ndarray:
    """Whether each string is empty (a null counts as empty)."""
    lengths = pc.fill_null(pc.binary_length(values), 0)
    empty: np.ndarray = lengths.to_numpy(zero_copy_only=False) == 0
    return empty


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


def _is_blank(column: pa.ChunkedArray[Any]) -> bool:
    return bool(_empty_values(column).all())
