"""Workspaces without Qt: save, reopen, missing and changed files, the bundled example."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import CONTEXT_CSV, DATA
from timeline_app.formats.registry import load
from timeline_app.model.filters import FilterSpec, filter_mask
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.workspace import (
    CHANGED,
    MISSING,
    OK,
    FileEntry,
    Workspace,
    WorkspaceError,
    capture,
    load_workspace,
    open_workspace,
    save_workspace,
    visible_frame,
)

EXAMPLE = DATA / "mali-2023-september.tlx.json"
SEP_1 = pd.Timestamp("2023-09-01").value
SEP_16 = pd.Timestamp("2023-09-16").value


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """The context sample copied into a folder of its own (so it can be moved or edited)."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(CONTEXT_CSV, folder / CONTEXT_CSV.name)
    return folder / CONTEXT_CSV.name


def state_with(path: Path) -> AppState:
    state = AppState()
    state.add_dataset(load(path))
    return state


def test_save_and_reopen_gives_the_same_filters_range_selection_columns_and_sort(
    copied: Path,
) -> None:
    state = state_with(copied)
    spec = FilterSpec(regions=("Gao",), date_from=datetime(2023, 9, 1), text="attack")
    state.set_filter(spec)
    state.set_sort([("start", False), ("title", True)])
    state.set_range(TimeRange(SEP_1, SEP_16))
    gao_camp = state.table.row_of_id("mali_2023_context", "ctx-11")
    airport = state.table.row_of_id("mali_2023_context", "ctx-12")
    state.select([gao_camp, airport], current=airport)
    state.set_view_range((SEP_1, SEP_16))
    state.set_lane_grouping("admin1")
    state.set_table_columns(["start", "title", "admin1"])
    state.set_dock_layout(b"\x00\x00\x00\xff")
    ws = capture(state)
    saved = save_workspace(ws, copied.parent / "view")
    assert saved.name == "view.tlx.json"

    raw = json.loads(saved.read_text(encoding="utf-8"))
    assert raw["files"][0]["path"] == CONTEXT_CSV.name  # relative to the workspace
    assert len(raw["files"][0]["sha256"]) == 64
    assert raw["view_range"]["start"] == "2023-09-01T00:00:00"

    opened = open_workspace(saved, load=load)
    assert opened.problems() == []
    fresh = AppState()
    assert opened.apply(fresh) == []
    assert fresh.spec == spec
    assert fresh.range == TimeRange(SEP_1, SEP_16)
    assert fresh.sort_keys == [("start", False), ("title", True)]
    ids = fresh.table.df["id"].to_numpy()
    assert sorted(ids[fresh.selection].astype(str)) == ["ctx-11", "ctx-12"]
    assert ids[fresh.current] == "ctx-12"
    assert opened.workspace.view_range == (SEP_1, SEP_16)
    assert opened.workspace.lane_grouping == "admin1"
    assert opened.workspace.columns == ["start", "title", "admin1"]
    assert opened.workspace.dock_state == "AAAA/w=="
    assert list(fresh.visible) == list(state.visible)
    # ... and the views' state came back into the fresh state itself.
    assert fresh.views.timeline.view_range == (SEP_1, SEP_16)
    assert fresh.views.timeline.lane_grouping == "admin1"
    assert fresh.views.table.columns == ("start", "title", "admin1")
    assert fresh.views.window.dock_layout == b"\x00\x00\x00\xff"


def test_a_workspace_moved_with_its_files_still_opens(copied: Path, tmp_path: Path) -> None:
    state = state_with(copied)
    save_workspace(capture(state), copied.parent / "w.tlx.json")
    moved = shutil.copytree(copied.parent, tmp_path / "elsewhere")
    shutil.rmtree(copied.parent)
    opened = open_workspace(moved / "w.tlx.json", load=load)
    assert [c.status for c in opened.checks] == [OK]
    assert opened.checks[0].path == moved / CONTEXT_CSV.name
    assert len(opened.datasets[0]) == len(state.table)


def test_a_missing_file_is_reported_never_silently_dropped(copied: Path) -> None:
    path = save_workspace(capture(state_with(copied)), copied.parent / "w.tlx.json")
    copied.unlink()
    opened = open_workspace(path, load=load)
    assert [c.status for c in opened.checks] == [MISSING]
    assert opened.datasets == []
    assert "file not found" in opened.problems()[0]
    assert CONTEXT_CSV.name in opened.problems()[0]


