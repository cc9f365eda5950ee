"""SQL text for values the app decides (never a user's text spliced into a query
unescaped): string, number and timestamp literals, identifiers."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd


def text(value: str) -> str:
    """A string literal (quotes doubled: DuckDB reads no backslash escapes)."""
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted identifier (column names such as ``end`` or ``original.event_date``)."""
    return '"' + str(name).replace('"', '""') + '"'


def number(value: float) -> str:
    value = float(value)
    if math.isnan(value):
        return "CAST('nan' AS DOUBLE)"
    if math.isinf(value):
        return "CAST('inf' AS DOUBLE)" if value > 0 else "CAST('-inf' AS DOUBLE)"
    return repr(value)


def timestamp_ns(ns: int) -> str:
    """A nanosecond timestamp literal (compared with the columns as they are, so that
    DuckDB can skip row groups by their min/max)."""
    return f"TIMESTAMP_NS '{pd.Timestamp(int(ns)).isoformat(sep=' ')}'"


def in_list(column: str, values: Iterable[str]) -> str:
    """``column IN (...)``, or ``false`` for no values."""
    listed = sorted(set(values))
    if not listed:
        return "false"
    return f"{ident(column)} IN ({', '.join(text(v) for v in listed)})"


def any_of(clauses: Iterable[str]) -> str:
    kept = [c for c in clauses if c != "false"]
    if not kept:
        return "false"
    return kept[0] if len(kept) == 1 else "(" + " OR ".join(kept) + ")"


def all_of(clauses: Iterable[str]) -> str:
    kept = [c for c in clauses if c != "true"]
    if "false" in kept:
        return "false"
    if not kept:
        return "true"
    return kept[0] if len(kept) == 1 else "(" + " AND ".join(kept) + ")"
