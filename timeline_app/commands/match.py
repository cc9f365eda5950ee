"""``timeline-app match A B``: likely-same events across two files, by the published rule.

Prints the pairs (best score first) and how many candidates there were; ``--json`` prints
one object, ``-o pairs.csv`` writes every candidate with its status ("pair" or "also
possible"). Nothing is merged: each file keeps its own events and figures.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from timeline_app.commands.common import UsageError, fail
from timeline_app.commands.engines import add_engine_option, engine_for, materialise, open_engine
from timeline_app.formats.registry import FormatError, load
from timeline_app.model.atomic import atomic_open
from timeline_app.model.dataset import Dataset
from timeline_app.model.events import EventTable
from timeline_app.model.matching import (
    DEFAULT_DAYS,
    DEFAULT_KM,
    RULE_TEXT,
    MatchRule,
    match_datasets,
    pair_records,
)

DESCRIPTION = f"""Find the likely-same events of two files. {RULE_TEXT}"""


def add_rule_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """--days and --km (shared with ``export --match``)."""
    parser.add_argument(
        "--days",
        type=float,
        default=DEFAULT_DAYS,
        metavar="D",
        help=f"largest gap between the two events' [start, end] spans, in days (default {DEFAULT_DAYS:g})",
    )
    parser.add_argument(
        "--km",
        type=float,
        default=DEFAULT_KM,
        metavar="K",
        help=f"largest great-circle distance, in km (default {DEFAULT_KM:g})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline-app match", description=DESCRIPTION)
    parser.add_argument("first", type=Path, metavar="A", help="the first dataset's file")
    parser.add_argument("second", type=Path, metavar="B", help="the second dataset's file")
    parser.add_argument("--format", help="reader for both files instead of sniffing")
    add_rule_options(parser)
    add_engine_option(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PAIRS.csv",
        help="write every candidate (pairs first) with its status to this CSV",
    )
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        rule = MatchRule(days=args.days, km=args.km)
    except ValueError as err:
        return _fail(str(err))
    try:
        if engine_for(args, [args.first, args.second]) == "duckdb":
            # Pairs are found in memory: DuckDB only reads the Parquet inputs.
            engine = open_engine(args, [args.first, args.second])
            try:
                first, second = materialise(engine)
            finally:
                engine.close()
        else:
            first = load(args.first, args.format)
            second = load(args.second, args.format)
    except (FormatError, UsageError) as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(f"{err.filename or ''}: {err.strerror or err}".lstrip(": "))
    if second.name == first.name:
        second.name = f"{second.name} (2)"
    table = EventTable([first, second])
    result = match_datasets(table, first.name, second.name, rule)
    pairs = pair_records(table, result, result.pairs())
    also = pair_records(table, result, result.also_possible())
    if args.output is not None:
        try:
            write_candidates(args.output, pairs, also)
        except OSError as err:
            return _fail(f"cannot write {args.output}: {err.strerror or err}")
    report: dict[str, Any] = {
        "pairs": pairs,
        "candidates": result.candidates,
        "also_possible": also,
        "rule": rule.as_dict(),
        "a": _side(first, table, 0),
        "b": _side(second, table, 1),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{len(pairs):,} pairs among {result.candidates:,} candidates (D = {rule.days:g} days, K = {rule.km:g} km)"
    )
    for side in (report["a"], report["b"]):
        print(
            f"  {side['dataset']}: {side['events']:,} events, {side['with_coordinates']:,} with coordinates"
        )
    for p in pairs:
        print(
            f"{p['a_id']}\t{p['b_id']}\t{p['km']:.2f} km\t{p['days']:g} days\tscore {p['score']:.4f}"
        )
    if args.output is not None:
        print(f"wrote {len(pairs) + len(also):,} candidates to {args.output}")
    return 0


def _side(dataset: Dataset, table: EventTable, k: int) -> dict[str, Any]:
    lo, hi = table.offsets[k], table.offsets[k + 1]
    df = table.df.iloc[lo:hi]
    located = df["latitude"].notna().to_numpy() & df["longitude"].notna().to_numpy()
    return {
        "dataset": dataset.name,
        "path": str(dataset.path) if dataset.path else None,
        "events": int(hi - lo),
        "with_coordinates": int(np.count_nonzero(located)),
    }


def write_candidates(path: Path, pairs: list[dict], also: list[dict]) -> None:
    """Pairs then runners-up as CSV, replacing ``path`` only once complete."""
    rows = [dict(r, status="pair") for r in pairs] + [dict(r, status="also possible") for r in also]
    names = ["a_dataset", "a_id", "b_dataset", "b_id", "km", "days", "score", "status"]
    data = pa.table({n: pa.array([r[n] for r in rows]) for n in names}) if rows else None
    with atomic_open(path, "wb") as fh:  # replaced only once complete (model.atomic)
        if data is None:
            fh.write((",".join(names) + "\n").encode())
        else:
            options = pacsv.WriteOptions(quoting_style="needed")
            pacsv.write_csv(data, fh, write_options=options)


def _fail(message: str) -> int:
    return fail(message)
