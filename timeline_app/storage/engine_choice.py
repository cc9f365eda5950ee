"""Which engine a set of inputs runs on: the one rule for the commands' ``--engine``
and the window's (its ``--engine`` and File > Open As…).

``memory`` reads every file into memory; ``duckdb`` queries Parquet inputs (a file, a
folder of files, a hive dataset) in place; ``auto`` takes DuckDB when every input is
Parquet and together they hold at least :data:`AUTO_DUCKDB_BYTES` on disk or
:data:`AUTO_DUCKDB_EVENTS` rows (a converted file of repetitive text compresses well:
the 10M-event benchmark file is 281 MB, ~25 GB once in memory).
"""

from __future__ import annotations

from pathlib import Path

from timeline_app.storage.parquet_files import is_parquet_input, parquet_bytes, parquet_rows

ENGINES = ("auto", "memory", "duckdb")
#: ``auto`` runs on DuckDB from this much Parquet on disk (1 GiB: about 3M events with
#: notes; ACLED's whole file, 2.5M events, stays in memory, where it is fastest).
AUTO_DUCKDB_BYTES = 1024**3
#: ... or from this many events (the footers' row counts): ACLED's 2.5M stay in memory.
AUTO_DUCKDB_EVENTS = 3_000_000


class NotParquetError(ValueError):
    """DuckDB was asked for inputs that are not all Parquet."""


def choose_engine(asked: str | None, files: list[Path]) -> str:
    """``memory`` or ``duckdb`` for these inputs. Raises NotParquetError."""
    asked = asked or "auto"
    parquet = bool(files) and all(is_parquet_input(f) for f in files)
    if asked == "duckdb":
        if not parquet:
            raise NotParquetError(
                "--engine duckdb reads Parquet files or folders of them "
                "(timeline-app convert FILE -o OUT.parquet makes one)"
            )
        return "duckdb"
    if asked == "memory" or not parquet:
        return "memory"
    if sum(parquet_bytes(f) for f in files) >= AUTO_DUCKDB_BYTES:
        return "duckdb"
    rows = 0
    for f in files:
        rows += parquet_rows(f, enough=AUTO_DUCKDB_EVENTS - rows)
        if rows >= AUTO_DUCKDB_EVENTS:
            return "duckdb"
    return "memory"
