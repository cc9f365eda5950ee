"""The Trends chart's counts from SQL: the same :class:`~timeline_app.model.trends.Series`
as model/trends/series.count_series gives for the same rows, by one GROUP BY.

The calendar is the whole data's (its first to last known start, as the memory engine
bins a table), and the lanes are chosen from the whole data's counts per value by the
memory engine's own rule (model/timeline/lanes.choose_lanes), so that they stay put
while the user filters. Grouped by actor an event sits in several lanes: see
storage/duck/actor_trends.py.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.timeline.dates import bin_edges
from timeline_app.model.timeline.index import BAND_CATEGORIES, MILESTONE_CATEGORY
from timeline_app.model.timeline.lanes import GROUPINGS, choose_lanes
from timeline_app.model.trends.series import (
    MEASURES,
    UNITS,
    Series,
    auto_unit,
    shown_series,
)
from timeline_app.model.units import NS_PER_DAY, NS_PER_S
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.source import VIEW, EngineError

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine
    from timeline_app.storage.duck.facets import FacetCounter

#: A toll that is unknown: NULL in Parquet, or NaN.
UNKNOWN_TOLL = "(fatalities IS NULL OR isnan(fatalities))"
#: Per group: events, events of an unknown toll, known tolls summed.
TOLL_AGGREGATES = (
    f"count(*) AS n, count(*) FILTER (WHERE {UNKNOWN_TOLL}) AS unknown, "
    f"coalesce(sum(CASE WHEN {UNKNOWN_TOLL} THEN 0 ELSE fatalities END), 0) AS f"
)


class TrendCounter:
    """Counts per lane and calendar bin over one engine's data (the whole data's lanes
    and first and last start are read once, then kept)."""

    def __init__(self, engine: DuckEngine, facets: FacetCounter | None = None) -> None:
        self.engine = engine
        self.facets = facets  # the actor names, for the lanes by actor
        self._lock = threading.Lock()
        self._lanes: dict[str, tuple[tuple[str, ...], dict[str | None, int]]] = {}
        self._span: tuple[int, int] | None | bool = False  # False: not read yet

    def lanes(self, grouping: str) -> tuple[tuple[str, ...], dict[str | None, int]]:
        """The lanes' labels and each value's lane (None: unknown)."""
        with self._lock:
            known = self._lanes.get(grouping)
        if known is not None:
            return known
        column = GROUPINGS[grouping][0]
        found = self.engine.query(
            f"SELECT {sql.ident(column)} AS v, count(*) AS n FROM {VIEW} GROUP BY ALL"
        )
        values = found.column("v").to_pylist()
        counts = found.column("n").to_numpy()
        named = [(str(v), int(n)) for v, n in zip(values, counts, strict=True) if v is not None]
        if grouping == "dataset":  # in the order the files were opened
            order = {name: i for i, name in enumerate(self.engine_names())}
            named.sort(key=lambda item: (order.get(item[0], len(order)), item[0]))
        else:  # as a table's categories are: sorted
            named.sort()
        names = [name for name, _n in named]
        labels, lookup = choose_lanes(
            grouping, names, np.array([n for _v, n in named], np.int64), int(counts.sum())
        )
        lane_of: dict[str | None, int] = {name: int(lookup[i]) for i, name in enumerate(names)}
        lane_of[None] = int(lookup[-1])
        with self._lock:
            self._lanes[grouping] = (labels, lane_of)
        return labels, lane_of

    def engine_names(self) -> list[str]:
        return list(self.engine.dataset_names)

    def span(self) -> tuple[int, int] | None:
        """The whole data's first and last known start (ns)."""
        with self._lock:
            known = self._span
        if known is not False:
            return known  # type: ignore[return-value]
        found = self.engine.query(f"SELECT epoch_ns(min(start)), epoch_ns(max(start)) FROM {VIEW}")
        lo, hi = found.column(0)[0].as_py(), found.column(1)[0].as_py()
        span = None if lo is None else (int(lo), int(hi))
        with self._lock:
            self._span = span
        return span

    def series(
        self,
        spec: FilterSpec,
        unit: str = "auto",
        grouping: str = "category",
        measure: str = "events",
        span_ns: tuple[int, int] | None = None,
    ) -> Series:
        """What ``count_series`` gives for the rows ``spec`` keeps."""
        if measure not in MEASURES:
            raise ValueError(f"unknown measure {measure!r} (one of {MEASURES})")
        where = self.engine.where(spec)
        totals = self.engine.query(
            "SELECT count(*) AS n, count(start) AS dated, epoch_ns(min(start)) AS lo, "
            f"epoch_ns(max(start)) AS hi FROM {VIEW} WHERE {where}"
        )
        total, dated = (int(totals.column(c)[0].as_py()) for c in ("n", "dated"))
        lo, hi = totals.column("lo")[0].as_py(), totals.column("hi")[0].as_py()
        if unit == "auto":
            unit = auto_unit(None if lo is None else (int(lo), int(hi)), span_ns)
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r} (one of {('auto', *UNITS)})")
        whole = self.span()
        edges = bin_edges(*whole, unit) if whole else np.zeros(1, np.int64)
        once = once_unknown = None
        if grouping == "actor":  # lanes that overlap
            from timeline_app.storage.duck.actor_trends import actor_cells  # (it imports this)

            if self.facets is None:
                raise EngineError("trends grouped by actor need the engine's actor names")
            cells = actor_cells(self.engine, self.facets.facet_table(), where, unit, edges)
            labels, events, unknown, summed = (
                cells.labels,
                cells.events,
                cells.unknown,
                cells.summed,
            )
            once = (cells.once_summed if measure == "fatalities" else cells.once_events).astype(
                np.float64
            )
            once_unknown = cells.once_unknown
        else:
            labels, events, unknown, summed = self._cells(where, unit, grouping, edges)
        values = summed if measure == "fatalities" else events.astype(np.float64)
        every_bin = Series(
            unit=unit,
            measure=measure,
            grouping=grouping,
            labels=labels,
            edges=edges,
            values=values,
            events=events,
            unknown=unknown,
            total_events=total,
            undated=total - dated,
            once=once,
            once_unknown=once_unknown,
        )
        return shown_series(every_bin, span_ns)

    def _cells(
        self, where: str, unit: str, grouping: str, edges: np.ndarray
    ) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
        """Per lane and bin: events, unknown tolls, known tolls summed."""
        labels, lane_of = self.lanes(grouping)
        nbins, ngroups = len(edges) - 1, len(labels)
        column = sql.ident(GROUPINGS[grouping][0])
        # date_trunc's calendar is bin_edges' (weeks from Monday, months, years, days).
        found = self.engine.query(
            f"SELECT {column} AS v, epoch_ns(date_trunc('{unit}', start)) AS b, "
            f"{TOLL_AGGREGATES} FROM {VIEW} WHERE ({where}) AND start IS NOT NULL GROUP BY ALL"
        )
        events = np.zeros((ngroups, nbins), np.int64)
        unknown = np.zeros((ngroups, nbins), np.int64)
        summed = np.zeros((ngroups, nbins), np.float64)
        if found.num_rows and nbins:
            lane = np.array([lane_of.get(v, lane_of[None]) for v in found.column("v").to_pylist()])
            at = np.searchsorted(edges, found.column("b").to_numpy(), side="right") - 1
            np.add.at(events, (lane, at), found.column("n").to_numpy())
            np.add.at(unknown, (lane, at), found.column("unknown").to_numpy())
            np.add.at(summed, (lane, at), found.column("f").to_numpy())
        return labels, events, unknown, summed


