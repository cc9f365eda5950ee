"""Filters as data: a :class:`FilterSpec` turns into a boolean row mask.

Categorical columns are matched through a lookup table indexed by their integer
codes, so the cost per row is one array index, whatever the number of names asked
for. Free text is searched last, and only on rows that survived the rest.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

import numpy as np
import pandas as pd

from timeline_app.model.events import EventTable
from timeline_app.model.schema import ACTOR_SEPARATOR, SEARCHABLE_COLUMNS
from timeline_app.model.text import contains_folded, fold

ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actors")
REGION_COLUMNS = ("country", "admin1", "admin2", "admin3")
DAY = np.int64(86_400 * 10**9)


@dataclass(frozen=True)
class FilterSpec:
    """What the user asked to see. Repeated values OR together; fields AND together.

    Empty tuples and None mean "no constraint". ``date_to`` is inclusive: a bare date
    (midnight) includes that whole day. Dates keep events whose [start, end] overlaps.
    """

    actors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    date_from: datetime | None = None
    date_to: datetime | None = None
    fatalities_min: float | None = None
    fatalities_max: float | None = None
    include_unknown_fatalities: bool = True
    text: str = ""

    def is_empty(self) -> bool:
        return self == FilterSpec(include_unknown_fatalities=self.include_unknown_fatalities) and (
            self.fatalities_min is None and self.fatalities_max is None
        )

    def with_(self, **changes) -> FilterSpec:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("date_from", "date_to"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> FilterSpec:
        kwargs = {}
        for key, value in data.items():
            if key not in cls.__dataclass_fields__:
                continue
            if key in ("date_from", "date_to") and value is not None:
                value = datetime.fromisoformat(value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[key] = value
        return cls(**kwargs)


def filter_mask(table: EventTable, spec: FilterSpec) -> np.ndarray:
    """Boolean mask of the rows of ``table`` that ``spec`` keeps."""
    n = len(table)
    mask = np.ones(n, dtype=bool)
    if n == 0:
        return mask
    if spec.datasets:
        mask &= _in_column(table, "dataset", spec.datasets)
    if spec.categories:
        mask &= _in_column(table, "category", spec.categories)
    if spec.event_types:
        mask &= _in_column(table, "event_type", spec.event_types)
    if spec.sub_event_types:
        mask &= _in_column(table, "sub_event_type", spec.sub_event_types)
    if spec.actors:
        mask &= _in_any(table, ACTOR_COLUMNS, spec.actors)
    if spec.regions:
        mask &= _in_any(table, REGION_COLUMNS, spec.regions)
    if spec.date_from is not None:
        mask &= table.end_ns >= _ns(spec.date_from)
    if spec.date_to is not None:
        mask &= table.start_ns <= inclusive_end_ns(spec.date_to)
    if spec.fatalities_min is not None or spec.fatalities_max is not None:
        fat = table.df["fatalities"].to_numpy()
        known = ~np.isnan(fat)
        keep = known.copy()
        if spec.fatalities_min is not None:
            keep &= fat >= spec.fatalities_min
        if spec.fatalities_max is not None:
            keep &= fat <= spec.fatalities_max
        if spec.include_unknown_fatalities:
            keep |= ~known
        mask &= keep
    elif not spec.include_unknown_fatalities:
        mask &= ~np.isnan(table.df["fatalities"].to_numpy())
    if spec.text.strip():
        mask = _text_mask(table, spec.text, mask)
    return mask


def inclusive_end_ns(moment: datetime) -> np.int64:
    """The last nanosecond a "to" bound includes: a bare date includes its whole day."""
    ns = _ns(moment)
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return ns + DAY - 1
    return ns


def _ns(moment: datetime) -> np.int64:
    return np.int64(pd.Timestamp(moment).as_unit("ns").value)


def _lookup(table: EventTable, column: str, wanted: set[str], split: bool = False) -> np.ndarray:
    """A bool per category of ``column`` (plus a False for code -1) saying it matches."""
    categories = table.df[column].cat.categories
    hits = np.zeros(len(categories) + 1, dtype=bool)
    for i, name in enumerate(categories):  # loops over distinct names, not rows
        parts = str(name).split(ACTOR_SEPARATOR) if split else [str(name)]
        hits[i] = any(fold(p) in wanted for p in parts)
    return hits


def _in_column(table: EventTable, column: str, values: tuple[str, ...]) -> np.ndarray:
    lut = _lookup(table, column, {fold(v) for v in values})
    return lut[table.codes(column)]


def _in_any(table: EventTable, columns: tuple[str, ...], values: tuple[str, ...]) -> np.ndarray:
    wanted = {fold(v) for v in values}
    mask = np.zeros(len(table), dtype=bool)
    for column in columns:
        lut = _lookup(table, column, wanted, split=column == "assoc_actors")
        if lut.any():
            mask |= lut[table.codes(column)]
    return mask


def _text_mask(table: EventTable, query: str, mask: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return mask
    found = np.zeros(len(rows), dtype=bool)
    for column in SEARCHABLE_COLUMNS:
        series = table.df[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            # Search the distinct names once, then map through the codes.
            cats = pd.array(series.cat.categories.astype(str), dtype="string[pyarrow]")
            lut = np.append(np.asarray(contains_folded(cats.__arrow_array__(), query)), False)
            found |= lut[table.codes(column)[rows]]
        else:
            values = series.array.__arrow_array__()
            subset = values if len(rows) == len(table) else values.take(rows)
            found |= np.asarray(contains_folded(subset, query), dtype=bool)
    out = np.zeros_like(mask)
    out[rows[found]] = True
    return out


@dataclass
class FilterResult:
    """The outcome of a filter: the mask and the visible row numbers in table order."""

    mask: np.ndarray
    rows: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.rows = np.flatnonzero(self.mask)
