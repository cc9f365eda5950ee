"""``timeline-app inspect FILE``: load a file without a window and say what was found."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from timeline_app.commands.common import (
    UsageError,
    add_reading_options,
    fail,
    fail_unexpected,
    read_as,
)
from timeline_app.commands.engines import add_engine_option, engine_for, open_engine, summary
from timeline_app.formats.base import FormatError
from timeline_app.formats.inspect import summarise
from timeline_app.formats.registry import load


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline-app inspect",
        description="Load a file without a window and say what was found.",
    )
    parser.add_argument("file", type=Path)
    add_reading_options(parser)
    add_engine_option(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        if engine_for(args, [args.file]) == "duckdb":
            engine = open_engine(args, [args.file])
            try:
                info = summary(engine)
            finally:
                engine.close()
        else:
            how = read_as(args, [args.file])[0]
            info = summarise(load(args.file, how.format, options=how.load_options))
            info = {**dict(list(info.items())[:3]), "engine": "memory", **info}
    except (FormatError, UsageError) as err:
        return fail(str(err))
    except Exception as err:  # never a traceback for a bad file: it goes to the log
        return fail_unexpected(f"{args.file}: {err}", err)
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        for key, value in info.items():
            print(f"{key:>20}: {value}")
    return 0
