"""The Trends dock on a dataset an engine answers (DuckDB): the series from SQL
(storage/duck/trends.py, equal to model/trends.count_series for the same rows) and the
chart's milestones and periods, counted in a worker again when the filter or the dock's
choices (unit, lanes, measure) change; the dock draws them as it draws the memory
engine's. (The before-and-after comparison counts in SQL too: ui/trends/compare_figures.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from timeline_app.model.actors import active_dictionary
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.trends import Series
from timeline_app.ui.trends.widget import MAX_MARKS
from timeline_app.ui.workers import Control, JobError, JobKind

if TYPE_CHECKING:
    from timeline_app.ui.source_controller import SourceController


def count_trends(
    _control: Control, source: Any, spec: FilterSpec, unit: str, grouping: str, measure: str
) -> tuple[Series, tuple[list[Any], list[Any]]]:
    series = source.trend_series(spec, unit, grouping, measure)
    marks: tuple[list[Any], list[Any]] = ([], [])
    if len(series.edges) >= 2:
        marks = source.trend_marks(int(series.edges[0]), int(series.edges[-1]), MAX_MARKS)
    return series, marks


class SourceTrends(QObject):
    """The Trends dock's counting for ``controller``'s source (``widget.engine``)."""

    def __init__(self, controller: SourceController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.view = controller.view
        self.jobs = JobKind("source trends", serial=True)
        self._dictionary = ""  # the actor dictionary of the last count
        self.view.source_changed.connect(self._on_source_changed)
        self.view.query_changed.connect(self._on_query_changed)

    @property
    def widget(self) -> Any:
        return self.window.trends

    def _on_source_changed(self) -> None:
        self.jobs.supersede()
        open_ = self.view.source is not None
        self.widget.engine = self if open_ else None
        self._dictionary = active_dictionary().version
        self.widget.recount()

    def _on_query_changed(self) -> None:
        if self.view.source is None:
            return
        version = active_dictionary().version
        if self.jobs.busy() or version != self._dictionary:
            # its query was interrupted with the others', or the filter means other rows
            self._dictionary = version
            self.widget.recount()
        else:
            self.widget.refresh()  # a sort alone changes nothing

    def count(self, unit: str, grouping: str, measure: str) -> None:
        """Count the series for the current filter (the widget asks, as it counts)."""
        source = self.view.source
        if source is None:
            return
        job = self.jobs.start(
            count_trends, source, self.view.spec, unit, grouping, measure, parent=self
        )
        job.returned.connect(lambda found: self.widget.show_series(*found))
        job.errored.connect(self._failed)

    def _failed(self, error: JobError) -> None:
        # (duckdb is not imported for this: the app starts without it)
        if type(error.exception).__name__ != "InterruptException":  # Cancel, a new query
            self.controller._query_failed(error)

    def names(self) -> list[str]:
        """The datasets' names (the exported chart's sources)."""
        source = self.view.source
        return list(source.names) if source is not None else []

    def counting(self) -> bool:
        return self.jobs.busy()