def test_locate_points_a_missing_file_somewhere_else(copied: Path, tmp_path: Path) -> None:
    path = save_workspace(capture(state_with(copied)), copied.parent / "w.tlx.json")
    new_home = tmp_path / "renamed.csv"
    copied.rename(new_home)
    opened = open_workspace(path, relocated={0: new_home}, load=load)
    assert [c.status for c in opened.checks] == [OK]  # same bytes: same SHA-256
    assert opened.datasets[0].name == "mali_2023_context"  # keeps the name it had


def test_a_changed_file_is_reported_and_opened_only_when_asked(copied: Path) -> None:
    state = state_with(copied)
    path = save_workspace(capture(state), copied.parent / "w.tlx.json")
    lines = copied.read_text(encoding="utf-8").splitlines(keepends=True)
    copied.write_text("".join(lines[:-1]), encoding="utf-8")  # one event fewer
    refused = open_workspace(path, open_changed=False, load=load)
    assert [c.status for c in refused.checks] == [CHANGED]
    assert refused.datasets == []
    assert "has changed" in refused.problems()[0]
    anyway = open_workspace(path, open_changed=True, load=load)
    assert len(anyway.datasets[0]) == len(state.table) - 1
    assert "has changed" in anyway.problems()[0]  # still said, even when opened


def test_selected_events_that_no_longer_exist_are_returned_not_ignored(copied: Path) -> None:
    ws = capture(state_with(copied))
    ws.selection = [("mali_2023_context", "ctx-01"), ("mali_2023_context", "no-such-id")]
    opened = open_workspace(save_workspace(ws, copied.parent / "w.tlx.json"), load=load)
    assert opened.apply(AppState()) == [("mali_2023_context", "no-such-id")]


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"version": 99, "files": []}', "newer than this app"),
        ('{"files": [{"sha256": "x"}]}', "needs a 'path'"),
        ('{"files": [], "view_range": {"start": "yesterday"}}', "bad 'view_range'"),
        ('{"files": [], "view_range": [10, 5]}', "ends before it starts"),
        ('{"files": [], "selection": [{"id": "x"}]}', "needs 'dataset' and 'id'"),
    ],
)
def test_a_bad_workspace_gets_a_one_line_reason(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.tlx.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WorkspaceError, match=reason) as info:
        load_workspace(path)
    assert "\n" not in str(info.value)


def test_a_missing_workspace_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no such workspace file"):
        load_workspace(tmp_path / "nope.tlx.json")


def test_saving_into_a_missing_folder_fails_with_a_clear_message(
    tmp_path: Path,
) -> None:
    with pytest.raises(WorkspaceError, match="cannot write"):
        save_workspace(Workspace(), tmp_path / "no" / "such" / "folder" / "w.tlx.json")


def test_ranges_can_be_written_by_hand_as_iso_dates_or_nanoseconds(tmp_path: Path) -> None:
    path = tmp_path / "hand.tlx.json"
    path.write_text(
        json.dumps(
            {
                "files": [],
                "view_range": {"start": "2023-09-01", "end": "2023-09-16"},
                "selected_range": [SEP_1, SEP_16],
            }
        ),
        encoding="utf-8",
    )
    ws = load_workspace(path)
    assert ws.view_range == (SEP_1, SEP_16)
    assert ws.selected_range == (SEP_1, SEP_16)


def test_files_on_an_absolute_path_outside_the_folder_keep_working(
    copied: Path, tmp_path: Path
) -> None:
    ws = Workspace(files=[FileEntry(path=str(copied))])
    other = tmp_path / "deep" / "er"
    other.mkdir(parents=True)
    saved = save_workspace(ws, other / "w.tlx.json")
    opened = open_workspace(saved, load=load)
    assert [c.status for c in opened.checks] == [OK]


# -- the bundled example ------------------------------------------------------------------
def test_the_example_workspace_names_the_bundled_files_with_their_current_hashes() -> None:
    ws = load_workspace(EXAMPLE)
    assert [c.status for c in ws.check_files()] == [OK, OK]
    assert ws.filter.regions == ("Gao", "Tombouctou")
    assert ws.view_range == (SEP_1, SEP_16)
    # The national mourning (8-10 September) is the selected time range: as a country-wide
    # event it has no region, so the Gao/Tombouctou filter rightly hides the event itself.
    mourning = (pd.Timestamp("2023-09-08").value, pd.Timestamp("2023-09-10").value)
    assert ws.selected_range == mourning
    assert ws.selection == []


