"""Before Qt loads: no display -> one clear line and exit 2; X11 libraries missing ->
their names and the exact apt and dnf commands, never Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from timeline_app import syscheck
from timeline_app.cli import main

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffc8a1f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f2c1a000000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f2c19f00000)
\tlibxcb-cursor.so.0 => not found
\tlibfoo-unheard-of.so.7 => not found
"""


@pytest.fixture
def fake_ldd(tmp_path, monkeypatch):
    """An ``ldd`` first on PATH that reports what a fresh Debian lacks."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "ldd"
    script.write_text(f"#!/bin/sh\ncat <<'END'\n{LDD_OUTPUT}END\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return script


def test_ldd_output_gives_each_missing_library_once():
    assert syscheck.parse_ldd(LDD_OUTPUT) == [
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libfoo-unheard-of.so.7",
    ]


def test_no_display_is_told_without_qt():
    assert syscheck.check({}, platform="linux").no_display
    assert syscheck.check({"QT_QPA_PLATFORM": "offscreen"}, platform="linux").ok
    assert syscheck.check({}, platform="win32").ok  # Qt's own windowing there


def test_missing_libraries_come_with_the_install_commands(fake_ldd):
    result = syscheck.check({"DISPLAY": ":0"}, platform="linux")
    assert result.missing == ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libfoo-unheard-of.so.7"]
    lines = result.message().splitlines()
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4" in lines[2]
    assert "sudo dnf install xcb-util-cursor xcb-util-wm" in lines[3]
    assert "libfoo-unheard-of.so.7" in lines[4] and "apt-file search" in lines[4]


def test_the_window_does_not_start_without_its_libraries(fake_ldd, monkeypatch, capsys):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4" in err
    assert "sudo dnf install xcb-util-cursor xcb-util-wm" in err


def test_with_no_display_the_app_says_one_line_and_exits_2():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "timeline_app"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path.home(),
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr  # one line, no Qt abort
    assert "no display" in done.stderr
    assert done.stdout == ""


def test_make_run_checks_before_it_starts():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run.index("timeline_app.syscheck") < run.index("timeline-app")


def test_the_readme_install_commands_name_the_packages_the_check_knows():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    apt = readme.split("sudo apt-get install ", 1)[1].split("\n", 1)[0].split()
    dnf = readme.split("sudo dnf install ", 1)[1].split("\n", 1)[0].split()
    assert set(apt) <= {deb for deb, _ in syscheck.PACKAGES.values()}
    assert set(dnf) <= {rpm for _, rpm in syscheck.PACKAGES.values()}
    assert "libxcb-cursor0" in apt and "xcb-util-cursor" in dnf
