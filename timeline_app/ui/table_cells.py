"""Reading the event table's cells for display and copying: numpy arrays and Arrow, not
pandas ``iloc``; one set of column readers per table, shared by every view of it."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from PySide6.QtCore import QCoreApplication

from timeline_app.model.matched import MATCH_COLUMN, found_for
from timeline_app.model.table_cache import PerTable
from timeline_app.ui.formatting import UNKNOWN, format_date, format_number
from timeline_app.ui.i18n import category_label

#: A table cell shows at most this many characters (the detail pane has them all).
CELL_CHARS = 1000


class ColumnCells:
    """Fast access to one column's cells: numpy arrays and Arrow, not pandas ``iloc``."""

    def __init__(self, name: str, series: pd.Series, precision: Precisions) -> None:
        self.name = name
        self.series = series
        dtype = series.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            self.kind = "category"
            self.codes = series.cat.codes.to_numpy()
            # Labels as they are, each made text when shown (not all of them at open).
            self.names = series.cat.categories.to_numpy(dtype=object)
            # The canonical categories read in the interface's language (copies keep them).
            self.shown = category_label if name == "category" else str
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            self.kind = "date"
            self.values = series.to_numpy()
            self.precision = precision
        elif pd.api.types.is_bool_dtype(dtype):
            self.kind = "bool"
            self.values = series.to_numpy()
        elif pd.api.types.is_numeric_dtype(dtype):
            self.kind = "number"
            self.values = series.to_numpy(dtype="float64")
        else:
            self.kind = "text"
            arrow = getattr(series.array, "__arrow_array__", None)
            text: Any = arrow() if arrow else pa.array(series.astype(object).tolist())
            self.values = self.text_values = text
            # A cell of megabytes (a re-saved note) would be laid out whole at each paint.
            self.long = False
            if (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)) and len(text):
                # Byte lengths come from the offsets alone (utf8_length reads every byte of
                # the text: 20+ ms for a million notes, on the first paint). A cell has at
                # most as many characters as bytes, and the cutting path is exact anyway.
                longest = pc.max(pc.binary_length(text)).as_py()
                self.long = bool(longest and longest > CELL_CHARS)

    def display(self, row: int) -> str:
        if self.kind == "category":
            code = self.codes[row]
            if code < 0:
                return UNKNOWN
            name = self.shown(str(self.names[code]))
            return name if len(name) <= CELL_CHARS else name[:CELL_CHARS] + "…"
        if self.kind == "date":
            return format_date(self.values[row], self.precision[row])
        if self.kind == "bool":
            return QCoreApplication.translate("Cells", "yes") if self.values[row] else ""
        if self.kind == "number":
            return format_number(float(self.values[row]))
        if self.long:  # only the start, cut in Arrow: the rest is in the detail pane
            value = pc.utf8_slice_codeunits(self.text_values.slice(row, 1), 0, CELL_CHARS + 1)[0]
            text = value.as_py()
            if text is not None and len(text) > CELL_CHARS:
                return text[:CELL_CHARS] + "…"
            return UNKNOWN if text is None else text
        value = self.values[row].as_py()
        return UNKNOWN if value is None else value

    def copy_text(self, rows: np.ndarray) -> list[str]:
        """Cells for a TSV: ISO dates at their precision, plain numbers, unknown empty."""
        if self.kind == "date":
            stamps = pd.DatetimeIndex(self.values[rows])
            precision = self.precision[rows]
            text = np.asarray(stamps.strftime("%Y-%m-%d"), dtype=object)
            for prec, fmt in (("month", "%Y-%m"), ("year", "%Y")):
                pick = precision == prec
                if pick.any():
                    text[pick] = np.asarray(stamps[pick].strftime(fmt), dtype=object)
            timed = np.asarray((stamps - stamps.normalize()) != pd.Timedelta(0))
            timed &= ~np.asarray(stamps.isna())
            if timed.any():
                text[timed] = np.asarray(stamps[timed].strftime("%Y-%m-%d %H:%M"), dtype=object)
            text[np.asarray(stamps.isna())] = ""
            return text.tolist()
        if self.kind == "number":
            values = self.values[rows]
            return [
                "" if np.isnan(v) else (f"{v:.0f}" if v.is_integer() else repr(v)) for v in values
            ]
        if self.kind == "bool":
            return ["true" if v else "false" for v in self.values[rows]]
        if self.kind == "category":
            codes = self.codes[rows]
            return ["" if c < 0 else str(self.names[c]) for c in codes]
        values = self.values.take(pa.array(rows)).to_pylist()
        return ["" if v is None else " ".join(str(v).split()) for v in values]