def test_the_example_workspace_shows_only_gao_and_timbuktu_in_early_september() -> None:
    opened = open_workspace(EXAMPLE, load=load)
    assert opened.datasets, opened.problems()
    state, shown = visible_frame(opened)
    assert len(shown) >= 5
    assert set(shown["admin1"].astype(str)) <= {"Gao", "Tombouctou"}
    start, end = pd.Timestamp("2023-09-01"), pd.Timestamp("2023-09-16")
    assert ((shown["end"] >= start) & (shown["start"] < end)).all()
    # The attacks of 7 and 8 September and the Timbuktu blockade are all there.
    assert {"ctx-03", "ctx-09", "ctx-10", "ctx-11", "ctx-12"} <= set(shown["id"].astype(str))
    # And exactly the rows the filter keeps: nothing more, nothing less.
    assert np.array_equal(
        np.sort(state.visible), np.flatnonzero(filter_mask(state.table, state.spec))
    )


def test_exporting_the_example_workspace_gives_only_gao_and_timbuktu_in_early_september(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from timeline_app.cli import main

    out = tmp_path / "example.csv"
    assert main(["export", "--workspace", str(EXAMPLE), "-o", str(out)]) == 0, capsys.readouterr()
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(rows) >= 9  # the context events and the UCDP attacks of those days
    assert set(rows["admin1"]) == {"Gao", "Tombouctou"}
    start = pd.to_datetime(rows["start"], format="mixed")
    end = pd.to_datetime(rows["end"], format="mixed")
    assert (end >= pd.Timestamp("2023-09-01")).all()
    assert (start < pd.Timestamp("2023-09-16")).all()
    assert set(rows["dataset"]) == {"mali_2023_context", "ucdp_ged251_mali_jnim_2023H2"}
    # The same rows the workspace shows in the window, in the same order.
    _state, shown = visible_frame(open_workspace(EXAMPLE, load=load))
    assert list(rows["id"]) == list(shown["id"].astype(str))


def test_selected_events_are_found_by_dataset_and_id_across_datasets(copied: Path) -> None:
    from timeline_app.model.workspace import rows_of_keys

    state = AppState()
    state.add_dataset(load(copied))
    second = load(copied)
    second.name = "copy"
    state.add_dataset(second)
    keys = [("copy", "ctx-02"), ("mali_2023_context", "ctx-02"), ("copy", "nope"), ("x", "1")]
    rows = rows_of_keys(state.table, keys)
    assert rows[2] == rows[3] == -1
    assert rows[0] == state.table.row_of_id("copy", "ctx-02") != rows[1]
    assert rows[1] == state.table.row_of_id("mali_2023_context", "ctx-02")


def test_paths_are_relative_only_within_a_shared_folder(tmp_path: Path) -> None:
    from timeline_app.model.workspace import relative_path

    project = tmp_path / "project"
    assert relative_path(project / "data" / "a.csv", project) == "data/a.csv"
    assert relative_path(tmp_path / "other" / "b.csv", project) == "../other/b.csv"
    assert relative_path(Path("/usr/share/x.csv"), project) == "/usr/share/x.csv"


# -- the views' state ------------------------------------------------------------------------
def test_every_views_state_is_saved_and_restored_through_the_state(copied: Path) -> None:
    state = state_with(copied)
    state.set_view_range((SEP_1, SEP_16))
    state.set_lane_grouping("actor")
    state.set_histogram_measure("fatalities")
    state.set_show_bands(False)
    state.set_table_columns(["title", "start", "notes"])
    state.set_column_width("title", 412)
    state.views.map.viewport = (-12.0, 10.0, 5.0, 25.0)
    state.views.trends.unit = "week"
    saved = save_workspace(capture(state, title="views"), copied.parent / "views.tlx.json")
    raw = json.loads(saved.read_text(encoding="utf-8"))
    assert raw["timeline"] == {"measure": "fatalities", "show_bands": False}
    assert raw["table"]["widths"] == {"title": 412}
    assert raw["map"]["viewport"] == [-12.0, 10.0, 5.0, 25.0]

    fresh = AppState()
    open_workspace(saved, load=load).apply(fresh)
    assert fresh.views.timeline.view_range == (SEP_1, SEP_16)
    assert fresh.views.timeline.lane_grouping == "actor"
    assert fresh.views.timeline.measure == "fatalities"
    assert fresh.views.timeline.show_bands is False
    assert fresh.views.table.columns == ("title", "start", "notes")
    assert fresh.views.table.widths == {"title": 412}
    assert fresh.views.map.viewport == (-12.0, 10.0, 5.0, 25.0)
    assert fresh.views.trends.unit == "week"


def test_a_workspace_saved_before_the_evented_state_still_opens() -> None:
    """The bundled example predates ``timeline``, ``map``, ``trends`` and column widths:
    it opens, its views' state comes into the state, and the rest stays at defaults."""
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert not {"timeline", "map", "trends"} & set(raw) and "widths" not in raw["table"]
    state = AppState()
    opened = open_workspace(EXAMPLE, load=load)
    assert opened.problems() == []
    opened.apply(state)
    assert state.views.timeline.view_range == (SEP_1, SEP_16)
    assert state.views.timeline.lane_grouping == "category"
    assert state.views.timeline.measure == "events" and state.views.timeline.show_bands
    assert state.views.table.columns == AppState().views.table.columns  # "columns": null
    assert state.views.table.widths == {}
    assert state.views.window.dock_layout is None
    assert state.sort_keys == [("start", True)]


def test_the_readme_example_as_it_was_before_the_evented_state_still_reads() -> None:
    """The format the README documented before view state was added (no ``timeline``,
    ``map``, ``trends`` or widths; an elided, so invalid, ``dock_state``)."""
    from timeline_app.model.workspace import apply_views

    old = {
        "kind": "timeline-app workspace",
        "version": 1,
        "title": "Mali, 1–15 September 2023",
        "files": [{"path": "mali_2023_context.csv", "sha256": "eace93de…", "format": "native"}],
        "filter": {"regions": ["Gao", "Tombouctou"], "date_from": "2023-09-01T00:00:00"},
        "view_range": {"start": "2023-09-01T00:00:00", "end": "2023-09-16T00:00:00"},
        "selected_range": None,
        "lane_grouping": "category",
        "selection": [{"dataset": "mali_2023_context", "id": "ctx-13"}],
        "current": {"dataset": "mali_2023_context", "id": "ctx-13"},
        "table": {
            "columns": ["start", "category", "title", "admin1", "fatalities"],
            "sort": [{"column": "start", "ascending": True}],
        },
        "dock_state": "AAAA/wAAAAL9AAAA…",
    }
    ws = Workspace.from_dict(old)
    state = AppState()
    apply_views(state, ws)
    assert state.views.timeline.view_range == (SEP_1, SEP_16)
    assert state.views.table.columns == ("start", "category", "title", "admin1", "fatalities")
    assert state.views.window.dock_layout is None  # unreadable: the window keeps its own
    assert Workspace.from_dict(ws.to_dict()).columns == ws.columns  # and it saves again


def test_the_engine_defaults_to_memory_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    """A workspace without ``engine`` (every one saved before DuckDB workspaces) opens in
    memory and is saved again without it; ``duckdb`` round-trips; a newer app's engine
    is a clear refusal, not a memory load of Parquet that may not fit."""
    old = Workspace.from_dict({"files": [{"path": "a.csv"}]})
    assert old.engine == "memory" and "engine" not in old.to_dict()
    duck = Workspace.from_dict({"engine": "duckdb", "files": [{"path": "big"}]})
    assert duck.engine == "duckdb" and duck.to_dict()["engine"] == "duckdb"
    folder = tmp_path / "big"
    folder.mkdir()
    duck.base_dir = tmp_path
    assert [c.status for c in duck.check_files()] == [OK]  # a Parquet folder: found
    with pytest.raises(WorkspaceError, match="engine 'spark'"):
        Workspace.from_dict({"engine": "spark", "files": []})


def test_the_command_line_reads_a_duckdb_workspaces_parquet_folder_in_memory(
    tmp_path: Path,
) -> None:
    """``export --workspace`` on a workspace saved on DuckDB: its folder of Parquet files
    is found (not "file not found") and read into memory, its filter applied."""
    from tests.storage.engine_fixtures import write_fixture

    parquet = write_fixture(tmp_path, rows=60)[1]
    folder = tmp_path / "events"
    folder.mkdir()
    shutil.move(parquet, folder / "part-0.parquet")
    ws = Workspace(
        files=[FileEntry(path=str(folder), name="events")],
        filter=FilterSpec(text="segou"),
        engine="duckdb",
    )
    saved = save_workspace(ws, tmp_path / "duck.tlx.json")
    opened = open_workspace(saved, load=load)
    assert opened.problems() == [] and [d.name for d in opened.datasets] == ["events"]
    _state, frame = visible_frame(opened)
    assert 0 < len(frame) < 60


def test_a_parquet_file_is_checked_by_its_fingerprint_and_an_older_hash_still_counts(
    tmp_path: Path,
) -> None:
    """A DuckDB workspace's Parquet file is checked by its size, time and footer (no full
    read); one saved before fingerprints, with its SHA-256 only, is checked by it."""
    import os

    from tests.storage.engine_fixtures import write_fixture
    from timeline_app.model.dataset import file_sha256
    from timeline_app.model.workspace_entries import parquet_fingerprint

    parquet = write_fixture(tmp_path, rows=60)[1]
    print_ = parquet_fingerprint(parquet)
    assert print_.startswith("parquet-footer-v1:") and parquet_fingerprint(CONTEXT_CSV) == ""
    new = Workspace(files=[FileEntry(str(parquet), fingerprint=print_)], engine="duckdb")
    old = Workspace(files=[FileEntry(str(parquet), sha256=file_sha256(parquet))], engine="duckdb")
    saved = load_workspace(save_workspace(new, tmp_path / "new.tlx.json"))
    assert saved.files[0].fingerprint == print_ and saved.files[0].sha256 == ""
    assert [c.status for c in (*saved.check_files(), *old.check_files())] == [OK, OK]
    moved = tmp_path / "moved.parquet"
    shutil.copy2(parquet, moved)  # a copy that keeps its time: unchanged
    assert open_workspace(new, load=load, relocated={0: moved}).checks[0].status == OK
    stat = parquet.stat()
    os.utime(parquet, (stat.st_atime, stat.st_mtime + 60))  # written again, same bytes
    assert [c.status for c in new.check_files()] == [CHANGED]
    assert [c.status for c in old.check_files()] == [OK]  # the old check: same bytes
    parquet.write_bytes(parquet.read_bytes()[:-1] + b"X")  # damaged: no footer
    assert [c.status for c in (*new.check_files(), *old.check_files())] == [CHANGED, CHANGED]
    assert "not a Parquet file" in new.check_files()[0].message


def test_a_converted_files_sources_come_back_as_they_were_open(tmp_path: Path):
    """A file of two sources beside a file of one's name, one source closed: the
    workspace reopens the other under its name; an older workspace opens both."""
    from tests.conftest import UCDP_SAMPLE
    from timeline_app.cli import main
    from timeline_app.model.provenance import ExportChoice, command_argv

    both = tmp_path / "both.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(both)]) == 0
    context, ucdp = CONTEXT_CSV.stem, UCDP_SAMPLE.stem
    state = AppState()
    state.add_dataset(load(CONTEXT_CSV))
    state.add_dataset(load(both))
    assert [d.name for d in state.table.datasets] == [context, ucdp, f"{context} (2)"]
    assert command_argv(state.table.datasets, ExportChoice(tmp_path / "x.csv")) is not None
    state.remove_dataset(ucdp)
    # The file would open with the closed source: no command gives these rows.
    assert command_argv(state.table.datasets, ExportChoice(tmp_path / "x.csv")) is None
    saved = save_workspace(capture(state), tmp_path / "ws")
    files = json.loads(saved.read_text(encoding="utf-8"))["files"]
    assert [(f.get("name"), f.get("sources")) for f in files] == [
        (context, None),
        (None, {context: f"{context} (2)"}),
    ]
    opened = open_workspace(saved, load=load)
    assert [(d.name, len(d)) for d in opened.datasets] == [(context, 18), (f"{context} (2)", 18)]
    assert opened.datasets[1].source["format"] == "native" and opened.datasets[1].path == both
    older = json.loads(saved.read_text(encoding="utf-8"))
    older["files"][1] = {"path": "both.parquet", "sha256": "", "name": "both"}
    saved.write_text(json.dumps(older), encoding="utf-8")
    opened = open_workspace(saved, load=load)
    assert [d.name for d in opened.datasets] == [context, ucdp, f"{context} (2)"]


def test_a_converted_file_opened_again_after_closing_a_source_reopens_as_it_was(tmp_path: Path):
    """A file of two sources, one closed, then the file opened again: three datasets of
    one path side by side. The workspace took them for one file (its 'sources' keeping
    one name per source), so it reopened two datasets, in the file's order: the first
    open's remaining source and its 18 rows were lost."""
    from tests.conftest import UCDP_SAMPLE
    from timeline_app.cli import main

    both = tmp_path / "both.parquet"
    assert main(["convert", str(UCDP_SAMPLE), str(CONTEXT_CSV), "-o", str(both)]) == 0
    context, ucdp = CONTEXT_CSV.stem, UCDP_SAMPLE.stem
    state = AppState()
    state.add_dataset(load(both))
    state.remove_dataset(ucdp)
    state.add_dataset(load(both))
    shown = [(d.name, len(d)) for d in state.table.datasets]
    assert [name for name, _ in shown] == [context, ucdp, f"{context} (2)"]
    saved = save_workspace(capture(state), tmp_path / "ws")
    opened = open_workspace(saved, load=load)
    assert [(d.name, len(d)) for d in opened.datasets] == shown
