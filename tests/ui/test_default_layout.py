"""The default layout's shares: the timeline has the larger part of the width it shares
with the map; in a small window the map is a tab beside it rather than a sliver; no
stale tab bar is left over the docks."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QTabBar

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE


def settle(qtbot) -> None:
    for _ in range(4):
        QApplication.processEvents()
        qtbot.wait(10)


def stray_tab_bars(window) -> list[list[str]]:
    """Visible dock tab bars that sit against none of their docks."""
    docks = {d.windowTitle(): d for d in (window.timeline_dock, window.map_dock,
                                          window.table_dock, window.trends_dock)}  # fmt: skip
    stray = []
    for bar in window.findChildren(QTabBar):
        if bar.parent() is not window or not bar.isVisible():
            continue
        names = [bar.tabText(i) for i in range(bar.count())]
        place = bar.geometry()
        against = any(
            (d := docks.get(n)) is not None
            and d.isVisible()
            and abs(d.geometry().left() - place.left()) <= 3
            and (
                abs(d.geometry().bottom() - place.top()) <= 3
                or abs(place.bottom() - d.geometry().top()) <= 3
            )  # fmt: skip
            for n in names
        )
        if not against:
            stray.append(names)
    return stray


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_timeline_has_the_larger_share_beside_the_map(make_window, qtbot, size):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=size)
    settle(qtbot)
    timeline, map_dock = window.timeline_dock.width(), window.map_dock.width()
    assert window.map_dock.isVisible() and window.map_dock.y() == window.timeline_dock.y()
    assert timeline >= 0.58 * (timeline + map_dock)  # it had 55%, crammed at 1400
    assert map_dock >= 280
    assert stray_tab_bars(window) == []


def test_a_small_window_tabs_the_map_beside_the_timeline(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=(1024, 640))
    settle(qtbot)
    assert window.map_dock in window.tabifiedDockWidgets(window.timeline_dock)
    assert window.timeline_dock.visibleRegion().isEmpty() is False  # the timeline in front
    assert window.timeline_dock.width() >= 500
    assert stray_tab_bars(window) == []