class MatchCells:
    """The "Likely same" column: the pair's number (``export --match``'s ``match_group``),
    its score and the other dataset, read from the pairs found for the table (empty
    outside pairs, and before any search)."""

    name = MATCH_COLUMN
    kind = "match"

    def __init__(self, table) -> None:
        self._table = weakref.ref(table)

    def _columns(self):
        table = self._table()
        return table, (found_for(table) if table is not None else None)

    def display(self, row: int) -> str:
        table, found = self._columns()
        if found is None:
            return ""
        cols = found.columns
        group = int(cols.group[row])
        if not group:
            return ""
        other = table.dataset_of(int(cols.partner[row]))[0].name
        return pair_text(group, float(cols.score[row]), other)

    def copy_text(self, rows: np.ndarray) -> list[str]:
        """The pair's number, as an export writes ``match_group``."""
        _table, found = self._columns()
        if found is None:
            return [""] * len(rows)
        return group_text(found.columns.group[rows])


def pair_text(group: int, score: float, other: str) -> str:
    """A "Likely same" cell: the pair's number, its score and the other's dataset."""
    return f"{group} ({score:.3f}) ↔ {other}" if group else ""


def group_text(groups: np.ndarray) -> list[str]:
    """The pairs' numbers as copied (``match_group``; empty outside pairs)."""
    return ["" if g == 0 else str(g) for g in groups.tolist()]


class PagePairs:
    """The "Likely same" cells of a DuckDB table's page (its keys' pairs, read from
    storage/duck/matching.SourceMatch.pairs_of)."""

    name = MATCH_COLUMN
    kind = "match"

    def __init__(self, group: np.ndarray, score: np.ndarray, other: list[str]) -> None:
        self.group, self.score, self.other = group, score, other

    def display(self, row: int) -> str:
        group = int(self.group[row])
        return pair_text(group, float(self.score[row]), self.other[row]) if group else ""

    def copy_text(self, rows: np.ndarray) -> list[str]:
        return group_text(self.group[rows])


class Precisions:
    """Each row's date precision name, looked up from the category codes when asked (a
    column of a million names would cost tens of ms when a table opens)."""

    def __init__(self, prec: pd.Series) -> None:
        self.codes = prec.cat.codes.to_numpy()
        names = [str(c) for c in prec.cat.categories] + ["day"]  # code -1: "day"
        self.names = np.asarray(names, dtype=object)

    def __getitem__(self, rows):
        return self.names[self.codes[rows]]


class CellCache:
    """Column accessors of one table, made on first use and shared by every view of it
    (a new table view over a million rows then paints without copying a column)."""

    def __init__(self, table) -> None:
        self._table = weakref.ref(table)
        self._columns: dict[str, ColumnCells | MatchCells] = {}
        self._precision: Precisions | None = None

    @classmethod
    def of(cls, table) -> CellCache:
        return _CELLS.get(table, lambda: cls(table))

    def __getitem__(self, column: str) -> ColumnCells | MatchCells:
        if column not in self._columns:
            table = self._table()
            assert table is not None, "the cells of a table no longer open"
            if column == MATCH_COLUMN:
                self._columns[column] = MatchCells(table)
                return self._columns[column]
            df = table.df
            if self._precision is None:
                self._precision = Precisions(df["date_precision"])
            self._columns[column] = ColumnCells(column, df[column], self._precision)
        return self._columns[column]


_CELLS = PerTable[CellCache]("table view: cells")


def tsv(header: list[str], cells: list[list[str]]) -> str:
    """Rows as TSV under a header line: each column's cells (their copy_text)."""
    lines = ["\t".join(header)]
    lines.extend("\t".join(values) for values in zip(*cells, strict=True))
    return "\n".join(lines) + "\n"
