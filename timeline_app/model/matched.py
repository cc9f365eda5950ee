"""The likely-same pairs found for the open table, and the filter on them.

Tools > Find Likely Same Events… runs :func:`timeline_app.model.matching.match_datasets`
and keeps its result here, with the table it was found for (a new table, after a file
is opened or closed, has none). The filter field ``matched`` then keeps:

- ``"matched"``: the events in a pair;
- ``"unmatched"``: the events in no pair;
- ``"no_second"``: every event but the second dataset's matched ones, so that counts
  of the two datasets together do not count an event twice.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from timeline_app.model.events import EventTable
from timeline_app.model.matching import MatchResult
from timeline_app.model.table_cache import PerTable

#: The table's "Likely same" column: not a column of the data but of the pairs found, so
#: a table (and a sort) asks :func:`match_columns` for it. Its numbers are ``export
#: --match``'s ``match_group`` (1 = the best pair).
MATCH_COLUMN = "match_group"

#: The ``matched`` values of a filter spec, with what the menus call them.
MATCHED_MODES: dict[str, str] = {
    "": "All Events",
    "matched": "Matched Events Only",
    "unmatched": "Unmatched Events Only",
    "no_second": "Leave Out the Second Dataset's Matched Events",
}


@dataclass(frozen=True)
class Found:
    """A match result for one table, with the two datasets' names and a serial number
    (filter masks made with an older result are not reused)."""

    result: MatchResult
    first: str
    second: str
    serial: int
    n_rows: int = 0

    def partners(self, n_rows: int) -> np.ndarray:
        """Per table row: the row it is paired with, or -1."""
        return self.result.partner(n_rows)

    @cached_property
    def columns(self) -> MatchColumns:
        group, score = self.result.groups(self.n_rows)
        return MatchColumns(group, score, self.result.partner(self.n_rows))


@dataclass(frozen=True)
class MatchColumns:
    """Per table row: its pair's number as ``export --match`` writes it (``match_group``,
    0 outside pairs), the pair's score (NaN outside) and the partner's row (-1)."""

    group: np.ndarray
    score: np.ndarray
    partner: np.ndarray


def match_columns(table: EventTable) -> MatchColumns | None:
    """The pairs of ``table`` as columns, None when no pairs were looked for."""
    found = found_for(table)
    return None if found is None else found.columns


_FOUND = PerTable[Found]("matching: pairs found")
_LOCK = threading.Lock()
_SERIAL = itertools.count(1)


def remember(
    table: EventTable, result: MatchResult | None, first: str = "", second: str = ""
) -> Found | None:
    """Keep ``result`` as the pairs of ``table`` (None forgets them)."""
    with _LOCK:  # one serial number per result, in the order they are kept
        if result is None:
            _FOUND.forget(table)
            return None
        return _FOUND.put(table, Found(result, first, second, next(_SERIAL), len(table)))


def found_for(table: EventTable) -> Found | None:
    return _FOUND.peek(table)


def matched_mask(table: EventTable, mode: str) -> np.ndarray:
    """The rows ``mode`` keeps (every row for "", or without pairs for "no_second")."""
    n = len(table)
    found = found_for(table)
    paired = np.zeros(n, dtype=bool)
    if found is not None:
        result = found.result
        picked = np.flatnonzero(result.taken)
        paired[result.a_rows[picked]] = True
        paired[result.b_rows[picked]] = True
    if mode == "matched":
        return paired
    if mode == "unmatched":
        return ~paired
    if mode == "no_second" and found is not None:
        second = np.zeros(n, dtype=bool)
        second[found.result.b_rows[np.flatnonzero(found.result.taken)]] = True
        return ~second
    return np.ones(n, dtype=bool)


def matched_tests(
    table: EventTable, spec: Any
) -> list[tuple[tuple[object, ...], Callable[[], np.ndarray]]]:
    """(key, full-table test) for the spec's ``matched`` field, when set."""
    mode = spec.matched
    if not mode:
        return []
    found = found_for(table)
    key = ("matched", mode, found.serial if found is not None else 0)
    return [(key, lambda: matched_mask(table, mode))]
