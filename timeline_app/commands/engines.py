"""``--engine {auto,memory,duckdb}``: which engine a command runs on.

``memory`` reads every file into memory (the readers, then numpy); ``duckdb`` queries
Parquet inputs (a file, a folder of files, a hive dataset) in place with DuckDB
(timeline_app/storage/duck), for data bigger than memory; ``auto`` takes DuckDB when
every input is Parquet and together they hold at least :data:`AUTO_DUCKDB_BYTES` on
disk or :data:`AUTO_DUCKDB_EVENTS` events, memory otherwise. Both give the same rows in the same order.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from timeline_app.commands.usage import UsageError
from timeline_app.formats.inspect import source_summary
from timeline_app.formats.registry import apply_sidecar
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.schema import ACTOR_SEPARATOR, CANONICAL_COLUMNS, conform
from timeline_app.storage.duck import DuckEngine, EngineError
from timeline_app.storage.duck import sql as duck_sql
from timeline_app.storage.duck.provenance import event_counts, source_datasets
from timeline_app.storage.engine_choice import (
    AUTO_DUCKDB_BYTES,
    AUTO_DUCKDB_EVENTS,
    ENGINES,
    NotParquetError,
    choose_engine,
)
from timeline_app.storage.parquet_files import ORIGINAL_PREFIX

__all__ = ["AUTO_DUCKDB_BYTES", "AUTO_DUCKDB_EVENTS", "ENGINES", "event_counts", "source_datasets"]
ENGINE_HELP = (
    "memory reads the files into memory; duckdb queries Parquet files, folders of them "
    "or hive datasets in place (for data bigger than memory: timeline-app convert makes "
    "one); auto (the default) takes duckdb for Parquet of 1 GiB or 3M events or more, memory otherwise"
)


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINES, default="auto", help=ENGINE_HELP)
    parser.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help="the DuckDB engine's memory limit, e.g. 2GB (past it, work spills to disk)",
    )


def engine_for(args: argparse.Namespace, files: list[Path]) -> str:
    """``memory`` or ``duckdb`` for these inputs. Raises UsageError."""
    try:
        return choose_engine(getattr(args, "engine", "auto"), files)
    except NotParquetError as err:
        raise UsageError(str(err)) from err


def open_engine(args: argparse.Namespace, files: list[Path]) -> DuckEngine:
    try:
        return DuckEngine(files, names=getattr(args, "names", None), memory_limit=args.memory_limit)
    except EngineError as err:
        raise UsageError(str(err)) from err


def materialise(engine: DuckEngine, where: str = "true") -> list[Dataset]:
    """The rows ``where`` keeps as in-memory datasets, one per input, in row order (for
    the work only the memory engine does: likely-same pairs, the before-and-after)."""
    originals = [c for c in engine.columns if c.startswith(ORIGINAL_PREFIX)]
    columns = ", ".join(duck_sql.ident(c) for c in [*CANONICAL_COLUMNS, *originals])
    out = []
    for dataset in source_datasets(engine):
        frame = engine.query(
            f"SELECT {columns} FROM events WHERE dataset = {duck_sql.text(dataset.name)} "
            f"AND ({where}) ORDER BY __key"
        ).to_pandas()
        dataset.events = conform(frame[list(CANONICAL_COLUMNS)])
        if originals:
            kept = frame[originals]
            dataset.originals = kept.set_axis(
                [c[len(ORIGINAL_PREFIX) :] for c in originals], axis=1
            )
        dataset.report = LoadReport("native", rows_read=len(frame), events=len(frame))
        out.append(dataset)
    return out


def summary(engine: DuckEngine) -> dict[str, Any]:
    """What ``inspect`` says of a file (formats/inspect.summarise), answered in SQL."""
    item = engine.inputs[0]
    sources = source_datasets(engine)
    dataset = sources[0]
    if item.sources:  # a converted file of several sources: the file's own, as memory's
        dataset = Dataset(name=item.name, events=sources[0].events, report=sources[0].report)
        apply_sidecar(dataset, item.path)
    rows_read = sum(pq.ParquetFile(f).metadata.num_rows for f in item.files)
    events = engine.count()
    span = engine.date_range()
    categories = engine.value_counts(FilterSpec(), "category")
    names: set[str] = set()
    for column in ("actor1", "actor2", "assoc_actors"):
        for value in engine.distinct(column):
            parts = value.split(ACTOR_SEPARATOR) if column == "assoc_actors" else [value]
            names.update(p.strip() for p in parts if p.strip())
    rejected = rows_read - events
    out: dict[str, Any] = {
        "file": str(item.path),
        "dataset": item.name,
        "format": "native",
        "engine": "duckdb",
        "encoding": "utf-8",
        "rows_read": rows_read,
        "events": events,
        "rows_merged": 0,
        "rows_rejected": rejected,
        "balanced": True,
        "rejected_by_reason": {"unparseable date": rejected} if rejected else {},
        "date_min": _day(span[0]) if span else None,
        "date_max": _day(span[1]) if span else None,
        "categories": dict(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))),
        "actors": len(names),
        "regions": len(engine.distinct("admin1")),
        "warnings": [],
        "rejected_samples": [],
        "licence": dataset.licence,
        "citation": dataset.citation,
    }
    if item.sources:
        counts = event_counts(engine)
        out["sources"] = [source_summary(d, counts.get(d.name, 0)) for d in sources]
    return out


def _day(ns: int) -> str:
    return str(pd.Timestamp(ns).date())
