"""Parquet inputs: one file, a folder of files, or a hive-partitioned dataset
(``country=Mali/year=2023/part-0.parquet``). Both engines read the same files in the
same order (their paths sorted as text), so row ``n`` is the same event in each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.parquet as pq

PARQUET_SUFFIX = ".parquet"
#: The prefix of the source's own columns in a converted file (``original.event_date``):
#: they sit beside the canonical columns without clashing with them.
ORIGINAL_PREFIX = "original."
#: The key of a converted file's footer metadata (Parquet key-value metadata) listing
#: its sources as JSON: [{name, path, format, licence, citation, sha256, events}, ...],
#: in the order of their rows (timeline_app/storage/convert.py).
SOURCES_KEY = "timeline_app.sources"
#: The folder names DuckDB (and Hive) give a partition of unknown values.
UNKNOWN_PARTITIONS = ("__HIVE_DEFAULT_PARTITION__", "NULL")


def parquet_files(path: Path | str) -> list[Path]:
    """The Parquet files ``path`` stands for, in reading order; [] when it is none."""
    path = Path(path)
    if path.is_file():
        return [path] if path.suffix.lower() == PARQUET_SUFFIX else []
    if not path.is_dir():
        return []
    found = [
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower() == PARQUET_SUFFIX
        and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
    ]
    return sorted(found, key=str)


def is_parquet_input(path: Path | str) -> bool:
    """A Parquet file, or a folder holding Parquet files."""
    return bool(parquet_files(path))


def parquet_bytes(path: Path | str) -> int:
    """The size on disk of the Parquet data ``path`` stands for."""
    return sum(p.stat().st_size for p in parquet_files(path))


def parquet_rows(path: Path | str, enough: int | None = None) -> int:
    """The rows of the Parquet data ``path`` stands for, from the files' footers (no
    row is read); the count stops once it reaches ``enough``. A file whose footer cannot
    be read counts none: the reader that opens it says why."""
    rows = 0
    for file in parquet_files(path):
        try:
            rows += int(pq.read_metadata(file).num_rows)
        except (OSError, pa.ArrowException):
            continue
        if enough is not None and rows >= enough:
            break
    return rows


def hive_partitions(root: Path, file: Path) -> dict[str, str | None]:
    """The ``key=value`` folders between ``root`` and ``file``: the values of the
    partition columns as text, read as DuckDB reads them with ``hive_types_autocast``
    off (percent-encoding decoded, as DuckDB writes it; its default partition is unknown)."""
    if root == file:
        return {}
    out: dict[str, str | None] = {}
    for part in file.relative_to(root).parts[:-1]:
        key, sep, value = part.partition("=")
        if sep and key:
            out[unquote(key)] = None if value in UNKNOWN_PARTITIONS else unquote(value)
    return out


def recorded_sources(path: Path | str) -> list[dict[str, Any]]:
    """The sources a converted file records in its footer (:data:`SOURCES_KEY`), in the
    order of their rows; [] for a folder, a file converted before they were recorded,
    another writer's file, or records that are not a list of uniquely named sources."""
    path = Path(path)
    if path.suffix.lower() != PARQUET_SUFFIX or not path.is_file():
        return []
    try:
        # The footer's bytes first (one read at the file's end): the key's absence is
        # the common case (any other Parquet file), and parsing a big file's footer
        # takes milliseconds of a DuckDB open.
        with open(path, "rb") as fh:
            size = fh.seek(0, 2)
            fh.seek(max(size - 8, 0))
            tail = fh.read(8)
            length = int.from_bytes(tail[:4], "little")
            if tail[4:] != b"PAR1" or length > size - 12:
                return []
            fh.seek(size - 8 - length)
            if SOURCES_KEY.encode() not in fh.read(length):
                return []
        meta = pq.read_metadata(path).metadata or {}
        records = json.loads(meta.get(SOURCES_KEY.encode(), b"[]"))
    except (OSError, ValueError, pa.ArrowException):
        return []
    if not isinstance(records, list) or not all(
        isinstance(r, dict) and isinstance(r.get("name"), str) for r in records
    ):
        return []
    names = [r["name"] for r in records]
    return records if len(set(names)) == len(names) else []
