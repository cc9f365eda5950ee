"""The visible rows grouped by lane and sorted by start: built once per filter.

Everything that grows with the data is done here with numpy, once per table / filter /
grouping; a zoom or pan then only slices it (see ``frame``).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from timeline_app.model.events import EventTable
from timeline_app.model.table_cache import PerTable
from timeline_app.model.timeline.dates import shown_end
from timeline_app.model.timeline.lanes import Lanes, code_counts, codes_of
from timeline_app.model.units import NAT_NS, NS_PER_DAY

MILESTONE_CATEGORY = "withdrawal"
BAND_CATEGORIES = ("mourning", "blockade")
#: A filter keeping under 1/SPARSE_SHARE of the rows is indexed from its own rows.
SPARSE_SHARE = 4


_START_ORDER = PerTable[np.ndarray]("timeline: rows by start")
_START_DAYS = PerTable[tuple[np.ndarray, int] | None]("timeline: start days")


def start_order(table: EventTable) -> np.ndarray:
    """Rows sorted by start, cached per table (a table never changes once built)."""

    def build() -> np.ndarray:
        days = _start_days(table)
        return _sort_by_start(table.start_ns, None if days is None else days[0])

    return _START_ORDER.get(table, build)


def _start_days(table: EventTable) -> tuple[np.ndarray, int] | None:
    return _START_DAYS.get(table, lambda: _days_since_first_start(table))


def _days_since_first_start(table: EventTable) -> tuple[np.ndarray, int] | None:
    """Per row, its start as uint16 days since the first start (unknown: 0), and that
    first start in ns, when every known start is a midnight within 179 years (most event
    data); else None. Sorting and gathering 2-byte days is several times faster than
    8-byte times at 1M rows."""
    start = table.start_ns
    known = start != NAT_NS
    days = None
    if len(start) and known.any():
        every = bool(known.all())
        first = int(start.min()) if every else int(start[known].min())
        shifted = start - first if every else np.where(known, start - first, 0)
        fits = int(shifted.max()) // NS_PER_DAY < np.iinfo(np.uint16).max - 1
        if fits and not (shifted % NS_PER_DAY).any():
            np.floor_divide(shifted, NS_PER_DAY, out=shifted)
            days = shifted.astype(np.uint16), first
    return days


def _sort_by_start(start: np.ndarray, days: np.ndarray | None) -> np.ndarray:
    # Event files often come sorted by date (ACLED newest first): skip the sort then.
    # (Comparing neighbours, not np.diff: no 8-byte temporary per row.)
    if (start[1:] >= start[:-1]).all():
        return np.arange(len(start), dtype=np.int64)
    if (start[1:] <= start[:-1]).all():
        return _reversed_runs(start)
    if days is not None:
        # A stable sort of 16-bit keys is a radix sort; unknown dates go first, as NaT does.
        key = days + np.uint16(1)  # below 2**16 - 1 days, so no overflow
        key[start == NAT_NS] = 0
        return np.argsort(key, kind="stable").astype(np.int64, copy=False)
    # Event dates repeat a lot (days): rank them, then radix-sort the small ranks.
    ranks, uniques = pd.factorize(start, sort=True)
    if len(uniques) <= np.iinfo(np.uint16).max:
        return np.argsort(ranks.astype(np.uint16), kind="stable").astype(np.int64)
    return np.argsort(start, kind="stable").astype(np.int64)


def _reversed_runs(start: np.ndarray) -> np.ndarray:
    """The stable ascending order of a non-increasing column: its runs of equal starts
    last to first, each in row order (as a stable sort keeps ties; the table's sort by
    date shares this order, see model/sorting.py)."""
    n = len(start)
    firsts = np.flatnonzero(np.concatenate(([True], start[1:] != start[:-1])))
    lengths = np.diff(np.append(firsts, n))[::-1]
    firsts = firsts[::-1]
    placed = np.cumsum(lengths) - lengths  # where each run goes in the result
    return np.repeat(firsts - placed, lengths) + np.arange(n, dtype=np.int64)


def kept_start_order(table: EventTable) -> np.ndarray | None:
    """:func:`start_order` if it was built already (by the timeline), else None."""
    return _START_ORDER.peek(table)


def _precision_units(table: EventTable) -> np.ndarray:
    """Per table row: 0 exact/day, 1 week, 2 month, 3 year (how vague the start is)."""
    if not len(table):
        return np.zeros(0, dtype=np.int8)
    names = [str(c) for c in table.df["date_precision"].cat.categories]
    unit = {"week": 1, "month": 2, "year": 3}
    lookup = np.array([unit.get(n, 0) for n in names] + [0], dtype=np.int8)
    result: np.ndarray = lookup[codes_of(table, "date_precision")]
    return result


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
        order = order[int(np.count_nonzero(start_ns == NAT_NS)) :] if n else order
        #: per place, whether it is its event's first lane (None: one lane per event)
        self.primary: np.ndarray | None = None
        if lanes.multi:  # (row, lane) pairs: sort them by lane, then their row's start
            assert lanes.member_rows is not None and lanes.member_lanes is not None
            rank = np.full(n, -1, dtype=np.int64)
            rank[order] = np.arange(len(order), dtype=np.int64)
            pair_rank = rank[lanes.member_rows]
            dated = pair_rank >= 0
            by = np.lexsort((pair_rank[dated], lanes.member_lanes[dated]))
            self.rows = lanes.member_rows[dated][by]
            self.lane = lanes.member_lanes[dated][by]
            self.primary = np.asarray(lanes.member_primary)[dated][by]
        else:
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
            self.start *= NS_PER_DAY  # in place: each new 8 MB array costs page faults too
            self.start += days[1]
        # Most events end when they start; only the others need their end read.
        own_end = (end_ns != start_ns) & (end_ns != NAT_NS)
        if own_end.any():
            self.end = self.start.copy()
            pos = np.flatnonzero(own_end[self.rows])
            self.end[pos] = end_ns[self.rows[pos]]
        else:
            self.end = self.start  # read-only, like every array of the index
        self.unit = _precision_units(table)[self.rows] if n else np.zeros(0, np.int8)
        self.category = codes_of(table, "category")[self.rows] if n else np.zeros(0, np.int8)
        self.category_names = [str(c) for c in table.df["category"].cat.categories] if n else []

    @cached_property
    def fatalities(self) -> np.ndarray:
        n = len(self.table)
        fat = self.table.df["fatalities"].to_numpy(dtype=np.float64) if n else np.empty(0)
        result: np.ndarray = fat[self.rows]
        return result

    @cached_property
    def ongoing(self) -> np.ndarray:
        n = len(self.table)
        ongoing = self.table.df["ongoing"].to_numpy(dtype=bool) if n else np.zeros(0, bool)
        if not ongoing.any():  # most data: no need to read it in this (random) order
            return np.zeros(len(self.rows), dtype=bool)
        result: np.ndarray = ongoing[self.rows]
        return result

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
        # many: one look per place is cheaper (and a row in several lanes has several)
        if kept >= len(mask) // SPARSE_SHARE or self.primary is not None:
            return np.flatnonzero(mask.take(self.rows))
        places = self.position[np.flatnonzero(mask)]
        hit = np.zeros(len(self.rows), dtype=bool)
        hit[places[places >= 0]] = True
        return np.flatnonzero(hit)


class TimelineIndex:
    """The visible rows grouped by lane and sorted by start within each lane.

    Built once per filter from a ``LaneOrder`` (under 20 ms at 1M rows: taking the
    kept positions from its arrays); every zoom then only slices it.
    """

    # Per visible row, in lane then start order (taken from the LaneOrder in __init__).
    rows: np.ndarray
    start: np.ndarray
    end: np.ndarray
    unit: np.ndarray
    category: np.ndarray

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
                if name == "end" and order.end is order.start:
                    self.end = self.start  # no event ends after it starts: one array
                else:
                    setattr(self, name, getattr(order, name).take(keep))
            lane = order.lane.take(keep)
            self.primary = None if order.primary is None else order.primary.take(keep)
        else:
            for name in names:
                setattr(self, name, getattr(order, name))
            lane = order.lane
            self.primary = order.primary
        wanted = np.arange(n_lanes + 1, dtype=lane.dtype)  # same dtype: no 1M-row cast
        self.lane_bounds = np.searchsorted(lane, wanted).astype(np.int64)
        self.category_names = order.category_names
        # Periods (end after start) are few; keep their positions for overlap queries.
        self.period_pos = (
            np.flatnonzero(self.end > self.start)
            if self.end is not self.start
            else np.empty(0, dtype=np.int64)
        )
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
        self.finest_unit = "day" if (self.start[::step] % NS_PER_DAY == 0).all() else "hour"
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

    @cached_property
    def present_codes(self) -> np.ndarray:
        """Codes of the categories the indexed events have (one count over them, kept:
        the unfiltered index is shown again each time a filter is cleared)."""
        return np.flatnonzero(code_counts(self.category, len(self.category_names)))

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
        counted, fat_cum, unknown_cum = self._event_cums
        for lane in range(self.n_lanes):
            s0, s1 = int(self.lane_bounds[lane]), int(self.lane_bounds[lane + 1])
            i0, i1 = np.searchsorted(self.start[s0:s1], [a, b], side="left")
            i1 = int(np.searchsorted(self.start[s0:s1], b, side="right"))
            i0, i1 = int(i0) + s0, i1 + s0
            count += int(counted[i1] - counted[i0])
            fat += float(fat_cum[i1] - fat_cum[i0])
            unknown += int(unknown_cum[i1] - unknown_cum[i0])
        # Periods: those starting inside were counted; add those that began before a.
        p = self.period_pos
        if self.primary is not None:  # each event once, in its first lane
            p = p[self.primary[p]]
        before = p[(self.start[p] < a) & (self.end[p] >= a)]
        count += len(before)
        f = self.fatalities[before]
        fat += float(np.nansum(f))
        unknown += int(np.isnan(f).sum())
        return count, fat, unknown

    @cached_property
    def _event_cums(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Running counts of events, known fatalities and unknown tolls over the places,
        each event counted once (in its first lane) when events sit in several."""
        if self.primary is None:
            return np.arange(len(self.rows) + 1), self.fat_cum, self.unknown_cum
        fat = self.fatalities
        first = self.primary
        out = [np.zeros(len(fat) + 1) for _ in range(3)]
        np.cumsum(first, out=out[0][1:])
        np.cumsum(np.where(first & ~np.isnan(fat), fat, 0.0), out=out[1][1:])
        np.cumsum(first & np.isnan(fat), out=out[2][1:])
        return out[0], out[1], out[2]

    def event_starts(self) -> list[np.ndarray]:
        """Sorted starts to count events by, one array per lane: each event once."""
        bounds = self.lane_bounds
        parts = [self.start[bounds[i] : bounds[i + 1]] for i in range(self.n_lanes)]
        if self.primary is None:
            return parts
        first = [self.primary[bounds[i] : bounds[i + 1]] for i in range(self.n_lanes)]
        return [part[f] for part, f in zip(parts, first, strict=True)]

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
        """The extent without a lone date far off at either end (the first view, Fit all).

        The dates are the starts and the periods' ends. An end date is dropped when the
        gap to its neighbour is more than ``outlier_gap`` of the whole span (at most
        twice per side), so one old event, or one incident resolved a year after the
        rest, does not squeeze dense data into a corner. The overview shows it all.
        """
        if not len(self.rows):
            return None
        step = max(len(self.start) // 50_000, 1)  # a sample is enough at 1M rows
        ends = self.end[self.period_pos[:: max(len(self.period_pos) // 10_000, 1)]]
        s = np.concatenate([self.start[::step], shown_end(ends)])
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
        return a, max(b, self._last_point_end(a, b))

    def _last_point_end(self, a: int, b: int) -> int:
        """Where the mark of the latest event starting in [a, b] ends (a bare date takes
        its whole day), from a searchsorted per lane (periods' ends were weighed above)."""
        ends = [NAT_NS]
        for lane in range(self.n_lanes):
            s0, s1 = int(self.lane_bounds[lane]), int(self.lane_bounds[lane + 1])
            starts = self.start[s0:s1]
            i0 = int(np.searchsorted(starts, a, side="left"))
            i1 = int(np.searchsorted(starts, b, side="right"))
            if i1 > i0:  # a bare date within a day of the last start may end later
                j = max(i0, int(np.searchsorted(starts, starts[i1 - 1] - NS_PER_DAY, side="left")))
                ends.append(int(shown_end(starts[j:i1]).max()))
        return max(ends)
