"""Edit > Undo / Redo over filter changes, timeline view changes, lane grouping and
the table's columns.

The controller listens to the app state (the filter, and ``state.views``: the timeline's
view range and lanes, the table's columns), records a snapshot of the state after each
change (rapid ones coalesce, see model/undo.py), and on undo/redo puts the snapshot back
into the state; the views follow it. A guard keeps that from being recorded anew.

The timeline's own back/forward history (view ranges only) is a separate thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QAction

from timeline_app.model.undo import Snapshot, UndoHistory
from timeline_app.ui.actions import by_id
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP
from timeline_app.ui.menus import text_of

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow

#: A view change smaller than this fraction of the span is the same view (pyqtgraph
#: pads and rounds a range it is given; that must not become a new undo step).
VIEW_TOLERANCE = 0.002
#: A pan or zoom is recorded once the view has been still this long (ms).
VIEW_SETTLE_MS = 400


def after_pending_timers(parent: QObject, fn: Callable[[], None], rounds: int = 2) -> None:
    """Run ``fn`` after the zero-delay timers already started (a view framing new data),
    and again after any they start in turn. A QTimer object, not ``singleShot(0)``: Qt 6
    runs a zero singleShot as a posted event, before pending timers."""

    def fire() -> None:
        fn()
        if rounds > 1:
            after_pending_timers(parent, fn, rounds - 1)

    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(1)
    timer.timeout.connect(fire)
    timer.timeout.connect(timer.deleteLater)
    timer.start()


def same_view(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return a == b
    span = max(a[1] - a[0], b[1] - b[0], 1)
    return abs(a[0] - b[0]) <= span * VIEW_TOLERANCE and abs(a[1] - b[1]) <= span * VIEW_TOLERANCE


class UndoController(QObject):
    """Owns the undo history of one main window and its Undo/Redo actions."""

    def __init__(self, window: MainWindow, coalesce_s: float = 1.0) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self._restoring = False
        self.history = UndoHistory(self.snapshot(), coalesce_s=coalesce_s)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(VIEW_SETTLE_MS)
        self._settle.timeout.connect(self._on_change)
        self.state.filter_changed.connect(self._on_change)
        # New data: the timeline frames it on a zero timer (which may defer once more), so
        # start the history afresh after that, from the view the user first sees.
        self.state.table_changed.connect(self._reset_soon)
        views = self.state.views
        views.timeline.events.view_range.connect(self._on_view_change)
        views.timeline.events.lane_grouping.connect(self._on_change)
        views.table.events.columns.connect(self._on_change)

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Edit > Undo and Redo (rows of ui/actions.py): enabled and named by the history."""
        self.undo_action = actions["edit.undo"]
        self.redo_action = actions["edit.redo"]
        self.history.changed.connect(self._update_actions)
        self._update_actions()

    def adopt(self, history: UndoHistory) -> None:
        """Carry on with another window's history (a window rebuilt in a new language)."""
        self.history.changed.disconnect(self._update_actions)
        history.changed.disconnect()
        self.history = history
        history.changed.connect(self._update_actions)
        self._update_actions()

    def snapshot(self) -> Snapshot:
        return Snapshot.of(self.state)

    def _reset_soon(self, *_args: Any) -> None:
        after_pending_timers(self, self.reset)

    def reset(self, *_args: Any) -> None:
        """Start a fresh history from what is shown now (new data, opened workspace)."""
        self._settle.stop()
        self.history.reset(self.snapshot())

    def _on_view_change(self, *_args: Any) -> None:
        if not self._restoring:
            self._settle.start()  # one step per settled pan/zoom, not per frame

    def _on_change(self, *_args: Any) -> None:
        if self._restoring:
            return
        self._settle.stop()
        now = self.snapshot()
        current = self.history.current
        if (
            now.spec == current.spec
            and now.lane_grouping == current.lane_grouping
            and now.columns == current.columns
            and same_view(now.view_range, current.view_range)
        ):
            return
        self.history.record(now)

    def undo(self) -> None:
        self._restore(self.history.undo())

    def redo(self) -> None:
        self._restore(self.history.redo())

    def _restore(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        self._restoring = True
        try:
            snapshot.restore(self.state)
        finally:
            self._restoring = False

    def _update_actions(self) -> None:
        self.undo_action.setEnabled(self.history.can_undo())
        self.redo_action.setEnabled(self.history.can_redo())
        undo, redo = _label(self.history.undo_label()), _label(self.history.redo_label())
        undo_text, redo_text = text_of(by_id("edit.undo")), text_of(by_id("edit.redo"))
        self.undo_action.setText(f"{undo_text} {undo}" if undo else undo_text)
        self.redo_action.setText(f"{redo_text} {redo}" if redo else redo_text)


#: What a step undoes (model/undo.py LABELS), as the Edit menu names it.
_STEP_LABELS = (
    QT_TRANSLATE_NOOP("Undo", "Filter Change"),
    QT_TRANSLATE_NOOP("Undo", "Search Text"),
    QT_TRANSLATE_NOOP("Undo", "View Change"),
    QT_TRANSLATE_NOOP("Undo", "Lane Grouping"),
    QT_TRANSLATE_NOOP("Undo", "Column Change"),
)


def _label(label: str) -> str:
    return QCoreApplication.translate("Undo", label) if label in _STEP_LABELS else label
