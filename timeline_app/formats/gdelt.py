"""GDELT 1.0 and 2.0 event files: tab- or comma-separated, with or without a header.

GDELT's own daily files have no header; they are told apart by their column count
(57: 1.0 historical backfiles, 58: 1.0 daily files, 61: 2.0) and by an eight-digit
``SQLDATE`` (``YYYYMMDD``) in the second column. ``NA`` is a missing value, country
codes are FIPS 10-4, coordinates ``0,0`` are unknown, and GDELT counts no deaths.

Category from the CAMEO root code (``EventRootCode``):

=========================================  ===========
CAMEO root                                 category
=========================================  ===========
18 Assault, 19 Fight, 20 Mass violence     attack
01-05 statements, appeals, intent,         statement
consultation, diplomatic cooperation;
10-13 demand, disapprove, reject, threaten
14 Protest                                 other
06-09, 15-17 (material cooperation, aid,   other
yield, investigate, force posture,
reduce relations, coerce), unknown codes
=========================================  ===========
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_app.formats.base import CancelFn, FileProbe, FormatError, ProgressFn
from timeline_app.formats.fips import FIPS_COUNTRIES
from timeline_app.formats.probe import probe_file
from timeline_app.formats.raw_table import RawTable, RowAccount, read_raw_table
from timeline_app.formats.text_layout import csv_quoting
from timeline_app.model.dataset import Dataset
from timeline_app.model.messages import N_
from timeline_app.model.schema import conform

LICENCE = "GDELT: open, cite"
CITATION = "The GDELT Project (Leetaru & Schrodt 2013), https://www.gdeltproject.org"

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")  # fmt: skip
_EVENT = ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
          "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")  # fmt: skip
_GEO_V1 = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")
_GEO_V2 = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")


def _columns(geo: tuple[str, ...]) -> list[str]:
    cols = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    cols += [f"Actor1{p}" for p in _ACTOR] + [f"Actor2{p}" for p in _ACTOR] + list(_EVENT)
    for who in ("Actor1Geo_", "Actor2Geo_", "ActionGeo_"):
        cols += [who + p for p in geo]
    return cols + ["DATEADDED", "SOURCEURL"]


GDELT1_COLUMNS = _columns(_GEO_V1)  # 58, the daily files from April 2013
GDELT2_COLUMNS = _columns(_GEO_V2)  # 61
#: Column names by field count: the 1.0 backfiles (57) lack SOURCEURL.
LAYOUTS: dict[int, list[str]] = {
    57: GDELT1_COLUMNS[:-1],
    58: GDELT1_COLUMNS,
    61: GDELT2_COLUMNS,
}

#: CAMEO root codes, their names, and the category each gives (see the module docstring).
CAMEO_ROOTS: dict[str, tuple[str, str]] = {
    "01": ("Make public statement", "statement"),
    "02": ("Appeal", "statement"),
    "03": ("Express intent to cooperate", "statement"),
    "04": ("Consult", "statement"),
    "05": ("Engage in diplomatic cooperation", "statement"),
    "06": ("Engage in material cooperation", "other"),
    "07": ("Provide aid", "other"),
    "08": ("Yield", "other"),
    "09": ("Investigate", "other"),
    "10": ("Demand", "statement"),
    "11": ("Disapprove", "statement"),
    "12": ("Reject", "statement"),
    "13": ("Threaten", "statement"),
    "14": ("Protest", "other"),
    "15": ("Exhibit force posture", "other"),
    "16": ("Reduce relations", "other"),
    "17": ("Coerce", "other"),
    "18": ("Assault", "attack"),
    "19": ("Fight", "attack"),
    "20": ("Use unconventional mass violence", "attack"),
}

#: ActionGeo_Type (1 country, 2 US state, 3 US city, 4 world city, 5 world state) on the
#: app's geo_precision scale (1 the place itself, 3 the province, 4 only the country).
_GEO_PRECISION = {"3": 1.0, "4": 1.0, "2": 3.0, "5": 3.0, "1": 4.0}

_SQLDATE = re.compile(r"^(19|20)\d{6}$")


def _headerless_layout(probe: FileProbe) -> int | None:
    """The field count of a headerless GDELT file, judged on its first lines.

    The first line decides (its width and its SQLDATE); most of the next few must agree,
    so that one odd or cut-off line does not hide a GDELT file.
    """
    lines = [ln for ln in probe.text.splitlines()[:10] if ln.strip()]
    if not lines:
        return None
    for delimiter in ("\t", ","):
        quoting = csv_quoting(delimiter != "\t")  # GDELT's tab files never quote
        rows = list(csv.reader(lines, delimiter=delimiter, quoting=quoting))
        first = rows[0]
        if len(first) in LAYOUTS and _SQLDATE.match(first[1].strip()):
            agree = sum(len(row) == len(first) for row in rows)
            if agree * 2 > len(rows):
                return len(first)
    return None


class GdeltReader:
    name = "gdelt"
    label = "GDELT events (1.0 / 2.0)"

    def sniff(self, probe: FileProbe) -> float:
        if not probe.text:
            return 0.0
        header = probe.header_lower
        if {"globaleventid", "sqldate"} <= header:
            return 0.95
        return 0.9 if _headerless_layout(probe) else 0.0

    def read(
        self,
        path: Path,
        *,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        options: dict[str, Any] | None = None,
    ) -> Dataset:
        path = Path(path)
        probe = probe_file(path)
        has_header = {"globaleventid", "sqldate"} <= probe.header_lower
        if has_header:
            raw = read_raw_table(path, progress=progress, cancelled=cancelled)
        else:
            width = _headerless_layout(probe)
            if width is None:
                raise FormatError(
                    N_(
                        "{name}: not a GDELT events file (expected 57, 58 or 61 columns "
                        "with a YYYYMMDD date in the second)",
                        name=path.name,
                    )
                )
            delimiter = "\t" if "\t" in probe.text.split("\n", 1)[0] else ","
            raw = read_raw_table(  # a row of the wrong width (a cut-off line) is rejected
                path,
                delimiter=delimiter,
                names=list(LAYOUTS[width]),
                quoting=delimiter != "\t",  # GDELT's tab files never quote
                progress=progress,
                cancelled=cancelled,
            )
        dataset = gdelt_dataset(raw, name=path.stem)
        if progress:
            progress(1.0)
        return dataset


def gdelt_dataset(raw: RawTable, *, name: str) -> Dataset:
    """Events from GDELT rows already split into text cells."""
    by_lower = {h.lower(): h for h in raw.header}
    for needed in ("globaleventid", "sqldate"):
        if needed not in by_lower:
            raise FormatError(
                N_("not a GDELT events file: no {column} column", column=needed.upper())
            )
    frame = raw.frame
    n = len(frame)
    blank = pd.Series([""] * n, index=frame.index, dtype=object)

    def col(key: str) -> pd.Series:
        source = by_lower.get(key.lower())
        if not source:
            return blank
        values = frame[source].astype(str).str.strip()
        return values.mask(values == "NA", "")  # GDELT writes NA for missing

    account = RowAccount(raw, "gdelt")
    report, reject, kept = account.report, account.reject, account.kept

    sqldate = col("SQLDATE")
    # Exactly eight digits, 1900-2199: strptime alone would read "2023091" as 2023-09-01.
    eight = sqldate.where(sqldate.str.fullmatch(r"(19|20|21)\d{6}"), "")
    start = pd.to_datetime(eight, format="%Y%m%d", errors="coerce").astype("datetime64[ns]")
    reject(start.isna().to_numpy(), N_("unparseable SQLDATE"), sqldate)
    ids = col("GLOBALEVENTID")
    reject((ids == "").to_numpy(), N_("no GLOBALEVENTID"), ids)
    reject(ids.where(kept).duplicated().to_numpy() & kept, N_("duplicate GLOBALEVENTID"), ids)

    root = col("EventRootCode").str.zfill(2)
    known_root = root.isin(list(CAMEO_ROOTS))
    root_name = root.map({k: v[0] for k, v in CAMEO_ROOTS.items()}).where(known_root, root)
    category = root.map({k: v[1] for k, v in CAMEO_ROOTS.items()}).where(known_root, "other")

    lat = pd.to_numeric(col("ActionGeo_Lat"), errors="coerce")
    lon = pd.to_numeric(col("ActionGeo_Long"), errors="coerce")
    unlocated = ((lat == 0) & (lon == 0)) | ~lat.between(-90, 90) | ~lon.between(-180, 180)
    fips = col("ActionGeo_CountryCode")
    # Every FIPS 10-4 code by its name (the code stays in ActionGeo_CountryCode among
    # the file's own columns); a code the standard lacks is kept as it is.
    country = fips.map(FIPS_COUNTRIES).where(fips.isin(list(FIPS_COUNTRIES)), fips)
    admin1 = _admin1_names(col("ActionGeo_FullName"), col("ActionGeo_Type"))

    actor1, actor2 = col("Actor1Name"), col("Actor2Name")
    place = col("ActionGeo_FullName")
    title = root_name.where(root_name != "", "Event")
    title = title.where(actor1 == "", title + ": " + actor1)
    title = title.where(actor2 == "", title + " / " + actor2)
    title = title.where(place == "", title + " in " + place)

    out = pd.DataFrame(
        {
            "id": ids,
            "category": category,
            "start": start,
            "date_precision": "day",
            "title": title,
            "event_type": root_name,
            "sub_event_type": col("EventCode"),
            "actor1": actor1,
            "actor2": actor2,
            "country": country,
            "admin1": admin1,
            "location": place,
            "latitude": lat.mask(unlocated),
            "longitude": lon.mask(unlocated),
            "geo_precision": col("ActionGeo_Type").map(_GEO_PRECISION),
            "source": col("SOURCEURL"),
        }
    )
    events = conform(out.loc[kept].reset_index(drop=True))
    report.events = len(events)
    return Dataset(
        name=name,
        events=events,
        report=report,
        originals=frame.loc[kept].reset_index(drop=True),
        format="gdelt",
        licence=LICENCE,
        citation=CITATION,
    )


def _admin1_names(full_name: pd.Series, geo_type: pd.Series) -> pd.Series:
    """The first-level region's name from ``ActionGeo_FullName`` ("Place, Region,
    Country" for a city, "Region, Country" for a region; a country alone has none),
    not its code (``ML04``, kept in ActionGeo_ADM1Code). Worked once per distinct name."""
    codes, names = pd.factorize(full_name, sort=False)
    parts = pd.Series(names, dtype=object).astype(str).str.split(",")
    region = parts.map(lambda p: p[-2].strip() if len(p) >= 2 else "")
    per_row = pd.Series(region.to_numpy()[codes] if len(region) else [], index=full_name.index)
    # A US state (type 2) or a world state (type 5) names the region itself.
    result: pd.Series = per_row.where(geo_type.ne("1"), "").fillna("")
    return result


READER = GdeltReader()
