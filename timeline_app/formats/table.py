"""Any table (CSV with any delimiter, XLSX, Parquet, JSON records) mapped to events by the user.

No layout is assumed: a :class:`~.mapping.ColumnMapping` says which source column holds
each canonical field. The mapping comes from the mapping dialog or ``--mapping``
(``options={"mapping": ...}``) or from a mapping the user saved earlier for a file with
the same header. Without one, reading fails with :class:`NeedsMapping`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_app.formats._dates import parse_date_series
from timeline_app.formats.base import (
    DAY_FIRST,
    CancelFn,
    FileProbe,
    FormatError,
    NeedsMapping,
    ProgressFn,
    date_order_option,
)
from timeline_app.formats.category_map import ACLED_EVENT_TYPES
from timeline_app.formats.mapping import ColumnMapping, saved_mapping
from timeline_app.formats.raw_table import RawTable, RowAccount, read_raw_table
from timeline_app.model.dataset import Dataset
from timeline_app.model.messages import N_
from timeline_app.model.schema import CATEGORIES, conform

#: Slash dates in a mapped table that nothing in the column decides are read day-first
#: (and the import report says so); a mapping's ``date_order`` or --date-order overrides.
DEFAULT_DATE_ORDER = DAY_FIRST


@dataclass
class MappedRows:
    """The events made from a raw table, and the rows that could not become events."""

    events: pd.DataFrame  # canonical columns, one row per kept source row
    kept: np.ndarray  # bool per source row: became an event
    rejected: list[tuple[np.ndarray, str, list[str]]]  # (row indices, reason, offending values)
    warnings: list[str]


def _text(frame: pd.DataFrame, col: str | None) -> pd.Series | None:
    """A mapped column's text, stripped; None when the field is not mapped."""
    if not col:
        return None
    return _cells(frame, col)


def _cells(frame: pd.DataFrame, col: str) -> pd.Series:
    """A column's text, stripped."""
    cells: pd.Series = frame[col].astype(str).str.strip()
    return cells


def _numbers(values: pd.Series) -> tuple[pd.Series, int]:
    """Numbers from text; blanks and non-numbers are unknown (NaN). Returns the non-number count."""
    cleaned = values.str.replace(",", "", regex=False).str.strip()
    numbers = pd.to_numeric(cleaned, errors="coerce")
    bad = int((numbers.isna() & (cleaned != "") & (cleaned.str.upper() != "NA")).sum())
    return numbers.astype("float64"), bad


def apply_mapping(raw: RawTable, mapping: ColumnMapping) -> MappedRows:
    """Turn ``raw`` into canonical events by ``mapping`` (vectorised; no per-row Python)."""
    problem = mapping.problem(raw.header)
    if problem:
        raise FormatError(
            N_("the column mapping does not fit this file: {problem}", problem=problem)
        )
    frame = raw.frame
    n = len(frame)
    warnings: list[str] = []
    rejected: list[tuple[np.ndarray, str, list[str]]] = []
    kept = np.ones(n, dtype=bool)

    start_col = mapping.start or mapping.date
    assert start_col, "mapping.problem() requires a date"
    start_text = _cells(frame, start_col)
    end_text = _cells(frame, mapping.end) if mapping.start and mapping.end else None
    # Start and end share one day/month order, decided from both columns.
    start, precision, order, date_warnings = parse_date_series(
        start_text, mapping.date_order, DEFAULT_DATE_ORDER, decide_with=end_text
    )
    warnings.extend(date_warnings)
    no_start = start.isna().to_numpy()
    blank = start_text.eq("").to_numpy()
    for mask, reason in (
        (no_start & blank, N_("no date")),
        (no_start & ~blank, N_("unparseable date")),
    ):
        idx = np.flatnonzero(mask & kept)
        if idx.size:
            rejected.append((idx, reason, start_text.to_numpy()[idx].tolist()))
        kept &= ~mask

    end = start.copy()
    if end_text is not None:
        parsed_end, _, _, _ = parse_date_series(end_text, order or DEFAULT_DATE_ORDER)
        bad_end = (parsed_end.isna() & end_text.ne("")).to_numpy()
        idx = np.flatnonzero(bad_end & kept)
        if idx.size:
            rejected.append((idx, "unparseable end date", end_text.to_numpy()[idx].tolist()))
        kept &= ~bad_end
        end = parsed_end.fillna(start)
        backwards = (end < start).to_numpy()
        idx = np.flatnonzero(backwards & kept)
        if idx.size:
            texts = (start_text + " > " + end_text).to_numpy()[idx].tolist()
            rejected.append((idx, "end date before start date", texts))
        kept &= ~backwards

    out = pd.DataFrame({"start": start, "end": end, "date_precision": precision})
    for name in (
        "id",
        "event_type",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "admin2",
        "location",
        "notes",
        "source",
    ):
        values = _text(frame, getattr(mapping, name))
        if values is not None:
            out[name] = values

    if mapping.fatalities:
        out["fatalities"], bad = _numbers(_cells(frame, mapping.fatalities))
        if bad:
            warnings.append(N_("{count} non-numeric fatality value(s) read as unknown", count=bad))
    if mapping.latitude and mapping.longitude:
        lat, bad_lat = _numbers(_cells(frame, mapping.latitude))
        lon, bad_lon = _numbers(_cells(frame, mapping.longitude))
        # 0,0 is the Gulf of Guinea: in event data it means "not located".
        unknown = ((lat == 0) & (lon == 0)) | ~lat.between(-90, 90) | ~lon.between(-180, 180)
        out["latitude"] = lat.mask(unknown)
        out["longitude"] = lon.mask(unknown)
        if bad_lat or bad_lon:
            warnings.append(
                N_("{count} non-numeric coordinate(s) read as unknown", count=max(bad_lat, bad_lon))
            )

    out["category"] = _categories(frame, mapping)
    out["title"] = _titles(frame, mapping, out)

    if mapping.id:
        # Ids are unique per dataset; only rows still kept can clash (a rejected row
        # does not claim its id), and blank ids never clash.
        ids = out["id"].where(kept & (out["id"] != "").to_numpy())
        dup = (ids.duplicated(keep="first") & ids.notna()).to_numpy()
        idx = np.flatnonzero(dup)
        if idx.size:
            rejected.append((idx, "duplicate id", ids.to_numpy()[idx].tolist()))
        kept &= ~dup

    events = conform(out.loc[kept].reset_index(drop=True))
    return MappedRows(events=events, kept=kept, rejected=rejected, warnings=warnings)


