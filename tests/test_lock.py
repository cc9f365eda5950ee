"""requirements.lock (make lock) pins every dependency within pyproject.toml's ranges,
for every Python the app supports, and never PySide6 6.12.0 below Python 3.12."""

from __future__ import annotations

import sys

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # locked for Python 3.10 (mypy and pytest need it there)
    import tomli as tomllib

PYTHONS = ("3.10", "3.11", "3.12", "3.13")


def _pins() -> list[tuple[str, Version, Marker | None]]:
    pins = []
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", line
        pins.append((canonicalize_name(req.name), Version(spec.version), req.marker))
    return pins


def _environment(python: str) -> dict[str, str]:
    return {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "platform_python_implementation": "CPython",
        "implementation_name": "cpython",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
        "extra": "",
    }


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]
    ]


@pytest.mark.parametrize("python", PYTHONS)
def test_every_dependency_is_locked_within_its_range(python: str):
    env = _environment(python)
    locked: dict[str, list[Version]] = {}
    for name, version, marker in _pins():
        if marker is None or marker.evaluate(env):
            locked.setdefault(name, []).append(version)
    for req in _declared():
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        versions = locked.get(canonicalize_name(req.name))
        assert versions, f"{req.name} is not in requirements.lock: run `make lock`"
        assert len(versions) == 1, f"{req.name} locked twice for Python {python}"
        assert req.specifier.contains(versions[0], prereleases=True), (
            f"{req.name}=={versions[0]} is outside {req.specifier} for Python {python}: "
            "run `make lock`"
        )


def test_pyside_6_12_0_is_never_locked_below_python_3_12():
    for python in ("3.10", "3.11"):
        env = _environment(python)
        for name, version, marker in _pins():
            if name == "pyside6-essentials" and (marker is None or marker.evaluate(env)):
                assert version < Version("6.12"), f"PySide6 {version} on Python {python}"


def test_make_installs_from_the_lock_then_the_app_without_its_dependencies():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    install = makefile.split("\n$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "pip install --quiet -r $(LOCK)" in install
    assert "--no-deps -e ." in install
    assert install.index("-r $(LOCK)") < install.index("--no-deps")
    assert "uv pip compile pyproject.toml --extra test --universal" in makefile
