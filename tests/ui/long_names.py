"""A generated native file whose actor, region, event type and dataset names are long."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.conftest import CONTEXT_CSV

ACTORS = (
    "Military Forces of Burkina Faso (2022-) Rapid Intervention Brigade",
    "Jama'at Nusrat al-Islam wal-Muslimin (JNIM) and associated local militias",
    "Protesters (Ethiopia)",
    "Protesters (South Africa)",
    "Unidentified Armed Group (Burkina Faso) operating near the Niger border",
)
REGIONS = (
    "Boucle du Mouhoun administrative region",
    "Centre-Nord administrative region (Kaya)",
    "Hauts-Bassins administrative region",
)
EVENT_TYPES = (
    "Violence against civilians by state forces",
    "State-based conflict between government and rebels",
    "Explosions and remote violence",
)
NAME = "burkina_faso_and_neighbours_acled_full_export_2016_to_2024_resaved"


def write_long_names_file(folder: Path) -> Path:
    """The bundled context file with long names in every grouping column."""
    df = pd.read_csv(CONTEXT_CSV, dtype=str, keep_default_na=False)
    n = len(df)
    df["actor1"] = [ACTORS[i % len(ACTORS)] for i in range(n)]
    df["actor2"] = [ACTORS[(i + 1) % len(ACTORS)] for i in range(n)]
    df["admin1"] = [REGIONS[i % len(REGIONS)] for i in range(n)]
    df["event_type"] = [EVENT_TYPES[i % len(EVENT_TYPES)] for i in range(n)]
    df["dataset"] = NAME
    path = folder / f"{NAME}.csv"
    df.to_csv(path, index=False)
    return path
