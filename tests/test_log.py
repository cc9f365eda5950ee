"""Every command logs to the user's log folder (here the test's own: tests/conftest.py);
an unforeseen error says one line and leaves its traceback in the log."""

from __future__ import annotations

import logging

from tests.conftest import CONTEXT_CSV
from timeline_app import cli
from timeline_app.commands import inspect
from timeline_app.logs import LOG_DIR_ENV, log_file, setup_logging


def test_an_unexpected_error_in_a_command_leaves_its_traceback_in_the_log(monkeypatch, capsys):
    def broken_load(path, *args, **kwargs):
        raise ZeroDivisionError("a bug in a reader")

    monkeypatch.setattr(inspect, "load", broken_load)
    assert cli.main(["inspect", str(CONTEXT_CSV)]) == 2
    err = capsys.readouterr().err
    assert "a bug in a reader" in err and str(log_file()) in err
    assert "Traceback" not in err  # the user's screen gets one line
    logged = log_file().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "in broken_load" in logged


def test_the_log_follows_its_folder_and_never_writes_twice(tmp_path, monkeypatch):
    first = setup_logging()
    assert setup_logging() == first
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "elsewhere"))
    moved = setup_logging()
    assert moved == tmp_path / "elsewhere" / "timeline-app.log"
    logging.getLogger("timeline_app.test").warning("one line")
    assert moved.read_text(encoding="utf-8").count("one line") == 1
    assert "one line" not in (first.read_text(encoding="utf-8") if first.exists() else "")
