"""Killed mid-export (SIGKILL: no cleanup runs), the last good export survives byte for
byte, and the next export into that folder removes the half-written part."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.conftest import REPO, UCDP_SAMPLE
from timeline_app.cli import main
from timeline_app.model.atomic import PART_SUFFIX

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

# `timeline-app export` as a user runs it, but its CSV writer stops for good once it
# has written the header and the first slice of rows, and says so on stdout (no timing race:
# the kill comes while the part file is open and half written).
BLOCKING_EXPORT = """
import sys, threading
import timeline_app.model.export as export
real = export._write_csv

def write_then_block(source, sink, bom, progress, cancelled):
    def progress_then_block(fraction):
        progress(fraction)
        if fraction > 0.05:
            sink.flush()
            print("HALF WRITTEN", flush=True)
            threading.Event().wait()
    real(source, sink, bom, progress_then_block, cancelled)

export._write_csv = write_then_block
export.CHUNK_ROWS = 8  # the sample's rows in several slices: a kill after the first is mid-file
from timeline_app.cli import main
sys.exit(main(["export", *sys.argv[1:]]))
"""


def test_a_killed_export_leaves_the_last_good_file_and_the_next_export_cleans_up(tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "mali.csv"
    assert main(["export", str(UCDP_SAMPLE), "-o", str(target), "--from", "2023-10-01"]) == 0
    before = target.read_bytes()
    provenance = out / "mali.csv.provenance.json"
    provenance_before = provenance.read_bytes()

    # The same export again, with everything this time, killed while it writes.
    child = subprocess.Popen(
        [sys.executable, "-c", BLOCKING_EXPORT, str(UCDP_SAMPLE), "-o", str(target)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "HALF WRITTEN", child.stderr.read() if child.stderr else ""
        (part,) = [p for p in out.iterdir() if p.name.endswith(PART_SUFFIX)]
        half = part.read_bytes()
        assert half.startswith(b"id,")  # it really was writing
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(60)
    assert child.returncode == -signal.SIGKILL

    assert target.read_bytes() == before  # the last good export, byte for byte
    assert provenance.read_bytes() == provenance_before
    assert part.exists()  # the half file is left where the killed process wrote it

    # The next export into that folder (another file) removes the dead writer's part.
    other = out / "all.csv"
    assert main(["export", str(UCDP_SAMPLE), "-o", str(other)]) == 0
    assert not part.exists()
    names = sorted(p.name for p in out.iterdir())
    assert names == ["all.csv", "all.csv.provenance.json", "mali.csv", "mali.csv.provenance.json"]
    assert target.read_bytes() == before
    assert len(other.read_bytes()) > len(half)  # the killed one had written only a part
