"""The window on the bundled sample: table, detail pane and title agree."""

import pytest
from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV, REPO
from timeline_app.ui.shortcuts import find_menu

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
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert seen and seen[0] is not None  # the dialog was shown, pre-filled
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
    job = window.open_file(FIXTURES / "table_semicolon.csv")
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert job.load is None  # nothing was read past the preview
    assert len(window.state.table) == 18


def test_opening_reads_the_file_only_off_the_ui_thread(make_window, qtbot, monkeypatch):
    """The head is sniffed, the preview made and the file loaded on worker threads; the
    mapping dialog shows the preview the worker made (the UI thread reads nothing)."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from timeline_app.formats import probe as probe_module
    from timeline_app.formats import raw_table
    from timeline_app.ui.mapping_dialog import MappingDialog

    window = make_window(CONTEXT_CSV)
    reads_on_ui_thread = []
    for module, name in ((probe_module, "probe_file"), (raw_table, "read_raw_table")):
        real = getattr(module, name)

        def spy(*args, _real=real, **kwargs):
            if threading.current_thread() is threading.main_thread():
                reads_on_ui_thread.append(args[0])
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    from timeline_app.formats import registry

    monkeypatch.setattr(registry, "probe_file", probe_module.probe_file)
    shown = []

    def accept_the_dialog():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MappingDialog):
            QTimer.singleShot(50, accept_the_dialog)
            return
        shown.append(dialog.source_model.rowCount())
        dialog.accept()

    QTimer.singleShot(50, accept_the_dialog)
    job = window.open_file(FIXTURES / "table_semicolon.csv")
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert shown and shown[0] > 0
    assert reads_on_ui_thread == []
    assert "table_semicolon" in [d.name for d in window.state.table.datasets]


@pytest.mark.parametrize(
    ("content", "said", "found"),
    [
        (b"", "the file is empty (0 bytes)", "Size: 0 bytes"),
        (b"%PDF-1.7\n\x00\x01binary", "not text: the file holds a PDF document", "First bytes"),
        (b"a;b;c\n", "has a header but no rows", "Columns (3): a, b, c"),
    ],
    ids=["empty", "binary", "header only"],
)
def test_a_refusal_says_what_was_found_and_offers_no_mapping(
    make_window, qtbot, tmp_path, content, said, found
):
    from PySide6.QtWidgets import QApplication

    from timeline_app.ui.notices import open_notices

    window = make_window(CONTEXT_CSV)
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    job = window.open_file(path)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert QApplication.activeModalWidget() is None  # no mapping dialog
    qtbot.waitUntil(lambda: bool(open_notices(window)), timeout=5000)
    box = open_notices(window)[0]
    assert box.text() == f"odd.csv: {said}" or box.text().startswith(f"odd.csv: {said}")
    assert "map its columns" not in box.text()
    assert found in box.detailedText() and str(path) in box.detailedText()
    box.close()


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
    close_menu = find_menu(window, "File > Close File")
    close_menu.aboutToShow.emit()  # as opening the menu does
    labels = [a.text() for a in close_menu.actions()]
    assert [label.split("  (")[0] for label in labels] == names
    close_menu.actions()[0].trigger()  # File > Close File > the sample
    assert [d.name for d in window.state.table.datasets] == names[1:]
    assert set(window.state.table.df["dataset"].astype(str)) == {names[1]}
    assert window.filter_panel.count_label.text().startswith(f"{len(window.state.visible):,} of")
    close_all = window.actions_by_id["file.close_all"]
    assert close_all.isEnabled()
    close_all.trigger()
    assert len(window.state.table) == 0 and window.table_view.model().rowCount() == 0
    assert not close_all.isEnabled() and not close_menu.menuAction().isEnabled()  # greyed


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
