"""The Trends view (a dock the main window makes like every view) and the
before-and-after comparison: Tools > Compare Before and After… (ui/actions.py) and the
timeline's right-click "Compare before and after"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from timeline_app.ui.trends.compare_dialog import CompareDialog, compare_request
from timeline_app.ui.trends.widget import TrendsWidget
from timeline_app.ui.workers import JobKind

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow
    from timeline_app.ui.timeline import TimelineWidget

__all__ = ["CompareDialog", "TrendsController", "TrendsWidget"]


def read_event(_control: Any, source: Any, key: int) -> dict | None:
    return source.event(key)


class TrendsController:
    """The "trends" part of the table of actions: opens the comparison dialog."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.state = window.state
        self.dialog: CompareDialog | None = None
        self._events = JobKind("compare event")  # an event read by key (DuckDB)
        # A comparison put into the state from elsewhere (a workspace) opens the dialog.
        self.state.views.trends.events.compare.connect(
            lambda choice, *_old: self.show() if choice else None
        )
        if self.state.views.trends.compare:  # a window rebuilt around the state (a language)
            self.show()

    def follow(self, timeline: TimelineWidget) -> None:
        """A timeline's right-click "Compare Before and After this …" opens the dialog
        at its moment and event (ui/timeline_menu.py wires every timeline shown)."""
        timeline.plot.compare_requested.connect(
            lambda at_ns, row: self.open_compare(at_ns, row, timeline.source)
        )

    def open_compare(
        self, at_ns: int | None = None, row: int = -1, source: Any = None
    ) -> CompareDialog | None:
        """Open the comparison at ``at_ns`` (default: the focused event's start, or the
        middle of the timeline's view); ``row`` is the event clicked, if any, a row of
        ``source``'s table (the memory timeline's: the state's table). On DuckDB the
        event is read by key first (the dialog opens once it is read: None now)."""
        state = self.state
        view = state.source_view
        if view.source is not None:
            key = view.current_key if at_ns is None else None
            if row >= 0 and source is not None and getattr(source, "answer", None) is not None:
                key = int(source.answer.keys[row])
            if key is not None:
                self._read_event(key, at_ns)
                return None
        elif at_ns is None:
            row = state.current
            if row >= 0:
                at_ns = int(state.table.start_ns[row])
        if at_ns is None:
            shown = state.views.timeline.view_range or (0, 0)
            at_ns = (int(shown[0]) + int(shown[1])) // 2
        state.views.trends.compare = compare_request(
            state, at_ns, row if view.source is None else -1
        )
        return self.show()

    def _read_event(self, key: int, at_ns: int | None) -> None:
        job = self._events.start(read_event, self.state.source_view.source, key, parent=self.window)
        job.returned.connect(lambda event: self._event_read(event, at_ns))

    def _event_read(self, event: dict | None, at_ns: int | None) -> None:
        if event is None:
            return
        if at_ns is None:
            at_ns = int(pd.Timestamp(event["start"]).value)
        self.state.views.trends.compare = compare_request(self.state, at_ns, event=event)
        self.show()

    def show(self) -> CompareDialog:
        if self.dialog is None:
            self.dialog = CompareDialog(self.state, self.window)
            self.window.cancel_button.clicked.connect(self.dialog.cancel)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
