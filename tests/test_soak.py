"""The soak (make soak) fails on what it is meant to catch: a Qt warning, an exception in
a slot, memory that stays, and passes a short clean run. (make test runs the real one for two minutes.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

SCRIPT = """
import sys, tempfile
from pathlib import Path
from tests.soak.run import run

FAULT = sys.argv[1]
count = [0]

def before_step(soak):
    count[0] += 1
    if count[0] != 1:  # the first random step: however slow the machine, it comes
        return
    from PySide6.QtCore import QTimer, qWarning
    if FAULT == "qt-warning":
        qWarning("QPainter::begin: a painter that should not be")
    elif FAULT == "exception":
        QTimer.singleShot(0, lambda: 1 / 0)

def leak(soak):  # 20 MB kept at every step: what a leak of closed files would look like
    before_step(soak)
    if FAULT == "leak":
        kept.append(b"x" * 20 * 2**20)

kept = []

sys.exit(run(0.05 if FAULT != "leak" else 0.15, 7, 0, Path(tempfile.mkdtemp()), leak))
"""


def _soak(fault: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, fault],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_a_short_clean_soak_passes_and_says_what_it_did():
    done = _soak("none")
    assert done.returncode == 0, done.stderr
    assert "soak: passed" in done.stdout and "memory with nothing open" in done.stdout


def test_a_qt_warning_fails_the_soak():
    done = _soak("qt-warning")
    assert done.returncode == 1
    assert "QPainter::begin: a painter that should not be" in done.stderr


def test_an_exception_in_a_slot_fails_the_soak():
    done = _soak("exception")
    assert done.returncode == 1
    assert "ZeroDivisionError" in done.stderr


def test_memory_that_stays_after_the_warm_up_fails_the_soak():
    done = _soak("leak")
    assert done.returncode == 1, done.stdout
    assert "memory grew" in done.stderr


def test_make_test_soaks_for_two_minutes_before_the_suite():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    test = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "tests.soak --minutes 2" in test
    assert test.index("tests.soak") < test.index("pytest")  # pytest's summary comes last
    assert "tests.soak --minutes $(MINUTES)" in makefile.split("\nsoak:", 1)[1]
