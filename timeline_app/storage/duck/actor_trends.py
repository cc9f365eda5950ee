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

from timeline_app.model.actors import ACTOR_COLUMNS
from timeline_app.model.events import EventTable
from timeline_app.model.facets import ActorIndex, actor_counts, actor_index
from timeline_app.model.timeline.lanes import OTHER, actor_choice, actor_members
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.facets import ACTORS, FacetTable
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
    labels, lane_of_actor, other = actor_lanes(facet)
    nbins, ngroups = len(edges) - 1, len(labels)
    columns = ", ".join(sql.ident(c) for c in ACTOR_COLUMNS)
    found = engine.query(
        f"SELECT {columns}, epoch_ns(date_trunc('{unit}', start)) AS b, {TOLL_AGGREGATES} "
        f"FROM {VIEW} WHERE ({where}) AND start IS NOT NULL GROUP BY ALL"
    )
    grids = [np.zeros((ngroups, nbins), dtype) for dtype in (np.int64, np.int64, np.float64)]
    lines = [np.zeros(nbins, dtype) for dtype in (np.int64, np.int64, np.float64)]
    if found.num_rows and nbins:
        actors = actor_index(facet.table)
        names = {c: found.column(c).to_pandas() for c in ACTOR_COLUMNS}
        rows, lanes, _primary, placed = actor_members(
            actors, lane_of_actor, *_codes(facet.table, actors, names)
        )
        if other is not None:
            nobody = np.flatnonzero(~placed)
            rows.append(nobody)
            lanes.append(np.full(len(nobody), other, dtype=np.int16))
        group = np.concatenate(rows)
        lane = np.concatenate(lanes).astype(np.int64)
        at = np.searchsorted(edges, found.column("b").to_numpy(), side="right") - 1
        for grid, line, name in zip(grids, lines, ("n", "unknown", "f"), strict=True):
            values = found.column(name).to_numpy()
            np.add.at(grid, (lane, at[group]), values[group])
            np.add.at(line, at, values)
    return ActorCells(tuple(labels), *grids, *lines)


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
