"""Counts per value (actor, region, category, type, dataset) for the filter panel and
the frequency view.

Every count is a ``np.bincount`` over integer category codes of the rows asked
about; the per-value work (mapping categories to actors, regions to tree nodes) is
done once per table and cached. Counts for a facet are taken "under the other
active filters": the actor list counts the rows that every filter but the actor
filter keeps, so ticking an actor never hides the other actors.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.model.events import EventTable
from timeline_app.model.filters import (
    VALUE_FIELDS,
    FilterSpec,
    constraints_mask,
    field_mask,
    filter_mask,
    text_mask,
)
from timeline_app.model.schema import ACTOR_SEPARATOR
from timeline_app.model.table_cache import PerTable
from timeline_app.model.text import fold

#: The dimensions a frequency table can count by, with their labels.
DIMENSIONS: dict[str, str] = {
    "actor": "Actor",
    "country": "Country",
    "admin1": "Admin 1",
    "admin2": "Admin 2",
    "location": "Location",
    "category": "Category",
    "event_type": "Event type",
    "sub_event_type": "Sub-event type",
    "dataset": "Dataset",
    "source": "Source",
}
#: Which FilterSpec field a value of each dimension goes to when clicked.
DIMENSION_FIELD: dict[str, str] = {
    "actor": "actors",
    "country": "regions",
    "admin1": "regions",
    "admin2": "regions",
    "location": "text",
    "category": "categories",
    "event_type": "event_types",
    "sub_event_type": "sub_event_types",
    "dataset": "datasets",
    "source": "text",
}


# -- actors ---------------------------------------------------------------------------------
@dataclass
class ActorIndex:
    """Every distinct actor name of a table (actor1, actor2 and each associated actor).

    ``names[i]`` is actor ``i``; names that fold the same ("JNIM", "Jnim") are one actor.
    ``of_actor1[c]`` is the actor of actor1's category ``c`` (last entry -1 for unknown),
    likewise ``of_actor2``; ``assoc_slots[j][c]`` is the j-th actor of the associated-actor
    category ``c`` (-1 when it has fewer).
    """

    names: list[str]
    folded: list[str]
    of_actor1: np.ndarray
    of_actor2: np.ndarray
    assoc_slots: list[np.ndarray]


def actor_index(table: EventTable) -> ActorIndex:
    return _ACTOR_INDEX.get(table, lambda: _build_actor_index(table))


def _build_actor_index(table: EventTable) -> ActorIndex:
    # Python runs once per distinct spelling (a few thousand), never once per category
    # occurrence: the associated-actor categories are split by Arrow, and every spelling
    # (actor1, then actor2, then the associated parts) is numbered by one factorize in
    # order of first appearance, which is the order actors get their numbers in.
    cats1 = _strings(table.df["actor1"].cat.categories)
    cats2 = _strings(table.df["actor2"].cat.categories)
    assoc = _strings(table.df["assoc_actors"].cat.categories)
    split = pc.split_pattern(assoc, pattern=ACTOR_SEPARATOR)
    owner = pc.list_parent_indices(split).to_numpy().astype(np.int64)
    encoded: Any = pc.dictionary_encode(pa.concat_arrays([cats1, cats2, pc.list_flatten(split)]))
    codes = encoded.indices.to_numpy().astype(np.int64)
    uniques = encoded.dictionary  # in order of first appearance
    n_cats = len(cats1) + len(cats2)
    # Spellings first seen among the categories are numbered before those seen only in
    # associated parts; a blank part names nobody (a blank category still does).
    from_cats = int(codes[:n_cats].max()) + 1 if n_cats else 0
    ids: dict[str, int] = {}
    names: list[str] = []
    folded: list[str] = []
    actor_of = np.full(len(uniques), -1, dtype=np.int64)
    blank = np.zeros(len(uniques), dtype=bool)
    for k, spelling in enumerate(uniques.tolist()):
        name = str(spelling).strip()
        blank[k] = not name
        if k >= from_cats and not name:
            continue
        key = fold(spelling)
        actor = ids.get(key)
        if actor is None:
            actor = ids[key] = len(names)
            names.append(name)
            folded.append(key)
        actor_of[k] = actor
    ids_of = actor_of[codes]
    of1 = np.append(ids_of[: len(cats1)], -1)
    of2 = np.append(ids_of[len(cats1) : n_cats], -1)
    part_codes = codes[n_cats:]
    slots = _assoc_slots(np.where(blank[part_codes], -1, ids_of[n_cats:]), owner, len(assoc))

    return ActorIndex(names, folded, of1, of2, slots)


def actor_duplicates(table: EventTable) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Rows naming the same actor twice, and that actor, once per pair of sides, so that
    counting needs no per-row dedup. Rare (an actor on both sides, or also listed as
    associated), but finding them reads every row: done on first count, not on open."""
    index = actor_index(table)
    return _ACTOR_DUPLICATES.get(table, lambda: _find_duplicates(table, index))


