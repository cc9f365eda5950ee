"""Deterministic ACLED-like CSVs for the benchmark (10k, 100k, 1M, 2.5M events).

The layout is ACLED's current lower-case header (../shared/facts/formats.md) with the
cardinalities of the reference workload (../shared/facts/performance.md): ~3,000 actors
with a long-tailed (Zipf-like) frequency, ~250 admin1 regions, 6 event types, 25
sub-event types, notes of 200-600 characters with accented place names, dates
1997-2025 written ``07 September 2023``, time_precision 1-3 and some blank fatalities.
ACLED has no periods or milestones (every row is a dated event), so none are made.

Columns are built with numpy and Arrow ``take`` from small vocabularies, never a
Python loop per row, and written with ``pyarrow.csv`` in chunks. Every chunk has its
own fixed seed, so a file of N events is byte-for-byte the same on every machine. Files are cached in ``.bench-cache/`` at the repository root.

    python -m tests.benchmarks.generate --events 1000000   # prints the path
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

#: Bump when the output changes, so cached files from an older generator are not reused.
GENERATOR_VERSION = 2  # 2: Sahel places clustered around real towns (the map)
SEED = 20230907
CHUNK = 250_000
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "2.5M": 2_500_000}

REPO = Path(__file__).resolve().parents[2]
CACHE_DIR = REPO / ".bench-cache"

HEADER = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: ACLED's event types and their sub-event types (6 and 25), with a rough share of events.
EVENT_TYPES: dict[str, tuple[float, tuple[str, ...]]] = {
    "Battles": (
        0.20,
        (
            "Armed clash",
            "Government regains territory",
            "Non-state actor overtakes territory",
        ),
    ),
    "Explosions/Remote violence": (
        0.14,
        (
            "Air/drone strike",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Suicide bomb",
            "Grenade",
            "Chemical weapon",
        ),
    ),
    "Violence against civilians": (
        0.18,
        ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    ),
    "Protests": (
        0.30,
        ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    ),
    "Riots": (0.10, ("Violent demonstration", "Mob violence")),
    "Strategic developments": (
        0.08,
        (
            "Looting/property destruction",
            "Arrests",
            "Change to group/activity",
            "Agreement",
            "Headquarters or base established",
            "Non-violent transfer of territory",
            "Disrupted weapons use",
            "Other",
        ),
    ),
}
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence; Demonstrations",
    "Strategic developments": "Strategic developments",
}

#: (country, ISO numeric, ISO3, centre lat, centre lon, region, real admin1 names to start with)
COUNTRIES = (
    (
        "Mali",
        466,
        "MLI",
        17.0,
        -4.0,
        "Western Africa",
        (
            "Mopti",
            "Gao",
            "Timbuktu",
            "Ségou",
            "Ménaka",
            "Kidal",
            "Sikasso",
            "Koulikoro",
            "Kayes",
            "Bamako",
        ),
    ),
    (
        "Burkina Faso",
        854,
        "BFA",
        12.3,
        -1.5,
        "Western Africa",
        ("Sahel", "Est", "Centre-Nord", "Boucle du Mouhoun", "Nord"),
    ),
    (
        "Niger",
        562,
        "NER",
        16.0,
        8.0,
        "Western Africa",
        ("Tillabéri", "Tahoua", "Diffa", "Agadez", "Niamey"),
    ),
    (
        "Nigeria",
        566,
        "NGA",
        9.0,
        8.0,
        "Western Africa",
        ("Borno", "Zamfara", "Kaduna", "Lagos", "Plateau", "Benue"),
    ),
    (
        "Cameroon",
        120,
        "CMR",
        6.0,
        12.0,
        "Middle Africa",
        ("Extrême-Nord", "Nord-Ouest", "Sud-Ouest"),
    ),
    ("Chad", 148, "TCD", 15.0, 19.0, "Middle Africa", ("Lac", "Ouaddaï")),
    (
        "Sudan",
        729,
        "SDN",
        15.0,
        30.0,
        "Northern Africa",
        ("Khartoum", "North Darfur", "South Kordofan"),
    ),
    ("Somalia", 706, "SOM", 5.0, 46.0, "Eastern Africa", ("Banadir", "Lower Shabelle", "Bay")),
    ("Ethiopia", 231, "ETH", 9.0, 39.0, "Eastern Africa", ("Amhara", "Oromia", "Tigray")),
    (
        "Democratic Republic of Congo",
        180,
        "COD",
        -2.0,
        23.0,
        "Middle Africa",
        ("Nord-Kivu", "Sud-Kivu", "Ituri"),
    ),
    ("Mozambique", 508, "MOZ", -18.0, 35.0, "Southern Africa", ("Cabo Delgado", "Niassa")),
    ("Libya", 434, "LBY", 27.0, 17.0, "Northern Africa", ("Tripoli", "Misrata")),
    ("Syria", 760, "SYR", 35.0, 38.0, "Middle East", ("Idleb", "Aleppo", "Deir ez Zor")),
    ("Yemen", 887, "YEM", 15.5, 48.0, "Middle East", ("Taizz", "Marib", "Al Hudaydah")),
    ("Iraq", 368, "IRQ", 33.0, 44.0, "Middle East", ("Ninewa", "Baghdad", "Al Anbar")),
    (
        "Afghanistan",
        4,
        "AFG",
        34.0,
        66.0,
        "Caucasus and Central Asia",
        ("Helmand", "Kandahar", "Kabul"),
    ),
    ("Pakistan", 586, "PAK", 30.0, 70.0, "South Asia", ("Khyber Pakhtunkhwa", "Balochistan")),
    ("Myanmar", 104, "MMR", 21.0, 96.0, "Southeast Asia", ("Sagaing", "Rakhine", "Shan-North")),
    (
        "Colombia",
        170,
        "COL",
        4.0,
        -73.0,
        "South America",
        ("Cauca", "Antioquia", "Norte de Santander"),
    ),
    ("Mexico", 484, "MEX", 23.0, -102.0, "Central America", ("Michoacán", "Guerrero", "Jalisco")),
)
#: Real towns of the central Sahel (country index in COUNTRIES, lat, lon): most places of
#: Mali, Burkina Faso, Niger and Nigeria lie within tens of km of one of them, as events do.
TOWNS = (
    (0, 16.27, -0.04),
    (0, 16.77, -3.01),
    (0, 14.49, -4.18),
    (0, 13.43, -6.26),
    (0, 18.44, 1.41),
    (0, 15.92, 2.40),
    (0, 12.64, -8.00),
    (0, 14.35, -3.61),
    (0, 13.91, -4.55),
    (0, 17.03, -1.40),
    (1, 12.37, -1.52),
    (1, 14.10, -1.63),
    (1, 14.03, -0.03),
    (1, 13.09, -1.08),
    (1, 12.06, 0.35),
    (1, 13.58, -2.42),
    (2, 13.51, 2.11),
    (2, 14.21, 1.45),
    (2, 13.32, 12.61),
    (2, 16.97, 7.99),
    (2, 14.89, 5.26),
    (3, 11.85, 13.16),
    (3, 12.17, 6.66),
    (3, 10.52, 7.44),
)
#: The share of those countries' places that sit near a town, and how near (degrees).
NEAR_TOWN_SHARE = 0.8
NEAR_TOWN_SD = 0.3
N_ADMIN1 = 250
N_ADMIN2 = 1_500
N_LOCATIONS = 12_000
N_ACTORS = 3_000
N_SOURCES = 600
FIRST_DAY = dt.date(1997, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)

SYLLABLES = (
    "ba", "ko", "ma", "li", "sa", "ou", "di", "ga", "té", "mé", "na", "ka", "ti",
    "bou", "ra", "do", "ni", "zé", "fa", "ya", "ké", "lo", "mou", "si", "ha", "dja",
)  # fmt: skip
WORDS = (
    "armed", "men", "attacked", "village", "killing", "civilians", "convoy", "near",
    "reported", "forces", "clashed", "with", "militants", "market", "road", "between",
    "according", "to", "local", "sources", "several", "houses", "were", "burned",
    "the", "military", "responded", "and", "a", "number", "of", "wounded", "unknown",
    "fatalities", "were", "counted", "after", "the", "incident", "on", "patrol",
    "checkpoint", "motorcycles", "livestock", "looted", "displaced", "residents",
    "protesters", "gathered", "in", "front", "of", "the", "governorate", "demanding",
)  # fmt: skip
ACCENTED = ("Ségou", "Ménaka", "Tillabéri", "Djibo", "Tombouctou", "Kidal", "Sévaré", "Bankass")
ACTOR_KINDS = (
    "Military Forces of {c} ({y}-)",
    "Police Forces of {c} ({y}-)",
    "Unidentified Armed Group ({c})",
    "Protesters ({c})",
    "Rioters ({c})",
    "Civilians ({c})",
    "{n} Communal Militia ({c})",
    "{n} Ethnic Militia ({c})",
    "{n} Liberation Front",
    "{n} Self-Defence Group",
    "Katiba {n}",
    "{n} Brigade",
)


def path_for(events: int, cache_dir: Path = CACHE_DIR) -> Path:
    """Where the file of ``events`` events is cached (keyed by size and generator version)."""
    return cache_dir / f"acled_like_v{GENERATOR_VERSION}_{events}.csv"


def ensure(events: int, cache_dir: Path = CACHE_DIR, verbose: bool = False) -> Path:
    """The cached file for ``events`` events, generating it first when absent."""
    path = path_for(events, cache_dir)
    if path.is_file():
        return path
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    started = time.perf_counter()
    try:
        write(tmp, events)
        os.replace(tmp, path)  # a half-written file never looks like a cached one
    finally:
        tmp.unlink(missing_ok=True)
    if verbose:
        took = time.perf_counter() - started
        print(f"generated {events:,} events in {took:.1f} s -> {path}", file=sys.stderr)
    return path


def write(path: Path, events: int) -> None:
    vocab = Vocabulary(np.random.default_rng([SEED, 0]))
    with open(path, "wb") as sink:
        sink.write((",".join(HEADER) + "\n").encode())
        options = pacsv.WriteOptions(include_header=False)
        for k, first in enumerate(range(0, events, CHUNK)):
            rows = min(CHUNK, events - first)
            table = vocab.chunk(np.random.default_rng([SEED, k + 1]), first, rows)
            pacsv.write_csv(table, sink, write_options=options)


def _name(rng: np.random.Generator, lo: int = 2, hi: int = 4) -> str:
    parts = rng.choice(SYLLABLES, size=int(rng.integers(lo, hi + 1)))
    return "".join(parts).capitalize()


def _unique_names(rng: np.random.Generator, count: int, make) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = make()
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _zipf_weights(count: int, exponent: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    return weights / weights.sum()


class Vocabulary:
    """The distinct values of every column; rows pick from these by integer index."""

    def __init__(self, rng: np.random.Generator) -> None:
        # Places: country -> admin1 -> admin2 -> location, each with coordinates.
        n_countries = len(COUNTRIES)
        admin1_country = np.concatenate(
            [
                np.arange(n_countries),
                rng.choice(n_countries, N_ADMIN1 - n_countries, p=_zipf_weights(n_countries, 0.8)),
            ]
        )
        admin1 = []
        used: set[str] = set()
        for i, c in enumerate(admin1_country):
            real = COUNTRIES[c][6]
            taken = sum(1 for j in range(i) if admin1_country[j] == c)
            name = real[taken] if taken < len(real) else _name(rng)
            while name in used:
                name = _name(rng)
            used.add(name)
            admin1.append(name)
        self.admin1 = admin1
        self.admin1_country = admin1_country
        admin2_admin1 = np.concatenate(
            [np.arange(N_ADMIN1), rng.integers(0, N_ADMIN1, N_ADMIN2 - N_ADMIN1)]
        )
        self.admin2 = _unique_names(rng, N_ADMIN2, lambda: _name(rng, 2, 3))
        loc_admin2 = np.concatenate(
            [np.arange(N_ADMIN2), rng.integers(0, N_ADMIN2, N_LOCATIONS - N_ADMIN2)]
        )
        self.locations = _unique_names(rng, N_LOCATIONS, lambda: _name(rng, 2, 4))
        self.loc_admin2 = loc_admin2
        self.loc_admin1 = admin2_admin1[loc_admin2]
        self.loc_country = admin1_country[self.loc_admin1]
        centre = np.array([(c[3], c[4]) for c in COUNTRIES])[self.loc_country]
        self.loc_lat = np.round(centre[:, 0] + rng.normal(0, 2.0, N_LOCATIONS), 4)
        self.loc_lon = np.round(centre[:, 1] + rng.normal(0, 2.5, N_LOCATIONS), 4)
        self._near_towns(np.random.default_rng([SEED, 13]))  # its own stream: the rest is as in v1
        self.loc_weights = _zipf_weights(N_LOCATIONS, 0.9)[rng.permutation(N_LOCATIONS)]
        self.admin3 = _unique_names(rng, 4_000, lambda: _name(rng, 3, 4))

        # Actors: a long tail; the most frequent are the first names of the list.
        self.actors = self._actors(rng)
        self.actor_weights = _zipf_weights(N_ACTORS, 1.05)
        self.actor_inter = rng.integers(1, 9, N_ACTORS)
        assoc = _unique_names(rng, 400, lambda: f"{_name(rng)} Communal Group ({_name(rng, 2, 2)})")
        pairs = [f"{assoc[i]}; {assoc[(i * 7 + 3) % 400]}" for i in range(200)]
        self.assoc = assoc + pairs

        self.event_types = list(EVENT_TYPES)
        self.type_weights = np.array([EVENT_TYPES[t][0] for t in self.event_types])
        self.type_weights /= self.type_weights.sum()
        self.sub_types = [s for t in self.event_types for s in EVENT_TYPES[t][1]]
        self.sub_offsets = np.cumsum([0] + [len(EVENT_TYPES[t][1]) for t in self.event_types])
        self.disorder = [DISORDER[t] for t in self.event_types]

        self.sources = _unique_names(
            rng, N_SOURCES, lambda: f"{_name(rng)} {rng.choice(['News', 'Radio', 'Info', 'Post'])}"
        )
        self.source_scales = [
            "National",
            "Subnational",
            "Local partner-National",
            "International",
            "New media",
            "Other-Regional",
        ]

        days = (LAST_DAY - FIRST_DAY).days + 1
        all_days = [FIRST_DAY + dt.timedelta(days=i) for i in range(days)]
        self.day_text = pa.array([d.strftime("%d %B %Y") for d in all_days])
        self.day_year = np.array([d.year for d in all_days], dtype=np.int64)
        self.n_days = days

        self.fillers = self._fillers(rng)

    def _near_towns(self, rng: np.random.Generator) -> None:
        """Move most Sahel places next to a real town (the map shows clusters, not blobs)."""
        towns = np.array([(c, lat, lon) for c, lat, lon in TOWNS])
        for country in np.unique(towns[:, 0]).astype(int):
            here = np.flatnonzero(
                (self.loc_country == country) & (rng.random(N_LOCATIONS) < NEAR_TOWN_SHARE)
            )
            mine = towns[towns[:, 0] == country]
            pick = mine[rng.integers(0, len(mine), len(here))]
            self.loc_lat[here] = np.round(pick[:, 1] + rng.normal(0, NEAR_TOWN_SD, len(here)), 4)
            self.loc_lon[here] = np.round(pick[:, 2] + rng.normal(0, NEAR_TOWN_SD, len(here)), 4)

    def _actors(self, rng: np.random.Generator) -> list[str]:
        fixed = [
            "JNIM: Group for Support of Islam and Muslims",
            "Islamic State (Greater Sahara)",
            "Military Forces of Mali (2021-)",
            "Wagner Group",
            "Dozo Communal Militia (Mali)",
        ]

        def make() -> str:
            country = COUNTRIES[int(rng.integers(len(COUNTRIES)))][0]
            kind = ACTOR_KINDS[int(rng.integers(len(ACTOR_KINDS)))]
            return kind.format(c=country, y=int(rng.integers(1990, 2024)), n=_name(rng))

        rest = _unique_names(rng, N_ACTORS * 2, make)
        return (fixed + [a for a in rest if a not in fixed])[:N_ACTORS]

    def _fillers(self, rng: np.random.Generator, count: int = 4_000) -> pa.Array:
        """Sentences of 125-440 characters, some with accented place names."""
        out = []
        for _ in range(count):
            target = int(rng.integers(125, 441))
            words: list[str] = []
            length = 0
            while length < target:
                w = (
                    ACCENTED[int(rng.integers(len(ACCENTED)))]
                    if rng.random() < 0.04
                    else WORDS[int(rng.integers(len(WORDS)))]
                )
                words.append(w)
                length += len(w) + 1
            text = " ".join(words)[:target].rstrip()
            out.append(text[0].upper() + text[1:] + ".")
        return pa.array(out)

    def chunk(self, rng: np.random.Generator, first: int, n: int) -> pa.Table:
        """``n`` events, numbered from ``first``."""
        take = _taker
        # Later years have more events (ACLED's coverage grows).
        day = np.minimum((np.sqrt(rng.random(n)) * self.n_days).astype(np.int64), self.n_days - 1)
        etype = rng.choice(len(self.event_types), n, p=self.type_weights)
        n_sub = np.diff(self.sub_offsets)[etype]
        sub = self.sub_offsets[etype] + (rng.random(n) ** 2 * n_sub).astype(np.int64)
        loc = rng.choice(N_LOCATIONS, n, p=self.loc_weights)
        country = self.loc_country[loc]
        a1 = rng.choice(N_ACTORS, n, p=self.actor_weights)
        a2 = rng.choice(N_ACTORS, n, p=self.actor_weights)
        no_a2 = rng.random(n) < 0.35
        assoc1 = np.where(rng.random(n) < 0.15, rng.integers(0, len(self.assoc), n), -1)
        assoc2 = np.where(rng.random(n) < 0.08, rng.integers(0, len(self.assoc), n), -1)
        inter1 = self.actor_inter[a1]
        inter2 = np.where(no_a2, 0, self.actor_inter[a2])
        violent = etype <= 2
        fat = np.where(violent, rng.geometric(0.35, n) - 1, (rng.random(n) < 0.03).astype(int))
        fat = np.where(rng.random(n) < 0.002, fat * 40, fat)  # a few massacres
        fat_blank = rng.random(n) < 0.03
        precision = rng.choice(3, n, p=[0.85, 0.1, 0.05]) + 1
        geo = rng.choice(3, n, p=[0.75, 0.2, 0.05]) + 1
        iso3 = pa.array([c[2] for c in COUNTRIES])
        ids = pc.binary_join_element_wise(
            take(iso3, country), pa.array(np.arange(first + 1, first + n + 1)).cast(pa.string()), ""
        )
        date_text = take(self.day_text, day)
        actor1 = take(pa.array(self.actors), a1)
        where = take(pa.array(self.locations), loc)
        admin1 = take(pa.array(self.admin1), self.loc_admin1[loc])
        lead = pc.binary_join_element_wise(
            "On ", date_text, ", ", actor1, " were involved in an incident in ", where, " (",
            admin1, "). ", "",
        )  # fmt: skip
        notes = pc.utf8_slice_codeunits(
            pc.binary_join_element_wise(
                lead, take(self.fillers, rng.integers(0, len(self.fillers), n)), ""
            ),
            0,
            600,
        )
        year = self.day_year[day]
        stamp = 1_600_000_000 + rng.integers(0, 150_000_000, n)
        columns = {
            "event_id_cnty": ids,
            "event_date": date_text,
            "year": pa.array(year),
            "time_precision": pa.array(precision),
            "disorder_type": take(pa.array(self.disorder), etype),
            "event_type": take(pa.array(self.event_types), etype),
            "sub_event_type": take(pa.array(self.sub_types), sub),
            "actor1": actor1,
            "assoc_actor_1": take(pa.array(self.assoc), assoc1),
            "inter1": pa.array(inter1),
            "actor2": take(pa.array(self.actors), np.where(no_a2, -1, a2)),
            "assoc_actor_2": take(pa.array(self.assoc), assoc2),
            "inter2": pa.array(inter2),
            "interaction": pa.array(inter1 * 10 + inter2),
            "civilian_targeting": take(
                pa.array(["Civilian targeting"]), np.where(etype == 2, 0, -1)
            ),
            "iso": take(pa.array([c[1] for c in COUNTRIES]), country),
            "region": take(pa.array([c[5] for c in COUNTRIES]), country),
            "country": take(pa.array([c[0] for c in COUNTRIES]), country),
            "admin1": admin1,
            "admin2": take(pa.array(self.admin2), self.loc_admin2[loc]),
            "admin3": take(pa.array(self.admin3), np.where(rng.random(n) < 0.4, loc % 4_000, -1)),
            "location": where,
            "latitude": pa.array(self.loc_lat[loc]),
            "longitude": pa.array(self.loc_lon[loc]),
            "geo_precision": pa.array(geo),
            "source": take(pa.array(self.sources), rng.choice(N_SOURCES, n)),
            "source_scale": take(pa.array(self.source_scales), rng.integers(0, 6, n)),
            "notes": notes,
            "fatalities": pa.array(fat, mask=fat_blank),
            "tags": take(
                pa.array(["crowd size=no report", "crowd size=around 200"]),
                np.where(etype == 3, rng.integers(0, 2, n), -1),
            ),
            "timestamp": pa.array(stamp),
        }
        return pa.table(columns)


def _taker(values: pa.Array, index: np.ndarray) -> pa.Array:
    """``values[index]``, with index -1 giving an empty (null) cell."""
    index = np.asarray(index)
    return values.take(pa.array(index, mask=index < 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    args = parser.parse_args(argv)
    print(ensure(args.events, args.cache_dir, verbose=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
