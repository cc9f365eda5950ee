"""Counts across time: events, or known fatalities, per day, week, month or year and per
lane of the timeline's grouping, for the rows that pass the filters.

Everything that grows with the data is done once per table, unit and grouping (the bin
and lane of every row, cached); a filter change then costs one compress and one
``np.bincount`` over the kept rows. Events whose toll is unknown are counted apart
(``unknown``): they add nothing to a fatality sum and are never drawn as a zero.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from timeline_app.model.events import EventTable
from timeline_app.model.table_cache import PerTable
from timeline_app.model.timeline.dates import bin_edges
from timeline_app.model.timeline.lanes import Lanes, assign_lanes
from timeline_app.model.units import NAT_NS, NS_PER_DAY

#: The time units a trends chart counts by ("auto" picks one from the span shown).
UNITS = ("day", "week", "month", "year")
#: What a trends chart counts.
MEASURES = ("events", "fatalities")
#: "auto" takes the finest unit that gives at most this many bins.
AUTO_MAX_BINS = 160


@dataclass(frozen=True)
class Series:
    """Counts per group (rows) and time bin (columns).

    ``edges`` has one more entry than there are bins (int64 ns, calendar aligned);
    ``values`` holds events, or the sum of the known tolls, per group and bin;
    ``events`` the number of events and ``unknown`` those with an unknown toll (always
    counted, whatever the measure). Grouped by actor an event counts in the lane of each
    of its actors, so groups may add up to more than ``total_events``.
    """

    unit: str
    measure: str
    grouping: str
    labels: tuple[str, ...]
    edges: np.ndarray
    values: np.ndarray
    events: np.ndarray
    unknown: np.ndarray
    #: Kept events in all (each counted once), and those without a known start.
    total_events: int
    undated: int
    #: Per bin, the measure over every kept event counted once (grouped by actor the
    #: lanes count an event once per actor); None when the lanes already add up to it.
    once: np.ndarray | None = None
    once_unknown: np.ndarray | None = None

    @property
    def starts(self) -> np.ndarray:
        return self.edges[:-1]

    def totals(self) -> np.ndarray:
        """Per bin, the sum over groups (the top of a stacked chart)."""
        return self.values.sum(axis=0) if len(self.values) else np.zeros(len(self.starts))

    def bin_totals(self) -> np.ndarray:
        """Per bin, the events (or known fatalities) counting each event once."""
        return self.once if self.once is not None else self.totals()

    def bin_unknown(self) -> np.ndarray:
        """Per bin, the events with an unknown toll, each counted once."""
        return self.once_unknown if self.once_unknown is not None else self.unknown.sum(axis=0)


def choose_unit(span_ns: int, max_bins: int = AUTO_MAX_BINS) -> str:
    """The finest unit that cuts ``span_ns`` into at most ``max_bins`` bins."""
    for unit, length in (("day", NS_PER_DAY), ("week", 7 * NS_PER_DAY), ("month", 31 * NS_PER_DAY)):
        if span_ns / length <= max_bins:
            return unit
    return "year"


# -- per table, cached ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Bins:
    edges: np.ndarray  # over the whole table's known starts
    of_row: np.ndarray  # int32 bin per row, -1 for an unknown start


@dataclass(frozen=True)
class _Cells:
    """Per (row, lane) place: its row and its cell (lane * bins + bin), -1 when undated."""

    lanes: Lanes
    rows: np.ndarray | None  # None: one place per row, in row order
    cell: np.ndarray


_BINS = PerTable[dict[str, _Bins]]("trends: calendar bins by unit")
_CELLS = PerTable[dict[tuple[str, str], _Cells]]("trends: cells by unit and lanes")
_TOLLS = PerTable[tuple[np.ndarray, np.ndarray]]("trends: known tolls")


def table_bins(table: EventTable, unit: str) -> _Bins:
    """Calendar bins over every known start of the table, and each row's bin."""
    per_unit = _BINS.get(table, dict)
    if unit not in per_unit:
        start = table.start_ns
        known = start != NAT_NS
        if not known.any():
            per_unit[unit] = _Bins(np.zeros(1, np.int64), np.full(len(start), -1, np.int32))
        else:
            lo = int(start[known].min())
            hi = int(start[known].max())
            edges = bin_edges(lo, hi, unit)
            of_row = (np.searchsorted(edges, start, side="right") - 1).astype(np.int32)
            of_row[~known] = -1
            per_unit[unit] = _Bins(edges, of_row)
    return per_unit[unit]


def _cells(table: EventTable, unit: str, grouping: str) -> _Cells:
    per_key = _CELLS.get(table, dict)
    key = (unit, grouping)
    if key not in per_key:
        bins = table_bins(table, unit)
        lanes = assign_lanes(table, grouping)
        nbins = len(bins.edges) - 1
        if lanes.multi:
            assert lanes.member_rows is not None and lanes.member_lanes is not None
            rows = lanes.member_rows
            lane, b = lanes.member_lanes.astype(np.int64), bins.of_row[rows]
        else:
            rows, lane, b = None, lanes.of_row.astype(np.int64), bins.of_row
        cell = np.where(b >= 0, lane * nbins + b, -1)
        per_key[key] = _Cells(lanes, rows, cell)
    return per_key[key]


