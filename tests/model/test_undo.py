"""Undo/redo of filter, view and lane changes, without Qt."""

from __future__ import annotations

from timeline_app.model.filters import FilterSpec
from timeline_app.model.undo import Snapshot, UndoHistory


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float = 5.0) -> None:
        self.now += seconds


def history() -> tuple[UndoHistory, FakeClock]:
    clock = FakeClock()
    return UndoHistory(Snapshot(), coalesce_s=1.0, clock=clock), clock


def test_undo_and_redo_walk_back_and_forth_through_filter_view_and_lane_changes() -> None:
    h, clock = history()
    gao = Snapshot(spec=FilterSpec(regions=("Gao",)))
    zoomed = gao.with_(view_range=(100, 200))
    by_actor = zoomed.with_(lane_grouping="actor")
    for snap in (gao, zoomed, by_actor):
        clock.tick()
        assert h.record(snap)
    assert h.undo_label() == "Lane Grouping"
    assert h.undo() == zoomed
    assert h.undo_label() == "View Change"
    assert h.undo() == gao
    assert h.undo_label() == "Filter Change"
    assert h.undo() == Snapshot()
    assert h.undo() is None and not h.can_undo()
    assert h.redo() == gao
    assert h.redo() == zoomed
    assert h.redo() == by_actor
    assert h.redo() is None and not h.can_redo()


def test_a_new_change_after_undo_discards_the_redo_branch() -> None:
    h, clock = history()
    a = Snapshot(spec=FilterSpec(regions=("Gao",)))
    b = Snapshot(spec=FilterSpec(regions=("Tombouctou",)))
    c = Snapshot(spec=FilterSpec(categories=("attack",)))
    h.record(a)
    clock.tick()
    h.record(b)
    assert h.undo() == a
    clock.tick(0.1)  # soon after the undo: still a step of its own
    h.record(c)
    assert not h.can_redo()
    assert h.undo() == a
    assert h.redo() == c


def test_typing_coalesces_into_one_step_but_a_pause_starts_another() -> None:
    h, clock = history()
    for text in ("g", "ga", "gao"):
        clock.tick(0.2)
        h.record(Snapshot(spec=FilterSpec(text=text)))
    assert len(h) == 2  # the start and one "gao" step
    clock.tick(3)
    h.record(Snapshot(spec=FilterSpec(text="gao airport")))
    assert h.undo() == Snapshot(spec=FilterSpec(text="gao"))
    assert h.undo() == Snapshot()


def test_rapid_zoom_steps_coalesce_and_different_kinds_do_not() -> None:
    h, clock = history()
    for end in (900, 800, 700):
        clock.tick(0.1)
        h.record(Snapshot(view_range=(0, end)))
    clock.tick(0.1)
    h.record(Snapshot(view_range=(0, 700), lane_grouping="admin1"))
    assert len(h) == 3
    assert h.undo() == Snapshot(view_range=(0, 700))
    assert h.undo() == Snapshot()


def test_typing_then_erasing_leaves_nothing_to_undo() -> None:
    h, clock = history()
    clock.tick(0.1)
    h.record(Snapshot(spec=FilterSpec(text="x")))
    clock.tick(0.1)
    h.record(Snapshot(spec=FilterSpec(text="")))
    assert not h.can_undo()


def test_recording_the_current_state_again_is_not_a_step() -> None:
    h, _ = history()
    assert not h.record(Snapshot())
    assert not h.can_undo()


def test_the_history_is_bounded_and_changed_fires() -> None:
    fired = []
    clock = FakeClock()
    h = UndoHistory(Snapshot(), limit=5, clock=clock)
    h.changed.connect(lambda: fired.append(1))
    for i in range(10):
        clock.tick()
        h.record(Snapshot(view_range=(0, i + 1)))
    assert len(h) == 5
    assert len(fired) == 10
    steps = 0
    while h.undo() is not None:
        steps += 1
    assert steps == 4
    assert h.current == Snapshot(view_range=(0, 6))


def test_reset_forgets_everything() -> None:
    h, clock = history()
    clock.tick()
    h.record(Snapshot(view_range=(1, 2)))
    h.reset(Snapshot(lane_grouping="dataset"))
    assert not h.can_undo() and not h.can_redo()
    assert h.current.lane_grouping == "dataset"
