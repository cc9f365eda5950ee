"""File > Export… driven like a user: select rows, open the dialog, choose, export;
then read the written file row by row."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shiboken6
from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV
from timeline_app.formats.registry import load
from timeline_app.model import export as export_module
from timeline_app.model.filters import FilterSpec
from timeline_app.model.provenance import read_provenance, sidecar_path
from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.model.state import TimeRange
from timeline_app.ui.export_dialog import ExportDialog


def click_row(qtbot, window, event_id: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Click an event's row in the table (with Ctrl/Shift when asked)."""
    state, view = window.state, window.table_view
    row = int(np.flatnonzero(state.table.df["id"].to_numpy() == event_id)[0])
    position = int(np.flatnonzero(state.visible == row)[0])
    rect = view.visualRect(view.model().index(position, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def open_dialog(window, qtbot) -> ExportDialog:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # File > Export…
    qtbot.waitUntil(lambda: window.findChild(ExportDialog) is not None)
    dialog = window.findChild(ExportDialog)
    qtbot.waitExposed(dialog)
    return dialog


def set_path(qtbot, dialog: ExportDialog, path: Path) -> None:
    dialog.path_edit.selectAll()
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(dialog.path_edit, str(path))


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def choose_format(dialog: ExportDialog, fmt: str) -> None:
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))


