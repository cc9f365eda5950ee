"""Times in int64 nanoseconds (model/units.py): how vague a date is, and calendar bins."""

from __future__ import annotations

import numpy as np

from timeline_app.model.units import NS_PER_DAY, NS_PER_HOUR, NS_PER_WEEK

#: Histogram bars are at least this wide; the unit is the finest that allows it.
MIN_BIN_PX = 3.0


def uncertainty(start: np.ndarray, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[lo, hi) each start could be in: its day, week (7 days), month or year.

    An exact time (not midnight) at day precision has lo == hi.
    """
    start = np.asarray(start, dtype=np.int64)
    lo = start.copy()
    hi = start.copy()
    midnight = start % NS_PER_DAY == 0
    day = (unit == 0) & midnight
    hi[day] = start[day] + NS_PER_DAY
    week = unit == 1
    hi[week] = start[week] + NS_PER_WEEK
    month = unit == 2
    if month.any():
        m = start[month].astype("datetime64[ns]").astype("datetime64[M]")
        lo[month] = m.astype("datetime64[ns]").view(np.int64)
        hi[month] = (m + 1).astype("datetime64[ns]").view(np.int64)
    year = unit == 3
    if year.any():
        y = start[year].astype("datetime64[ns]").astype("datetime64[Y]")
        lo[year] = y.astype("datetime64[ns]").view(np.int64)
        hi[year] = (y + 1).astype("datetime64[ns]").view(np.int64)
    return lo, hi


def shown_end(end: np.ndarray) -> np.ndarray:
    """Where a period's bar stops: a bare end date includes its whole day."""
    end = np.asarray(end, dtype=np.int64)
    return np.where(end % NS_PER_DAY == 0, end + NS_PER_DAY, end)


BIN_UNITS: tuple[tuple[str, int], ...] = (
    ("hour", NS_PER_HOUR),
    ("day", NS_PER_DAY),
    ("week", NS_PER_WEEK),
    ("month", 31 * NS_PER_DAY),
    ("year", 366 * NS_PER_DAY),
)


def choose_bin_unit(
    span_ns: float, width_px: float, min_px: float = MIN_BIN_PX, finest: str = "hour"
) -> str:
    """The finest of hour/day/week/month/year whose bars are at least ``min_px`` wide,
    and no finer than the data's dates (day-only dates are never counted per hour)."""
    names = [name for name, _ in BIN_UNITS]
    for name, length in BIN_UNITS[names.index(finest) :]:
        if length / max(span_ns, 1) * width_px >= min_px:
            return name
    return "year"


def bin_edges(x0_ns: int, x1_ns: int, unit: str) -> np.ndarray:
    """Calendar-aligned bin edges covering [x0, x1] (weeks start on Monday)."""
    if unit in ("month", "year"):
        code = "M" if unit == "month" else "Y"
        a = np.datetime64(int(x0_ns), "ns").astype(f"datetime64[{code}]")
        b = np.datetime64(int(x1_ns), "ns").astype(f"datetime64[{code}]") + 2
        return np.arange(a, b).astype("datetime64[ns]").view(np.int64)
    length = dict(BIN_UNITS)[unit]
    origin = 4 * NS_PER_DAY if unit == "week" else 0  # 1970-01-05 was a Monday
    first = (x0_ns - origin) // length * length + origin
    count = int((x1_ns - first) // length) + 2
    return first + np.arange(count, dtype=np.int64) * length
