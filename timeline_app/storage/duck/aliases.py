"""Actors through the actor dictionary, as SQL: the rows model/actors.alias_mask keeps.

Each distinct name of an actor column is resolved in Python by the dictionary's own
functions (model/actors.py), as the memory engine resolves a table's categories; the
condition lists the names that stand for a wanted actor. A name whose entries hold
only in some countries or between dates is resolved per context, as the memory engine
does: per country it occurs with, and per combination of the dated entries that hold,
each becoming ``name = … AND country = … AND start within …``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import product
from typing import TYPE_CHECKING

import pandas as pd

from timeline_app.model.actors import (
    ACTOR_COLUMNS,
    ActorDictionary,
    Entry,
    active_dictionary,
    in_context,
    name_ids,
    name_options,
)
from timeline_app.model.text import fold
from timeline_app.model.units import NS_PER_DAY
from timeline_app.storage.duck import sql

if TYPE_CHECKING:
    from timeline_app.storage.duck.where import Names

#: The dataset format a Parquet input is read as (the native reader): every entry of the
#: dictionary applies, as for any file of the app's own format.
PARQUET_FORMAT = "native"


def alias_condition(
    names: Names,
    terms: Sequence[str],
    include_uncertain: bool,
    dictionary: ActorDictionary | None = None,
) -> str:
    dictionary = dictionary or active_dictionary()
    wanted = dictionary.query_ids(terms)
    if not wanted:
        return "false"

    def hit(certain: frozenset[int], uncertain: frozenset[int]) -> bool:
        return bool(certain & wanted) or (include_uncertain and bool(uncertain & wanted))

    clauses = []
    for column in ACTOR_COLUMNS:
        plain = []
        for name in names.distinct(column):
            parts, options = name_options(dictionary, name, column, PARQUET_FORMAT)
            if any(e.conditional for opts in options for e in opts):
                clauses.append(_conditional(names, dictionary, column, name, parts, options, hit))
            elif hit(*name_ids(dictionary, parts, options, lambda _e: True)):
                plain.append(name)
        clauses.append(sql.in_list(column, plain))
    return sql.any_of(clauses)


def _conditional(
    names: Names,
    dictionary: ActorDictionary,
    column: str,
    name: str,
    parts: list[str],
    options: list[list[Entry]],
    hit: Callable[[frozenset[int], frozenset[int]], bool],
) -> str:
    """One name whose entries are scoped: a clause per (country, dated entries holding)
    in which it stands for a wanted actor."""
    dated = list(dict.fromkeys(e for opts in options for e in opts if e.valid_from or e.valid_to))
    is_name = f"{sql.ident(column)} = {sql.text(name)}"
    clauses = []
    for country in names.distinct_where("country", is_name):
        folded = fold(country) if country is not None else None
        place = "country IS NULL" if country is None else f"country = {sql.text(country)}"
        for flags in product((False, True), repeat=len(dated)):
            holds = {e for e, flag in zip(dated, flags, strict=True) if flag}
            ids = name_ids(dictionary, parts, options, in_context(folded, holds))
            if not hit(*ids):
                continue
            dates = [
                _within(e) if flag else f"NOT ({_within(e)})"
                for e, flag in zip(dated, flags, strict=True)
            ]
            clauses.append(sql.all_of([is_name, place, *dates]))
    return sql.any_of(clauses)


def _within(entry: Entry) -> str:
    """The row's start lies in the entry's dates (model/actors._within)."""
    parts = []
    if entry.valid_from is not None:
        parts.append(f"start >= {sql.timestamp_ns(int(pd.Timestamp(entry.valid_from).value))}")
    if entry.valid_to is not None:
        end = int(pd.Timestamp(entry.valid_to).value) + NS_PER_DAY
        parts.append(f"start < {sql.timestamp_ns(end)}")
    return sql.all_of(parts)
