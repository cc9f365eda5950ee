"""The events of Parquet inputs as one DuckDB view, shaped as the memory engine shapes
them: the canonical columns (missing ones unknown), ``dataset`` named as the window
names it (the input's stem, or a converted file's sources' recorded names, made unique), rows without a start left out (the native
reader rejects them), and ``__key``, a row's place in reading order (inputs, then their
files sorted as text, then the file's rows): the memory engine's row order, and the
last key of keyset paging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline_app.model.dataset import unique_name
from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.storage.duck import sql
from timeline_app.storage.parquet_files import hive_partitions, parquet_files, recorded_sources

#: ``__key`` = the file's index in reading order × 2**36 + its row: up to 68 billion rows
#: per file and 130,000 files.
FILE_SHIFT = 36
VIEW = "events"


class EngineError(ValueError):
    """What the DuckDB engine cannot do or read; the message is one line."""


@dataclass(frozen=True)
class Input:
    """One opened Parquet input: its path, dataset name and files in reading order; a
    converted file of several sources (its footer records them, each one run of rows)
    is a dataset per source: ``datasets`` their names, ``sources`` their records."""

    path: Path
    name: str
    files: tuple[Path, ...]
    first_file: int  # the index of its first file among all inputs' files
    datasets: tuple[str, ...] = ()
    sources: tuple[dict[str, Any], ...] = ()

    @property
    def hive(self) -> bool:
        return any(hive_partitions(self.path, f) for f in self.files)


#: An input's name as given: the file's dataset, or (a converted file of several
#: sources) its sources' names by the names the file records.
GivenName = str | dict[str, str]


def inputs(paths: list[Path], names: Sequence[GivenName] | None = None) -> list[Input]:
    """Each path as an input, its datasets named like AppState.add_dataset names them
    (a file by its stem, a converted file's sources as recorded, made unique)."""
    out: list[Input] = []
    taken: set[str] = set()
    first = 0
    for i, path in enumerate(paths):
        files = tuple(parquet_files(path))
        if not files:
            raise EngineError(f"{path}: no Parquet file (convert it: timeline-app convert)")
        given = names[i] if names else None
        records = recorded_sources(path) if len(files) == 1 else []
        records = records if len(records) >= 2 else []
        if records:
            renamed = given if isinstance(given, dict) else {}
            bases = [renamed.get(r["name"]) or str(r["name"]) for r in records]
        else:
            bases = [given if isinstance(given, str) and given else Path(path).stem]
        made = []
        for base in bases:
            made.append(unique_name(base, taken))
            taken.add(made[-1])
        name = Path(path).stem if records else made[0]
        out.append(Input(Path(path), name, files, first, tuple(made), tuple(records)))
        first += len(files)
    return out


def dataset_sql(item: Input) -> str:
    """The ``dataset`` column of an input: its name, or its sources' names by the names
    the file records in its ``dataset`` column."""
    if not item.sources:
        return f"{sql.text(item.name)} AS dataset"
    recorded = [str(r["name"]) for r in item.sources]
    if list(item.datasets) == recorded:
        return "CAST(dataset AS VARCHAR) AS dataset"
    cases = " ".join(
        f"WHEN {sql.text(r)} THEN {sql.text(n)}"
        for r, n in zip(recorded, item.datasets, strict=True)
    )
    return f"CASE CAST(dataset AS VARCHAR) {cases} END AS dataset"


def view_sql(item: Input, columns: dict[str, str]) -> str:
    """The SELECT of one input (``columns``: its own columns and their DuckDB types)."""
    files = "[" + ", ".join(sql.text(str(f)) for f in item.files) + "]"
    options = "union_by_name = true, filename = true, file_row_number = true"
    if item.hive:
        options += ", hive_partitioning = true, hive_types_autocast = false"
    else:
        options += ", hive_partitioning = false"
    select = []
    filled = {**_FILLED, "end": _typed_value("start", columns.get("start", "VARCHAR"))}
    for column in CANONICAL_COLUMNS:
        if column == "dataset":
            select.append(dataset_sql(item))
        elif column in _FILLED and column in columns:  # as schema.conform fills them
            value = _typed_value(column, columns[column])
            select.append(f"coalesce({value}, {filled[column]}) AS {sql.ident(column)}")
        elif column in _FILLED:
            select.append(f"{filled[column]} AS {sql.ident(column)}")
        elif column in columns:
            select.append(_typed(column, columns[column]))
        else:
            select.append(f"NULL{_null_type(column)} AS {sql.ident(column)}")
    extra = [c for c in columns if c not in CANONICAL_COLUMNS and c not in ("filename",)]
    select += [sql.ident(c) for c in extra if c != "file_row_number"]
    if len(item.files) == 1:
        index = str(item.first_file)
    else:
        index = f"({item.first_file} + list_position({files}, filename) - 1)"
    select.append(f"(({index})::BIGINT << {FILE_SHIFT}) + file_row_number AS __key")
    start = _typed_value("start", columns.get("start", "VARCHAR"))
    return (
        f"SELECT {', '.join(select)} FROM read_parquet({files}, {options}) "
        f"WHERE {start} IS NOT NULL"
    )


#: Unknown values the memory engine fills in (schema.conform): a point event ends where
#: it starts, the precision is the day, the category "other", not ongoing.
_FILLED = {"end": "start", "date_precision": "'day'", "category": "'other'", "ongoing": "false"}


def _typed(column: str, dtype: str) -> str:
    value = _typed_value(column, dtype)
    return value if value == sql.ident(column) else f"{value} AS {sql.ident(column)}"


def _typed_value(column: str, dtype: str) -> str:
    name = sql.ident(column)
    if column in ("start", "end") and not dtype.upper().startswith("TIMESTAMP"):
        return f"TRY_CAST({name} AS TIMESTAMP_NS)"
    if column in ("start", "end") and dtype.upper() != "TIMESTAMP_NS":
        return f"CAST({name} AS TIMESTAMP_NS)"
    return name


def _null_type(column: str) -> str:
    if column in ("start", "end"):
        return "::TIMESTAMP_NS"
    if column in ("latitude", "longitude", "geo_precision") or column.startswith("fatalities"):
        return "::DOUBLE"
    if column == "ongoing":
        return "::BOOLEAN"
    return "::VARCHAR"
