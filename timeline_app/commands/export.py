"""``timeline-app export``: the GUI's export from a terminal, with the same rows and order.

It builds an AppState exactly as the window would (datasets in order, filter, sort,
range, selection) and calls the same model.export code, so a provenance sidecar's
command line re-creates the identical file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from timeline_app.commands.common import (
    UsageError,
    add_filter_options,
    add_input_options,
    fail,
    fail_unexpected,
    open_inputs,
)
from timeline_app.commands.engines import engine_for
from timeline_app.commands.export_duck import (
    duckdb_workspace,
    export_with_duckdb,
    export_workspace_with_duckdb,
)
from timeline_app.commands.match import add_rule_options
from timeline_app.formats.base import FormatError
from timeline_app.model.dataset import file_sha256
from timeline_app.model.export import (
    COLUMN_LAYOUTS,
    FORMATS,
    SCOPES,
    ExportError,
    choose_rows,
    event_keys,
    export_rows,
    format_for_path,
)
from timeline_app.model.extra_columns import same_events_columns
from timeline_app.model.matching import MatchRule
from timeline_app.model.provenance import (
    ExportChoice,
    build_provenance,
    sidecar_path,
    write_provenance,
)
from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.model.state import AppState, TimeRange

DESCRIPTION = """Export events from FILE(s) (or a workspace) as CSV, XLSX or Parquet, with a
provenance sidecar OUT.provenance.json. Repeating an option ORs its values; different
options AND together. --from/--to keep events whose [start, end] overlaps, inclusive."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline-app export", description=DESCRIPTION)
    add_input_options(parser, workspace_gives="its files, filter, sort, range and selection")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT",
        help="the file to write (replaced only once complete); the provenance goes "
        "to OUT.provenance.json beside it",
    )
    add_filter_options(parser)
    rows = parser.add_argument_group("which rows")
    rows.add_argument(
        "--range",
        nargs=2,
        metavar=("START", "END"),
        help="a timeline range (ISO, inclusive): events overlapping it",
    )
    rows.add_argument(
        "--id",
        dest="ids",
        action="append",
        metavar="DATASET:ID",
        help="only this event (a selection); DATASET: may be left out",
    )
    rows.add_argument(
        "--ids-from",
        type=Path,
        metavar="FILE",
        help="the events listed in FILE: a provenance sidecar's selection, or one "
        "DATASET:ID per line",
    )
    rows.add_argument(
        "--scope",
        choices=list(SCOPES),
        help="filtered (default), selected (--id or the workspace's selection), range "
        "(--range and the filters) or range_all (--range, ignoring the filters)",
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--sort",
        action="append",
        metavar="COL[:desc]",
        help="display order, first key first (default: start date, earliest first, as the "
        "window; ties in file order)",
    )
    out.add_argument("--columns", choices=COLUMN_LAYOUTS, default="canonical")
    out.add_argument("--format-out", choices=list(FORMATS), help="default: from OUT's suffix")
    out.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 BOM (Excel)")
    out.add_argument("--no-provenance", action="store_true", help="do not write the sidecar")
    out.add_argument(
        "--canonical-actors",
        action="store_true",
        help="add actor1_canonical, actor2_canonical and assoc_actors_canonical columns "
        "(the actor dictionary's names; the raw columns are kept as they are)",
    )
    same = parser.add_argument_group(
        "likely-same events", "pairs of the first two files' exported rows, by the rule of `match`"
    )
    same.add_argument(
        "--match", action="store_true", help="add match_group and match_score columns"
    )
    add_rule_options(same)
    same.add_argument(
        "--drop-matched-from",
        metavar="NAME",
        help="leave out this dataset's rows that are in a pair (so counts are not doubled)",
    )
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        workspace = duckdb_workspace(args)  # saved on DuckDB: exported on DuckDB
        if workspace is not None:
            count, note = export_workspace_with_duckdb(args, workspace, _sort_keys, _ns)
            print(f"wrote {count:,} rows to {args.output}{note}")
            return 0
        # A memory workspace's selection and pairs live in memory: auto keeps it there.
        duck = engine_for(args, args.files) == "duckdb"
        if duck and (args.workspace is None or args.engine == "duckdb"):
            count, note = export_with_duckdb(args, _sort_keys, _ns)
            print(f"wrote {count:,} rows to {args.output}{note}")
            return 0
        state, choice = prepare(args)
        rows = choose_rows(state, choice.scope)
        rows, extra = same_events_columns(state.table, rows, choice)
        count = export_rows(
            state.table, rows, choice.out, choice.columns, choice.fmt, choice.bom, extra=extra
        )
        if not args.no_provenance:
            data = build_provenance(state.table, rows, choice, file_sha256(choice.out))
            sidecar = write_provenance(choice.out, data)
        else:
            sidecar = sidecar_path(choice.out)
    except (UsageError, FormatError, ExportError) as err:
        return fail(str(err))
    except OSError as err:
        return fail(f"{err.filename or ''}: {err.strerror or err}".lstrip(": "))
    except Exception as err:  # never a traceback for a user's input: it goes to the log
        return fail_unexpected(f"export failed: {err}", err)
    note = "" if args.no_provenance else f" (provenance: {sidecar.name})"
    print(f"wrote {count:,} rows to {choice.out}{note}")
    return 0


