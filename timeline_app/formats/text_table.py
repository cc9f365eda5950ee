"""A delimited file read as string columns, with the account of every record.

:class:`TextTable` is what the one text reader (:mod:`.text_reader`) gives every text
format: one Arrow string column per header name, the records it could not take (wrong
width), the blank ones, and each row's physical line number (1-based; a record spanning
lines is numbered by its first line), computed lazily only for rows a reader rejects,
from the count of line breaks in the rows before them (vectorised).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.model.dataset import LoadReport
from timeline_app.model.messages import N_

#: Why a row was rejected because of its shape (a stable reason for the report).
WRONG_WIDTH = N_("wrong number of fields")

_LINE_BREAK = r"\r\n|\r|\n"  # one physical line break, as the line count sees it


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

    def column(self, name: str) -> pa.ChunkedArray[Any]:
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
        lines: np.ndarray
        if self.exact_lines is not None:
            lines = self.exact_lines[rows]
        else:
            lines = self._starts()[self._records()[rows]]
        return lines

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


def _line_breaks(column: pa.ChunkedArray[Any]) -> np.ndarray:
    """Line breaks inside each value of a column (quoted newlines)."""
    counts = []
    chunks: list[Any] = column.chunks  # plain or dictionary arrays (the stubs know one)
    for chunk in chunks:
        if pa.types.is_dictionary(chunk.type):
            per_value = pc.count_substring_regex(chunk.dictionary, _LINE_BREAK)
            per_value = per_value.to_numpy(zero_copy_only=False)
            idx = chunk.indices.to_numpy(zero_copy_only=False)
            counts.append(per_value[idx] if len(per_value) else np.zeros(len(idx), np.int64))
        else:
            found = pc.count_substring_regex(chunk, _LINE_BREAK)
            counts.append(pc.fill_null(found, 0).to_numpy(zero_copy_only=False))
    return np.concatenate(counts).astype(np.int64) if counts else np.zeros(0, np.int64)


def as_strings(
    column: pa.ChunkedArray[Any] | pa.Array[Any],
) -> pa.ChunkedArray[Any] | pa.Array[Any]:
    """A column as plain strings (a dictionary column decoded)."""
    if pa.types.is_dictionary(column.type):
        return pc.cast(column, pa.string())
    return column
