"""The layers stay apart: the import-linter contracts of pyproject.toml hold.

`make lint` checks them too; here they also guard every run of the suite, so that an
import that crosses a layer fails where it is made, not later in CI.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def lint_imports() -> str:
    found = Path(sys.executable).with_name("lint-imports")
    if found.exists():
        return str(found)
    on_path = shutil.which("lint-imports")
    if on_path is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    return on_path


def test_the_import_contracts_hold(tmp_path) -> None:
    run = subprocess.run(
        [lint_imports(), "--cache-dir", str(tmp_path / "cache")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_a_forbidden_import_would_be_caught(tmp_path) -> None:
    """The check is not vacuous: a copy of the package whose model imports Qt fails it."""
    package = tmp_path / "timeline_app"
    shutil.copytree(REPO / "timeline_app", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "model" / "_probe.py").write_text("import PySide6\n", encoding="utf-8")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    run = subprocess.run(
        [lint_imports(), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
    )
    assert run.returncode != 0
    assert "timeline_app.model._probe -> PySide6" in run.stdout


#: Spellings of the units model/units.py defines once (a second copy drifts apart).
UNIT_SPELLINGS = re.compile(
    r"86_?400|24 ?\* ?3600|3600 ?\* ?24|10 ?\*\* ?9|\b1e9\b|1_000_000_000|6371\.0|365\.25"
)


def package_modules() -> list[Path]:
    return sorted((REPO / "timeline_app").rglob("*.py"))


def test_each_unit_is_defined_once_in_model_units() -> None:
    units = REPO / "timeline_app" / "model" / "units.py"
    found = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in package_modules()
        if path != units
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNIT_SPELLINGS.search(line)
    ]
    assert found == [], "import these from timeline_app.model.units:\n" + "\n".join(found)
    assert UNIT_SPELLINGS.search(units.read_text(encoding="utf-8"))  # the check sees them


def test_values_derived_from_a_table_are_kept_by_the_one_per_table_cache() -> None:
    helper = REPO / "timeline_app" / "model" / "table_cache.py"
    found = [
        str(path.relative_to(REPO))
        for path in package_modules()
        if path != helper and "WeakKeyDictionary" in path.read_text(encoding="utf-8")
    ]
    assert found == [], "keep values per table with timeline_app.model.table_cache.PerTable"


MAX_MODULE_LINES = 600


def test_no_module_is_over_600_lines() -> None:
    """Small modules, each named for what it does (a module that grows past this is split)."""
    sizes = {
        str(path.relative_to(REPO)): len(path.read_text(encoding="utf-8").splitlines())
        for path in package_modules()
    }
    assert len(sizes) > 50 and max(sizes.values()) > 100  # the check sees the package
    too_long = {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES}
    assert too_long == {}, f"split these modules (over {MAX_MODULE_LINES} lines): {too_long}"
