"""Can Qt open a window here? Checked before Qt is loaded, so the user reads one clear
line instead of Qt's abort ("could not load the Qt platform plugin xcb ... Aborted").

- No display at all (Linux/BSD with neither DISPLAY nor WAYLAND_DISPLAY, and no
  QT_QPA_PLATFORM such as offscreen): say so, exit 2.
- PySide6's X11 plugin (libqxcb.so) needs system libraries that a fresh Debian or
  Ubuntu lacks (libxcb-cursor0 and friends): ``ldd`` lists the missing ones, and the
  message gives the exact apt and dnf commands that install them.

``python -m timeline_app.syscheck`` (``make run``) runs the check alone.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Library file -> (Debian/Ubuntu package, Fedora package): what Qt's xcb plugin and
#: QtGui load, from the Qt for X11 requirements.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libSM.so.6": ("libsm6", "libSM"),
    "libICE.so.6": ("libice6", "libICE"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
}
#: Exit status when the window cannot open (the command line's usage errors are 2 too).
EXIT_NO_DISPLAY = 2


@dataclass
class Check:
    """What stands between this machine and a window (nothing when ``ok``)."""

    no_display: bool = False
    missing: list[str] = field(default_factory=list)  # library file names

    @property
    def ok(self) -> bool:
        return not self.no_display and not self.missing

    def message(self) -> str:
        if self.no_display:
            return (
                "timeline-app: no display to open the window on (DISPLAY and WAYLAND_DISPLAY "
                "are not set); run it in a desktop session, or use --screenshot OUT.png "
                "or the inspect/export commands without one."
            )
        return missing_message(self.missing)


def missing_message(missing: list[str]) -> str:
    known = [PACKAGES[name] for name in missing if name in PACKAGES]
    unknown = [name for name in missing if name not in PACKAGES]
    apt = sorted({deb for deb, _ in known})
    dnf = sorted({rpm for _, rpm in known})
    lines = [
        "timeline-app: Qt cannot open a window: system libraries are missing: "
        + ", ".join(missing)
        + ".",
    ]
    if known:
        lines += [
            "Install them, then start again:",
            "  Debian/Ubuntu:  sudo apt-get install " + " ".join(apt),
            "  Fedora:         sudo dnf install " + " ".join(dnf),
        ]
    if unknown:
        lines.append(
            "Find the package of " + ", ".join(unknown) + " with `apt-file search NAME` "
            "(Debian/Ubuntu) or `dnf provides '*/NAME'` (Fedora)."
        )
    return "\n".join(lines)


def platform_plugin(env: Mapping[str, str]) -> str | None:
    """The Qt platform plugin this start will use on Linux: "xcb", "wayland", another
    named one, or None where there is no display at all."""
    named = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip().lower()
    if named:
        return named
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE", "") == "wayland":
        return "wayland"
    if env.get("DISPLAY"):
        return "xcb"
    if env.get("WAYLAND_DISPLAY"):
        return "wayland"
    return None


def plugins_dir() -> Path | None:
    """PySide6's platform plugins, found without importing Qt."""
    spec = importlib.util.find_spec("PySide6")
    for root in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(root) / "Qt" / "plugins" / "platforms"
        if folder.is_dir():
            return folder
    return None


def missing_libraries(plugin: Path) -> list[str]:
    """The libraries ``plugin`` (and what it loads) needs but the system lacks, by
    ``ldd``; empty when ldd is not there (then Qt says it, at worst)."""
    ldd = shutil.which("ldd")
    if ldd is None or not plugin.is_file():
        return []
    try:
        done = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_ldd(done.stdout)


def parse_ldd(output: str) -> list[str]:
    """``libxcb-cursor.so.0 => not found`` lines -> their names, each once, in order."""
    missing: list[str] = []
    for line in output.splitlines():
        name, _, where = line.strip().partition(" => ")
        if where.strip() == "not found" and name not in missing:
            missing.append(name)
    return missing


def check(env: Mapping[str, str] | None = None, platform: str | None = None) -> Check:
    """Whether a window can open, as far as can be told without loading Qt."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform in ("win32", "darwin"):  # Qt's own windowing; nothing to check
        return Check()
    plugin = platform_plugin(env)
    if plugin is None:
        return Check(no_display=True)
    folder = plugins_dir()
    if plugin not in ("xcb", "wayland") or folder is None:
        return Check()  # offscreen, minimal, vnc...: no X11 libraries needed
    return Check(missing=missing_libraries(folder / f"libq{plugin}.so"))


def main() -> int:
    result = check()
    if not result.ok:
        print(result.message(), file=sys.stderr)
        return EXIT_NO_DISPLAY
    return 0


if __name__ == "__main__":
    sys.exit(main())
