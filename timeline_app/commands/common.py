"""What every command shares: how a failure is reported, the options that say how to
read a file (``--format``, ``--mapping``, ``--date-order``), and, for the commands that
export or count events (``export``, ``compare``), the inputs and the filter options."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_app.commands.engines import add_engine_option, engine_for, materialise, open_engine
from timeline_app.commands.usage import UsageError
from timeline_app.formats.base import DATE_ORDERS, FormatError
from timeline_app.formats.mapping import ColumnMapping, read_mapping_file
from timeline_app.formats.registry import load
from timeline_app.logs import log_file
from timeline_app.model.actor_store import activate_user_entries
from timeline_app.model.filters import FilterSpec
from timeline_app.model.spatial import (
    AreaError,
    missing_coordinates,
    parse_bbox,
    parse_near,
    read_area,
)
from timeline_app.model.state import AppState
from timeline_app.model.workspace import Workspace, WorkspaceError, open_workspace

log = logging.getLogger(__name__)

MAPPING_HELP = (
    "how to read a table no reader knows: a JSON file (or a JSON object) mapping fields "
    'to the file\'s columns, e.g. {"start": "when", "title": "what", "actor1": "who"}; '
    "optional keys date_order and categories (see the README). Given once, it is used "
    "for every FILE; given once per FILE, in order ({} for a file that needs none)"
)
DATE_ORDER_HELP = (
    "how to read n/n/yyyy dates: day-first (31/12/2023) or month-first (12/31/2023); "
    "by default decided from each date column, else the format's documented default, "
    "with a warning"
)


def fail(message: str) -> int:
    """One line on stderr, exit status 2: never a traceback for a user's mistake."""
    print(f"timeline-app: {message}", file=sys.stderr)
    return 2


def fail_unexpected(message: str, error: BaseException) -> int:
    """An error nobody foresaw (a bug, most likely): one line on stderr that says where
    its traceback is, and the traceback in the log."""
    log.error("%s", message, exc_info=error)
    return fail(f"{message} (details in {log_file()})")


def add_reading_options(parser: argparse.ArgumentParser, *, every: str = "FILE") -> None:
    """``--format``, ``--mapping`` and ``--date-order``, as every command takes them."""
    parser.add_argument("--format", help=f"reader for every {every} instead of sniffing")
    parser.add_argument(
        "--mapping", dest="mappings", action="append", metavar="FILE.json", help=MAPPING_HELP
    )
    parser.add_argument(
        "--date-order", choices=[o for o in DATE_ORDERS if o != "auto"], help=DATE_ORDER_HELP
    )


@dataclass
class ReadAs:
    """How to read one file: the reader (None: sniff) and its options."""

    format: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def load_options(self) -> dict[str, Any] | None:
        return self.options or None


def read_as(args: argparse.Namespace, files: list[Path]) -> list[ReadAs]:
    """How to read each of ``files`` by the reading options. Raises UsageError."""
    mappings: list[ColumnMapping] = []
    for text in getattr(args, "mappings", None) or []:
        try:
            mappings.append(read_mapping_file(text))
        except FormatError as err:
            raise UsageError(str(err)) from err
    if len(mappings) > 1 and len(mappings) != len(files):
        raise UsageError(f"--mapping given {len(mappings)} times for {len(files)} file(s)")
    out = []
    for i, _path in enumerate(files):
        options: dict[str, Any] = {}
        fmt = args.format
        mapping = mappings[i if len(mappings) > 1 else 0].to_dict() if mappings else {}
        if mapping:  # "{}" (in a list of one per file): this file is read without one
            options["mapping"] = mapping
            if fmt not in (None, "table"):
                raise UsageError(f"--mapping reads a file as a mapped table, not --format {fmt}")
            fmt = "table"
        if args.date_order:
            options["date_order"] = args.date_order
        out.append(ReadAs(fmt, options))
    return out


# -- the inputs and filters every command that counts or exports takes ----------------------------
#: Filter options that select values: (flag, FilterSpec field, help)
LIST_OPTIONS = (
    ("--dataset", "datasets", "dataset name (as the window names it: the file's stem)"),
    (
        "--actor",
        "actors",
        "actor: its raw name, canonical name or an alias in the actor dictionary "
        "(whole name, case- and accent-insensitive); =NAME: that spelling only",
    ),
    ("--region", "regions", "country or admin region name"),
    ("--category", "categories", "event category (attack, mourning, ...)"),
    ("--event-type", "event_types", "event type"),
    ("--sub-event-type", "sub_event_types", "sub-event type"),
)


def filter_spec(args: argparse.Namespace, base: FilterSpec) -> FilterSpec:
    """The workspace's (or an empty) filter, with each option given replacing its field."""
    changes: dict = {}
    for _flag, dest, _text in LIST_OPTIONS:
        values = getattr(args, dest)
        if values:
            changes[dest] = tuple(values)
    if args.date_from is not None:
        changes["date_from"] = parse_date(args.date_from, "--from")
    if args.date_to is not None:
        changes["date_to"] = parse_date(args.date_to, "--to")
    if args.text is not None:
        changes["text"] = args.text
    if args.min_fatalities is not None:
        changes["fatalities_min"] = args.min_fatalities
    if args.max_fatalities is not None:
        changes["fatalities_max"] = args.max_fatalities
    if args.include_unknown is not None:
        changes["include_unknown_fatalities"] = args.include_unknown
    changes.update(spatial_changes(args))
    for dest in ("actor_aliases", "include_uncertain_actors"):
        if getattr(args, dest) is not None:
            changes[dest] = getattr(args, dest)
    return base.with_(**changes) if changes else base


