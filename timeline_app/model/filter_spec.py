"""The filter as data: :class:`FilterSpec`, what the user asked to see, and its
(de)serialisation (workspaces, undo, export provenance).

The masks that apply a spec to an event table live in :mod:`timeline_app.model.filters`.
To add a constraint (a spatial area, aliases, matched events…): add a field here with a
default meaning "no constraint", so that ``is_empty``/``to_dict``/``from_dict`` keep
working (tuples are stored as lists; anything else must be JSON as it is), then add its
test to ``filters._constraints`` with the kernel in a module of its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actors")
REGION_COLUMNS = ("country", "admin1", "admin2", "admin3")

#: FilterSpec fields that select values of a column (the facets of the filter panel).
VALUE_FIELDS: dict[str, tuple[str, ...]] = {
    "actors": ACTOR_COLUMNS,
    "regions": REGION_COLUMNS,
    "categories": ("category",),
    "event_types": ("event_type",),
    "sub_event_types": ("sub_event_type",),
    "datasets": ("dataset",),
}

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points, closed
Polygon = tuple[Ring, ...]  # the outer ring, then its holes
Area = tuple[Polygon, ...]  # a union of polygons

#: Fields holding a datetime, written as ISO 8601 text.
_DATE_FIELDS = ("date_from", "date_to")


@dataclass(frozen=True)
class FilterSpec:
    """What the user asked to see. Repeated values OR together; fields AND together.

    Empty tuples and None mean "no constraint". ``date_to`` is inclusive: a bare date
    (midnight) includes that whole day. Dates keep events whose [start, end] overlaps;
    an event of unknown date is dropped by any date bound. ``include_unknown_fatalities``
    False drops the events whose fatalities are unknown, with or without bounds.
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
    # Where (kernels in model/spatial.py); an event without coordinates never passes.
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    near: tuple[float, float, float] | None = None  # lat, lon, km
    within: Area = ()  # kept inline, so that undo and workspaces hold the area itself
    within_name: str = ""  # what the area is called (a file, a region, "drawn area")
    #: Actors match through the actor dictionary too (canonical names and aliases).
    actor_aliases: bool = True
    #: With aliases: also the attributions the source left uncertain ("X and/or Y").
    include_uncertain_actors: bool = False
    #: Likely-same pairs (model/matched.py): "", "matched", "unmatched" or "no_second".
    matched: str = ""

    def is_empty(self) -> bool:
        return self.with_(text=self.text.strip()) == FilterSpec()

    def with_(self, **changes: Any) -> FilterSpec:
        return replace(self, **changes)

    def without(self, field_name: str) -> FilterSpec:
        """This spec with one field back at its default (no constraint)."""
        defaults: dict[str, Any] = {f.name: f.default for f in fields(self)}
        return replace(self, **{field_name: defaults[field_name]})

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in _DATE_FIELDS:
            if data[key] is not None:
                data[key] = data[key].isoformat()
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FilterSpec:
        """The spec ``to_dict`` wrote; unknown keys (from a newer version) are ignored."""
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls.__dataclass_fields__:
                continue
            if key in _DATE_FIELDS and value is not None:
                value = datetime.fromisoformat(value)
            elif key == "within":
                value = as_area(value or ())
            elif key in ("bbox", "near") and value is not None:
                value = tuple(float(v) for v in value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[key] = value
        return cls(**kwargs)


def as_area(value: Any) -> Area:
    """Nested lists (from JSON) back to the nested tuples of an area."""
    return tuple(
        tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in poly) for poly in value
    )
