"""Opening a workspace saved on DuckDB (``"engine": "duckdb"``), for the window's
WorkspaceController: its Parquet files and folders are opened on DuckDB by the source
controller (ui/source_controller.py, in its worker, as File > Open As… DuckDB), then
its filter, sort, range and views go onto the DuckDB view (model/workspace_source.py),
and its likely-same search runs again on DuckDB, as the match dialog runs it there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject

from timeline_app.model.matching import MatchRule
from timeline_app.model.workspace import CHANGED, OK, OpenedWorkspace
from timeline_app.model.workspace_source import apply_to_source
from timeline_app.storage.duck.event_keys import ids_of_keys, keys_of_ids
from timeline_app.ui.match_dialog import keep_source_pairs, source_match_job
from timeline_app.ui.source_controller import READ_RETRIES
from timeline_app.ui.workers import Job, JobError

if TYPE_CHECKING:
    from timeline_app.ui.workspace_controller import WorkspaceController

log = logging.getLogger(__name__)


def read_ids(_control: Any, source: Any, keys: np.ndarray) -> dict[int, tuple[str, str]]:
    return ids_of_keys(source.duck, keys)


def find_selection(
    _control: Any, source: Any, spec: Any, events: list[tuple[str, str]], current: Any
) -> tuple[np.ndarray, int | None]:
    """The keys of the workspace's selected events the filter keeps, and its focused
    event's key (None when gone or hidden)."""
    keys = source.kept_keys(spec, keys_of_ids(source.duck, events))
    focused = keys_of_ids(source.duck, [tuple(current)]) if current else np.empty(0)
    focus = int(focused[0]) if len(focused) and source.contains(spec, int(focused[0])) else None
    return keys, focus


