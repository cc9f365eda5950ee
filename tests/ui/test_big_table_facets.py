"""On a big table the actor list and place tree are filled with their first counts (from
a thread), not while the table opens: never stale, ticks and searches kept meanwhile."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.formats.registry import load
from timeline_app.model.filters import FilterSpec


def test_lists_of_a_big_table_fill_with_their_counts_keeping_ticks_and_search(
    make_window, qtbot, monkeypatch
):
    from timeline_app.ui import filter_panel

    window = make_window(UCDP_SAMPLE)
    panel = window.filter_panel
    qtbot.waitUntil(lambda: bool(panel.actors.shown_names()), timeout=2000)
    old_names = panel.actors.shown_names()
    monkeypatch.setattr(filter_panel, "COUNT_THREAD_ROWS", 0)  # every table is "big"
    window.state.set_filter(FilterSpec(actors=("jnim",), regions=("Gao",)))
    window.state.set_datasets([load(CONTEXT_CSV)])
    actors, regions = panel.actors.model, panel.regions
    # at once: no name of the closed file is listed, the ticked actor is
    assert panel.actors.shown_names() == ["jnim"] and not set(old_names) & set(actors.names)
    qtbot.keyClicks(panel.actors.search, "j")
    qtbot.waitUntil(lambda: actors.count_of("JNIM") > 0, timeout=5000)
    panel.wait_for_counts()
    # the canonical actor (ticked by its short name) and its one spelling here
    assert actors.is_checked("JNIM") and panel.actors.shown_names() == ["JNIM", "JNIM"]
    gao = regions.proxy_index("Mali", "Gao")
    assert gao.isValid() and gao.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    panel.actors.search.clear()
    assert "Malian armed forces (FAMa)" in panel.actors.shown_names()  # counted under Gao
    # the names listed are this table's, and clicking one filters by it (that spelling)
    index = panel.actors.view_index("Malian armed forces (FAMa)")
    rect = panel.actors.view.visualRect(index)
    qtbot.mouseClick(panel.actors.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert set(window.state.spec.actors) == {"jnim", "=Malian armed forces (FAMa)"}


def test_a_screenshot_of_a_big_file_waits_for_its_filter_lists(tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from timeline_app import cli
    from timeline_app.ui import filter_panel
    from timeline_app.ui.main_window import MainWindow

    monkeypatch.setattr(filter_panel, "COUNT_THREAD_ROWS", 0)  # every table is "big"
    shown: list[list[str]] = []
    close = MainWindow.close

    def close_and_note(window):  # what the lists held when the PNG was taken
        shown.append(window.filter_panel.actors.shown_names())
        return close(window)

    monkeypatch.setattr(MainWindow, "close", close_and_note)
    assert cli.screenshot(tmp_path / "big.png", [CONTEXT_CSV]) == 0
    QApplication.processEvents()
    assert (tmp_path / "big.png").stat().st_size > 10_000
    assert "JNIM" in shown[0]
