"""``timeline-app convert FILE... -o OUT.parquet``: the files as one Parquet file that the
DuckDB engine reads without loading it (layout in timeline_app/storage/convert.py),
with a provenance sidecar whose command writes it again."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from timeline_app.commands.common import (
    UsageError,
    add_name_option,
    add_reading_options,
    fail,
    fail_unexpected,
    read_as,
)
from timeline_app.formats.base import FormatError
from timeline_app.formats.registry import load
from timeline_app.model.dataset import Dataset, unique_name
from timeline_app.model.provenance import sidecar_path
from timeline_app.storage.convert import ROW_GROUP_ROWS, SORT_DESCRIPTION
from timeline_app.storage.save_converted import save_converted


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline-app convert",
        description="Convert event files (any format the app reads) to one Parquet file, "
        f"sorted by {SORT_DESCRIPTION}, in row groups of {ROW_GROUP_ROWS:,} rows, with the "
        "canonical columns and the source's own as original.NAME. Files are read one at "
        "a time; the sort runs out of core. The file records its sources (name, path, "
        "format, licence, citation) in its footer: a file of several sources opens as "
        "one dataset per source, on either engine.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.parquet")
    add_reading_options(parser)
    add_name_option(parser)
    parser.add_argument(
        "--memory-limit", metavar="SIZE", help="DuckDB's memory limit for the sort, e.g. 1GB"
    )
    parser.add_argument("--no-provenance", action="store_true", help="do not write the sidecar")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    out: Path = args.output
    try:
        if out.suffix.lower() != ".parquet":
            raise UsageError(f"{out}: the output must be a .parquet file")
        if out.is_dir():
            raise UsageError(f"cannot write {out}: it is a folder")
        if args.names and len(args.names) != len(args.files):
            raise UsageError(
                f"--name given {len(args.names)} time(s) for {len(args.files)} file(s)"
            )
        converted = save_converted(
            _datasets(args),
            out,
            provenance=not args.no_provenance,
            memory_limit=args.memory_limit,
        )
    except (UsageError, FormatError) as err:
        return fail(str(err))
    except OSError as err:
        return fail(f"{err.filename or ''}: {err.strerror or err}".lstrip(": "))
    except Exception as err:  # never a traceback for a user's input: it goes to the log
        return fail_unexpected(f"convert failed: {err}", err)
    note = "" if args.no_provenance else f" (provenance: {sidecar_path(out).name})"
    print(f"wrote {converted.rows:,} events to {out}{note}")
    return 0


def _datasets(args: argparse.Namespace) -> Iterator[Dataset]:
    """Each file read when its turn comes (so only one is in memory at a time), named as
    the window would name it (the stem, or a converted file's sources' names, made
    unique) or by --name."""
    taken: set[str] = set()
    for i, (path, how) in enumerate(zip(args.files, read_as(args, args.files), strict=True)):
        loaded = load(path, how.format, options=how.load_options, use_cache=False)
        if args.names:
            loaded.name = args.names[i]
        for dataset in loaded.opened:  # a converted file of several sources: each one
            dataset.name = unique_name(dataset.name, taken)
            taken.add(dataset.name)
            yield dataset
