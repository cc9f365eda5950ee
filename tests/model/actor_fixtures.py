"""Small made-up files in ACLED's, GTD's and UCDP's layouts for the actor dictionary's
tests (ACLED and GTD data may not be redistributed: these rows are invented)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import UCDP_SAMPLE

FIXTURES = Path(__file__).resolve().parents[1] / "formats" / "fixtures"


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})
    return path


#: (event id, actor1, actor2, associated actor of actor1, country)
ACLED_ACTORS = (
    ("MLI1", "JNIM: Group for Support of Islam and Muslims", "Military Forces of Mali (2021-)", ""),
    ("MLI2", "Military Forces of Mali (2013-) Special Forces", "Civilians (Mali)", ""),
    ("MLI3", "Military Forces of Mali (2013-2020)", "Islamic State (Greater Sahara)", ""),
    ("MLI4", "Mutiny of Military Forces of Mali (2021-)", "", ""),
    ("MLI5", "Police Forces of Mali (2021-)", "Protesters (Mali)", ""),
    (
        "MLI6",
        "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)",
        "Civilians (Mali)",
        "",
    ),
    ("MLI7", "Wagner Group", "Civilians (Mali)", "Military Forces of Mali (2021-); Dozo Militia"),
    ("MLI8", "Islamic State (West Africa) - Greater Sahara Faction", "Civilians (Mali)", ""),
)


def acled_file(folder: Path) -> Path:
    rows = []
    for i, (eid, a1, a2, assoc) in enumerate(ACLED_ACTORS):
        rows.append(
            {
                "event_id_cnty": eid,
                "event_date": f"{i + 1:02d} September 2023",
                "year": "2023",
                "time_precision": "1",
                "disorder_type": "Political violence",
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "actor1": a1,
                "assoc_actor_1": assoc,
                "actor2": a2,
                "iso": "466",
                "region": "Western Africa",
                "country": "Mali",
                "admin1": "Gao",
                "location": "Gao",
                "latitude": "16.2717",
                "longitude": "-0.0447",
                "geo_precision": "1",
                "source": "Invented for a test",
                "notes": "A made-up row.",
                "fatalities": "3",
            }
        )
    return _write(folder / "acled_actors.csv", _header(FIXTURES / "acled_current.csv"), rows)


def gtd_file(folder: Path) -> Path:
    rows = []
    for i, gname in enumerate(
        (
            "Jamaat Nusrat al-Islam wal Muslimin (JNIM)",
            "Islamic State in the Greater Sahara (ISGS)",
            "Unknown",
        )
    ):
        rows.append(
            {
                "eventid": f"20230910000{i + 1}",
                "iyear": "2023",
                "imonth": "9",
                "iday": str(10 + i),
                "extended": "0",
                "country": "9001",
                "country_txt": "Mali",
                "region": "11",
                "region_txt": "Sub-Saharan Africa",
                "provstate": "Gao",
                "city": "Gao",
                "latitude": "16.2717",
                "longitude": "-0.0447",
                "summary": "A made-up attack.",
                "attacktype1": "3",
                "attacktype1_txt": "Bombing/Explosion",
                "gname": gname,
                "nkill": "2",
            }
        )
    return _write(folder / "gtd_actors.csv", _header(FIXTURES / "gtd_sample.csv"), rows)


def ucdp_file(folder: Path) -> Path:
    """Three rows of the real UCDP excerpt with side_b made ``IS``: in Mali, in Iraq, and
    in Mali before IS Sahel existed."""
    with open(UCDP_SAMPLE, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        base = next(reader)
    rows = []
    for i, (country, day) in enumerate(
        (("Mali", "2023-09-01"), ("Iraq", "2023-09-02"), ("Mali", "2012-06-01"))
    ):
        row = dict(base, id=str(900 + i), side_b="IS", country=country)
        row.update(date_start=f"{day} 00:00:00.000", date_end=f"{day} 00:00:00.000")
        row["year"] = day[:4]
        rows.append(row)
    rows.append(dict(base, id="903"))  # Government of Mali - JNIM, as UCDP writes it
    return _write(folder / "ucdp_actors.csv", header, rows)
