"""``timeline-app compare``: the W weeks before and after a date, for the filtered events.

The window's before-and-after view computes the same (model/trends/compare.py) and
writes this command into the provenance of what it exports.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline_app.commands.common import (
    UsageError,
    add_filter_options,
    add_input_options,
    fail,
    fail_unexpected,
    filter_spec,
    open_inputs,
    parse_date,
)
from timeline_app.commands.engines import engine_for, open_engine
from timeline_app.commands.export_duck import MEMORY_ONLY
from timeline_app.figures.compare_files import write_comparison
from timeline_app.formats.base import FormatError
from timeline_app.model.actor_store import activate_user_entries
from timeline_app.model.dataset import Dataset
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.trends import (
    CAVEAT,
    Comparison,
    compare,
    day_ns,
    iso_day,
    outer_ring_mask,
)
from timeline_app.model.trends.report import CompareChoice, memory_sources
from timeline_app.model.units import NS_PER_WEEK
from timeline_app.storage.duck.compare import CompareCounter
from timeline_app.storage.duck.facets import FacetCounter
from timeline_app.storage.duck.sql import timestamp_ns

DESCRIPTION = """Count the events of FILE(s) (or a workspace) in the W weeks before and
after DATE, by their start date: before is [DATE - 7W days, DATE), after is
[DATE, DATE + 7W days). Fatalities sum the known tolls only; events with an unknown
toll are counted apart. Takes every filter that export takes. A description of the
data, not a causal estimate."""
CHART_SUFFIXES = (".png", ".svg", ".csv")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline-app compare", description=DESCRIPTION)
    add_input_options(parser, workspace_gives="its files and filter")
    parser.add_argument("--at", required=True, metavar="DATE", help="the date, e.g. 2023-08-13")
    parser.add_argument(
        "--weeks", type=int, required=True, metavar="W", help="weeks on each side (1 or more)"
    )
    parser.add_argument(
        "--outer-ring",
        type=float,
        metavar="KM",
        help="also count the ring from --near's radius out to KM km around its point "
        "(to see violence move away)",
    )
    add_filter_options(parser)
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument(
        "--chart",
        type=Path,
        metavar="OUT.png|OUT.svg|OUT.csv",
        help="write the weekly chart (PNG or SVG), or its numbers (CSV)",
    )
    out.add_argument("--table", type=Path, metavar="OUT.csv", help="write the summary table as CSV")
    out.add_argument("--title", default="", help="the chart's title")
    out.add_argument("--no-provenance", action="store_true", help="no OUT.provenance.json")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        counted = run(args)
        written = write_outputs(args, counted)
    except (UsageError, FormatError, ValueError) as err:
        return fail(str(err))
    except OSError as err:
        return fail(f"{err.filename or ''}: {err.strerror or err}".lstrip(": "))
    except Exception as err:  # never a traceback for a user's input: it goes to the log
        return fail_unexpected(f"compare failed: {err}", err)
    result, ring = counted.result, counted.ring
    if args.json:
        data = result.as_dict()
        if ring is not None:
            data["outer_ring"] = ring.as_dict()
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(text_report(result, ring))
    for path in written:
        print(f"wrote {path}", file=sys.stderr if args.json else sys.stdout)
    return 0


@dataclass(frozen=True)
class Counted:
    """A comparison and what its files' provenance says of the data."""

    spec: FilterSpec
    datasets: list[Dataset]
    sources: list[dict[str, Any]]  # the sidecar's (each dataset, the events kept)
    result: Comparison
    ring: Comparison | None
    at_ns: int


