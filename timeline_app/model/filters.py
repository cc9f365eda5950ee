"""The filter kernels: a :class:`FilterSpec` (see :mod:`~timeline_app.model.filter_spec`,
re-exported here) turns into a boolean row mask.

Categorical columns are matched through a lookup table indexed by their integer
codes, so the cost per row is one array index, whatever the number of names asked
for. Names are compared folded (case and accents ignored); the folded names of each
table are computed once and cached. Free text is searched last, and only on rows that
survived the rest, in the text as it is, with a pattern that matches each letter of the
folded query in any case and with any accent (:func:`accent_pattern`): as fast as a
literal search on a folded copy, without the copy (the size of the notes: 400 MB at 1M
ACLED rows).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.model.actors import (
    active_dictionary,
    alias_mask,
    resolution_pending,
    table_actors,
)
from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import (
    ACTOR_COLUMNS,
    REGION_COLUMNS,
    VALUE_FIELDS,
    FilterSpec,
)
from timeline_app.model.matched import matched_tests
from timeline_app.model.schema import ACTOR_SEPARATOR, SEARCHABLE_COLUMNS
from timeline_app.model.spatial import prepare_area_filters, spatial_tests
from timeline_app.model.table_cache import PerTable
from timeline_app.model.text import fold
from timeline_app.model.units import NAT_NS, NS_PER_DAY
from timeline_app.model.value_tests import dates_keep, inclusive_end_ns, moment_ns, toll_keep

# The spec's names are re-exported: ``from timeline_app.model.filters import FilterSpec``
# keeps working.
__all__ = [
    "ACTOR_COLUMNS",
    "REGION_COLUMNS",
    "VALUE_FIELDS",
    "FilterResult",
    "FilterSpec",
    "WarmingStopped",
    "accent_pattern",
    "constraints_mask",
    "date_mask",
    "fatalities_mask",
    "filter_mask",
    "inclusive_end_ns",
    "name_lookup",
    "prepare_filters",
    "prepare_in_background",
    "take_rows",
    "text_mask",
    "text_scan_rows",
    "value_mask",
]


#: From this many rows up, the GUI prepares a table's filter caches in a thread.
PREPARE_IN_BACKGROUND_ROWS = 50_000
#: Searching a subset of rows copies it first; past this share, search everything.
TAKE_FRACTION = 0.25


def filter_mask(table: EventTable, spec: FilterSpec) -> np.ndarray:
    """Boolean mask of the rows of ``table`` that ``spec`` keeps (a new array each call).

    Each constraint's mask over all rows is kept (a few recent ones per table), so a
    change of one field recomputes that field only and ANDs the others' kept masks.
    """
    mask = constraints_mask(table, spec)
    if spec.text.strip() and len(mask):
        mask = text_mask(table, spec.text, mask)
    return mask


def constraints_mask(table: EventTable, spec: FilterSpec) -> np.ndarray:
    """The rows every constraint but the free text keeps (a new array each call)."""
    kept = _kept_constraints_mask(table, spec)
    # The kept masks are shared: never hand one out.
    return np.ones(len(table), dtype=bool) if kept is None else kept.copy()


def _kept_constraints_mask(table: EventTable, spec: FilterSpec) -> np.ndarray | None:
    """The kept (read-only) AND of the constraints' masks; None without constraints."""
    tests = _constraints(table, spec)
    if not tests:
        return None
    cache = _cache(table)
    masks = [cache.constraint_mask(key, test) for key, test in tests]
    if len(masks) == 1:
        return masks[0]

    def both() -> np.ndarray:
        out: np.ndarray = masks[0].copy()
        for mask in masks[1:]:
            out &= mask
        return out

    return cache.constraint_mask(("all", *(key for key, _ in tests)), both)


def text_scan_rows(table: EventTable, spec: FilterSpec) -> int:
    """How many rows the free-text search of ``spec`` reads (0 without text): the rows
    the other constraints keep, or every row once they are many (see TAKE_FRACTION)."""
    if not fold(spec.text.strip()) or not len(table):
        return 0
    mask = _kept_constraints_mask(table, spec)
    kept = len(table) if mask is None else int(np.count_nonzero(mask))
    return len(table) if kept >= TAKE_FRACTION * len(table) else kept


#: A filter whose text search reads more rows than this (~0.6 s for the notes of 1M
#: rows) is computed off the UI thread; every other filter takes milliseconds and is
#: shown at once.
OFFLOAD_TEXT_ROWS = 200_000


