"""``timeline-app export --engine duckdb``: the export streamed by DuckDB from Parquet
(storage/duck/export.py), the same file and provenance as the memory engine writes; and
``export --workspace W`` of a workspace saved on DuckDB, streamed so too, the same file
and provenance as the window's File > Export… of that workspace."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timeline_app.commands.common import UsageError, filter_spec
from timeline_app.commands.engines import open_engine
from timeline_app.model.actor_store import activate_user_entries
from timeline_app.model.export import format_for_path
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.matching import MatchRule
from timeline_app.model.provenance import ExportChoice, sidecar_path
from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.model.sorting import DEFAULT_SORT
from timeline_app.model.state import TimeRange
from timeline_app.model.workspace import Workspace, WorkspaceError, load_workspace
from timeline_app.model.workspace_matching import search_among, use_recorded_entries
from timeline_app.model.workspace_values import DUCKDB
from timeline_app.storage.duck import DuckEngine, EngineError
from timeline_app.storage.duck.event_keys import keys_of_ids
from timeline_app.storage.duck.matching import match_source
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


def duckdb_workspace(args: argparse.Namespace) -> Workspace | None:
    """The ``--workspace`` when it was saved on DuckDB (``"engine": "duckdb"``) and
    ``--engine memory`` does not ask to read it into memory; None otherwise."""
    if args.workspace is None or args.engine == "memory":
        return None
    try:
        workspace = load_workspace(args.workspace)
    except WorkspaceError as err:
        raise UsageError(f"{args.workspace}: {err}") from err
    return workspace if workspace.engine == DUCKDB else None


def export_workspace_with_duckdb(
    args: argparse.Namespace,
    workspace: Workspace,
    sort_keys: Callable[[list[str]], list[tuple[str, bool]]],
    ns: Callable[[str], int],
) -> tuple[int, str]:
    """``export --workspace`` of a DuckDB workspace on DuckDB, as the window opens it
    (ui/workspace_duck.py) and exports it (ui/source_controller.export_to): its Parquet
    files and folders under their names, its actor entries, filter, sort, range and
    selection, and its likely-same search run again; (rows written, provenance note)."""
    for dest, flag in (("ids", "--id"), ("ids_from", "--ids-from")):
        if getattr(args, dest, None):
            raise UsageError(f"{flag} with a DuckDB workspace needs --engine memory")
    if args.canonical_actors:
        raise UsageError("--canonical-actors needs --engine memory")
    if args.files:
        raise UsageError("FILE(s) besides a DuckDB workspace need --engine memory")
    checks = workspace.check_files()
    problems = [c.message for c in checks if c.status != "ok"]
    if problems:  # as the memory engine's --workspace: never a changed file unsaid
        raise UsageError(f"{args.workspace}: {problems[0]}")
    activate_user_entries()
    use_recorded_entries(workspace.matching)
    names = [c.entry.sources or c.entry.name or c.path.stem for c in checks]
    try:
        engine = DuckEngine([c.path for c in checks], names=names, memory_limit=args.memory_limit)
    except EngineError as err:
        raise UsageError(str(err)) from err
    try:
        found = _search_again(engine, workspace, engine.dataset_names)
        match = _match_columns(args, found)
        spec = filter_spec(args, workspace.filter)
        sortable = {*CANONICAL_COLUMNS, *([MATCH_COLUMN] if found is not None else [])}
        recorded = [(c, a) for c, a in workspace.sort_keys if c in sortable]
        keys = sort_keys(args.sort) if args.sort else recorded or list(DEFAULT_SORT)
        scope = args.scope or ("range" if args.range else "filtered")
        r = workspace.selected_range
        time_range = TimeRange(ns(args.range[0]), ns(args.range[1])) if args.range else None
        time_range = time_range or (TimeRange(*r) if r else None)
        if scope in ("range", "range_all") and time_range is None:
            raise UsageError(f"--scope {scope} needs --range (or a workspace with a range)")
        selected = None
        if scope == "selected":
            if not workspace.selection:
                raise UsageError("--scope selected needs a workspace with a selection")
            selected = keys_of_ids(engine, workspace.selection)
        choice = ExportChoice(
            out=args.output,
            scope=scope,
            columns=args.columns,
            fmt=args.format_out or format_for_path(args.output),
            bom=args.bom,
            spec=spec,
            sort_keys=keys,
            time_range=time_range if scope in ("range", "range_all") else None,
            match=match,
            drop_matched_from=args.drop_matched_from,
            match_pairs=found,
        )
        count = export_with_provenance(
            engine, choice, provenance=not args.no_provenance, keys=selected
        )
    finally:
        engine.close()
    if args.no_provenance:
        return count, ""
    return count, f" (provenance: {sidecar_path(Path(args.output)).name})"


def _search_again(engine: DuckEngine, workspace: Workspace, names: list[str]) -> Any:
    """The workspace's likely-same search run again on DuckDB (None: it has none), its
    pairs kept for a filter on them, as the window runs it on reopening."""
    try:
        search = search_among(workspace.matching, set(names))
    except (ValueError, TypeError) as err:
        raise UsageError(f"the workspace's likely-same search: {err}") from err
    if search is None:
        return None
    found = match_source(engine, *search)
    engine.pairs = found.tables
    return found


def _match_columns(args: argparse.Namespace, found: Any) -> MatchRule | None:
    """``--match``'s rule: on DuckDB, the pairs' columns are those of the workspace's
    search (the memory engine pairs the exported rows for another rule)."""
    if args.drop_matched_from and not args.match:
        raise UsageError("--drop-matched-from needs --match")
    if not args.match:
        return None
    try:
        rule = MatchRule(days=args.days, km=args.km)
    except ValueError as err:
        raise UsageError(str(err)) from err
    recorded = None if found is None else found.result.rule
    if recorded is None or (recorded.days, recorded.km) != (rule.days, rule.km):
        raise UsageError(
            "--match on a DuckDB workspace gives its likely-same search's pairs "
            "(the same --days and --km); for others use --engine memory"
        )
    return recorded
