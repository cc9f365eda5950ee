"""The filter chips: adding or removing one never moves the lists under the mouse, a
long one is cut with its ✕ showing, and the lists keep their width through it all."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.model.filters import FilterSpec

LONG = "United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)"


def lists_place(window) -> tuple[int, int, int, int]:
    """Where the filter lists are on screen, and how wide they are laid out."""
    scroll = window.filter_panel.findChild(QScrollArea, "filterScroll")
    top_left = scroll.mapTo(window, QPoint(0, 0))
    return top_left.x(), top_left.y(), scroll.viewport().width(), scroll.widget().width()


def test_chips_never_move_the_lists_and_a_long_one_is_cut_with_its_close_mark(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    panel, state = window.filter_panel, window.state
    before = lists_place(window)
    dock_width = window.filter_dock.width()
    specs = [
        FilterSpec(actors=("JNIM",)),
        FilterSpec(actors=("JNIM", LONG)),
        FilterSpec(actors=("JNIM", LONG), regions=("Gao",)),
        FilterSpec(actors=("JNIM", LONG), regions=("Gao",), categories=("attack",), text="camp"),
    ]
    for spec in specs:
        state.set_filter(spec)
        qtbot.waitUntil(lambda s=spec: len(panel.chips.labels()) == _chip_count(s))
        assert lists_place(window) == before, spec
    assert window.filter_dock.width() == dock_width
    chip = next(c for c in panel.chips.visible_chips() if LONG in c.toolTip())
    assert chip.text().endswith("✕") and "…" in chip.text()
    assert chip.width() <= panel.chips.viewport().width()
    assert f"Actor: {LONG}" in panel.chips.labels()
    # Removing them one by one (the chip's own click) keeps everything in place too.
    while panel.chips.visible_chips():
        first = panel.chips.visible_chips()[0]
        qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
        assert lists_place(window) == before
    assert state.spec == FilterSpec()
    x, y, port, body = lists_place(window)
    assert body <= port  # the lists are not wider than what shows them: counts whole


def _chip_count(spec: FilterSpec) -> int:
    return len(spec.actors) + len(spec.regions) + len(spec.categories) + bool(spec.text)
