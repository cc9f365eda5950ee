"""The window on the bundled sample: table, detail pane and title agree."""

from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV, REPO

FIXTURES = REPO / "tests" / "formats" / "fixtures"


def row_of_title(window, title: str) -> int:
    model = window.table_view.model()
    for r in range(model.rowCount()):
        if model.index(r, 2).data() == title:
            return r
    raise AssertionError(f"{title!r} not in the table")


def test_title_bar_names_datasets_and_counts_events(make_window):
    window = make_window(CONTEXT_CSV)
    assert "mali_2023_context" in window.windowTitle()
    assert "18 events" in window.windowTitle()
    assert window.count_label.text() == "18 of 18 events"


def test_clicking_a_row_shows_the_event_in_the_detail_pane(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    r = row_of_title(window, "Three days of national mourning")
    rect = view.visualRect(view.model().index(r, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = window.detail.text()
    assert "Three days of national mourning" in text
    assert "8 Sep 2023 – 10 Sep 2023" in text
    assert window.state.table.df["id"].iloc[window.state.current] == "ctx-13"


def test_detail_pane_shows_unknown_fatalities_as_a_dash_not_zero(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    r = row_of_title(window, "Attack on Gao airport")
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(view.model().index(r, 2)).center(),
    )
    text = window.detail.text()
    assert "Fatalities" in text
    value = text.split("Fatalities", 1)[1].split()[0]
    assert value == "–"


def test_a_bad_file_leaves_what_is_open_untouched(make_window, qtbot, tmp_path, monkeypatch):
    from timeline_app.ui.notices import open_notices

    window = make_window(CONTEXT_CSV)
    bad = tmp_path / "garbage.csv"
    bad.write_bytes(b"\x00\x01\x02 not a table")
    job = window.open_file(bad)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    # The error is a non-blocking notice (the window keeps working behind it).
    qtbot.waitUntil(lambda: bool(open_notices(window)), timeout=5000)
    assert "garbage.csv" in open_notices(window)[0].text()
    assert len(window.state.table) == 18
    assert [d.name for d in window.state.table.datasets] == ["mali_2023_context"]


def test_an_unknown_table_is_mapped_in_the_dialog_then_loaded(make_window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from timeline_app.ui.mapping_dialog import MappingDialog

    window = make_window(CONTEXT_CSV)
    seen = []

    def accept_the_dialog():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MappingDialog):
            QTimer.singleShot(50, accept_the_dialog)
            return
        seen.append(dialog.mapping())
        dialog.accept()

    QTimer.singleShot(50, accept_the_dialog)
    job = window.open_file(FIXTURES / "table_semicolon.csv")
    assert seen and seen[0] is not None  # the dialog was shown, pre-filled
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    names = [d.name for d in window.state.table.datasets]
    assert names == ["mali_2023_context", "table_semicolon"]
    added = window.state.table.df[window.state.table.df["dataset"] == "table_semicolon"]
    assert "Bamba camp attacked" in set(added["title"])
    assert window.count_label.text().endswith(f"of {len(window.state.table)} events")


def test_cancelling_the_mapping_dialog_loads_nothing(make_window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    window = make_window(CONTEXT_CSV)

    def cancel_the_dialog():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, cancel_the_dialog)
            return
        dialog.reject()

    QTimer.singleShot(50, cancel_the_dialog)
    assert window.open_file(FIXTURES / "table_semicolon.csv") is None
    assert len(window.state.table) == 18


def test_clicking_an_event_on_the_timeline_selects_its_row_and_shows_it(make_window, qtbot):
    from PySide6.QtWidgets import QApplication

    from tests.ui.test_timeline import point_at, seconds, viewport

    window = make_window(CONTEXT_CSV)
    timeline = window.timeline
    timeline.set_x_range(seconds("2023-09-01"), seconds("2023-09-20"))
    QApplication.processEvents()
    # The mourning bar, 8-10 September, in the second lane.
    qtbot.mouseClick(
        viewport(timeline),
        Qt.MouseButton.LeftButton,
        pos=point_at(timeline, seconds("2023-09-09T12:00"), lane=1),
    )
    view = window.table_view
    selected = [i.row() for i in view.selectionModel().selectedRows()]
    assert len(selected) == 1
    assert view.model().index(selected[0], 2).data() == "Three days of national mourning"
    assert "Three days of national mourning" in window.detail.text()


def test_a_loaded_file_is_fingerprinted_as_it_was_read(make_window, qtbot, tmp_path):
    import shutil

    from timeline_app.model.dataset import file_sha256

    copy = tmp_path / "context.csv"
    shutil.copy(CONTEXT_CSV, copy)
    window = make_window(CONTEXT_CSV)
    job = window.open_file(copy, report=False)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    loaded = window.state.table.dataset_by_name("context")
    expected = file_sha256(copy)
    copy.write_text("changed afterwards", encoding="utf-8")  # provenance keeps the read one
    assert loaded.sha256 == expected


def test_file_close_takes_one_file_away_and_close_all_empties_the_window(make_window, qtbot):
    from tests.conftest import UCDP_SAMPLE

    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    names = [d.name for d in window.state.table.datasets]
    window.close_menu.aboutToShow.emit()  # as opening the menu does
    labels = [a.text() for a in window.close_menu.actions()]
    assert [label.split("  (")[0] for label in labels] == names
    window.close_menu.actions()[0].trigger()  # File > Close File > the sample
    assert [d.name for d in window.state.table.datasets] == names[1:]
    assert set(window.state.table.df["dataset"].astype(str)) == {names[1]}
    assert window.filter_panel.count_label.text().startswith(f"{len(window.state.visible):,} of")
    assert window.action_close_all.isEnabled()
    window.action_close_all.trigger()
    assert len(window.state.table) == 0 and window.table_view.model().rowCount() == 0
    assert not window.action_close_all.isEnabled() and not window.close_menu.isEnabled()


def test_right_click_on_the_table_offers_the_selection_actions(make_window, qtbot):
    window = make_window()
    table = window.table_view
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    by_text = {a.text().replace("&", ""): a for a in table.actions()}
    assert {"Copy Rows", "Export Selection…", "Clear Selection"} <= set(by_text)
    assert not by_text["Export Selection…"].isEnabled()  # nothing selected yet
    window.state.select([0, 1])
    assert by_text["Export Selection…"].isEnabled()
    by_text["Clear Selection"].trigger()
    assert len(window.state.selection) == 0
