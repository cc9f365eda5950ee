"""Exports, their provenance and timeline images get the user's normal file mode (the
umask), not the 0600 of a temporary file."""

from __future__ import annotations

import os
import stat

import pytest

from timeline_app.model.provenance import write_provenance


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_provenance_gets_the_users_mode(tmp_path, umask_022):
    out = tmp_path / "out.csv"
    out.write_text("x\n")
    assert mode(write_provenance(out, {"filter": {}})) == 0o644


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_a_timeline_image_gets_the_users_mode(make_window, tmp_path, umask_022, suffix):
    window = make_window()
    path = window.timeline.export_image(tmp_path / f"t{suffix}", 600, 400)
    assert mode(path) == 0o644
