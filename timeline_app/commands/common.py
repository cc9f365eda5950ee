"""What every command shares: how a failure is reported, and the options that say how
to read a file (``--format``, ``--mapping``, ``--date-order``)."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline_app.formats.base import DATE_ORDERS, FormatError
from timeline_app.formats.mapping import ColumnMapping, read_mapping_file
from timeline_app.logs import log_file

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


class UsageError(Exception):
    """A command line that cannot be carried out; the message is one line."""


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