def _find_duplicates(
    table: EventTable, index: ActorIndex
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    a1 = index.of_actor1[table.codes("actor1")]
    a2 = index.of_actor2[table.codes("actor2")]
    ca = table.codes("assoc_actors")
    dup_rows, dup_ids = [], []
    same = np.flatnonzero((a2 >= 0) & (a2 == a1))
    dup_rows.append(same)
    dup_ids.append(a1[same])
    for slot in index.assoc_slots:
        p = slot[ca]
        rows = np.flatnonzero((p >= 0) & ((p == a1) | (p == a2)))
        dup_rows.append(rows)
        dup_ids.append(p[rows])
    return dup_rows, dup_ids


def _strings(values: pd.Index) -> pa.Array[Any]:
    """Category labels as one Arrow string array (as ``str()`` shows each)."""
    try:
        array = pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # labels that are not text
        array = None
    if array is None or array.null_count:
        array = pa.array([str(v) for v in values], type=pa.string())
    return array


def _assoc_slots(part_actor: np.ndarray, owner: np.ndarray, n_cats: int) -> list[np.ndarray]:
    """``slots[j][c]``: the j-th distinct actor (in order) of associated category ``c``,
    -1 past its last; one more entry (-1) for unknown."""
    named = part_actor >= 0
    part_actor, owner = part_actor[named], owner[named]
    if not len(owner):
        return []
    # A name repeated within one category ("B; a; B") keeps its first place only.
    key = owner * (int(part_actor.max()) + 1) + part_actor
    first = ~pd.Series(key).duplicated().to_numpy()
    part_actor, owner = part_actor[first], owner[first]
    place = np.arange(len(owner)) - np.searchsorted(owner, owner, side="left")
    slots = []
    for j in range(int(place.max()) + 1):
        slot = np.full(n_cats + 1, -1, dtype=np.int64)
        at = place == j
        slot[owner[at]] = part_actor[at]
        slots.append(slot)
    return slots


def actor_counts(
    table: EventTable, mask: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Events (or the sum of ``weights``) per actor of :func:`actor_index`, each event
    counted once per actor it names on any side."""
    index = actor_index(table)
    n = len(index.names)
    counts = np.zeros(n, dtype=np.float64)
    for column, of in (("actor1", index.of_actor1), ("actor2", index.of_actor2)):
        per_cat = code_counts(table, column, mask, weights)
        valid = of[:-1] >= 0
        counts += np.bincount(of[:-1][valid], weights=per_cat[valid], minlength=n)
    per_assoc = code_counts(table, "assoc_actors", mask, weights)
    for slot in index.assoc_slots:
        valid = slot[:-1] >= 0
        counts += np.bincount(slot[:-1][valid], weights=per_assoc[valid], minlength=n)
    for rows, ids in zip(*actor_duplicates(table), strict=True):
        if len(rows):
            keep = mask[rows]
            w = None if weights is None else _weights(weights)[rows][keep]
            counts -= np.bincount(ids[keep], weights=w, minlength=n)
    return counts


def code_counts(
    table: EventTable, column: str, mask: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Rows (or the sum of ``weights``) per category of ``column`` among ``mask``."""
    codes = table.codes(column)
    ncat = len(table.df[column].cat.categories)
    # Shifted by one so that unknown (-1) lands in bin 0, which is dropped.
    if weights is None:
        picked = codes if mask.all() else codes[mask]
        counts = np.bincount(picked + 1, minlength=ncat + 1)[1:]
        return counts.astype(np.float64)
    w = np.where(mask, _weights(weights), 0.0)
    return np.bincount(codes + 1, weights=w, minlength=ncat + 1)[1:]


def _weights(weights: np.ndarray) -> np.ndarray:
    # Unknown numbers add nothing to a sum (they are counted apart, never as 0 deaths).
    result: np.ndarray = np.nan_to_num(weights, nan=0.0)
    return result


# -- regions --------------------------------------------------------------------------------
@dataclass
class RegionTree:
    """The places of a table as a tree country > admin1 > admin2.

    Nodes are numbered; ``parent[k]`` is -1 for a country. ``node_of_row_level[level]``
    maps each distinct (country, admin1, admin2) of the table to its node at that level
    (-1 where the level is unknown), and ``place_of_row`` gives each row its distinct place.
    """

    names: list[str]
    folded: list[str]  # fold() of each name (the tree's sort and search key)
    levels: np.ndarray  # 0 country, 1 admin1, 2 admin2
    parent: np.ndarray
    children: list[list[int]]
    place_of_row: np.ndarray
    node_of_place: list[np.ndarray]  # per level: node of each distinct place, or -1


def region_tree(table: EventTable, weights: np.ndarray | None = None) -> RegionTree:
    """The tree of ``table`` (kept). ``weights``: the events each row stands for, in a
    table of distinct places (storage/duck/facets.py), given on the first call: a
    name's most used spelling is the one shown."""
    return _REGION_TREE.get(table, lambda: _build_region_tree(table, weights))


def _build_region_tree(table: EventTable, weights: np.ndarray | None = None) -> RegionTree:
    cols = ("country", "admin1", "admin2")
    codes = [table.codes(c).astype(np.int64) + 1 for c in cols]  # 0 = unknown
    sizes = [len(table.df[c].cat.categories) + 1 for c in cols]
    key = (codes[0] * sizes[1] + codes[1]) * sizes[2] + codes[2]
    place_of_row, uniques = pd.factorize(key, sort=True)
    uniques = np.asarray(uniques, dtype=np.int64)
    p2 = uniques % sizes[2]
    p1 = (uniques // sizes[2]) % sizes[1]
    p0 = uniques // (sizes[2] * sizes[1])
    cats = [table.df[c].cat.categories for c in cols]
    # Places are nodes by their folded names: "Ségou" from one file and "Segou" from
    # another are one node (the first spelling is shown), as the filter matches both.
    folded_cats = [[fold(str(c)) for c in level] for level in cats]
    rows_of = [
        np.bincount(c, weights=weights, minlength=n) for c, n in zip(codes, sizes, strict=True)
    ]
    shown_code: list[int] = []  # the category a node's name comes from
    names: list[str] = []
    levels: list[int] = []
    parent: list[int] = []
    node_ids: dict[tuple[Any, ...], int] = {}
    node_of_place = [np.full(len(uniques), -1, dtype=np.int64) for _ in cols]
    for i, (c0, c1, c2) in enumerate(zip(p0.tolist(), p1.tolist(), p2.tolist(), strict=True)):
        path: tuple[Any, ...] = ()
        up = -1
        for level, code in enumerate((c0, c1, c2)):
            if code == 0:
                break  # an unknown level ends the path (a national event has no admin1)
            path = (*path, folded_cats[level][code - 1])
            node = node_ids.get(path)
            if node is None:
                node = node_ids[path] = len(names)
                names.append(str(cats[level][code - 1]))
                shown_code.append(code)
                levels.append(level)
                parent.append(up)
            elif rows_of[level][code] > rows_of[level][shown_code[node]]:
                names[node] = str(cats[level][code - 1])  # the most used spelling is shown
                shown_code[node] = code
            node_of_place[level][i] = node
            up = node
    children: list[list[int]] = [[] for _ in names]
    for k, p in enumerate(parent):
        if p >= 0:
            children[p].append(k)
    folded = [fold(n) for n in names]
    for kids in children:
        kids.sort(key=folded.__getitem__)
    return RegionTree(
        names,
        folded,
        np.asarray(levels, dtype=np.int64),
        np.asarray(parent, dtype=np.int64),
        children,
        place_of_row.astype(np.int64),
        node_of_place,
    )


def region_counts(
    table: EventTable, mask: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Events (or the sum of ``weights``) per node of :func:`region_tree`."""
    tree = region_tree(table)
    n_places = len(tree.node_of_place[0])
    w = None if weights is None else _weights(weights)[mask]
    per_place = np.bincount(tree.place_of_row[mask], weights=w, minlength=n_places)
    counts = np.zeros(len(tree.names), dtype=np.float64)
    for nodes in tree.node_of_place:
        valid = nodes >= 0
        counts += np.bincount(nodes[valid], weights=per_place[valid], minlength=len(tree.names))
    return counts


# -- facets of a filter ------------------------------------------------------------------------
def others_mask(
    table: EventTable, spec: FilterSpec, field_name: str, mask: np.ndarray | None = None
) -> np.ndarray:
    """The rows every active filter keeps except the one on ``field_name``.

    ``mask`` is the full filter's mask when the caller has it (it is the answer when
    that field is not constrained)."""
    if not getattr(spec, field_name):
        return filter_mask(table, spec) if mask is None else mask
    return filter_mask(table, spec.without(field_name))


def others_masks(table: EventTable, spec: FilterSpec, mask: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`others_mask` for every value field at once, sharing the work.

    Each constrained field's mask is computed once; a row is in "the others of F" when
    it fails no constraint but F's. The text (slow) is searched once, on the rows that
    fail at most one value constraint (every facet's candidates).
    """
    n = len(table)
    active = [f for f in VALUE_FIELDS if getattr(spec, f)] if n else []
    out = {f: mask for f in VALUE_FIELDS if f not in active}
    if not active:
        return out
    fails = np.zeros(n, dtype=np.uint8)
    misses = {}
    for f in active:
        misses[f] = ~field_mask(table, spec, f)
        fails += misses[f]
    # Every constraint that is not a value field (dates, fatalities, the spatial box,
    # distance and area, likely-same pairs, and any added later) through the filter's
    # own constraint list and its kept masks: one rule, so no facet can forget one.
    cleared: dict[str, Any] = {f: () for f in VALUE_FIELDS}
    others = replace(spec, text="", **cleared)
    base = (fails <= 1) & constraints_mask(table, others)
    if spec.text.strip():
        base = text_mask(table, spec.text, base)
    for f in active:
        out[f] = base & (fails == misses[f])  # F's own miss is the only one, if any
    return out


def facet_counts(
    table: EventTable, spec: FilterSpec, field_name: str, mask: np.ndarray | None = None
) -> np.ndarray:
    """Counts for the values of one filter field under the other active filters:
    per actor (:func:`actor_index`), per region node (:func:`region_tree`), or per
    category of the field's column."""
    rows = others_mask(table, spec, field_name, mask)
    return counts_for(table, field_name, rows)


def counts_for(
    table: EventTable, field_name: str, rows: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Counts for the values of one filter field among ``rows`` (see facet_counts);
    ``weights``: the events each row stands for (a table of distinct values)."""
    if weights is not None:
        return _counts_for(table, field_name, rows, weights)
    if len(rows) and rows.all():  # every row (no filter): the table's own counts, kept
        kept = _ALL_ROW_COUNTS.get(table, dict)
        counts = kept.get(field_name)
        if counts is None:  # built outside any lock (it reads the indexes above)
            counts = kept.setdefault(field_name, _counts_for(table, field_name, rows))
        result: np.ndarray = counts.copy()
        return result
    return _counts_for(table, field_name, rows)


def _counts_for(
    table: EventTable, field_name: str, rows: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    if field_name == "actors":
        return actor_counts(table, rows, weights)
    if field_name == "regions":
        return region_counts(table, rows, weights)
    (column,) = VALUE_FIELDS[field_name]
    return code_counts(table, column, rows, weights)


# -- frequency tables -----------------------------------------------------------------------------
def frequency(table: EventTable, mask: np.ndarray, by: str) -> pd.DataFrame:
    """Events, known fatalities and events of unknown fatalities per value of ``by``,
    among the rows of ``mask``; most events first. Values with no event are left out."""
    fat = table.df["fatalities"].to_numpy(dtype="float64")
    unknown = np.isnan(fat).astype(np.float64)
    if by == "actor":
        names = actor_index(table).names
        events, deaths, unknowns = (
            actor_counts(table, mask),
            actor_counts(table, mask, fat),
            actor_counts(table, mask, unknown),
        )
    else:
        names = [str(c) for c in table.df[by].cat.categories]
        events, deaths, unknowns = (
            code_counts(table, by, mask),
            code_counts(table, by, mask, fat),
            code_counts(table, by, mask, unknown),
        )
    frame = pd.DataFrame(
        {
            "value": names,
            "events": np.rint(events).astype(np.int64),
            "fatalities": deaths,
            "unknown_fatalities": np.rint(unknowns).astype(np.int64),
        }
    )
    frame = frame[frame["events"] > 0]
    result: pd.DataFrame = frame.sort_values(
        ["events", "value"], ascending=[False, True], kind="stable"
    )
    return result


# -- kept per table (model/table_cache.py) -------------------------------------------------
_ACTOR_INDEX = PerTable[ActorIndex]("facets: actor index")
_ACTOR_DUPLICATES = PerTable[tuple[list[np.ndarray], list[np.ndarray]]]("facets: actor duplicates")
_REGION_TREE = PerTable[RegionTree]("facets: region tree")
#: Counts over every row, per filter field (what an unfiltered list shows).
_ALL_ROW_COUNTS = PerTable[dict[str, np.ndarray]]("facets: counts over all rows")


def prepare_facets(table: EventTable) -> None:
    """Build the per-table indexes now (slow at 1M rows; run it off the UI thread)."""
    actor_index(table)
    actor_duplicates(table)
    region_tree(table)
