"""An export streamed by DuckDB with the memory engine's provenance (the same sidecar:
sources, counts, filter, sort, the file's hash): for ``timeline-app export --engine
duckdb`` and the window's File > Export… on a DuckDB dataset alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from timeline_app.formats.registry import apply_sidecar
from timeline_app.model.dataset import Dataset, LoadReport, file_sha256
from timeline_app.model.export import ExportError
from timeline_app.model.file_sources import origin
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.provenance import (
    ExportChoice,
    provenance_record,
    source_record,
    write_provenance,
)
from timeline_app.model.schema import conform
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.export import export

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine


def source_datasets(engine: DuckEngine) -> list[Dataset]:
    """Each dataset as the memory engine describes it (name, path, format, licence and
    citation from ``NAME.meta.json``, or a converted file's source's as recorded, with
    its origin), without its events: for provenance."""
    out = []
    for item in engine.inputs:
        for k, name in enumerate(item.datasets):
            dataset = Dataset(
                name=name, events=conform(pd.DataFrame()), report=LoadReport("native")
            )
            dataset.path, dataset.format = item.path, "native"
            if item.sources:  # as model/file_sources.split_sources describes a source
                records = list(item.sources)
                dataset.licence = str(records[k].get("licence") or "")
                dataset.citation = str(records[k].get("citation") or "")
                dataset.source = origin(records, k)
            else:
                apply_sidecar(dataset, item.path)
            out.append(dataset)
    return out


def event_counts(engine: DuckEngine, where: str = "true") -> dict[str, int]:
    """Events per dataset among the rows ``where`` keeps."""
    found = engine.query(f"SELECT dataset, count(*) FROM events WHERE {where} GROUP BY dataset")
    counts = dict(zip(found.column(0).to_pylist(), found.column(1).to_pylist(), strict=True))
    return {str(k): int(v or 0) for k, v in counts.items()}


def selected_ids(engine: DuckEngine, where: str) -> list[tuple[str, str]]:
    """(dataset, id) of the rows ``where`` keeps in reading order: a selection as the
    memory engine names it (model/export.py event_keys)."""
    found = engine.query(f"SELECT dataset, id FROM events WHERE {where} ORDER BY __key")
    datasets = [str(v) for v in found.column(0).to_pylist()]
    return list(zip(datasets, [str(v) for v in found.column(1).to_pylist()], strict=True))


def export_with_provenance(
    engine: DuckEngine,
    choice: ExportChoice,
    provenance: bool = True,
    progress: Callable[[float], None] | None = None,
    keys: np.ndarray | None = None,
) -> int:
    """Write ``choice``'s export (scopes filtered, range, range_all; selected: the
    events of ``keys`` the filter keeps, as memory's selection after a filter) and,
    unless told not to, its provenance sidecar; the rows written. With ``choice.match``
    the likely-same pairs' columns come from ``choice.match_pairs`` (the window's
    storage/duck/matching.SourceMatch), as the memory window's export adds them."""
    match_table = None
    if choice.match is not None:
        tables = getattr(choice.match_pairs, "tables", None)
        if tables is None:
            raise ExportError("on DuckDB, the pairs' columns need Find Likely Same Events first")
        if choice.drop_matched_from:
            raise ExportError("leaving out a dataset's matched rows needs the memory engine")
        match_table = tables.columns
    where = "true"
    if choice.scope == "selected":
        where = f"__key IN (SELECT key FROM {engine.key_table(np.asarray(keys, np.int64))})"
        kept = f"({engine.where(choice.spec)}) AND ({where})"
        choice = replace(choice, selection=selected_ids(engine, kept))
    if choice.time_range is not None and choice.scope in ("range", "range_all"):
        where = (
            f"start <= {sql.timestamp_ns(choice.time_range.end_ns)} "
            f'AND "end" >= {sql.timestamp_ns(choice.time_range.start_ns)}'
        )
    applied = FilterSpec() if choice.scope == "range_all" else choice.spec
    count = export(
        engine,
        applied,
        list(choice.sort_keys),
        choice.out,
        choice.columns,
        choice.fmt,
        choice.bom,
        where,
        match_table=match_table,
        progress=progress,
    )
    if not provenance:
        return count
    datasets = source_datasets(engine)
    totals = event_counts(engine)
    exported = event_counts(engine, f"({engine.where(applied)}) AND ({where})")
    sources = [source_record(d, exported.get(d.name, 0), totals.get(d.name, 0)) for d in datasets]
    data = provenance_record(datasets, sources, count, choice, file_sha256(choice.out))
    write_provenance(choice.out, data)
    return count