class DuckWorkspaces(QObject):
    """A DuckDB workspace's opening, for one WorkspaceController."""

    def __init__(self, controller: WorkspaceController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.state = controller.state
        #: (dataset, id) of the DuckDB selection's events by key, read for the last save.
        self.ids: dict[int, tuple[str, str]] = {}
        self.state.source_view.source_changed.connect(lambda: self.ids.clear())

    def with_selection(self, then: Callable[[], object], background: bool = True) -> bool:
        """Call ``then`` once the selected and focused events' ids are read (a workspace
        records ids, not keys): right away (True) when nothing is selected or not in
        the ``background``, else after a worker read them (False)."""
        view = self.state.source_view
        focused = [] if view.current_key is None else [view.current_key]
        keys = np.union1d(view.selection, np.asarray(focused, dtype=np.int64))
        if view.source is None or not len(keys) or set(keys.tolist()) <= self.ids.keys():
            then()
            return True
        if not background:  # at exit: a save that cannot wait
            self.ids = ids_of_keys(view.source.duck, keys)  # type: ignore[attr-defined]
            then()
            return True
        job = Job(read_ids, view.source, keys, name="workspace selection", parent=self)

        def read(ids: dict[int, tuple[str, str]]) -> None:
            self.ids = ids
            then()

        job.returned.connect(read)
        job.errored.connect(lambda error: self._not_saved(error.message))
        self.window.track_job(job)
        job.start()
        return False

    def _not_saved(self, reason: str) -> None:
        self.window.statusBar().showMessage(
            self.tr("The workspace was not saved: {reason}").format(reason=reason), 10_000
        )

    def open(self, opened: OpenedWorkspace, path: Path, remember: bool) -> None:
        """Open the workspace's Parquet files and folders on DuckDB (the source
        controller's worker), then put its state on the DuckDB view."""
        todo = [c for c in opened.checks if c.status in (OK, CHANGED)]  # CHANGED: "anyway"
        if not todo:
            self.controller.fail(
                self.tr("{name}: none of its files was found").format(name=path.name)
            )
            return
        # What its filter refers to (a converted file's sources: each one's name)
        names = [c.entry.sources or c.entry.name or c.path.stem for c in todo]
        job = self.window.sources.open([c.path for c in todo], names)
        job.returned.connect(lambda _found: self._restore(opened, path, remember))
        job.errored.connect(lambda error: self._failed(error.message))
        job.cancelled.connect(self.controller.cancelled)

    def _failed(self, message: str) -> None:
        self.controller.busy = False  # the source controller said why (window._on_failed)
        self.controller.open_failed.emit(message)

    def _restore(self, opened: OpenedWorkspace, path: Path, remember: bool) -> None:
        # The search starts once the filter and sort are set: each of their counts
        # interrupts the dataset's running queries.
        searches: list[tuple[str, str, MatchRule]] = []
        try:
            apply_to_source(
                self.state, opened.workspace, lambda a, b, rule: searches.append((a, b, rule))
            )
        except Exception as err:  # a bad workspace must not crash the window
            log.warning("restoring %s failed", path, exc_info=err)
            self.controller.fail(
                self.tr("{name}: could not be restored: {reason}").format(
                    name=path.name, reason=err
                ),
                JobError.of(err),
            )
            return
        for first, second, rule in searches:
            self.match_later(first, second, rule)
        ws = opened.workspace
        if ws.selection or ws.current:
            self.select_later(ws.selection, ws.current)
        if ws.view_range is not None:
            self._keep_view_range(ws.view_range)
        self.controller.restored(opened, [], path, remember)

    def _keep_view_range(self, view_range: tuple[int, int]) -> None:
        """The DuckDB timeline frames its data once their extent is read (after the
        workspace's range was set): the workspace's range again then."""
        source = getattr(self.window.timeline_dock.widget(), "source", None)
        ready = getattr(source, "ready", None)
        if ready is None or getattr(source, "overview", None) is not None:
            return  # framed already: the range set stands

        def framed() -> None:
            ready.disconnect(framed)
            if self.state.source_view.source is not None:
                self.state.set_view_range(view_range)

        ready.connect(framed)

    def select_later(self, events: list, current: Any, tries: int = 0) -> None:
        """Select the workspace's events the filter keeps, found by id in a worker."""
        view = self.state.source_view
        source, spec = view.source, view.spec
        job = Job(find_selection, source, spec, events, current, name="workspace selection")
        job.setParent(self)

        def found(result: tuple[np.ndarray, int | None]) -> None:
            if view.source is not source or view.spec != spec:
                return  # another dataset or filter by now
            keys, focus = result
            view.select_keys(keys)
            view.set_current(focus if focus is not None else (int(keys[0]) if len(keys) else None))

        def failed(error: JobError) -> None:
            retry = "interrupt" in error.message.lower() and tries < READ_RETRIES
            if retry and view.source is source:
                self.select_later(events, current, tries + 1)

        job.returned.connect(found)
        job.errored.connect(failed)
        job.start()

    def match_later(self, first: str, second: str, rule: MatchRule, tries: int = 0) -> None:
        """The workspace's likely-same search on DuckDB, as Tools > Find Likely Same
        Events… runs it there (a worker reads the two datasets). Killed by another
        query's interrupt (a new filter's count interrupts them all), it runs again."""
        source = self.state.source_view.source
        job = source_match_job(source, first, second, rule, parent=self)
        self.controller.match_job = job

        def again(error: JobError) -> bool:
            retry = "interrupt" in error.message.lower() and tries < READ_RETRIES
            if retry and self.state.source_view.source is source:
                self.match_later(first, second, rule, tries + 1)
            return retry

        def found(result: Any) -> None:
            if result is None or self.state.source_view.source is not source:
                return  # cancelled, or another dataset is shown by now
            keep_source_pairs(self.state, result)
            self.window.statusBar().showMessage(
                self.controller.found_text(int(result.result.taken.sum()), first, second),
                10_000,
            )

        job.returned.connect(found)
        self.controller.follow_match(job, first, second, again)
