"""Likely-same events of a DuckDB dataset: DuckDB reads the two datasets' rows (only the
columns the rule needs, in row order), then the memory engine's matcher runs on them
(model/matching.py), so both engines find the same pairs. ``timeline-app match
--engine duckdb`` reads its inputs likewise (commands/engines.materialise)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.matched import MatchColumns
from timeline_app.model.matching import (
    MatchCancelled,
    MatchResult,
    MatchRule,
    match_datasets,
    pair_records,
)
from timeline_app.model.schema import conform
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.source import VIEW

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine

#: What the rule reads of an event (model/matching.side_of), and what a pair names.
RULE_COLUMNS = ("id", "category", "start", "end", "latitude", "longitude")
#: The share of the progress bar reading the rows takes; the matcher has the rest.
READING = 0.3
_SERIAL = itertools.count(1)


@dataclass(frozen=True)
class PairTables:
    """The engine's tables of a search's keys: those in a pair, the second dataset's
    in a pair, and each paired key's ``match_group`` and ``match_score`` as an export
    writes them (a new name per search, so an answer cached for older pairs is not
    reused)."""

    paired: str
    second: str
    columns: str


def matched_condition(pairs: PairTables | None, mode: str) -> str:
    """The rows the filter field ``matched`` keeps (model/matched.matched_mask in SQL)."""
    if mode == "matched":
        return "false" if pairs is None else f"__key IN (SELECT key FROM {pairs.paired})"
    if mode == "unmatched" and pairs is not None:
        return f"__key NOT IN (SELECT key FROM {pairs.paired})"
    if mode == "no_second" and pairs is not None:
        return f"__key NOT IN (SELECT key FROM {pairs.second})"
    return "true"


@dataclass(frozen=True)
class SourceMatch:
    """The pairs found between datasets ``first`` and ``second`` of a DuckDB dataset:
    ``table`` holds their rows (the rule's columns only), ``keys`` each row's ``__key``
    in the engine, ``result`` the matcher's answer on ``table``'s rows."""

    table: EventTable
    keys: np.ndarray
    result: MatchResult
    first: str
    second: str
    tables: PairTables

    def pairs(self) -> list[dict[str, object]]:
        """The pairs as ``timeline-app match`` lists them (best score first)."""
        return pair_records(self.table, self.result, self.result.pairs())

    def also_possible(self) -> list[dict[str, object]]:
        return pair_records(self.table, self.result, self.result.also_possible())

    @cached_property
    def _by_key(self) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(self.keys, kind="stable")
        return self.keys[order], order

    @cached_property
    def columns(self) -> MatchColumns:
        """Per row of ``table``: as the memory engine's pairs (model/matched.py)."""
        n = len(self.table)
        group, score = self.result.groups(n)
        return MatchColumns(group, score, self.result.partner(n))

    def rows_of(self, keys: np.ndarray) -> np.ndarray:
        """The row of ``table`` of each engine key (-1: not in the two datasets)."""
        keys = np.asarray(keys, dtype=np.int64)
        ordered, order = self._by_key
        at = np.minimum(np.searchsorted(ordered, keys), max(len(ordered) - 1, 0))
        if not len(ordered):
            return np.full(len(keys), -1, dtype=np.int64)
        return np.where(ordered[at] == keys, order[at], -1).astype(np.int64)

    def partner_of(self, key: int) -> tuple[int, int | None]:
        """The row of ``table`` of the event ``key`` (-1: in neither dataset) and its
        partner's key (None: in no pair)."""
        row = int(self.rows_of(np.array([key]))[0])
        partner = int(self.columns.partner[row]) if row >= 0 else -1
        return row, (int(self.keys[partner]) if partner >= 0 else None)

    def partner_keys(self, keys: np.ndarray) -> np.ndarray:
        """Per engine key: its partner's key (-1: in no pair)."""
        rows = self.rows_of(keys)
        partner = np.where(rows >= 0, self.columns.partner[np.maximum(rows, 0)], -1)
        return np.where(partner >= 0, self.keys[np.maximum(partner, 0)], -1).astype(np.int64)

    def partners_among(self, keys: np.ndarray) -> np.ndarray:
        """Per row of ``keys`` (the events a view read): the row of its partner among
        them, ``len(keys)`` for a paired event whose partner is not among them, -1 for
        an event in no pair (the memory views' partner arrays, over the rows read)."""
        keys = np.asarray(keys, dtype=np.int64)
        wanted = self.partner_keys(keys)
        out = np.full(len(keys), -1, dtype=np.int64)
        paired = np.flatnonzero(wanted >= 0)
        if not len(paired):
            return out
        order = np.argsort(keys, kind="stable")
        at = np.minimum(np.searchsorted(keys[order], wanted[paired]), len(keys) - 1)
        out[paired] = np.where(keys[order][at] == wanted[paired], order[at], len(keys))
        return out

    def pairs_of(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Per engine key: its pair's number (0: none), score (NaN) and the partner's
        dataset ("" outside pairs), as the memory table's "Likely same" cells read them."""
        rows = self.rows_of(keys)
        inside = rows >= 0
        cols = self.columns
        group = np.where(inside, cols.group[np.maximum(rows, 0)], 0)
        score = np.where(group > 0, cols.score[np.maximum(rows, 0)], np.nan)
        partner = np.where(group > 0, cols.partner[np.maximum(rows, 0)], -1)
        names = [d.name for d in self.table.datasets]
        which = self.table.dataset_index(np.maximum(partner, 0))
        return (
            group,
            score,
            [names[k] if p >= 0 else "" for k, p in zip(which, partner, strict=True)],
        )


def match_source(
    engine: DuckEngine,
    first: str,
    second: str,
    rule: MatchRule,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SourceMatch:
    """The rule between two datasets of ``engine`` (one with itself when the rule says).
    Raises MatchCancelled when ``cancelled`` says so, ValueError for a name not open."""
    report = progress or (lambda _f: None)
    check = cancelled or (lambda: False)
    names = [first] if first == second else [first, second]
    columns = ", ".join(sql.ident(c) for c in RULE_COLUMNS)
    datasets, keys = [], []
    for k, name in enumerate(names):
        found = engine.query(
            f"SELECT {columns}, __key FROM {VIEW} WHERE dataset = ? ORDER BY __key", [name]
        )
        if not found.num_rows and name not in engine.distinct("dataset"):
            raise ValueError(f"no dataset named {name!r}")
        keys.append(found.column("__key").to_numpy())
        events = conform(found.drop_columns(["__key"]).to_pandas())
        datasets.append(
            Dataset(name=name, events=events, report=LoadReport("native", events=len(events)))
        )
        report(READING * (k + 1) / len(names))
        if check():
            raise MatchCancelled()
    table = EventTable(datasets)
    result = match_datasets(
        table, first, second, rule, lambda f: report(READING + (1 - READING) * f), check
    )
    all_keys = np.concatenate(keys)
    return SourceMatch(
        table, all_keys, result, first, second, _pair_tables(engine, all_keys, result)
    )


def _pair_tables(engine: DuckEngine, keys: np.ndarray, result: MatchResult) -> PairTables:
    """The pairs' keys as engine tables, made in the worker (the filter reads them)."""
    taken = np.flatnonzero(result.taken)
    a, b = keys[result.a_rows[taken]], keys[result.b_rows[taken]]
    serial = next(_SERIAL)
    tables = PairTables(f"pairs_{serial}", f"pairs_{serial}_second", f"pairs_{serial}_columns")
    engine._create_table(tables.paired, pa.table({"key": pa.array(np.union1d(a, b), pa.int64())}))
    engine._create_table(tables.second, pa.table({"key": pa.array(np.unique(b), pa.int64())}))
    group, score = result.groups(len(keys))
    rows = np.flatnonzero(group > 0)
    columns: dict[str, pa.Array[Any]] = {
        "key": pa.array(keys[rows], pa.int64()),
        "match_group": pa.array(group[rows], pa.int64()),
        # model/extra_columns.same_events_columns's rounding, done here once by numpy
        "match_score": pa.array(np.round(score[rows], 6), pa.float64()),
    }
    engine._create_table(tables.columns, pa.table(columns))
    return tables
