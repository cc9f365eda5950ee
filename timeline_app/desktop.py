"""``timeline-app install-desktop``: put the app in the Linux desktop's menu.

Writes the .desktop entry (resources/timeline-app.desktop) into
``$XDG_DATA_HOME/applications`` (``~/.local/share/applications``) with its ``Exec`` set
to this installation's own ``timeline-app`` (a venv's or pipx's, which need not be on
the PATH the desktop sees), and the icon into the hicolor theme beside it. Nothing
needs root; ``--uninstall`` removes what it wrote.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from timeline_app.paths import DESKTOP_FILE, ICONS_DIR

APP_ID = "timeline-app"


def data_home() -> Path:
    """The user's XDG data folder (the freedesktop spec's default when unset)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value else Path.home() / ".local" / "share"


def launcher() -> str:
    """The Exec command of this installation: its ``timeline-app`` script beside the
    interpreter (venv, pipx), else the one on PATH, else ``python -m timeline_app``."""
    beside = Path(sys.executable).with_name(APP_ID)
    found = str(beside) if beside.is_file() else shutil.which(APP_ID)
    if found:
        return _quote(found)
    return f"{_quote(sys.executable)} -m timeline_app"


def _quote(arg: str) -> str:
    """An Exec argument, quoted as the desktop entry spec asks when it needs it."""
    if not any(c in arg for c in " \t\"'\\><~|&;$*?#()`"):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
    return '"' + escaped.replace("$", "\\$") + '"'


def entry_text(exec_command: str) -> str:
    lines = DESKTOP_FILE.read_text(encoding="utf-8").splitlines()
    out = [f"Exec={exec_command} %F" if line.startswith("Exec=") else line for line in lines]
    return "\n".join(out) + "\n"


def _png_sizes() -> list[str]:
    """The sizes shipped, from the PNGs' names (``timeline-app-48.png`` -> "48")."""
    return sorted((p.stem.rsplit("-", 1)[1] for p in ICONS_DIR.glob(f"{APP_ID}-*.png")), key=int)


def installed_paths(home: Path) -> list[Path]:
    """The entry, the scalable icon, then one PNG per size (in ``_png_sizes`` order)."""
    icons = home / "icons" / "hicolor"
    return [
        home / "applications" / f"{APP_ID}.desktop",
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        *(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in _png_sizes()),
    ]


def install(home: Path | None = None) -> list[Path]:
    """Write the entry and the icons; returns the files written."""
    home = home or data_home()
    entry, svg, *pngs = paths = installed_paths(home)
    sources = [ICONS_DIR / f"{APP_ID}-{size}.png" for size in _png_sizes()]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(entry_text(launcher()), encoding="utf-8")
    shutil.copyfile(ICONS_DIR / f"{APP_ID}.svg", svg)
    for source, target in zip(sources, pngs, strict=True):
        shutil.copyfile(source, target)
    _refresh(home)
    return paths


def uninstall(home: Path | None = None) -> list[Path]:
    removed = []
    for path in installed_paths(home or data_home()):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def _refresh(home: Path) -> None:
    """Tell the menus (where the tools exist; they are optional)."""
    for command in (
        ["update-desktop-database", str(home / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", str(home / "icons" / "hicolor")],
    ):
        if shutil.which(command[0]):
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(command, check=False, capture_output=True, timeout=30)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="timeline-app install-desktop",
        description="Add Incident Timeline Explorer to the desktop's applications menu "
        "(Linux, for this user).",
    )
    parser.add_argument("--uninstall", action="store_true", help="remove it again")
    args = parser.parse_args(argv)
    if args.uninstall:
        for path in uninstall():
            print(f"removed {path}")
        return 0
    entry, *_ = install()
    print(f"installed {entry} (Exec={launcher()})")
    return 0
