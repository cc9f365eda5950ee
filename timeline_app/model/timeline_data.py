"""The numbers behind the timeline, without Qt: lanes, a start-sorted index, bins, hits.

Everything that grows with the data is done here with numpy, once per table / filter /
grouping (``TimelineIndex``); a zoom or pan only runs ``compute_frame``, which costs
a few ``searchsorted`` calls per lane whatever the number of events, so it stays fast
at a million events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from timeline_app.model.events import EventTable
from timeline_app.model.schema import CATEGORIES

NS = 1_000_000_000
HOUR = 3600 * NS
DAY = 24 * HOUR
WEEK = 7 * DAY
NAT = np.iinfo(np.int64).min

#: grouping key -> (column, label shown to the user)
GROUPINGS: dict[str, tuple[str, str]] = {
    "category": ("category", "Category"),
    "actor": ("actor1", "Actor"),
    "admin1": ("admin1", "Region (admin1)"),
    "event_type": ("event_type", "Event type"),
    "dataset": ("dataset", "Dataset"),
}
OTHER = "other"
DEFAULT_TOP_N = 8
#: Marks drawn at most, over all lanes: a lane turns into a histogram above its share
#: of this many events in view (at least ``MIN_MARKS_PER_LANE``) ...
MAX_MARKS = 2000
MIN_MARKS_PER_LANE = 250
#: ... or when its marks would sit closer than this (median, in pixels) ...
MIN_MEDIAN_SPACING_PX = 2.0
#: ... provided it has at least this many (a handful of marks never overlap badly) ...
MIN_EVENTS_FOR_SPACING_RULE = 200
#: ... or when more than this many would pile up within a few pixels.
MAX_PILE = 12
PILE_COLUMN_PX = 4.0
#: Marks sharing a vague date are spread over it when each can have this many pixels.
SPREAD_PX = 4.0
#: Milestone lines are drawn only when this few are in view.
MAX_MILESTONES = 60
#: Background bands are drawn only when this few are in view (more would tint everything).
MAX_BANDS = 40
#: Overlapping periods in a lane are stacked in at most this many rows.
MAX_PERIOD_ROWS = 4
MAX_STACKED_PERIODS = 300
#: Histogram bars are at least this wide; the unit is the finest that allows it.
MIN_BIN_PX = 3.0
MILESTONE_CATEGORY = "withdrawal"
#: A filter keeping under 1/SPARSE_SHARE of the rows is indexed from its own rows.
SPARSE_SHARE = 4
BAND_CATEGORIES = ("mourning", "blockade")


# -- lanes ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lanes:
    """Which lane every row of a table sits in, and the lanes' labels (top to bottom)."""

    grouping: str
    labels: tuple[str, ...]
    of_row: np.ndarray  # int16 lane per table row

    def __len__(self) -> int:
        return len(self.labels)


def assign_lanes(
    table: EventTable, grouping: str = "category", top_n: int = DEFAULT_TOP_N
) -> Lanes:
    """One lane per value of the grouping column: the ``top_n`` most frequent, then "other".

    Grouped by category, the canonical categories keep their fixed order and only the
    ones present get a lane. Unknown values go to "other". Lanes are chosen from the
    whole table (not the filtered rows) so they stay put while the user filters.
    """
    column = GROUPINGS[grouping][0]
    codes = _codes(table, column) if len(table) else np.empty(0, dtype=np.int8)
    names = [str(c) for c in table.df[column].cat.categories]
    counts = code_counts(codes, len(names))
    if grouping == "category":
        rank = {c: i for i, c in enumerate(CATEGORIES)}
        present = [i for i in range(len(names)) if counts[i] > 0 and names[i] != OTHER]
        present.sort(key=lambda i: (rank.get(names[i], len(rank)), -counts[i]))
        chosen = present[:top_n] if len(present) > top_n else present
    else:
        by_count = np.argsort(-counts, kind="stable")
        chosen = [int(i) for i in by_count[:top_n] if counts[i] > 0]
    labels = [names[i] for i in chosen]
    rest = len(codes) - int(counts[chosen].sum()) if len(chosen) else len(codes)
    other = len(labels)
    if rest > 0 or not labels:
        labels.append(OTHER)
    # One slot more than the categories, so code -1 (unknown) lands in "other".
    lookup = np.full(len(names) + 1, min(other, len(labels) - 1), dtype=np.int16)
    lookup[chosen] = np.arange(len(chosen), dtype=np.int16)
    return Lanes(grouping, tuple(labels), lookup[codes] if len(codes) else codes.astype(np.int16))


def _codes(table: EventTable, column: str) -> np.ndarray:
    """``table.codes(column)``, without making every categorical column's codes first
    when the table has not yet (~10 ms at 1M rows, on the UI thread when a file opens)."""
    if "_codes" in vars(table):  # EventTable._codes, a cached_property, is made
        return table.codes(column)
    return table.df[column].cat.codes.to_numpy()


