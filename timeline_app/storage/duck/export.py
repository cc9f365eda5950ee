"""Exports by DuckDB: the file is written as the memory engine writes it
(model/export.py): the same columns in the same order, ISO dates (with times of day only
when a row of the column has one), whole numbers without a decimal point; atomically
(model/atomic.py).

A CSV of more than :data:`PART_ROWS` rows is written in parts, each a range of the first
sort key's values (its quantiles), :data:`PART_WORKERS` at a time, each on its share of
DuckDB's threads (engine.sharing_threads): DuckDB sorts such a part in memory, where one
sort of a year of events (a million rows of ~700 bytes) spills under the engine's memory
limit, 8-9 s where the parts take 3. The canonical layout's parts come back as Arrow
tables in display order, typed as the memory engine hands its rows to Arrow's CSV writer,
and that writer writes them one after another after the header, straight into the file
(no Python loop over rows; a few parts in memory at once). Other CSVs (the source's
original columns, the likely-same pairs' columns) are written by DuckDB's ``COPY … TO``
part by part and joined in order; a Parquet export is one ``COPY``."""

from __future__ import annotations

import os
import shutil
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from timeline_app.model.atomic import PART_SUFFIX, atomic_path
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
#: Rows of one part of a CSV export (see the module's note), and parts written at once.
PART_ROWS = 100_000
PART_WORKERS = 2
#: The likely-same pairs' table's alias in an export's SELECT.
MATCH_ALIAS = "__m"


@dataclass(frozen=True)
class ExportQuery:
    """What an export writes: its rows' SELECT (built per part by :meth:`sql`), their
    number, the columns whose values a CSV quotes, and the header."""

    spec: FilterSpec
    sort_keys: list[SortKey]
    extra_where: str
    #: The source columns the SELECT reads, and the output columns it makes of them.
    wanted: list[str]
    selected: list[str]
    count: int
    quoted: list[str]
    header: list[str]
    #: Joins the outer SELECT needs (the likely-same pairs' columns).
    joins: str = ""
    #: Whether the rows are typed for Arrow's CSV writer (:func:`export_sql`).
    arrow: bool = False

    @property
    def first(self) -> str:
        """The first sort key's value in the inner SELECT (row order with no sort)."""
        return f"{VIEW_ALIAS}.__s0" if self.sort_keys else f"{VIEW_ALIAS}.__key"

    def sql(
        self,
        engine: DuckEngine,
        condition: str = "true",
        condition_params: list[Any] | None = None,
        bound: str = "true",
    ) -> tuple[str, list[Any]]:
        """The SELECT in display order of the rows that also meet ``condition`` (over
        :attr:`first`), ``bound`` a condition on the view's columns that DuckDB can skip
        row groups by."""
        inner, params = engine.select_sql(
            self.spec,
            self.sort_keys,
            columns=self.wanted,
            extra_where=f"({self.extra_where}) AND ({bound})",
            ordered=False,
        )
        order = ", ".join(
            [
                f"{VIEW_ALIAS}.__s{i} {'ASC' if a else 'DESC'} NULLS LAST"
                for i, (_c, a) in enumerate(self.sort_keys)
            ]
            + [f"{VIEW_ALIAS}.__key"]
        )
        text = (
            f"SELECT {', '.join(self.selected)} FROM ({inner}) AS {VIEW_ALIAS} {self.joins} "
            f"WHERE {condition} ORDER BY {order}"
        )
        return text, params + list(condition_params or [])


