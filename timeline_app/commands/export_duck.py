"""``timeline-app export --engine duckdb``: the export streamed by DuckDB from Parquet
(storage/duck/export.py), the same file and provenance as the memory engine writes."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from timeline_app.commands.common import UsageError, filter_spec
from timeline_app.commands.engines import open_engine
from timeline_app.model.actor_store import activate_user_entries
from timeline_app.model.export import format_for_path
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.provenance import ExportChoice, sidecar_path
from timeline_app.model.sorting import DEFAULT_SORT
from timeline_app.model.state import TimeRange
from timeline_app.storage.duck.provenance import export_with_provenance

#: Options the DuckDB engine leaves to the memory engine, with what they do.
MEMORY_ONLY = {
    "workspace": "--workspace",
    "ids": "--id",
    "ids_from": "--ids-from",
    "match": "--match",
    "canonical_actors": "--canonical-actors",
}


def export_with_duckdb(
    args: argparse.Namespace,
    sort_keys: Callable[[list[str]], list[tuple[str, bool]]],
    ns: Callable[[str], int],
) -> tuple[int, str]:
    """Write the export the arguments describe; (rows written, provenance note)."""
    for dest, flag in MEMORY_ONLY.items():
        if getattr(args, dest, None):
            raise UsageError(f"{flag} needs --engine memory")
    if args.names and len(args.names) != len(args.files):
        raise UsageError(f"--name given {len(args.names)} time(s) for {len(args.files)} file(s)")
    activate_user_entries()  # the actor dictionary the window uses: shipped + the user's
    spec = filter_spec(args, FilterSpec())
    keys = sort_keys(args.sort) if args.sort else list(DEFAULT_SORT)
    scope = args.scope or ("range" if args.range else "filtered")
    if scope == "selected":
        raise UsageError("--scope selected needs --engine memory")
    time_range = None
    if scope in ("range", "range_all"):
        if not args.range:
            raise UsageError(f"--scope {scope} needs --range")
        time_range = TimeRange(ns(args.range[0]), ns(args.range[1]))
    fmt = args.format_out or format_for_path(args.output)
    engine = open_engine(args, args.files)
    try:
        choice = ExportChoice(
            out=args.output,
            scope=scope,
            columns=args.columns,
            fmt=fmt,
            bom=args.bom,
            spec=spec,
            sort_keys=keys,
            time_range=time_range,
        )
        count = export_with_provenance(engine, choice, provenance=not args.no_provenance)
        if args.no_provenance:
            return count, ""
        return count, f" (provenance: {sidecar_path(args.output).name})"
    finally:
        engine.close()
