"""The Filters dock's weights from the events themselves: one scan for a filter that
is not only lists (dates, fatalities, text, a place drawn on the map).

The memory engine counts a list's values among the rows every filter but the list's
own keeps (model/facets.others_masks). Here, as there: the rows every other constraint
keeps (``WHERE``, so DuckDB skips row groups by their statistics), of which only those
failing at most one list's filter can count anywhere; each list's test is one column
of that scan, and each part of the facet table (facets.py) is grouped from it, counting
per group the rows of each field's "other filters". The groups are joined to the facet
table's rows by their values (a group no row of the filter reaches is simply absent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from timeline_app.model.actors import ACTOR_COLUMNS
from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.source import VIEW
from timeline_app.storage.duck.where import value_condition

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine
    from timeline_app.storage.duck.facets import FacetTable

#: The facet table's parts (facets.py) and the columns each groups by.
ACTORS, PLACES, VALUES = 0, 1, 2
PLACE_COLUMNS = ("country", "admin1", "admin2")  # the region tree's levels
VALUE_COLUMNS = ("category", "event_type", "sub_event_type")
#: A facet row's values (with ``__kind`` and ``dataset``): what a group is joined on.
KEY_COLUMNS = (*ACTOR_COLUMNS, *PLACE_COLUMNS, *VALUE_COLUMNS, "__bucket")


def without_lists(spec: FilterSpec) -> FilterSpec:
    """``spec`` with no list's filter (what every list's counts share)."""
    return spec.with_(**{name: () for name in VALUE_FIELDS})


def scan_counts(
    engine: DuckEngine,
    facet: FacetTable,
    spec: FilterSpec,
    actor_exprs: tuple[str, str],
    text_keys: str | None = None,
    row_hash: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Per value field, the events each facet row stands for among those the field's
    other filters keep. ``actor_exprs``: the actors part's scoped country and date
    bucket (facets.py); ``text_keys``: a table of the keys the text filter keeps;
    ``row_hash``: each facet row's hash of its values (facet_cube.py), when known: the
    groups are then grouped by hash, and found by it (a third cheaper than by their
    values and a join), else (or if a hash is not a row's) by their values."""
    active = [name for name in VALUE_FIELDS if getattr(spec, name)]
    base = engine.where(without_lists(spec).with_(text=""))
    if spec.text.strip():
        if text_keys is None:
            raise ValueError("a text filter needs its table of keys")
        base = sql.all_of([base, f"__key IN (SELECT key FROM {text_keys})"])
    tests = [
        f"coalesce({value_condition(engine, spec, name)}, false) AS __k{i}"
        for i, name in enumerate(active)
    ]
    country, bucket = actor_exprs
    columns = [
        "dataset",
        *(sql.ident(c) for c in ACTOR_COLUMNS),
        f"{country} AS __ac",
        f"{bucket} AS __bucket",
        *(sql.ident(c) for c in (*PLACE_COLUMNS, *VALUE_COLUMNS)),
        *tests,
    ]
    rows = f"SELECT {', '.join(columns)} FROM {VIEW} WHERE {base}"
    if len(active) > 1:  # a row failing two lists' filters counts in no list
        fails = " + ".join(f"(NOT __k{i})::INTEGER" for i in range(len(active)))
        rows = f"SELECT * FROM ({rows}) WHERE {fails} <= 1"
    # Per field, the rows its other filters keep (a field with no filter: all of them).
    others = {
        name: sql.all_of(f"__k{i}" for i, other in enumerate(active) if other != name)
        for name in VALUE_FIELDS
    }
    distinct = list(dict.fromkeys(others.values()))
    aggregates = ", ".join(
        f"count(*) FILTER (WHERE {kept}) AS w{i}" if kept != "true" else f"count(*) AS w{i}"
        for i, kept in enumerate(distinct)
    )
    actors = ", ".join(sql.ident(c) for c in ACTOR_COLUMNS)
    if row_hash is not None:
        hashed = _by_hash(engine, facet, rows, aggregates, len(distinct), row_hash)
        if hashed is not None:
            return {name: hashed[distinct.index(kept)] for name, kept in others.items()}
    parts = [
        f"SELECT {ACTORS} AS __kind, dataset, {actors}, __ac AS country, __bucket, "
        f"{aggregates} FROM r GROUP BY ALL",
        f"SELECT {PLACES} AS __kind, dataset, "
        + ", ".join(sql.ident(c) for c in PLACE_COLUMNS)
        + f", {aggregates} FROM r GROUP BY ALL",
        f"SELECT {VALUES} AS __kind, dataset, "
        + ", ".join(sql.ident(c) for c in VALUE_COLUMNS)
        + f", {aggregates} FROM r GROUP BY ALL",
    ]
    same = " AND ".join(
        [
            "f.__kind = x.__kind",
            "f.dataset = x.dataset",
            *(f"f.{sql.ident(c)} IS NOT DISTINCT FROM x.{sql.ident(c)}" for c in KEY_COLUMNS),
        ]
    )
    weights = ", ".join(f"x.w{i}" for i in range(len(distinct)))
    query = (
        f"WITH r AS MATERIALIZED ({rows}) SELECT f.__row, {weights} FROM ("
        + " UNION ALL BY NAME ".join(f"({p})" for p in parts)
        + f") AS x JOIN {facet.rows_table} AS f ON {same}"
    )
    found = engine.query(query)
    at = found.column("__row").to_numpy().astype(np.int64)
    counted = []
    for i in range(len(distinct)):
        out = np.zeros(len(facet.events), dtype=np.float64)
        out[at] = found.column(f"w{i}").to_numpy().astype(np.float64)
        counted.append(out)
    return {name: counted[distinct.index(kept)] for name, kept in others.items()}


def _by_hash(
    engine: DuckEngine,
    facet: FacetTable,
    rows: str,
    aggregates: str,
    count: int,
    row_hash: np.ndarray,
) -> list[np.ndarray] | None:
    """:func:`scan_counts`' weights with each part grouped by the hash of its values;
    None when a group's hash is no row's of its part, or two rows share one (then
    grouped by the values)."""
    keys = {
        ACTORS: f"dataset, {', '.join(sql.ident(c) for c in ACTOR_COLUMNS)}, __ac, __bucket",
        PLACES: "dataset, " + ", ".join(sql.ident(c) for c in PLACE_COLUMNS),
        VALUES: "dataset, " + ", ".join(sql.ident(c) for c in VALUE_COLUMNS),
    }
    found = engine.query(
        f"WITH r AS MATERIALIZED ({rows}) "
        + " UNION ALL ".join(
            f"SELECT {kind} AS __kind, hash({key}) AS __h, {aggregates} FROM r GROUP BY ALL"
            for kind, key in keys.items()
        )
    )
    kind = found.column("__kind").to_numpy()
    hashes = found.column("__h").to_numpy()
    at = np.empty(len(kind), dtype=np.int64)
    for part in keys:  # three parts: each group's facet row, by its hash
        mine = np.flatnonzero(facet.part == part)
        order = np.argsort(row_hash[mine])
        known = row_hash[mine][order]
        asked = kind == part
        if len(known) == 0 or bool((known[1:] == known[:-1]).any()):
            return None  # no rows, or two rows one hash: not told apart
        pos = np.minimum(np.searchsorted(known, hashes[asked]), len(known) - 1)
        if not bool((known[pos] == hashes[asked]).all()):
            return None
        at[asked] = mine[order][pos]
    out = []
    for i in range(count):
        weights = np.zeros(len(facet.events), dtype=np.float64)
        weights[at] = found.column(f"w{i}").to_numpy().astype(np.float64)
        out.append(weights)
    return out