def prepare(args: argparse.Namespace) -> tuple[AppState, ExportChoice]:
    """The AppState and export choice the arguments describe (as the window would hold)."""
    state, workspace = open_inputs(args)
    sort_keys = _sort_keys(args.sort) if args.sort else list(state.sort_keys)
    state.set_sort(sort_keys)
    if args.range:
        state.set_range(TimeRange(_ns(args.range[0]), _ns(args.range[1])))
    ids = list(args.ids or []) + (_ids_from(args.ids_from) if args.ids_from else [])
    if args.ids_from is not None or args.ids:
        wanted = _rows_of_ids(state, ids)
        state.select(wanted)
        if len(state.selection) < len(wanted):
            print(
                f"timeline-app: {len(wanted) - len(state.selection)} event(s) given by --id "
                "are not among the filtered rows",
                file=sys.stderr,
            )
    picked = bool(args.ids) or args.ids_from is not None
    scope = args.scope or ("selected" if picked else "range" if args.range else "filtered")
    if scope in ("range", "range_all") and state.range is None:
        raise UsageError(f"--scope {scope} needs --range (or a workspace with a range)")
    if scope == "selected" and not picked and workspace is None:
        raise UsageError("--scope selected needs --id (or a workspace with a selection)")
    fmt = args.format_out or format_for_path(args.output)
    match = _match_rule(args, state)
    choice = ExportChoice(
        out=args.output,
        scope=scope,
        columns=args.columns,
        fmt=fmt,
        bom=args.bom,
        spec=state.spec,
        sort_keys=list(state.sort_keys),
        time_range=state.range,
        selection=event_keys(state.table, state.selection),
        canonical_actors=args.canonical_actors,
        match=match,
        drop_matched_from=args.drop_matched_from,
        match_pairs=_workspace_pairs(state, match),
    )
    return state, choice


def _workspace_pairs(state: AppState, match: MatchRule | None):
    """The pairs a workspace's search found (among every event of its two datasets), used
    as the window uses them, unless --match asks for another rule."""
    found = state.match()
    if found is None or (match is not None and match != found.result.rule):
        return None
    return found


def _match_rule(args: argparse.Namespace, state: AppState):
    if args.drop_matched_from and not args.match:
        raise UsageError("--drop-matched-from needs --match")
    if not args.match:
        return None
    names = [d.name for d in state.table.datasets]
    if len(names) < 2:
        raise UsageError("--match needs two files (or a workspace with two datasets)")
    if args.drop_matched_from and args.drop_matched_from not in names[:2]:
        raise UsageError(f"--drop-matched-from {args.drop_matched_from!r}: not one of {names[:2]}")
    try:
        return MatchRule(days=args.days, km=args.km)
    except ValueError as err:
        raise UsageError(str(err)) from err


def _ns(text: str) -> int:
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise UsageError(f"--range {text!r}: not a date or time (ISO, e.g. 2023-09-05)")
    return int(stamp.as_unit("ns").value)


def _sort_keys(values: list[str]) -> list[tuple[str, bool]]:
    keys = []
    for value in values:
        column, _, direction = value.partition(":")
        if column not in CANONICAL_COLUMNS:
            raise UsageError(f"--sort {value!r}: unknown column {column!r}")
        if direction.lower() not in ("", "asc", "desc"):
            raise UsageError(f"--sort {value!r}: direction must be asc or desc")
        keys.append((column, direction.lower() != "desc"))
    return keys


def _ids_from(path: Path) -> list[str]:
    """``DATASET:ID`` keys from a provenance sidecar's selection, or from lines of text."""
    import json

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as err:
        raise UsageError(
            f"--ids-from {path}: cannot read: {getattr(err, 'strerror', err)}"
        ) from err
    if text.lstrip().startswith("{"):
        try:
            selection = json.loads(text).get("selection") or []
            return [f"{item['dataset']}:{item['id']}" for item in selection]
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            raise UsageError(f"--ids-from {path}: no readable 'selection' ({err})") from err
    return [line.strip() for line in text.splitlines() if line.strip()]


def _rows_of_ids(state: AppState, values: list[str]) -> np.ndarray:
    """Row numbers of ``DATASET:ID`` (or bare ``ID``: any dataset) keys, vectorised per
    dataset (a selection can hold thousands of events)."""
    table = state.table
    names = sorted((d.name for d in table.datasets), key=len, reverse=True)
    wanted: dict[str | None, set[str]] = {}
    for value in values:
        name = next((n for n in names if value.startswith(n + ":")), None)
        event_id = value[len(name) + 1 :] if name is not None else value
        wanted.setdefault(name, set()).add(event_id)
    hits = []
    for k, dataset in enumerate(table.datasets):
        ids = wanted.get(dataset.name, set()) | wanted.get(None, set())
        if not ids:
            continue
        lo, hi = table.offsets[k], table.offsets[k + 1]
        found = table.df["id"].iloc[lo:hi].isin(ids).to_numpy(dtype=bool, na_value=False)
        hits.append(lo + np.flatnonzero(found))
    return np.concatenate(hits).astype(np.int64) if hits else np.empty(0, np.int64)
