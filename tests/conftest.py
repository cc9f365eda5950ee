import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED_DATA = REPO.parent / "shared" / "data"
CONTEXT_CSV = DATA / "mali_2023_context.csv"
UCDP_SAMPLE = DATA / "ucdp_ged251_mali_jnim_2023H2.csv"


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