def add_spatial_options(group: argparse._ArgumentGroup) -> None:
    """--bbox, --near and --within (kernels in model/spatial.py)."""
    group.add_argument(
        "--bbox",
        metavar="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT",
        help="events inside the box (bounds inclusive); write --bbox=-5,10,5,20 "
        "when it starts with a minus",
    )
    group.add_argument(
        "--near", metavar="LAT,LON,KM", help="events within KM km of the point (great circle)"
    )
    group.add_argument(
        "--within",
        type=Path,
        metavar="FILE.geojson",
        help="events inside the union of the file's Polygon/MultiPolygon features",
    )


def spatial_changes(args: argparse.Namespace) -> dict:
    """The FilterSpec fields the spatial options give (events without coordinates never
    pass them)."""
    changes: dict = {}
    for flag, name, parse in (("--bbox", "bbox", parse_bbox), ("--near", "near", parse_near)):
        text = getattr(args, name)
        if text is not None:
            try:
                changes[name] = parse(text)
            except ValueError as err:
                raise UsageError(f"{flag} {text!r}: {err}") from err
    if args.within is not None:
        try:
            changes["within"] = read_area(args.within)
        except AreaError as err:
            raise UsageError(f"--within {err}") from err
        changes["within_name"] = args.within.name
    return changes


def parse_date(text: str, flag: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            stamp = pd.Timestamp(text.strip())
        except (ValueError, TypeError):
            stamp = pd.NaT
        if pd.isna(stamp):
            raise UsageError(f"{flag} {text!r}: not a date (use YYYY-MM-DD)") from None
        return stamp.to_pydatetime()


def add_name_option(parser: argparse.ArgumentParser) -> None:
    """``--name``: the dataset name of each FILE, as every command that reads files takes it."""
    parser.add_argument(
        "--name",
        dest="names",
        action="append",
        metavar="NAME",
        help="the dataset name of each FILE, in order (default: the file's stem)",
    )


def add_input_options(parser: argparse.ArgumentParser, *, workspace_gives: str) -> None:
    """FILE(s), the reading options, ``--name`` and ``--workspace``."""
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="event files")
    add_reading_options(parser)
    add_name_option(parser)
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="FILE",
        help=f"a .tlx.json workspace: {workspace_gives} (options given here replace the "
        "workspace's)",
    )
    add_engine_option(parser)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The filter options (as ``export`` takes them; model/provenance.spec_arguments
    writes them back)."""
    filters = parser.add_argument_group("filters")
    for flag, dest, text in LIST_OPTIONS:
        filters.add_argument(flag, dest=dest, action="append", metavar="NAME", help=text)
    filters.add_argument(
        "--no-aliases",
        dest="actor_aliases",
        action="store_const",
        const=False,
        help="--actor matches raw names only (the actor dictionary is not used)",
    )
    filters.add_argument(
        "--include-uncertain-actors",
        dest="include_uncertain_actors",
        action="store_const",
        const=True,
        help="--actor also takes attributions the source left uncertain (X and/or Y)",
    )
    filters.add_argument("--from", dest="date_from", metavar="DATE", help="e.g. 2023-09-01")
    filters.add_argument("--to", dest="date_to", metavar="DATE", help="inclusive: a whole day")
    filters.add_argument("--text", help="substring of title, notes, location or source")
    filters.add_argument("--min-fatalities", type=float, metavar="N")
    filters.add_argument("--max-fatalities", type=float, metavar="N")
    add_spatial_options(filters)
    unknown = filters.add_mutually_exclusive_group()
    unknown.add_argument(
        "--include-unknown-fatalities",
        dest="include_unknown",
        action="store_const",
        const=True,
        help="keep events whose fatalities are unknown (the default)",
    )
    unknown.add_argument(
        "--exclude-unknown-fatalities", dest="include_unknown", action="store_const", const=False
    )


def open_inputs(
    args: argparse.Namespace, duck_rows: str = "true"
) -> tuple[AppState, Workspace | None]:
    """An AppState holding the files (or the workspace) with the filter the options give,
    as the window would hold it. Raises UsageError, FormatError.

    On the DuckDB engine (``--engine``), only the rows the SQL condition ``duck_rows``
    keeps are read into memory: those the command looks at (a date window)."""
    activate_user_entries()  # the actor dictionary the window uses: shipped + the user's
    state = AppState()
    workspace = None
    if args.workspace is not None:
        workspace = _open_workspace(args.workspace, state)
    if args.names and len(args.names) != len(args.files):
        raise UsageError(f"--name given {len(args.names)} time(s) for {len(args.files)} file(s)")
    if engine_for(args, args.files) == "duckdb":
        engine = open_engine(args, args.files)
        try:
            for dataset in materialise(engine, duck_rows):
                state.add_dataset(dataset)
        finally:
            engine.close()
    for i, (path, how) in enumerate(zip(args.files, read_as(args, args.files), strict=True)):
        if engine_for(args, args.files) == "duckdb":
            break
        dataset = load(path, how.format, options=how.load_options)
        if args.names:
            dataset.name = args.names[i]
        state.add_dataset(dataset)
    if not state.table.datasets:
        raise UsageError("no input: give FILE(s) or --workspace")
    spec = filter_spec(args, workspace.filter if workspace else FilterSpec())
    state.set_filter(spec)
    left_out = missing_coordinates(state.table, spec)
    if left_out:
        print(
            f"timeline-app: {left_out:,} event(s) left out by the spatial filter "
            "for lack of coordinates",
            file=sys.stderr,
        )
    return state, workspace


def _open_workspace(path: Path, state: AppState) -> Workspace:
    try:
        opened = open_workspace(path, load=load, open_changed=False)
    except WorkspaceError as err:
        raise UsageError(f"{path}: {err}") from err
    problems = opened.problems()
    if problems:
        raise UsageError(f"{path}: {problems[0]}")
    opened.apply(state)
    return opened.workspace
