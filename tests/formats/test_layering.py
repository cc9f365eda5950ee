"""The formats package's layering: readers import the base module, never the registry,
so nothing needs an import inside a function to dodge a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import timeline_app

PACKAGE = Path(timeline_app.__file__).parent


def _inner_app_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                "timeline_app"
            ):
                found.append(f"{path.name}:{inner.lineno} {inner.module}")
            elif isinstance(inner, ast.Import) and any(
                a.name.startswith("timeline_app") for a in inner.names
            ):
                found.append(f"{path.name}:{inner.lineno}")
    return found


def test_formats_storage_and_commands_import_the_app_only_at_the_top():
    modules = [
        *sorted((PACKAGE / "formats").glob("*.py")),
        *sorted((PACKAGE / "storage").glob("*.py")),
        *sorted((PACKAGE / "commands").glob("*.py")),
    ]
    inner = [hit for path in modules for hit in _inner_app_imports(path)]
    assert inner == []


def test_no_reader_imports_the_registry():
    for path in sorted((PACKAGE / "formats").glob("*.py")):
        if path.name in ("registry.py", "inspect.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "formats.registry" not in text and "import registry" not in text, path.name


def test_commands_do_not_import_the_cli():
    for path in sorted((PACKAGE / "commands").glob("*.py")):
        assert "timeline_app.cli" not in path.read_text(encoding="utf-8"), path.name


def test_the_reopen_cache_lives_in_storage():
    assert not (PACKAGE / "formats" / "cache.py").exists()
    from timeline_app.storage import cache

    assert callable(cache.entry_for)