def code_counts(codes: np.ndarray, n: int) -> np.ndarray:
    """Rows per category code 0..n-1 (unknown, -1, left out) of int8/int16 codes, without
    copying the known codes out first (tens of ms at 1M rows on a busy machine)."""
    if codes.dtype in (np.int8, np.int16):
        # Read as unsigned, unknown (-1) is the largest value: past every real code.
        unsigned = codes.view(np.uint8 if codes.dtype == np.int8 else np.uint16)
        return np.bincount(unsigned, minlength=n)[:n]
    return np.bincount(codes[codes >= 0].astype(np.int64), minlength=n)


# -- the index ----------------------------------------------------------------------------
_START_ORDER: WeakKeyDictionary[EventTable, np.ndarray] = WeakKeyDictionary()


def start_order(table: EventTable) -> np.ndarray:
    """Rows sorted by start, cached per table (a table never changes once built)."""
    order = _START_ORDER.get(table)
    if order is None:
        days = _start_days(table)
        order = _sort_by_start(table.start_ns, None if days is None else days[0])
        _START_ORDER[table] = order
    return order


_START_DAYS: WeakKeyDictionary[EventTable, tuple[np.ndarray, int] | None] = WeakKeyDictionary()


def _start_days(table: EventTable) -> tuple[np.ndarray, int] | None:
    """Per row, its start as uint16 days since the first start (unknown: 0), and that
    first start in ns, when every known start is a midnight within 179 years (most event
    data); else None. Sorting and gathering 2-byte days is several times faster than
    8-byte times at 1M rows."""
    if table in _START_DAYS:
        return _START_DAYS[table]
    start = table.start_ns
    known = start != NAT
    days = None
    if len(start) and known.any():
        every = bool(known.all())
        first = int(start.min()) if every else int(start[known].min())
        shifted = start - first if every else np.where(known, start - first, 0)
        fits = int(shifted.max()) // DAY < np.iinfo(np.uint16).max - 1
        if fits and not (shifted % DAY).any():
            np.floor_divide(shifted, DAY, out=shifted)
            days = shifted.astype(np.uint16), first
    _START_DAYS[table] = days
    return days


def _sort_by_start(start: np.ndarray, days: np.ndarray | None) -> np.ndarray:
    # Event files often come sorted by date (ACLED newest first): skip the sort then.
    # (Comparing neighbours, not np.diff: no 8-byte temporary per row.)
    if (start[1:] >= start[:-1]).all():
        return np.arange(len(start), dtype=np.int64)
    if (start[1:] <= start[:-1]).all():
        return np.arange(len(start) - 1, -1, -1, dtype=np.int64)
    if days is not None:
        # A stable sort of 16-bit keys is a radix sort; unknown dates go first, as NaT does.
        key = days + np.uint16(1)  # below 2**16 - 1 days, so no overflow
        key[start == NAT] = 0
        return np.argsort(key, kind="stable").astype(np.int64, copy=False)
    # Event dates repeat a lot (days): rank them, then radix-sort the small ranks.
    ranks, uniques = pd.factorize(start, sort=True)
    if len(uniques) <= np.iinfo(np.uint16).max:
        return np.argsort(ranks.astype(np.uint16), kind="stable").astype(np.int64)
    return np.argsort(start, kind="stable").astype(np.int64)


def _precision_units(table: EventTable) -> np.ndarray:
    """Per table row: 0 exact/day, 1 week, 2 month, 3 year (how vague the start is)."""
    if not len(table):
        return np.zeros(0, dtype=np.int8)
    names = [str(c) for c in table.df["date_precision"].cat.categories]
    unit = {"week": 1, "month": 2, "year": 3}
    lookup = np.array([unit.get(n, 0) for n in names] + [0], dtype=np.int8)
    return lookup[_codes(table, "date_precision")]


