"""The timeline's counts per lane and day without reading the events (storage/duck/
timeline.py): for a filter of lists, dates and tolls only (the usual "Mali and JNIM",
perhaps in 2016-2019 or of 5 dead or more), what its GROUP BY over the events gives,
from numpy.

The Filters dock's cube (facet_cube.py) tells exactly which of its combinations (an
actors group, a place, a values group) a filter's lists keep: the memory engine's own
masks over the groups. The *day index*, made once per dataset and actor dictionary
after the cube (in the dock's worker, :meth:`FacetCounter.prepare`), holds the events
by combination: their starts, their ends where some event lasts, their tolls (12 bytes
an event, 8 more with periods). A filter's events are its kept combinations' slices;
its dates and tolls are the memory engine's kernels on them (model/filters.dates_keep,
toll_keep), and each event's lane is its combination's (a values group names the
category, event type and dataset, a place the region), so its counts per lane and day
are numpy sums over its own events only (the SQL reads the filter's columns and the
starts of every row group: 200 ms at 10M events, here a few ms).

Not served, counted by SQL as before: text, a box, a distance, an area and likely-same
pairs (the index holds none of those columns), the lanes by actor (an event in several),
a filter keeping more than :data:`COUNT_MAX_EVENTS` events (its temporaries), and data
of more than :data:`INDEX_MAX_EVENTS` events (no index: its memory).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from timeline_app.model.actors import ACTOR_COLUMNS
from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.model.filters import field_mask
from timeline_app.model.timeline.index import BAND_CATEGORIES, MILESTONE_CATEGORY
from timeline_app.model.units import NS_PER_DAY
from timeline_app.model.value_tests import dates_keep, toll_keep
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.facet_cube import REGION_COLUMNS, FacetCube
from timeline_app.storage.duck.facet_scan import ACTORS, VALUE_COLUMNS, VALUES
from timeline_app.storage.duck.source import VIEW

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine
    from timeline_app.storage.duck.facets import FacetTable

#: Events past which a dataset gets no index (12-20 bytes each: 360-600 MB).
INDEX_MAX_EVENTS = 30_000_000
#: Events a filter may keep for the index to count them (past it, SQL: the index's
#: temporaries are ~60 bytes an event kept).
COUNT_MAX_EVENTS = 2_000_000
#: Lanes × days past which a filter's counts are left to SQL (8 arrays of 8 bytes each).
MAX_CELLS = 4_000_000
#: The lanes' columns the index knows, and which of a combination's groups names them.
LANE_COLUMNS = {"category": VALUES, "event_type": VALUES, "dataset": VALUES, "admin1": "place"}
#: The fields the index answers (the rest of a filter must be empty).
SERVED = (*VALUE_FIELDS, "date_from", "date_to", "fatalities_min", "fatalities_max")


@dataclass(eq=False)
class DayIndex:
    """The events by cube combination; see the module's doc."""

    actor: np.ndarray  # per combination: its actors group's facet row (int32)
    place: np.ndarray  # its place (a row of ``places``)
    value: np.ndarray  # its values group's facet row
    offsets: np.ndarray  # int64, per combination and one more: where its events begin
    start: np.ndarray  # int64 ns, per event (by combination)
    end: np.ndarray | None  # int64 ns, or None: every event ends where it starts
    fatalities: np.ndarray  # float32 when that holds every toll exactly, else float64
    facet: FacetTable  # the groups the codes are rows of
    places: EventTable  # the places (the cube's), for the regions filter
    names: dict[str, np.ndarray]  # per lane column: the value of each facet row / place

    def nbytes(self) -> int:
        arrays = [self.actor, self.place, self.value, self.offsets, self.start, self.fatalities]
        return sum(a.nbytes for a in arrays) + (0 if self.end is None else self.end.nbytes)


def serves(spec: FilterSpec) -> bool:
    """The index counts ``spec`` exactly: lists, dates and tolls only."""
    rest = spec.with_(
        **{name: () for name in VALUE_FIELDS},
        date_from=None,
        date_to=None,
        fatalities_min=None,
        fatalities_max=None,
        include_unknown_fatalities=True,
        actor_aliases=True,
        include_uncertain_actors=False,
        within_name="",
    )
    return rest.is_empty()


