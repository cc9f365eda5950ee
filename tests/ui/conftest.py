"""One factory for main windows: builds them with qtbot and fails a test that leaks one."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication

from tests.conftest import CONTEXT_CSV
from timeline_app.formats.registry import load


@pytest.fixture
def make_window(qtbot):
    """``make_window(*paths)`` -> a shown MainWindow with those files loaded."""
    from timeline_app.ui.main_window import MainWindow

    made = []

    def factory(*paths, size=(1400, 900)):
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(*size)
        for path in paths or (CONTEXT_CSV,):
            window.add_dataset(load(path))
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield factory
    for window in made:
        window.close()
    QApplication.processEvents()
    leaked = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w.objectName() != "qt_tooltip_label"
    ]
    assert not leaked, f"windows left open: {leaked}"


@pytest.fixture
def every_mouse_move():
    """pyqtgraph drops mouse moves closer than 10 ms apart; a test moves faster than a hand."""
    before = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", 0)
    yield
    pg.setConfigOption("mouseRateLimit", before)


@pytest.fixture
def french():
    """The interface in French for one test, English again after it."""
    from timeline_app.ui import i18n

    assert i18n.apply_language("fr") == "fr"
    yield
    i18n.apply_language("system")  # the saved choice: "system", which tests pin to English
    assert i18n.language() == "en"
