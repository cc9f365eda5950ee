"""A frame placed on screen in pixels, labels that never pile up, and hit tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from timeline_app.model.timeline.dates import shown_end
from timeline_app.model.timeline.frame import Frame, ongoing_fade_ns
from timeline_app.model.timeline.index import TimelineIndex

#: Overlapping periods in a lane are stacked in at most this many rows.
MAX_PERIOD_ROWS = 4
MAX_STACKED_PERIODS = 300


def layout_labels(x_px: np.ndarray, widths: np.ndarray, rows: int, gap: float = 6.0) -> np.ndarray:
    """Row (0..rows-1) for each label placed at ``x_px`` (sorted), or -1 where none fits.

    Greedy: each label goes in the first row whose previous label ends before it.
    The loop runs over labels in view, which ``MAX_MILESTONES`` keeps small.
    """
    ends = np.full(rows, -np.inf)
    placed = np.full(len(x_px), -1, dtype=np.int64)
    for i, (x, w) in enumerate(zip(np.asarray(x_px), np.asarray(widths), strict=True)):
        free = np.flatnonzero(ends + gap <= x)
        if len(free):
            placed[i] = free[0]
            ends[free[0]] = x + w
    return placed


# -- layout in pixels ------------------------------------------------------------------------------
@dataclass
class Layout:
    """A frame placed on screen: every mark, bar, bin and line in pixels, with its rows.

    The painter draws these arrays and the pointer is tested against the same arrays,
    so what is clicked is exactly what is seen.
    """

    width: float
    marks_row: np.ndarray
    marks_x: np.ndarray
    marks_y: np.ndarray
    marks_d: np.ndarray  # diameter in pixels
    marks_known: np.ndarray  # fatalities known (filled) or not (ring)
    marks_cat: np.ndarray
    whisker: np.ndarray  # (n, 3): x_lo, x_hi, y
    periods_row: np.ndarray
    periods: np.ndarray  # (n, 6): x_start, x_certain (vague start ends), x_end, y, fade px, bar h
    periods_cat: np.ndarray
    periods_ongoing: np.ndarray
    bins: np.ndarray  # (n, 4): x, y_top, w, h
    bins_lane: np.ndarray
    bins_value: np.ndarray
    bins_range: np.ndarray  # (n, 2) ns
    lane_max: np.ndarray  # largest bin per lane (NaN for lanes showing marks)
    milestones_row: np.ndarray
    milestones_x: np.ndarray
    milestones_vague: np.ndarray
    bands: np.ndarray  # (n, 3): x_start, x_end, fade px
    bands_cat: np.ndarray


def layout_frame(
    frame: Frame,
    index: TimelineIndex,
    lane_centre_px: np.ndarray,
    lane_height_px: float,
    diameters: Callable[[np.ndarray], np.ndarray],
) -> Layout:
    """Turn a frame into pixel geometry. ``diameters(fatalities)`` sizes the marks."""
    empty = np.empty(0)
    ints = np.empty(0, np.int64)
    px = frame.px
    mrow, mx, my, md, mknown, mcat, whisk = [], [], [], [], [], [], []
    prow, pgeo, pcat, pong = [], [], [], []
    bgeo, blane, bval, brange = [], [], [], []
    lane_max = np.full(len(frame.lanes), np.nan)
    edges_px = px(frame.edges)
    step = max(min(lane_height_px * 0.18, 7.0), 2.0)
    for lf in frame.lanes:
        cy = float(lane_centre_px[lf.lane])
        if lf.mode == "density":
            values = lf.values
            vmax = float(values.max()) if len(values) else 0.0
            lane_max[lf.lane] = vmax
            nz = np.flatnonzero(values > 0)
            if not len(nz) or vmax <= 0:
                continue
            h = np.maximum(values[nz] / vmax * lane_height_px * 0.8, 1.5)
            x = edges_px[nz]
            w = np.maximum(edges_px[nz + 1] - x - 0.5, 1.0)
            base = cy + lane_height_px * 0.4
            bgeo.append(np.column_stack([x, base - h, w, h]))
            blane.append(np.full(len(nz), lf.lane))
            bval.append(values[nz])
            brange.append(np.column_stack([frame.edges[nz], frame.edges[nz + 1]]))
            continue
        if len(lf.pos):
            x = px(lf.x)
            order = np.argsort(x, kind="stable")
            x = x[order]
            pos = lf.pos[order]
            # Marks on (nearly) the same pixel are stacked up and down, not hidden.
            group = np.concatenate([[0], np.cumsum(np.diff(x) > 3.0)])
            first = np.searchsorted(group, group, side="left")
            rank = np.arange(len(x)) - first
            sign = np.where(rank % 2 == 1, -1.0, 1.0)
            dy = np.clip(
                ((rank + 1) // 2) * step * sign, -lane_height_px * 0.4, lane_height_px * 0.4
            )
            fat = index.fatalities[pos]
            mrow.append(index.rows[pos])
            mx.append(x)
            my.append(cy + dy)
            md.append(diameters(fat))
            mknown.append(~np.isnan(fat))
            mcat.append(index.category[pos])
            lo, hi = px(lf.lo[order]), px(lf.hi[order])
            # a whisker across the vague span (not for marks spread over their day)
            wide = ((hi - lo) >= 4.0) & (lf.shared[order] == 1)
            if wide.any():
                whisk.append(np.column_stack([lo[wide], hi[wide], (cy + dy)[wide]]))
        if len(lf.ppos):
            fade = np.where(index.ongoing[lf.ppos], ongoing_fade_ns(index, lf.ppos), 0)
            scale = frame.width_px / max(frame.x1 - frame.x0, 1)
            x0 = px(index.start[lf.ppos])
            x1 = px(lf.pend) + fade * scale
            row = stack_rows(x0, x1, MAX_PERIOD_ROWS)
            used = int(row.max()) + 1
            bar = max(min(lane_height_px * 0.36, 16.0, lane_height_px * 0.8 / used - 1), 2.0)
            y = cy + (row - (used - 1) / 2) * (bar + 1)
            pgeo.append(
                np.column_stack(
                    [x0, np.maximum(px(lf.pstart_hi), x0), px(lf.pend), y, fade * scale,
                     np.full(len(x0), bar)]
                )
            )  # fmt: skip
            prow.append(index.rows[lf.ppos])
            pcat.append(index.category[lf.ppos])
            pong.append(index.ongoing[lf.ppos])
    b = frame.bands
    bands = (
        np.column_stack(
            [px(index.start[b]), px(shown_end(index.end[b])),
             np.where(index.ongoing[b], ongoing_fade_ns(index, b), 0) * frame.width_px
             / max(frame.x1 - frame.x0, 1)]
        )
        if len(b)
        else np.empty((0, 3))
    )  # fmt: skip
    mpos = frame.milestones

    def cat(parts: list[np.ndarray], kind: Any = np.float64, cols: int | None = None) -> np.ndarray:
        if parts:
            return np.concatenate(parts)
        return np.empty((0, cols)) if cols else np.empty(0, kind)

    return Layout(
        width=frame.width_px,
        marks_row=cat(mrow, np.int64),
        marks_x=cat(mx),
        marks_y=cat(my),
        marks_d=cat(md),
        marks_known=cat(mknown, bool),
        marks_cat=cat(mcat, np.int64),
        whisker=cat(whisk, cols=3),
        periods_row=cat(prow, np.int64),
        periods=cat(pgeo, cols=6),
        periods_cat=cat(pcat, np.int64),
        periods_ongoing=cat(pong, bool),
        bins=cat(bgeo, cols=4),
        bins_lane=cat(blane, np.int64),
        bins_value=cat(bval),
        bins_range=cat(brange, np.int64, cols=2).astype(np.int64),
        lane_max=lane_max,
        milestones_row=index.rows[mpos] if len(mpos) else ints,
        milestones_x=px(frame.milestone_x) if len(mpos) else empty,
        milestones_vague=index.unit[mpos] > 0 if len(mpos) else np.empty(0, bool),
        bands=bands,
        bands_cat=index.category[b] if len(b) else ints,
    )


def stack_rows(x0: np.ndarray, x1: np.ndarray, rows: int) -> np.ndarray:
    """Row for each interval (in the given order) so that overlapping ones sit apart;
    past ``rows`` rows, the row that frees up first is shared."""
    order = np.argsort(x0, kind="stable")
    placed = np.zeros(len(x0), dtype=np.int64)
    if len(x0) > MAX_STACKED_PERIODS:  # too many to place one by one: deal them round
        placed[order] = np.arange(len(x0)) % rows
        return placed
    ends = np.full(rows, -np.inf)
    for i in order:  # periods in view only: a few hundred at most
        free = np.flatnonzero(ends + 1 <= x0[i])
        k = int(free[0]) if len(free) else int(np.argmin(ends))
        placed[i] = k
        ends[k] = max(ends[k], x1[i])
    return placed


# -- hit testing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    rows: np.ndarray  # table rows (one for an event; several for a histogram bar)
    kind: str  # "mark", "period", "milestone" or "bin"
    bin_range: tuple[int, int] | None = None  # ns, for a histogram bar
    lane: int | None = None  # a histogram bar's lane


def hit_test(
    layout: Layout,
    index: TimelineIndex,
    x: float,
    y: float,
    lane: int | None,
    lane_height_px: float,
    tolerance_px: float = 5.0,
) -> Hit | None:
    """What is under the pointer at (x, y) pixels: a mark, a period bar, a milestone
    line, or a histogram bar (in that order of preference)."""
    if len(layout.marks_x):
        r = np.maximum(layout.marks_d / 2, 3.0) + tolerance_px
        d = np.hypot(layout.marks_x - x, layout.marks_y - y)
        k = int(np.argmin(d - r))
        if d[k] <= r[k]:
            return Hit(layout.marks_row[k : k + 1], "mark")
    if len(layout.periods):
        p = layout.periods
        inside = np.flatnonzero(
            (p[:, 0] - 2 <= x) & (x <= p[:, 2] + 2) & (np.abs(p[:, 3] - y) <= p[:, 5] / 2 + 2)
        )
        if len(inside):
            k = inside[np.argmin((p[:, 2] - p[:, 0])[inside])]  # the most specific
            return Hit(layout.periods_row[k : k + 1], "period")
    if len(layout.milestones_x):
        d = np.abs(layout.milestones_x - x)
        k = int(np.argmin(d))
        if d[k] <= tolerance_px:
            return Hit(layout.milestones_row[k : k + 1], "milestone")
    if lane is not None and len(layout.bins):
        b = layout.bins
        found = np.flatnonzero(
            (layout.bins_lane == lane) & (b[:, 0] <= x) & (x <= b[:, 0] + b[:, 2])
        )
        if len(found):
            k = int(found[0])
            lo, hi = (int(v) for v in layout.bins_range[k])
            a, e = int(index.lane_bounds[lane]), int(index.lane_bounds[lane + 1])
            i0, i1 = np.searchsorted(index.start[a:e], [lo, hi], side="left")
            return Hit(index.rows[a + i0 : a + i1], "bin", (lo, hi), lane)
    return None
