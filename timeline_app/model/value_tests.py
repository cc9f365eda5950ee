"""The dates and tolls tests of a filter on arrays of events' values: the memory
engine's masks (model/filters.py) run them over a table, the DuckDB timeline's day
index (storage/duck/day_index.py) over the events of its kept groups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np
import pandas as pd

from timeline_app.model.units import NS_PER_DAY


def dates_keep(
    start: np.ndarray,
    end: Callable[[], np.ndarray],
    date_from: datetime | None,
    date_to: datetime | None,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """Of events of known ``start`` (ns) and ``end()`` (ns, read only for a "from"
    bound), those whose [start, end] overlaps [date_from, date_to], bounds inclusive
    (ANDed into ``mask`` when given)."""
    if mask is None:
        mask = np.ones(len(start), dtype=bool)
    if date_from is not None:
        mask &= end() >= moment_ns(date_from)
    if date_to is not None:
        mask &= start <= inclusive_end_ns(date_to)
    return mask


def toll_keep(
    fat: np.ndarray, low: float | None, high: float | None, include_unknown: bool
) -> np.ndarray:
    """Of events of tolls ``fat`` (float64, NaN unknown), those the fatalities filter
    keeps."""
    known = ~np.isnan(fat)
    keep: np.ndarray = known.copy()
    if low is not None:
        keep &= fat >= low
    if high is not None:
        keep &= fat <= high
    if include_unknown:
        keep |= ~known
    return keep


def inclusive_end_ns(moment: datetime) -> np.int64:
    """The last nanosecond a "to" bound includes: a bare date includes its whole day."""
    ns = moment_ns(moment)
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        last: np.int64 = np.int64(ns + NS_PER_DAY - 1)
        return last
    return ns


def moment_ns(moment: datetime) -> np.int64:
    ns: np.int64 = np.int64(pd.Timestamp(moment).as_unit("ns").value)
    return ns
