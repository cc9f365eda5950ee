"""A table's cells as text, with the line each row came from, and the account of its rows.

Lines are 1-based physical lines (the header is line 1) for text files, sheet row
numbers for XLSX, and record numbers for Parquet and JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from timeline_app.model.dataset import LoadReport


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
            lines: np.ndarray = np.asarray(self.line_source(rows), dtype=np.int64)
            return lines
        every: np.ndarray = np.asarray(self.line_source, dtype=np.int64)
        picked: np.ndarray = every[rows]
        return picked

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
