"""File > Save as Parquet Dataset… (issue #16): the files open in memory written as
``timeline-app convert`` writes them, with the same footer, provenance and meta.json; on
a worker with the status bar's progress and Cancel, which leaves no file behind; off on
DuckDB, saying why."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from tests.test_cli_mapping import MAPPING, SEMICOLON
from timeline_app.cli import main
from timeline_app.formats.mapping import ColumnMapping
from timeline_app.model.provenance import read_provenance, sidecar_path
from timeline_app.storage import convert as convert_module
from timeline_app.storage.parquet_files import recorded_sources
from timeline_app.ui.notices import open_notices

SAVE = "file.save_parquet"


def open_files(qtbot, monkeypatch, make_window, *paths: Path, datasets: int = 0):
    """A window with ``paths`` opened by File > Open… (into memory, as a user opens them),
    once they are ``datasets`` datasets (by default one per file)."""
    window = make_window()
    window.close_all_files()
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(p) for p in paths], ""))
    )
    window.actions_by_id["file.open"].trigger()
    opened = datasets or len(paths)
    qtbot.waitUntil(lambda: len(window.state.table.datasets) == opened, timeout=20_000)
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=20_000)
    return window


def answer_save(monkeypatch, out: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )


def save_by_key(qtbot, window, starts: str = "Saved", timeout: int = 20_000) -> None:
    """Ctrl+Shift+P, until the status bar says a message starting with ``starts``."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(
        window.statusBar().messageChanged,
        timeout=timeout,
        check_params_cb=lambda m: m.startswith(starts),
    ):
        qtbot.keyClick(
            window,
            Qt.Key.Key_P,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )


def close_notices(window) -> None:
    for box in open_notices(window):
        box.close()


def reproduced(tmp_path: Path, written: Path) -> Path:
    """The file the provenance's command writes, run elsewhere."""
    argv = list(read_provenance(sidecar_path(written))["argv"])
    again = tmp_path / "again.parquet"
    argv[argv.index("-o") + 1] = str(again)
    assert main(argv[1:]) == 0
    return again


def test_saving_writes_what_timeline_app_convert_writes(qtbot, monkeypatch, make_window, tmp_path):
    window = open_files(qtbot, monkeypatch, make_window, CONTEXT_CSV, UCDP_SAMPLE)
    panel = window.filter_panel  # a filter: the file still has every row
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "menaka")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: 0 < len(window.state.visible) < 78, timeout=10_000)
    action = window.actions_by_id[SAVE]
    assert action.isEnabled()
    answer_save(monkeypatch, tmp_path / "mali")  # ".parquet" is added
    save_by_key(qtbot, window)
    out = tmp_path / "mali.parquet"
    assert window.statusBar().currentMessage() == f"Saved 78 events to {out}"
    assert [d.name for d in window.state.table.datasets] == [CONTEXT_CSV.stem, UCDP_SAMPLE.stem]

    cli = tmp_path / "cli" / "mali.parquet"
    cli.parent.mkdir()
    assert main(["convert", str(CONTEXT_CSV), str(UCDP_SAMPLE), "-o", str(cli)]) == 0
    table = pq.read_table(out)
    assert table.equals(pq.read_table(cli))  # the same rows in the same order, same columns
    meta = pq.ParquetFile(out).metadata
    assert meta.num_row_groups == pq.ParquetFile(cli).metadata.num_row_groups
    assert recorded_sources(out) == recorded_sources(cli)
    assert [s["name"] for s in recorded_sources(out)] == [CONTEXT_CSV.stem, UCDP_SAMPLE.stem]
    read = json.loads((tmp_path / "mali.meta.json").read_text(encoding="utf-8"))
    assert read == json.loads((cli.parent / "mali.meta.json").read_text(encoding="utf-8"))
    ours, theirs = read_provenance(sidecar_path(out)), read_provenance(sidecar_path(cli))
    assert ours["sources"] == theirs["sources"] and ours["layout"] == theirs["layout"]
    assert ours["argv"][2:-1] == theirs["argv"][2:-1]  # the same files, read the same way
    assert pq.read_table(reproduced(tmp_path, out)).equals(table)

    # The message offers to open it on DuckDB, where the action is off, saying why.
    (box,) = open_notices(window)
    button = next(b for b in box.buttons() if b.text() == "Open on DuckDB")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view = window.state.source_view
    qtbot.waitUntil(lambda: view.source is not None and view.count >= 0, timeout=20_000)
    assert view.total == 78 and view.source.names == [CONTEXT_CSV.stem, UCDP_SAMPLE.stem]
    assert not action.isEnabled()
    assert "Export…" in action.toolTip() and "Parquet already" in action.toolTip()
    close_notices(window)


def test_the_windows_memory_limit_bounds_the_sort(qtbot, monkeypatch, make_window, tmp_path):
    """``timeline-app --memory-limit 1GB`` bounds the window's DuckDB, its conversions too."""
    window = make_window(CONTEXT_CSV)
    window.sources.memory_limit = "1GB"
    limits = []
    answer_save(monkeypatch, tmp_path / "limited.parquet")
    original = convert_module.watched

    def watched(con, *args, **kwargs):  # the sort's connection, as it starts
        limits.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return original(con, *args, **kwargs)

    monkeypatch.setattr(convert_module, "watched", watched)
    save_by_key(qtbot, window)
    assert limits == ["953.6 MiB"]  # DuckDB's way of saying 1GB
    close_notices(window)


