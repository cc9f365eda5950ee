"""What ``timeline-app inspect FILE --json`` reports: a file loaded without a window."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_app.formats.registry import load
from timeline_app.model.dataset import Dataset
from timeline_app.model.schema import ACTOR_SEPARATOR


def inspect_file(path: Path | str, format: str | None = None) -> dict[str, Any]:
    """Load ``path`` and summarise it as one JSON-ready object.

    Keys: format, rows_read, events, rows_merged, rows_rejected, rejected_by_reason,
    date_min (earliest start), date_max (latest end), categories (category -> count),
    actors (distinct over actor1, actor2 and the associated actors), regions (distinct
    admin1), encoding, warnings, rejected_samples, and the dataset's name, licence and
    citation. Raises ``FormatError`` (one line) for a file that cannot be read.
    """
    dataset = load(Path(path), format)
    return summarise(dataset)


def summarise(dataset: Dataset) -> dict[str, Any]:
    """The inspect summary of an already loaded dataset."""
    report = dataset.report.as_dict()
    events = dataset.events
    info: dict[str, Any] = {
        "file": str(dataset.path) if dataset.path else None,
        "dataset": dataset.name,
        "format": dataset.format or report["format"],
        "encoding": report["encoding"],
        "rows_read": report["rows_read"],
        "events": report["events"],
        "rows_merged": report["rows_merged"],
        "rows_rejected": report["rows_rejected"],
        "balanced": dataset.report.balanced,
        "rejected_by_reason": report["rejected_by_reason"],
        "date_min": _iso(events["start"].min()) if len(events) else None,
        "date_max": _iso(events["end"].max()) if len(events) else None,
        "categories": _counts(events["category"]),
        "actors": distinct_actors(events),
        "regions": int(events["admin1"].nunique(dropna=True)),
        "warnings": report["warnings"],
        "rejected_samples": report["rejected_samples"],
        "licence": dataset.licence,
        "citation": dataset.citation,
    }
    if dataset.parts:  # a converted file of several sources: what it opens as
        info["sources"] = [source_summary(d, len(d)) for d in dataset.parts]
    return info


def source_summary(dataset: Dataset, events: int) -> dict[str, Any]:
    """One source of a converted file, as ``inspect`` lists it (either engine)."""
    origin = dataset.source or {}
    return {
        "dataset": dataset.name,
        "events": events,
        "format": origin.get("format"),
        "path": origin.get("path"),
        "licence": dataset.licence,
        "citation": dataset.citation,
    }


def distinct_actors(events: pd.DataFrame) -> int:
    """Distinct actors named in actor1, actor2 or the ``;``-joined associated actors."""
    names: set[str] = set()
    for column in ("actor1", "actor2", "assoc_actors"):
        values = events[column]
        used: Iterable[Any]
        if isinstance(values.dtype, pd.CategoricalDtype):
            used = values.cat.remove_unused_categories().cat.categories  # once per distinct value
        else:
            used = pd.unique(values.dropna())
        for value in used:
            if column == "assoc_actors":
                names.update(p.strip() for p in str(value).split(ACTOR_SEPARATOR) if p.strip())
            elif str(value).strip():
                names.add(str(value).strip())
    return len(names)


def _counts(values: pd.Series) -> dict[str, int]:
    counts = values.value_counts(dropna=True)
    return {str(k): int(v) for k, v in counts.items() if v}


def _iso(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    return str(np.datetime64(pd.Timestamp(value).to_datetime64(), "D"))
