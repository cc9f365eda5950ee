"""Undo/redo as a list of snapshots of what the user chose to look at.

A snapshot holds, read from the app state, the filter spec, the timeline's visible
range, the lane grouping and the table's columns; restoring one puts them back into
the state, and the views follow the state as they do for any other change.
Undo steps back to the previous snapshot; it is separate from the timeline's
back/forward view history, which only walks view ranges.

Rapid changes of the same kind (typing in the search box, a zoom with the wheel, a
drag) coalesce into one step: a change within ``coalesce_s`` of the last one of the
same kind replaces it instead of adding another.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from psygnal import Signal

from timeline_app.model.filters import FilterSpec
from timeline_app.model.state import AppState

FILTER, TEXT, VIEW, LANES, COLUMNS = "filter", "text", "view", "lanes", "columns"
LABELS = {
    FILTER: "Filter Change",
    TEXT: "Search Text",
    VIEW: "View Change",
    LANES: "Lane Grouping",
    COLUMNS: "Column Change",
}


@dataclass(frozen=True)
class Snapshot:
    """What undo restores. ``None`` for a field means "not known / leave as is"."""

    spec: FilterSpec = FilterSpec()
    view_range: tuple[int, int] | None = None
    lane_grouping: str | None = None
    columns: tuple[str, ...] | None = None  # the table's shown columns, in order

    def with_(self, **changes: Any) -> Snapshot:
        return replace(self, **changes)

    @classmethod
    def of(cls, state: AppState) -> Snapshot:
        timeline = state.views.timeline
        return cls(
            spec=state.spec,
            view_range=timeline.view_range,
            lane_grouping=timeline.lane_grouping,
            columns=state.views.table.columns,
        )

    def restore(self, state: AppState) -> None:
        """Put this snapshot back into ``state`` (fields that are None are left as is)."""
        state.set_filter(self.spec)
        if self.lane_grouping is not None:
            state.set_lane_grouping(self.lane_grouping)
        if self.columns is not None:
            state.set_table_columns(self.columns)
        if self.view_range is not None:
            state.set_view_range(self.view_range)


def change_kind(before: Snapshot, after: Snapshot) -> str:
    """Which kind of change turns ``before`` into ``after`` (for coalescing and labels)."""
    if before.spec != after.spec:
        if before.spec.with_(text=after.spec.text) == after.spec:
            return TEXT
        return FILTER
    if before.lane_grouping != after.lane_grouping:
        return LANES
    if before.columns != after.columns:
        return COLUMNS
    return VIEW


class UndoHistory:
    """A list of snapshots and a cursor. Signals ``changed()`` when undo/redo availability
    or labels may have changed."""

    changed = Signal()

    def __init__(
        self,
        initial: Snapshot | None = None,
        *,
        limit: int = 200,
        coalesce_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.coalesce_s = coalesce_s
        self._clock = clock
        self.reset(initial or Snapshot())

    def reset(self, snapshot: Snapshot) -> None:
        """Forget the history (a new table or workspace): ``snapshot`` is the new start."""
        self._states: list[Snapshot] = [snapshot]
        self._kinds: list[str] = [""]  # the kind of change that led to each state
        self._times: list[float] = [float("-inf")]
        self._index = 0
        self.changed.emit()

    @property
    def current(self) -> Snapshot:
        return self._states[self._index]

    def __len__(self) -> int:
        return len(self._states)

    def can_undo(self) -> bool:
        return self._index > 0

    def can_redo(self) -> bool:
        return self._index < len(self._states) - 1

    def undo_label(self) -> str:
        return LABELS.get(self._kinds[self._index], "") if self.can_undo() else ""

    def redo_label(self) -> str:
        return LABELS.get(self._kinds[self._index + 1], "") if self.can_redo() else ""

    def record(self, snapshot: Snapshot, *, coalesce: bool = True) -> bool:
        """The user changed something: ``snapshot`` is the new state. Returns True if
        the history changed (an identical snapshot is ignored)."""
        if snapshot == self.current:
            return False
        kind = change_kind(self.current, snapshot)
        now = self._clock()
        if (
            coalesce
            and self._index > 0
            and not self.can_redo()
            and self._kinds[self._index] == kind
            and now - self._times[self._index] <= self.coalesce_s
        ):
            if snapshot == self._states[self._index - 1]:
                # Typed and erased again: the step undoes itself, so drop it.
                self._drop_last()
            else:
                self._states[self._index] = snapshot
                self._times[self._index] = now
            self.changed.emit()
            return True
        del self._states[self._index + 1 :]
        del self._kinds[self._index + 1 :]
        del self._times[self._index + 1 :]
        self._states.append(snapshot)
        self._kinds.append(kind)
        self._times.append(now)
        self._index += 1
        if len(self._states) > self.limit:
            excess = len(self._states) - self.limit
            del self._states[:excess], self._kinds[:excess], self._times[:excess]
            self._kinds[0] = ""
            self._index -= excess
        self.changed.emit()
        return True

    def undo(self) -> Snapshot | None:
        """Step back; returns the snapshot to restore (None when there is nothing to undo)."""
        if not self.can_undo():
            return None
        self._index -= 1
        self._seal()
        self.changed.emit()
        return self.current

    def redo(self) -> Snapshot | None:
        if not self.can_redo():
            return None
        self._index += 1
        self._seal()
        self.changed.emit()
        return self.current

    def _seal(self) -> None:
        # After an undo or redo the next change starts a new step, however soon it comes.
        self._times = [float("-inf")] * len(self._times)

    def _drop_last(self) -> None:
        self._states.pop()
        self._kinds.pop()
        self._times.pop()
        self._index -= 1