def _categories(frame: pd.DataFrame, mapping: ColumnMapping) -> pd.Series:
    """Category by the mapping's rules (value -> category), then from a mapped category
    column (known names as-is), else from the event type."""
    if mapping.category:
        values = _cells(frame, mapping.category)
        lowered = values.str.lower()
        made = lowered.where(lowered != "", "other")
    elif mapping.event_type:
        values = _cells(frame, mapping.event_type)
        made = category_for_event_types(values)
    else:
        return pd.Series(["other"] * len(frame), dtype=object)
    if mapping.categories:
        ruled = values.map(mapping.categories)
        made = ruled.where(ruled.notna(), made)
    result: pd.Series = made
    return result


#: Event-type words that make an event an attack when the user maps no category.
_VIOLENT_WORDS = (
    r"attack|battle|armed clash|clash|explosion|bomb|shell|air ?strike|drone|ambush|assault|"
    r"massacre|kill|violence against civilians|remote violence|abduction|kidnap|raid|fight|ied"
)


def category_for_event_types(event_types: pd.Series) -> pd.Series:
    """Category from event-type names: ACLED's types by the shared table in ``category_map``;
    a category name used as a type -> itself; other violent-sounding types -> ``attack``;
    the rest -> ``other``."""
    lowered = event_types.astype(str).str.strip().str.lower()
    result = pd.Series(np.full(len(lowered), "other", dtype=object), index=lowered.index)
    violent = lowered.str.contains(_VIOLENT_WORDS, regex=True, na=False)
    result = result.where(~violent, "attack")
    result = result.where(~lowered.isin(CATEGORIES), lowered)
    # ACLED's own type names follow the project's documented table.
    known = lowered.map(ACLED_EVENT_TYPES)
    categories: pd.Series = result.where(known.isna(), known)
    return categories


def _titles(frame: pd.DataFrame, mapping: ColumnMapping, out: pd.DataFrame) -> pd.Series:
    """The mapped title, or one made of what is known: "Type: actor in place"."""
    n = len(frame)
    empty = pd.Series([""] * n, index=frame.index, dtype=object)
    given = _cells(frame, mapping.title) if mapping.title else empty
    what = out.get("event_type", empty)
    who = out.get("actor1", empty)
    place = empty
    for name in ("location", "admin2", "admin1", "country"):
        if name in out:
            place = place.where(place != "", out[name])
    made = what.where(what != "", "Event")
    made = made.where(who.eq(""), made + ": " + who)
    made = made.where(place.eq(""), made + " in " + place)
    result: pd.Series = given.where(given.ne(""), made)
    return result


def load_mapped(
    raw: RawTable,
    mapping: ColumnMapping,
    *,
    name: str,
    format_name: str = "table",
) -> Dataset:
    """A Dataset from a raw table and a mapping, with every row accounted for."""
    report = RowAccount(raw, format_name).report
    mapped = apply_mapping(raw, mapping)
    for idx, reason, texts in mapped.rejected:
        lines = raw.line_numbers(idx)
        report.reject_many([int(v) for v in lines], reason, [str(t) for t in texts])
    report.warnings.extend(mapped.warnings)
    report.events = len(mapped.events)
    originals = raw.frame.loc[mapped.kept].reset_index(drop=True)
    originals.columns = raw.header
    return Dataset(
        name=name,
        events=mapped.events,
        report=report,
        originals=originals,
        format=format_name,
    )


class TableReader:
    name = "table"
    label = "Table with mapped columns (CSV, XLSX, Parquet, JSON)"

    def sniff(self, probe: FileProbe) -> float:
        # Any readable table qualifies, but only as the last resort: known layouts win,
        # and an unknown table goes to the mapping dialog.
        if probe.container in ("xlsx", "parquet", "json"):
            return 0.05 if probe.header else 0.0
        if probe.text and len(probe.header) >= 2 and probe.has_rows:
            return 0.05
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
        options = options or {}
        raw = read_raw_table(
            path, delimiter=options.get("delimiter"), progress=progress, cancelled=cancelled
        )
        mapping = options.get("mapping")
        if isinstance(mapping, dict):
            mapping = ColumnMapping.from_dict(mapping)
        if mapping is None:
            mapping = saved_mapping(raw.header)
            if mapping is None:
                raise NeedsMapping(
                    f"{path.name}: not a known event table layout; map its columns to fields"
                )
            raw.warnings.append(N_("columns mapped by a saved mapping for this header"))
        forced = date_order_option(options)
        if forced != "auto":  # --date-order, over the mapping's own
            mapping = replace(mapping, date_order=forced)
        dataset = load_mapped(raw, mapping, name=path.stem)
        if progress:
            progress(1.0)
        return dataset


READER = TableReader()
