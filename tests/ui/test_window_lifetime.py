"""A closed main window is freed, and so is the one a language switch replaces; the
new window keeps what the old one showed, the timeline's back/forward history too."""

from __future__ import annotations

import gc
import weakref

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from tests.conftest import CONTEXT_CSV
from timeline_app.formats.registry import load
from timeline_app.model.filters import FilterSpec
from timeline_app.ui import i18n


def flush() -> None:
    """What the event loop does after a close: the posted deletes, then a collection."""
    for _ in range(3):
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()


def open_window(qtbot):
    from timeline_app.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.add_dataset(load(CONTEXT_CSV))
    window.show()
    qtbot.waitExposed(window)
    return window


def used(window, qtbot) -> None:
    """What a user does, so that every view has connected and drawn."""
    state = window.state
    state.set_filter(FilterSpec(categories=frozenset({"attack"})))
    state.select([int(state.visible[0])])
    window.timeline.zoom_in()
    window.map_dock.raise_()
    window.trends_dock.show()
    window.trends_dock.raise_()
    QApplication.processEvents()


def visible_window_of(state):
    return next(
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and getattr(w, "state", None) is state
    )


def test_a_closed_window_and_its_state_are_freed(qtbot):
    window = open_window(qtbot)
    used(window, qtbot)
    window_ref, state_ref = weakref.ref(window), weakref.ref(window.state)
    window.close()
    window.deleteLater()
    del window
    flush()
    assert window_ref() is None, "the closed window is still referenced"
    assert state_ref() is None


def test_the_window_a_language_switch_replaces_is_freed(qtbot):
    window = open_window(qtbot)
    used(window, qtbot)
    state = window.state
    old_ref = weakref.ref(window)
    try:
        window.actions_by_id["view.language.fr"].trigger()
        del window  # only the weak reference now
        qtbot.waitUntil(lambda: not old_ref().isVisible())
        french = visible_window_of(state)
        flush()
        assert old_ref() is None, "the window replaced by the French one is still referenced"
        french_ref = weakref.ref(french)
        french.actions_by_id["view.language.en"].trigger()
        del french
        qtbot.waitUntil(lambda: not french_ref().isVisible())
        english = visible_window_of(state)
        flush()
        assert french_ref() is None
    finally:
        i18n.apply_language("system")
    english.close()
    english.deleteLater()


def test_the_timelines_back_and_forward_survive_a_language_switch(qtbot):
    window = open_window(qtbot)
    timeline = window.timeline
    state = window.state
    timeline.fit_all(remember=True)
    first = timeline.x_range()
    for _ in range(2):
        timeline.zoom_in()
        timeline._remember_view()  # as the settle timer does once the user stops
    zoomed = timeline.x_range()
    assert zoomed[1] - zoomed[0] < first[1] - first[0]
    try:
        window.actions_by_id["view.language.fr"].trigger()
        qtbot.waitUntil(lambda: not window.isVisible())
        french = visible_window_of(state)
        QApplication.processEvents()
        assert np.allclose(french.timeline.x_range(), zoomed, atol=1)
        french.timeline.back()
        french.timeline.back()
        assert np.allclose(french.timeline.x_range(), first, atol=1)
        french.timeline.forward()
        french.timeline.forward()
        assert np.allclose(french.timeline.x_range(), zoomed, atol=1)
    finally:
        i18n.apply_language("system")
    french.close()
    french.deleteLater()


def test_what_opening_a_file_ran_is_freed_once_it_is_shown(make_window, qtbot):
    window = make_window()
    made = []
    for _ in range(3):
        job = window.open_file(CONTEXT_CSV, report=False)
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        made += [weakref.ref(job), weakref.ref(job.load)]
    del job
    flush()
    assert len(window.state.table.datasets) == 4  # the sample and three opens
    assert [ref() for ref in made if ref() is not None] == []
