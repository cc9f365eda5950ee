"""The model must run without Qt: import every module under timeline_app.model in a
fresh interpreter where PySide6 cannot be imported, and check none of it pulls Qt in."""

import pkgutil
import subprocess
import sys

import timeline_app.model

BLOCK_QT = """
import sys, importlib.abc
class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'pyqtgraph'):
            raise ImportError('Qt imported from the model: ' + name)
sys.meta_path.insert(0, NoQt())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print('ok')
"""


def model_modules() -> list[str]:
    return [
        m.name for m in pkgutil.walk_packages(timeline_app.model.__path__, "timeline_app.model.")
    ]


def test_every_model_module_imports_without_qt():
    modules = model_modules()
    assert "timeline_app.model.filters" in modules  # the walk found the real modules
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, *modules], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_guard_itself_catches_a_qt_import():
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, "PySide6.QtCore"], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Qt imported from the model" in result.stderr