class LaneOrder:
    """All rows of a table sorted by lane, then start, with their columns gathered in
    that order. Built once per table and grouping (the sort is the costly part), so a
    filter change only has to compress these arrays by the mask.
    """

    def __init__(self, table: EventTable, lanes: Lanes) -> None:
        self.table = table
        self.lanes = lanes
        n = len(table)
        start_ns, end_ns = table.start_ns, table.end_ns
        order = start_order(table)
        # Unknown dates (NaT, the smallest int64) sort first: drop them by their count
        # rather than by reading every row's start in sorted (random) order.
        order = order[int(np.count_nonzero(start_ns == NAT)) :] if n else order
        lane = lanes.of_row[order]
        by_lane = np.argsort(lane, kind="stable")
        self.rows = order.take(by_lane)
        self.lane = lane[by_lane]
        # Reading 8-byte columns in this order costs a cache miss per row (tens of ms at
        # 1M rows on a busy machine): take what fits in fewer bytes, the rest on demand.
        days = _start_days(table)
        if days is None:
            self.start = start_ns[self.rows]
        else:
            self.start = days[0][self.rows].astype(np.int64)
            self.start *= DAY  # in place: each new 8 MB array costs page faults too
            self.start += days[1]
        # Most events end when they start; only the others need their end read.
        own_end = (end_ns != start_ns) & (end_ns != NAT)
        if own_end.any():
            self.end = self.start.copy()
            pos = np.flatnonzero(own_end[self.rows])
            self.end[pos] = end_ns[self.rows[pos]]
        else:
            self.end = self.start  # read-only, like every array of the index
        self.unit = _precision_units(table)[self.rows] if n else np.zeros(0, np.int8)
        self.category = _codes(table, "category")[self.rows] if n else np.zeros(0, np.int8)
        self.category_names = [str(c) for c in table.df["category"].cat.categories] if n else []

    @cached_property
    def fatalities(self) -> np.ndarray:
        n = len(self.table)
        fat = self.table.df["fatalities"].to_numpy(dtype=np.float64) if n else np.empty(0)
        return fat[self.rows]

    @cached_property
    def ongoing(self) -> np.ndarray:
        n = len(self.table)
        ongoing = self.table.df["ongoing"].to_numpy(dtype=bool) if n else np.zeros(0, bool)
        if not ongoing.any():  # most data: no need to read it in this (random) order
            return np.zeros(len(self.rows), dtype=bool)
        return ongoing[self.rows]

    @cached_property
    def position(self) -> np.ndarray:
        """Per table row, its place in ``rows`` (-1: unknown date): a narrow filter then
        finds its few rows' places without reading a value per table row."""
        position = np.full(len(self.table), -1, dtype=np.int64)
        position[self.rows] = np.arange(len(self.rows), dtype=np.int64)
        return position

    def kept_positions(self, mask: np.ndarray) -> np.ndarray:
        """Sorted places in ``rows`` of the rows ``mask`` keeps."""
        kept = int(np.count_nonzero(mask))
        if kept >= len(mask) // SPARSE_SHARE:  # many: one look per table row is cheaper
            return np.flatnonzero(mask[self.rows])
        places = self.position[np.flatnonzero(mask)]
        hit = np.zeros(len(self.rows), dtype=bool)
        hit[places[places >= 0]] = True
        return np.flatnonzero(hit)


