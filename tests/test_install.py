"""Installed like a desktop app: a wheel installed anywhere opens the bundled sample,
with the icon and the .desktop entry as package data."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (found,) = out.glob("timeline_app-*.whl")
    return found


def test_the_wheel_carries_the_sample_boundaries_icons_and_desktop_entry(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    sample = {p.name for p in (REPO / "data").iterdir() if p.suffix in (".csv", ".json", ".md")}
    assert {f"timeline_app/sample/{n}" for n in sample} <= names
    assert "timeline_app/resources/geo/boundaries.npz" in names
    assert "timeline_app/resources/timeline-app.desktop" in names
    assert "timeline_app/resources/icons/timeline-app.svg" in names
    assert "timeline_app/resources/icons/timeline-app-48.png" in names
    # Compiled translations, wherever they sit in the package, are carried too.
    for qm in (REPO / "timeline_app").rglob("*.qm"):
        assert qm.relative_to(REPO).as_posix() in names


def test_an_installed_wheel_opens_the_bundled_sample_from_any_folder(wheel: Path, tmp_path):
    """A fresh venv outside the repository (its dependencies taken from this one's
    site-packages, so nothing is downloaded), run from an unrelated folder."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Without PYTHONPATH: a checkout on it (its .egg-info) reads as "already installed".
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
        + ["--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    assert Path(purelib, "timeline_app", "sample").is_dir()
    # Then the dependencies: a .pth line adds this venv's folder, not the .pth files in
    # it (so this checkout's editable install is not seen).
    Path(purelib, "deps.pth").write_text(site.getsitepackages()[0] + "\n", encoding="utf-8")
    elsewhere = tmp_path / "somewhere"
    elsewhere.mkdir()
    shot = elsewhere / "shot.png"
    done = subprocess.run(
        [str(venv / "bin" / "timeline-app"), "--screenshot", str(shot)],
        cwd=elsewhere,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 50_000  # the window, with the sample's events in it
    where = subprocess.run(
        [str(python), "-c", "from timeline_app import paths; print(paths.SAMPLE_FILES[0])"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(where).is_file() and Path(purelib) in Path(where).parents
