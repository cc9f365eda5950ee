"""A :class:`FilterSpec` compiled to a DuckDB condition that keeps exactly the rows the
memory engine's masks keep (model/filters.py), field by field:

- names (actors, regions, categories, types, datasets) are compared folded, as
  model/text.py folds them: the distinct values of a column are folded in Python (few:
  a dictionary page per row group), and the condition lists the raw values that match,
  so the scan compares plain strings (and skips row groups by their statistics);
- actors through the dictionary: see :mod:`~timeline_app.storage.duck.aliases`;
- dates, fatalities and the box are the same comparisons on the same float64 and
  nanosecond values;
- free text: the same RE2 pattern (filters.accent_pattern) on title and notes, the
  folded-name test on the categorical location and source;
- a distance or an area: a box around it in SQL, then the memory engine's own kernels
  (haversine, shapely) on the survivors' coordinates; the keys they keep go into a table
  the condition joins (see engine.py). DuckDB's spatial extension is not needed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import pandas as pd

from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.model.filters import EXACT_ACTOR, accent_pattern, inclusive_end_ns
from timeline_app.model.schema import ACTOR_SEPARATOR, CATEGORICAL_COLUMNS, SEARCHABLE_COLUMNS
from timeline_app.model.spatial import area_bounds, near_band
from timeline_app.model.text import fold
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.aliases import alias_condition


class Names(Protocol):
    """What compiling needs from the engine: a column's distinct values."""

    def distinct(self, column: str) -> list[str]: ...

    def distinct_where(self, column: str, condition: str) -> list[str | None]: ...

    def longest_span_ns(self) -> int | None: ...


#: Where both coordinates are usable (model/spatial.known_xy).
KNOWN_XY = (
    "(isfinite(latitude) AND isfinite(longitude) AND abs(latitude) <= 90 AND abs(longitude) <= 180)"
)


def condition(
    names: Names,
    spec: FilterSpec,
    spatial_keys: Callable[[FilterSpec], str] | None = None,
) -> str:
    """The WHERE condition of ``spec``. ``spatial_keys`` gives the condition of an exact
    distance or area filter (the engine's table of kept keys); without it they are left
    to the caller (only their box is in the condition)."""
    parts = [value_condition(names, spec, name) for name in VALUE_FIELDS if getattr(spec, name)]
    parts.append(date_condition(spec, names.longest_span_ns() if spec.date_from else None))
    parts.append(fatalities_condition(spec))
    parts.append(box_condition(spec))
    if spatial_keys is not None and (spec.near is not None or spec.within):
        parts.append(spatial_keys(spec))
    parts.append(text_condition(names, spec.text))
    return sql.all_of(parts)


def matching_names(names: Names, column: str, wanted: set[str]) -> list[str]:
    """The raw values of ``column`` whose folded name (any ``;`` part of assoc_actors) is
    one of ``wanted`` (folded)."""
    found = []
    for value in names.distinct(column):
        if column == "assoc_actors":
            parts = [fold(p) for p in value.split(ACTOR_SEPARATOR) if p.strip()]
            if any(p in wanted for p in parts):
                found.append(value)
        elif fold(value) in wanted:
            found.append(value)
    return found


def value_condition(names: Names, spec: FilterSpec, field_name: str) -> str:
    values = getattr(spec, field_name)
    widened = values
    if field_name == "actors":  # "=NAME": that spelling only, never widened (filters.py)
        widened = tuple(v for v in values if not v.startswith(EXACT_ACTOR))
        values = tuple(v[len(EXACT_ACTOR) :] for v in values if v.startswith(EXACT_ACTOR))
        values += widened
    wanted = {fold(v) for v in values}
    clauses = [
        sql.in_list(column, matching_names(names, column, wanted))
        for column in VALUE_FIELDS[field_name]
    ]
    if field_name == "actors" and spec.actor_aliases and widened:
        clauses.append(alias_condition(names, widened, spec.include_uncertain_actors))
    return sql.any_of(clauses)


