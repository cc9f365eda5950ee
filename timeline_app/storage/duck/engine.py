"""The DuckDB engine: the app's questions about events answered by SQL over Parquet,
without loading the events (DuckDB reads only the columns and row groups a query needs
and spills to disk past its memory limit).

One engine per opened set of inputs. It is safe to use from several threads: each
thread gets its own cursor (``con.cursor()``), as DuckDB wants, and :meth:`interrupt`
stops every query running now (the worker's Cancel).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.model.sorting import SortKey
from timeline_app.model.spatial import known_xy, near_mask_xy, within_mask_xy
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.order import VIEW_ALIAS, Ordering, rank_rows, rank_table
from timeline_app.storage.duck.source import (
    VIEW,
    EngineError,
    GivenName,
    Input,
    inputs,
    view_sql,
)
from timeline_app.storage.duck.where import condition

log = logging.getLogger(__name__)

#: Rows a table page holds by default.
PAGE_ROWS = 200


@dataclass
class Page:
    """Rows of one page in display order, and what asks for the next one."""

    rows: pa.Table
    #: The last row's sort values and ``__key``: pass it as ``after`` for the next page.
    last: tuple[Any, ...] | None = None
    keys: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))


#: Selections' key tables kept (an export and a copy of older ones may still run).
KEPT_KEY_TABLES = 8


class DuckEngine:
    """Events of Parquet inputs (files, folders, hive datasets), queried in SQL."""

    def __init__(
        self,
        paths: list[Path] | Path,
        *,
        names: Sequence[GivenName] | None = None,
        memory_limit: str | None = None,
        threads: int | None = None,
        temp_directory: Path | None = None,
    ) -> None:
        self.inputs: list[Input] = inputs([Path(p) for p in _as_list(paths)], names)
        #: The datasets' names, in row order (a converted file's sources each one).
        self.dataset_names: list[str] = [n for item in self.inputs for n in item.datasets]
        config: dict[str, Any] = {"preserve_insertion_order": True}
        if memory_limit:
            config["memory_limit"] = memory_limit
        if threads:
            config["threads"] = int(threads)
        if temp_directory is not None:
            config["temp_directory"] = str(temp_directory)
        self._con = duckdb.connect(config=config)
        self._local = threading.local()
        self._running: set[duckdb.DuckDBPyConnection] = set()
        #: How many times :meth:`interrupt` was called.
        self.interrupts = 0
        self._lock = threading.Lock()
        self._making = threading.Lock()  # the shared tables (keys, ranks): one maker at a time
        self._distinct: dict[tuple[str, str], list[Any]] = {}
        self._longest: int | None = None  # longest_span_ns, once worked out
        self._longest_asked = False
        self._span_thread: threading.Thread | None = None
        self._closed = False  # close() begun: no query starts any more
        self._spatial: dict[str, str] = {}
        #: The tables of the likely-same pairs kept (storage/duck/matching.PairTables).
        self.pairs: Any = None
        self._ranked: set[str] = set()
        self._key_tables: list[str] = []  # selections' keys, newest last
        self._sharing = 0  # blocks in sharing_threads now
        selects = []
        for item in self.inputs:
            try:
                described = self._con.execute(
                    "DESCRIBE SELECT * FROM read_parquet(?, union_by_name = true"
                    + (
                        ", hive_partitioning = true, hive_types_autocast = false)"
                        if item.hive
                        else ")"
                    ),
                    [[str(f) for f in item.files]],
                ).fetchall()
            except duckdb.Error as err:
                raise EngineError(f"{item.path}: not readable as Parquet ({err})") from err
            columns = {str(row[0]): str(row[1]) for row in described}
            missing = {"start", "title"} - set(columns)
            if missing:
                raise EngineError(
                    f"{item.path.name}: missing column(s) {', '.join(sorted(missing))}"
                )
            selects.append(view_sql(item, columns))
        # Each query reads the files' footers again otherwise (the row groups' offsets and
        # statistics: ~11 ms a query on a 10M-event file, most of a table page's time).
        # DuckDB checks a file's modification time before it uses its cached footer, so a
        # file rewritten while open is read anew. (Settable only once Parquet was read:
        # the setting is the parquet extension's.)
        self._con.execute("SET GLOBAL parquet_metadata_cache = true")
        self._con.execute(f"CREATE VIEW {VIEW} AS " + " UNION ALL BY NAME ".join(selects))
        described = self._con.execute(f"DESCRIBE {VIEW}").fetchall()
        #: The view's columns (canonical, then the files' others) and their DuckDB types.
        self.types: dict[str, str] = {str(r[0]): str(r[1]) for r in described if r[0] != "__key"}
        self.columns: list[str] = list(self.types)
        #: DuckDB's threads (its default: the machine's cores).
        self.threads = int(self.scalar("SELECT current_setting('threads')"))

    # -- connections ------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (DuckDB connections are not to be shared by threads)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self._con.cursor()
        return cur

    @contextmanager
    def _running_on(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.cursor()
        with self._lock:
            if self._closed:  # else it could start after close() interrupted the others
                raise EngineError("the DuckDB engine is closed")
            self._running.add(cur)
        try:
            yield cur
        finally:
            with self._lock:
                self._running.discard(cur)

    @contextmanager
    def sharing_threads(self, ways: int) -> Iterator[None]:
        """DuckDB's threads shared ``ways`` ways while the block runs (at least one each;
        DuckDB's setting is the database's, every cursor's): for ``ways`` queries run side
        by side that do better each on fewer threads, an export's sorted parts (a part's
        COPY on two threads took ~1.7 times the CPU it takes on one). Blocks may overlap:
        the last one to end gives the threads back."""
        with self._lock:  # and not once closing (close() closes under it)
            self._sharing += 1
            if self._sharing == 1 and not self._closed:
                self._con.execute(f"SET threads = {max(1, self.threads // max(ways, 1))}")
        try:
            yield
        finally:
            with self._lock:
                self._sharing -= 1
                if self._sharing == 0 and not self._closed:
                    self._con.execute(f"SET threads = {self.threads}")

    def query(self, text: str, params: list[Any] | None = None) -> pa.Table:
        """Run one query on this thread's cursor; its result as Arrow."""
        with self._running_on() as cur:
            try:
                result = cur.sql(text, params=params or None)
                if result is None:  # a statement (COPY, CREATE) has no rows
                    return pa.table({})
                # DuckDB 2 names it to_arrow_table; 1.x (Python 3.10's) fetch_arrow_table
                fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table
                found: pa.Table = fetch()
                return found
            except duckdb.InterruptException:
                raise
            except duckdb.Error as err:
                raise EngineError(str(err).splitlines()[0]) from err

    def scalar(self, text: str, params: list[Any] | None = None) -> Any:
        table = self.query(text, params)
        return table.column(0)[0].as_py() if table.num_rows else None

    def interrupt(self) -> None:
        """Stop every query running now; each raises ``duckdb.InterruptException``.
        Work of several queries (an export's parts) compares :attr:`interrupts` before
        each, so that a Cancel between two of them stops it too."""
        with self._lock:
            self.interrupts += 1
            running = list(self._running)
        for cur in running:
            cur.interrupt()

    def is_running(self) -> bool:
        with self._lock:
            return bool(self._running)

    def close(self) -> None:
        """Stop the running queries and close, once they have unwound (a connection
        busy with a query refuses to close). A query not begun by then does not begin,
        and the longest span's thread has ended when it returns."""
        with self._lock:
            self._closed = True
            span = self._span_thread
        self.interrupt()
        deadline = time.monotonic() + 10
        while self.is_running() and time.monotonic() < deadline:
            time.sleep(0.005)
        if span is not None:
            span.join(max(deadline - time.monotonic(), 0.0))
        with self._lock:  # not while an export gives DuckDB's threads back on the same
            self._con.close()

    # -- what the compiler needs --------------------------------------------------------------
    def distinct(self, column: str) -> list[str]:
        """The distinct known values of a column (kept: they do not change)."""
        key = (column, "")
        with self._lock:
            found = self._distinct.get(key)
        if found is None:
            table = self.query(
                f"SELECT DISTINCT {sql.ident(column)} AS v FROM {VIEW} WHERE v IS NOT NULL"
            )
            found = [str(v) for v in table.column(0).to_pylist()]
            with self._lock:
                self._distinct[key] = found
        return list(found)

    def longest_span_ns(self) -> int | None:
        """The longest any event lasts (its end less its start, ns), once known; None
        until then. A date filter's events start at most this long before its first
        day, a bound DuckDB checks against each row group's start statistics to skip
        those before (``"end" >= first day`` alone reads every row group from the
        data's beginning: ~6x the time of a ten-day filter's count at 10M events).
        Worked out once, by a thread of its own (a scan of two columns), so that no
        caller waits for it; a Cancel that interrupts it lets the next filter ask again."""
        with self._lock:
            if self._longest is not None or self._longest_asked or self._closed:
                return self._longest
            self._longest_asked = True
            thread = self._span_thread = threading.Thread(
                target=self._find_longest, name="duckdb span", daemon=True
            )
            thread.start()  # under the lock: close() sees it and waits for it
        return None

    def _find_longest(self) -> None:
        try:
            value = self.scalar(f'SELECT max(epoch_ns("end") - epoch_ns(start)) FROM {VIEW}')
        except duckdb.InterruptException:  # a Cancel: asked again by the next filter
            with self._lock:
                self._longest_asked = False
            return
        except (duckdb.Error, EngineError) as err:  # closed, or spans past int64 (over
            # 292 years): no bound, and no scan again at each filter
            log.info("no start bound for date filters: %s", err)
            return
        with self._lock:
            self._longest = max(int(value or 0), 0)

    def distinct_where(self, column: str, where: str) -> list[str | None]:
        key = (column, where)
        with self._lock:
            found = self._distinct.get(key)
        if found is None:
            table = self.query(f"SELECT DISTINCT {sql.ident(column)} FROM {VIEW} WHERE {where}")
            found = [None if v is None else str(v) for v in table.column(0).to_pylist()]
            with self._lock:
                self._distinct[key] = found
        return list(found)

    def where(self, spec: FilterSpec) -> str:
        """The condition that keeps ``spec``'s rows."""
        kept = condition(self, spec, self._spatial_keys)
        if spec.matched:  # the pairs found (storage/duck/matching.py), as in memory
            from timeline_app.storage.duck.matching import matched_condition

            kept = f"({kept}) AND {matched_condition(self.pairs, spec.matched)}"
        return kept

    def _spatial_keys(self, spec: FilterSpec) -> str:
        """The exact distance and area filters: the memory engine's kernels run on the
        coordinates of the rows in their box, and the keys they keep become a table."""
        only = FilterSpec(near=spec.near, within=spec.within)
        digest = hashlib.sha256(repr((only.near, only.within)).encode()).hexdigest()[:16]
        table_name = f"spatial_{digest}"
        # One worker makes the table, the others wait for it: two CREATE OR REPLACE of one
        # table at once (the count, the map and the timeline on a new area) conflict.
        with self._making:
            self._make_spatial(spec, only, digest, table_name)
        return f"__key IN (SELECT key FROM {table_name})"

    def _make_spatial(
        self, spec: FilterSpec, only: FilterSpec, digest: str, table_name: str
    ) -> None:
        with self._lock:
            done = self._spatial.get(digest)
        if done is None:
            box = condition(self, only)  # the box around the circle or the area only
            found = self.query(f"SELECT __key, longitude, latitude FROM {VIEW} WHERE {box}")
            keys = found.column(0).to_numpy()
            lon = found.column(1).to_numpy(zero_copy_only=False).astype(np.float64)
            lat = found.column(2).to_numpy(zero_copy_only=False).astype(np.float64)
            keep = known_xy(lon, lat)
            if spec.near is not None:
                keep &= near_mask_xy(lon, lat, keep, spec.near)
            if spec.within:
                keep &= within_mask_xy(lon, lat, keep, spec.within)  # empty area: none
            self._create_table(table_name, pa.table({"key": pa.array(keys[keep], pa.int64())}))
            with self._lock:
                self._spatial[digest] = table_name

    def key_table(self, keys: np.ndarray) -> str:
        """The name of a table of ``keys`` (a selection's) that every cursor sees, to
        join on (``__key IN (SELECT key FROM name)``); the last few are kept."""
        keys = np.unique(np.asarray(keys, dtype=np.int64))
        name = f"keys_{hashlib.sha256(keys.tobytes()).hexdigest()[:16]}"
        with self._making:
            with self._lock:
                if name in self._key_tables:
                    return name
            self._create_table(name, pa.table({"key": pa.array(keys, pa.int64())}))
            with self._lock:
                self._key_tables.append(name)
                old = self._key_tables[:-KEPT_KEY_TABLES]
                del self._key_tables[:-KEPT_KEY_TABLES]
            for table in old:
                self.query(f"DROP TABLE IF EXISTS {table}")
        return name

    def _create_table(self, name: str, data: pa.Table) -> None:
        """A table every cursor sees, holding ``data`` (small: keys, ranks)."""
        with self._running_on() as cur:
            cur.register("__incoming", data)
            try:
                cur.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM __incoming")
            finally:
                cur.unregister("__incoming")

    # -- answers ------------------------------------------------------------------------------
    def count(self, spec: FilterSpec | None = None) -> int:
        where = self.where(spec or FilterSpec())
        return int(self.scalar(f"SELECT count(*) FROM {VIEW} WHERE {where}"))

    def ordering(self, sort_keys: list[SortKey] | tuple[SortKey, ...]) -> Ordering:
        pairs = self.pairs
        ordering = Ordering(
            tuple((str(c), bool(a)) for c, a in sort_keys),
            pairs.columns if pairs is not None else None,
        )
        for column, _ascending in ordering.keys:
            if column not in CANONICAL_COLUMNS and column != MATCH_COLUMN:
                raise EngineError(f"cannot sort by {column!r}: not a column")
        for column in ordering.categorical:
            self._ensure_rank(column)
        return ordering

    def _ensure_rank(self, column: str) -> None:
        with self._making:
            self._make_rank(column)

    def _make_rank(self, column: str) -> None:
        with self._lock:
            if column in self._ranked:
                return
        values, ranks = rank_rows(self.distinct(column))
        ranked = pa.table(
            {"value": pa.array(values, pa.string()), "rank": pa.array(ranks, pa.int64())}
        )
        self._create_table(rank_table(column), ranked)
        with self._lock:
            self._ranked.add(column)

    def select_sql(
        self,
        spec: FilterSpec,
        sort_keys: list[SortKey] | tuple[SortKey, ...] = (),
        columns: list[str] | None = None,
        after: tuple[Any, ...] | None = None,
        limit: int | None = None,
        extra_where: str = "true",
        ordered: bool = True,
    ) -> tuple[str, list[Any]]:
        """The SELECT of ``spec``'s rows in display order (the columns, then ``__key``
        and the sort values as ``__s0``…); ``ordered`` False leaves the ORDER BY to the
        caller (a query around it)."""
        ordering = self.ordering(sort_keys)
        wanted = columns or [c for c in self.columns if c in CANONICAL_COLUMNS]
        selected = [f"{VIEW_ALIAS}.{sql.ident(c)}" for c in wanted]
        selected += [f"{VIEW_ALIAS}.__key", *ordering.selected]
        where = f"({self.where(spec)}) AND ({extra_where})"
        params: list[Any] = []
        text = (
            f"SELECT {', '.join(selected)} FROM (SELECT * FROM {VIEW} WHERE {where}) "
            f"AS {VIEW_ALIAS} {ordering.joins}"
        )
        if after is not None:
            keyset, params = ordering.after(after)
            text += f" WHERE {keyset}"
        if ordered and (ordering.keys or after is not None or limit is not None):
            text += f" ORDER BY {ordering.order_by}"
        if limit is not None:
            text += f" LIMIT {int(limit)}"
        return text, params

    def page(
        self,
        spec: FilterSpec,
        sort_keys: list[SortKey] | tuple[SortKey, ...] = (),
        after: tuple[Any, ...] | None = None,
        limit: int = PAGE_ROWS,
        columns: list[str] | None = None,
    ) -> Page:
        """The ``limit`` rows after ``after`` (a previous page's ``last``), by keyset.

        In two steps: the page's keys first, reading only the filter's and the sort's
        columns, then its rows by those keys within their start dates (so that DuckDB
        reads the wide columns, the notes, of one or two row groups only)."""
        text, params = self.select_sql(spec, sort_keys, ["start"], after, limit)
        found = self.query(text, params)
        keys = found.column("__key").to_numpy()
        last = None
        wanted = columns or [c for c in self.columns if c in CANONICAL_COLUMNS]
        if not found.num_rows:
            empty = self.query(
                f"SELECT {', '.join(sql.ident(c) for c in wanted)} FROM {VIEW} LIMIT 0"
            )
            return Page(empty, None, keys)
        tail = found.slice(found.num_rows - 1)
        last = tuple(tail.column(f"__s{i}")[0].as_py() for i in range(len(sort_keys)))
        last += (int(keys[-1]),)
        start_ns = found.column("start").cast(pa.int64()).to_numpy()
        lo, hi = int(start_ns.min()), int(start_ns.max())
        rows = self.query(
            f"SELECT {', '.join(sql.ident(c) for c in wanted)}, __key FROM {VIEW} "
            f"WHERE start >= {sql.timestamp_ns(lo)} AND start <= {sql.timestamp_ns(hi)} "
            f"AND __key IN ({', '.join(str(int(k)) for k in keys)})"
        )
        got = rows.column("__key").to_numpy()
        order = np.argsort(got)
        position = order[np.searchsorted(got[order], keys)]
        return Page(rows.drop_columns(["__key"]).take(position), last, keys)

    def event(self, key: int) -> dict[str, Any] | None:
        """Every column of one event (the detail pane), by its key."""
        found = self.query(f"SELECT * EXCLUDE (__key) FROM {VIEW} WHERE __key = ?", [int(key)])
        return found.to_pylist()[0] if found.num_rows else None

    def contains(self, spec: FilterSpec, key: int) -> bool:
        """Whether ``spec`` keeps the event of ``key`` (one row read by its key)."""
        where = self.where(spec)
        found = self.scalar(f"SELECT count(*) FROM {VIEW} WHERE __key = ? AND ({where})", [key])
        return bool(found)

    def kept_keys(self, spec: FilterSpec, keys: np.ndarray) -> np.ndarray:
        """Those of ``keys`` (a selection's) that ``spec`` keeps, ascending. The keys are
        seen by this thread's cursor only, not made one of the shared :meth:`key_table`
        tables: each event's related events ask this, and each new shared table drops
        the oldest, which a selection's export running meanwhile reads by its name."""
        where = self.where(spec)  # first: it may run queries of its own on this cursor
        data = pa.table({"key": pa.array(np.unique(np.asarray(keys, np.int64)), pa.int64())})
        cur = self.cursor()
        cur.register("__kept_keys", data)
        try:
            found = self.query(
                f"SELECT __key FROM {VIEW} WHERE __key IN (SELECT key FROM __kept_keys) "
                f"AND ({where}) ORDER BY __key"
            )
        finally:
            cur.unregister("__kept_keys")
        return found.column(0).to_numpy().astype(np.int64)

    def position(
        self, spec: FilterSpec, sort_keys: list[SortKey] | tuple[SortKey, ...], key: int
    ) -> int | None:
        """The row of the event of ``key`` among ``spec``'s in display order (None: the
        filter drops it): its sort values by key, then a count of the rows before them
        by keyset (those not after it), reading the filter's and the sort's columns."""
        text, params = self.select_sql(spec, sort_keys, ["start"], extra_where=f"__key = {key:d}")
        found = self.query(text, params)
        if not found.num_rows:
            return None
        values = tuple(found.column(f"__s{i}")[0].as_py() for i in range(len(sort_keys)))
        ordering = self.ordering(sort_keys)
        keyset, params = ordering.after((*values, int(key)))
        before = self.scalar(
            f"SELECT count(*) FROM (SELECT * FROM {VIEW} WHERE {self.where(spec)}) "
            f"AS {VIEW_ALIAS} {ordering.joins} WHERE NOT ({keyset}) AND {VIEW_ALIAS}.__key <> ?",
            [*params, int(key)],
        )
        return int(before)

    def key_of_id(self, dataset: str, event_id: str) -> int | None:
        found = self.query(
            f"SELECT __key FROM {VIEW} WHERE dataset = ? AND id = ? ORDER BY __key LIMIT 1",
            [dataset, event_id],
        )
        return int(found.column(0)[0].as_py()) if found.num_rows else None

    def value_counts(self, spec: FilterSpec, column: str) -> dict[str, int]:
        """Rows per value of ``column`` among the rows the other filters keep (a facet's
        counts leave out its own field's constraint, as model/facets does)."""
        field_name = next((f for f, cols in VALUE_FIELDS.items() if column in cols), None)
        others = spec.without(field_name) if field_name else spec
        found = self.query(
            f"SELECT {sql.ident(column)} AS v, count(*) AS n FROM {VIEW} "
            f"WHERE ({self.where(others)}) AND v IS NOT NULL GROUP BY v"
        )
        values = [str(v) for v in found.column(0).to_pylist()]
        counts = [int(n or 0) for n in found.column(1).to_pylist()]
        return dict(zip(values, counts, strict=True))

    def histogram(self, spec: FilterSpec, unit: str, lane: str | None = None) -> pa.Table:
        """Events and known fatalities per time bin (``hour`` … ``year``, by start;
        ISO weeks from Monday) and per lane value: the timeline zoomed out."""
        if unit not in ("hour", "day", "week", "month", "year"):
            raise EngineError(f"unknown time unit {unit!r}")
        lane_sql = f"{sql.ident(lane)}" if lane else "NULL::VARCHAR"
        return self.query(
            f"SELECT epoch_ns(date_trunc('{unit}', start)) AS bin, {lane_sql} AS lane, "
            "count(*) AS events, sum(CASE WHEN isnan(fatalities) THEN NULL ELSE fatalities END)"
            f" AS fatalities FROM {VIEW} WHERE {self.where(spec)} "
            "GROUP BY ALL ORDER BY bin, lane NULLS LAST"
        )

    def date_range(self, spec: FilterSpec | None = None) -> tuple[int, int] | None:
        """The first start and the last end (ns) of the rows ``spec`` keeps."""
        found = self.query(
            f'SELECT epoch_ns(min(start)), epoch_ns(max("end")) FROM {VIEW} '
            f"WHERE {self.where(spec or FilterSpec())}"
        )
        lo, hi = found.column(0)[0].as_py(), found.column(1)[0].as_py()
        return None if lo is None else (int(lo), int(hi))


def _as_list(paths: list[Path] | Path) -> list[Path]:
    return [paths] if isinstance(paths, (str, Path)) else list(paths)
