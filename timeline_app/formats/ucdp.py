"""UCDP GED (Uppsala Georeferenced Event Dataset): the official 19.1 and 25.1 layouts and
the UCDP website's export.

The website export names the estimates ``best_est``/``high_est``/``low_est``, ends every
row with a delimiter and writes month-first dates (``10/06/2023 00:00:00``); slash dates
that no day above 12 decides are read month-first, with a warning.

Mapping: ``date_start``..``date_end`` is the event's span; ``date_prec`` 1 = day,
2 (2-6 days) and 3 (the week) = week, 4 = month, 5 = year. All three
``type_of_violence`` values are violence, so the category is ``attack``. ``adm_1`` loses a
trailing " region"/" province"/" state"/" division" ("Gao region" -> "Gao"); ``adm_2``
loses " cercle"/" district". ``best`` is the fatality figure, with ``low`` and ``high``
kept; blank is unknown, never 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.formats import _columns
from timeline_app.formats._columns import (
    as_categorical,
    normalise_names,
    per_combination,
    stripped_categorical,
    to_float,
)
from timeline_app.formats._dates import MONTH_FIRST, parse_dates, reject_dates
from timeline_app.formats.base import (
    TEXT_TABLE_SHARE,
    CancelFn,
    FileProbe,
    FormatError,
    ProgressFn,
    date_order_option,
    stage,
)
from timeline_app.formats.category_map import DEFAULT_CATEGORY, UCDP_VIOLENCE_TYPES
from timeline_app.formats.geojson import read_table_text
from timeline_app.formats.text_table import TextTable, as_strings
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.messages import N_
from timeline_app.model.schema import conform

LICENCE = "CC BY 4.0"
CITATION = (
    "Davies, Engström, Pettersson & Öberg (2025), Organized violence 1989-2024, Journal of "
    "Peace Research; Sundberg & Melander (2013), Introducing the UCDP Georeferenced Event "
    "Dataset, Journal of Peace Research 50(4)."
)

#: Website-export names -> official ones.
ALIASES = {"best_est": "best", "high_est": "high", "low_est": "low"}
REQUIRED = ("date_start", "type_of_violence")
MARKERS = {"date_start", "date_end", "type_of_violence", "side_a", "side_b", "where_prec"}
#: ``date_prec`` -> canonical precision.
PRECISION = {1.0: "day", 2.0: "week", 3.0: "week", 4.0: "month", 5.0: "year"}
#: Words dropped from the end of admin names (compared case-insensitively).
ADMIN1_SUFFIX = r"(?i)\s+(region|province|state|division)$"
ADMIN2_SUFFIX = r"(?i)\s+(cercle|district|disctrict)$"
#: Columns with (nearly) one value per row: plain strings, not dictionary-encoded.
UNIQUE_COLUMNS = {
    "id",
    "relid",
    "source_article",
    "source_headline",
    "source_original",
    "where_description",
    "geom_wkt",
    "latitude",
    "longitude",
}


class UcdpReader:
    name = "ucdp"
    label = "UCDP GED"

    def sniff(self, probe: FileProbe) -> float:
        header = set(normalise_names(probe.header, ALIASES))
        found = len(header & MARKERS)
        if found >= 4 and "date_start" in header:
            return 0.9 + 0.01 * found
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
        text = read_table_text(  # CSV, or JSON/GeoJSON records (formats/geojson.py)
            path,
            dictionary=lambda n: n.strip().lower() not in UNIQUE_COLUMNS,
            progress=stage(progress, 0.0, TEXT_TABLE_SHARE),  # then the events
            cancelled=cancelled,
        )
        return ucdp_dataset(text, path.stem, order=date_order_option(options))


def ucdp_dataset(text: TextTable, name: str, order: str = "auto") -> Dataset:
    """Map a parsed UCDP GED table to events (``order``: of slash dates, or "auto")."""
    cols = normalise_names(text.names, ALIASES)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise FormatError(
            N_(
                "{name}: not a UCDP GED file (no {columns} column)",
                name=text.path.name,
                columns=", ".join(missing),
            )
        )
    report = text.start_report("ucdp")
    n = text.table.num_rows

    def col(key: str) -> pa.ChunkedArray[Any] | None:
        return text.column(cols[key]) if key in cols else None

    start_col = text.column(cols["date_start"])  # required (checked above)
    end_col = col("date_end")
    # Start and end dates share one day/month order, decided from both columns.
    start = parse_dates(start_col, MONTH_FIRST, decide_with=col("date_end"), order=order)
    report.warnings.extend(start.warnings)
    keep = reject_dates(report, text, start, start_col)
    end_values = start.values
    if end_col is not None:
        end_order = order if order != "auto" else (start.order or MONTH_FIRST)
        end = parse_dates(end_col, end_order, order=end_order)
        bad_end = keep & end.bad
        if bad_end.any():  # a start but an end that is not a date: not an event we can place
            rows = np.flatnonzero(bad_end)
            values = as_strings(end_col.take(rows[:200])).to_pylist()
            lines = [int(x) for x in text.line_numbers(rows)]
            report.reject_many(lines, N_("unparseable date"), [str(v) for v in values])
            keep &= ~bad_end
        end_values = np.where(np.isnat(end.values), start.values, end.values)
        backwards = keep & (end_values < start.values)
        if backwards.any():
            report.warnings.append(
                N_(
                    "{count} event(s) end before they start; end set to start",
                    count=int(backwards.sum()),
                )
            )
            end_values = np.where(backwards, start.values, end_values)

    out: dict[str, Any] = {}
    ids = _columns.strip_text(col("id"))
    out["id"] = _columns.to_pandas_text(ids) if ids is not None else None
    out["start"] = start.values
    out["end"] = end_values
    out["date_precision"] = _precision(_floats(col("date_prec"), n))
    violence = _categorical(col("type_of_violence"), n)
    out["event_type"] = as_categorical(
        *per_combination([violence], lambda v: UCDP_VIOLENCE_TYPES.get(v or "", (None,))[0])
    )
    out["category"] = as_categorical(
        *per_combination(
            [violence], lambda v: UCDP_VIOLENCE_TYPES.get(v or "", (None, DEFAULT_CATEGORY))[1]
        )
    )
    out["actor1"] = _categorical(col("side_a"), n)
    out["actor2"] = _categorical(col("side_b"), n)
    out["country"] = _categorical(col("country"), n)
    out["admin1"] = _without_suffix(col("adm_1"), ADMIN1_SUFFIX, n)
    out["admin2"] = _without_suffix(col("adm_2"), ADMIN2_SUFFIX, n)
    out["location"] = _categorical(col("where_coordinates"), n)
    lat, lon = _floats(col("latitude"), n), _floats(col("longitude"), n)
    unknown = (lat == 0) & (lon == 0) | (np.abs(lat) > 90) | (np.abs(lon) > 180)
    out["latitude"] = np.where(unknown, np.nan, lat)
    out["longitude"] = np.where(unknown, np.nan, lon)
    out["geo_precision"] = _floats(col("where_prec"), n)
    for target, key in (
        ("fatalities", "best"),
        ("fatalities_low", "low"),
        ("fatalities_high", "high"),
    ):
        column = col(key)
        if column is not None:
            numbers, not_numbers = to_float(column)
            bad = int(not_numbers[keep].sum())
            if bad:
                report.warnings.append(
                    N_(
                        "{count} row(s) with a non-numeric {column} (unknown)",
                        count=bad,
                        column=cols[key],
                    )
                )
            out[target] = numbers
    out["source"] = _source(col("source_office"), col("source_headline"), n)
    out["notes"] = _notes(col("source_original"), col("where_description"))
    sides = as_categorical(*per_combination([out["actor1"], out["actor2"]], _sides))
    out["title"] = _columns.join_text([out["location"], sides], ": ")
    out["dataset"] = _columns.categorical(np.zeros(n, dtype=np.int8), [name])
    frame = _columns.frame_of(out, n)

    rows = np.flatnonzero(keep)
    if len(rows) < n:
        frame = frame.iloc[rows].reset_index(drop=True)
    _warn_duplicate_ids(report, frame)
    events = conform(frame)
    report.events = len(events)
    return Dataset(
        name=name,
        events=events,
        report=report,
        originals=_columns.originals_frame(text, rows),
        format="ucdp",
        licence=LICENCE,
        citation=CITATION,
    )


def _sides(side_a: str | None, side_b: str | None) -> str | None:
    """``"Government of Mali vs JNIM"``; the title is ``"{where_coordinates}: {sides}"``."""
    return " vs ".join(s for s in (side_a, side_b) if s) or None


def _floats(column: pa.ChunkedArray[Any] | None, n: int) -> np.ndarray:
    return np.full(n, np.nan) if column is None else to_float(column)[0]


def _categorical(column: pa.ChunkedArray[Any] | None, n: int) -> pd.Categorical:
    if column is None:
        return _columns.categorical(np.full(n, -1, dtype=np.int8), [])
    return stripped_categorical(column)


def _precision(codes: np.ndarray) -> pd.Categorical:
    labels = ["day", "week", "month", "year"]
    index = np.full(len(codes), -1, dtype=np.int8)
    for value, label in PRECISION.items():
        index[codes == value] = labels.index(label)
    return _columns.categorical(index, labels)


def _without_suffix(column: pa.ChunkedArray[Any] | None, pattern: str, n: int) -> pd.Categorical:
    values = _categorical(column, n)
    if not len(values.categories):
        return values
    cats = pd.Series(values.categories, dtype=object)
    trimmed = cats.str.replace(pattern, "", regex=True).str.strip()
    names = [str(t) or None for t in trimmed]
    return as_categorical(values.codes.astype(np.int64), names)


def _source(
    office: pa.ChunkedArray[Any] | None, headline: pa.ChunkedArray[Any] | None, n: int
) -> pd.Categorical:
    """The reporting source: ``source_office``, or the headline where no office is given."""
    parts = [_categorical(c, n) for c in (office, headline)]
    return as_categorical(*per_combination(parts, lambda o, h: o or h))


def _notes(
    original: pa.ChunkedArray[Any] | None, where: pa.ChunkedArray[Any] | None
) -> pd.Series | None:
    """``source_original`` then ``where_description``, one per line, blanks left out."""
    texts: list[Any] = [_columns.strip_text(c) for c in (original, where) if c is not None]
    if not texts:
        return None
    empty = pa.scalar("", pa.string())
    parts = [pc.if_else(pc.equal(p, empty), pa.scalar(None, pa.string()), p) for p in texts]
    joined = _columns.join_arrays(parts, "\n")
    return _columns.to_pandas_text(
        joined if isinstance(joined, pa.ChunkedArray) else pa.chunked_array([joined])
    )


def _warn_duplicate_ids(report: LoadReport, frame: pd.DataFrame) -> None:
    if "id" not in frame:
        return
    dup = frame["id"].duplicated(keep="first") & frame["id"].notna()
    if dup.any():
        report.warnings.append(
            N_(
                "{count} row(s) repeat an event id already seen (e.g. {example}); "
                "kept as separate events",
                count=int(dup.sum()),
                example=frame["id"][dup].iloc[0],
            )
        )


READER = UcdpReader()