def worth_offloading(table: EventTable, spec: FilterSpec) -> bool:
    """Whether computing ``spec``'s mask is slow enough for a worker thread: a long text
    search, or the first actor filter through the dictionary (resolving every actor
    name of the table: about 0.5 s at 1M rows) before the warm-up has done it."""
    if len(table) <= OFFLOAD_TEXT_ROWS:
        return False
    widened = [v for v in spec.actors if not v.startswith(EXACT_ACTOR)]
    if spec.actor_aliases and widened and resolution_pending(table, widened):
        return True
    return text_scan_rows(table, spec) > OFFLOAD_TEXT_ROWS


RowTest = Callable[[], np.ndarray]
#: What identifies one constraint's mask (its field and values), hashable.
Key = tuple[object, ...]
#: Constraint masks kept per table (1 byte per row each: 1 MB at 1M rows).
KEPT_MASKS = 24


def _constraints(table: EventTable, spec: FilterSpec) -> list[tuple[Key, RowTest]]:
    """(key, full-table test) per active constraint; equal keys give equal masks."""
    tests: list[tuple[Key, RowTest]] = []
    for name in VALUE_FIELDS:
        values = getattr(spec, name)
        if values:
            key: Key = (name, frozenset(fold(v) for v in values))
            if name == "actors" and spec.actor_aliases:
                key += (actor_dictionary_version(), spec.include_uncertain_actors)
            tests.append((key, partial(field_mask, table, spec, name)))
    if spec.date_from is not None or spec.date_to is not None:
        key = ("dates", spec.date_from, spec.date_to)
        tests.append((key, partial(date_mask, table, spec.date_from, spec.date_to)))
    if (
        spec.fatalities_min is not None
        or spec.fatalities_max is not None
        or not spec.include_unknown_fatalities
    ):
        low, high, unknown = (
            spec.fatalities_min,
            spec.fatalities_max,
            spec.include_unknown_fatalities,
        )
        key = ("fatalities", low, high, unknown)
        tests.append((key, partial(fatalities_mask, table, low, high, unknown)))
    tests += spatial_tests(table, spec)  # box, distance, area (model/spatial.py)
    tests += matched_tests(table, spec)  # likely-same pairs (model/matched.py)
    return tests


