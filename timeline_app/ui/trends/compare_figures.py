"""The figures the before-and-after dialog shows, from either engine.

In memory they are counted on the UI thread (the comparison reads only the rows of its
2W weeks, ~5 ms at 1M events; a changed area's mask is one filter). On a DuckDB dataset
they come from SQL aggregates (storage/duck/compare.py, equal to the memory engine's)
counted in a worker: a newer question supersedes the older (its answer is dropped),
Cancel stops it, and a query killed by another view's interrupt is asked again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from timeline_app.model.dataset import Dataset
from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.filters import filter_mask
from timeline_app.model.state import AppState
from timeline_app.model.trends import Comparison, compare, outer_ring_mask
from timeline_app.model.trends.report import memory_sources
from timeline_app.ui.workers import Control, JobError

#: Times a question killed by someone else's interrupt (a filter, a sort) is asked again.
RETRIES = 2


@dataclass(frozen=True)
class Ask:
    """What decides the figures."""

    spec: FilterSpec  # the filters with the dialog's area
    filters: FilterSpec  # the filters alone (the default centre's events)
    at_ns: int
    weeks: int
    outer_km: float | None
    #: What the filters' actor names mean (the actor dictionary's version): a new
    #: dictionary is a new question for the same filters.
    dictionary: str = ""


@dataclass
class Figures:
    ask: Ask
    comparison: Comparison
    ring: Comparison | None
    ring_error: ValueError | None  # why there is no ring (no distance, too narrow)
    #: The median latitude and longitude of the located events the filters keep.
    centre: tuple[float, float] | None
    datasets: list[Dataset]
    #: The files' sidecar ``sources`` (None: from ``mask``, in memory, when exported).
    sources: list[dict[str, Any]] | None = None
    mask: np.ndarray | None = field(default=None, repr=False)
    centre_of: Any = field(default=None, repr=False, compare=False)  # what it was found for

    def source_records(self, state: AppState) -> list[dict[str, Any]]:
        if self.sources is not None:
            return self.sources
        assert self.mask is not None
        return memory_sources(state.table, self.mask)


def memory_figures(state: AppState, ask: Ask, previous: Figures | None = None) -> Figures:
    """The figures in memory; the default centre is ``previous``'s while the table and
    the filters are (a week, the area or the ring changed)."""
    table = state.table
    mask = state.mask if ask.spec == state.spec else filter_mask(table, ask.spec)
    result = compare(table, mask, ask.at_ns, ask.weeks)
    ring, error = None, None
    if ask.outer_km is not None:
        try:
            ring = compare(
                table, outer_ring_mask(table, ask.spec, ask.outer_km), ask.at_ns, ask.weeks
            )
        except ValueError as err:  # no distance, or a ring narrower than the area
            error = err
    # The filters' rows: the state's mask (a new array for each filter, table or
    # dictionary), which the centre is kept with.
    filtered = state.mask if ask.filters == state.spec else filter_mask(table, ask.filters)
    if previous is not None and previous.centre_of is filtered:
        centre = previous.centre
    else:
        centre = _median_place(table, filtered)
    figures = Figures(ask, result, ring, error, centre, table.datasets, mask=mask)
    figures.centre_of = filtered
    return figures


def _median_place(table: EventTable, filtered: np.ndarray) -> tuple[float, float] | None:
    df = table.df
    lat = df["latitude"].to_numpy(dtype=float, na_value=np.nan)[filtered]
    lon = df["longitude"].to_numpy(dtype=float, na_value=np.nan)[filtered]
    known = ~(np.isnan(lat) | np.isnan(lon))
    if not known.any():
        return None
    return float(np.median(lat[known])), float(np.median(lon[known]))


def source_figures(control: Control, _duck: Any, counter: Any, ask: Ask) -> Figures | None:
    """The figures from SQL (a worker; ``counter``: storage/duck/compare.CompareCounter)."""
    where = counter.where(ask.spec)
    result = counter.compare(where, ask.at_ns, ask.weeks)
    ring, error = None, None
    if ask.outer_km is not None:
        try:
            ring = counter.compare(counter.ring_where(ask.spec, ask.outer_km), ask.at_ns, ask.weeks)
        except ValueError as err:
            error = err
    if control.cancelled():
        return None
    centre = counter.centre(ask.filters)
    return Figures(ask, result, ring, error, centre, counter.datasets(), counter.sources(where))


class SourceFigures(QObject):
    """The dialog's figures for ``state.source_view``'s dataset, counted in a worker."""

    counted = Signal(object)  # Figures
    failed = Signal(str)

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = state.source_view
        self.queries: Any = None  # ui/map/sql_source.Queries, made on first use
        self.asked: Ask | None = None
        self.done: Ask | None = None  # the question of the figures last counted
        self._retries = 0

    def ask(self, ask: Ask) -> None:
        """Count ``ask``'s figures (nothing new when they are counted or being counted:
        a sort, the state's own rows changing, ask again for the same)."""
        source: Any = self.view.source  # DuckSource: its engine and its compare counter
        if source is None or (ask == self.asked and (self.busy() or self.done == ask)):
            return
        if self.queries is None:  # (it imports duckdb: the app starts without it)
            from timeline_app.ui.map.sql_source import Queries

            self.queries = Queries("compare figures")
        self.asked = ask
        # A newer question interrupts the older one's queries, and only theirs.
        job = self.queries.start(source_figures, source.duck, source.compare, ask, parent=self)
        job.returned.connect(self._counted)
        job.errored.connect(lambda error, ask=ask: self._failed(ask, error))

    def _counted(self, figures: Figures | None) -> None:
        if figures is not None:
            self._retries = 0
            self.done = figures.ask
            self.counted.emit(figures)

    def _failed(self, ask: Ask, error: JobError) -> None:
        # (duckdb is not imported for this: the app starts without it)
        interrupted = type(error.exception).__name__ == "InterruptException"
        if interrupted and self._retries < RETRIES:  # another view's interrupt
            self._retries += 1
            self.asked = None
            self.ask(ask)
            return
        self.asked = None
        self.failed.emit(error.message)

    def cancel(self) -> None:
        """Cancel (the window's button): the running count stops, its answer dropped."""
        if self.queries is not None:
            self.queries.interrupt()
        self.asked = self.done = None

    def busy(self) -> bool:
        return self.queries is not None and self.queries.busy()
