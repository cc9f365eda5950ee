"""Sorting in SQL as model/sorting.py sorts, and keyset paging on the sort keys.

The memory engine ranks each column once (unknown values last in both directions, ties
in row order). Here each key is an SQL expression with the same order:

- categorical columns by the dense rank of their folded names, computed in Python from
  the distinct values (model/text.fold, exactly as the memory engine) and joined as a
  small table (``rank_<column>``);
- free text (id, title, notes) by ``lower()``; numbers (NaN is unknown), dates and bools
  as they are;
- the likely-same pairs' column (model/matched.MATCH_COLUMN) by the pair's number, from
  the search's table of the paired keys (storage/duck/matching.PairTables.columns)
  joined by key: the events in no pair (none without pairs) are unknown;
- ``NULLS LAST`` whatever the direction, then ``__key`` ascending: row order.

A page is the next ``limit`` rows after the last row of the previous page, found by its
key values (``WHERE (k1, k2, …) > (v1, v2, …)`` spelt out for mixed directions and
unknowns), never by OFFSET: page 1000 costs what page 1 costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.schema import CATEGORICAL_COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS
from timeline_app.model.sorting import SortKey
from timeline_app.model.text import fold
from timeline_app.storage.duck import sql


def rank_table(column: str) -> str:
    return f"rank_{column}"


def rank_rows(values: list[str]) -> tuple[list[str], list[int]]:
    """Distinct values and the dense rank of their folded names (model/sorting._rank)."""
    folded = np.asarray([fold(v) for v in values] + [""], dtype=object)
    ranks = np.unique(folded, return_inverse=True)[1][:-1]
    return values, [int(r) for r in ranks]


@dataclass(frozen=True)
class Ordering:
    """The SQL of one sort: the joins it needs, the key expressions, the ORDER BY."""

    keys: tuple[SortKey, ...]
    #: The pairs' numbers by key (None: no pairs found), for a sort by MATCH_COLUMN.
    match_table: str | None = None

    @property
    def joins(self) -> str:
        out = []
        for column in self.categorical:
            table = rank_table(column)
            out.append(f"LEFT JOIN {table} ON {VIEW_ALIAS}.{sql.ident(column)} = {table}.value")
        if self.match_table is not None and any(c == MATCH_COLUMN for c, _ in self.keys):
            table = self.match_table
            out.append(
                f"LEFT JOIN {table} AS {PAIRS_ALIAS} ON {PAIRS_ALIAS}.key = {VIEW_ALIAS}.__key"
            )
        return " ".join(out)

    @property
    def categorical(self) -> list[str]:
        return list(dict.fromkeys(c for c, _ in self.keys if c in CATEGORICAL_COLUMNS))

    def expression(self, column: str) -> str:
        if column == MATCH_COLUMN:
            if self.match_table is None:
                return "CAST(NULL AS BIGINT)"
            return f"{PAIRS_ALIAS}.match_group"
        if column in CATEGORICAL_COLUMNS:
            return f"{rank_table(column)}.rank"
        name = f"{VIEW_ALIAS}.{sql.ident(column)}"
        if column in FLOAT_COLUMNS:
            return f"(CASE WHEN isnan({name}) THEN NULL ELSE {name} END)"
        if column in ("id", "title", "notes"):
            return f"lower({name})"
        return name

    @property
    def expressions(self) -> list[str]:
        return [self.expression(c) for c, _ in self.keys]

    @property
    def selected(self) -> list[str]:
        """The key values a page hands back for its last row (dates as nanoseconds)."""
        out = []
        for i, ((column, _a), expr) in enumerate(zip(self.keys, self.expressions, strict=True)):
            value = f"epoch_ns({expr})" if column in DATE_COLUMNS else expr
            out.append(f"{value} AS __s{i}")
        return out

    @property
    def order_by(self) -> str:
        parts = [
            f"{e} {'ASC' if ascending else 'DESC'} NULLS LAST"
            for e, (_c, ascending) in zip(self.expressions, self.keys, strict=True)
        ]
        return ", ".join([*parts, f"{VIEW_ALIAS}.__key ASC"])

    def after(self, last: tuple[Any, ...]) -> tuple[str, list[Any]]:
        """The condition "comes after the row whose key values were ``last``" (its sort
        values, then its ``__key``), with its parameters."""
        params: list[Any] = []

        def beyond(i: int) -> str:
            if i == len(self.keys):
                params.append(int(last[-1]))
                return f"{VIEW_ALIAS}.__key > ?"
            expr, ascending, value = self.expressions[i], self.keys[i][1], last[i]
            if value is None:  # unknown sorts last: only more unknowns can follow
                return f"({expr} IS NULL AND {beyond(i + 1)})"
            if self.keys[i][0] in DATE_COLUMNS:  # nanoseconds: a literal keeps them all
                literal = sql.timestamp_ns(int(value))
                past = f"{expr} {'>' if ascending else '<'} {literal}"
                return f"({past} OR {expr} IS NULL OR ({expr} = {literal} AND {beyond(i + 1)}))"
            params.append(value)
            past = f"{expr} {'>' if ascending else '<'} ?"
            params.append(value)
            return f"({past} OR {expr} IS NULL OR ({expr} = ? AND {beyond(i + 1)}))"

        condition = beyond(0)
        if self.keys and self.keys[0][0] in DATE_COLUMNS and last[0] is not None:
            # Never unknown in the view (source.py): a plain bound DuckDB prunes row
            # groups by, besides the exact condition (which it cannot).
            column, ascending = self.keys[0]
            bound = sql.timestamp_ns(int(last[0]))
            name = f"{VIEW_ALIAS}.{sql.ident(column)}"
            condition = f"{name} {'>=' if ascending else '<='} {bound} AND {condition}"
        return condition, params


#: The events view's alias in sorted queries, and the pairs' table's.
VIEW_ALIAS = "e"
PAIRS_ALIAS = "__pm"
