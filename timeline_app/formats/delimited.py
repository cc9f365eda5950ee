"""Delimited text split by a given delimiter, with or without a header: GDELT's headerless
daily files (whose tab-separated fields are never quoted) and tables the shared reader
(:mod:`._text`) cannot split. Every non-blank record is counted, with its physical line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from timeline_app.formats._text import WRONG_WIDTH
from timeline_app.formats.base import (
    CancelFn,
    FormatError,
    LoadCancelled,
    ProgressFn,
    decode_text,
    dedupe_header,
    guess_delimiter,
)
from timeline_app.formats.raw_rows import RawTable


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
    if max_bytes is not None and len(data) >= max_bytes:
        data = data[: data.rfind(b"\n") + 1] or data  # a preview ends at a whole line
    text, encoding, warnings = decode_text(data)
    if encoding == "cp1252":
        data = text.encode("utf-8")  # same structural bytes; keeps the layout scan in step
    delimiter = delimiter or guess_delimiter(text.split("\n", 1)[0])
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