#: Beyond this (year 1823), a start bound would skip nothing (and near the int64 limit).
EARLIEST_NS = -(2**62)


def date_condition(spec: FilterSpec, longest_ns: int | None = None) -> str:
    """[start, end] overlaps [from, to], bounds inclusive, a bare "to" date its whole day.
    ``longest_ns``, how long the longest event lasts, adds the start's lower bound it
    implies (the same rows: it lets DuckDB skip the row groups that start before)."""
    parts = []
    if spec.date_from is not None:
        first = int(inclusive_start_ns(spec))
        parts.append(f'"end" >= {sql.timestamp_ns(first)}')
        earliest = first - int(longest_ns) if longest_ns is not None else None
        if earliest is not None and earliest > EARLIEST_NS:  # else no bound to speak of
            parts.append(f"start >= {sql.timestamp_ns(earliest)}")
    if spec.date_to is not None:
        parts.append(f"start <= {sql.timestamp_ns(int(inclusive_end_ns(spec.date_to)))}")
    return sql.all_of(parts)


def inclusive_start_ns(spec: FilterSpec) -> int:
    assert spec.date_from is not None
    return int(pd.Timestamp(spec.date_from).as_unit("ns").value)


def fatalities_condition(spec: FilterSpec) -> str:
    low, high = spec.fatalities_min, spec.fatalities_max
    if low is None and high is None and spec.include_unknown_fatalities:
        return "true"
    known = "(fatalities IS NOT NULL AND NOT isnan(fatalities))"
    parts = [known]
    if low is not None:
        parts.append(f"fatalities >= {sql.number(low)}")
    if high is not None:
        parts.append(f"fatalities <= {sql.number(high)}")
    keep = sql.all_of(parts)
    if spec.include_unknown_fatalities:
        return f"({keep} OR fatalities IS NULL OR isnan(fatalities))"
    return keep


def box_condition(spec: FilterSpec) -> str:
    """The box filter exactly (model/spatial.bbox_mask), and a box around a distance or
    an area (a superset: their exact test follows)."""
    parts = []
    if spec.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in spec.bbox)
        parts += [KNOWN_XY, f"latitude >= {sql.number(min_lat)}"]
        parts.append(f"latitude <= {sql.number(max_lat)}")
        if min_lon <= max_lon:
            parts += [f"longitude >= {sql.number(min_lon)}", f"longitude <= {sql.number(max_lon)}"]
        else:
            parts.append(
                f"(longitude >= {sql.number(min_lon)} OR longitude <= {sql.number(max_lon)})"
            )
    if spec.near is not None or spec.within:
        parts.append(KNOWN_XY)
    if spec.near is not None:
        lat0, band = float(spec.near[0]), near_band(spec.near) + 1e-6
        parts += [
            f"latitude >= {sql.number(lat0 - band)}",
            f"latitude <= {sql.number(lat0 + band)}",
        ]
    if spec.within:
        bounds = area_bounds(spec.within)
        if bounds is None:
            return "false"
        x0, y0, x1, y1 = bounds
        eps = 1e-9
        parts += [f"longitude >= {sql.number(x0 - eps)}", f"longitude <= {sql.number(x1 + eps)}"]
        parts += [f"latitude >= {sql.number(y0 - eps)}", f"latitude <= {sql.number(y1 + eps)}"]
    return sql.all_of(parts)


def text_condition(names: Names, query: str) -> str:
    """Title, notes, location or source contain ``query`` (case and accents ignored)."""
    if not query.strip():
        return "true"
    needle = fold(query)
    if not needle:
        return "true"
    pattern = accent_pattern(needle)
    clauses = []
    for column in SEARCHABLE_COLUMNS:
        if column in CATEGORICAL_COLUMNS:  # the distinct names, folded, as the memory engine
            hits = [v for v in names.distinct(column) if needle in fold(v)]
            clauses.append(sql.in_list(column, hits))
        else:
            clauses.append(f"regexp_matches({sql.ident(column)}, {sql.text(pattern)})")
    return sql.any_of(clauses)
