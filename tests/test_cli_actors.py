"""``--actor`` through the actor dictionary on the command line, and ``--no-aliases``."""

from __future__ import annotations

import shlex

import pandas as pd

from tests.model.actor_fixtures import acled_file, gtd_file, ucdp_file
from timeline_app.cli import main
from timeline_app.model.actors import active_dictionary
from timeline_app.model.provenance import read_provenance, sidecar_path


def exported(path) -> set[tuple[str, str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return set(zip(frame["dataset"], frame["id"], strict=True))


def test_actor_jnim_takes_every_datasets_jnim_and_says_which_dictionary(tmp_path):
    files = [acled_file(tmp_path), gtd_file(tmp_path), ucdp_file(tmp_path)]
    out = tmp_path / "jnim.csv"
    assert main(["export", *map(str, files), "--actor", "JNIM", "-o", str(out)]) == 0
    assert exported(out) == {
        ("acled_actors", "MLI1"),
        ("gtd_actors", "202309100001"),
        ("ucdp_actors", "903"),
    }
    provenance = read_provenance(sidecar_path(out))
    assert provenance["actor_dictionary"]["version"] == active_dictionary().version
    # The recorded command gives the same rows.
    again = tmp_path / "again.csv"
    argv = shlex.split(provenance["command"])[1:]
    argv[argv.index("-o") + 1] = str(again)
    assert main(argv) == 0
    assert exported(again) == exported(out)


def test_no_aliases_and_uncertain_attributions_on_the_command_line(tmp_path):
    files = [str(acled_file(tmp_path)), str(ucdp_file(tmp_path))]
    raw = tmp_path / "raw.csv"
    assert main(["export", *files, "--actor", "JNIM", "--no-aliases", "-o", str(raw)]) == 0
    assert exported(raw) == {("ucdp_actors", "903")}
    assert "--no-aliases" in read_provenance(sidecar_path(raw))["argv"]
    assert read_provenance(sidecar_path(raw))["actor_dictionary"] is None
    unsure = tmp_path / "unsure.csv"
    argv = ["export", *files, "--actor", "jnim", "--include-uncertain-actors", "-o", str(unsure)]
    assert main(argv) == 0
    assert ("acled_actors", "MLI6") in exported(unsure)
