"""The timeline over events an engine holds (model/source.py): what to ask for a view,
what the answer holds, and the frame drawn from it, with the memory timeline's rules.

The engine answers per lane and calendar bin of a span around the view (so a pan
draws from the answer while the next is asked), and, for the lanes with few enough
events in view for marks (the memory frame's budget), those events themselves, with
the milestones and period bands of the span. The events become a small table and a
:class:`TimelineIndex` of their own, so :func:`compute_frame` lays out their marks as
in memory; the histograms' values come from the engine's counts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.schema import CANONICAL_COLUMNS, conform
from timeline_app.model.timeline.dates import bin_edges, choose_bin_unit
from timeline_app.model.timeline.frame import (
    MAX_MARKS,
    MAX_MILESTONES,
    MIN_MARKS_PER_LANE,
    Frame,
    LaneFrame,
    compute_frame,
)
from timeline_app.model.timeline.index import TimelineIndex
from timeline_app.model.timeline.lanes import Lanes
from timeline_app.model.units import NS_PER_DAY

#: The span asked around a view: this many view widths on either side.
SIDE_SPANS = 1.0
#: How far before a span an event read for it may start: a vague date (its year), or a
#: period still going on (longer ones begun earlier are left out: the scan stays short).
LOOKBACK_NS = 400 * NS_PER_DAY
#: Rows of events read for one answer at most (marks, milestones, bands).
MAX_ROWS = 20_000
#: Milestones read for a span at most: past this the span has too many to draw.
MAX_SPAN_MILESTONES = 3 * MAX_MILESTONES + 1
#: The columns read per event: what the marks, their tooltip and the lanes need.
EVENT_COLUMNS = (
    "id", "dataset", "category", "start", "end", "date_precision", "ongoing", "title",
    "event_type", "actor1", "actor2", "assoc_actors", "admin1", "fatalities",
    "fatalities_low", "fatalities_high",
)  # fmt: skip
KEY = "__key"
LANE = "__lane"  # an event's lane (grouped by actor: its first one)
LANES = "__lanes"  # grouped by actor: every lane of an event, its first first


def lane_budget(n_lanes: int) -> int:
    """Events in view a lane may show as marks (the memory frame's rule)."""
    return max(MAX_MARKS // max(n_lanes, 1), MIN_MARKS_PER_LANE)


@dataclass(frozen=True)
class TimelineAsk:
    """What the timeline asks the engine for one view."""

    spec: FilterSpec
    grouping: str
    view: tuple[int, int]  # ns shown when asked
    span: tuple[int, int]  # ns counted: the view and a view's width either side
    unit: str

    @classmethod
    def for_view(
        cls,
        spec: FilterSpec,
        grouping: str,
        x0: int,
        x1: int,
        width_px: float,
        finest: str = "hour",
    ) -> TimelineAsk:
        x0, x1 = int(x0), int(max(x1, x0 + 1))
        unit = choose_bin_unit(x1 - x0, width_px, finest=finest)
        side = int((x1 - x0) * SIDE_SPANS)
        return cls(spec, grouping, (x0, x1), (x0 - side, x1 + side), unit)

    @property
    def edges(self) -> np.ndarray:
        return bin_edges(self.span[0], self.span[1], self.unit)

    def covers(self, x0: int, x1: int, unit: str) -> bool:
        """This answer can stand for the view [x0, x1] at ``unit``: the same bins, the
        view inside the span, and not zoomed far from the view asked (marks or not)."""
        if unit != self.unit or x0 < self.span[0] or x1 > self.span[1]:
            return False
        ratio = (x1 - x0) / max(self.view[1] - self.view[0], 1)
        return 0.8 <= ratio <= 1.25


@dataclass
class TimelineAnswer:
    """The engine's counts for an ask, and the events read for its marks."""

    ask: TimelineAsk
    labels: tuple[str, ...]
    edges: np.ndarray
    events: np.ndarray  # (lanes, bins) events starting in each bin
    fatalities: np.ndarray  # (lanes, bins) known fatalities
    unknown: np.ndarray  # (lanes, bins) events whose toll is unknown
    in_view: np.ndarray  # (lanes,) events starting in the view asked
    fetched: np.ndarray  # (lanes,) bool: the lane's events of the span are in ``rows``
    totals: np.ndarray  # (lanes,) the filter's events in each lane, all dates
    rows: pa.Table  # EVENT_COLUMNS, KEY and LANE
    many_milestones: bool = False
    #: More bands in view than are drawn: none (a lane's events read may hold a few).
    many_bands: bool = False
    table: EventTable = field(init=False)
    keys: np.ndarray = field(init=False)
    lanes: Lanes = field(init=False)
    index: TimelineIndex = field(init=False)

    def __post_init__(self) -> None:
        self.table, self.keys, self.lanes = events_table(self.rows, self.ask.grouping, self.labels)
        self.index = TimelineIndex(self.table, self.lanes)

    def frame(self, x0: int, x1: int, width_px: float, measure: str = "events") -> Frame:
        """What to draw for the view [x0, x1]: marks as the memory frame lays them out
        from the events read, histograms from the engine's counts (on its bins)."""
        frame = compute_frame(self.index, x0, x1, width_px, measure=measure)
        values = self.fatalities if measure == "fatalities" else self.events
        lanes = []
        for lf in frame.lanes:
            if lf.mode == "density" or not self.fetched[lf.lane]:
                count = int(self.in_view[lf.lane])
                lanes.append(LaneFrame(lf.lane, "density", count, values=values[lf.lane]))
            else:
                lanes.append(lf)
        milestones, milestone_x = frame.milestones, frame.milestone_x
        if self.many_milestones:
            milestones, milestone_x = milestones[:0], milestone_x[:0]
        bands = frame.bands[:0] if self.many_bands else frame.bands
        return dataclasses.replace(
            frame,
            unit=self.ask.unit,
            edges=self.edges,
            lanes=lanes,
            milestones=milestones,
            milestone_x=milestone_x,
            bands=bands,
        )

    def bin_totals(self, lane: int, lo: int) -> tuple[int, float, int]:
        """(events, known fatalities, unknown tolls) of the bin starting at ``lo``."""
        i = int(np.searchsorted(self.edges, lo, side="right")) - 1
        if not 0 <= i < self.events.shape[1] or not 0 <= lane < len(self.labels):
            return 0, 0.0, 0
        return (
            int(self.events[lane, i]),
            float(self.fatalities[lane, i]),
            int(self.unknown[lane, i]),
        )


def events_table(
    rows: pa.Table, grouping: str, labels: tuple[str, ...]
) -> tuple[EventTable, np.ndarray, Lanes]:
    """The events read as a table (one dataset per name, as the window names them), per
    row its key, and their lanes (an event in several: the pairs, as in memory)."""
    multi = LANES in rows.column_names
    if not rows.num_rows and not multi:  # a view of dense lanes reads none: no frame
        return EventTable([]), np.empty(0, np.int64), Lanes(grouping, labels, np.empty(0, np.int16))
    frame = (rows.drop_columns([LANES]) if multi else rows).to_pandas()
    for column in CANONICAL_COLUMNS:
        if column not in frame:
            frame[column] = None
    names = frame["dataset"].astype(str)
    order = np.argsort(pd.Categorical(names, categories=pd.unique(names)).codes, kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    datasets = [
        Dataset(name=str(name), events=conform(part), report=LoadReport("native"))
        for name, part in frame.groupby(frame["dataset"].astype(str), sort=False)
    ]
    keys = frame[KEY].to_numpy(dtype=np.int64) if len(frame) else np.empty(0, np.int64)
    of_row = frame[LANE].to_numpy(dtype=np.int16) if len(frame) else np.empty(0, np.int16)
    if not multi:
        return EventTable(datasets), keys, Lanes(grouping, labels, of_row)
    member_rows, member_lanes, member_primary = lane_pairs(rows.take(order))
    lanes = Lanes(
        grouping, labels, of_row, member_rows, member_lanes.astype(np.int16), member_primary
    )
    return EventTable(datasets), keys, lanes


def lane_pairs(rows: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (row, lane) pair of the rows read: the row, the lane, and whether it is the
    row's first lane (one pair per row but grouped by actor)."""
    if LANES not in rows.column_names:
        n = rows.num_rows
        lanes = rows.column(LANE).to_numpy().astype(np.int64)
        return np.arange(n, dtype=np.int64), lanes, np.ones(n, dtype=bool)
    lists = rows.column(LANES).combine_chunks()
    per_row = pc.list_value_length(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    lanes = pc.list_flatten(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    primary = np.zeros(len(lanes), dtype=bool)
    primary[(np.cumsum(per_row) - per_row)[per_row > 0]] = True
    return np.repeat(np.arange(len(per_row), dtype=np.int64), per_row), lanes, primary


@dataclass(frozen=True)
class BarSelection:
    """A histogram bar's events as selected: those of ``lane`` (of ``grouping``)
    starting in [lo, hi) ns that every filter of ``specs`` keeps: the one clicked under,
    then each filter since (a selection keeps the events still shown, as in memory)."""

    specs: tuple[FilterSpec, ...]
    grouping: str
    lane: int
    lo: int
    hi: int

    def under(self, spec: FilterSpec) -> BarSelection:
        """The events of it the filter ``spec`` also keeps (``spec`` last: the latest)."""
        if self.specs and self.specs[-1] == spec:
            return self
        kept = tuple(s for s in self.specs if s != spec)  # keeping a filter twice: once
        return dataclasses.replace(self, specs=(*kept, spec))


@dataclass(frozen=True)
class Overview:
    """The overview strip's counts: every event of the filter per bin, and its extent."""

    edges: np.ndarray
    counts: np.ndarray
    extent: tuple[int, int] | None  # first start, last end (ns)
    categories: tuple[str, ...] = ()  # the categories of the filter's events (the legend)


class TimelineQueries(Protocol):
    """What an engine answers for the timeline (an event source's ``timeline``). Each
    call may scan the data: call them from a worker."""

    def finest_unit(self) -> str:
        """The finest bin the data's dates allow ("hour", or "day" for bare dates)."""
        ...

    def answer(self, ask: TimelineAsk) -> TimelineAnswer: ...

    def overview(self, spec: FilterSpec) -> Overview: ...

    def range_totals(self, spec: FilterSpec, a: int, b: int) -> tuple[int, float, int]:
        """(events, known fatalities, unknown tolls) overlapping [a, b] ns."""
        ...

    def bar_events(
        self, bar: BarSelection, current: int | None = None
    ) -> tuple[int | None, int, bool]:
        """A selected bar's events: the first one's key in reading order (None: none),
        how many, and whether the event of key ``current`` is one of them."""
        ...

    def bar_keys(self, bar: BarSelection, limit: int) -> np.ndarray:
        """The keys of a selected bar's events, the first ``limit`` in reading order."""
        ...

    def interrupt(self) -> None:
        """Stop the timeline's own running queries."""
        ...
