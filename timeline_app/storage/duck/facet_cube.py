"""The Filters dock's weights without reading the events: for a filter made of lists
only (actors, regions, categories, types, datasets: the usual "Mali and JNIM").

Each list's filter depends only on its own columns (and, for an actor the dictionary
scopes to countries or dates, on the country and which of the entries' dates the start
lies between: the actors part of the facet table keeps both, facets.py). So an event
passes a list's filter exactly when its group in that list's part does. The *cube*,
made once per dataset and actor dictionary, holds the events per combination of an
actors group, a place (with admin3, which a region filter matches too) and a values
group, as codes. A filter's counts are then each list's test on its groups (a small
SQL query over the groups, the engine's own conditions) and numpy over the cube: per
field, the cube rows its other filters keep, their events summed per group.

The combinations are found by one GROUP BY of the groups' hashes (DuckDB's ``hash``,
the same on the events and on the groups); a hash two groups share, or one no group
has, leaves the dataset without a cube (the counts then scan the events, as any other
filter's). A dataset with more than :data:`CUBE_MAX_ROWS` combinations has none either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from timeline_app.model.actors import ACTOR_COLUMNS
from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.facet_scan import ACTORS, PLACE_COLUMNS, VALUE_COLUMNS, VALUES
from timeline_app.storage.duck.source import VIEW
from timeline_app.storage.duck.where import value_condition

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine
    from timeline_app.storage.duck.facets import FacetTable

#: Combinations past which a dataset gets no cube (24 bytes each: 96 MB).
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
    places: int  # how many places
    places_table: str  # __p, the place's columns
    rows_table: str  # the facet table's rows (facets.py)


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
    engine.query(
        f"CREATE OR REPLACE TABLE {name} AS SELECT row_number() OVER (ORDER BY g.__h) - 1 "
        f"AS __p, f.__row, g.* FROM (SELECT dataset, {places}, hash(dataset, {places}) AS __h "
        f"FROM {VIEW} GROUP BY ALL) AS g JOIN {rows} AS f "
        f"ON f.__kind = 1 AND f.dataset = g.dataset AND {same}"
    )
    found = engine.query(
        f"SELECT hash(dataset, {actors}, {country}, {bucket}) AS a, "
        f"hash(dataset, {places}) AS p, hash(dataset, {values}) AS v, count(*) AS n "
        f"FROM {VIEW} GROUP BY ALL LIMIT {CUBE_MAX_ROWS + 1}"
    )
    if found.num_rows > CUBE_MAX_ROWS:
        return None
    groups = engine.query(
        f"SELECT __kind, __row, hash(dataset, {actors}, country, __bucket) AS a, "
        f"hash(dataset, {values}) AS v FROM {rows}"
    )
    kind = groups.column("__kind").to_numpy()
    row = groups.column("__row").to_numpy().astype(np.int64)
    place = engine.query(f"SELECT __p, __row, __h FROM {name} ORDER BY __p")
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
    return FacetCube(
        a,
        p,
        v,
        found.column("n").to_numpy().astype(np.float64),
        place_row[p],
        place.num_rows,
        name,
        rows,
    )


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


def cube_counts(
    engine: DuckEngine, facet: FacetTable, cube: FacetCube, spec: FilterSpec
) -> dict[str, np.ndarray]:
    """What facet_scan.scan_counts gives for ``spec`` (lists only), from the cube."""
    active = [name for name in VALUE_FIELDS if getattr(spec, name)]
    n_rows = len(facet.events)
    selects = []
    for i, name in enumerate(active):
        condition = value_condition(engine, spec, name)
        if name == "regions":
            selects.append(f"SELECT {i} AS f, __p AS id FROM {cube.places_table} WHERE {condition}")
            continue
        kind = ACTORS if name == "actors" else VALUES
        groups = f"(SELECT *, __start AS start FROM {cube.rows_table} WHERE __kind = {kind})"
        selects.append(f"SELECT {i} AS f, __row AS id FROM {groups} WHERE {condition}")
    found = engine.query(" UNION ALL ".join(selects))
    field = found.column("f").to_numpy()
    ids = found.column("id").to_numpy().astype(np.int64)
    fails = np.zeros(len(cube.events), dtype=np.uint8)
    misses: dict[str, np.ndarray] = {}
    for i, name in enumerate(active):
        passed = np.zeros(cube.places if name == "regions" else n_rows, dtype=bool)
        passed[ids[field == i]] = True
        misses[name] = ~passed[_code(cube, name)]
        fails += misses[name]
    counted: dict[str, np.ndarray] = {}
    everywhere: dict[int, np.ndarray] = {}  # a field with no filter: the rows all keep
    for name in VALUE_FIELDS:
        own = _own(cube, name)
        if name in misses:
            keep = fails == misses[name]  # its own miss is the only one, if any
        elif id(own) in everywhere:
            counted[name] = everywhere[id(own)]
            continue
        else:
            keep = fails == 0
        counted[name] = np.bincount(own[keep], weights=cube.events[keep], minlength=n_rows)
        if name not in misses:
            everywhere[id(own)] = counted[name]
    return counted


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
