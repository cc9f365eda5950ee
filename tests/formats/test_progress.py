"""What a load says of its progress: the share of the work done, rising, and 1.0 once,
last, when the events are built. It used to say 95% once the bytes were read (a quarter
of the time) and 100% before the events were built; the window showed 100% at the start
of a load, then, beside a second file, 94%."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.formats import acled, gdelt, gtd, registry, text_reader, ucdp
from timeline_app.formats.registry import load
from timeline_app.formats.text_reader import read_text_table

FIXTURES = Path(__file__).parent / "fixtures"

#: (file, module whose function builds the events from what was read, that function)
READERS = [
    (FIXTURES / "acled_current.csv", acled, "acled_dataset"),
    (UCDP_SAMPLE, ucdp, "ucdp_dataset"),
    (FIXTURES / "gtd_sample.csv", gtd, "gtd_dataset"),
    (FIXTURES / "gdelt_v1_header.csv", gdelt, "gdelt_dataset"),
]


def watch(monkeypatch, module, name: str, seen: list[float]) -> list[list[float]]:
    """What had been reported when ``module.name`` was called."""
    snapshots: list[list[float]] = []
    real = getattr(module, name)

    def spy(*args, **kwargs):
        snapshots.append(list(seen))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return snapshots


@pytest.mark.parametrize(
    ("path", "module", "builder"), READERS, ids=[p.name for p, _, _ in READERS]
)
def test_a_load_says_done_once_last_after_building_the_events(monkeypatch, path, module, builder):
    seen: list[float] = []
    at_build = watch(monkeypatch, module, builder, seen)
    at_long_cells = watch(monkeypatch, registry, "note_long_cells", seen)
    load(path, progress=seen.append, use_cache=False)
    assert seen == sorted(seen) and seen[-1] == 1.0 and seen.count(1.0) == 1
    # When the events start being built, the file has been read but the load is not
    # near done; the registry's last checks come before "done" too.
    (before_build,) = at_build
    assert before_build and max(before_build) <= 0.75
    (before_check,) = at_long_cells
    assert max(before_check) < 1.0


def test_the_native_sample_says_done_after_the_long_cell_check(monkeypatch):
    seen: list[float] = []
    at_long_cells = watch(monkeypatch, registry, "note_long_cells", seen)
    load(CONTEXT_CSV, progress=seen.append, use_cache=False)
    assert 1.0 not in at_long_cells[0] and seen[-1] == 1.0


def test_a_text_table_read_to_its_last_byte_is_not_yet_done(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes(b"id,note\n" + b"".join(b"%d,row text\n" % i for i in range(5000)))
    seen: list[float] = []
    at_finish = watch(monkeypatch, text_reader, "finish", seen)
    read_text_table(path, progress=seen.append)
    # The bytes are under half of the work: the columns are still to be built.
    assert 0 < max(at_finish[0]) <= text_reader.READ_SHARE < 1.0
    assert seen[-1] == 1.0
