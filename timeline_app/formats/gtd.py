"""GTD, the Global Terrorism Database (START): XLSX or CSV, one row per incident.

The date is split into ``iyear``/``imonth``/``iday`` where 0 means unknown: an unknown
day gives month precision, an unknown month year precision, and the event starts on the
first day of what is known (no span is invented). ``extended`` = 1 marks an incident
that lasted more than 24 hours; when its ``resolution`` date is known the event is a
period ending then; when it is not, the incident is an ongoing period "as of" the file's
last date (its notes say the end is unknown). Slash dates in ``resolution`` that the
column does not decide are read month-first (GTD is made in the US). ``nkill`` blank is unknown, not zero. GTD may not be redistributed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_app.formats._dates import parse_date_series
from timeline_app.formats.base import (
    MONTH_FIRST,
    CancelFn,
    FileProbe,
    FormatError,
    ProgressFn,
    date_order_option,
)
from timeline_app.formats.raw_table import RawTable, RowAccount, read_raw_table
from timeline_app.model.dataset import Dataset
from timeline_app.model.messages import N_
from timeline_app.model.schema import ACTOR_SEPARATOR, conform

LICENCE = "GTD terms of use (not redistributable)"
CITATION = (
    "START (National Consortium for the Study of Terrorism and Responses to Terrorism), "
    "Global Terrorism Database, https://www.start.umd.edu/gtd"
)

#: Columns that identify a GTD file (all must be present).
SIGNATURE = ("eventid", "iyear", "imonth", "iday", "gname")
#: Columns the events are built from (others are kept in the originals only).
USED = (
    "eventid", "iyear", "imonth", "iday", "approxdate", "extended", "resolution",
    "country_txt", "provstate", "city", "latitude", "longitude", "specificity", "summary",
    "attacktype1_txt", "targtype1_txt", "target1", "gname", "gname2", "gname3", "nkill",
    "scite1", "dbsource",
)  # fmt: skip


class GtdReader:
    name = "gtd"
    label = "GTD (Global Terrorism Database)"

    def sniff(self, probe: FileProbe) -> float:
        # The header of a CSV, or of a workbook's first sheet (the probe reads its first row).
        header = probe.header_lower
        if header >= set(SIGNATURE):
            return 0.95
        return 0.0

    def read(
        self,
        path: Path,
        *,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        options: dict[str, Any] | None = None,
    ) -> Dataset:
        path = Path(path)
        raw = read_raw_table(path, progress=progress, cancelled=cancelled)
        dataset = gtd_dataset(raw, name=path.stem, order=date_order_option(options))
        if progress:
            progress(1.0)
        return dataset


def gtd_dataset(raw: RawTable, *, name: str, order: str = "auto") -> Dataset:
    """Events from a GTD table already split into text cells (``order``: the day/month
    order of slash dates in ``resolution``, "auto" to decide from the column)."""
    by_lower = {h.lower(): h for h in raw.header}
    missing = [c for c in ("eventid", "iyear", "imonth", "iday") if c not in by_lower]
    if missing:
        raise FormatError(
            N_("not a GTD file: missing column(s) {columns}", columns=", ".join(missing))
        )
    frame = raw.frame
    n = len(frame)
    blank = pd.Series([""] * n, index=frame.index, dtype=object)

    def col(key: str) -> pd.Series:
        source = by_lower.get(key)
        return frame[source].astype(str).str.strip() if source else blank

    account = RowAccount(raw, "gtd")
    report, reject, kept = account.report, account.reject, account.kept

    start, precision, bad_date = _incident_dates(col("iyear"), col("imonth"), col("iday"))
    date_text = col("iyear") + "-" + col("imonth") + "-" + col("iday")
    reject(bad_date, N_("invalid date (iyear/imonth/iday)"), date_text)

    # An extended incident with a known resolution date is a period.
    extended = col("extended").isin(["1", "1.0", "true", "True", "TRUE"]).to_numpy()
    resolution, _, _, date_warnings = parse_date_series(col("resolution"), order, MONTH_FIRST)
    report.warnings.extend(date_warnings)
    ends_known = extended & resolution.notna().to_numpy()
    backwards = ends_known & (resolution < start).to_numpy()
    if (backwards & kept).any():
        report.warnings.append(
            N_(
                "{count} resolution date(s) before the start ignored",
                count=int((backwards & kept).sum()),
            )
        )
    use_resolution = ends_known & ~backwards
    end = start.where(~use_resolution, resolution)
    # An extended incident with no resolution date is still going on as far as the file
    # knows: an ongoing period "as of" the file's last date (not a one-day point).
    open_end = extended & ~ends_known
    ongoing = open_end & start.notna().to_numpy()
    if (ongoing & kept).any():
        known = np.concatenate([start.to_numpy()[kept], end.to_numpy()[kept]])
        as_of = known[~np.isnat(known)].max()
        as_of_each = pd.Series(np.maximum(start.to_numpy(), as_of), index=end.index)
        end = end.where(~ongoing, as_of_each)
        report.warnings.append(
            N_(
                "{count} extended incident(s) without a resolution date shown as ongoing "
                "as of {day}, the file's last date",
                count=int((ongoing & kept).sum()),
                day=str(as_of)[:10],
            )
        )

    ids = col("eventid")
    reject((ids == "").to_numpy(), N_("no eventid"), ids)
    dup = ids.where(kept).duplicated(keep="first").to_numpy() & kept
    reject(dup, N_("duplicate eventid"), ids)

    fatalities = pd.to_numeric(col("nkill"), errors="coerce")
    odd = int((fatalities.isna() & (col("nkill") != "")).to_numpy()[kept].sum())
    if odd:
        report.warnings.append(N_("{count} non-numeric nkill value(s) read as unknown", count=odd))
    lat = pd.to_numeric(col("latitude"), errors="coerce")
    lon = pd.to_numeric(col("longitude"), errors="coerce")
    unlocated = ((lat == 0) & (lon == 0)) | ~lat.between(-90, 90) | ~lon.between(-180, 180)

    attack = col("attacktype1_txt")
    target = col("targtype1_txt")
    # GTD writes "Unknown" for a city or province it does not know: that is no place name.
    city, province = (
        v.where(v.str.lower() != "unknown", "") for v in (col("city"), col("provstate"))
    )
    country = col("country_txt")
    place = city.where(city != "", province)
    place = place.where(place != "", country)
    title = attack.where(attack != "", "Attack")
    title = title.where(place == "", title + " in " + place)
    title = title.where(target == "", title + ": " + target)

    notes = col("summary")
    approx = col("approxdate")
    note_approx = "Approximate date: " + approx + "."
    notes = notes.where(approx == "", (notes + " " + note_approx).str.strip())
    notes = notes.where(
        ~open_end, (notes + " Lasted more than 24 hours; end date unknown.").str.strip()
    )
    target1 = col("target1")
    notes = notes.where(target1 == "", (notes + " Target: " + target1 + ".").str.strip())

    assoc = col("gname2")
    third = col("gname3")
    assoc = assoc.where(third == "", (assoc + ACTOR_SEPARATOR + third).str.strip(ACTOR_SEPARATOR))
    source = col("scite1")
    source = source.where(source != "", col("dbsource"))

    out = pd.DataFrame(
        {
            "id": ids,
            "category": "attack",
            "start": start,
            "end": end,
            "ongoing": ongoing,
            "date_precision": precision,
            "title": title,
            "event_type": attack,
            "sub_event_type": target,
            "actor1": col("gname"),
            "assoc_actors": assoc,
            "country": country,
            "admin1": province,
            "location": city,
            "latitude": lat.mask(unlocated),
            "longitude": lon.mask(unlocated),
            "geo_precision": pd.to_numeric(col("specificity"), errors="coerce"),
            "fatalities": fatalities,
            "source": source,
            "notes": notes,
        }
    )
    events = conform(out.loc[kept].reset_index(drop=True))
    report.events = len(events)
    originals = frame.loc[kept].reset_index(drop=True)
    return Dataset(
        name=name,
        events=events,
        report=report,
        originals=originals,
        format="gtd",
        licence=LICENCE,
        citation=CITATION,
    )


def _incident_dates(
    years: pd.Series, months: pd.Series, days: pd.Series
) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Start dates and precision from GTD's split date (0 = unknown), and which are invalid."""
    year = pd.to_numeric(years, errors="coerce")
    month = pd.to_numeric(months.replace("", "0"), errors="coerce")
    day = pd.to_numeric(days.replace("", "0"), errors="coerce")
    # Years outside what a nanosecond timestamp holds (1678-2261) are typos, not incidents.
    usable = year.between(1678, 2261) & month.between(0, 12) & day.between(0, 31)
    month_known = month > 0
    day_known = month_known & (day > 0)
    parts = pd.DataFrame(
        {
            "year": year.where(usable, 2000),
            "month": month.where(month_known & usable, 1),
            "day": day.where(day_known & usable, 1),
        }
    ).astype("int64")
    start = pd.to_datetime(parts, errors="coerce").astype("datetime64[ns]")
    start = start.where(usable)
    precision = pd.Series(
        np.where(day_known, "day", np.where(month_known, "month", "year")), index=years.index
    )
    return start, precision, start.isna().to_numpy()


READER = GtdReader()
