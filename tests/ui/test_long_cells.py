"""A cell of megabytes (a re-saved note) never freezes the window: the detail pane and
the table show its start with "Show all", and the import report says so."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import QUrl

from tests.conftest import CONTEXT_CSV
from timeline_app.formats.registry import load
from timeline_app.model.long_cells import LONG_CELL_CHARS, long_cell_warning, long_cells
from timeline_app.ui.long_text import LongTextDialog, pieces, preview

NOTE = ("word " * 400_000) + "the end"  # 2 MB, one line


@pytest.fixture
def long_file(tmp_path):
    df = pd.read_csv(CONTEXT_CSV, dtype=str, keep_default_na=False)
    df.loc[2, "notes"] = NOTE
    path = tmp_path / "long_note.csv"
    df.to_csv(path, index=False)
    return path


def test_the_import_report_warns_about_long_cells(long_file):
    dataset = load(long_file)
    assert long_cells(dataset.events) == {"notes": (1, len(NOTE))}
    warning = long_cell_warning(dataset)
    assert warning is not None and "1 cell longer than 300,000 characters: notes" in warning
    assert warning in dataset.report.warnings
    assert long_cell_warning(load(CONTEXT_CSV)) is None
    assert LONG_CELL_CHARS == 300_000


def test_the_detail_pane_shows_the_start_and_opens_all_in_a_lazy_view(
    make_window, qtbot, long_file
):
    window = make_window(long_file)
    row = window.state.table.row_of_id("long_note", "ctx-03")
    window.state.select([row], current=row)
    pane = window.detail
    assert len(pane.text()) < 20_000  # not the 2 MB laid out in the pane
    assert "Show all (2,000,007 characters)" in pane.text()
    key = next(k for k, (label, _t) in pane._long.items() if label == "Notes")
    pane._on_link(QUrl(f"show:{key}"))
    dialog = window.findChild(LongTextDialog)
    assert dialog is not None and dialog.isVisible()
    assert not dialog.finished_adding()  # fed in pieces, the window answers meanwhile
    qtbot.waitUntil(dialog.finished_adding, timeout=20_000)
    view = dialog.view
    assert view.document().blockCount() > 100  # one long line split into blocks
    assert view.toPlainText().replace("\n", "").endswith("the end")
    dialog.close()


def test_a_table_cell_shows_only_the_start_of_a_long_text(make_window, long_file):
    window = make_window(long_file)
    view = window.table_view
    model = view.model()
    model.set_columns(["title", "notes"])
    section = model.section_of("notes")
    assert section >= 0
    row = list(window.state.visible).index(window.state.table.row_of_id("long_note", "ctx-03"))
    text = model.index(row, section).data()
    assert 900 <= len(text) <= 1001 and text.endswith("…")


def test_preview_and_pieces():
    text = "a " * 5000
    shown, cut = preview(text, 1000)
    assert cut and len(shown) <= 1002 and shown.endswith(" …")
    assert preview("short", 1000) == ("short", False)
    parts = list(pieces("x" * 10_000 + "\nend", block=4000))
    assert [len(p) for p in parts] == [4000, 4000, 2000, 3]


def test_a_reopened_file_keeps_the_warning_without_scanning_again(long_file, monkeypatch, tmp_path):
    from timeline_app.model import long_cells as module
    from timeline_app.storage import cache

    monkeypatch.setenv("TIMELINE_APP_CACHE_DIR", str(tmp_path / "cache"))
    for name, value in (("MIN_FILE_BYTES", 0), ("MIN_FREE_BYTES", 0), ("RACY_S", 0)):
        monkeypatch.setattr(cache, name, value)
    monkeypatch.setattr(cache, "WRITE_IN_BACKGROUND", False)
    monkeypatch.setattr(cache, "SHA256_WAIT_S", 0)
    first = load(long_file)
    scans: list[object] = []
    real = module.long_cell_warning
    monkeypatch.setattr(module, "long_cell_warning", lambda d: scans.append(d) or real(d))
    again = load(long_file)
    assert getattr(again.report, "from_cache", False)  # served by the cache
    assert scans == []  # no second scan of every text cell
    warning = next(w for w in first.report.warnings if "longer than" in w)
    assert warning in again.report.warnings


def test_only_cells_over_the_limit_in_characters_count():
    # Multi-byte text: 200,000 'é' are 400,000 bytes but 200,000 characters (not long).
    frame = pd.DataFrame(
        {"notes": pd.array(["é" * 200_000, "x" * 300_001, "short"], "string[pyarrow]")}
    )
    assert long_cells(frame) == {"notes": (1, 300_001)}
