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


#: A dataset's name and its first and last start (ns): what the notes and coverage read.
Span = tuple[str, int, int]


def compare(
    table: EventTable, mask: np.ndarray, at_ns: int, weeks: int, top_actors: int = TOP_ACTORS
) -> Comparison:
    """The W weeks before and after ``at_ns`` (a midnight) among the rows of ``mask``."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    at_ns = int(at_ns)
    lo, hi = window_ns(at_ns, weeks)
    start = table.start_ns
    mask = np.asarray(mask, dtype=bool)
    dated = mask & (start != NAT_NS)
    inside = dated & (start >= lo) & (start < hi)
    rows = np.flatnonzero(inside)
    slot = ((start[rows] - lo) // NS_PER_WEEK).astype(np.int64)  # 0 .. 2W-1
    known, unknown = tolls(table)
    n = 2 * weeks
    events = np.bincount(slot, minlength=n)
    fatalities = np.bincount(slot, weights=known[rows], minlength=n)
    unknowns = np.bincount(slot, weights=unknown[rows], minlength=n).astype(np.int64)
    actors = _actor_changes(table, inside & (start < at_ns), inside & (start >= at_ns), top_actors)
    return comparison(at_ns, weeks, events, fatalities, unknowns, actors, dataset_spans(table))


def window_ns(at_ns: int, weeks: int) -> tuple[int, int]:
    """[first, end) of the 2W weeks around ``at_ns``; week slot i starts at first + i weeks
    (slot = (start - first) // 1 week, the floor of days since DATE / 7, plus W)."""
    span = int(weeks) * NS_PER_WEEK
    return int(at_ns) - span, int(at_ns) + span


def comparison(
    at_ns: int,
    weeks: int,
    events: np.ndarray,
    fatalities: np.ndarray,
    unknowns: np.ndarray,
    actors: tuple[ActorChange, ...],
    spans: list[Span],
) -> Comparison:
    """The comparison of per-week-slot counts (2W of each, the slots of
    :func:`window_ns`), whichever engine counted them."""
    lo, hi = window_ns(at_ns, weeks)
    n = 2 * weeks
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
    return Comparison(
        at_ns, weeks, before, after, weekly, actors, _notes(spans, lo, hi), _covered(spans)
    )


def _actor_changes(
    table: EventTable, before: np.ndarray, after: np.ndarray, top: int
) -> tuple[ActorChange, ...]:
    if not len(table) or not (before.any() or after.any()):
        return ()
    b, a = actor_counts(table, before), actor_counts(table, after)
    return actor_changes(actor_index(table).names, b, a, top)


def actor_changes(
    names: list[str], before: np.ndarray, after: np.ndarray, top: int = TOP_ACTORS
) -> tuple[ActorChange, ...]:
    """The actors whose number of events changed most (either way), largest first, from
    the events per actor (of ``names``) before and after."""
    b = np.asarray(before).astype(np.int64)
    a = np.asarray(after).astype(np.int64)
    change = np.abs(a - b)
    named = np.flatnonzero(change > 0)
    # Largest change first, then the most events, then by name (a stable, citable order).
    order = sorted(named.tolist(), key=lambda i: (-change[i], -(a[i] + b[i]), names[i]))
    return tuple(ActorChange(names[i], int(b[i]), int(a[i])) for i in order[:top])


def dataset_spans(table: EventTable) -> list[Span]:
    """Each dataset with a dated event: its name, first and last start."""
    start = table.start_ns
    spans = []
    for k, dataset in enumerate(table.datasets):
        part = start[table.offsets[k] : table.offsets[k + 1]]
        part = part[part != NAT_NS]
        if len(part):
            spans.append((dataset.name, int(part.min()), int(part.max())))
    return spans


def _covered(spans: list[Span]) -> tuple[int, int] | None:
    if not spans:
        return None
    return max(a for _n, a, _b in spans), min(b for _n, _a, b in spans)


def _notes(spans: list[Span], lo: int, hi: int) -> tuple[str, ...]:
    """Plain warnings when the data do not cover the whole window (per dataset)."""
    notes = []
    for name, first, last in spans:
        if first >= hi or last < lo:
            notes.append(
                N_(
                    "{dataset} runs from {first} to {last}: "
                    "none of its events can fall in these weeks.",
                    dataset=name,
                    first=iso_day(first),
                    last=iso_day(last),
                )
            )
            continue
        starts, ends = first > lo + NS_PER_DAY, last < hi - 2 * NS_PER_DAY
        if starts or ends:
            notes.append(
                _gap_note(name, iso_day(first) if starts else "", iso_day(last) if ends else "")
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
    base, (lat, lon, km) = outer_ring(spec, outer_km)
    return ring_mask(table, filter_mask(table, base), lat, lon, km, outer_km)


def outer_ring(spec: FilterSpec, outer_km: float) -> tuple[FilterSpec, tuple[float, float, float]]:
    """The filters but for their place, and their distance (lat, lon, km) whose ring to
    ``outer_km`` is wanted. Raises ValueError without a distance, or for a ring narrower
    than it."""
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
    return without_spatial(spec), (float(lat), float(lon), float(km))
