"""`make translations`: extract the interface's strings into the .ts files and compile
them into the .qm files the app loads (timeline_app/resources/translations).

Uses Qt's own tools as PySide6(-Essentials) ships them (`lupdate`, `lrelease` beside the
package; `pyside6-lupdate` and `pyside6-lrelease` are wrappers around them). The .ts
carry no line numbers (``-locations none``), so that editing a module does not change
them; strings no longer in the code are dropped (``-no-obsolete``).

The Qt-free layers (model/, formats/, storage/, commands/) mark what they say to a
person with ``N_("template", **params)`` (timeline_app/model/messages.py), which lupdate
does not know: this tool collects those templates itself and hands them to lupdate as
``QT_TRANSLATE_NOOP("Messages", …)`` lines of a scratch file, so they land in the .ts
like the interface's own strings.

    python tools/translations.py            update the .ts, then compile the .qm
    python tools/translations.py --check    fail if a .ts or .qm is not up to date
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "timeline_app"
FOLDER = PACKAGE / "resources" / "translations"
LANGUAGES = ("fr",)


def ts_path(lang: str) -> Path:
    return FOLDER / f"timeline_app_{lang}.ts"


def qm_path(lang: str) -> Path:
    return FOLDER / f"timeline_app_{lang}.qm"


def tool(name: str) -> str:
    """Qt's ``lupdate`` or ``lrelease`` from the PySide6 package (or the PATH)."""
    import PySide6

    here = Path(PySide6.__file__).resolve().parent
    for candidate in (here / name, here / "Qt" / "libexec" / name, here / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: PySide6 ships it (pip install PySide6-Essentials)")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py"))


#: The Qt-free layers and the figures, whose messages are marked with N_() (model/messages.py).
MESSAGE_LAYERS = ("model", "formats", "storage", "commands", "figures")
MESSAGE_CONTEXT = "Messages"  # model/messages.py CONTEXT


def marked_messages() -> list[str]:
    """Every literal template of an ``N_("…")`` call in the Qt-free layers, in order."""
    found: dict[str, None] = {}
    for layer in MESSAGE_LAYERS:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                if node.func.id != "N_" or not node.args:
                    continue
                first = node.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    raise SystemExit(f"{path}:{node.lineno}: N_() needs a literal template")
                found[first.value] = None
    return list(found)


def _literal(text: str) -> str:
    """``text`` as a double-quoted Python literal lupdate reads back as ``text``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def update(ts: Path, lang: str) -> None:
    """Merge the code's strings into ``ts`` (new ones unfinished, gone ones dropped)."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "marked_messages.py"
        scratch.write_text(
            "".join(
                f'QT_TRANSLATE_NOOP("{MESSAGE_CONTEXT}", {_literal(m)})\n'
                for m in marked_messages()
            ),
            encoding="utf-8",
        )
        cmd = [tool("lupdate"), "-silent", "-locations", "none", "-no-obsolete"]
        cmd += ["-target-language", lang, *sources(), str(scratch), "-ts", str(ts)]
        subprocess.run(cmd, cwd=ROOT, check=True)
    # lupdate reads the code's "#:" comments (this project's attribute docs) as notes to
    # translators, and pins each to whatever string follows it: drop them.
    text = ts.read_text(encoding="utf-8")
    ts.write_text(re.sub(r"\n *<extracomment>.*?</extracomment>", "", text, flags=re.S), "utf-8")


def release(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], cwd=ROOT, check=True)


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """Every (context, source text) of a .ts and its <translation> element."""
    out: dict[tuple[str, str], ET.Element] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{ts}: a message without a translation element"
            out[(name, message.findtext("source") or "")] = translation
    return out


def unfinished(ts: Path) -> list[str]:
    """Source texts without a finished translation ("context: text")."""
    bad = []
    for (context, source), translation in messages(ts).items():
        forms = translation.findall("numerusform") or [translation]
        empty = any(not (f.text or "").strip() for f in forms)
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or empty:
            bad.append(f"{context}: {source}")
    return bad


def stale(lang: str) -> list[str]:
    """What is out of date for ``lang``: strings in the code missing from the .ts (or in
    it but gone from the code), and a .qm that is not the compiled .ts."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh_ts = Path(tmp) / ts_path(lang).name
        shutil.copy(ts_path(lang), fresh_ts)
        update(fresh_ts, lang)
        have, want = set(messages(ts_path(lang))), set(messages(fresh_ts))
        problems += [f"not in the .ts (run make translations): {c}: {s}" for c, s in want - have]
        problems += [f"no longer in the code: {c}: {s}" for c, s in have - want]
        fresh_qm = Path(tmp) / qm_path(lang).name
        release(ts_path(lang), fresh_qm)
        if not qm_path(lang).is_file() or fresh_qm.read_bytes() != qm_path(lang).read_bytes():
            problems.append(f"{qm_path(lang).name} is not the compiled .ts: run make translations")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say what is out of date")
    args = parser.parse_args(argv)
    if args.check:
        problems = [p for lang in LANGUAGES for p in stale(lang) + unfinished(ts_path(lang))]
        print("\n".join(problems) or "translations up to date")
        return 1 if problems else 0
    FOLDER.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        update(ts_path(lang), lang)
        release(ts_path(lang), qm_path(lang))
        left = unfinished(ts_path(lang))
        if left:
            print(f"{ts_path(lang).name}: {len(left)} strings to translate", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
