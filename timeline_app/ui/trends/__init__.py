"""The Trends view (a dock the main window makes like every view) and the
before-and-after comparison: Tools > Compare Before and After… (ui/actions.py) and the
timeline's right-click "Compare before and after"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline_app.ui.trends.compare_dialog import CompareDialog, compare_request
from timeline_app.ui.trends.widget import TrendsWidget

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow
    from timeline_app.ui.timeline import TimelineWidget

__all__ = ["CompareDialog", "TrendsController", "TrendsWidget"]


class TrendsController:
    """The "trends" part of the table of actions: opens the comparison dialog."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.state = window.state
        self.dialog: CompareDialog | None = None
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
            lambda at_ns, row: self.open_compare(
                at_ns, row if timeline is self.window.timeline else -1
            )
        )

    def open_compare(self, at_ns: int | None = None, row: int = -1) -> CompareDialog:
        """Open the comparison at ``at_ns`` (default: the focused event's start, or the
        middle of the timeline's view); ``row`` is the event clicked, if any."""
        state = self.state
        if at_ns is None:
            row = state.current
            if row >= 0:
                at_ns = int(state.table.start_ns[row])
            else:
                view = state.views.timeline.view_range or (0, 0)
                at_ns = (int(view[0]) + int(view[1])) // 2
        state.views.trends.compare = compare_request(state, at_ns, row)
        return self.show()

    def show(self) -> CompareDialog:
        if self.dialog is None:
            self.dialog = CompareDialog(self.state, self.window)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
