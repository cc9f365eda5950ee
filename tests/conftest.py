import os
import sys
import threading
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED_DATA = REPO.parent / "shared" / "data"
CONTEXT_CSV = DATA / "mali_2023_context.csv"
UCDP_SAMPLE = DATA / "ucdp_ged251_mali_jnim_2023H2.csv"


pytest_plugins = ("pytester",)


@pytest.fixture(autouse=True)
def fail_on_uncaught_exceptions():
    """An exception nobody catches fails the test that raised it.

    pytest-qt records exceptions raised in slots and Qt virtual methods through
    sys.excepthook; this guard makes sure nothing the app installs replaces that hook
    unseen, and fails on exceptions that end a thread (which only warn otherwise)."""
    in_threads: list[threading.ExceptHookArgs] = []
    hook = sys.excepthook
    old_thread_hook = threading.excepthook
    threading.excepthook = in_threads.append
    try:
        yield
    finally:
        threading.excepthook = old_thread_hook
        # pytest-qt puts the default back when it fails a test; anything else is the app's.
        replaced = sys.excepthook not in (hook, sys.__excepthook__)
        if replaced:
            sys.excepthook = sys.__excepthook__
    assert not replaced, "sys.excepthook was replaced: exceptions in slots would go unseen"
    if in_threads:
        first = in_threads[0]
        pytest.fail(
            f"uncaught {first.exc_type.__name__} in thread {first.thread}: {first.exc_value}"
        )


@pytest.fixture
def shared_data() -> Path:
    """The real datasets in ../shared/data; tests using them skip where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Every test gets its own QSettings store and config folder (subprocesses too), so
    tests never see each other's settings nor the user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TIMELINE_APP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TIMELINE_APP_CACHE_DIR", str(tmp_path / "cache"))  # never the user's
    monkeypatch.setenv("TIMELINE_APP_LOG_DIR", str(tmp_path / "logs"))  # never the user's
    monkeypatch.setenv("TIMELINE_APP_STATE_DIR", str(tmp_path / "state"))  # the autosave
    monkeypatch.setenv("TIMELINE_APP_LANG", "en")  # the "system" language: tests read English
    yield from _qt_settings(tmp_path)
    from timeline_app.logs import stop_logging

    stop_logging()  # a test that started the log (cli.main) leaves no file open


def _qt_settings(tmp_path):
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # the model's tests also run where Qt is absent
        yield
        return
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    # QSettings("org", "app") uses the native format whatever the default: isolate both.
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
