"""The one atomic-write helper: whole new file or the old one, never half."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app.model.atomic import PART_SUFFIX, atomic_open, atomic_write_text, stale_parts


def test_a_failed_write_leaves_the_old_file_and_no_part(tmp_path: Path):
    target = tmp_path / "events.csv"
    target.write_text("good\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(target, "w", encoding="utf-8") as fh:
        fh.write("half")
        raise RuntimeError("disk on fire")
    assert target.read_text(encoding="utf-8") == "good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]


def test_the_file_gets_the_users_normal_mode(tmp_path: Path):
    mask = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "out.provenance.json", "{}\n")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600


def test_a_part_left_by_a_killed_writer_is_recognised_and_cleaned_by_the_next_write(
    tmp_path: Path,
):
    target = tmp_path / "export.csv"
    # A process that starts writing the target, then is killed before it renames.
    script = (
        "import os, sys\n"
        "from timeline_app.model.atomic import atomic_open\n"
        "with atomic_open(sys.argv[1], 'wb') as fh:\n"
        "    fh.write(b'half a file'); fh.flush()\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", script, str(target)], env=env, check=False)
    assert done.returncode != 0
    left = [p for p in tmp_path.iterdir() if p.name.endswith(PART_SUFFIX)]
    assert len(left) == 1 and left[0].name.startswith(".export.csv.")
    assert stale_parts(target) == left
    assert not target.exists()
    atomic_write_text(target, "whole\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]
    assert target.read_text(encoding="utf-8") == "whole\n"


def test_a_part_of_a_live_writer_is_left_alone(tmp_path: Path):
    target = tmp_path / "w.tlx.json"
    live = tmp_path / f".w.tlx.json.{os.getpid()}-abcd1234{PART_SUFFIX}"
    live.write_bytes(b"being written")
    atomic_write_text(target, "{}")
    assert live.exists()


def test_a_dead_writers_part_of_another_file_goes_with_the_next_write_to_the_folder(
    tmp_path: Path,
):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    ).stdout.strip()
    left = tmp_path / f".old export.v2.csv.{dead}-0123abcd{PART_SUFFIX}"
    left.write_bytes(b"half")
    unrelated = tmp_path / ".hidden.tl-part"  # not a part's name: never touched
    unrelated.write_bytes(b"mine")
    assert stale_parts(tmp_path / "other.csv") == [left]
    atomic_write_text(tmp_path / "other.csv", "whole\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".hidden.tl-part", "other.csv"]
