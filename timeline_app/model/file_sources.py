"""A converted file of several sources opened as its sources, one dataset each.

``timeline-app convert`` records the sources in the file's footer and writes each one's
rows as one run, in the order recorded (timeline_app/storage/convert.py). The whole
file, read once (and from the reopen cache), is cut into those runs: slices of its
frames, in file order, so that the memory engine's rows, dataset by dataset, are the
file's rows in order, as the DuckDB engine's ``__key`` orders them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_app.model.dataset import Dataset, LoadReport

#: What a source keeps of its file's record on top of its name (provenance: where from).
ORIGIN_KEYS = ("path", "format", "sha256", "events")


def split_sources(dataset: Dataset, records: list[dict[str, Any]]) -> None:
    """Give ``dataset`` (a whole converted file) its ``parts``, one per recorded source,
    when it records two or more and its rows are their runs in the recorded order;
    else it stays one dataset, named by the file (a file converted before sources were
    recorded, or another writer's)."""
    if len(records) < 2:
        return
    names = [str(r["name"]) for r in records]
    codes = pd.Categorical(dataset.events["dataset"], categories=names).codes
    if (codes < 0).any() or (np.diff(codes) < 0).any():
        return  # not one run per source, in order
    bounds = np.searchsorted(codes, np.arange(len(names) + 1))
    parts = []
    for k, record in enumerate(records):
        lo, hi = int(bounds[k]), int(bounds[k + 1])
        originals = dataset.originals
        if originals is not None and len(originals) == len(dataset.events):
            originals = originals.iloc[lo:hi]
        parts.append(
            Dataset(
                name=names[k],
                events=dataset.events.iloc[lo:hi],
                # Rows the reader rejected stay in the whole file's report (a converted
                # file has none: every row it holds was an event).
                report=LoadReport(format=dataset.report.format, rows_read=hi - lo, events=hi - lo),
                originals=originals,
                path=dataset.path,
                format=dataset.format,
                licence=str(record.get("licence") or ""),
                citation=str(record.get("citation") or ""),
                sha256=dataset.sha256,
                options=dict(dataset.options),
                source=origin(records, k),
            )
        )
    dataset.parts = parts


def origin(records: list[dict[str, Any]], k: int) -> dict[str, Any]:
    """What a source's dataset keeps of its record (``Dataset.source``), on either engine."""
    record = records[k]
    return {
        "name": str(record["name"]),
        **{key: record.get(key) for key in ORIGIN_KEYS},
        "sources_in_file": len(records),
    }


def set_sha256(dataset: Dataset, digest: str) -> None:
    """The file's SHA-256, on it and on each of its sources (the same file)."""
    for d in [dataset, *dataset.parts]:
        d.sha256 = digest


def by_file(datasets: list[Dataset]) -> list[list[Dataset]]:
    """The datasets grouped by the file opened: a converted file's sources, next to each
    other as they opened, together; any other dataset alone. A source met again is the
    file opened once more (a source closed, then the file reopened beside the rest)."""
    groups: list[list[Dataset]] = []
    for d in datasets:
        last = groups[-1][-1] if groups else None
        same = last is not None and last.source is not None and d.source is not None
        if same and last is not None and last.path == d.path and not _met(d, groups[-1]):
            groups[-1].append(d)
        else:
            groups.append([d])
    return groups


def _met(dataset: Dataset, group: list[Dataset]) -> bool:
    name = (dataset.source or {}).get("name")
    return any((d.source or {}).get("name") == name for d in group)


def whole(group: list[Dataset]) -> bool:
    """Whether a file's datasets are all it opens as (none of its sources closed)."""
    source = group[0].source
    return source is None or len(group) == int(source.get("sources_in_file") or 0)


def opened_name(dataset: Dataset) -> str:
    """The name a dataset gets when its file is opened afresh, before it is made unique:
    its source's, or the file's stem."""
    if dataset.source is not None:
        return str(dataset.source["name"])
    return Path(dataset.path).stem if dataset.path is not None else dataset.name
