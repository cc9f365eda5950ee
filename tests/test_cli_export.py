"""``timeline-app export``: the GUI's rows and order from a terminal, a provenance sidecar
whose command line re-creates the identical file, and one-line failures."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CONTEXT_CSV
from timeline_app.cli import main
from timeline_app.formats.registry import load
from timeline_app.model.export import choose_rows
from timeline_app.model.filters import FilterSpec
from timeline_app.model.provenance import read_provenance, sidecar_path
from timeline_app.model.state import AppState, TimeRange


def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
    """The real program in a fresh interpreter, as a researcher would run it."""
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def ids(path: Path) -> list[str]:
    return pd.read_csv(path, dtype=str, keep_default_na=False)["id"].tolist()


def gui_ids(spec: FilterSpec, sort=(), scope="filtered", time_range=None) -> list[str]:
    state = AppState()
    state.add_dataset(load(CONTEXT_CSV))
    state.set_filter(spec)
    state.set_sort(list(sort))
    state.set_range(time_range)
    return [str(v) for v in state.table.df["id"].to_numpy()[choose_rows(state, scope)]]


def reproduce(sidecar: Path, out: Path) -> subprocess.CompletedProcess:
    """Run the sidecar's command line, writing to ``out`` instead."""
    argv = read_provenance(sidecar)["argv"]
    assert argv[:2] == ["timeline-app", "export"]
    argv = list(argv[1:])
    argv[argv.index("-o") + 1] = str(out)
    return run_cli(*argv)


def test_filters_or_within_and_across_options_like_the_gui(tmp_path: Path):
    out = tmp_path / "out.csv"
    args = ["--category", "attack", "--category", "mourning", "--actor", "JNIM"]
    assert main(["export", str(CONTEXT_CSV), *args, "-o", str(out)]) == 0
    expected = gui_ids(FilterSpec(categories=("attack", "mourning"), actors=("JNIM",)))
    assert ids(out) == expected
    # JNIM's attacks only: the mourning period has no JNIM actor.
    assert set(expected) == {"ctx-08", "ctx-09", "ctx-10", "ctx-11", "ctx-12"}


