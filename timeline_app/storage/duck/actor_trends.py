"""The Trends chart grouped by actor, from SQL: an event sits in the lane of each of its
actors (any side) and in "other" when it names none of the lanes' actors, as the
memory engine counts it (model/timeline/lanes.py, model/trends/series.py).

The lanes are chosen by the memory engine's own rule (lanes.actor_choice) from the
Filters dock's table of distinct actor names (storage/duck/facets.py) weighted by
their events, so they are the memory engine's. A filter's counts are one GROUP BY of
the actor columns and the bin; each group's names are given the facet table's codes,
and the memory engine's membership (lanes.actor_members) spreads its counts to its
lanes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from timeline_app.model.actors import ACTOR_COLUMNS
from timeline_app.model.events import EventTable
from timeline_app.model.facets import ActorIndex, actor_counts, actor_index
from timeline_app.model.timeline.lanes import OTHER, actor_choice, actor_members
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.facet_scan import ACTORS
from timeline_app.storage.duck.facets import FacetTable
from timeline_app.storage.duck.source import VIEW
from timeline_app.storage.duck.trends import TOLL_AGGREGATES

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine


@dataclass
class ActorCells:
    """Per lane and bin: events, unknown tolls and known tolls summed; per bin, each
    event once (the lanes overlap)."""

    labels: tuple[str, ...]
    events: np.ndarray
    unknown: np.ndarray
    summed: np.ndarray
    once_events: np.ndarray
    once_unknown: np.ndarray
    once_summed: np.ndarray


def actor_lanes(facet: FacetTable) -> tuple[list[str], np.ndarray, int | None]:
    """The lanes' labels, each actor's lane, and the "other" lane (None: every event
    names a lane's actor)."""
    table = facet.table
    rows = facet.part == ACTORS
    actors = actor_index(table)
    counts = actor_counts(table, rows, np.where(rows, facet.events, 0.0))
    labels, lane_of_actor = actor_choice(actors, counts)
    *_, placed = actor_members(actors, lane_of_actor, *_codes(table, actors, None))
    other = None
    if (rows & (facet.events > 0) & ~placed).any() or not labels:
        labels.append(OTHER)
        other = len(labels) - 1
    return labels, lane_of_actor, other


def actor_cells(
    engine: DuckEngine, facet: FacetTable, where: str, unit: str, edges: np.ndarray
) -> ActorCells:
    lanes = ActorLanes.of(facet)
    nbins, ngroups = len(edges) - 1, len(lanes.labels)
    columns = ", ".join(sql.ident(c) for c in ACTOR_COLUMNS)
    found = engine.query(
        f"SELECT {columns}, epoch_ns(date_trunc('{unit}', start)) AS b, {TOLL_AGGREGATES} "
        f"FROM {VIEW} WHERE ({where}) AND start IS NOT NULL GROUP BY ALL"
    )
    grids = [np.zeros((ngroups, nbins), dtype) for dtype in (np.int64, np.int64, np.float64)]
    lines = [np.zeros(nbins, dtype) for dtype in (np.int64, np.int64, np.float64)]
    if found.num_rows and nbins:
        group, lane, _primary = lanes.spread(found)
        at = np.searchsorted(edges, found.column("b").to_numpy(), side="right") - 1
        for grid, line, name in zip(grids, lines, ("n", "unknown", "f"), strict=True):
            values = found.column(name).to_numpy()
            np.add.at(grid, (lane, at[group]), values[group])
            np.add.at(line, at, values)
    return ActorCells(lanes.labels, *grids, *lines)


@dataclass(frozen=True)
class ActorLanes:
    """The lanes by actor over a facet table, and which of them an event is in: for
    rows read (numpy, :meth:`spread`) and as SQL (:meth:`conditions`), both by the
    memory engine's membership (lanes.actor_members)."""

    facet: FacetTable
    labels: tuple[str, ...]
    lane_of_actor: np.ndarray
    other: int | None

    @classmethod
    def of(cls, facet: FacetTable) -> ActorLanes:
        labels, lane_of_actor, other = actor_lanes(facet)
        return cls(facet, tuple(labels), lane_of_actor, other)

    def spread(self, rows: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per (row, lane) pair of ``rows`` (the actor columns read): the row, the lane,
        and whether it is the row's first lane (its first side's); sorted by row."""
        table = self.facet.table
        actors = actor_index(table)
        names = {c: rows.column(c).to_pandas() for c in ACTOR_COLUMNS}
        at, lanes, primary, placed = actor_members(
            actors, self.lane_of_actor, *_codes(table, actors, names)
        )
        if self.other is not None:
            nobody = np.flatnonzero(~placed)
            at.append(nobody)
            lanes.append(np.full(len(nobody), self.other, dtype=np.int16))
            primary.append(np.ones(len(nobody), dtype=bool))
        row = np.concatenate(at).astype(np.int64)
        by_row = np.argsort(row, kind="stable")  # a row's sides stay in their order
        lane = np.concatenate(lanes).astype(np.int64)[by_row]
        return row[by_row], lane, np.concatenate(primary)[by_row]

    def conditions(self) -> list[str]:
        """Per lane, the SQL condition of an event being in it: the values of each actor
        column that put an event in the lane, found by the membership itself run over
        the facet table's values of that column alone."""
        table = self.facet.table
        actors = actor_index(table)
        named: list[list[str]] = [[] for _ in self.labels]
        for k, column in enumerate(ACTOR_COLUMNS):
            if column == "assoc_actors" and not actors.assoc_slots:
                continue
            values = [str(v) for v in table.df[column].cat.categories]
            nobody = np.full(len(values), -1, np.int64)
            sides = [nobody, nobody, nobody]
            sides[k] = np.arange(len(values), dtype=np.int64)
            assoc = sides[2] if actors.assoc_slots else None
            at, lanes, *_ = actor_members(actors, self.lane_of_actor, sides[0], sides[1], assoc)
            rows, lane = np.concatenate(at), np.concatenate(lanes)
            for j in np.unique(lane):
                chosen = [values[i] for i in rows[lane == j]]
                named[int(j)].append(sql.in_list(column, chosen))
        conditions = [sql.any_of(clauses) for clauses in named]
        if self.other is not None:  # in none of the actors' lanes (a NULL name: in none)
            anyone = sql.any_of(c for i, c in enumerate(conditions) if i != self.other)
            conditions[self.other] = f"NOT coalesce({anyone}, false)"
        return conditions


def _codes(
    table: EventTable, actors: ActorIndex, names: dict[str, pd.Series] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The facet table's own codes (``names`` None), or those of ``names`` in its
    categories (a name it does not list, a blank one, is unknown: -1)."""
    out = []
    for column in ACTOR_COLUMNS:
        if names is None:
            out.append(table.codes(column))
        else:
            categories = table.df[column].cat.categories
            codes = pd.Categorical(names[column], categories=categories).codes
            out.append(np.asarray(codes, dtype=np.int64))
    return out[0], out[1], out[2] if actors.assoc_slots else None
