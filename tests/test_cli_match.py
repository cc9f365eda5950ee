"""``timeline-app match`` and ``export --match``: pairs by the published rule, one JSON
object, a pairs CSV, match columns that never double-count, and a provenance that
records the rule."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.cli import main
from timeline_app.model.provenance import read_provenance, sidecar_path

HEADER = "id,category,start,end,title,actor1,latitude,longitude,fatalities,source"


def native(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    first = native(
        tmp_path / "acled_like.csv",
        [
            "a1,attack,2023-09-07,2023-09-07,Attack on Bamba,JNIM,17.03,-1.40,65,Report A",
            "a2,attack,2023-09-08,2023-09-08,Attack on Gao,JNIM,16.27,-0.04,,Report A",
            "a3,attack,2023-09-20,2023-09-20,Somewhere else,JNIM,14.50,-4.20,3,Report A",
            "a4,attack,2023-09-07,2023-09-07,No place,JNIM,,,2,Report A",
        ],
    )
    second = native(
        tmp_path / "ucdp_like.csv",
        [
            "b1,attack,2023-09-07,2023-09-07,Bamba clash,JNIM,17.05,-1.41,49,Report B",
            "b2,attack,2023-09-09,2023-09-09,Gao clash,JNIM,16.30,-0.05,7,Report B",
            "b3,attack,2023-09-07,2023-09-07,Near Bamba too,JNIM,17.10,-1.40,1,Report B",
        ],
    )
    return first, second


def test_match_json_gives_the_pairs_and_the_candidates(two_files, capsys):
    first, second = two_files
    assert main(["match", str(first), str(second), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(p["a_id"], p["b_id"]) for p in report["pairs"]] == [("a1", "b1"), ("a2", "b2")]
    assert report["candidates"] == 3  # a1-b3 is "also possible"
    assert [(p["a_id"], p["b_id"]) for p in report["also_possible"]] == [("a1", "b3")]
    pair = report["pairs"][0]
    assert set(pair) == {"a_dataset", "a_id", "b_dataset", "b_id", "km", "days", "score"}
    assert (pair["a_dataset"], pair["b_dataset"]) == ("acled_like", "ucdp_like")
    assert report["rule"]["days"] == 2 and report["rule"]["km"] == 25
    assert report["a"]["with_coordinates"] == 3


def test_match_writes_a_pairs_csv_and_obeys_days_and_km(two_files, tmp_path, capsys):
    first, second = two_files
    out = tmp_path / "pairs.csv"
    assert main(["match", str(first), str(second), "--days", "0", "--km", "5", "-o", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str)
    assert frame[["a_id", "b_id", "status"]].values.tolist() == [["a1", "b1", "pair"]]
    assert "1 pairs among 1 candidates" in capsys.readouterr().out


def test_match_refuses_bad_parameters_in_one_line(two_files, capsys):
    first, second = two_files
    assert main(["match", str(first), str(second), "--km", "0"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_export_match_adds_groups_and_drops_one_sides_matched_rows(two_files, tmp_path):
    first, second = two_files
    out = tmp_path / "both.csv"
    assert main(["export", str(first), str(second), "--match", "-o", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    groups = dict(zip(frame["id"], frame["match_group"], strict=True))
    assert groups == {"a1": "1", "a2": "2", "a3": "", "a4": "", "b1": "1", "b2": "2", "b3": ""}
    assert frame.loc[frame["id"] == "a1", "match_score"].item() != ""
    provenance = read_provenance(sidecar_path(out))
    assert provenance["match"]["days"] == 2 and provenance["match"]["km"] == 25
    assert "Score = km / K + days / max(D, 1)" in provenance["match"]["rule"]

    single = tmp_path / "single.csv"
    argv = ["export", str(first), str(second), "--match", "--drop-matched-from", "ucdp_like"]
    assert main([*argv, "-o", str(single)]) == 0
    kept = pd.read_csv(single, dtype=str)["id"].tolist()
    assert sorted(kept) == ["a1", "a2", "a3", "a4", "b3"]  # b1 and b2 are a1 and a2 again
    # The recorded command writes the identical file.
    command = shlex.split(read_provenance(sidecar_path(single))["command"])[1:]
    again = tmp_path / "again.csv"
    command[command.index("-o") + 1] = str(again)
    assert main(command) == 0
    assert again.read_bytes() == single.read_bytes()


def test_export_match_needs_two_files_and_a_known_dataset(two_files, tmp_path, capsys):
    first, second = two_files
    out = str(tmp_path / "x.csv")
    assert main(["export", str(first), "--match", "-o", out]) == 2
    assert (
        main(["export", str(first), str(second), "--match", "--drop-matched-from", "x", "-o", out])
        == 2
    )
    assert (
        main(["export", str(first), str(second), "--drop-matched-from", "ucdp_like", "-o", out])
        == 2
    )
    assert not Path(out).exists()


def test_canonical_actor_columns_sit_beside_the_raw_ones(tmp_path):
    out = tmp_path / "canon.csv"
    assert main(["export", str(UCDP_SAMPLE), "--canonical-actors", "-o", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(frame["actor1"]) == {"Government of Mali"}  # raw, as UCDP wrote it
    assert set(frame["actor1_canonical"]) == {"Malian Armed Forces"}
    assert set(frame["actor2_canonical"]) == {"Jama'at Nusrat al-Islam wal-Muslimin"}
    assert read_provenance(sidecar_path(out))["actor_dictionary"]["version"]


def test_the_real_files_have_no_pair_because_the_context_has_no_coordinates(capsys):
    assert main(["match", str(UCDP_SAMPLE), str(CONTEXT_CSV), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pairs"] == [] and report["candidates"] == 0
    assert report["a"]["with_coordinates"] == 60 and report["b"]["with_coordinates"] == 0


def test_a_workspaces_pairs_are_exported_as_the_window_found_them(two_files, tmp_path):
    """The window pairs every event of the two datasets; a filter on the pairs, or their
    columns, then depend on that search: the sidecar records it, and says why no command
    gives the file, while `export --workspace` with the recorded search gives it again."""
    from timeline_app.formats.registry import load
    from timeline_app.model.filters import FilterSpec
    from timeline_app.model.matching import match_datasets
    from timeline_app.model.provenance import ExportChoice, build_provenance
    from timeline_app.model.state import AppState
    from timeline_app.model.workspace import capture, save_workspace

    first, second = two_files
    state = AppState()
    a, b = state.add_dataset(load(first)).name, state.add_dataset(load(second)).name
    state.set_match(match_datasets(state.table, a, b), a, b)
    # Filtered to Gao's day first: among those rows alone, a2 would pair with nothing.
    state.set_filter(FilterSpec(text="gao", matched="matched"))
    found = state.match()
    data = build_provenance(
        state.table,
        state.visible,
        ExportChoice(out=tmp_path / "x.csv", spec=state.spec, match_pairs=found),
    )
    assert data["match"]["filter"] == "matched" and data["match"]["pairs"] == 2
    assert data["match"]["first"] == a and data["match"]["km"] == 25
    assert data["command"] is None and "workspace" in data["command_note"]

    workspace = save_workspace(capture(state), tmp_path / "w.tlx.json")
    out = tmp_path / "gao.csv"
    assert main(["export", "--workspace", str(workspace), "--match", "-o", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert dict(zip(frame["id"], frame["match_group"], strict=True)) == {"a2": "2", "b2": "2"}
    assert read_provenance(sidecar_path(out))["match"]["found_among"].startswith("every event")
