"""Columns an export adds beside the raw ones: the actor dictionary's canonical names, and
the likely-same pairs of two datasets (``match_group``, ``match_score``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from timeline_app.model.actors import ACTOR_COLUMNS, CANONICAL_SUFFIX, canonical_columns
from timeline_app.model.events import EventTable
from timeline_app.model.export import ExtraColumns
from timeline_app.model.matching import MatchResult, match_rows

if TYPE_CHECKING:
    from timeline_app.model.provenance import ExportChoice

MATCH_COLUMNS = ("match_group", "match_score")


def match_among(table: EventTable, rows: np.ndarray, choice: ExportChoice) -> MatchResult:
    """The rule between the first two datasets' rows among ``rows`` (those exported)."""
    assert choice.match is not None
    which = table.dataset_index(rows)
    return match_rows(table, rows[which == 0], rows[which == 1], choice.match)


def same_events_columns(
    table: EventTable, rows: np.ndarray, choice: ExportChoice
) -> tuple[np.ndarray, ExtraColumns | None]:
    """The rows to write (less the matched rows of ``choice.drop_matched_from``) and the
    columns ``choice`` adds, or None when it adds none."""
    rows = np.asarray(rows, dtype=np.int64)
    names: list[str] = []
    group = score = None
    if choice.match is not None:
        if choice.match_pairs is not None:  # the window's pairs, as its table shows them
            group, score = choice.match_pairs.columns.group, choice.match_pairs.columns.score
        else:
            group, score = match_among(table, rows, choice).groups(len(table))
        if choice.drop_matched_from:
            names_ = [d.name for d in table.datasets]
            k = names_.index(choice.drop_matched_from)
            rows = rows[~((table.dataset_index(rows) == k) & (group[rows] > 0))]
        names += MATCH_COLUMNS
    if choice.canonical_actors:
        names += [c + CANONICAL_SUFFIX for c in ACTOR_COLUMNS]
    if not names:
        return rows, None

    def compute(part: np.ndarray) -> dict[str, pa.Array[Any]]:
        out: dict[str, pa.Array[Any]] = {}
        if group is not None and score is not None:
            g = group[part]
            out["match_group"] = pa.array(g, mask=g == 0, type=pa.int64())
            out["match_score"] = pa.array(np.round(score[part], 6), mask=g == 0)
        if choice.canonical_actors:
            out.update(canonical_columns(table, part))
        return out

    return rows, ExtraColumns(tuple(names), compute)