def export_and_wait(qtbot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        click(qtbot, dialog.export_button)


def shown_ids(window) -> list[str]:
    """The ids in the table's display order."""
    return [str(v) for v in window.state.table.df["id"].to_numpy()[window.state.visible]]


def test_selected_rows_exported_through_the_dialog(make_window, qtbot, tmp_path: Path):
    window = make_window(CONTEXT_CSV)
    window.state.set_sort([("title", True)])
    click_row(qtbot, window, "ctx-12")
    click_row(qtbot, window, "ctx-03", Qt.KeyboardModifier.ControlModifier)
    click_row(qtbot, window, "ctx-09", Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(window, qtbot)
    assert dialog.scope_buttons["selected"].isChecked()  # several selected: the default
    assert dialog.scope_buttons["selected"].text().endswith("(3)")
    assert not dialog.scope_buttons["range"].isEnabled()  # no range on the timeline
    out = tmp_path / "picked.csv"
    set_path(qtbot, dialog, out)
    export_and_wait(qtbot, dialog)
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(written.columns) == list(CANONICAL_COLUMNS)
    # Exactly the three, in the table's (title) order.
    expected = [i for i in shown_ids(window) if i in {"ctx-12", "ctx-03", "ctx-09"}]
    assert written["id"].tolist() == expected
    df = window.state.table.df
    for _, record in written.iterrows():
        row = window.state.table.row_of_id("mali_2023_context", record["id"])
        assert record["title"] == df["title"].iloc[row]
        assert record["start"] == df["start"].iloc[row].strftime("%Y-%m-%d")
        assert record["actor1"] == df["actor1"].iloc[row]
        assert record["dataset"] == "mali_2023_context"
    data = read_provenance(sidecar_path(out))
    assert data["scope"] == "selected" and data["row_count"] == 3
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # closed (and maybe deleted)


def test_filtered_rows_round_trip_through_a_reload(make_window, qtbot, tmp_path: Path):
    window = make_window(CONTEXT_CSV)
    window.state.set_filter(FilterSpec(actors=("JNIM",)))
    window.state.set_sort([("start", False)])
    dialog = open_dialog(window, qtbot)
    click(qtbot, dialog.scope_buttons["filtered"])
    out = tmp_path / "jnim.csv"
    set_path(qtbot, dialog, out)
    export_and_wait(qtbot, dialog)
    again = load(out)
    assert again.events["id"].tolist() == shown_ids(window)
    expected = window.state.table.df.iloc[window.state.visible].reset_index(drop=True)
    for col in CANONICAL_COLUMNS:
        if col == "dataset":
            continue
        left = again.events[col].astype(object).where(again.events[col].notna(), None)
        right = expected[col].astype(object).where(expected[col].notna(), None)
        assert left.tolist() == right.tolist(), col


def test_range_without_filters_to_parquet_with_original_columns(make_window, qtbot, tmp_path: Path):
    """The "done when": the days around the 7 September 2023 attacks, reproducible."""
    window = make_window(CONTEXT_CSV)
    state = window.state
    state.set_filter(FilterSpec(categories=("attack",)))
    state.set_range(
        TimeRange(pd.Timestamp("2023-09-06").value, pd.Timestamp("2023-09-08T23:59:59").value)
    )
    dialog = open_dialog(window, qtbot)
    assert dialog.scope_buttons["range"].text().endswith("(5)")
    assert dialog.scope_buttons["range_all"].text().endswith("(7)")
    click(qtbot, dialog.scope_buttons["range_all"])
    assert dialog.original_button.isEnabled()
    click(qtbot, dialog.original_button)
    choose_format(dialog, "parquet")
    assert not dialog.bom_check.isEnabled()
    out = tmp_path / "around 7 September.parquet"
    set_path(qtbot, dialog, out)
    export_and_wait(qtbot, dialog)
    written = pd.read_parquet(out)
    source = pd.read_csv(CONTEXT_CSV, dtype=str, keep_default_na=False)
    assert list(written.columns) == list(source.columns)
    assert sorted(written["id"]) == ["ctx-03", "ctx-08", "ctx-09", "ctx-10", "ctx-11"] + [
        "ctx-12",
        "ctx-13",
    ]
    for _, record in written.iterrows():
        original = source[source["id"] == record["id"]].iloc[0]
        assert record.to_dict() == original.to_dict()
    # The sidecar's command line re-creates the identical file.
    from tests.test_cli_export import reproduce

    again = tmp_path / "again.parquet"
    result = reproduce(sidecar_path(out), again)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == out.read_bytes()


def test_original_layout_not_offered_across_formats(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    other = load(CONTEXT_CSV)
    other.format = "acled"  # a second source of another layout
    window.add_dataset(other)
    dialog = open_dialog(window, qtbot)
    assert not dialog.original_button.isEnabled()
    assert dialog.canonical_button.isChecked()
    dialog.close()


def test_impossible_path_gives_a_message_not_a_traceback(make_window, qtbot, tmp_path: Path):
    window = make_window(CONTEXT_CSV)
    dialog = open_dialog(window, qtbot)
    set_path(qtbot, dialog, tmp_path / "no such folder" / "x.csv")
    export_and_wait_failure(qtbot, dialog)
    assert "does not exist" in dialog.message.text()
    assert dialog.isVisible() and dialog.export_button.isEnabled()  # can try again
    set_path(qtbot, dialog, tmp_path / "fine.csv")
    export_and_wait(qtbot, dialog)
    assert (tmp_path / "fine.csv").is_file()


def export_and_wait_failure(qtbot, dialog: ExportDialog) -> None:
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: dialog.job is None and dialog.export_button.isEnabled(), timeout=20_000)


def test_cancel_keeps_the_good_file(make_window, qtbot, tmp_path: Path, monkeypatch):
    window = make_window(CONTEXT_CSV)
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "keep.xlsx"
    out.write_bytes(b"a good file")
    started = threading.Event()
    real = export_module._write_xlsx

    def slow_writer(data, fh, bom, progress, cancelled):
        started.set()
        deadline = time.monotonic() + 10
        while not cancelled() and time.monotonic() < deadline:  # a big export, mid-way
            time.sleep(0.01)
        fh.write(b"half a file")
        return real(data, fh, bom, progress, cancelled)

    monkeypatch.setattr(export_module, "_write_xlsx", slow_writer)
    dialog = open_dialog(window, qtbot)
    choose_format(dialog, "xlsx")
    set_path(qtbot, dialog, out)
    click(qtbot, dialog.export_button)  # the file exists: the dialog asks first
    assert "keep.xlsx exists" in dialog.message.text()
    assert dialog.export_button.text() == "Replace" and dialog.job is None
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(started.is_set, timeout=10_000)
    assert dialog.progress.isVisible() and not dialog.export_button.isEnabled()
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert "cancelled" in dialog.message.text()
    assert out.read_bytes() == b"a good file"
    assert not sidecar_path(out).exists()
    assert [p.name for p in folder.iterdir()] == ["keep.xlsx"]  # no temporary file left
    dialog.close()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bom_and_format_choices(make_window, qtbot, tmp_path: Path, fmt: str):
    window = make_window(CONTEXT_CSV)
    dialog = open_dialog(window, qtbot)
    choose_format(dialog, fmt)
    assert dialog.path_edit.text().endswith(f".{fmt}")  # the suffix follows the format
    if fmt == "csv":
        click(qtbot, dialog.bom_check)
    out = tmp_path / f"all.{fmt}"
    set_path(qtbot, dialog, out)
    export_and_wait(qtbot, dialog)
    if fmt == "csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbfid,dataset,")
        assert read_provenance(sidecar_path(out))["output"]["bom"] is True
    else:
        from openpyxl import load_workbook

        book = load_workbook(out, read_only=True)
        rows = list(book.active.iter_rows(values_only=True))
        book.close()
        assert [r[0] for r in rows[1:]] == shown_ids(window)
    assert read_provenance(sidecar_path(out))["row_count"] == len(window.state.visible)


def test_selection_and_range_menus_open_the_dialog_preset(make_window, qtbot, tmp_path: Path):
    window = make_window(CONTEXT_CSV)
    export_selection = window.actions_by_id["edit.export_selection"]
    assert not export_selection.isEnabled()
    click_row(qtbot, window, "ctx-13")
    assert export_selection.isEnabled()
    export_selection.trigger()  # Edit > Export Selection…
    dialog = window.findChild(ExportDialog)
    assert dialog.scope() == "selected" and dialog.rows().tolist() == [window.state.current]
    dialog.close()
    qtbot.waitUntil(lambda: window.findChild(ExportDialog) is None)
    window.state.set_range(
        TimeRange(pd.Timestamp("2023-09-07").value, pd.Timestamp("2023-09-07T23:59:59").value)
    )
    window.timeline.request_export_range()  # the timeline's "Export range…"
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.scope() == "range"
    ids = [str(v) for v in window.state.table.df["id"].to_numpy()[dialog.rows()]]
    assert ids == ["ctx-03", "ctx-09", "ctx-10"]
    dialog.close()


def test_done_when_days_around_7_september_exported_and_reproduced(
    make_window, qtbot, tmp_path: Path
):
    """Select 6-8 September 2023 on the timeline, export, reproduce from the sidecar alone."""
    window = make_window(CONTEXT_CSV)
    start = pd.Timestamp("2023-09-06T10:00").value // 10**9
    end = pd.Timestamp("2023-09-08T15:00").value // 10**9
    window.timeline.plot.select_range_s(start, end)  # what a drag on the timeline calls
    rng = window.state.range
    assert rng is not None
    assert pd.Timestamp(rng.start_ns) == pd.Timestamp("2023-09-06")  # snapped to whole days
    assert rng.end_ns == pd.Timestamp("2023-09-09").value - 1  # through 8 Sept, inclusive
    dialog = open_dialog(window, qtbot)
    click(qtbot, dialog.scope_buttons["range"])
    out = tmp_path / "mali 6-8 Sept 2023.csv"
    set_path(qtbot, dialog, out)
    export_and_wait(qtbot, dialog)
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)["id"].tolist()
    expected = [i for i in shown_ids(window) if i in set(exported)]
    assert exported == expected
    assert {"ctx-08", "ctx-09", "ctx-10", "ctx-11", "ctx-12", "ctx-13", "ctx-03"} == set(exported)
    from tests.test_cli_export import reproduce

    again = tmp_path / "again.csv"
    result = reproduce(sidecar_path(out), again)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == out.read_bytes()
