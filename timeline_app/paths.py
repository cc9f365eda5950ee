"""Where the app finds its bundled sample data and resources."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
RESOURCES_DIR = ROOT / "resources"

#: The files opened when the app starts with no file named.
SAMPLE_FILES: tuple[Path, ...] = (
    DATA_DIR / "mali_2023_context.csv",
    DATA_DIR / "ucdp_ged251_mali_jnim_2023H2.csv",
)
