"""Exports streamed by DuckDB (``COPY (SELECT …) TO``): the rows never pass through
Python. The file is written as the memory engine writes it (model/export.py): the same
columns in the same order, ISO dates (with times of day only when a row of the column
has one), whole numbers without a decimal point; atomically (model/atomic.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from timeline_app.model.atomic import atomic_path
from timeline_app.model.export import BOM, COLUMN_LAYOUTS, ExportError, header_line
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.schema import CANONICAL_COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS
from timeline_app.model.sorting import SortKey
from timeline_app.model.units import NS_PER_DAY
from timeline_app.storage.convert import ROW_GROUP_ROWS
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.order import VIEW_ALIAS
from timeline_app.storage.duck.source import EngineError
from timeline_app.storage.parquet_files import ORIGINAL_PREFIX

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine

#: The formats DuckDB writes itself (XLSX goes through the memory engine's writer).
COPY_FORMATS = ("csv", "parquet")


def export_sql(
    engine: DuckEngine,
    spec: FilterSpec,
    sort_keys: list[SortKey],
    columns: str,
    fmt: str,
    extra_where: str = "true",
) -> tuple[str, list[object], int, list[str], list[str]]:
    """The SELECT an export copies, its parameters, its row count, the columns whose
    values a CSV quotes, and the header."""
    if columns not in COLUMN_LAYOUTS:
        raise ExportError(f"unknown column layout {columns!r} (canonical or original)")
    where = f"({engine.where(spec)}) AND ({extra_where})"
    originals = [c for c in engine.columns if c.startswith(ORIGINAL_PREFIX)]
    if columns == "original" and not originals:
        raise ExportError("the original layout needs a file converted with its source columns")
    names = originals if columns == "original" else list(CANONICAL_COLUMNS)
    stats = _column_facts(engine, where) if columns == "canonical" and fmt == "csv" else None
    selected = []
    quoted = []  # Arrow's CSV writer quotes every text value: so does this one
    for name in names:
        if engine.types.get(name) == "VARCHAR" or (stats is not None and name in DATE_COLUMNS):
            quoted.append(name[len(ORIGINAL_PREFIX) :] if columns == "original" else name)
        column = f"{VIEW_ALIAS}.{sql.ident(name)}"
        alias = sql.ident(name[len(ORIGINAL_PREFIX) :] if columns == "original" else name)
        if stats is not None and name in DATE_COLUMNS:
            form = "%Y-%m-%dT%H:%M:%S" if stats[f"timed_{name}"] else "%Y-%m-%d"
            selected.append(f"strftime({column}, '{form}') AS {alias}")
        elif stats is not None and name in FLOAT_COLUMNS and stats[f"whole_{name}"]:
            selected.append(f"CAST({column} AS BIGINT) AS {alias}")
        elif stats is not None and name in FLOAT_COLUMNS:
            # Arrow writes a whole float without ".0" (95, not 95.0)
            whole = f"{column} = trunc({column}) AND abs({column}) < 1e15"
            selected.append(
                f"CASE WHEN {whole} THEN CAST(CAST({column} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST({column} AS VARCHAR) END AS {alias}"
            )
        else:
            selected.append(f"{column} AS {alias}")
    inner, params = engine.select_sql(
        spec,
        sort_keys,
        columns=list(CANONICAL_COLUMNS) + originals,
        extra_where=extra_where,
        ordered=False,
    )
    count = (
        stats["rows"]
        if stats is not None
        else int(engine.scalar(f"SELECT count(*) FROM events WHERE {where}"))
    )
    text = f"SELECT {', '.join(selected)} FROM ({inner}) AS {VIEW_ALIAS}"
    if sort_keys:
        order = ", ".join(
            f"__s{i} {'ASC' if a else 'DESC'} NULLS LAST" for i, (_c, a) in enumerate(sort_keys)
        )
        text += f" ORDER BY {order}, {VIEW_ALIAS}.__key"
    else:
        text += f" ORDER BY {VIEW_ALIAS}.__key"
    header = [n[len(ORIGINAL_PREFIX) :] if columns == "original" else n for n in names]
    return text, params, int(count), quoted, header


def _column_facts(engine: DuckEngine, where: str) -> dict[str, int | bool]:
    """Over the exported rows: their number, whether a date column has a time of day,
    whether a float column holds only whole numbers (model/export._Source decides so)."""
    parts = ["count(*) AS rows"]
    for c in DATE_COLUMNS:
        parts.append(
            f"coalesce(bool_or(epoch_ns({sql.ident(c)}) % {NS_PER_DAY} <> 0), false) AS timed_{c}"
        )
    for c in FLOAT_COLUMNS:
        v = sql.ident(c)
        known = f"{v} IS NOT NULL AND NOT isnan({v})"
        parts.append(
            f"coalesce(bool_and(CASE WHEN {known} THEN {v} = round({v}) AND abs({v}) < 9007199254740992"
            f" END), true) AS whole_{c}"
        )
    found = engine.query(f"SELECT {', '.join(parts)} FROM events WHERE {where}")
    return {name: found.column(name)[0].as_py() for name in found.column_names}


def export(
    engine: DuckEngine,
    spec: FilterSpec,
    sort_keys: list[SortKey],
    out: Path | str,
    columns: str = "canonical",
    fmt: str = "csv",
    bom: bool = False,
    extra_where: str = "true",
) -> int:
    """Write ``spec``'s rows (and ``extra_where``'s: a time range) in display order to
    ``out``; the row count. Atomic: a failed or interrupted export
    (:meth:`DuckEngine.interrupt`) leaves the old file."""
    out = Path(out)
    if fmt not in COPY_FORMATS:
        raise ExportError(f"the DuckDB engine exports {' or '.join(COPY_FORMATS)}, not {fmt}")
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {out}: folder {folder} does not exist")
    text, params, count, quoted, header = export_sql(
        engine, spec, sort_keys, columns, fmt, extra_where
    )
    # Row groups of a converted file's size: the writer holds one in memory at a time.
    options = f"FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP_ROWS}"
    if fmt == "csv":
        # The header as the memory engine writes it (quoted only where needed), then
        # DuckDB's rows: FORCE_QUOTE would quote the header's names too.
        options = "FORMAT csv, HEADER false"
        if quoted:
            options += f", FORCE_QUOTE ({', '.join(sql.ident(c) for c in quoted)})"
    with atomic_path(out) as tmp:
        body = tmp.with_name(tmp.name + ".rows") if fmt == "csv" else tmp
        try:
            engine.query(f"COPY ({text}) TO {sql.text(str(body))} ({options})", params)
        except EngineError as err:
            raise ExportError(f"cannot write {out}: {err}") from err
        if body != tmp:
            try:
                with open(tmp, "wb") as fh, open(body, "rb") as rows:
                    fh.write((BOM if bom else b"") + header_line(header))
                    shutil.copyfileobj(rows, fh, 1 << 20)
            finally:
                body.unlink()
    return count