def build_index(
    engine: DuckEngine, facet: FacetTable, cube: FacetCube, actor_exprs: tuple[str, str]
) -> DayIndex | None:
    """The day index of the cube's dataset (one query: every event's combination, start,
    end and toll), or None past :data:`INDEX_MAX_EVENTS` events."""
    total = int(cube.events.sum())
    n_places, n_rows = len(cube.places), len(facet.events)
    if total > INDEX_MAX_EVENTS or n_rows * n_places * n_rows >= 2**62:
        return None
    country, bucket = actor_exprs
    actors = ", ".join(sql.ident(c) for c in ACTOR_COLUMNS)
    places = ", ".join(sql.ident(c) for c in REGION_COLUMNS)
    values = ", ".join(sql.ident(c) for c in VALUE_COLUMNS)
    rows, place_table = facet.rows_table, cube.places_table
    lasting = bool(engine.scalar(f'SELECT coalesce(bool_or("end" <> start), false) FROM {VIEW}'))
    # Each event's groups by the hashes the cube was made of (facet_cube.build_cube),
    # its combination as one number: (actors row * places + place) * rows + values row.
    found = engine.query(
        f"WITH am AS (SELECT hash(dataset, {actors}, country, __bucket) AS h, __row AS c "
        f"FROM {rows} WHERE __kind = {ACTORS}), "
        f"vm AS (SELECT hash(dataset, {values}) AS h, __row AS c FROM {rows} "
        f"WHERE __kind = {VALUES}), pm AS (SELECT __h AS h, __p AS c FROM {place_table}), "
        f"e AS (SELECT hash(dataset, {actors}, {country}, {bucket}) AS ha, "
        f"hash(dataset, {places}) AS hp, hash(dataset, {values}) AS hv, start, "
        f'"end", fatalities FROM {VIEW}) '
        f"SELECT (am.c * {n_places} + pm.c) * {n_rows} + vm.c AS k, epoch_ns(e.start) AS s, "
        + ('epoch_ns(e."end") AS t, ' if lasting else "")
        + "e.fatalities::DOUBLE AS f FROM e JOIN am ON e.ha = am.h JOIN pm ON e.hp = pm.h "
        "JOIN vm ON e.hv = vm.h"
    )
    if found.num_rows != total:  # an event of no group: the cube's check missed it
        return None
    # By combination: sorted here (numpy's sort is twice DuckDB's ORDER BY here), each
    # column taken then let go (its Arrow buffers freed before the next is copied).
    key = _take(found, "k", np.int64)
    found = found.drop_columns(["k"])
    order = np.argsort(key)
    key = key[order]
    cuts = np.flatnonzero(key[1:] != key[:-1]) + 1
    firsts = np.concatenate([[0], cuts]).astype(np.int64)
    combo = key[firsts]
    del key
    start = _take(found, "s", np.int64)[order]
    end = _take(found, "t", np.int64)[order] if lasting else None
    fat = _take(found, "f", np.float64)[order]
    del found, order
    narrow = fat.astype(np.float32)
    if bool(((narrow.astype(np.float64) == fat) | np.isnan(fat)).all()):
        fat = narrow  # every toll exact in float32 (NaN stays NaN)
    of_values = f"SELECT __row AS i, category, event_type, dataset FROM {rows} WHERE __kind = {VALUES}"  # fmt: skip
    names = {
        **_names(engine, of_values, n_rows),
        **_names(engine, f"SELECT __p AS i, admin1 FROM {place_table}", n_places),
    }
    return DayIndex(
        (combo // (n_places * n_rows)).astype(np.int32),
        ((combo // n_rows) % n_places).astype(np.int32),
        (combo % n_rows).astype(np.int32),
        np.concatenate([firsts, [total]]).astype(np.int64),
        start,
        end,
        fat,
        facet,
        cube.places,
        names,
    )


def _take(found: pa.Table, column: str, dtype: type) -> np.ndarray:
    values: np.ndarray = found.column(column).to_numpy().astype(dtype, copy=False)
    return values


def _names(engine: DuckEngine, text: str, n: int) -> dict[str, np.ndarray]:
    """Per column ``text`` selects after ``i``: the value of each row ``i`` of ``n``
    (None: unknown, or a row of another part)."""
    found = engine.query(text)
    at = found.column("i").to_numpy().astype(np.int64)
    out = {}
    for column in found.column_names[1:]:
        names = np.full(n, None, dtype=object)
        names[at] = np.array(found.column(column).to_pylist(), dtype=object)
        out[column] = names
    return out


def day_table(
    index: DayIndex, spec: FilterSpec, column: str, lane_of: dict[str | None, int]
) -> pa.Table | None:
    """What timeline.TimelineCounter's GROUP BY per lane and day gives for ``spec``
    (:func:`serves` it), lanes by ``column``'s values (``lane_of``: the trends' lanes);
    None when the filter keeps too many events to count them here."""
    keep = np.ones(len(index.actor), dtype=bool)
    for name in VALUE_FIELDS:
        if getattr(spec, name):
            groups = index.places if name == "regions" else index.facet.table
            keep &= field_mask(groups, spec, name)[_codes(index, name)]
    kept = np.flatnonzero(keep)
    first = index.offsets[kept]
    sizes = index.offsets[kept + 1] - first
    total = int(sizes.sum())
    if total > COUNT_MAX_EVENTS:
        return None
    # The kept combinations' slices end to end (no loop over them).
    shift = np.repeat(first - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
    rows = np.arange(total, dtype=np.int64) + shift
    combo = np.repeat(kept, sizes)
    start = index.start[rows]
    end = index.end[rows] if index.end is not None else start
    fat = index.fatalities[rows].astype(np.float64)
    dated = spec.date_from is not None or spec.date_to is not None
    tolled = (
        spec.fatalities_min is not None
        or spec.fatalities_max is not None
        or not spec.include_unknown_fatalities
    )
    if dated or tolled:
        ok = dates_keep(start, lambda: end, spec.date_from, spec.date_to)
        if tolled:
            ok &= toll_keep(fat, spec.fatalities_min, spec.fatalities_max, spec.include_unknown_fatalities)  # fmt: skip
        start, end, fat, combo = start[ok], end[ok], fat[ok], combo[ok]
    # Each event's lane, by its group's value (the SQL's CASE: an unlisted value, or
    # none, in the default lane), and whether it is a milestone or a band: per group
    # (a few thousand), then per event by its group.
    default = lane_of[None]
    names = index.names[column]
    lane_by = np.array([lane_of.get(n, default) for n in names.tolist()], dtype=np.int64)
    group = index.place if LANE_COLUMNS[column] == "place" else index.value
    category = index.names["category"].tolist()
    milestone_by = np.array([c == MILESTONE_CATEGORY for c in category], dtype=bool)
    band_by = np.array([c in BAND_CATEGORIES for c in category], dtype=bool)
    value = index.value[combo]
    lane = lane_by[group[combo]]
    milestone = milestone_by[value]
    band = band_by[value] & (end > start)
    unknown = np.isnan(fat)
    day = start // NS_PER_DAY
    if len(day) == 0:
        return _grouped(*(np.zeros(0, np.int64),) * 2, np.zeros(0, np.float64), *(np.zeros(0, np.int64),) * 6)  # fmt: skip
    low = int(day.min())
    span = int(day.max()) - low + 1
    cells = (int(lane.max()) + 1) * span
    if cells > MAX_CELLS:  # dates over millennia: SQL groups what is there
        return None
    # Summed on a grid of every lane and day (bincounts: no sort), its cells with events
    # given as the GROUP BY's rows.
    key = lane * span + (day - low)
    n = np.bincount(key, minlength=cells)

    def summed(values: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.bincount(key, weights=values, minlength=cells)
        return out

    lo = np.full(cells, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(cells, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(lo, key, start)
    np.maximum.at(hi, key, start)
    at = np.flatnonzero(n)
    return _grouped(
        at // span,
        at % span + low,
        summed(np.where(unknown, 0.0, fat))[at],
        n[at],
        summed(unknown)[at].astype(np.int64),
        summed(milestone)[at].astype(np.int64),
        summed(band)[at].astype(np.int64),
        lo[at],
        hi[at],
    )


def _grouped(
    lane: np.ndarray,
    day: np.ndarray,
    fatalities: np.ndarray,
    n: np.ndarray,
    unknown: np.ndarray,
    milestones: np.ndarray,
    bands: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
) -> pa.Table:
    """The columns of the SQL's GROUP BY (timeline.TimelineCounter._aggregate)."""
    return pa.table(
        {
            "lane": pa.array(lane, pa.int64()),
            "b": pa.array(day, pa.int64()),
            "n": pa.array(n, pa.int64()),
            "unknown": pa.array(unknown, pa.int64()),
            "f": pa.array(fatalities, pa.float64()),
            "milestones": pa.array(milestones, pa.int64()),
            "bands": pa.array(bands, pa.int64()),
            "lo": pa.array(lo, pa.int64()),
            "hi": pa.array(hi, pa.int64()),
        }
    )


def _codes(index: DayIndex, name: str) -> np.ndarray:
    """What a field's test is read by: its group per combination."""
    if name == "actors":
        return index.actor
    return index.place if name == "regions" else index.value