class TimelineIndex:
    """The visible rows grouped by lane and sorted by start within each lane.

    Built once per filter from a ``LaneOrder`` (under 20 ms at 1M rows: taking the
    kept positions from its arrays); every zoom then only slices it.
    """

    def __init__(
        self,
        table: EventTable,
        lanes: Lanes,
        mask: np.ndarray | None = None,
        order: LaneOrder | None = None,
    ) -> None:
        if order is None or order.table is not table or order.lanes is not lanes:
            order = LaneOrder(table, lanes)
        self.table = table
        self.lanes = lanes
        self.order = order
        n_lanes = len(lanes)
        names = ("rows", "start", "end", "unit", "category")
        self._keep: np.ndarray | None = None
        if mask is not None and len(mask) == len(table) and not mask.all():
            # positions then take(): far faster than boolean indexing on a patchy mask
            keep = self._keep = order.kept_positions(mask)
            for name in names:
                setattr(self, name, getattr(order, name).take(keep))
            lane = order.lane.take(keep)
        else:
            for name in names:
                setattr(self, name, getattr(order, name))
            lane = order.lane
        wanted = np.arange(n_lanes + 1, dtype=lane.dtype)  # same dtype: no 1M-row cast
        self.lane_bounds = np.searchsorted(lane, wanted).astype(np.int64)
        self.category_names = order.category_names
        # Periods (end after start) are few; keep their positions for overlap queries.
        self.period_pos = np.flatnonzero(self.end > self.start)
        self.period_bounds = np.searchsorted(self.period_pos, self.lane_bounds)
        cats = self.category_names
        self.milestone_pos = (
            np.flatnonzero(self.category == cats.index(MILESTONE_CATEGORY))
            if MILESTONE_CATEGORY in cats
            else np.empty(0, dtype=np.int64)
        )
        band_codes = [cats.index(c) for c in BAND_CATEGORIES if c in cats]
        in_band = np.isin(self.category[self.period_pos], band_codes)
        self.band_pos = self.period_pos[in_band]
        # Dates known only to the day (all at midnight) are never binned per hour.
        step = max(len(self.start) // 10_000, 1)
        self.finest_unit = "day" if (self.start[::step] % DAY == 0).all() else "hour"
        # The vaguest start decides how far before the view a mark may still fall in it.
        self.max_unit = int(self.unit.max()) if len(self.unit) else 0

    def __len__(self) -> int:
        return len(self.rows)

    @cached_property
    def fatalities(self) -> np.ndarray:
        """Fatalities of the indexed events (read on first use: not every view needs them)."""
        return self._taken(self.order.fatalities)

    @cached_property
    def ongoing(self) -> np.ndarray:
        return self._taken(self.order.ongoing)

    def _taken(self, values: np.ndarray) -> np.ndarray:
        return values if self._keep is None else values.take(self._keep)

    @cached_property
    def unknown_cum(self) -> np.ndarray:
        """Running count of unknown fatalities (for range totals; made on first use)."""
        out = np.zeros(len(self.fatalities) + 1, dtype=np.int64)
        np.cumsum(np.isnan(self.fatalities), out=out[1:])
        return out

    def range_totals(self, a: int, b: int) -> tuple[int, float, int]:
        """(events, known fatalities, events with unknown fatalities) of the visible
        events overlapping [a, b] ns, from sums over the index: a few searchsorted per
        lane, never a pass over every row."""
        count, fat, unknown = 0, 0.0, 0
        for lane in range(self.n_lanes):
            s0, s1 = int(self.lane_bounds[lane]), int(self.lane_bounds[lane + 1])
            i0, i1 = np.searchsorted(self.start[s0:s1], [a, b], side="left")
            i1 = int(np.searchsorted(self.start[s0:s1], b, side="right"))
            i0, i1 = int(i0) + s0, i1 + s0
            count += i1 - i0
            fat += float(self.fat_cum[i1] - self.fat_cum[i0])
            unknown += int(self.unknown_cum[i1] - self.unknown_cum[i0])
        # Periods: those starting inside were counted; add those that began before a.
        p = self.period_pos
        before = p[(self.start[p] < a) & (self.end[p] >= a)]
        count += len(before)
        f = self.fatalities[before]
        fat += float(np.nansum(f))
        unknown += int(np.isnan(f).sum())
        return count, fat, unknown

    @cached_property
    def fat_cum(self) -> np.ndarray:
        """Running total of known fatalities (for fatality histograms; made on first use)."""
        fat = self.fatalities
        out = np.empty(len(fat) + 1)
        out[0] = 0.0
        np.cumsum(np.where(np.isnan(fat), 0.0, fat), out=out[1:])
        return out

    @property
    def n_lanes(self) -> int:
        return len(self.lanes)

    def extent(self) -> tuple[int, int] | None:
        """First start and last end (ongoing periods included) in ns, or None if empty."""
        if not len(self.rows):
            return None
        # Starts are sorted within each lane, and only a period ends after its start.
        first, last = self.lane_bounds[:-1], self.lane_bounds[1:] - 1
        some = last >= first
        a = int(self.start[first[some]].min())
        b = int(self.start[last[some]].max())
        if len(self.period_pos):
            b = max(b, int(self.end[self.period_pos].max()))
        return a, b

    def core_extent(self, outlier_gap: float = 0.4) -> tuple[int, int] | None:
        """The extent without a lone event far off at either end (first view on open).

        An end event is dropped when the gap to its neighbour is more than
        ``outlier_gap`` of the whole span (at most twice per side), so one old event
        does not squeeze years of dense data into a corner. Home still fits all.
        """
        if not len(self.rows):
            return None
        step = max(len(self.start) // 50_000, 1)  # a sample is enough at 1M rows
        s = self.start[::step]
        # Only the three first and last of the sorted sample are read below: put those
        # in place (a partition), not the whole sample in order.
        s = np.partition(s, [0, 1, 2, -3, -2, -1]) if len(s) > 6 else np.sort(s)
        lo, hi, drops = 0, len(s) - 1, [0, 0]
        while hi - lo >= 3:
            total = s[hi] - s[lo]
            if total <= 0:
                break
            if drops[0] < 2 and s[lo + 1] - s[lo] > outlier_gap * total:
                lo, drops[0] = lo + 1, drops[0] + 1
            elif drops[1] < 2 and s[hi] - s[hi - 1] > outlier_gap * total:
                hi, drops[1] = hi - 1, drops[1] + 1
            else:
                break
        a, b = int(s[lo]), int(s[hi])
        return a, max(b, self._last_shown_end(a, b))

    def _last_shown_end(self, a: int, b: int) -> int:
        """The latest shown end of the events starting in [a, b], from a few searchsorted
        per lane: an event that is not a period ends at its start, so beyond the periods
        only the starts within a day of a lane's last one can end latest."""
        ends = [np.iinfo(np.int64).min]
        for lane in range(self.n_lanes):
            s0, s1 = int(self.lane_bounds[lane]), int(self.lane_bounds[lane + 1])
            starts = self.start[s0:s1]
            i0 = int(np.searchsorted(starts, a, side="left"))
            i1 = int(np.searchsorted(starts, b, side="right"))
            if i1 > i0:
                j = max(i0, int(np.searchsorted(starts, starts[i1 - 1] - DAY, side="left")))
                ends.append(int(shown_end(self.end[s0 + j : s0 + i1]).max()))
        p = self.period_pos
        p = p[(self.start[p] >= a) & (self.start[p] <= b)]
        if len(p):
            ends.append(int(shown_end(self.end[p]).max()))
        return max(ends)


# -- dates and their uncertainty ------------------------------------------------------------
def uncertainty(start: np.ndarray, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[lo, hi) each start could be in: its day, week (7 days), month or year.

    An exact time (not midnight) at day precision has lo == hi.
    """
    start = np.asarray(start, dtype=np.int64)
    lo = start.copy()
    hi = start.copy()
    midnight = start % DAY == 0
    day = (unit == 0) & midnight
    hi[day] = start[day] + DAY
    week = unit == 1
    hi[week] = start[week] + WEEK
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
    return np.where(end % DAY == 0, end + DAY, end)


_PAD_FOR_UNIT = (DAY, WEEK, 32 * DAY, 367 * DAY)


# -- bins -----------------------------------------------------------------------------------
BIN_UNITS: tuple[tuple[str, int], ...] = (
    ("hour", HOUR),
    ("day", DAY),
    ("week", WEEK),
    ("month", 31 * DAY),
    ("year", 366 * DAY),
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
    origin = 4 * DAY if unit == "week" else 0  # 1970-01-05 was a Monday
    first = (x0_ns - origin) // length * length + origin
    count = int((x1_ns - first) // length) + 2
    return first + np.arange(count, dtype=np.int64) * length


# -- one frame: what to draw for a view ----------------------------------------------------------
@dataclass
class LaneFrame:
    lane: int
    mode: str  # "marks", "density" or "empty"
    count: int  # events starting in view
    # density
    values: np.ndarray = field(default_factory=lambda: np.empty(0))
    # marks: points
    pos: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # index positions
    x: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # mark x (ns)
    lo: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    hi: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    shared: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # spread among
    # marks: periods
    ppos: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    pstart_hi: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    pend: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))


@dataclass
class Frame:
    """Everything the timeline draws for one view, in ns and index positions."""

    x0: int
    x1: int
    width_px: float
    unit: str
    edges: np.ndarray
    measure: str
    lanes: list[LaneFrame]
    milestones: np.ndarray  # index positions
    milestone_x: np.ndarray
    bands: np.ndarray  # index positions of mourning/blockade periods in view

    def px(self, ns: np.ndarray | int) -> np.ndarray:
        """x in pixels (from the view's left edge) of times in ns."""
        scale = self.width_px / max(self.x1 - self.x0, 1)
        return (np.asarray(ns, dtype=np.int64) - self.x0).astype(np.float64) * scale


def compute_frame(
    index: TimelineIndex,
    x0_ns: int,
    x1_ns: int,
    width_px: float,
    measure: str = "events",
) -> Frame:
    """Decide per lane between marks and a histogram, and gather what to draw."""
    x0_ns, x1_ns = int(x0_ns), int(max(x1_ns, x0_ns + 1))
    span = x1_ns - x0_ns
    px_per_ns = width_px / span
    unit = choose_bin_unit(span, width_px, finest=index.finest_unit)
    edges = bin_edges(x0_ns, x1_ns, unit)
    pad = _PAD_FOR_UNIT[index.max_unit]
    lane_budget = max(MAX_MARKS // max(index.n_lanes, 1), MIN_MARKS_PER_LANE)
    lanes = []
    for lane in range(index.n_lanes):
        a, b = int(index.lane_bounds[lane]), int(index.lane_bounds[lane + 1])
        seg = index.start[a:b]
        i0, i1 = np.searchsorted(seg, [x0_ns, x1_ns], side="left")
        i1 = int(np.searchsorted(seg, x1_ns, side="right"))
        count = i1 - int(i0)
        pa, pb = int(index.period_bounds[lane]), int(index.period_bounds[lane + 1])
        periods = index.period_pos[pa:pb]
        if count <= lane_budget:
            # Marks: points whose (possibly vague) date touches the view ...
            j0 = int(np.searchsorted(seg, x0_ns - pad, side="left")) + a
            pos = np.arange(j0, i1 + a, dtype=np.int64)
            pos = pos[index.end[pos] <= index.start[pos]]
            lo, hi = uncertainty(index.start[pos], index.unit[pos])
            keep = ((hi > x0_ns) | (lo >= x0_ns)) & (lo <= x1_ns)  # [lo, hi) touches the view
            pos, lo, hi = pos[keep], lo[keep], hi[keep]
            # ... spread across their day/week/month when several share it and it is wide
            x, shared = spread_in_span(lo, hi, px_per_ns)
        if count > lane_budget or _too_dense(x, px_per_ns):
            idx = np.searchsorted(seg, edges, side="left") + a
            if measure == "fatalities":
                values = np.diff(index.fat_cum[idx])
            else:
                values = np.diff(idx).astype(np.float64)
            lanes.append(LaneFrame(lane, "density", count, values=values))
            continue
        if len(periods):
            pend = shown_end(index.end[periods])
            # An ongoing period keeps fading for a while after its "as of" date.
            fade = np.where(index.ongoing[periods], ongoing_fade_ns(index, periods), 0)
            inview = (index.start[periods] <= x1_ns) & (pend + fade >= x0_ns)
            periods, pend = periods[inview], pend[inview]
            _, start_hi = uncertainty(index.start[periods], index.unit[periods])
            start_hi = np.where(index.unit[periods] == 0, index.start[periods], start_hi)
        else:
            pend = start_hi = np.empty(0, np.int64)
        mode = "marks" if len(pos) or len(periods) else "empty"
        lanes.append(
            LaneFrame(lane, mode, count, pos=pos, x=x, lo=lo, hi=hi, shared=shared,
                      ppos=periods, pstart_hi=start_hi, pend=pend)
        )  # fmt: skip
    milestones, milestone_x = _milestones_in_view(index, x0_ns, x1_ns)
    bands = index.band_pos
    if len(bands):
        bands = bands[(index.start[bands] <= x1_ns) & (shown_end(index.end[bands]) >= x0_ns)]
        if len(bands) > MAX_BANDS:
            bands = bands[:0]
    return Frame(
        x0_ns, x1_ns, float(width_px), unit, edges, measure, lanes, milestones, milestone_x, bands
    )


def ongoing_fade_ns(index: TimelineIndex, positions: np.ndarray) -> np.ndarray:
    """How long an ongoing period fades out after its "as of" date: a third of its
    length, between 2 and 30 days (long enough to see, short enough not to claim more)."""
    length = index.end[positions] - index.start[positions]
    return np.clip(length // 3, 2 * DAY, 30 * DAY)


def spread_in_span(
    lo: np.ndarray, hi: np.ndarray, px_per_ns: float
) -> tuple[np.ndarray, np.ndarray]:
    """Where to draw each mark, and how many events it was spread among (1: not spread).

    A mark sits in the middle of its span. Several events known only to the same day
    are spread evenly across that day when it is wide enough on screen, rather than
    piled on one pixel: the hour of each is not known anyway. Vaguer dates (a week,
    a month) stay in the middle with their whisker, stacked up and down.
    """
    n = len(lo)
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = np.lexsort((hi, lo))
    lo_s, hi_s = lo[order], hi[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (lo_s[1:] != lo_s[:-1]) | (hi_s[1:] != hi_s[:-1])
    group = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    size = np.diff(np.append(first, n))[group]
    rank = np.arange(n) - first[group]
    # Only within a day: spreading a week or month would suggest dates nobody knows.
    room = ((hi_s - lo_s) * px_per_ns >= size * SPREAD_PX) & (hi_s - lo_s <= DAY) & (size > 1)
    frac = np.where(room, (rank + 0.5) / size, 0.5)
    x = np.empty(n, np.int64)
    shared = np.empty(n, np.int64)
    x[order] = lo_s + (frac * (hi_s - lo_s)).astype(np.int64)
    shared[order] = np.where(room, size, 1)
    return x, shared


def _too_dense(x: np.ndarray, px_per_ns: float) -> bool:
    """Marks would overlap: too closely spaced overall, or piled up within a few pixels."""
    if len(x) < 2:
        return False
    xs = np.sort(x)
    column = ((xs - xs[0]) * px_per_ns // PILE_COLUMN_PX).astype(np.int64)
    if np.bincount(column).max() > MAX_PILE:
        return True
    if len(x) < MIN_EVENTS_FOR_SPACING_RULE:
        return False
    spacing = np.median(np.diff(xs)) * px_per_ns
    return bool(spacing < MIN_MEDIAN_SPACING_PX)


def _milestones_in_view(index: TimelineIndex, x0: int, x1: int) -> tuple[np.ndarray, np.ndarray]:
    pos = index.milestone_pos
    if not len(pos):
        return pos, np.empty(0, np.int64)
    lo, hi = uncertainty(index.start[pos], index.unit[pos])
    x = (lo + hi) // 2  # where the event's mark is: the middle of its day/week/month
    keep = (x >= x0) & (x <= x1)
    if keep.sum() > MAX_MILESTONES:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = np.argsort(x[keep], kind="stable")
    return pos[keep][order], x[keep][order]


# -- labels that never pile up ----------------------------------------------------------------
def layout_labels(x_px: np.ndarray, widths: np.ndarray, rows: int, gap: float = 6.0) -> np.ndarray:
    """Row (0..rows-1) for each label placed at ``x_px`` (sorted), or -1 where none fits.

    Greedy: each label goes in the first row whose previous label ends before it.
    The loop runs over labels in view, which ``MAX_MILESTONES`` keeps small.
    """
    ends = np.full(rows, -np.inf)
    placed = np.full(len(x_px), -1, dtype=np.int64)
    for i, (x, w) in enumerate(zip(np.asarray(x_px), np.asarray(widths), strict=True)):
        free = np.flatnonzero(ends + gap <= x)
        if len(free):
            placed[i] = free[0]
            ends[free[0]] = x + w
    return placed


# -- layout in pixels ------------------------------------------------------------------------------
@dataclass
class Layout:
    """A frame placed on screen: every mark, bar, bin and line in pixels, with its rows.

    The painter draws these arrays and the pointer is tested against the same arrays,
    so what is clicked is exactly what is seen.
    """

    width: float
    marks_row: np.ndarray
    marks_x: np.ndarray
    marks_y: np.ndarray
    marks_d: np.ndarray  # diameter in pixels
    marks_known: np.ndarray  # fatalities known (filled) or not (ring)
    marks_cat: np.ndarray
    whisker: np.ndarray  # (n, 3): x_lo, x_hi, y
    periods_row: np.ndarray
    periods: np.ndarray  # (n, 6): x_start, x_certain (vague start ends), x_end, y, fade px, bar h
    periods_cat: np.ndarray
    periods_ongoing: np.ndarray
    bins: np.ndarray  # (n, 4): x, y_top, w, h
    bins_lane: np.ndarray
    bins_value: np.ndarray
    bins_range: np.ndarray  # (n, 2) ns
    lane_max: np.ndarray  # largest bin per lane (NaN for lanes showing marks)
    milestones_row: np.ndarray
    milestones_x: np.ndarray
    milestones_vague: np.ndarray
    bands: np.ndarray  # (n, 3): x_start, x_end, fade px
    bands_cat: np.ndarray


def layout_frame(
    frame: Frame,
    index: TimelineIndex,
    lane_centre_px: np.ndarray,
    lane_height_px: float,
    diameters,
) -> Layout:
    """Turn a frame into pixel geometry. ``diameters(fatalities)`` sizes the marks."""
    empty = np.empty(0)
    ints = np.empty(0, np.int64)
    px = frame.px
    mrow, mx, my, md, mknown, mcat, whisk = [], [], [], [], [], [], []
    prow, pgeo, pcat, pong = [], [], [], []
    bgeo, blane, bval, brange = [], [], [], []
    lane_max = np.full(len(frame.lanes), np.nan)
    edges_px = px(frame.edges)
    step = max(min(lane_height_px * 0.18, 7.0), 2.0)
    for lf in frame.lanes:
        cy = float(lane_centre_px[lf.lane])
        if lf.mode == "density":
            values = lf.values
            vmax = float(values.max()) if len(values) else 0.0
            lane_max[lf.lane] = vmax
            nz = np.flatnonzero(values > 0)
            if not len(nz) or vmax <= 0:
                continue
            h = np.maximum(values[nz] / vmax * lane_height_px * 0.8, 1.5)
            x = edges_px[nz]
            w = np.maximum(edges_px[nz + 1] - x - 0.5, 1.0)
            base = cy + lane_height_px * 0.4
            bgeo.append(np.column_stack([x, base - h, w, h]))
            blane.append(np.full(len(nz), lf.lane))
            bval.append(values[nz])
            brange.append(np.column_stack([frame.edges[nz], frame.edges[nz + 1]]))
            continue
        if len(lf.pos):
            x = px(lf.x)
            order = np.argsort(x, kind="stable")
            x = x[order]
            pos = lf.pos[order]
            # Marks on (nearly) the same pixel are stacked up and down, not hidden.
            group = np.concatenate([[0], np.cumsum(np.diff(x) > 3.0)])
            first = np.searchsorted(group, group, side="left")
            rank = np.arange(len(x)) - first
            sign = np.where(rank % 2 == 1, -1.0, 1.0)
            dy = np.clip(
                ((rank + 1) // 2) * step * sign, -lane_height_px * 0.4, lane_height_px * 0.4
            )
            fat = index.fatalities[pos]
            mrow.append(index.rows[pos])
            mx.append(x)
            my.append(cy + dy)
            md.append(diameters(fat))
            mknown.append(~np.isnan(fat))
            mcat.append(index.category[pos])
            lo, hi = px(lf.lo[order]), px(lf.hi[order])
            # a whisker across the vague span (not for marks spread over their day)
            wide = ((hi - lo) >= 4.0) & (lf.shared[order] == 1)
            if wide.any():
                whisk.append(np.column_stack([lo[wide], hi[wide], (cy + dy)[wide]]))
        if len(lf.ppos):
            fade = np.where(index.ongoing[lf.ppos], ongoing_fade_ns(index, lf.ppos), 0)
            scale = frame.width_px / max(frame.x1 - frame.x0, 1)
            x0 = px(index.start[lf.ppos])
            x1 = px(lf.pend) + fade * scale
            row = stack_rows(x0, x1, MAX_PERIOD_ROWS)
            used = int(row.max()) + 1
            bar = max(min(lane_height_px * 0.36, 16.0, lane_height_px * 0.8 / used - 1), 2.0)
            y = cy + (row - (used - 1) / 2) * (bar + 1)
            pgeo.append(
                np.column_stack(
                    [x0, np.maximum(px(lf.pstart_hi), x0), px(lf.pend), y, fade * scale,
                     np.full(len(x0), bar)]
                )
            )  # fmt: skip
            prow.append(index.rows[lf.ppos])
            pcat.append(index.category[lf.ppos])
            pong.append(index.ongoing[lf.ppos])
    b = frame.bands
    bands = (
        np.column_stack(
            [px(index.start[b]), px(shown_end(index.end[b])),
             np.where(index.ongoing[b], ongoing_fade_ns(index, b), 0) * frame.width_px
             / max(frame.x1 - frame.x0, 1)]
        )
        if len(b)
        else np.empty((0, 3))
    )  # fmt: skip
    mpos = frame.milestones

    def cat(parts, kind=np.float64, cols=None):
        if parts:
            return np.concatenate(parts)
        return np.empty((0, cols)) if cols else np.empty(0, kind)

    return Layout(
        width=frame.width_px,
        marks_row=cat(mrow, np.int64),
        marks_x=cat(mx),
        marks_y=cat(my),
        marks_d=cat(md),
        marks_known=cat(mknown, bool),
        marks_cat=cat(mcat, np.int64),
        whisker=cat(whisk, cols=3),
        periods_row=cat(prow, np.int64),
        periods=cat(pgeo, cols=6),
        periods_cat=cat(pcat, np.int64),
        periods_ongoing=cat(pong, bool),
        bins=cat(bgeo, cols=4),
        bins_lane=cat(blane, np.int64),
        bins_value=cat(bval),
        bins_range=cat(brange, np.int64, cols=2).astype(np.int64),
        lane_max=lane_max,
        milestones_row=index.rows[mpos] if len(mpos) else ints,
        milestones_x=px(frame.milestone_x) if len(mpos) else empty,
        milestones_vague=index.unit[mpos] > 0 if len(mpos) else np.empty(0, bool),
        bands=bands,
        bands_cat=index.category[b] if len(b) else ints,
    )


def stack_rows(x0: np.ndarray, x1: np.ndarray, rows: int) -> np.ndarray:
    """Row for each interval (in the given order) so that overlapping ones sit apart;
    past ``rows`` rows, the row that frees up first is shared."""
    order = np.argsort(x0, kind="stable")
    placed = np.zeros(len(x0), dtype=np.int64)
    if len(x0) > MAX_STACKED_PERIODS:  # too many to place one by one: deal them round
        placed[order] = np.arange(len(x0)) % rows
        return placed
    ends = np.full(rows, -np.inf)
    for i in order:  # periods in view only: a few hundred at most
        free = np.flatnonzero(ends + 1 <= x0[i])
        k = int(free[0]) if len(free) else int(np.argmin(ends))
        placed[i] = k
        ends[k] = max(ends[k], x1[i])
    return placed


# -- hit testing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    rows: np.ndarray  # table rows (one for an event; several for a histogram bar)
    kind: str  # "mark", "period", "milestone" or "bin"
    bin_range: tuple[int, int] | None = None  # ns, for a histogram bar


def hit_test(
    layout: Layout,
    index: TimelineIndex,
    x: float,
    y: float,
    lane: int | None,
    lane_height_px: float,
    tolerance_px: float = 5.0,
) -> Hit | None:
    """What is under the pointer at (x, y) pixels: a mark, a period bar, a milestone
    line, or a histogram bar (in that order of preference)."""
    if len(layout.marks_x):
        r = np.maximum(layout.marks_d / 2, 3.0) + tolerance_px
        d = np.hypot(layout.marks_x - x, layout.marks_y - y)
        k = int(np.argmin(d - r))
        if d[k] <= r[k]:
            return Hit(layout.marks_row[k : k + 1], "mark")
    if len(layout.periods):
        p = layout.periods
        inside = np.flatnonzero(
            (p[:, 0] - 2 <= x) & (x <= p[:, 2] + 2) & (np.abs(p[:, 3] - y) <= p[:, 5] / 2 + 2)
        )
        if len(inside):
            k = inside[np.argmin((p[:, 2] - p[:, 0])[inside])]  # the most specific
            return Hit(layout.periods_row[k : k + 1], "period")
    if len(layout.milestones_x):
        d = np.abs(layout.milestones_x - x)
        k = int(np.argmin(d))
        if d[k] <= tolerance_px:
            return Hit(layout.milestones_row[k : k + 1], "milestone")
    if lane is not None and len(layout.bins):
        b = layout.bins
        k = np.flatnonzero((layout.bins_lane == lane) & (b[:, 0] <= x) & (x <= b[:, 0] + b[:, 2]))
        if len(k):
            k = int(k[0])
            lo, hi = (int(v) for v in layout.bins_range[k])
            a, e = int(index.lane_bounds[lane]), int(index.lane_bounds[lane + 1])
            i0, i1 = np.searchsorted(index.start[a:e], [lo, hi], side="left")
            return Hit(index.rows[a + i0 : a + i1], "bin", (lo, hi))
    return None
