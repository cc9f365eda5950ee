"""The Filters dock's weights without reading the events: for a filter made of lists
only (actors, regions, categories, types, datasets: the usual "Mali and JNIM").

Each list's filter depends only on its own columns (and, for an actor the dictionary
scopes to countries or dates, on the country and which of the entries' dates the start
lies between: the actors part of the facet table keeps both, facets.py). So an event
passes a list's filter exactly when its group in that list's part does. The *cube*,
made once per dataset and actor dictionary, holds the events per combination of an
actors group, a place (with admin3, which a region filter matches too) and a values
group, as codes. A filter's counts are then each list's test on its groups (the memory
engine's own masks, model/filters.field_mask, over the facet table and a table of the
places: the groups are tables in memory) and numpy over the cube: per field, the cube
rows its other filters keep, their events summed per group. No query: a filter of lists
is counted while DuckDB is busy with the other views' scans.

The combinations are found by one GROUP BY of the groups' hashes (DuckDB's ``hash``,
the same on the events and on the groups); a hash two groups share, or one no group
has, leaves the dataset without a cube (the counts then scan the events, as any other
filter's). A dataset with more than :data:`CUBE_MAX_ROWS` combinations has none either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from timeline_app.model.actors import ACTOR_COLUMNS
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.model.filters import field_mask
from timeline_app.model.schema import conform
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.aliases import PARQUET_FORMAT
from timeline_app.storage.duck.facet_scan import (
    ACTORS,
    PLACE_COLUMNS,
    PLACES,
    VALUE_COLUMNS,
    VALUES,
)
from timeline_app.storage.duck.source import VIEW

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine
    from timeline_app.storage.duck.facets import FacetTable

#: Combinations past which a dataset gets no cube (40 bytes each with its indexes: 160 MB).
CUBE_MAX_ROWS = 4_000_000
#: The places a region filter is tested on: the region filter's columns.
REGION_COLUMNS = (*PLACE_COLUMNS, "admin3")


@dataclass(eq=False)
class FacetCube:
    """Events per (actors group, place, values group); see the module's doc."""

    actor: np.ndarray  # per combination: its actors group's facet row
    place: np.ndarray  # its place (a row of ``places_table``)
    value: np.ndarray  # its values group's facet row
    events: np.ndarray  # float64: the events it stands for
    place_row: np.ndarray  # per combination: its place's facet row (admin3 dropped)
    places: EventTable  # the places (with admin3), row __p of the places table
    by: dict[str, Grouped]  # per dimension ("a", "p", "v"): the rows by group
    row_hash: np.ndarray  # per facet row: the hash of its own part's values
    places_table: str = ""  # the places in DuckDB: __p, __row, __h (the hash) and their names


def build_cube(
    engine: DuckEngine, facet: FacetTable, actor_exprs: tuple[str, str], name: str
) -> FacetCube | None:
    """The cube of ``facet``'s dataset, or None (too many combinations, or hashes that
    do not tell the groups apart). ``name``: the places table to make."""
    country, bucket = actor_exprs
    actors = ", ".join(sql.ident(c) for c in ACTOR_COLUMNS)
    places = ", ".join(sql.ident(c) for c in REGION_COLUMNS)
    values = ", ".join(sql.ident(c) for c in VALUE_COLUMNS)
    rows = facet.rows_table
    same = " AND ".join(
        f"f.{sql.ident(c)} IS NOT DISTINCT FROM g.{sql.ident(c)}" for c in PLACE_COLUMNS
    )
    names = engine.dataset_names
    listed = "[" + ", ".join(sql.text(n) for n in names) + "]"
    # Numbered by input first: the places' table in memory holds them in that order.
    engine.query(
        f"CREATE OR REPLACE TABLE {name} AS SELECT row_number() OVER (ORDER BY g.__d, g.__h) "
        f"- 1 AS __p, f.__row, g.* FROM (SELECT list_position({listed}, dataset) - 1 AS __d, "
        f"dataset, {places}, hash(dataset, {places}) AS __h FROM {VIEW} GROUP BY ALL) AS g "
        f"JOIN {rows} AS f ON f.__kind = {PLACES} AND f.dataset = g.dataset AND {same}"
    )
    found = engine.query(
        f"SELECT hash(dataset, {actors}, {country}, {bucket}) AS a, "
        f"hash(dataset, {places}) AS p, hash(dataset, {values}) AS v, count(*) AS n "
        f"FROM {VIEW} GROUP BY ALL LIMIT {CUBE_MAX_ROWS + 1}"
    )
    if found.num_rows > CUBE_MAX_ROWS:
        return None
    level2 = ", ".join(sql.ident(c) for c in PLACE_COLUMNS)
    groups = engine.query(
        f"SELECT __kind, __row, hash(dataset, {actors}, country, __bucket) AS a, "
        f"hash(dataset, {values}) AS v, hash(dataset, {level2}) AS pl FROM {rows} ORDER BY __row"
    )
    kind = groups.column("__kind").to_numpy()
    row = groups.column("__row").to_numpy().astype(np.int64)
    place = engine.query(f"SELECT * FROM {name} ORDER BY __p")
    a_of, v_of = (groups.column(c).to_numpy() for c in ("a", "v"))
    codes = [
        _codes(found.column("a").to_numpy(), a_of[kind == ACTORS], row[kind == ACTORS]),
        _codes(found.column("p").to_numpy(), *(place.column(c).to_numpy() for c in ("__h", "__p"))),
        _codes(found.column("v").to_numpy(), v_of[kind == VALUES], row[kind == VALUES]),
    ]
    if any(c is None for c in codes):
        return None
    a, p, v = (c for c in codes if c is not None)
    place_row = place.column("__row").to_numpy().astype(np.int32)
    n_rows = len(facet.events)
    # Each facet row's hash of its own part's values (the scan's groups, facet_scan.py).
    row_hash = np.where(
        kind == ACTORS, a_of, np.where(kind == VALUES, v_of, groups.column("pl").to_numpy())
    )
    by = {
        "a": Grouped.of(a, n_rows),
        "p": Grouped.of(p, place.num_rows),
        "v": Grouped.of(v, n_rows),
    }
    return FacetCube(
        a,
        p,
        v,
        found.column("n").to_numpy().astype(np.float64),
        place_row[p],
        event_table(place.to_pandas(), names),
        by,
        row_hash,
        name,
    )


