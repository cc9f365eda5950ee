"""The before-and-after comparison from SQL: the :class:`~timeline_app.model.trends.Comparison`
that model/trends.compare gives for the same rows, the memory engine's rules applied to
SQL aggregates.

- The weeks: one GROUP BY of the 2W week slots (``(start - first) // 1 week``, the
  slots of model/trends/compare.window_ns) with the Trends chart's toll aggregates
  (unknown tolls counted apart, never as 0); the memory engine's ``comparison`` adds
  them up.
- The actors with the largest change: one GROUP BY of the actor columns over the
  window's rows, counted before and after; the groups become a small table with the
  Filters dock's actor categories (storage/duck/facets.py), so that the memory engine's
  own ``actor_counts`` names and counts each actor as in memory.
- The notes (a dataset not covering the weeks): each dataset's first and last start.
- The outer ring: the filters but for their place within the outer radius, less the
  inner circle (model/trends.outer_ring checks the choice, as in memory).
- The window's "within R km" default centre: the median of the located events kept,
  found as numpy finds it (the mean of the two middle values).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from timeline_app.model.actors import ACTOR_COLUMNS
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.facets import actor_counts, actor_index
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.provenance import source_record
from timeline_app.model.schema import conform_columns
from timeline_app.model.trends.compare import (
    TOP_ACTORS,
    ActorChange,
    Comparison,
    Span,
    actor_changes,
    comparison,
    outer_ring,
    window_ns,
)
from timeline_app.model.units import NS_PER_WEEK
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.aliases import PARQUET_FORMAT
from timeline_app.storage.duck.provenance import event_counts, source_datasets
from timeline_app.storage.duck.source import VIEW
from timeline_app.storage.duck.trends import TOLL_AGGREGATES

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine
    from timeline_app.storage.duck.facets import FacetCounter

#: A located event: both coordinates known (NULL in Parquet, or NaN).
LOCATED = (
    "latitude IS NOT NULL AND longitude IS NOT NULL "
    "AND NOT isnan(latitude) AND NOT isnan(longitude)"
)


class CompareCounter:
    """Before-and-after counts over one engine's data (the datasets' spans and
    descriptions are read once, then kept)."""

    def __init__(self, engine: DuckEngine, facets: FacetCounter) -> None:
        self.engine = engine
        self.facets = facets  # the actor categories
        self._lock = threading.Lock()
        self._spans: list[Span] | None = None
        self._datasets: list[Dataset] | None = None
        self._centre: tuple[str, tuple[float, float] | None] | None = None  # the last one

    def where(self, spec: FilterSpec) -> str:
        return self.engine.where(spec)

    def ring_where(self, spec: FilterSpec, outer_km: float) -> str:
        """The outer ring's rows (ValueError: no distance filter, or a narrower ring)."""
        base, (lat, lon, km) = outer_ring(spec, outer_km)
        outer = self.engine.where(base.with_(near=(lat, lon, float(outer_km))))
        inner = self.engine.where(FilterSpec(near=(lat, lon, km)))
        return f"({outer}) AND NOT coalesce(({inner}), false)"

    def compare(
        self, where: str, at_ns: int, weeks: int, top_actors: int = TOP_ACTORS
    ) -> Comparison:
        """What model/trends.compare gives for the rows ``where`` keeps."""
        if weeks < 1:
            raise ValueError("weeks must be at least 1")
        at_ns = int(at_ns)
        lo, hi = window_ns(at_ns, weeks)
        inside = f"({where}) AND start >= {sql.timestamp_ns(lo)} AND start < {sql.timestamp_ns(hi)}"
        found = self.engine.query(
            f"SELECT (epoch_ns(start) - {lo}) // {NS_PER_WEEK} AS slot, {TOLL_AGGREGATES} "
            f"FROM {VIEW} WHERE {inside} GROUP BY ALL"
        )
        n = 2 * weeks
        events = np.zeros(n, np.int64)
        fatalities = np.zeros(n, np.float64)
        unknowns = np.zeros(n, np.int64)
        slot = found.column("slot").to_numpy().astype(np.int64)  # one row per slot
        events[slot] = found.column("n").to_numpy()
        fatalities[slot] = found.column("f").to_numpy()
        unknowns[slot] = found.column("unknown").to_numpy()
        actors = self._actor_changes(inside, at_ns, top_actors)
        return comparison(at_ns, weeks, events, fatalities, unknowns, actors, self.spans())

    def _actor_changes(self, inside: str, at_ns: int, top: int) -> tuple[ActorChange, ...]:
        columns = ", ".join(sql.ident(c) for c in ACTOR_COLUMNS)
        at = sql.timestamp_ns(at_ns)
        found = self.engine.query(
            f"SELECT {columns}, count(*) FILTER (WHERE start < {at}) AS b, "
            f"count(*) FILTER (WHERE start >= {at}) AS a FROM {VIEW} WHERE {inside} GROUP BY ALL"
        )
        if not found.num_rows:
            return ()
        facet = self.facets.facet_table().table
        groups: dict[str, Any] = {
            c: pd.Series(
                pd.Categorical(found.column(c).to_pandas(), categories=facet.df[c].cat.categories)
            )
            for c in ACTOR_COLUMNS
        }
        events = conform_columns(groups, found.num_rows, canonical=ACTOR_COLUMNS)
        table = EventTable([Dataset("window", events, LoadReport(PARQUET_FORMAT))])
        every = np.ones(len(table), dtype=bool)
        before = actor_counts(table, every, found.column("b").to_numpy().astype(np.float64))
        after = actor_counts(table, every, found.column("a").to_numpy().astype(np.float64))
        return actor_changes(actor_index(table).names, before, after, top)

    def spans(self) -> list[Span]:
        """Each dataset's name, first and last start, in the inputs' order."""
        with self._lock:
            known = self._spans
        if known is not None:
            return known
        found = self.engine.query(
            f"SELECT dataset, epoch_ns(min(start)) AS lo, epoch_ns(max(start)) AS hi "
            f"FROM {VIEW} GROUP BY dataset"
        )
        by_name = {
            str(name): (int(lo), int(hi))
            for name, lo, hi in zip(*(found.column(c).to_pylist() for c in ("dataset", "lo", "hi")),
                                    strict=True)
            if lo is not None
        }  # fmt: skip
        spans = [(name, *by_name[name]) for name in self.engine.dataset_names if name in by_name]
        with self._lock:
            self._spans = spans
        return spans

    def centre(self, spec: FilterSpec) -> tuple[float, float] | None:
        """The median latitude and longitude of the located events ``spec`` keeps (None:
        none is located), as numpy's median gives them: the mean of the middle two
        values (one scan: the lower middle is ``quantile_disc(x, 0.5)``, the upper one
        that of ``-x``, negated)."""
        middles = ", ".join(
            f"quantile_disc({c}, 0.5), -quantile_disc(-{c}, 0.5)" for c in ("latitude", "longitude")
        )
        where = f"({self.engine.where(spec)}) AND {LOCATED}"
        with self._lock:
            if self._centre is not None and self._centre[0] == where:
                return self._centre[1]  # the filters did not change: a week or area did
        found = self.engine.query(f"SELECT count(*), {middles} FROM {VIEW} WHERE {where}")
        row = [found.column(i)[0].as_py() for i in range(found.num_columns)]
        centre = None
        if row[0]:
            lat, lon = (float(np.median(np.array(row[i : i + 2], np.float64))) for i in (1, 3))
            centre = lat, lon
        with self._lock:
            self._centre = (where, centre)
        return centre

    def datasets(self) -> list[Dataset]:
        """The inputs as the memory engine describes them (for the files' provenance)."""
        with self._lock:
            if self._datasets is None:  # kept: a file is hashed once
                self._datasets = source_datasets(self.engine)
            return self._datasets

    def sources(self, where: str) -> list[dict[str, Any]]:
        """The sidecar's ``sources``: each input, its events, and those ``where`` keeps."""
        totals, kept = event_counts(self.engine), event_counts(self.engine, where)
        return [
            source_record(d, kept.get(d.name, 0), totals.get(d.name, 0)) for d in self.datasets()
        ]