def test_dates_overlap_inclusively_and_sort_is_kept(tmp_path: Path):
    out = tmp_path / "out.csv"
    code = main(
        [
            "export",
            str(CONTEXT_CSV),
            "--from",
            "2023-09-08",
            "--to",
            "2023-09-08",
            "--sort",
            "title:desc",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    spec = FilterSpec(date_from=datetime(2023, 9, 8), date_to=datetime(2023, 9, 8))
    expected = gui_ids(spec, sort=[("title", False)])
    assert ids(out) == expected
    # The blockade (1 Aug - 9 Sep) and the mourning (8-10 Sep) overlap the day.
    assert {"ctx-03", "ctx-11", "ctx-12", "ctx-13"} <= set(expected)


@pytest.mark.parametrize(
    ("extra", "name"),
    [
        ([], "plain.csv"),
        (["--bom", "--actor", "JNIM", "--sort", "start:desc"], "bom.csv"),
        (["--format-out", "parquet", "--category", "attack"], "attacks.parquet"),
        (["--columns", "original", "--region", "Gao"], "original.csv"),
        (["--range", "2023-09-05", "2023-09-09T23:59:59", "--exclude-unknown-fatalities"], "r.csv"),
        (["--id", "mali_2023_context:ctx-12", "--id", "ctx-09"], "picked.csv"),
    ],
)
def test_sidecar_command_reproduces_the_identical_file(tmp_path: Path, extra, name):
    out = tmp_path / name
    result = run_cli("export", CONTEXT_CSV, *extra, "-o", out)
    assert result.returncode == 0, result.stderr
    sidecar = sidecar_path(out)
    assert sidecar.is_file()
    again = tmp_path / "again" / name
    again.parent.mkdir()
    result = reproduce(sidecar, again)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == out.read_bytes()
    assert (
        read_provenance(sidecar_path(again))["argv"][:-1] == read_provenance(sidecar)["argv"][:-1]
    )


def test_selected_ids_give_exactly_those_events(tmp_path: Path):
    out = tmp_path / "picked.csv"
    code = main(
        ["export", str(CONTEXT_CSV), "--id", "ctx-12", "--id", "mali_2023_context:ctx-09"]
        + ["-o", str(out)]
    )
    assert code == 0
    assert ids(out) == ["ctx-09", "ctx-12"]
    data = read_provenance(sidecar_path(out))
    assert data["scope"] == "selected" and data["row_count"] == 2
    assert {"dataset": "mali_2023_context", "id": "ctx-09"} in data["selection"]


def test_range_ignoring_filters_is_a_scope(tmp_path: Path):
    out = tmp_path / "range.csv"
    args = ["--actor", "JNIM", "--range", "2023-09-07", "2023-09-08T23:59:59"]
    assert main(["export", str(CONTEXT_CSV), *args, "--scope", "range_all", "-o", str(out)]) == 0
    rng = TimeRange(pd.Timestamp("2023-09-07").value, pd.Timestamp("2023-09-08T23:59:59").value)
    expected = gui_ids(FilterSpec(actors=("JNIM",)), scope="range_all", time_range=rng)
    assert ids(out) == expected and "ctx-13" in expected  # mourning: not a JNIM event
    assert read_provenance(sidecar_path(out))["filter"] is None


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["-o", "/no/such/folder/out.csv"], "does not exist"),
        (["-o", "{tmp}"], "is a folder"),
        (["--from", "someday", "-o", "{tmp}/x.csv"], "--from 'someday': not a date"),
        (["--columns", "original", "--format-out", "xlsx", "-o", "{tmp}/x.xlsx"], None),
        (["--sort", "colour", "-o", "{tmp}/x.csv"], "unknown column 'colour'"),
    ],
)
def test_failures_exit_non_zero_with_one_line(tmp_path: Path, args, reason):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run_cli("export", CONTEXT_CSV, *args)
    if reason is None:  # a valid request: succeeds
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_input_is_one_line(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("just,some\nrandom,text\n")
    result = run_cli("export", bad, tmp_path / "missing.csv", "-o", tmp_path / "out.csv")
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_existing_file_survives_a_failed_cli_export(tmp_path: Path):
    out = tmp_path / "keep.csv"
    out.write_text("good\n")
    result = run_cli("export", CONTEXT_CSV, "--columns", "original", "--sort", "x", "-o", out)
    assert result.returncode != 0
    assert out.read_text() == "good\n"


def test_workspace_gives_its_files_filter_and_sort(tmp_path: Path):
    workspace = pytest.importorskip("timeline_app.model.workspace")
    state = AppState()
    state.add_dataset(load(CONTEXT_CSV))
    state.set_filter(FilterSpec(categories=("withdrawal",)))
    state.set_sort([("start", False)])
    path = workspace.save_workspace(workspace.capture(state), tmp_path / "w.tlx.json")
    out = tmp_path / "ws.csv"
    assert main(["export", "--workspace", str(path), "-o", str(out)]) == 0
    expected = [str(v) for v in state.table.df["id"].to_numpy()[state.visible]]
    assert ids(out) == expected
    # The sidecar's command stands alone (files and filters, no workspace).
    again = tmp_path / "again.csv"
    result = reproduce(sidecar_path(out), again)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == out.read_bytes()
    assert "--workspace" not in read_provenance(sidecar_path(out))["argv"]


def test_two_sources_and_ucdp_original_columns_reproduce(tmp_path: Path):
    from tests.conftest import UCDP_SAMPLE

    for name, extra in (
        ("both.csv", ["--actor", "JNIM", "--sort", "fatalities:desc", "--sort", "start"]),
        (
            "ucdp.csv",
            ["--dataset", "ucdp_ged251_mali_jnim_2023H2", "--columns", "original", "--bom"],
        ),
    ):
        out = tmp_path / name
        result = run_cli("export", CONTEXT_CSV, UCDP_SAMPLE, *extra, "-o", out)
        assert result.returncode == 0, result.stderr
        data = read_provenance(sidecar_path(out))
        assert [s["format"] for s in data["sources"]] == ["native", "ucdp"]
        assert data["sources"][1]["licence"] == "CC BY 4.0"
        assert "--format" not in data["argv"]  # two readers: each file is sniffed again
        again = tmp_path / "again" / name
        again.parent.mkdir(exist_ok=True)
        result = reproduce(sidecar_path(out), again)
        assert result.returncode == 0, result.stderr
        assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    "spec",
    [
        FilterSpec(),
        FilterSpec(actors=("JNIM", "-dash first"), regions=("Gao",), text='say "hi", -x'),
        FilterSpec(
            categories=("attack",),
            event_types=("Attack",),
            sub_event_types=("Attack on airport",),
            datasets=("mali_2023_context",),
            date_from=datetime(2023, 9, 1, 6, 30),
            date_to=datetime(2023, 9, 8),
            fatalities_min=10.5,
            fatalities_max=100,
            include_unknown_fatalities=False,
        ),
    ],
)
def test_a_spec_survives_the_command_line(spec: FilterSpec, tmp_path: Path):
    from timeline_app.commands.export import build_parser, prepare
    from timeline_app.model.provenance import ExportChoice, command_argv

    datasets = [load(CONTEXT_CSV)]
    argv = command_argv(datasets, ExportChoice(out=tmp_path / "x.csv", spec=spec))
    args = build_parser().parse_args(argv[2:])
    state, choice = prepare(args)
    assert choice.spec == spec
    assert choice.out == (tmp_path / "x.csv").resolve()


