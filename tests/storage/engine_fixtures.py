"""One small, tricky event file in the app's own format, converted to Parquet: what both
engines are compared on (accents and case in names, associated actors, actors the
dictionary scopes to countries and dates, uncertain attributions, periods, times of day,
unknown tolls and coordinates, coordinates off the globe)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from timeline_app.formats.registry import load
from timeline_app.storage.convert import convert

ACTORS = [
    "JNIM",
    "jnim",
    "IS",
    "Blue Helmets",
    "Military Forces of Mali (2021-)",
    "Mutiny of Military Forces of Mali",
    "Military Forces of Mali (2021-) and/or JNIM",
    "Ansar Dine",
    "Civilians (Mali)",
    "",
]
ASSOC = ["", "Civilians (Mali); JNIM", "Wagner Group; Military Forces of Mali (2021-)", "IS"]
COUNTRIES = ["Mali", "Niger", "Burkina Faso", "Chad", ""]
ADMIN1 = ["Ségou", "Segou", "SEGOU", "Gao", "Tombouctou", "Mopti", "Ménaka", ""]
LOCATIONS = ["Ménaka", "Menaka", "Tombouctou", "Ségou", "Djibo", "Niamey", ""]
TITLES = [
    "Attack near Ségou",
    "ambush à Tombouctou",
    "Straße blocked",
    "Protest in Niamey",
    "Statement by the junta",
    "IED on the road to Gao",
]
NOTES = ["", "Fighters from JNIM attacked", "Les FAMa à Mopti", "Nothing known", "segou market"]
CATEGORIES = ["attack", "attack", "statement", "other", "blockade", "mourning"]
TYPES = ["Battles", "Violence against civilians", "Protests", "Explosions/Remote violence"]
SOURCES = ["ACLED", "Reuters", "RFI Afrique", "Local source; Télé Sahel"]


def events_frame(rows: int = 400, seed: int = 16) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def pick(pool: list[str]) -> list[str]:
        return [pool[i] for i in rng.integers(0, len(pool), rows)]

    day = pd.Timestamp("2013-01-01") + pd.to_timedelta(rng.integers(0, 11 * 365, rows), "D")
    timed = rng.random(rows) < 0.1
    start = day + pd.to_timedelta(np.where(timed, rng.integers(1, 86_400, rows), 0), "s")
    length = np.where(rng.random(rows) < 0.2, rng.integers(1, 60, rows), 0)
    end = start + pd.to_timedelta(length, "D")
    fatalities = rng.integers(0, 60, rows).astype(float)
    fatalities[rng.random(rows) < 0.2] = np.nan
    lat = 10 + 10 * rng.random(rows)
    lon = -8 + 16 * rng.random(rows)
    lat[rng.random(rows) < 0.1] = np.nan
    lat[:3] = [95.0, 14.0, 16.27]  # off the globe; and two known places
    lon[:3] = [0.0, -4.0, -0.04]
    return pd.DataFrame(
        {
            "id": [f"e{i:04d}" for i in range(rows)],
            "category": pick(CATEGORIES),
            "start": start.strftime("%Y-%m-%dT%H:%M:%S"),
            "end": end.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_precision": pick(["day", "day", "week", "month"]),
            "ongoing": rng.random(rows) < 0.05,
            "title": pick(TITLES),
            "event_type": pick(TYPES),
            "actor1": pick(ACTORS),
            "actor2": pick(ACTORS),
            "assoc_actors": pick(ASSOC),
            "country": pick(COUNTRIES),
            "admin1": pick(ADMIN1),
            "location": pick(LOCATIONS),
            "latitude": lat,
            "longitude": lon,
            "fatalities": fatalities,
            "source": pick(SOURCES),
            "notes": pick(NOTES),
        }
    )


def write_fixture(folder: Path, rows: int = 400, seed: int = 16) -> tuple[Path, Path]:
    """The fixture as native CSV and converted to Parquet (both in ``folder``)."""
    csv_path = folder / "events.csv"
    events_frame(rows, seed).to_csv(csv_path, index=False)
    parquet = folder / "events.parquet"
    convert([load(csv_path, use_cache=False)], parquet)
    return csv_path, parquet
