"""What the head of a delimited file says about its shape, before it is parsed.

From the first megabyte: the encoding (UTF-8, with or without a byte-order mark, else
Windows-1252), the delimiter (any of ``, ; tab |``, unless given), the header (the first
record; or names given for a headerless layout such as GDELT's), an HXL tag row under
it, and how many fields a data row has, from a sample of records: one more than named
is a trailing delimiter on every row (UCDP's website exports), fewer stop before blank
trailing header columns. Header names are made unique by the one rule of
:func:`.base.dedupe_header`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from timeline_app.formats.base import FormatError, dedupe_header, guess_delimiter
from timeline_app.formats.text_table import BadRow
from timeline_app.model.messages import N_

HEAD_BYTES = 1 << 20  # how much is read up front to find the header and sample rows
SAMPLE_RECORDS = 200  # data records sampled to learn how many fields a row has


@dataclass
class Layout:
    """What the first records of a file say about its shape."""

    names: list[str]  # the kept column names
    read_names: list[str]  # names given to the parser (may include padding columns)
    delimiter: str
    data_offset: int  # bytes from the start of the text (after any BOM) to the first data record
    first_line: int
    quoting: bool = True  # double quotes enclose fields (GDELT's tab files never quote)
    drop: list[str] = field(default_factory=list)  # padding columns to drop if empty
    warnings: list[str] = field(default_factory=list)
    # Filled while reading:
    bad_rows: list[BadRow] = field(default_factory=list)
    blank_records: np.ndarray | None = None
    exact_lines: np.ndarray | None = None


def looks_utf8(data: bytes, complete: bool) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        # A multi-byte character cut off by the head's size is not an error.
        return not complete and err.start > len(data) - 4
    return True


def decode(data: bytes, encoding: str) -> str:
    if encoding == "cp1252":
        return data.decode("cp1252", errors="replace")
    return data.decode("utf-8", errors="replace")


def csv_quoting(quoting: bool) -> Literal[0, 3]:
    """The csv module's quoting for a layout that quotes fields, or never does."""
    return csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE


def _records(data: bytes, limit: int, delimiter: str, quoting: bool) -> list[tuple[int, int]]:
    """(end offset, physical lines) of the first ``limit`` records.

    Quotes count as CSV readers count them: a quote opens a quoted field only at the start
    of a field (a quote inside an unquoted field is a character), ``""`` is an escaped quote.
    Without quoting, a quote is a character like any other.
    """
    quote = rb'"|' if quoting else b""
    breaks = re.compile(quote + rb"\r\n|\r|\n|" + re.escape(delimiter.encode()))
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


def split_record(record: bytes, encoding: str, delimiter: str, quoting: bool = True) -> list[str]:
    """The fields of one raw record."""
    text = decode(record, encoding).rstrip("\r\n")
    try:
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=delimiter, quoting=csv_quoting(quoting)
        )
        return next(reader, [])
    except csv.Error:
        return text.split(delimiter)


def sniff_layout(
    path: Path,
    body: bytes,
    encoding: str,
    complete: bool,
    *,
    delimiter: str | None = None,
    names: list[str] | None = None,
    quoting: bool = True,
) -> Layout:
    """The layout of a file from its head (``body``: after any BOM; ``complete``: the whole
    file). ``names`` are the columns of a file without a header line."""
    if delimiter is None:
        first_line_text = decode(re.split(rb"\r\n|\r|\n", body[:65536], maxsplit=1)[0], encoding)
        delimiter = guess_delimiter(first_line_text)
    if len(delimiter) != 1:
        raise FormatError(f"{path.name}: delimiter must be one character, not {delimiter!r}")
    records = _records(body, SAMPLE_RECORDS + 2, delimiter, quoting)
    if complete and (not records or records[-1][0] < len(body)):
        tail = body[records[-1][0] if records else 0 :]
        if tail.strip():  # the last line has no line break
            records.append((len(body), 1 + len(re.findall(rb"\r\n|\r|\n", tail))))
    if not records:
        raise FormatError(f"{path.name}: no complete line in the first {HEAD_BYTES >> 20} MB")
    warnings: list[str] = []
    if names is not None:  # a headerless layout: every record is data
        header = [str(n).strip() for n in names]
        offset, first_line, rest = 0, 1, records
    else:
        header_end, header_lines = records[0]
        header = [h.strip() for h in split_record(body[:header_end], encoding, delimiter, quoting)]
        if not any(header):
            raise FormatError(
                N_("{name}: the first line is not a header (it is blank)", name=path.name)
            )
        offset, first_line = header_end, 1 + header_lines
        rest = records[1:]
        if rest:
            second = split_record(body[offset : rest[0][0]], encoding, delimiter, quoting)
            cells = [c.strip() for c in second if c.strip()]
            if cells and all(c.startswith("#") for c in cells):  # an HXL tag row, not an event
                offset, first_line = rest[0][0], first_line + rest[0][1]
                rest = rest[1:]
                warnings.append(N_("skipped the HXL tag row under the header"))
    # How many fields a data row has, from a sample of records (blank ones ignored).
    widths: Counter[int] = Counter()
    trailing_empty: Counter[int] = Counter()
    start = offset
    for end, _lines in rest:
        fields = split_record(body[start:end], encoding, delimiter, quoting)
        start = end
        if any(f.strip() for f in fields):
            widths[len(fields)] += 1
            trailing_empty[len(fields)] += not fields[-1].strip()
    unique = dedupe_header(header)
    kept = len(header)
    while kept and not header[kept - 1]:
        kept -= 1  # blank trailing header columns
    width = widths.most_common(1)[0][0] if widths else len(header)
    drop: list[str] = []
    read_names = list(unique)
    if width == len(header) + 1:
        # UCDP website exports end every row with a delimiter: one field more than named.
        read_names.append(dedupe_header([*unique, "column_extra"])[-1])
        drop = read_names[kept:]
        if trailing_empty[width] == widths[width]:
            warnings.append(N_("every row ends with an extra empty field (trailing delimiter)"))
    elif kept <= width < len(header):
        read_names = unique[:width]  # rows stop before the blank header columns
    else:
        drop = unique[kept:]
    return Layout(
        names=[n for n in read_names if n not in drop],
        read_names=read_names,
        delimiter=delimiter,
        data_offset=offset,
        first_line=first_line,
        quoting=quoting,
        drop=drop,
        warnings=warnings,
    )
