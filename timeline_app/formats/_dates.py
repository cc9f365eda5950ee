"""The one date parser: dates in the spellings researchers' files use, each distinct
string parsed once, for every reader (the mapped tables', ACLED's, UCDP's, GTD's).

The rule for ``n/n/yyyy`` dates: their order is decided from the whole column (and its
companion, e.g. the end dates of the same events). A first number above 12 means
day-first, a second above 12 month-first. When nothing decides it (no number above 12, or
both kinds in one column), the reader's documented default is used and the import report
warns. A user can force the order (a mapping's ``date_order``, ``--date-order``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from timeline_app.formats._columns import factorize, factorize_as
from timeline_app.formats.base import DAY_FIRST, MONTH_FIRST
from timeline_app.formats.text_table import TextTable, as_strings
from timeline_app.model.dataset import LoadReport
from timeline_app.model.messages import N_

__all__ = ["DAY_FIRST", "MONTH_FIRST", "parse_date_series", "parse_date_strings", "parse_dates"]

#: Two-digit years follow POSIX strptime: 69-99 are 1969-1999, 00-68 are 2000-2068
#: (so ``06-Jan-97`` is 1997 and ``25-Aug-03`` is 2003).
TWO_DIGIT_YEAR_PIVOT = 69

_SLASH = re.compile(r"^\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T].*)?$")
_FORMATS: tuple[str, ...] = (
    "%d %B %Y",  # 31 December 2020 (ACLED)
    "%d %b %Y",  # 31 Dec 2020
    "%d-%b-%y",  # 25-Aug-03 (Excel re-save)
    "%d-%b-%Y",  # 25-Aug-2003
    "%d-%B-%Y",  # 25-August-2003
    "%B %d, %Y",  # December 31, 2020
    "%b %d, %Y",  # Dec 31, 2020
    "%Y/%m/%d",  # 2020/12/31
    "%Y%m%d",  # 20201231 (compact; tried after ISO)
)
#: Spellings that name only a month, or only a year (the date's precision says so).
_MONTH_ONLY = re.compile(r"^\d{4}-\d{1,2}$|^[A-Za-z]+\.? \d{4}$")
_YEAR_ONLY = re.compile(r"^\d{4}$")
_MONTH_FORMATS = ("%Y-%m", "%B %Y", "%b %Y")
#: Only dates a nanosecond timestamp holds (1678-2261); others are typos.
_EARLIEST, _LATEST = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")


@dataclass
class ParsedDates:
    values: np.ndarray  # datetime64[ns], NaT where not parsed
    blank: np.ndarray  # bool: the cell was empty
    bad: np.ndarray  # bool: not empty and not a date
    order: str | None  # the slash-date order used, if any slash dates were seen
    warnings: list[str]


def slash_order(values: Iterable[str], default: str) -> tuple[str, str | None]:
    """Tell day-first from month-first slash dates by the whole column.

    A first number above 12 means day-first; a second number above 12 means month-first.
    When no value decides, ``default`` is used and a warning says so.
    """
    day_first = month_first = False
    seen = False
    for value in values:
        match = _SLASH.match(value)
        if not match:
            continue
        seen = True
        first, second = int(match.group(1)), int(match.group(3))
        day_first |= first > 12
        month_first |= second > 12
    if not seen:
        return default, None
    if day_first and not month_first:
        return DAY_FIRST, None
    if month_first and not day_first:
        return MONTH_FIRST, None
    if day_first and month_first:
        return default, N_(
            "slash dates are mixed day-first and month-first; read as {order}",
            order=_order_name(default),
        )
    return default, N_(
        "slash dates are ambiguous (no day above 12); read as {order}", order=_order_name(default)
    )


def _order_name(order: str) -> str:
    return N_("day-first") if order == DAY_FIRST else N_("month-first")


def parse_dates(
    column: pa.ChunkedArray[Any],
    default_order: str = DAY_FIRST,
    decide_with: pa.ChunkedArray[Any] | None = None,
    order: str = "auto",
) -> ParsedDates:
    """Parse a text column of dates, each distinct string once.

    Accepts ISO (``2023-09-07``, ``2023-09-07 00:00:00.000``), ``07 September 2023``,
    Excel's ``25-Aug-03``, slash dates (order decided by :func:`slash_order` over this
    column and ``decide_with``, e.g. the end dates of the same events) and a few other
    spellings. The time of day is kept when given. ``order`` forces the slash-date order.
    """
    codes, uniques = factorize_as(column, np.int32)  # int32: half the memory of int64 codes
    found: str | None = order  # the order used (None: no slash dates to order)
    if order in (DAY_FIRST, MONTH_FIRST):  # the user said so
        parsed, _, warnings = parse_date_strings(uniques, order, decided=True)
    elif decide_with is not None:
        others = factorize(decide_with)[1]
        found, warning = slash_order([u.strip() for u in uniques + others], default_order)
        parsed, _, warnings = parse_date_strings(uniques, found, decided=True)
        if warning and any(_SLASH.match(u) for u in uniques):
            warnings.append(warning)
    else:
        parsed, found, warnings = parse_date_strings(uniques, default_order)
    if not len(uniques):
        n = len(codes)
        return ParsedDates(
            np.full(n, np.datetime64("NaT"), "datetime64[ns]"),
            np.ones(n, bool),
            np.zeros(n, bool),
            found,
            warnings,
        )
    blank_u = np.array([not u.strip() for u in uniques], dtype=bool)
    bad_u = np.isnat(parsed) & ~blank_u  # decided per distinct string, then spread to rows
    return ParsedDates(parsed[codes], blank_u[codes], bad_u[codes], found, warnings)


def parse_date_strings(
    uniques: list[str], default_order: str = DAY_FIRST, decided: bool = False
) -> tuple[np.ndarray, str | None, list[str]]:
    """Parse distinct date strings; returns datetime64[ns] (NaT if not a date), order, warnings.

    With ``decided``, slash dates are read in ``default_order`` without looking at them.
    """
    text = pd.Series([u.strip() for u in uniques], dtype=object)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    warnings: list[str] = []
    order: str | None = None
    if not len(text):
        return out.to_numpy(), order, warnings
    todo = text != ""
    iso = todo & text.str.match(r"^\d{4}-\d{1,2}-\d{1,2}(?:$|[ T])")
    if iso.any():
        # A UTC offset is dropped: the date and time are kept as written (local time).
        local = text[iso].str.replace(r"(?:Z|[+-]\d{2}:?\d{2})$", "", regex=True)
        out[iso] = _to_datetime(local, "ISO8601")
    slash = todo & text.str.match(_SLASH.pattern)
    if slash.any():
        order, warning = (
            (default_order, None) if decided else slash_order(text[slash], default_order)
        )
        if warning:
            warnings.append(warning)
        day_f, month_f = ("%d", "%m") if order == DAY_FIRST else ("%m", "%d")
        normal = text[slash].str.replace(r"^(\d+)[.\-](\d+)[.\-]", r"\1/\2/", regex=True)
        for year_f in ("%Y", "%y"):
            for clock in ("", " %H:%M:%S", " %H:%M", " %H:%M:%S.%f"):
                missing = slash & out.isna()
                if not missing.any():
                    break
                fmt = f"{day_f}/{month_f}/{year_f}{clock}"
                out[missing] = _to_datetime(normal[missing[slash]], fmt)
    year = todo & text.str.match(_YEAR_ONLY.pattern)
    if year.any():
        out[year] = _to_datetime(text[year], "%Y")
    month = todo & text.str.match(_MONTH_ONLY.pattern)
    for fmt in _MONTH_FORMATS:
        missing = month & out.isna()
        if missing.any():
            out[missing] = _to_datetime(text[missing], fmt)
    eight = text.str.fullmatch(r"\d{8}")  # "2023091" is no date, whatever strptime thinks
    for fmt in _FORMATS:
        missing = todo & out.isna() & ~slash & ~year & ~month
        if fmt == "%Y%m%d":
            missing &= eight
        if not missing.any():
            continue
        out[missing] = _to_datetime(text[missing], fmt)
    out = out.where((out >= _EARLIEST) & (out <= _LATEST))
    return out.to_numpy(dtype="datetime64[ns]"), order, warnings


def date_precisions(uniques: list[str]) -> np.ndarray:
    """``year`` for a bare year (``2023``), ``month`` for a month (``2023-09``,
    ``September 2023``), ``day`` for anything else."""
    text = pd.Series([u.strip() for u in uniques], dtype=object)
    out = np.full(len(text), "day", dtype=object)
    if len(text):
        out[text.str.match(_MONTH_ONLY.pattern).to_numpy(dtype=bool)] = "month"
        out[text.str.match(_YEAR_ONLY.pattern).to_numpy(dtype=bool)] = "year"
    return out


def parse_date_series(
    values: pd.Series,
    order: str = "auto",
    default_order: str = DAY_FIRST,
    decide_with: pd.Series | None = None,
) -> tuple[pd.Series, pd.Series, str | None, list[str]]:
    """:func:`parse_date_strings` for a column of text (each distinct value parsed once).

    ``order`` "auto" decides the slash-date order from this column and ``decide_with``
    (the module's rule); "day-first"/"month-first" force it. Returns the dates (NaT where
    not a date), their precision, the order used and the warnings.
    """
    text = values.astype(str).str.strip()
    codes, uniques = pd.factorize(text, sort=False)
    unique_list = [str(u) for u in uniques]
    if order in (DAY_FIRST, MONTH_FIRST):
        parsed, used, warnings = parse_date_strings(unique_list, order, decided=True)
        used = used if any(_SLASH.match(u) for u in unique_list) else None
    elif decide_with is not None:
        others = [str(u).strip() for u in pd.unique(decide_with.astype(str))]
        used, warning = slash_order(unique_list + others, default_order)
        parsed, _, warnings = parse_date_strings(unique_list, used, decided=True)
        if warning and any(_SLASH.match(u) for u in unique_list):
            warnings.append(warning)
    else:
        parsed, used, warnings = parse_date_strings(unique_list, default_order)
    if not len(unique_list):
        empty = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        return empty, pd.Series("day", index=text.index, dtype=object), used, warnings
    dates = pd.Series(parsed[codes], index=text.index, dtype="datetime64[ns]")
    precision = pd.Series(date_precisions(unique_list)[codes], index=text.index, dtype=object)
    return dates, precision, used, warnings


def _to_datetime(values: pd.Series, fmt: str) -> pd.Series:
    """Parse with one format; NaT where it does not fit. Never raises."""
    try:
        parsed = pd.to_datetime(values, format=fmt, errors="coerce")
        result: pd.Series = pd.Series(parsed, index=values.index).astype("datetime64[ns]")
        return result
    except (ValueError, OverflowError, TypeError):
        pass
    # Something in the batch upset the vectorised parser: one value at a time (these are
    # distinct values, and this only happens for odd files).
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for index, value in values.items():
        try:
            stamp = pd.to_datetime(value, format=fmt)
            out[index] = stamp.tz_localize(None) if stamp.tzinfo else stamp
        except (ValueError, OverflowError, TypeError):
            continue
    one_by_one: pd.Series = out
    return one_by_one


def reject_dates(
    report: LoadReport, text: TextTable, dates: ParsedDates, column: pa.ChunkedArray[Any]
) -> np.ndarray:
    """Reject rows without a date; returns the mask of rows kept."""
    bad_rows = np.flatnonzero(dates.bad)
    blank_rows = np.flatnonzero(dates.blank)
    for rows, reason in ((bad_rows, N_("unparseable date")), (blank_rows, N_("missing date"))):
        if len(rows):
            lines = text.line_numbers(rows)
            values = column.take(rows[:200])
            report.reject_many(
                [int(x) for x in lines], reason, [str(v) for v in as_strings(values).to_pylist()]
            )
    result: np.ndarray = ~(dates.bad | dates.blank)
    return result