def test_off_until_files_are_open(make_window) -> None:
    window = make_window()
    window.close_all_files()
    action = window.actions_by_id[SAVE]
    assert not action.isEnabled() and action.toolTip() == "Open event files first"
    window.open_paths([CONTEXT_CSV], "memory")
    window.close_all_files()
    assert not action.isEnabled()


def test_a_mapped_table_is_saved_with_the_mapping_its_command_takes(
    qtbot, make_window, monkeypatch, tmp_path
):
    window = make_window()
    window.close_all_files()
    # As the mapping dialog's OK opens it (ui/opening.py puts its answer in the options).
    options = {"mapping": ColumnMapping.from_dict(MAPPING)}
    with qtbot.waitSignal(window.state.table_changed, timeout=20_000):
        window.open_file(SEMICOLON, "table", options=options, report=False)
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=20_000)
    answer_save(monkeypatch, tmp_path / "mapped.parquet")
    save_by_key(qtbot, window)
    out = tmp_path / "mapped.parquet"
    argv = read_provenance(sidecar_path(out))["argv"]
    assert json.loads(argv[argv.index("--mapping") + 1]) == MAPPING  # inline: no file needed
    assert pq.read_table(reproduced(tmp_path, out)).equals(pq.read_table(out))
    close_notices(window)


@pytest.fixture
def held_first_part(monkeypatch):
    """The conversion holds on its first dataset until the test lets it go."""
    reached, release = threading.Event(), threading.Event()
    real = convert_module.dataset_arrow

    def held(dataset):
        reached.set()
        release.wait(20)
        return real(dataset)

    monkeypatch.setattr(convert_module, "dataset_arrow", held)
    yield reached, release
    release.set()


def test_cancel_leaves_no_file_and_an_existing_one_as_it_was(
    qtbot, monkeypatch, make_window, tmp_path, held_first_part
):
    window = open_files(qtbot, monkeypatch, make_window, CONTEXT_CSV, UCDP_SAMPLE)
    out = tmp_path / "out" / "kept.parquet"
    out.parent.mkdir()
    out.write_bytes(b"an older file")
    answer_save(monkeypatch, out)
    reached, release = held_first_part
    window.actions_by_id[SAVE].trigger()
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    assert window.progress.isVisible() and window.cancel_button.isVisible()
    with qtbot.waitSignal(
        window.statusBar().messageChanged,
        timeout=20_000,
        check_params_cb=lambda m: m.endswith("cancelled: nothing written"),
    ):
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
        release.set()
    assert out.read_bytes() == b"an older file"
    assert [p.name for p in out.parent.iterdir()] == ["kept.parquet"]  # no part, no sidecar
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=10_000)
    assert len(window.state.table.datasets) == 2 and not open_notices(window)


def test_a_failure_says_why_and_loses_nothing(qtbot, monkeypatch, make_window, tmp_path):
    window = open_files(qtbot, monkeypatch, make_window, CONTEXT_CSV, UCDP_SAMPLE)
    out = tmp_path / "no such folder" / "mali.parquet"
    answer_save(monkeypatch, out)
    save_by_key(qtbot, window, starts="cannot write")
    (box,) = open_notices(window)
    assert box.windowTitle() == "Could not save as Parquet"
    assert str(out.parent) in box.text() and "No such file or directory" in box.text()
    assert "Traceback" in box.detailedText()
    assert len(window.state.table.datasets) == 2 and not out.parent.exists()
    close_notices(window)


def test_a_converted_files_sources_are_saved_with_a_command_that_names_it_once(
    qtbot, monkeypatch, make_window, tmp_path
):
    both = tmp_path / "both.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(both)]) == 0
    window = open_files(qtbot, monkeypatch, make_window, both, datasets=2)
    answer_save(monkeypatch, tmp_path / "again-both.parquet")
    save_by_key(qtbot, window)
    out = tmp_path / "again-both.parquet"
    provenance = read_provenance(sidecar_path(out))
    assert provenance["argv"].count(str(both.resolve())) == 1  # the file, not each source
    assert [s["converted_from"]["format"] for s in provenance["sources"]] == ["ucdp", "native"]
    assert [s["name"] for s in recorded_sources(out)] == [UCDP_SAMPLE.stem, CONTEXT_CSV.stem]
    assert pq.read_table(reproduced(tmp_path, out)).equals(pq.read_table(out))
    close_notices(window)


def test_the_suggested_name_keeps_the_open_files_sidecars(
    qtbot, monkeypatch, make_window, tmp_path
):
    """The dialog offered X.parquet beside the first file X.csv: saving there rewrote
    X.meta.json, the sample's licence and citation, with both sources'."""
    import shutil

    for path in (UCDP_SAMPLE, CONTEXT_CSV):
        for item in (path, path.with_name(path.stem + ".meta.json")):
            shutil.copy(item, tmp_path / item.name)
    sidecars = {p: p.read_bytes() for p in tmp_path.glob("*.meta.json")}
    window = open_files(
        qtbot, monkeypatch, make_window, tmp_path / UCDP_SAMPLE.name, tmp_path / CONTEXT_CSV.name
    )
    offered: list[str] = []

    def accept(_parent, _title, suggested, _filter):
        offered.append(suggested)
        return suggested, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(accept))
    save_by_key(qtbot, window)
    assert offered == [str(tmp_path / f"{UCDP_SAMPLE.stem}-converted.parquet")]
    assert {p: p.read_bytes() for p in sidecars} == sidecars
    assert (tmp_path / f"{UCDP_SAMPLE.stem}-converted.meta.json").is_file()
    close_notices(window)
