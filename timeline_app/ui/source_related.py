"""The detail pane's related events for a DuckDB dataset's event: the memory engine's
rules (model/related.py: the same actor within ±7 days, or within 25 km within ±3 days)
applied to the events they can reach, read in the event's worker.

Two queries read those events: the event's actors over its ±7 days, and the box around 25 km of it
over its ±3 days (each a day wider, so that no event the rules keep is left out); the
rules then run on those rows as on a memory table, and the filter's hidden ones are
counted by key. Each query reads at most ``WINDOW_ROWS`` events, nearest the event's
start first: past that (an actor with thousands of events a day, as in GDELT), the
events further in time are not looked at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pyarrow as pa

from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.related import (
    ACTOR_DAYS,
    NEAR_DAYS,
    NEAR_KM,
    RELATED_SHOWN,
    Related,
    related_events,
)
from timeline_app.model.schema import ACTOR_SEPARATOR, conform
from timeline_app.model.source import KEY_COLUMN
from timeline_app.model.units import EARTH_RADIUS_KM, NAT_NS

#: At most this many events per query (see the module's note).
WINDOW_ROWS = 20_000
NO_KEYS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class RelatedRead:
    """The related events of a DuckDB dataset's event: ``table`` the events the rules
    looked at (``keys`` theirs), ``shown`` the first related ones the filter keeps
    (rows of ``table``, nearest in time first), ``hidden`` those the filter hides."""

    table: EventTable | None = None
    keys: np.ndarray = field(default_factory=lambda: NO_KEYS)
    shown: list[Related] = field(default_factory=list)
    hidden: int = 0

    def link(self, row: int) -> str:
        """The pane's link to a related event: its engine key."""
        return f"key:{int(self.keys[row])}"


def _day(ns: int, days: int) -> datetime:
    """Midnight ``days`` days from the day of ``ns`` (a naive UTC datetime, as the
    filter's dates are)."""
    at = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=ns // 1000)
    midnight = at.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    return midnight + timedelta(days=days)


def _names(event: pd.Series) -> tuple[str, ...]:
    """The event's actor names as its table spells them (associated actors split)."""
    names: list[str] = []
    for column in ("actor1", "actor2", "assoc_actors"):
        value = event.get(column)
        if value is None or value != value:
            continue
        parts = str(value).split(ACTOR_SEPARATOR) if column == "assoc_actors" else [str(value)]
        names += [p.strip() for p in parts if p.strip()]
    return tuple(dict.fromkeys(names))


def box_around(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) holding every place within ``km`` of
    (``lat``, ``lon``): the bbox filter's form, a min lon past the max crossing the
    antimeridian. A box, not a distance filter: the engine keeps each distance filter's
    events as a table of its own (every event within reach, all dates), one more for
    each event looked at; the rules test the distance themselves."""
    reach = km / EARTH_RADIUS_KM  # radians of arc
    lat0, lat1 = lat - math.degrees(reach), lat + math.degrees(reach)
    cos_lat = math.cos(math.radians(lat))
    if lat0 <= -90 or lat1 >= 90 or math.sin(reach) >= cos_lat:  # a pole within reach
        return (-180.0, max(lat0, -90.0), 180.0, min(lat1, 90.0))
    half = math.degrees(math.asin(math.sin(reach) / cos_lat)) + 1e-9
    lo, hi = lon - half, lon + half
    return (lo + 360 if lo < -180 else lo, lat0, hi - 360 if hi > 180 else hi, lat1)


def _queries(event: pd.Series, start: int, end: int) -> list[FilterSpec]:
    """The filters whose events hold every event the two rules can keep (the rules
    compare actor names folded; the filter's actors match folded names too)."""
    specs = []
    names = _names(event)
    if names:
        specs.append(
            FilterSpec(
                actors=names,
                actor_aliases=False,
                date_from=_day(start, -ACTOR_DAYS - 1),
                date_to=_day(end, ACTOR_DAYS + 1),
            )
        )
    lat, lon = event.get("latitude"), event.get("longitude")
    if lat is not None and lon is not None and lat == lat and lon == lon:
        specs.append(
            FilterSpec(
                bbox=box_around(float(lat), float(lon), NEAR_KM + 1.0),
                date_from=_day(start, -NEAR_DAYS - 1),
                date_to=_day(end, NEAR_DAYS + 1),
            )
        )
    return specs


def _nearest(source, spec: FilterSpec, start: int) -> pa.Table:
    """At most :data:`WINDOW_ROWS` of ``spec``'s events, those that start nearest
    ``start`` (the event's: it is always among them) first. By start from the window's
    first day instead, a busy window's first rows left out the event itself, and so all
    its related events."""
    duck = getattr(source, "duck", None)  # storage/duck/event_source.DuckSource
    if duck is None:
        return source.page(spec, [("start", True)], 0, WINDOW_ROWS)
    text, params = duck.select_sql(spec, ordered=False)
    nearness = f"abs(epoch_ns(start)::DOUBLE - {float(start)!r})"  # no int64 overflow
    found: pa.Table = duck.query(
        f"SELECT * FROM ({text}) ORDER BY {nearness}, {KEY_COLUMN} LIMIT {WINDOW_ROWS:d}",
        params,
    )
    return found


def read_related(source, event: EventTable, key: int, spec: FilterSpec) -> RelatedRead:
    """(in a worker) The related events of the event of ``key`` (``event``: its table of
    one row), the filter ``spec``'s hidden ones counted."""
    start, end = int(event.start_ns[0]), int(event.end_ns[0])
    if start == NAT_NS:
        return RelatedRead()
    end = start if end == NAT_NS else end
    specs = _queries(event.df.iloc[0], start, end)
    if not specs:
        return RelatedRead()
    pages = [_nearest(source, s, start) for s in specs]
    rows = pa.concat_tables(pages, promote_options="permissive")
    keys = rows.column(KEY_COLUMN).to_numpy().astype(np.int64)
    keys, first = np.unique(keys, return_index=True)
    at = np.flatnonzero(keys == key)
    if not len(at):  # the event itself beyond the rows read: nothing to compare with
        return RelatedRead()
    rows = rows.take(first).drop_columns([KEY_COLUMN])
    table = EventTable(
        [Dataset(name="related", events=conform(rows.to_pandas()), report=LoadReport("native"))]
    )
    found = related_events(table, int(at[0]), limit=None)
    if not found:
        return RelatedRead(table, keys)
    found_keys = keys[[rel.row for rel in found]]
    kept = set(source.kept_keys(spec, found_keys).tolist())
    shown = [rel for rel, k in zip(found, found_keys.tolist(), strict=True) if k in kept]
    return RelatedRead(table, keys, shown[:RELATED_SHOWN], len(found) - len(shown))
