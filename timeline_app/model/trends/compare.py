"""Before and after a date: the counts of the W weeks on either side.

Events are counted by their start: *before* is [DATE − 7W days, DATE), *after* is
[DATE, DATE + 7W days). Week k = floor(days since DATE / 7) runs from −W to W − 1.
Fatalities sum the known tolls only; events whose toll is unknown are counted apart.
This describes what the data hold in those weeks; it is not a causal estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from timeline_app.model.events import EventTable
from timeline_app.model.facets import actor_counts, actor_index
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.filters import filter_mask
from timeline_app.model.messages import N_
from timeline_app.model.spatial import near_mask, without_spatial
from timeline_app.model.trends.series import tolls
from timeline_app.model.units import NAT_NS, NS_PER_DAY, NS_PER_WEEK

#: How many actors "the largest change" lists.
TOP_ACTORS = 5
CAVEAT = N_(
    "A description of the events in the data, not a causal estimate: other things "
    "changed in these weeks too, and the data may record one period better than the other."
)


@dataclass(frozen=True)
class WindowCounts:
    """One side of the comparison: [start, end) in int64 ns and what it holds."""

    start_ns: int
    end_ns: int
    events: int
    fatalities: float
    unknown_fatalities: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": iso_day(self.start_ns),
            "to": iso_day(self.end_ns),
            "events": self.events,
            "fatalities": number(self.fatalities),
            "unknown_fatalities": self.unknown_fatalities,
        }


@dataclass(frozen=True)
class Week:
    week: int
    start_ns: int
    events: int
    fatalities: float
    unknown_fatalities: int


@dataclass(frozen=True)
class ActorChange:
    """Events naming an actor (on any side) before and after."""

    name: str
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    at_ns: int
    weeks: int
    before: WindowCounts
    after: WindowCounts
    weekly: tuple[Week, ...]
    actors: tuple[ActorChange, ...] = ()
    #: Where a dataset does not cover the whole window (its weeks there are empty).
    notes: tuple[str, ...] = ()
    #: [first, last] start (ns) that every dataset covers (the latest first start, the
    #: earliest last one); weeks outside it lack some dataset's data. None: no dates.
    covered_ns: tuple[int, int] | None = None

    def week_covered(self, week: Week) -> bool:
        """Whether every dataset has data on each day of this week."""
        if self.covered_ns is None:
            return False
        first, last = self.covered_ns
        return (
            week.start_ns >= first - NS_PER_DAY
            and week.start_ns + NS_PER_WEEK <= last + 2 * NS_PER_DAY
        )

    def as_dict(self) -> dict[str, Any]:
        """The ``compare --json`` object (README: "Before and after")."""
        return {
            "at": iso_day(self.at_ns),
            "weeks": self.weeks,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "weekly": [
                {
                    "week": w.week,
                    "start": iso_day(w.start_ns),
                    "events": w.events,
                    "fatalities": number(w.fatalities),
                }
                for w in self.weekly
            ],
        }

    def rows(self) -> list[tuple[str, float, float, float, float | None]]:
        """The summary table: (what, before, after, difference, ratio after/before)."""
        out: list[tuple[str, float, float, float, float | None]] = []
        for label, b, a in (
            (N_("events"), self.before.events, self.after.events),
            (N_("known fatalities"), self.before.fatalities, self.after.fatalities),
            (
                N_("events with unknown toll"),
                self.before.unknown_fatalities,
                self.after.unknown_fatalities,
            ),
        ):
            out.append((label, b, a, a - b, ratio(a, b)))
        return out


def ratio(after: float, before: float) -> float | None:
    """after / before; None when there was nothing before (no ratio, not infinity)."""
    return None if before == 0 else after / before


def number(value: float) -> int | float:
    """A whole count as an int (JSON ``12``, not ``12.0``)."""
    return int(value) if float(value).is_integer() else float(value)


def iso_day(ns: int) -> str:
    return str(pd.Timestamp(int(ns)).date().isoformat())


def day_ns(day: date | datetime | str) -> int:
    """Midnight of a date, as int64 ns (the comparison's DATE)."""
    stamp = pd.Timestamp(day)
    return int(stamp.normalize().as_unit("ns").value)


def compare(
    table: EventTable, mask: np.ndarray, at_ns: int, weeks: int, top_actors: int = TOP_ACTORS
) -> Comparison:
    """The W weeks before and after ``at_ns`` (a midnight) among the rows of ``mask``."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    at_ns = int(at_ns)
    span = weeks * NS_PER_WEEK
    start = table.start_ns
    mask = np.asarray(mask, dtype=bool)
    dated = mask & (start != NAT_NS)
    lo, hi = at_ns - span, at_ns + span
    inside = dated & (start >= lo) & (start < hi)
    rows = np.flatnonzero(inside)
    k = (start[rows] - at_ns) // NS_PER_WEEK  # floor, also for negative offsets
    slot = (k + weeks).astype(np.int64)  # 0 .. 2W-1
    known, unknown = tolls(table)
    n = 2 * weeks
    events = np.bincount(slot, minlength=n)
    fatalities = np.bincount(slot, weights=known[rows], minlength=n)
    unknowns = np.bincount(slot, weights=unknown[rows], minlength=n).astype(np.int64)
    weekly = tuple(
        Week(
            int(i - weeks),
            lo + int(i) * NS_PER_WEEK,
            int(events[i]),
            float(fatalities[i]),
            int(unknowns[i]),
        )
        for i in range(n)  # 2W weeks, not the rows
    )
    before = WindowCounts(
        lo, at_ns, int(events[:weeks].sum()), float(fatalities[:weeks].sum()),
        int(unknowns[:weeks].sum()),
    )  # fmt: skip
    after = WindowCounts(
        at_ns, hi, int(events[weeks:].sum()), float(fatalities[weeks:].sum()),
        int(unknowns[weeks:].sum()),
    )  # fmt: skip
    actors = _actor_changes(table, inside & (start < at_ns), inside & (start >= at_ns), top_actors)
    return Comparison(
        at_ns, weeks, before, after, weekly, actors, _notes(table, lo, hi), _covered(table)
    )


def _actor_changes(
    table: EventTable, before: np.ndarray, after: np.ndarray, top: int
) -> tuple[ActorChange, ...]:
    """The actors whose number of events changed most (either way), largest first."""
    if not len(table) or not (before.any() or after.any()):
        return ()
    names = actor_index(table).names
    b = actor_counts(table, before).astype(np.int64)
    a = actor_counts(table, after).astype(np.int64)
    change = np.abs(a - b)
    named = np.flatnonzero(change > 0)
    # Largest change first, then the most events, then by name (a stable, citable order).
    order = sorted(named.tolist(), key=lambda i: (-change[i], -(a[i] + b[i]), names[i]))
    return tuple(ActorChange(names[i], int(b[i]), int(a[i])) for i in order[:top])


def _covered(table: EventTable) -> tuple[int, int] | None:
    start = table.start_ns
    spans = []
    for k in range(len(table.datasets)):
        part = start[table.offsets[k] : table.offsets[k + 1]]
        part = part[part != NAT_NS]
        if len(part):
            spans.append((int(part.min()), int(part.max())))
    if not spans:
        return None
    return max(a for a, _ in spans), min(b for _, b in spans)


def _notes(table: EventTable, lo: int, hi: int) -> tuple[str, ...]:
    """Plain warnings when the data do not cover the whole window (per dataset)."""
    notes = []
    start = table.start_ns
    for k, dataset in enumerate(table.datasets):
        part = start[table.offsets[k] : table.offsets[k + 1]]
        part = part[part != NAT_NS]
        if not len(part):
            continue
        first, last = int(part.min()), int(part.max())
        if first >= hi or last < lo:
            notes.append(
                N_(
                    "{dataset} runs from {first} to {last}: "
                    "none of its events can fall in these weeks.",
                    dataset=dataset.name,
                    first=iso_day(first),
                    last=iso_day(last),
                )
            )
            continue
        starts, ends = first > lo + NS_PER_DAY, last < hi - 2 * NS_PER_DAY
        if starts or ends:
            notes.append(
                _gap_note(
                    dataset.name, iso_day(first) if starts else "", iso_day(last) if ends else ""
                )
            )
    return tuple(notes)


def _gap_note(name: str, first: str, last: str) -> str:
    """A dataset that starts after the window opens or ends before it closes."""
    if first and last:
        return N_(
            "{dataset} starts on {first} and ends on {last}: weeks outside its dates are "
            "empty for want of data, not for want of events.",
            dataset=name,
            first=first,
            last=last,
        )
    if first:
        return N_(
            "{dataset} starts on {first}: weeks outside its dates are empty for want of "
            "data, not for want of events.",
            dataset=name,
            first=first,
        )
    return N_(
        "{dataset} ends on {last}: weeks outside its dates are empty for want of data, "
        "not for want of events.",
        dataset=name,
        last=last,
    )


def ring_mask(
    table: EventTable,
    base_mask: np.ndarray,
    lat: float,
    lon: float,
    inner_km: float,
    outer_km: float,
) -> np.ndarray:
    """Rows of ``base_mask`` (the filters without their distance) farther than
    ``inner_km`` and at most ``outer_km`` from (lat, lon): the outer ring."""
    if outer_km <= inner_km:
        raise ValueError(N_("the outer ring must be wider than the area"))
    ring: np.ndarray = near_mask(table, (lat, lon, outer_km))
    ring &= ~near_mask(table, (lat, lon, inner_km))
    ring &= np.asarray(base_mask, dtype=bool)
    return ring


def outer_ring_mask(table: EventTable, spec: FilterSpec, outer_km: float) -> np.ndarray:
    """The events the filters keep, but for their place, between ``spec.near``'s radius
    and ``outer_km`` around its point. Raises ValueError without a distance filter."""
    if spec.near is None:
        raise ValueError(N_("an outer ring needs a distance filter (--near LAT,LON,KM)"))
    lat, lon, km = spec.near
    if outer_km <= km:
        raise ValueError(
            N_(
                "the outer ring ({outer} km) must be wider than {inner} km",
                outer=f"{outer_km:g}",
                inner=f"{km:g}",
            )
        )
    base = filter_mask(table, without_spatial(spec))
    return ring_mask(table, base, lat, lon, km, outer_km)
