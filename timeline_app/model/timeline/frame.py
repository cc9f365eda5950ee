"""One frame: what the timeline draws for a view, per lane marks or a histogram.

A zoom or pan only runs ``compute_frame``, which costs a few ``searchsorted`` calls per
lane whatever the number of events, so it stays fast at a million events.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from timeline_app.model.timeline.dates import (
    bin_edges,
    choose_bin_unit,
    shown_end,
    uncertainty,
)
from timeline_app.model.timeline.index import TimelineIndex
from timeline_app.model.units import NS_PER_DAY, NS_PER_WEEK

#: Marks drawn at most, over all lanes: a lane turns into a histogram above its share
#: of this many events in view (at least ``MIN_MARKS_PER_LANE``) ...
MAX_MARKS = 2000
MIN_MARKS_PER_LANE = 250
#: ... or when its marks would sit closer than this (median, in pixels) ...
MIN_MEDIAN_SPACING_PX = 2.0
#: ... provided it has at least this many (a handful of marks never overlap badly) ...
MIN_EVENTS_FOR_SPACING_RULE = 200
#: ... or when more than this many would pile up within a few pixels.
MAX_PILE = 12
PILE_COLUMN_PX = 4.0
#: Marks sharing a vague date are spread over it when each can have this many pixels.
SPREAD_PX = 4.0
#: Milestone lines are drawn only when this few are in view.
MAX_MILESTONES = 60
#: Background bands are drawn only when this few are in view (more would tint everything).
MAX_BANDS = 40

_PAD_FOR_UNIT = (NS_PER_DAY, NS_PER_WEEK, 32 * NS_PER_DAY, 367 * NS_PER_DAY)


@dataclass
class LaneFrame:
    lane: int
    mode: str  # "marks", "density" or "empty"
    count: int  # events starting in view
    # density
    values: np.ndarray = field(default_factory=lambda: np.empty(0))
    # marks: points
    pos: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # index positions
    x: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # mark x (ns)
    lo: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    hi: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    shared: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # spread among
    # marks: periods
    ppos: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    pstart_hi: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    pend: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))


@dataclass
class Frame:
    """Everything the timeline draws for one view, in ns and index positions."""

    x0: int
    x1: int
    width_px: float
    unit: str
    edges: np.ndarray
    measure: str
    lanes: list[LaneFrame]
    milestones: np.ndarray  # index positions
    milestone_x: np.ndarray
    bands: np.ndarray  # index positions of mourning/blockade periods in view

    def px(self, ns: np.ndarray | int) -> np.ndarray:
        """x in pixels (from the view's left edge) of times in ns."""
        scale = self.width_px / max(self.x1 - self.x0, 1)
        return (np.asarray(ns, dtype=np.int64) - self.x0).astype(np.float64) * scale


def compute_frame(
    index: TimelineIndex,
    x0_ns: int,
    x1_ns: int,
    width_px: float,
    measure: str = "events",
) -> Frame:
    """Decide per lane between marks and a histogram, and gather what to draw."""
    x0_ns, x1_ns = int(x0_ns), int(max(x1_ns, x0_ns + 1))
    span = x1_ns - x0_ns
    px_per_ns = width_px / span
    unit = choose_bin_unit(span, width_px, finest=index.finest_unit)
    edges = bin_edges(x0_ns, x1_ns, unit)
    pad = _PAD_FOR_UNIT[index.max_unit]
    lane_budget = max(MAX_MARKS // max(index.n_lanes, 1), MIN_MARKS_PER_LANE)
    lanes = []
    for lane in range(index.n_lanes):
        a, b = int(index.lane_bounds[lane]), int(index.lane_bounds[lane + 1])
        seg = index.start[a:b]
        i0, i1 = np.searchsorted(seg, [x0_ns, x1_ns], side="left")
        i1 = int(np.searchsorted(seg, x1_ns, side="right"))
        count = i1 - int(i0)
        pa, pb = int(index.period_bounds[lane]), int(index.period_bounds[lane + 1])
        periods = index.period_pos[pa:pb]
        if count <= lane_budget:
            # Marks: points whose (possibly vague) date touches the view ...
            j0 = int(np.searchsorted(seg, x0_ns - pad, side="left")) + a
            pos = np.arange(j0, i1 + a, dtype=np.int64)
            pos = pos[index.end[pos] <= index.start[pos]]
            lo, hi = uncertainty(index.start[pos], index.unit[pos])
            keep = ((hi > x0_ns) | (lo >= x0_ns)) & (lo <= x1_ns)  # [lo, hi) touches the view
            pos, lo, hi = pos[keep], lo[keep], hi[keep]
            # ... spread across their day/week/month when several share it and it is wide
            x, shared = spread_in_span(lo, hi, px_per_ns)
        if count > lane_budget or _too_dense(x, px_per_ns):
            idx = np.searchsorted(seg, edges, side="left") + a
            if measure == "fatalities":
                values = np.diff(index.fat_cum[idx])
            else:
                values = np.diff(idx).astype(np.float64)
            lanes.append(LaneFrame(lane, "density", count, values=values))
            continue
        if len(periods):
            pend = shown_end(index.end[periods])
            # An ongoing period keeps fading for a while after its "as of" date.
            fade = np.where(index.ongoing[periods], ongoing_fade_ns(index, periods), 0)
            inview = (index.start[periods] <= x1_ns) & (pend + fade >= x0_ns)
            periods, pend = periods[inview], pend[inview]
            _, start_hi = uncertainty(index.start[periods], index.unit[periods])
            start_hi = np.where(index.unit[periods] == 0, index.start[periods], start_hi)
        else:
            pend = start_hi = np.empty(0, np.int64)
        mode = "marks" if len(pos) or len(periods) else "empty"
        lanes.append(
            LaneFrame(lane, mode, count, pos=pos, x=x, lo=lo, hi=hi, shared=shared,
                      ppos=periods, pstart_hi=start_hi, pend=pend)
        )  # fmt: skip
    milestones, milestone_x = _milestones_in_view(index, x0_ns, x1_ns)
    bands = index.band_pos
    if len(bands):
        bands = bands[(index.start[bands] <= x1_ns) & (shown_end(index.end[bands]) >= x0_ns)]
        if len(bands) > MAX_BANDS:
            bands = bands[:0]
    return Frame(
        x0_ns, x1_ns, float(width_px), unit, edges, measure, lanes, milestones, milestone_x, bands
    )


def ongoing_fade_ns(index: TimelineIndex, positions: np.ndarray) -> np.ndarray:
    """How long an ongoing period fades out after its "as of" date: a third of its
    length, between 2 and 30 days (long enough to see, short enough not to claim more)."""
    length = index.end[positions] - index.start[positions]
    result: np.ndarray = np.clip(length // 3, 2 * NS_PER_DAY, 30 * NS_PER_DAY)
    return result


def spread_in_span(
    lo: np.ndarray, hi: np.ndarray, px_per_ns: float
) -> tuple[np.ndarray, np.ndarray]:
    """Where to draw each mark, and how many events it was spread among (1: not spread).

    A mark sits in the middle of its span. Several events known only to the same day
    are spread evenly across that day when it is wide enough on screen, rather than
    piled on one pixel: the hour of each is not known anyway. Vaguer dates (a week,
    a month) stay in the middle with their whisker, stacked up and down.
    """
    n = len(lo)
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = np.lexsort((hi, lo))
    lo_s, hi_s = lo[order], hi[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (lo_s[1:] != lo_s[:-1]) | (hi_s[1:] != hi_s[:-1])
    group = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    size = np.diff(np.append(first, n))[group]
    rank = np.arange(n) - first[group]
    # Only within a day: spreading a week or month would suggest dates nobody knows.
    room = (
        ((hi_s - lo_s) * px_per_ns >= size * SPREAD_PX) & (hi_s - lo_s <= NS_PER_DAY) & (size > 1)
    )
    frac = np.where(room, (rank + 0.5) / size, 0.5)
    x = np.empty(n, np.int64)
    shared = np.empty(n, np.int64)
    x[order] = lo_s + (frac * (hi_s - lo_s)).astype(np.int64)
    shared[order] = np.where(room, size, 1)
    return x, shared


def _too_dense(x: np.ndarray, px_per_ns: float) -> bool:
    """Marks would overlap: too closely spaced overall, or piled up within a few pixels."""
    if len(x) < 2:
        return False
    xs = np.sort(x)
    column = ((xs - xs[0]) * px_per_ns // PILE_COLUMN_PX).astype(np.int64)
    if np.bincount(column).max() > MAX_PILE:
        return True
    if len(x) < MIN_EVENTS_FOR_SPACING_RULE:
        return False
    spacing = np.median(np.diff(xs)) * px_per_ns
    return bool(spacing < MIN_MEDIAN_SPACING_PX)


def _milestones_in_view(index: TimelineIndex, x0: int, x1: int) -> tuple[np.ndarray, np.ndarray]:
    pos = index.milestone_pos
    if not len(pos):
        return pos, np.empty(0, np.int64)
    lo, hi = uncertainty(index.start[pos], index.unit[pos])
    x = (lo + hi) // 2  # where the event's mark is: the middle of its day/week/month
    keep = (x >= x0) & (x <= x1)
    if keep.sum() > MAX_MILESTONES:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = np.argsort(x[keep], kind="stable")
    return pos[keep][order], x[keep][order]