def _at(values: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    return values if rows is None else values[rows]


#: Up to this many matching codes, comparing codes beats a table lookup (~5x at 1M rows).
COMPARE_CODES = 6


def _lookup(lut: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``lut[codes]``: by comparisons when few codes match, else by ``np.take``."""
    hits = np.flatnonzero(lut[:-1])
    if len(hits) > COMPARE_CODES or lut[-1]:
        return np.take(lut, codes)
    out: np.ndarray = codes == hits[0]
    for code in hits[1:]:
        out |= codes == code
    return out


def value_mask(
    table: EventTable, field_name: str, values: tuple[str, ...], rows: np.ndarray | None = None
) -> np.ndarray:
    """Rows where any of the field's columns holds one of ``values`` (whole names, folded).

    With ``rows``, the answer for those rows only."""
    wanted = {fold(v) for v in values}
    mask = None
    for column in VALUE_FIELDS[field_name]:
        lut = name_lookup(table, column, wanted)
        if not lut.any():
            continue  # no such name in this column: no need to look at its rows
        hit = _lookup(lut, _at(table.codes(column), rows))
        if mask is None:
            mask = hit
        else:
            mask |= hit
    if mask is None:
        return np.zeros(len(table) if rows is None else len(rows), dtype=bool)
    return mask


def field_mask(table: EventTable, spec: FilterSpec, field_name: str) -> np.ndarray:
    """The rows one value field of ``spec`` keeps: its names, and for actors (unless
    ``actor_aliases`` is off) every name the actor dictionary gives the same actor."""
    values = getattr(spec, field_name)
    if field_name != "actors":
        return value_mask(table, field_name, values)
    # "=NAME" is that spelling only (the Filters dock's raw spellings): never widened.
    exact = tuple(v[len(EXACT_ACTOR) :] for v in values if v.startswith(EXACT_ACTOR))
    widened = tuple(v for v in values if not v.startswith(EXACT_ACTOR))
    mask = value_mask(table, field_name, exact + widened)
    if spec.actor_aliases and widened:
        mask |= alias_mask(table, widened, spec.include_uncertain_actors)
    return mask


#: Starts an actor term meaning that spelling only, not every name of its actor.
EXACT_ACTOR = "="


def actor_dictionary_version() -> str:
    return active_dictionary().version


def date_mask(
    table: EventTable,
    date_from: datetime | None,
    date_to: datetime | None,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Events whose [start, end] overlaps [date_from, date_to], bounds inclusive."""
    start = _at(table.start_ns, rows)
    end = partial(_at, table.end_ns, rows)
    return dates_keep(start, end, date_from, date_to, start != NAT_NS)


def fatalities_mask(
    table: EventTable,
    low: float | None,
    high: float | None,
    include_unknown: bool,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    return toll_keep(_at(_cache(table).fatalities(), rows), low, high, include_unknown)


def name_lookup(table: EventTable, column: str, wanted: set[str]) -> np.ndarray:
    """A bool per category of ``column`` (plus a False for code -1) saying it matches.

    ``assoc_actors`` holds several names per value (``A; B``): a value matches when any
    of its names does.
    """
    cache = _cache(table)
    key = (column, frozenset(wanted))
    with cache.lookup_lock:  # the panel counts in a thread while the UI filters
        hits = cache.lookups.get(key)
    if hits is not None:
        return hits
    if column == "assoc_actors":
        parts, owner = cache.parts(column)
        hits = np.zeros(len(cache.folded(column)) + 1, dtype=bool)
        hits[owner[[p in wanted for p in parts]]] = True
    else:
        folded = cache.folded(column)
        hits = np.zeros(len(folded) + 1, dtype=bool)
        hits[:-1] = [f in wanted for f in folded]  # loops over distinct names, not rows
    with cache.lookup_lock:
        if len(cache.lookups) >= 256:  # recent choices only
            cache.lookups.pop(next(iter(cache.lookups)))
        cache.lookups[key] = hits
    return hits


def text_mask(table: EventTable, query: str, mask: np.ndarray | None = None) -> np.ndarray:
    """``mask`` narrowed to rows whose title, notes, location or source contain ``query``."""
    if mask is None:
        mask = np.ones(len(table), dtype=bool)
    needle = fold(query)
    rows = np.flatnonzero(mask)
    if not needle or len(rows) == 0:
        return mask
    cache = _cache(table)
    found = np.zeros(len(rows), dtype=bool)
    subset = len(rows) < TAKE_FRACTION * len(table)
    pattern = accent_pattern(needle)
    for column in SEARCHABLE_COLUMNS:
        if isinstance(table.df[column].dtype, pd.CategoricalDtype):
            # Search the distinct names once, then map through the codes.
            lut = _names_containing(cache, column, needle)
            if lut.any():
                found |= lut[table.codes(column)[rows]]
            continue
        text = cache.raw_text(column)
        if subset:
            found |= _bools(pc.match_substring_regex(take_rows(text, rows), pattern))
        else:
            found |= _bools(pc.match_substring_regex(text, pattern))[rows]
    out = np.zeros_like(mask)
    out[rows[found]] = True
    return out


def _names_containing(cache: _TableCache, column: str, needle: str) -> np.ndarray:
    """A bool per category of ``column`` (and False for code -1): its folded name
    contains ``needle``. Kept with the name lookups (thousands of places per search)."""
    key = (f"text:{column}", needle)
    with cache.lookup_lock:
        hits = cache.lookups.get(key)
    if hits is None:
        folded = cache.folded(column)
        hits = np.zeros(len(folded) + 1, dtype=bool)
        hits[:-1] = [needle in f for f in folded]  # loops over distinct names, not rows
        with cache.lookup_lock:
            if len(cache.lookups) >= 256:  # recent searches only
                cache.lookups.pop(next(iter(cache.lookups)))
            cache.lookups[key] = hits
    return hits


def prepare_filters(table: EventTable) -> None:
    """Fold the names and count the categories and days now, so that the first filter
    is as quick as the next (about a second at 1M rows: run it off the UI thread)."""
    cache = _cache(table)
    for column in {c for cols in VALUE_FIELDS.values() for c in cols} | set(SEARCHABLE_COLUMNS):
        if isinstance(table.df[column].dtype, pd.CategoricalDtype):
            cache.folded(column)
            cache.category_counts(column)
    cache.parts("assoc_actors")
    cache.date_share(None, None)
    table_actors(table)
    prepare_area_filters(table)


class WarmingStopped(Exception):
    """Background preparation given up: cancelled, or its table was closed meanwhile."""


def prepare_in_background(
    table_ref: weakref.ref[EventTable], cancelled: Callable[[], bool]
) -> bool:
    """:func:`prepare_filters` for a thread.

    Holds the table only through ``table_ref`` and checks ``cancelled`` between steps,
    so a table closed or replaced meanwhile is let go within moments instead of being
    kept until the work is done. Returns whether everything was prepared.
    """
    table = table_ref()
    if table is None:
        return False
    cache = _cache(table)
    categorical = [
        c
        for c in sorted(
            {c for cols in VALUE_FIELDS.values() for c in cols} | set(SEARCHABLE_COLUMNS)
        )
        if isinstance(table.df[c].dtype, pd.CategoricalDtype)
    ]
    del table  # from here on only the cache's weak reference

    def stop() -> bool:
        return cancelled() or table_ref() is None

    steps: list[Callable[[], object]] = []
    for column in categorical:
        steps += [partial(cache.folded, column), partial(cache.category_counts, column)]
    steps += [partial(cache.parts, "assoc_actors"), partial(cache.date_share, None, None)]
    steps += [partial(_on_table, table_ref, f) for f in (table_actors, prepare_area_filters)]
    try:
        for step in steps:
            if stop():
                return False
            step()
    except WarmingStopped:
        return False
    return True


def _on_table(table_ref: weakref.ref[EventTable], prepare: Callable[[EventTable], object]) -> None:
    table = table_ref()
    if table is not None:
        prepare(table)


def take_rows(values: pa.ChunkedArray[Any], rows: np.ndarray) -> pa.Array[Any]:
    """``values[rows]`` for sorted ``rows``, chunk by chunk (a take on the whole
    chunked array would first copy every chunk into one)."""
    bounds = np.cumsum([0] + [len(c) for c in values.chunks])
    cut = np.searchsorted(rows, bounds)
    parts = [
        chunk.take(pa.array(rows[cut[k] : cut[k + 1]] - bounds[k]))
        for k, chunk in enumerate(values.chunks)
        if cut[k + 1] > cut[k]
    ]
    return pa.concat_arrays(parts) if parts else pa.array([], type=values.type)


#: Combining marks (the general, Latin and Arabic ones) that text written decomposed has
#: after a letter ("e" + U+0301); folding drops them, so the pattern lets them be. Named
#: as ranges, not ``\p{Mn}``: with that class after each letter RE2 was 3x slower.
_MARKS = (
    r"[\x{300}-\x{36f}\x{1ab0}-\x{1aff}\x{1dc0}-\x{1dff}\x{20d0}-\x{20ff}\x{fe20}-\x{fe2f}"
    r"\x{610}-\x{61a}\x{64b}-\x{65f}\x{670}\x{6d6}-\x{6ed}]*"
)


def accent_pattern(needle: str) -> str:
    """An RE2 pattern finding folded ``needle`` in text that is not folded: each letter
    also matches its accented forms (precomposed, or followed by combining marks), in
    any case. As fast as a literal search in a folded copy (~0.6 s over 1M notes)."""
    parts = []
    for ch in needle:
        variants = _ACCENTED.get(ch)
        parts.append((f"[{re.escape(ch)}{variants}]" if variants else re.escape(ch)) + _MARKS)
    return "(?i)" + "".join(parts)


def _accented_letters() -> dict[str, str]:
    found: dict[str, str] = {}
    # Latin-1 Supplement, Latin Extended-A/B, and Latin Extended Additional (the dotted
    # letters of transliterated Arabic: ḥ, ṣ, ḍ, ṭ, ẓ).
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        key = fold(ch)
        if len(key) == 1 and key.isascii() and key.isalpha():
            found[key] = found.get(key, "") + ch
    return found


_ACCENTED = _accented_letters()


def _bools(hits: pa.Array[Any] | pa.ChunkedArray[Any]) -> np.ndarray:
    return np.asarray(pc.fill_null(hits, pa.scalar(False)), dtype=bool)


class _TableCache:
    """What filtering one table needs again and again: folded names, counts, masks."""

    def __init__(self, table: EventTable) -> None:
        self._table = weakref.ref(table)
        self._folded: dict[str, list[str]] = {}
        self._parts: dict[str, tuple[list[str], np.ndarray]] = {}
        self._fatalities: np.ndarray | None = None
        self.lookups: dict[tuple[str, frozenset[str] | str], np.ndarray] = {}
        self.lookup_lock = threading.Lock()
        self._counts: dict[str, np.ndarray] = {}
        self._days: tuple[np.int64, np.ndarray] | None = None
        self._masks: dict[Key, np.ndarray] = {}  # constraint key -> mask, oldest first
        self._masks_lock = threading.Lock()

    def constraint_mask(self, key: Key, test: Callable[[], np.ndarray]) -> np.ndarray:
        """The full-table mask of one constraint, computed once while it is recent.
        Read-only: callers AND it into their own array."""
        with self._masks_lock:
            mask = self._masks.pop(key, None)
            if mask is not None:
                self._masks[key] = mask  # most recent last
                return mask
        mask = test()
        mask.flags.writeable = False
        with self._masks_lock:
            self._masks[key] = mask
            while len(self._masks) > KEPT_MASKS:
                self._masks.pop(next(iter(self._masks)))
        return mask

    @property
    def table(self) -> EventTable:
        table = self._table()
        if table is None:  # only a background warmer can outlive its table
            raise WarmingStopped()
        return table

    def folded(self, column: str) -> list[str]:
        if column not in self._folded:
            categories = self.table.df[column].cat.categories
            self._folded[column] = [fold(c) for c in categories]
        return self._folded[column]

    def parts(self, column: str) -> tuple[list[str], np.ndarray]:
        """Each separated name of each category, folded, with the category it belongs to."""
        if column not in self._parts:
            names: list[str] = []
            owner: list[int] = []
            for i, value in enumerate(self.table.df[column].cat.categories):
                for part in str(value).split(ACTOR_SEPARATOR):
                    if part.strip():
                        names.append(fold(part))
                        owner.append(i)
            self._parts[column] = (names, np.asarray(owner, dtype=np.int64))
        return self._parts[column]

    def raw_text(self, column: str) -> pa.ChunkedArray[Any]:
        values = self.table.df[column].array.__arrow_array__()
        return values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])

    def category_counts(self, column: str) -> np.ndarray:
        """Rows per category of ``column`` (for estimates)."""
        if column not in self._counts:
            codes = self.table.codes(column)
            ncat = len(self.table.df[column].cat.categories)
            self._counts[column] = np.bincount(codes + 1, minlength=ncat + 1)[1:]
        return self._counts[column]

    def value_share(self, field_name: str, wanted: set[str]) -> float:
        """At most this share of rows can match (the columns' matches added up)."""
        n = max(len(self.table), 1)
        total = 0
        for column in VALUE_FIELDS[field_name]:
            lut = name_lookup(self.table, column, wanted)
            if lut.any():
                total += int(self.category_counts(column)[lut[:-1]].sum())
        return min(total / n, 1.0)

    def date_share(self, date_from: datetime | None, date_to: datetime | None) -> float:
        """About this share of rows start within the dates (periods are not counted)."""
        if self._days is None:
            start = self.table.start_ns
            known = start[start != NAT_NS] // NS_PER_DAY
            first = known.min() if len(known) else np.int64(0)
            per_day = np.bincount(known - first) if len(known) else np.zeros(1, np.int64)
            self._days = (first, np.concatenate([[0], np.cumsum(per_day)]))
        first, cumulative = self._days
        lo = 0 if date_from is None else int(moment_ns(date_from) // NS_PER_DAY - first)
        hi = (
            len(cumulative) - 1
            if date_to is None
            else int(moment_ns(date_to) // NS_PER_DAY - first) + 1
        )
        lo, hi = (min(max(x, 0), len(cumulative) - 1) for x in (lo, hi))
        return float(cumulative[hi] - cumulative[lo]) / max(len(self.table), 1) if hi > lo else 0.0

    def fatalities(self) -> np.ndarray:
        if self._fatalities is None:
            self._fatalities = self.table.df["fatalities"].to_numpy(dtype="float64")
        return self._fatalities


_KERNEL_DATA = PerTable[_TableCache]("filters: kernel data")


def _cache(table: EventTable) -> _TableCache:
    return _KERNEL_DATA.get(table, lambda: _TableCache(table))


@dataclass
class FilterResult:
    """The outcome of a filter: the mask and the visible row numbers in table order."""

    mask: np.ndarray
    rows: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.rows = np.flatnonzero(self.mask)
