"""Events related to one event: the same actors within ±7 days, or within 25 km within
±3 days.

Each rule first narrows the table to a time window with two int64 comparisons, then
looks only at those candidates (actor codes, haversine distances), so a click stays
instant on a million events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from timeline_app.model.events import EventTable
from timeline_app.model.filters import ACTOR_COLUMNS
from timeline_app.model.schema import ACTOR_SEPARATOR
from timeline_app.model.text import fold
from timeline_app.model.units import EARTH_RADIUS_KM, NS_PER_DAY

ACTOR_DAYS = 7
NEAR_DAYS = 3
NEAR_KM = 25.0
#: The detail pane lists the first related events the filter shows (and counts the rest).
RELATED_SHOWN = 25


@dataclass(frozen=True)
class Related:
    row: int
    reason: str  # "same actor: JNIM", "12 km away"
    days: float  # gap between the two events, in days (0 when they overlap)
    km: float = float("nan")


def related_events(
    table: EventTable,
    row: int,
    candidates: np.ndarray | None = None,
    limit: int | None = 25,
) -> list[Related]:
    """Events related to ``row``, nearest in time first (each at most once).

    ``candidates`` is an optional boolean mask (e.g. the filtered rows) limiting where
    to look. At most ``limit`` events are returned (None: all of them).
    """
    if row < 0 or row >= len(table):
        return []
    found: dict[int, Related] = {}
    for rel in same_actors(table, row, candidates) + nearby(table, row, candidates):
        if rel.row not in found:
            found[rel.row] = rel
        elif rel.km == rel.km:  # both rules: say both
            first = found[rel.row]
            found[rel.row] = Related(rel.row, f"{first.reason}; {rel.reason}", first.days, rel.km)
    ordered = sorted(found.values(), key=lambda r: (r.days, r.row))
    return ordered if limit is None else ordered[:limit]


def _window(
    table: EventTable, row: int, days: int, candidates: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose [start, end] comes within ``days`` of the event's, and the gap in days."""
    start, end = table.start_ns[row], table.end_ns[row]
    reach = np.int64(days) * NS_PER_DAY
    hit = (table.start_ns <= end + reach) & (table.end_ns >= start - reach)
    if candidates is not None:
        hit &= candidates
    hit[row] = False
    rows = np.flatnonzero(hit)
    gap = np.maximum(table.start_ns[rows] - end, start - table.end_ns[rows])
    return rows, np.maximum(gap, 0) / NS_PER_DAY


def event_actors(table: EventTable, row: int) -> set[str]:
    """The folded names of the event's actors (associated actors split)."""
    names = set()
    for column in ACTOR_COLUMNS:
        value = table.df[column].iloc[row]
        if value is None or value != value:  # NaN / missing
            continue
        parts = str(value).split(ACTOR_SEPARATOR) if column == "assoc_actors" else [str(value)]
        names |= {fold(p.strip()) for p in parts if p.strip()}
    return names


def same_actors(table: EventTable, row: int, candidates: np.ndarray | None = None) -> list[Related]:
    names = event_actors(table, row)
    if not names:
        return []
    rows, gap = _window(table, row, ACTOR_DAYS, candidates)
    if not len(rows):
        return []
    shared: dict[int, str] = {}
    for column in ACTOR_COLUMNS:
        codes = table.codes(column)[rows]
        categories = table.df[column].cat.categories
        # Check each distinct actor among the candidates once, not each row.
        name_of: dict[int, str] = {}
        present = np.unique(codes[codes >= 0])
        # Their labels in one take (an Index looked up per code took ~8 ms a click).
        for code, label in zip(present.tolist(), categories.take(present).tolist(), strict=True):
            label = str(label)
            parts = label.split(ACTOR_SEPARATOR) if column == "assoc_actors" else [label]
            common = [p.strip() for p in parts if fold(p.strip()) in names]
            if common:
                name_of[code] = common[0]
        if name_of:
            for i in np.flatnonzero(np.isin(codes, list(name_of))).tolist():
                shared.setdefault(i, name_of[int(codes[i])])
    return [
        Related(int(rows[i]), f"same actor: {name}", float(gap[i])) for i, name in shared.items()
    ]


def nearby(table: EventTable, row: int, candidates: np.ndarray | None = None) -> list[Related]:
    lat = table.df["latitude"].to_numpy()
    lon = table.df["longitude"].to_numpy()
    if np.isnan(lat[row]) or np.isnan(lon[row]):
        return []
    rows, gap = _window(table, row, NEAR_DAYS, candidates)
    if not len(rows):
        return []
    km = haversine_km(lat[row], lon[row], lat[rows], lon[rows])
    close = np.flatnonzero(km <= NEAR_KM)  # NaN coordinates compare False
    return [
        Related(int(rows[i]), f"{km[i]:.0f} km away", float(gap[i]), float(km[i])) for i in close
    ]


def haversine_km(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km from one point to many."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(lon2 - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    result: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return result