Milestones = list[tuple[float, str]]
Bands = list[tuple[float, float, str]]


def trend_marks(engine: DuckEngine, lo: int, hi: int, limit: int) -> tuple[Milestones, Bands]:
    """The chart's milestones (start s, title) and mourning or blockade periods (start s,
    end of their last day s, category) over ``[lo, hi)`` ns: the first ``limit`` of
    each in the data's order, whatever the filter, as ui/trends/widget.py finds them in
    memory."""
    overlaps = f'start < {sql.timestamp_ns(hi)} AND "end" >= {sql.timestamp_ns(lo)}'
    found = []
    for which in (
        f"category = {sql.text(MILESTONE_CATEGORY)}",
        sql.in_list("category", BAND_CATEGORIES),
    ):
        found.append(
            engine.query(
                f'SELECT epoch_ns(start) AS s, epoch_ns("end") AS e, title, category '
                f"FROM {VIEW} WHERE {which} AND {overlaps} ORDER BY __key LIMIT {int(limit)}"
            )
        )
    # Seconds as numpy divides the memory engine's int64 nanoseconds (to the last bit).
    first, second = found
    starts = first.column("s").to_numpy().astype(np.int64) / NS_PER_S
    milestones = list(
        zip(starts.tolist(), map(str, first.column("title").to_pylist()), strict=True)
    )
    a = second.column("s").to_numpy().astype(np.int64) / NS_PER_S
    b = (second.column("e").to_numpy().astype(np.int64) + NS_PER_DAY) / NS_PER_S
    labels = map(str, second.column("category").to_pylist())
    bands = list(zip(a.tolist(), b.tolist(), labels, strict=True))
    return milestones, bands
