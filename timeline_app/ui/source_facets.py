"""The Filters dock on a dataset an engine answers (DuckDB): the lists' values and their
counts under the other filters come from SQL (storage/duck/facets.py, the memory
engine's own counting over the data's distinct values) in a worker, again on each new
filter (the newer count supersedes the older, whose query the controller interrupts),
and the count line says the engine's count. Ticking a value sets the filter as in
memory; the source's table and count follow it. Once the lists are shown, a worker makes
what keeps the next counts quick (the source's prepare_list_counts: DuckDB's cube of
the lists' values), again if a new filter interrupted it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from timeline_app.model.actors import active_dictionary
from timeline_app.model.facets import region_tree
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.ui.workers import Control, JobError, JobKind

if TYPE_CHECKING:
    from timeline_app.ui.source_controller import SourceController


def list_counts(_control: Control, source: Any, spec: FilterSpec) -> tuple[Any, dict[str, Any]]:
    return source.list_counts(spec)  # type: ignore[no-any-return]


def prepare(_control: Control, source: Any) -> bool:
    return bool(source.prepare_list_counts())


class SourceFacets(QObject):
    """The Filters dock's lists for ``controller``'s source."""

    def __init__(self, controller: SourceController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.panel = controller.window.filter_panel
        self.view = controller.view
        self.jobs = JobKind("source facets", serial=True)
        self.prepare_jobs = JobKind("source facets: prepare")
        self._prepared: str | None = None  # the dictionary version it was made for
        self._shown: Any = None  # the facet table the lists show
        self._counted: tuple[FilterSpec, str] | None = None  # the counts' filter, dictionary
        self.view.source_changed.connect(self._on_source_changed)
        self.view.query_changed.connect(self.refresh)
        self.view.count_changed.connect(lambda _n: self._show_count())

    def _on_source_changed(self) -> None:
        self.jobs.supersede()
        self.prepare_jobs.supersede()
        self._shown = self._counted = self._prepared = None
        if self.view.source is None:
            if self.panel.engine_counts is not None:
                self.panel.engine_counts = None
                self.panel._on_table_changed()  # the lists of the table in memory again
            return
        self.panel.engine_counts = self.controller.count_text
        self.refresh()

    def refresh(self) -> None:
        """Count the lists' values for the current filter (a sort changes no count)."""
        source = self.view.source
        if source is None:
            return
        self._show_count()
        asked = (self.view.spec, active_dictionary().version)
        if asked == self._counted and not self.jobs.busy():
            return
        job = self.jobs.start(list_counts, source, asked[0], parent=self)
        job.returned.connect(lambda found, a=asked: self._show(a, found))
        job.errored.connect(self._failed)

    def _show(self, asked: tuple[FilterSpec, str], found: tuple[Any, dict[str, Any]]) -> None:
        if asked[0] != self.view.spec:
            return
        facet, counts = found
        if facet is not self._shown:  # the first counts, or a new actor dictionary
            self._shown = facet
            self.panel.show_lists(facet.table, region_tree(facet.table))
        self._counted = asked
        self.panel.apply_counts(counts)
        self._prepare(asked[1])

    def _prepare(self, version: str) -> None:
        """Make the next counts quick, once per dictionary (not while it is being made)."""
        source = self.view.source
        if source is None or self._prepared == version or self.prepare_jobs.busy():
            return
        job = self.prepare_jobs.start(prepare, source, parent=self)
        job.returned.connect(lambda _made, v=version: setattr(self, "_prepared", v))
        job.errored.connect(self._failed)  # an interrupt: made again after the next counts

    def _failed(self, error: JobError) -> None:
        # (duckdb is not imported for this: the app starts without it)
        if type(error.exception).__name__ != "InterruptException":  # Cancel, a new query
            self.controller._query_failed(error)

    def _show_count(self) -> None:
        if self.panel.engine_counts is not None:
            self.panel.count_label.setText(self.panel.engine_counts())

    def counts_settled(self) -> bool:
        """The lists show the counts of the current filter, and none is being made."""
        asked = (self.view.spec, active_dictionary().version)
        return self._counted == asked and not self.jobs.busy()
