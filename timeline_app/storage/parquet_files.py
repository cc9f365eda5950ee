"""Parquet inputs: one file, a folder of files, or a hive-partitioned dataset
(``country=Mali/year=2023/part-0.parquet``). Both engines read the same files in the
same order (their paths sorted as text), so row ``n`` is the same event in each."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

PARQUET_SUFFIX = ".parquet"
#: The prefix of the source's own columns in a converted file (``original.event_date``):
#: they sit beside the canonical columns without clashing with them.
ORIGINAL_PREFIX = "original."
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
