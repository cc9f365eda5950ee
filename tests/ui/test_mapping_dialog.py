"""The column-mapping dialog: live preview, date order, remembered mappings, loading."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog

from timeline_app.formats import registry
from timeline_app.ui.mapping_dialog import NOT_MAPPED, PREVIEW_COLUMNS
from timeline_app.ui.opening import mapping_dialog, plan_in_worker
from timeline_app.ui.workers import Job

SEMICOLON = Path(__file__).parents[1] / "formats" / "fixtures" / "table_semicolon.csv"
TITLE = PREVIEW_COLUMNS.index("Title")
START = PREVIEW_COLUMNS.index("Start")
FATALITIES = PREVIEW_COLUMNS.index("Fatalities")


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("TIMELINE_APP_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def open_dialog(qtbot, config_dir):
    def opener(path: Path = SEMICOLON):
        plans = []
        job = Job(plan_in_worker, path, "table", True, name="plan")
        job.returned.connect(plans.append)
        with qtbot.waitSignal(job.finished, timeout=20_000):
            job.start()
        assert plans and plans[0].needs_mapping
        dialog = mapping_dialog(plans[0])
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return opener


def _choose(qtbot, combo, text: str) -> None:
    """Pick an entry the way a user does: open the box and press keys until it shows."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, f"{text!r} not offered"
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def _column(dialog, column: int) -> list[str]:
    model = dialog.preview_model
    return [model.cell(r, column) for r in range(model.rowCount())]


def test_opens_with_guessed_columns_and_a_preview(open_dialog):
    dialog = open_dialog()
    assert dialog.combos["date"].currentText() == "Date"
    assert dialog.combos["title"].currentText() == "Headline"
    assert dialog.combos["source"].currentText() == NOT_MAPPED
    assert dialog.source_model.rowCount() == 7
    assert dialog.preview_model.rowCount() == 5
    assert _column(dialog, TITLE)[0] == "Attack on the Tombouctou boat"
    assert _column(dialog, START)[:3] == ["7 Sep 2023", "7 Sep 2023", "13 Sep 2023"]
    assert _column(dialog, FATALITIES)[2] == "–"  # blank: unknown, not 0
    assert dialog.rejected_count == 2
    assert "no date (line 6)" in dialog.rejected_label.text()
    assert "unparseable date (line 7)" in dialog.rejected_label.text()
    assert dialog.combos["date"].accessibleName() == "Column for Date"


def test_changing_a_combo_changes_the_preview(open_dialog, qtbot):
    dialog = open_dialog()
    _choose(qtbot, dialog.combos["title"], "Remarks")
    titles = _column(dialog, TITLE)
    assert titles[0].startswith("Boat on the Niger river hit by rockets")
    assert "Attack on the Tombouctou boat" not in titles
    # Unmapping the fatalities makes every count unknown.
    _choose(qtbot, dialog.combos["fatalities"], NOT_MAPPED)
    assert set(_column(dialog, FATALITIES)) == {"–"}


def test_date_order_changes_which_rows_would_be_rejected(open_dialog, qtbot):
    dialog = open_dialog()
    _choose(qtbot, dialog.date_order, "Month first (12/31/2023)")
    assert dialog.rejected_count == 3  # 13/09/2023 has no 13th month
    assert _column(dialog, START)[0] == "9 Jul 2023"


def test_without_a_date_column_load_is_disabled(open_dialog, qtbot):
    dialog = open_dialog()
    _choose(qtbot, dialog.combos["date"], NOT_MAPPED)
    assert not dialog.ok_button.isEnabled()
    assert dialog.preview_model.rowCount() == 0
    assert "date" in dialog.rejected_label.text()


def test_accept_returns_the_mapping_that_loads_the_file(open_dialog, qtbot, config_dir):
    dialog = open_dialog()
    _choose(qtbot, dialog.combos["title"], "Remarks")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    mapping = dialog.mapping()
    assert (mapping.date, mapping.title, mapping.date_order) == ("Date", "Remarks", "auto")
    ds = registry.load(SEMICOLON, "table", options={"mapping": mapping})
    assert ds.report.events == 5 and ds.report.rows_rejected == 2
    events = ds.events.set_index("id")
    assert events.loc["R-006", "title"] == "UN peacekeepers left Ber"
    assert events.loc["R-003", "start"] == pd.Timestamp("2023-09-13")
    assert not (config_dir / "column_mappings.json").exists()  # not asked to remember


def test_remembered_mapping_is_offered_for_a_file_with_the_same_header(
    open_dialog, qtbot, tmp_path
):
    first = open_dialog()
    _choose(qtbot, first.combos["title"], "Remarks")
    _choose(qtbot, first.combos["source"], "Ref")
    assert not first.saved_note.isVisible()
    # Click the box itself (the widget spans the dialog; its middle is empty space).
    box = QPoint(8, first.remember.height() // 2)
    qtbot.mouseClick(first.remember, Qt.MouseButton.LeftButton, pos=box)
    assert first.remember.isChecked()
    qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)

    second_file = tmp_path / "another_month.csv"
    lines = SEMICOLON.read_text(encoding="utf-8").splitlines()
    second_file.write_text(lines[0] + "\n" + lines[7] + "\n", encoding="utf-8")
    second = open_dialog(second_file)
    assert second.saved_note.isVisible()
    assert second.remember.isChecked()
    assert second.combos["title"].currentText() == "Remarks"
    assert second.combos["source"].currentText() == "Ref"
    assert _column(second, TITLE) == ["UN peacekeepers left Ber"]
    # The saved mapping also lets the file load without the dialog.
    ds = registry.load(second_file)
    assert ds.format == "table" and ds.events["source"].tolist() == ["R-006"]


def test_a_workbook_opens_with_sheet_rows_as_lines(open_dialog, tmp_path):
    path = tmp_path / "incidents.xlsx"
    frame = pd.read_csv(SEMICOLON, sep=";", dtype=str, keep_default_na=False)
    frame.to_excel(path, index=False)
    dialog = open_dialog(path)
    assert dialog.combos["date"].currentText() == "Date"
    assert dialog.preview_model.rowCount() == 5
    assert "no date (line 5)" in dialog.rejected_label.text()  # sheet row 5


def test_a_file_that_is_no_table_is_a_one_line_error(qtbot, tmp_path):
    from timeline_app.formats.registry import FormatError

    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    errors = []
    job = Job(plan_in_worker, path, "table", True, name="plan")
    job.errored.connect(errors.append)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        job.start()
    assert len(errors) == 1 and isinstance(errors[0].exception, FormatError)
    message = errors[0].message
    assert "\n" not in message and "broken.xlsx" in message
