"""What the views ask of a dataset whose events are not in memory: an event source.

The memory engine answers from the event table (model/state.py: ``visible``, the
masks); a source answers the same questions for data queried in place (the DuckDB
engine, timeline_app/storage/duck/event_source.py). Every method may take as long as
a query over the whole data: call them from a worker (each worker thread gets a
cursor of its own) and :meth:`EventSource.interrupt` to cancel.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from timeline_app.model.dataset import Dataset
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.sorting import SortKey
from timeline_app.model.timeline.remote import TimelineQueries
from timeline_app.model.trends import Series

#: The column of a page holding each row's key (what :meth:`EventSource.event` takes).
KEY_COLUMN = "__key"


class EventSource(Protocol):
    """Events answered by an engine rather than held in memory."""

    #: The engine's name, as the status bar shows it ("duckdb").
    engine: str
    #: The datasets' names (the ``dataset`` column's values), in the inputs' order.
    names: list[str]
    #: The timeline's counts and events for a view (model/timeline/remote.py).
    timeline: TimelineQueries

    def datasets(self) -> list[Dataset]:
        """The inputs as the memory engine describes them (name, path, licence, citation),
        without their events: for captions and provenance."""
        ...

    def count(self, spec: FilterSpec) -> int:
        """How many events ``spec`` keeps."""
        ...

    def page(
        self,
        spec: FilterSpec,
        sort_keys: list[SortKey],
        start: int,
        limit: int,
        columns: list[str] | None = None,
    ) -> pa.Table:
        """Rows ``start`` to ``start + limit`` of ``spec``'s events in display order
        (``columns``, by default every canonical column, and :data:`KEY_COLUMN`)."""
        ...

    def event(self, key: int) -> dict[str, Any] | None:
        """Every column of one event, by its key (the detail pane)."""
        ...

    def contains(self, spec: FilterSpec, key: int) -> bool:
        """Whether ``spec`` keeps the event of ``key`` (a focus a new filter may drop)."""
        ...

    def kept_keys(self, spec: FilterSpec, keys: np.ndarray) -> np.ndarray:
        """Those of ``keys`` (a selection's) that ``spec`` keeps, ascending: a new
        filter drops the selected events it hides, as in memory."""
        ...

    def position(self, spec: FilterSpec, sort_keys: list[SortKey], key: int) -> int | None:
        """The row of the event of ``key`` among ``spec``'s in display order (None: not
        kept): where the table scrolls to show a focus another view gave."""
        ...

    def facet_counts(self, spec: FilterSpec, column: str) -> dict[str, int]:
        """Events per value of ``column`` among those the other filters keep."""
        ...

    def list_counts(self, spec: FilterSpec) -> tuple[Any, dict[str, Any]]:
        """The Filters dock's lists: a table of the data's distinct facet values (its
        ``table``, which the lists take their values and trees from) and what
        model/actor_facet.filter_list_counts gives for ``spec`` (counts per value
        among the events the other filters keep)."""
        ...

    def prepare_list_counts(self) -> bool:
        """Make what keeps later :meth:`list_counts` quick (once per dataset and actor
        dictionary; slow, so in a worker); True once made."""
        ...

    def histogram(self, spec: FilterSpec, unit: str, lane: str | None = None) -> pa.Table:
        """Events and known fatalities per time bin (``bin`` ns, ``lane``, ``events``,
        ``fatalities``)."""
        ...

    def date_range(self, spec: FilterSpec) -> tuple[int, int] | None:
        """The first start and the last end (ns) of ``spec``'s events."""
        ...

    def trend_series(
        self,
        spec: FilterSpec,
        unit: str = "auto",
        grouping: str = "category",
        measure: str = "events",
        span_ns: tuple[int, int] | None = None,
    ) -> Series:
        """What model/trends.count_series counts for ``spec``'s events."""
        ...

    def trend_marks(self, lo: int, hi: int, limit: int) -> tuple[list[Any], list[Any]]:
        """The Trends chart's milestones and periods over ``[lo, hi)`` ns, whatever the
        filter: (start s, title) and (start s, end s, category), ``limit`` of each."""
        ...

    def interrupt(self) -> None:
        """Stop the queries running now (Cancel; a stale request)."""
        ...

    def close(self) -> None: ...