def export_sql(
    engine: DuckEngine,
    spec: FilterSpec,
    sort_keys: list[SortKey],
    columns: str,
    fmt: str,
    extra_where: str = "true",
    match_table: str | None = None,
) -> ExportQuery:
    """What an export of ``spec``'s rows (and ``extra_where``'s) in ``columns`` writes;
    with ``match_table`` (storage/duck/matching.PairTables.columns) the likely-same
    pairs' ``match_group`` and ``match_score`` after them, as model/extra_columns.py
    adds them (empty outside pairs)."""
    if columns not in COLUMN_LAYOUTS:
        raise ExportError(f"unknown column layout {columns!r} (canonical or original)")
    where = f"({engine.where(spec)}) AND ({extra_where})"
    originals = [c for c in engine.columns if c.startswith(ORIGINAL_PREFIX)]
    if columns == "original" and not originals:
        raise ExportError("the original layout needs a file converted with its source columns")
    names = originals if columns == "original" else list(CANONICAL_COLUMNS)
    stats = _column_facts(engine, where) if columns == "canonical" and fmt == "csv" else None
    # The canonical layout's columns, typed as the memory engine hands them to Arrow's
    # writer (text, ISO dates as text, whole numbers as integers, other numbers as
    # floats, unknown as null), come out of that writer as from the memory engine.
    arrow = stats is not None and match_table is None
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
        elif arrow and name in FLOAT_COLUMNS:  # written by Arrow, as in memory
            selected.append(f"CASE WHEN isnan({column}) THEN NULL ELSE {column} END AS {alias}")
        elif stats is not None and name in FLOAT_COLUMNS:
            # Arrow writes a whole float without ".0" (95, not 95.0)
            whole = f"{column} = trunc({column}) AND abs({column}) < 1e15"
            selected.append(
                f"CASE WHEN {whole} THEN CAST(CAST({column} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST({column} AS VARCHAR) END AS {alias}"
            )
        else:
            selected.append(f"{column} AS {alias}")
    count = (
        stats["rows"]
        if stats is not None
        else int(engine.scalar(f"SELECT count(*) FROM events WHERE {where}"))
    )
    header = [n[len(ORIGINAL_PREFIX) :] if columns == "original" else n for n in names]
    joins = ""
    if match_table is not None:
        joins = (
            f"LEFT JOIN {match_table} AS {MATCH_ALIAS} ON {MATCH_ALIAS}.key = {VIEW_ALIAS}.__key"
        )
        score = f"{MATCH_ALIAS}.match_score"
        if fmt == "csv":  # as Arrow writes a float of 6 decimals: 0.5, 1, 0.000001
            score = f"rtrim(rtrim(printf('%.6f', {score}), '0'), '.')"
        selected += [f"{MATCH_ALIAS}.match_group AS match_group", f"{score} AS match_score"]
        header += ["match_group", "match_score"]
    return ExportQuery(
        spec=spec,
        sort_keys=list(sort_keys),
        extra_where=extra_where,
        wanted=list(CANONICAL_COLUMNS) + originals,
        selected=selected,
        count=int(count),
        quoted=quoted,
        header=header,
        joins=joins,
        arrow=arrow,
    )


def parts(engine: DuckEngine, query: ExportQuery, part_rows: int) -> list[tuple[str, list[Any]]]:
    """The export's SELECTs, one per range of the first sort key's values of about
    ``part_rows`` rows, in display order (their rows one after another are the whole
    export in display order: ties of the first key fall in one part)."""
    wanted = -(-query.count // max(part_rows, 1))
    if wanted <= 1:
        return [query.sql(engine)]
    narrow, params = engine.select_sql(
        query.spec,
        query.sort_keys,
        columns=["start"],
        extra_where=query.extra_where,
        ordered=False,
    )
    fractions = ", ".join(str(i / wanted) for i in range(1, wanted))
    try:
        found = engine.query(
            f"SELECT quantile_disc({query.first}, [{fractions}]) AS q "
            f"FROM ({narrow}) AS {VIEW_ALIAS}",
            params,
        )
    except EngineError:  # a key DuckDB has no quantiles of (booleans): one part
        return [query.sql(engine)]
    edges = sorted({v for v in (found.column("q")[0].as_py() or []) if v is not None})
    if not edges:
        return [query.sql(engine)]
    first = query.first
    column = query.sort_keys[0][0] if query.sort_keys else ""
    ranges: list[tuple[Any, Any]] = list(zip([None, *edges], [*edges, None], strict=True))
    ascending = query.sort_keys[0][1] if query.sort_keys else True
    if not ascending:
        ranges.reverse()
    out = []
    for low, high in ranges:
        condition, values, bounds = [], [], []
        if low is not None:
            condition.append(f"{first} >= ?")
            values.append(low)
        if high is not None:
            condition.append(f"{first} < ?")
            values.append(high)
        if column in DATE_COLUMNS:  # the same range on the column as stored: row groups skip
            name = sql.ident(column)
            bounds += [f"{name} >= {sql.timestamp_ns(low)}"] if low is not None else []
            bounds += [f"{name} < {sql.timestamp_ns(high)}"] if high is not None else []
        out.append(query.sql(engine, " AND ".join(condition), values, sql.all_of(bounds)))
    if query.sort_keys:  # unknown values sort last, whatever the direction
        out.append(query.sql(engine, f"{first} IS NULL"))
    return out


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
    *,
    match_table: str | None = None,
    part_rows: int = PART_ROWS,
    progress: Callable[[float], None] | None = None,
) -> int:
    """Write ``spec``'s rows (and ``extra_where``'s: a time range) in display order to
    ``out``; the row count. Atomic: a failed or interrupted export
    (:meth:`DuckEngine.interrupt`) leaves the old file. ``progress`` hears the share of
    the parts written; ``match_table`` adds the pairs' columns (:func:`export_sql`)."""
    out = Path(out)
    if fmt not in COPY_FORMATS:
        raise ExportError(f"the DuckDB engine exports {' or '.join(COPY_FORMATS)}, not {fmt}")
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {out}: folder {folder} does not exist")
    interrupts = engine.interrupts  # a Cancel between two parts stops the next ones
    query = export_sql(engine, spec, sort_keys, columns, fmt, extra_where, match_table)
    with atomic_path(out) as tmp:
        try:
            if fmt == "parquet":
                # Row groups of a converted file's size: the writer holds one in memory.
                text, params = query.sql(engine)
                options = f"FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP_ROWS}"
                engine.query(f"COPY ({text}) TO {sql.text(str(tmp))} ({options})", params)
            else:
                _write_csv(engine, query, tmp, bom, part_rows, interrupts, progress)
        except EngineError as err:
            raise ExportError(f"cannot write {out}: {err}") from err
    return query.count