def tolls(table: EventTable) -> tuple[np.ndarray, np.ndarray]:
    """Per row, its known toll (0 where unknown) and whether it is unknown."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        fatalities = table.df["fatalities"].to_numpy(dtype=np.float64, na_value=np.nan)
        unknown = np.isnan(fatalities)
        return np.where(unknown, 0.0, fatalities), unknown

    return _TOLLS.get(table, build)


def prepare_series(table: EventTable, unit: str, grouping: str) -> None:
    """Do the per-table work now (a worker thread), so that counting is quick later."""
    _cells(table, unit, grouping)
    tolls(table)


# -- per filter ------------------------------------------------------------------------------------
def count_series(
    table: EventTable,
    mask: np.ndarray,
    unit: str = "auto",
    grouping: str = "category",
    measure: str = "events",
    span_ns: tuple[int, int] | None = None,
) -> Series:
    """Events (or known fatalities) per ``unit`` and lane of ``grouping`` among ``mask``.

    The bins shown run from the first to the last bin holding a kept event, or over
    ``span_ns`` (int64 ns, inclusive) when given. ``unit`` "auto" picks one by that span.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r} (one of {MEASURES})")
    mask = np.asarray(mask, dtype=bool)
    start = table.start_ns
    dated = mask & (start != NAT_NS)
    total = int(np.count_nonzero(mask))
    undated = total - int(np.count_nonzero(dated))
    if unit == "auto":
        unit = _auto_unit(start, dated, span_ns)
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r} (one of {('auto', *UNITS)})")
    bins = table_bins(table, unit)
    cells = _cells(table, unit, grouping)
    nbins, ngroups = len(bins.edges) - 1, len(cells.lanes)
    keep = dated if cells.rows is None else dated[cells.rows]
    cell = cells.cell[keep]
    rows = np.flatnonzero(dated) if cells.rows is None else cells.rows[keep]
    size = ngroups * nbins
    known_toll, unknown_toll = tolls(table)
    events = np.bincount(cell, minlength=size)[:size].reshape(ngroups, nbins)
    unknown_sum = np.bincount(cell, weights=unknown_toll[rows], minlength=size)
    unknown = unknown_sum[:size].reshape(ngroups, nbins).astype(np.int64)
    values: np.ndarray = events.astype(np.float64)
    if measure == "fatalities":
        summed = np.bincount(cell, weights=known_toll[rows], minlength=size)
        values = summed[:size].reshape(ngroups, nbins)
    once = once_unknown = None
    if cells.rows is not None:  # lanes overlap: count each event once as well
        kept = np.flatnonzero(dated)
        b = bins.of_row[kept]
        weights = None if measure == "events" else known_toll[kept]
        once = np.bincount(b, weights=weights, minlength=nbins).astype(np.float64)
        once_unknown = np.bincount(b, weights=unknown_toll[kept], minlength=nbins)
        once_unknown = once_unknown.astype(np.int64)
    whole = Series(
        unit=unit,
        measure=measure,
        grouping=grouping,
        labels=cells.lanes.labels,
        edges=bins.edges,
        values=values,
        events=events,
        unknown=unknown,
        total_events=total,
        undated=undated,
        once=once,
        once_unknown=once_unknown,
    )
    return shown_series(whole, span_ns)


def shown_series(whole: Series, span_ns: tuple[int, int] | None) -> Series:
    """``whole`` (counts over every bin of the data's calendar) cut to the bins shown:
    from the first to the last bin holding a kept event, or over ``span_ns``. Shared by
    the memory and the DuckDB engine."""
    lo, hi = _shown_bins(_Bins(whole.edges, np.empty(0, np.int32)), whole.events, span_ns)
    return replace(
        whole,
        edges=whole.edges[lo : hi + 1].copy(),
        values=whole.values[:, lo:hi],
        events=whole.events[:, lo:hi],
        unknown=whole.unknown[:, lo:hi],
        once=None if whole.once is None else whole.once[lo:hi],
        once_unknown=None if whole.once_unknown is None else whole.once_unknown[lo:hi],
    )


def _auto_unit(start: np.ndarray, dated: np.ndarray, span_ns: tuple[int, int] | None) -> str:
    kept = start[dated]
    first_last = (int(kept.min()), int(kept.max())) if len(kept) else None
    return auto_unit(first_last, span_ns)


def auto_unit(first_last: tuple[int, int] | None, span_ns: tuple[int, int] | None) -> str:
    """The unit \"auto\" counts by: from the span shown, else the kept events' first
    and last start."""
    if span_ns is not None:
        return choose_unit(int(span_ns[1]) - int(span_ns[0]))
    if first_last is None:
        return "week"
    return choose_unit(first_last[1] - first_last[0])


def _shown_bins(
    bins: _Bins, events: np.ndarray, span_ns: tuple[int, int] | None
) -> tuple[int, int]:
    """[lo, hi) of the table's bins to show."""
    nbins = len(bins.edges) - 1
    if span_ns is not None:
        lo = int(np.searchsorted(bins.edges, int(span_ns[0]), side="right")) - 1
        hi = int(np.searchsorted(bins.edges, int(span_ns[1]), side="right"))
        return max(lo, 0), min(max(hi, lo + 1), nbins)
    busy = np.flatnonzero(events.sum(axis=0)) if nbins else np.empty(0, np.int64)
    if not len(busy):
        return 0, 0
    return int(busy[0]), int(busy[-1]) + 1
