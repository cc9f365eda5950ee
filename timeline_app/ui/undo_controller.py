"""Edit > Undo / Redo over filter changes, timeline view changes and lane grouping.

The controller listens to AppState.filter_changed and to the timeline's view and lane
signals, records a snapshot after each change (rapid ones coalesce, see model/undo.py),
and on undo/redo puts the snapshot back through the same public calls a user's action
would make. A guard keeps those calls from being recorded as new changes.

The timeline's own back/forward history (view ranges only) is a separate thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from timeline_app.model.undo import Snapshot, UndoHistory

#: A view change smaller than this fraction of the span is the same view (pyqtgraph
#: pads and rounds a range it is given; that must not become a new undo step).
VIEW_TOLERANCE = 0.002
#: A pan or zoom is recorded once the view has been still this long (ms).
VIEW_SETTLE_MS = 400
NS_PER_S = 1_000_000_000


class TimelineAdapter:
    """Reads and sets the timeline's view range (as int64 ns) and lane grouping, and
    connects to their changes. The timeline widget works in seconds (``x_range``);
    a ``view_range_ns`` pair of methods is used instead when it has one. A timeline
    without a feature reads as None and ignores sets, so undo and workspaces still
    work for the filter."""

    def __init__(self, timeline: Any) -> None:
        self.timeline = timeline

    def view_range(self) -> tuple[int, int] | None:
        t = self.timeline
        try:
            if callable(getattr(t, "view_range_ns", None)):
                a, b = t.view_range_ns()
                return int(a), int(b)
            if callable(getattr(t, "x_range", None)):
                a, b = t.x_range()  # seconds since the epoch
                return int(round(a * NS_PER_S)), int(round(b * NS_PER_S))
        except (TypeError, ValueError, OverflowError):
            return None
        return None

    def set_view_range(self, view: tuple[int, int] | None) -> None:
        if view is None:
            return
        t = self.timeline
        if callable(getattr(t, "set_view_range_ns", None)):
            t.set_view_range_ns(int(view[0]), int(view[1]))
        elif callable(getattr(t, "set_x_range", None)):
            t.set_x_range(view[0] / NS_PER_S, view[1] / NS_PER_S)

    def lane_grouping(self) -> str | None:
        t = self.timeline
        value = getattr(t, "lane_grouping", None)
        if callable(value):
            value = value()
        if value is None:
            value = getattr(getattr(t, "source", None), "grouping", None)
        return str(value) if value else None

    def set_lane_grouping(self, grouping: str | None) -> None:
        t = self.timeline
        setter = getattr(t, "set_lane_grouping", None) or getattr(t, "set_grouping", None)
        if grouping and callable(setter):
            setter(grouping)

    def connect_view(self, slot: Callable[..., Any]) -> None:
        """``slot`` runs on every change of the visible range (many times in a drag)."""
        t = self.timeline
        for signal in (
            getattr(t, "view_range_changed", None),
            getattr(getattr(t, "plot", None), "view_changed", None),
        ):
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(slot)
                return

    def connect_lanes(self, slot: Callable[..., Any]) -> None:
        t = self.timeline
        for signal in (
            getattr(t, "lane_grouping_changed", None),
            getattr(getattr(t, "source", None), "changed", None),
        ):
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(slot)
                return


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

    def __init__(self, window: QMainWindow, coalesce_s: float = 1.0) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.timeline = TimelineAdapter(getattr(window, "timeline", None))
        self._restoring = False
        self.history = UndoHistory(self.snapshot(), coalesce_s=coalesce_s)
        self.undo_action = QAction("&Undo", window)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", window)
        # Ctrl+Shift+Z everywhere, and Ctrl+Y too, which Windows users reach for.
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.redo)
        for act in (self.undo_action, self.redo_action):
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        menu = getattr(window, "edit_menu", None)
        if menu is not None:
            first = menu.actions()[0] if menu.actions() else None
            menu.insertAction(first, self.undo_action)
            menu.insertAction(first, self.redo_action)
            if first is not None:
                menu.insertSeparator(first)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(VIEW_SETTLE_MS)
        self._settle.timeout.connect(self._on_change)
        self.state.filter_changed.connect(self._on_change)
        # New data: the timeline frames it on a zero timer (which may defer once more), so
        # start the history afresh after that, from the view the user first sees.
        self.state.table_changed.connect(self._reset_soon)
        self.timeline.connect_view(self._on_view_change)
        self.timeline.connect_lanes(self._on_change)
        self.history.changed.connect(self._update_actions)
        self._update_actions()

    def snapshot(self) -> Snapshot:
        return Snapshot(
            spec=self.state.spec,
            view_range=self.timeline.view_range(),
            lane_grouping=self.timeline.lane_grouping(),
        )

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
            self.state.set_filter(snapshot.spec)
            self.timeline.set_lane_grouping(snapshot.lane_grouping)
            self.timeline.set_view_range(snapshot.view_range)
        finally:
            self._restoring = False

    def _update_actions(self) -> None:
        self.undo_action.setEnabled(self.history.can_undo())
        self.redo_action.setEnabled(self.history.can_redo())
        undo, redo = self.history.undo_label(), self.history.redo_label()
        self.undo_action.setText(f"&Undo {undo}" if undo else "&Undo")
        self.redo_action.setText(f"&Redo {redo}" if redo else "&Redo")
