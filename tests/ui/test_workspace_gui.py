"""Workspaces in the window: save, close, reopen; missing and changed files; memory."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tests.conftest import CONTEXT_CSV
from timeline_app.formats.registry import load
from timeline_app.model.filters import FilterSpec
from timeline_app.model.state import TimeRange
from timeline_app.ui.notices import open_notices
from timeline_app.ui.shortcuts import find_menu

SEP_1 = pd.Timestamp("2023-09-01").value
SEP_16 = pd.Timestamp("2023-09-16").value


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return Path(shutil.copy(CONTEXT_CSV, folder / CONTEXT_CSV.name))


@pytest.fixture
def empty_window(qtbot):
    """A window with nothing open (as after starting on a workspace)."""
    from timeline_app.ui.main_window import MainWindow

    made = []

    def factory():
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield factory
    for window in made:
        window.close()


def ids(window, rows) -> list[str]:
    return sorted(window.state.table.df["id"].to_numpy()[rows].astype(str))


def open_via_menu(window, qtbot, path: Path, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(window.workspaces.opened, timeout=15_000):
        window.workspaces.open_action.trigger()
    qtbot.wait(50)  # the deferred view restore


def answer_file_question(qtbot, button: str) -> list[str]:
    """Click ``button`` ("locate", "anyway" or "cancel") on the next file question; returns
    the texts the question showed."""
    seen: list[str] = []

    def click() -> None:
        for box in QApplication.topLevelWidgets():
            name = box.objectName()
            if isinstance(box, QMessageBox) and name == "workspaceFileProblem" and box.isVisible():
                seen.append(box.text() + "\n" + box.informativeText())
                getattr(box, f"{button}_button").click()
                return
        QTimer.singleShot(20, click)

    QTimer.singleShot(20, click)
    return seen


def test_save_close_reopen_restores_filters_range_selection_columns_and_view(
    make_window, empty_window, qtbot, sample, tmp_path, monkeypatch
) -> None:
    window = make_window(sample)
    spec = FilterSpec(regions=("Gao", "Tombouctou"), date_from=datetime(2023, 9, 1))
    window.state.set_filter(spec)
    window.state.set_sort([("title", True)])
    window.state.set_range(TimeRange(SEP_1, SEP_16))
    rows = [window.state.table.row_of_id("mali_2023_context", i) for i in ("ctx-10", "ctx-12")]
    window.state.select(rows, current=rows[1])
    window.table_view.set_visible_columns(["start", "title", "admin1", "fatalities"])
    window.table_view.setColumnWidth(1, 333)  # the user widens the Title column
    window.timeline.grouping_box.setCurrentIndex(window.timeline.grouping_box.findData("admin1"))
    window.timeline.set_x_range(SEP_1 / 1e9, SEP_16 / 1e9)
    target = tmp_path / "project" / "mali-view"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.workspaces.save_action.trigger()
    saved = target.with_name("mali-view.tlx.json")
    assert saved.is_file()
    window.close()

    fresh = empty_window()
    open_via_menu(fresh, qtbot, saved, monkeypatch)
    assert fresh.state.spec == spec
    assert fresh.state.range == TimeRange(SEP_1, SEP_16)
    assert fresh.state.sort_keys == [("title", True)]
    assert ids(fresh, fresh.state.selection) == ["ctx-10", "ctx-12"]
    assert fresh.state.table.df["id"].iloc[fresh.state.current] == "ctx-12"
    assert fresh.table_view.visible_columns() == ["start", "title", "admin1", "fatalities"]
    assert fresh.table_view.columnWidth(1) == 333
    model = fresh.table_view.model()
    headers = [model.headerData(c, 1) for c in range(model.columnCount())]
    assert len(headers) == 4
    # What the table shows: the Gao/Timbuktu events from 1 September on, by title.
    shown = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert shown == sorted(shown, key=str.casefold) and len(shown) == 5
    a, b = fresh.timeline.x_range()
    assert abs(a - SEP_1 / 1e9) < 1 and abs(b - SEP_16 / 1e9) < 1
    assert fresh.timeline.grouping_box.currentData() == "admin1"
    assert fresh.timeline.source.grouping == "admin1"
    assert "Opened workspace mali-view.tlx.json" in fresh.statusBar().currentMessage()
    assert not open_notices(fresh)


def test_a_missing_file_asks_and_open_anyway_opens_without_it(
    make_window, empty_window, qtbot, sample, monkeypatch
) -> None:
    window = make_window(sample)
    saved = window.workspaces.save_to(sample.parent / "w.tlx.json")
    window.close()
    sample.unlink()
    fresh = empty_window()
    seen = answer_file_question(qtbot, "anyway")
    open_via_menu(fresh, qtbot, saved, monkeypatch)
    assert seen and "was not found" in seen[0] and "Open anyway" in seen[0]
    assert len(fresh.state.table) == 0
    notices = open_notices(fresh)
    assert notices and "not found" in notices[0].text()
    assert CONTEXT_CSV.name in notices[0].detailedText()


def test_locate_finds_a_moved_file(make_window, empty_window, qtbot, sample, monkeypatch) -> None:
    window = make_window(sample)
    saved = window.workspaces.save_to(sample.parent / "w.tlx.json")
    window.close()
    moved = sample.rename(sample.parent / "renamed.csv")
    fresh = empty_window()
    answer_file_question(qtbot, "locate")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(moved), ""))
    with qtbot.waitSignal(fresh.workspaces.opened, timeout=15_000):
        fresh.workspaces.open_path(saved)
    assert len(fresh.state.table) == 18
    assert [d.name for d in fresh.state.table.datasets] == ["mali_2023_context"]
    assert not open_notices(fresh)


def test_cancel_on_a_missing_file_leaves_the_window_as_it_was(
    make_window, qtbot, sample, monkeypatch
) -> None:
    window = make_window(sample)
    saved = window.workspaces.save_to(sample.parent / "w.tlx.json")
    sample.unlink()
    window.state.set_filter(FilterSpec(categories=("attack",)))
    answer_file_question(qtbot, "cancel")
    window.workspaces.open_path(saved)
    qtbot.waitUntil(lambda: not window.workspaces.busy, timeout=15_000)
    assert len(window.state.table) == 18
    assert window.state.spec == FilterSpec(categories=("attack",))
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_changed_file_is_said_even_when_opened_anyway(
    make_window, empty_window, qtbot, sample, monkeypatch
) -> None:
    window = make_window(sample)
    saved = window.workspaces.save_to(sample.parent / "w.tlx.json")
    window.close()
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    sample.write_text("".join(lines[:-2]), encoding="utf-8")
    fresh = empty_window()
    seen = answer_file_question(qtbot, "anyway")
    open_via_menu(fresh, qtbot, saved, monkeypatch)
    assert "has changed" in seen[0]
    assert len(fresh.state.table) == 16
    assert "changed since saved" in open_notices(fresh)[0].text()


def test_a_broken_workspace_file_is_a_clear_notice(empty_window, qtbot, tmp_path) -> None:
    bad = tmp_path / "broken.tlx.json"
    bad.write_text("{ nope", encoding="utf-8")
    window = empty_window()
    with qtbot.waitSignal(window.workspaces.open_failed) as signal:
        window.workspaces.open_path(bad)
    assert "not valid JSON" in signal.args[0]
    assert "not valid JSON" in open_notices(window)[0].text()


def test_recent_workspaces_and_reopen_last_are_remembered(
    make_window, empty_window, qtbot, sample
) -> None:
    window = make_window(sample)
    saved = window.workspaces.save_to(sample.parent / "w.tlx.json")
    window.workspaces.reopen_action.trigger()  # switch "Reopen Last Workspace on Start" on
    recent = find_menu(window, "File > Recent Workspaces")
    recent.aboutToShow.emit()  # as opening the menu does
    assert [a.text() for a in recent.actions()] == [str(saved.resolve())]
    window.close()
    fresh = empty_window()
    assert fresh.workspaces.reopen_action.isChecked()
    with qtbot.waitSignal(fresh.workspaces.opened, timeout=15_000):
        assert fresh.workspaces.reopen_last()
    assert len(fresh.state.table) == 18


def test_window_geometry_and_docks_come_back(make_window, empty_window, qtbot) -> None:
    window = make_window()
    assert not window.workspaces.restore_window()  # nothing saved yet; remember from now
    window.resize(1100, 700)
    window.detail_dock.hide()
    window.close()  # saves geometry and dock state in QSettings
    fresh = empty_window()
    assert fresh.workspaces.restore_window()
    assert fresh.detail_dock.isHidden()
    assert fresh.size().height() == 700  # (the width has a floor: the timeline toolbar)


def test_the_bundled_example_is_not_overwritten_by_save(
    empty_window, qtbot, tmp_path, monkeypatch
) -> None:
    from timeline_app.paths import DATA_DIR

    window = empty_window()
    window.add_dataset(load(CONTEXT_CSV))
    window.workspaces.path = DATA_DIR / "mali-2023-september.tlx.json"
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(1) or ("", ""))
    window.workspaces.save_action.trigger()
    assert asked == [1]  # Save became Save As


def test_command_line_screenshot_opens_a_workspace(sample, tmp_path) -> None:
    from timeline_app.cli import main
    from timeline_app.model.workspace import FileEntry, Workspace, save_workspace

    ws = Workspace(
        files=[FileEntry(path=str(sample), name="mali_2023_context")],
        filter=FilterSpec(regions=("Gao",)),
    )
    saved = save_workspace(ws, sample.parent / "cli.tlx.json")
    out = tmp_path / "shot.png"
    assert main(["--screenshot", str(out), str(saved)]) == 0
    assert out.stat().st_size > 10_000


def test_the_example_workspace_opens_on_gao_and_timbuktu_in_early_september(
    empty_window, qtbot
) -> None:
    from timeline_app.paths import DATA_DIR

    window = empty_window()
    with qtbot.waitSignal(window.workspaces.opened, timeout=15_000):
        window.workspaces.open_path(DATA_DIR / "mali-2023-september.tlx.json")
    qtbot.wait(50)
    model = window.table_view.model()
    region = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "Region"
    )
    regions = {model.data(model.index(r, region)) for r in range(model.rowCount())}
    assert model.rowCount() >= 9 and regions == {"Gao", "Tombouctou"}
    a, b = window.timeline.x_range()
    assert abs(a - SEP_1 / 1e9) < 1 and abs(b - SEP_16 / 1e9) < 1
    # The national mourning's three days are the selected range, summed up in the status bar.
    assert window.range_label.text().startswith("8 Sep 2023 – 10 Sep 2023: ")
    rows = window.state.range_rows()
    ids = set(window.state.table.df["id"].to_numpy()[rows].astype(str))
    assert {"ctx-11", "ctx-12"} <= ids  # the attacks on Gao of 8 September


def test_big_files_are_hashed_off_the_ui_thread_when_saving(
    make_window, qtbot, sample, monkeypatch
) -> None:
    from timeline_app.ui import workspace_controller

    monkeypatch.setattr(workspace_controller, "HASH_ON_WORKER_BYTES", 0)
    window = make_window(sample)
    assert not window.state.table.datasets[0].sha256
    with qtbot.waitSignal(window.workspaces.saved, timeout=15_000) as signal:
        assert window.workspaces.save_to(sample.parent / "big.tlx.json") is None  # goes on
    assert signal.args[0].name == "big.tlx.json"
    assert len(window.state.table.datasets[0].sha256) == 64
    assert '"sha256": "' + window.state.table.datasets[0].sha256 in signal.args[0].read_text()


def test_dropping_a_workspace_on_the_window_opens_it(
    make_window, empty_window, qtbot, sample
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    saved = make_window(sample).workspaces.save_to(sample.parent / "dropped.tlx.json")
    window = empty_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(saved))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.workspaces.opened, timeout=15_000):
        window.dropEvent(event)
    assert len(window.state.table) == 18
    assert window.workspaces.path == saved


def test_a_workspace_keeps_its_title_when_saved_again(empty_window, qtbot, tmp_path) -> None:
    from timeline_app.model.workspace import load_workspace
    from timeline_app.paths import DATA_DIR

    window = empty_window()
    with qtbot.waitSignal(window.workspaces.opened, timeout=15_000):
        window.workspaces.open_path(DATA_DIR / "mali-2023-september.tlx.json")
    assert "Mali, 1–15 September 2023" in window.statusBar().currentMessage()
    saved = window.workspaces.save_to(tmp_path / "again.tlx.json", background=False)
    assert load_workspace(saved).title.startswith("Mali, 1–15 September 2023")


def test_a_screenshot_of_a_workspace_leaves_the_recent_list_alone(empty_window, qtbot) -> None:
    from timeline_app.paths import DATA_DIR

    window = empty_window()
    window.workspaces.open_path(
        DATA_DIR / "mali-2023-september.tlx.json", background=False, interactive=False
    )
    assert len(window.state.table) > 0
    assert window.workspaces.recent() == []