def test_a_large_selection_is_read_back_from_the_sidecar(tmp_path: Path, monkeypatch):
    from timeline_app.model import provenance

    monkeypatch.setattr(provenance, "MAX_INLINE_IDS", 2)  # "large": more than two
    out = tmp_path / "many.csv"
    picked = ["ctx-13", "ctx-03", "ctx-09"]
    args = [a for i in picked for a in ("--id", i)]
    assert main(["export", str(CONTEXT_CSV), *args, "--sort", "title", "-o", str(out)]) == 0
    data = read_provenance(sidecar_path(out))
    argv = data["argv"]
    assert "--id" not in argv
    assert argv[argv.index("--ids-from") + 1] == str(sidecar_path(out).resolve())
    assert len(data["selection"]) == 3
    again = tmp_path / "again.csv"
    result = reproduce(sidecar_path(out), again)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == out.read_bytes()
    assert sorted(ids(again)) == sorted(picked)
    # A plain list of keys works too.
    keys = tmp_path / "keys.txt"
    keys.write_text("mali_2023_context:ctx-03\nctx-13\n\n")
    third = tmp_path / "third.csv"
    assert main(["export", str(CONTEXT_CSV), "--ids-from", str(keys), "-o", str(third)]) == 0
    assert ids(third) == ["ctx-03", "ctx-13"]


def test_datasets_named_otherwise_than_their_files_keep_their_names(tmp_path: Path):
    """Open the sample twice, close the first: the other is still "... (2)"."""
    from timeline_app.model.dataset import file_sha256
    from timeline_app.model.export import export_rows
    from timeline_app.model.provenance import ExportChoice, build_provenance, write_provenance

    state = AppState()
    state.add_dataset(load(CONTEXT_CSV))
    state.add_dataset(load(CONTEXT_CSV))
    state.remove_dataset("mali_2023_context")
    assert [d.name for d in state.table.datasets] == ["mali_2023_context (2)"]
    state.set_filter(FilterSpec(datasets=("mali_2023_context (2)",), categories=("attack",)))
    state.select([1, 8, 9])
    rows = choose_rows(state, "selected")
    out = tmp_path / "renamed.csv"
    export_rows(state.table, rows, out)
    choice = ExportChoice(
        out=out,
        scope="selected",
        spec=state.spec,
        selection=[("mali_2023_context (2)", i) for i in ("ctx-09", "ctx-10")],
    )
    argv = build_provenance(state.table, rows, choice)["argv"]
    assert argv[argv.index("--name") + 1] == "mali_2023_context (2)"
    write_provenance(out, build_provenance(state.table, rows, choice, file_sha256(out)))
    again = tmp_path / "again.csv"
    result = reproduce(sidecar_path(out), again)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == out.read_bytes()
    assert set(pd.read_csv(again)["dataset"]) == {"mali_2023_context (2)"}
