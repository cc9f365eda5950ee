"""The app's log: a rotating file in the user's log folder, for the window and every command.

Errors a user sees say what happened in one line; the log keeps their tracebacks (and
what was loaded, cached or refused), so that a bug report can say where it happened.
Help > Open Log Folder shows the folder. ``TIMELINE_APP_LOG_DIR`` puts it elsewhere (the
tests point it at a temporary folder, so they never write to the user's).
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir

LOG_DIR_ENV = "TIMELINE_APP_LOG_DIR"
LOG_NAME = "timeline-app.log"
#: A few runs' worth each; the oldest of the backups is dropped when the file is full.
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"

#: The package's logger: every module logs under it (``logging.getLogger(__name__)``).
APP_LOGGER = "timeline_app"


def log_dir() -> Path:
    """The folder the log is written to (not created here)."""
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    return Path(user_log_dir("timeline-app", appauthor=False))


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the package's log records to the rotating file (idempotent; a second call
    with another log folder moves the file there). Returns the file, or None when the
    folder cannot be written (the app runs without a log then, rather than not at all)."""
    logger = logging.getLogger(APP_LOGGER)
    logger.setLevel(level)
    path = log_file()
    for handler in list(logger.handlers):
        if isinstance(handler, _AppLogHandler):
            if handler.baseFilename == os.path.abspath(path):
                return path
            logger.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _AppLogHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError as err:
        logger.warning("no log file in %s: %s", path.parent, err)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    return path


def stop_logging() -> None:
    """Close the log file (tests, between runs)."""
    logger = logging.getLogger(APP_LOGGER)
    for handler in list(logger.handlers):
        if isinstance(handler, _AppLogHandler):
            logger.removeHandler(handler)
            handler.close()


class _AppLogHandler(RotatingFileHandler):
    """The app's own file handler (told apart from handlers others add)."""