def run(args: argparse.Namespace) -> Counted:
    if args.weeks < 1:
        raise UsageError(f"--weeks {args.weeks}: give 1 or more")
    at_ns = day_ns(parse_date(args.at, "--at"))
    memory_only = any(getattr(args, dest, None) for dest in MEMORY_ONLY)
    if args.files and engine_for(args, args.files) == "duckdb" and not memory_only:
        return run_duckdb(args, at_ns)
    # Options only the memory engine takes: on DuckDB only the weeks compared are read
    # into memory (counted by start).
    span = args.weeks * NS_PER_WEEK
    window = f"start >= {timestamp_ns(at_ns - span)} AND start < {timestamp_ns(at_ns + span)}"
    state, _workspace = open_inputs(args, window)
    result = compare(state.table, state.mask, at_ns, args.weeks)
    ring = None
    if args.outer_ring is not None:
        mask = outer_ring_mask(state.table, state.spec, args.outer_ring)
        ring = compare(state.table, mask, at_ns, args.weeks)
    sources = memory_sources(state.table, state.mask)
    return Counted(state.spec, state.table.datasets, sources, result, ring, at_ns)


def run_duckdb(args: argparse.Namespace, at_ns: int) -> Counted:
    """The comparison from SQL aggregates (storage/duck/compare.py): the memory engine's
    figures, notes and sources, reading only counts."""
    if args.names and len(args.names) != len(args.files):
        raise UsageError(f"--name given {len(args.names)} time(s) for {len(args.files)} file(s)")
    activate_user_entries()  # the actor dictionary the window uses: shipped + the user's
    spec = filter_spec(args, FilterSpec())
    engine = open_engine(args, args.files)
    try:
        counter = CompareCounter(engine, FacetCounter(engine))
        where = counter.where(spec)
        result = counter.compare(where, at_ns, args.weeks)
        ring = None
        if args.outer_ring is not None:
            ring = counter.compare(counter.ring_where(spec, args.outer_ring), at_ns, args.weeks)
        return Counted(spec, counter.datasets(), counter.sources(where), result, ring, at_ns)
    finally:
        engine.close()


def write_outputs(args: argparse.Namespace, counted: Counted) -> list[Path]:
    written = []
    for path, output in ((args.chart, "chart"), (args.table, "table")):
        if path is None:
            continue
        suffix = Path(path).suffix.lower()
        if output == "chart" and suffix not in CHART_SUFFIXES:
            raise UsageError(f"--chart {path}: a .png, .svg or .csv file")
        if output == "table" and suffix != ".csv":
            raise UsageError(f"--table {path}: a .csv file")
        choice = CompareChoice(
            Path(path), counted.spec, counted.at_ns, args.weeks, args.outer_ring, output,
            args.title,
        )  # fmt: skip
        write_comparison(counted.datasets, counted.sources, choice, counted.result, counted.ring)
        written.append(Path(path))
    if args.no_provenance:
        return written
    for path in list(written):
        written.append(Path(str(path) + ".provenance.json"))
    return written


def text_report(result: Comparison, ring: Comparison | None) -> str:
    lines = [f"{result.weeks} weeks before and after {iso_day(result.at_ns)}"]
    for name, c in (("area", result), ("outer ring", ring)):
        if c is None:
            continue
        b, a = c.before, c.after
        lines.append(f"{name}: before {iso_day(b.start_ns)} – {iso_day(b.end_ns)} (exclusive)")
        lines.append(f"{name}: after  {iso_day(a.start_ns)} – {iso_day(a.end_ns)} (exclusive)")
        lines.append(f"  {'':28}{'before':>8}{'after':>8}{'diff':>8}{'ratio':>8}")
        for label, before, after, diff, r in c.rows():
            ratio_text = "–" if r is None else f"{r:.2f}"
            lines.append(f"  {label:28}{before:>8g}{after:>8g}{diff:>+8g}{ratio_text:>8}")
    if result.actors:
        lines.append("largest changes (events naming the actor, before → after):")
        lines += [f"  {x.name}: {x.before} → {x.after} ({x.change:+d})" for x in result.actors]
    lines += list(result.notes)
    lines.append(CAVEAT)
    return "\n".join(lines)
