"""The timeline's numbers from SQL (model/timeline/remote.py): per lane and calendar bin
of a span, by one GROUP BY; the events of the lanes few enough for marks, with the
milestones and period bands, by one bounded SELECT; the overview strip's counts.

The lanes are the trends chart's (storage/duck/trends.py: the memory engine's rule,
model/timeline/lanes.choose_lanes, on the whole data's counts), each event's lane a
CASE over the grouping column's values. By actor an event is in the lane of each of its
actors (storage/duck/actor_trends.ActorLanes: the memory engine's choice and membership):
SQL groups the events by the set of their actors' lanes, spread in numpy to (event, lane)
pairs as the memory index holds them, and the events read are given their lanes by the
memory engine's membership in numpy. The bins are those of model/timeline/dates
(hours, days, ISO weeks from Monday, months, years), counted by start as in memory.
Every query runs on the calling thread's cursor; :meth:`TimelineCounter.interrupt`
stops this counter's running queries only (a newer view supersedes them).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa

from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.schema import CATEGORIES
from timeline_app.model.timeline.dates import BIN_UNITS, bin_edges, choose_bin_unit
from timeline_app.model.timeline.frame import MAX_BANDS, MAX_MILESTONES
from timeline_app.model.timeline.index import BAND_CATEGORIES, MILESTONE_CATEGORY
from timeline_app.model.timeline.lanes import GROUPINGS
from timeline_app.model.timeline.remote import (
    EVENT_COLUMNS,
    KEY,
    LANE,
    LOOKBACK_NS,
    MAX_ROWS,
    BarSelection,
    Overview,
    TimelineAnswer,
    TimelineAsk,
    lane_budget,
    lane_pairs,
)
from timeline_app.model.units import NS_PER_DAY
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.actor_trends import ActorLanes
from timeline_app.storage.duck.day_index import LANE_COLUMNS, day_table, serves
from timeline_app.storage.duck.source import VIEW, EngineError
from timeline_app.storage.duck.timeline_lanes import LanePlan, lane_case
from timeline_app.storage.duck.trends import UNKNOWN_TOLL, TrendCounter

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine
    from timeline_app.storage.duck.facets import FacetTable

MILESTONE = f"category = {sql.text(MILESTONE_CATEGORY)}"
BAND = f'({sql.in_list("category", BAND_CATEGORIES)} AND "end" > start)'
#: Bins across the overview strip (as the memory overview counts them).
OVERVIEW_PX = 500
_LENGTH = dict(BIN_UNITS)


class TimelineCounter:
    """The timeline's queries over one engine."""

    def __init__(self, engine: DuckEngine, trends: TrendCounter) -> None:
        self.engine = engine
        self.trends = trends
        self._lock = threading.Lock()
        self._mine: set[duckdb.DuckDBPyConnection] = set()
        self._finest: str | None = None
        self._days: tuple[tuple[str, tuple[object, ...]], Counts] | None = None
        self._actor_plan: tuple[FacetTable, LanePlan] | None = None
        self._empty: dict[str, pa.Table] = {}
        #: How the last new day counts were made: "index" or "sql" (tests).
        self.last_path = ""

    # -- cursors ---------------------------------------------------------------------------
    @contextmanager
    def _tracked(self) -> Iterator[None]:
        cur = self.engine.cursor()
        with self._lock:
            self._mine.add(cur)
        try:
            yield
        finally:
            with self._lock:
                self._mine.discard(cur)

    def interrupt(self) -> None:
        """Stop the timeline's queries running now (not the table's or the count's)."""
        with self._lock:
            running = list(self._mine)
        for cur in running:
            cur.interrupt()

    # -- what stays put ----------------------------------------------------------------------
    def lanes(self, grouping: str, own: bool = True) -> LanePlan:
        """The grouping's lanes, and how SQL places an event in them. ``own``: asked for a
        view (a newer view interrupts it); else for the user's click, which it must not."""
        tracked = self._tracked if own else nullcontext
        if grouping != "actor":
            with tracked():
                labels, lane_of = self.trends.lanes(grouping)
            return LanePlan(labels, lane_case(GROUPINGS[grouping][0], lane_of))
        if self.trends.facets is None:
            raise EngineError("timeline lanes by actor need the engine's actor names")
        with tracked():
            facet = self.trends.facets.facet_table()
        with self._lock:
            known = self._actor_plan
        if known is not None and known[0] is facet:
            return known[1]
        actors = ActorLanes.of(facet)
        plan = LanePlan(actors.labels, "", actors.conditions(), actors)
        with self._lock:  # one kept: the dictionary's (a new one makes a new facet table)
            self._actor_plan = (facet, plan)
        return plan

    def finest_unit(self) -> str:
        """ "day" when every start is a midnight (never binned per hour), else "hour"."""
        if self._finest is None:
            with self._tracked():
                timed = self.engine.scalar(
                    f"SELECT bool_or(epoch_ns(start) % {NS_PER_DAY} <> 0) FROM {VIEW}"
                )
            self._finest = "hour" if timed else "day"
        return self._finest

    # -- a view ------------------------------------------------------------------------------
    def answer(self, ask: TimelineAsk) -> TimelineAnswer:
        lane = self.lanes(ask.grouping)
        labels = lane.labels
        edges = ask.edges
        where = self.engine.where(ask.spec)
        # The filter's counts per lane and day, made once: a zoom or pan is numpy only ...
        counts = days = self._day_counts(ask.spec, ask.grouping, where, lane)
        if ask.unit == "hour":  # ... but hours: a view of a few days, its rows few to scan
            counts = self._counts(where, lane, edges)
        binned = counts.binned(edges)
        low, high = counts.in_view(*ask.view)
        budget = lane_budget(len(labels))
        many_milestones = int(counts.milestones_in(*ask.view)) > MAX_MILESTONES
        many_bands = int(counts.bands_in(*ask.view)) > MAX_BANDS
        # What the span (and the lookback before it) holds none of is not looked for:
        # most views of most data have no milestone or band, and no scan for them.
        reach = (ask.span[0] - LOOKBACK_NS, ask.span[1])
        milestone = (
            None if many_milestones or not days.touching("milestones", *reach) else MILESTONE
        )
        band = None if many_bands or not days.touching("bands", *reach) else BAND
        candidates = low <= budget
        rows, truncated = self._events(ask, where, lane, candidates, milestone, band)
        if truncated:  # too many to count them from: only the surely sparse lanes
            seen, fetched = high, high <= budget
        else:  # the lanes' events in view, counted exactly from those read
            start = rows.column("start").cast(pa.int64()).to_numpy()
            row, lanes, _first = lane_pairs(rows)
            inside = (start[row] >= ask.view[0]) & (start[row] <= ask.view[1])
            exact = np.bincount(lanes[inside], minlength=len(labels))[: len(labels)]
            seen = np.where(candidates, exact, high)
            fetched = candidates & (exact <= budget)
        # A lane counted by its bins: those at the view's edges hold events outside it.
        rough = (np.ones(len(labels), bool) if truncated else ~candidates) & (high > low)
        if rough.any():
            outside, unsure = counts.outside(*ask.view)
            if (unsure & rough).any():  # both sides of an edge in one bin: count them
                outside = self._outside(where, lane, counts, *ask.view)
            seen = np.where(rough, high - outside, seen)
        return TimelineAnswer(
            ask, labels, edges, *binned, seen, fetched, days.events.sum(axis=1), rows,
            many_milestones=many_milestones or truncated, many_bands=many_bands,
        )  # fmt: skip

    def _counts(self, where: str, lane: LanePlan, edges: np.ndarray) -> Counts:
        """Per lane and hour of [edges[0], edges[-1]): events, tolls, milestones, bands."""
        first, last = (sql.timestamp_ns(int(t)) for t in (edges[0], edges[-1]))
        found = self._aggregate(
            lane,
            f"(epoch_ns(start) - ({int(edges[0])})) // {_LENGTH['hour']}",
            f"({where}) AND start >= {first} AND start < {last}",
        )
        return Counts.of(found, len(lane.labels), edges[:-1])

    def _outside(self, where: str, lane: LanePlan, counts: Counts, a: int, b: int) -> np.ndarray:
        """Per lane, the events of the bins touching [a, b] that start outside it (so
        that a lane's count in view is exact, as the memory frame's)."""
        t0, t1 = (sql.timestamp_ns(t) for t in counts.reach(a, b))
        a_, b_ = sql.timestamp_ns(a), sql.timestamp_ns(b)
        # One range the scan can skip row groups by, then the view cut out of it.
        near = f"start >= {t0} AND start < {t1} AND (start < {a_} OR start > {b_})"
        with self._tracked():
            found = self.engine.query(
                f"SELECT {lane.column} AS lane, count(*) AS n "
                f"FROM {VIEW} WHERE ({where}) AND {near} GROUP BY ALL"
            )
        found = lane.pairs(found)
        out = np.zeros(len(lane.labels), np.int64)
        at = found.column("lane").to_numpy().astype(np.int64)
        ok = (at >= 0) & (at < len(out))
        np.add.at(out, at[ok], found.column("n").to_numpy()[ok])
        return out

    def _day_counts(self, spec: FilterSpec, grouping: str, where: str, lane: LanePlan) -> Counts:
        # By the SQL of the filter (what its actor names mean: the dictionary in use)
        # and of the lanes.
        key = (where, lane.key)
        with self._lock:
            known = self._days if self._days is not None and self._days[0] == key else None
        if known is not None:
            return known[1]
        found = self._indexed(spec, grouping)
        self.last_path = "sql" if found is None else "index"
        if found is None:
            found = self._aggregate(lane, "(start::DATE - DATE '1970-01-01')", where)
        days = found.column("b").to_numpy().astype(np.int64)
        first = int(days.min()) if len(days) else 0
        span = int(days.max()) - first + 1 if len(days) else 0
        table = found.set_column(1, "b", pa.array(days - first))
        counts = Counts.of(table, len(lane.labels), (first + np.arange(span + 1)) * NS_PER_DAY)
        with self._lock:  # one filter kept: the one shown
            self._days = (key, counts)
        return counts

    def _indexed(self, spec: FilterSpec, grouping: str) -> pa.Table | None:
        """The filter's counts per lane and day from the day index (day_index.py: no
        event read), when it is made and answers this filter and grouping."""
        facets = self.trends.facets
        column = GROUPINGS[grouping][0] if grouping != "actor" else ""
        if facets is None or column not in LANE_COLUMNS or not serves(spec):
            return None
        index = facets.day_index()
        if index is None:
            return None
        _labels, lane_of = self.trends.lanes(grouping)
        return day_table(index, spec, column, lane_of)

    def _aggregate(self, lane: LanePlan, bin_expr: str, where: str) -> pa.Table:
        # Data without milestones or bands at all (most) is spared their tests (a third
        # of the query at 10M rows).
        present = set(self.engine.distinct("category"))
        milestones = (
            f"count(*) FILTER (WHERE {MILESTONE})" if MILESTONE_CATEGORY in present else "0"
        )
        bands = f"count(*) FILTER (WHERE {BAND})" if present & set(BAND_CATEGORIES) else "0"
        with self._tracked():
            found = self.engine.query(
                f"SELECT {lane.column} AS lane, {bin_expr} AS b, count(*) AS n, "
                f"count(*) FILTER (WHERE {UNKNOWN_TOLL}) AS unknown, "
                f"coalesce(sum(fatalities) FILTER (WHERE NOT {UNKNOWN_TOLL}), 0) AS f, "
                f"{milestones} AS milestones, {bands} AS bands, "
                "min(epoch_ns(start)) AS lo, max(epoch_ns(start)) AS hi "
                f"FROM {VIEW} WHERE {where} GROUP BY ALL"
            )
        return lane.pairs(found)

    def _events(
        self,
        ask: TimelineAsk,
        where: str,
        lane: LanePlan,
        fetched: np.ndarray,
        milestone: str | None,
        band: str | None,
    ) -> tuple[pa.Table, bool]:
        """The events to draw one by one: those of the lanes shown as marks (a vague
        date a little before the span, a period begun before it), the milestones and
        the bands; at most MAX_ROWS (past it, those of the view only)."""
        s0, s1 = ask.span
        columns = ", ".join(sql.ident(c) for c in EVENT_COLUMNS if c in self.engine.types)
        since = sql.timestamp_ns(s0 - NS_PER_DAY)  # a bare date: its whole day
        faded = f'"end" >= {sql.timestamp_ns(s0 - 31 * NS_PER_DAY)}'  # a period's fade
        # A vague date touches the span while its week, month or year reaches into it.
        month, year = (
            int(np.datetime64(s0, "ns").astype(f"datetime64[{c}]").astype("datetime64[ns]").view(np.int64))
            for c in ("M", "Y")
        )  # fmt: skip
        vague = (
            f"(date_precision = 'week' AND start > {sql.timestamp_ns(s0 - 7 * NS_PER_DAY)}) "
            f"OR (date_precision = 'month' AND start >= {sql.timestamp_ns(month)}) "
            f"OR (date_precision = 'year' AND start >= {sql.timestamp_ns(year)})"
        )
        earlier = f'start >= {since} OR {vague} OR ("end" > start AND {faded})'
        wanted = []
        chosen = [int(i) for i in np.flatnonzero(fetched)]
        if chosen:
            wanted.append(f"({lane.within(chosen)} AND ({earlier}))")
        if milestone is not None:
            wanted.append(f"({milestone} AND (start >= {since} OR {vague}))")
        if band is not None:
            wanted.append(f"({band} AND {faded})")
        lookback = sql.timestamp_ns(s0 - LOOKBACK_NS)
        own = f", {lane.column} AS {LANE}" if lane.actors is None else ""
        select = f"SELECT {columns}, {KEY}{own} FROM {VIEW} WHERE "
        if not wanted:  # nothing to read (a view of dense lanes): no scan, the columns only
            return lane.placed(self._no_rows(select)), False
        text = (
            f"{select}({where}) "
            f"AND start >= {lookback} AND start <= {sql.timestamp_ns(s1)} "
            f"AND {sql.any_of(wanted)} LIMIT {MAX_ROWS + 1}"
        )
        with self._tracked():
            rows = self.engine.query(text)
        truncated = rows.num_rows > MAX_ROWS
        return lane.placed(rows.slice(0, MAX_ROWS)), truncated

    def _no_rows(self, select: str) -> pa.Table:
        """No rows, with the columns ``select`` reads (asked once per SELECT)."""
        with self._lock:
            known = self._empty.get(select)
        if known is None:
            with self._tracked():
                known = self.engine.query(f"{select}false LIMIT 0")
            with self._lock:
                self._empty[select] = known
        return known

    # -- the whole filter -------------------------------------------------------------------
    def overview(self, spec: FilterSpec) -> Overview:
        """The filter's events per bin over their extent, as the overview strip bins.
        Not one of the timeline's own queries that a newer view stops: it is the same
        for every view (a new filter's count and Cancel, the engine's interrupt, still stop it)."""
        where = self.engine.where(spec)
        extent = self.engine.date_range(spec)
        if extent is None:
            return Overview(np.zeros(1, np.int64), np.zeros(0), None)
        a, b = extent
        pad = max((b - a) // 30, NS_PER_DAY)
        unit = choose_bin_unit(b + pad - (a - pad), OVERVIEW_PX, min_px=2)
        edges = bin_edges(a - pad, b + pad, unit)
        found = self.engine.query(
            f"SELECT {bin_sql(unit, int(edges[0]))} AS b, count(*) AS n FROM {VIEW} "
            f"WHERE {where} GROUP BY ALL"
        )
        counts = np.zeros(len(edges) - 1)
        at = found.column("b").to_numpy()
        if unit in ("month", "year"):
            at = np.searchsorted(edges, at, side="right") - 1
        at = at.astype(np.int64)
        ok = (at >= 0) & (at < len(counts))
        np.add.at(counts, at[ok], found.column("n").to_numpy()[ok])
        found = self.engine.query(f"SELECT DISTINCT category FROM {VIEW} WHERE {where}")
        present = {str(c) for c in found.column(0).to_pylist() if c is not None}
        rank = {c: i for i, c in enumerate(CATEGORIES)}
        categories = tuple(sorted(present, key=lambda c: (rank.get(c, len(rank)), c)))
        return Overview(edges, counts, extent, categories)

    def bar_events(
        self, bar: BarSelection, current: int | None = None
    ) -> tuple[int | None, int, bool]:
        """A selected bar's events (model/timeline/remote.BarSelection): the first in
        reading order's key (the memory table's first row), how many, and whether the
        event of key ``current`` is one of them."""
        where = self._bar_where(bar)
        if where is None:
            return None, 0, False
        kept = "0" if current is None else f"count(*) FILTER (WHERE __key = {int(current)})"
        # Not the timeline's own (a newer view interrupts those): the user's click.
        found = self.engine.query(f"SELECT min(__key), count(*), {kept} FROM {VIEW} WHERE {where}")
        key, n, hit = (found.column(i)[0].as_py() for i in range(3))
        return (None if key is None else int(key)), int(n), bool(hit)

    def bar_keys(self, bar: BarSelection, limit: int) -> np.ndarray:
        """The keys of a selected bar's events, the first ``limit`` in reading order
        (the selection the table and the map show)."""
        where = self._bar_where(bar)
        if where is None:
            return np.empty(0, np.int64)
        found = self.engine.query(
            f"SELECT __key FROM {VIEW} WHERE {where} ORDER BY __key LIMIT {int(limit)}"
        )
        return found.column(0).to_numpy().astype(np.int64)

    def _bar_where(self, bar: BarSelection) -> str | None:
        plan = self.lanes(bar.grouping, own=False)
        if not 0 <= bar.lane < len(plan.labels):
            return None
        return sql.all_of(
            [
                *(f"({self.engine.where(spec)})" for spec in bar.specs),
                plan.within([bar.lane]),
                f"start >= {sql.timestamp_ns(bar.lo)} AND start < {sql.timestamp_ns(bar.hi)}",
            ]
        )

    def range_totals(self, spec: FilterSpec, a: int, b: int) -> tuple[int, float, int]:
        """(events, known fatalities, unknown tolls) of the filter's events overlapping
        [a, b] ns (the memory index's range_totals)."""
        with self._tracked():
            found = self.engine.query(
                f"SELECT count(*), coalesce(sum(fatalities) FILTER (WHERE NOT {UNKNOWN_TOLL}), 0), "
                f"count(*) FILTER (WHERE {UNKNOWN_TOLL}) FROM {VIEW} "
                f"WHERE ({self.engine.where(spec)}) AND start <= {sql.timestamp_ns(b)} "
                f'AND "end" >= {sql.timestamp_ns(a)}'
            )
        n, fat, unknown = (found.column(i)[0].as_py() for i in range(3))
        return int(n), float(fat or 0.0), int(unknown)


def bin_sql(unit: str, first_edge: int) -> str:
    """A row's bin: its number from ``first_edge`` (hours, days, weeks: by arithmetic on
    the ns), or its month's or year's first instant in ns (found among the edges)."""
    if unit in ("month", "year"):
        return f"epoch_ns(date_trunc('{unit}', start))"
    return f"((epoch_ns(start) - ({int(first_edge)})) // {_LENGTH[unit]})"


@dataclass(frozen=True)
class Counts:
    """Per lane and fine bin (hours or days, from ``starts[0]``): events, unknown tolls,
    known fatalities, milestones and bands; summed into any coarser calendar bins."""

    starts: np.ndarray  # ns where each fine bin starts (one more: where the last ends)
    events: np.ndarray  # (lanes, fine bins)
    unknown: np.ndarray
    fatalities: np.ndarray
    milestones: np.ndarray  # (fine bins,)
    bands: np.ndarray
    first: np.ndarray  # (lanes, fine bins) the earliest start (ns; none: int64 max)
    last: np.ndarray  # (lanes, fine bins) the latest start (ns; none: int64 min)

    @classmethod
    def of(cls, found: pa.Table, n_lanes: int, starts: np.ndarray) -> Counts:
        n_bins = max(len(starts) - 1, 0)
        lanes = found.column("lane").to_numpy().astype(np.int64)
        at = found.column("b").to_numpy().astype(np.int64)
        ok = (at >= 0) & (at < n_bins) & (lanes >= 0) & (lanes < n_lanes)
        lanes, at = lanes[ok], at[ok]

        def grid(name: str, dtype: type) -> np.ndarray:
            out: np.ndarray = np.zeros((n_lanes, n_bins), dtype)
            np.add.at(out, (lanes, at), found.column(name).to_numpy()[ok])
            return out

        def line(name: str) -> np.ndarray:
            return np.bincount(at, weights=found.column(name).to_numpy()[ok], minlength=n_bins)

        def bound(name: str, ufunc: np.ufunc, empty: int) -> np.ndarray:
            out = np.full((n_lanes, n_bins), empty, np.int64)
            ufunc.at(out, (lanes, at), found.column(name).to_numpy().astype(np.int64)[ok])
            return out

        return cls(
            np.asarray(starts, np.int64),
            grid("n", np.int64),
            grid("unknown", np.int64),
            grid("f", np.float64),
            line("milestones"),
            line("bands"),
            bound("lo", np.minimum, np.iinfo(np.int64).max),
            bound("hi", np.maximum, np.iinfo(np.int64).min),
        )

    def binned(self, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(events, known fatalities, unknown tolls) per lane and bin of ``edges``
        (edges at whole fine bins: the calendar's)."""
        at = np.searchsorted(edges, self.starts[:-1], side="right") - 1
        ok = (at >= 0) & (at < len(edges) - 1)
        n_lanes, n_bins = self.events.shape[0], len(edges) - 1

        def summed(values: np.ndarray, dtype: type) -> np.ndarray:
            out: np.ndarray = np.zeros((n_lanes, n_bins), dtype)
            if ok.any():
                cols = values[:, ok]
                for lane in range(n_lanes):  # a few lanes, each one bincount
                    out[lane] = np.bincount(at[ok], weights=cols[lane], minlength=n_bins)
            return out

        return (
            summed(self.events, np.float64),
            summed(self.fatalities, np.float64),
            summed(self.unknown, np.int64),
        )

    def _bins_in(self, a: int, b: int) -> tuple[slice, slice]:
        """The fine bins wholly inside [a, b], and those touching it."""
        s = self.starts
        inner = slice(
            int(np.searchsorted(s, a, side="left")),
            max(int(np.searchsorted(s, b + 1, side="right")) - 1, 0),
        )
        outer = slice(
            max(int(np.searchsorted(s, a, side="right")) - 1, 0),
            int(np.searchsorted(s, b, side="right")),
        )
        return inner, outer  # fmt: skip

    def outside(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Per lane, the events of the bins touching [a, b] known to start outside it
        (by their bins' earliest and latest starts), and whether some bin leaves it
        unknown (events on both sides of an edge)."""
        inner, outer = self._bins_in(a, b)
        n_lanes = self.events.shape[0]
        known, unsure = np.zeros(n_lanes, np.int64), np.zeros(n_lanes, bool)
        for j in range(outer.start, outer.stop):  # the edge bins: two at most
            if inner.start <= j < inner.stop:
                continue
            lo, hi, n = self.first[:, j], self.last[:, j], self.events[:, j]
            out = (hi < a) | (lo > b)
            known += np.where(out, n, 0)
            unsure |= (n > 0) & ~out & ((lo < a) | (hi > b))
        return known, unsure

    def in_view(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Per lane, at least and at most how many events start in [a, b]."""
        inner, outer = self._bins_in(a, b)
        low: np.ndarray = self.events[:, inner].sum(axis=1)
        high: np.ndarray = self.events[:, outer].sum(axis=1)
        return low, high

    def reach(self, a: int, b: int) -> tuple[int, int]:
        """Where the fine bins touching [a, b] start and end (ns)."""
        outer = self._bins_in(a, b)[1]
        last = len(self.starts) - 1
        return int(self.starts[min(outer.start, last)]), int(self.starts[min(outer.stop, last)])

    def touching(self, kind: str, a: int, b: int) -> float:
        """Milestones or bands starting in the fine bins touching [a, b]."""
        values: np.ndarray = getattr(self, kind)
        return float(values[self._bins_in(a, b)[1]].sum())

    def milestones_in(self, a: int, b: int) -> float:
        return float(self.milestones[self._bins_in(a, b)[0]].sum())

    def bands_in(self, a: int, b: int) -> float:
        return float(self.bands[self._bins_in(a, b)[0]].sum())