def _write_csv(
    engine: DuckEngine,
    query: ExportQuery,
    tmp: Path,
    bom: bool,
    part_rows: int,
    interrupts: int,
    progress: Callable[[float], None] | None,
) -> None:
    """The header as the memory engine writes it (quoted only where needed), then
    DuckDB's rows, part after part (FORCE_QUOTE would quote the header's names too)."""
    options = "FORMAT csv, HEADER false"
    if query.quoted:
        options += f", FORCE_QUOTE ({', '.join(sql.ident(c) for c in query.quoted)})"
    selects = parts(engine, query, part_rows)
    if query.arrow:
        _write_csv_arrow(engine, query, selects, tmp, bom, interrupts, progress)
        return
    # Named as parts of the atomic write, so that a killed export's are cleaned up too.
    files = [
        tmp.with_name(f"{tmp.name[: -len(PART_SUFFIX)]}-{i}{PART_SUFFIX}")
        for i in range(len(selects))
    ]
    done = 0
    lock = threading.Lock()
    failed = threading.Event()  # a part failed: write no more

    def write(i: int) -> None:
        nonlocal done
        if engine.interrupts != interrupts:
            raise duckdb.InterruptException("the export was interrupted")
        if failed.is_set():
            return
        text, params = selects[i]
        engine.query(f"COPY ({text}) TO {sql.text(str(files[i]))} ({options})", params)
        with lock:
            done += 1
            if progress is not None:
                progress(done / len(selects))

    workers = min(PART_WORKERS, len(selects))
    try:
        with (
            engine.sharing_threads(workers),
            ThreadPoolExecutor(workers) as pool,
            open(tmp, "wb", buffering=0) as fh,
        ):
            futures = [pool.submit(write, i) for i in range(len(selects))]
            fh.write((BOM if bom else b"") + header_line(query.header))
            try:
                for future, part in zip(futures, files, strict=True):
                    future.result()  # each part joins the file while the next are written
                    _append(part, fh)
                    part.unlink()
            except BaseException:
                failed.set()
                for future in futures:
                    future.cancel()
                raise
    finally:
        for part in files:
            part.unlink(missing_ok=True)


def _write_csv_arrow(
    engine: DuckEngine,
    query: ExportQuery,
    selects: list[tuple[str, list[Any]]],
    tmp: Path,
    bom: bool,
    interrupts: int,
    progress: Callable[[float], None] | None,
) -> None:
    """The header, then each part's rows as Arrow's CSV writer writes them (the memory
    engine's writer and options: every text value quoted), in order, while the next
    parts are read: at most :data:`PART_WORKERS` parts ahead of the writer."""
    workers = min(PART_WORKERS, len(selects))
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")

    def read(i: int) -> pa.Table:
        if engine.interrupts != interrupts:
            raise duckdb.InterruptException("the export was interrupted")
        text, params = selects[i]
        return engine.query(text, params)

    pending: deque[Future[pa.Table]] = deque()
    with (
        engine.sharing_threads(workers),
        ThreadPoolExecutor(workers) as pool,
        pa.OSFile(str(tmp), "wb") as out,
    ):
        sink: Any = out  # Arrow's own file: the rows reach it without Python copies
        sink.write((BOM if bom else b"") + header_line(query.header))
        writer = None
        asked = 0
        try:
            for done in range(1, len(selects) + 1):
                while asked < len(selects) and len(pending) < workers:
                    pending.append(pool.submit(read, asked))
                    asked += 1
                rows = pending.popleft().result()
                if rows.num_rows:
                    if writer is None:
                        writer = pacsv.CSVWriter(sink, rows.schema, write_options=options)
                    writer.write_table(rows)
                del rows
                if progress is not None:
                    progress(done / len(selects))
        finally:
            for future in pending:
                future.cancel()
            if writer is not None:
                writer.close()


def _append(part: Path, out: BinaryIO) -> None:
    """``part``'s bytes after ``out``'s (an unbuffered file): in the kernel where it can
    (``copy_file_range``, a third of the time of a copy through Python's buffers)."""
    with open(part, "rb") as src:
        size, done = os.fstat(src.fileno()).st_size, 0
        copy = getattr(os, "copy_file_range", None)  # Linux only
        try:
            while copy is not None and done < size:
                copied = copy(src.fileno(), out.fileno(), size - done)
                if not copied:
                    break
                done += copied
        except OSError:  # a file system that cannot: the plain copy below
            pass
        src.seek(done)
        shutil.copyfileobj(src, out, 4 << 20)
