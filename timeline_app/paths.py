"""Where the app finds its bundled sample data and resources.

A source checkout keeps the sample in ``data/`` at the top of the repository (where the
README points); an installed wheel carries it inside the package as ``sample/``
(setup.py copies it there), so the app opens it from any folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
_INSTALLED_SAMPLE = PACKAGE_DIR / "sample"
DATA_DIR = _INSTALLED_SAMPLE if _INSTALLED_SAMPLE.is_dir() else ROOT / "data"
#: The app icon, SVG and PNG sizes (tools/build_icons.py), and the .desktop entry.
ICONS_DIR = PACKAGE_DIR / "resources" / "icons"
DESKTOP_FILE = PACKAGE_DIR / "resources" / "timeline-app.desktop"

#: The files opened when the app starts with no file named.
SAMPLE_FILES: tuple[Path, ...] = (
    DATA_DIR / "mali_2023_context.csv",
    DATA_DIR / "ucdp_ged251_mali_jnim_2023H2.csv",
)