def event_table(frame: pd.DataFrame, names: list[str]) -> EventTable:
    """``frame``'s rows (``__d``: the input of each, in order) as a table in memory, one
    dataset per input as the memory engine's."""
    parts = []
    for k, dataset in enumerate(names):
        rows = frame[frame["__d"] == k].drop(columns=["dataset"]).reset_index(drop=True)
        parts.append(
            Dataset(dataset, conform(rows), LoadReport(PARQUET_FORMAT), format=PARQUET_FORMAT)
        )
    return EventTable(parts)


def _codes(
    hashes: np.ndarray, group_hashes: np.ndarray, group_ids: np.ndarray
) -> np.ndarray | None:
    """Each hash's group id (int32), or None when two groups share a hash or a hash
    names no group."""
    order = np.argsort(group_hashes, kind="stable")
    known = group_hashes[order]
    if len(known) == 0 or bool((known[1:] == known[:-1]).any()):
        return None
    at = np.minimum(np.searchsorted(known, hashes), len(known) - 1)
    if not bool((known[at] == hashes).all()):
        return None
    ids: np.ndarray = np.asarray(group_ids)[order][at].astype(np.int32)
    return ids


def lists_only(engine: DuckEngine, spec: FilterSpec) -> bool:
    """``spec`` filters by lists alone (what the cube can count)."""
    return engine.where(spec.with_(**{name: () for name in VALUE_FIELDS})) == "true"


def cube_counts(facet: FacetTable, cube: FacetCube, spec: FilterSpec) -> dict[str, np.ndarray]:
    """What facet_scan.scan_counts gives for ``spec`` (lists only), from the cube.

    Only the combinations that can count are read: those of the groups the most
    selective of the other filters keeps (the cube's rows by group, :class:`Grouped`),
    then tested against the rest."""
    active = [name for name in VALUE_FIELDS if getattr(spec, name)]
    passed = {  # each list's test on its own groups (a place, or a facet row)
        name: field_mask(cube.places if name == "regions" else facet.table, spec, name)
        for name in active
    }
    counted: dict[str, np.ndarray] = {}
    everywhere: dict[str, np.ndarray] = {}  # a field with no filter: under all of them
    for name in VALUE_FIELDS:
        others = [other for other in active if other != name]
        if not others:  # no other filter: every event of its groups
            counted[name] = facet.events
            continue
        if name not in passed and _DIM[name] in everywhere:
            counted[name] = everywhere[_DIM[name]]
            continue
        rows = _kept_rows(cube, passed, others)
        own = _own(cube, name)[rows]
        counted[name] = np.bincount(own, weights=cube.events[rows], minlength=len(facet.events))
        if name not in passed:
            everywhere[_DIM[name]] = counted[name]
    return counted


#: The cube's dimension each field's groups are.
_DIM = {
    name: "a" if name == "actors" else "p" if name == "regions" else "v" for name in VALUE_FIELDS
}


def _kept_rows(cube: FacetCube, passed: dict[str, np.ndarray], fields: list[str]) -> np.ndarray:
    """The combinations every one of ``fields``' filters keeps."""
    grouped = {name: cube.by[_DIM[name]] for name in fields}
    first = min(fields, key=lambda name: grouped[name].size(passed[name]))
    rows = grouped[first].rows(passed[first])
    for name in fields:
        if name != first:
            rows = rows[passed[name][_code(cube, name)[rows]]]
    return rows


@dataclass(eq=False)
class Grouped:
    """The cube's rows by the group of one dimension (``order[starts[g]:starts[g+1]]``
    are group g's): the rows of the groups a filter keeps, without reading the others."""

    order: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, codes: np.ndarray, groups: int) -> Grouped:
        order = np.argsort(codes, kind="stable").astype(np.int32)
        sizes = np.bincount(codes, minlength=groups)
        return cls(order, np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))

    def size(self, kept: np.ndarray) -> int:
        groups = np.flatnonzero(kept)
        return int((self.starts[groups + 1] - self.starts[groups]).sum())

    def rows(self, kept: np.ndarray) -> np.ndarray:
        """The rows of the groups ``kept`` (a bool per group), group by group."""
        groups = np.flatnonzero(kept)
        first, sizes = self.starts[groups], self.starts[groups + 1] - self.starts[groups]
        total = int(sizes.sum())
        # Each kept group's slice of ``order``, laid end to end (no loop over groups).
        shift = np.repeat(first - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
        found: np.ndarray = self.order[np.arange(total, dtype=np.int64) + shift]
        return found


def _code(cube: FacetCube, name: str) -> np.ndarray:
    """What a field's test is read by: its group per combination."""
    if name == "actors":
        return cube.actor
    return cube.place if name == "regions" else cube.value


def _own(cube: FacetCube, name: str) -> np.ndarray:
    """The facet row a field's counts go to, per combination."""
    if name == "actors":
        return cube.actor
    return cube.place_row if name == "regions" else cube.value
