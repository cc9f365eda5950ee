"""Which lane every event sits in: one lane per value of the grouping column."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from timeline_app.model.events import EventTable
from timeline_app.model.facets import ActorIndex, actor_counts, actor_index
from timeline_app.model.schema import CATEGORIES
from timeline_app.model.text import fold

#: Groupings whose values are merged when they differ only by accents or case.
FOLDED_GROUPINGS = ("admin1",)
#: grouping key -> (column, label shown to the user)
GROUPINGS: dict[str, tuple[str, str]] = {
    "category": ("category", "Category"),
    "actor": ("actor1", "Actor"),
    "admin1": ("admin1", "Region (admin1)"),
    "event_type": ("event_type", "Event type"),
    "dataset": ("dataset", "Dataset"),
}
OTHER = "other"
DEFAULT_TOP_N = 8


@dataclass(frozen=True)
class Lanes:
    """Which lane every row of a table sits in, and the lanes' labels (top to bottom).

    Grouped by actor, an event sits in the lane of each of its actors (as the actor
    filter matches any side): ``member_rows``/``member_lanes`` then list every
    (row, lane) pair, ``member_primary`` marks each row's first, and ``of_row`` is that
    first lane. Other groupings have one lane per row and no pairs.
    """

    grouping: str
    labels: tuple[str, ...]
    of_row: np.ndarray  # int16 lane per table row
    member_rows: np.ndarray | None = None
    member_lanes: np.ndarray | None = None
    member_primary: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def multi(self) -> bool:
        """Some events sit in more than one lane."""
        return self.member_rows is not None


def assign_lanes(
    table: EventTable, grouping: str = "category", top_n: int = DEFAULT_TOP_N
) -> Lanes:
    """One lane per value of the grouping column: the ``top_n`` most frequent, then "other".

    Grouped by category, the canonical categories keep their fixed order and only the
    ones present get a lane. Unknown values go to "other". Lanes are chosen from the
    whole table (not the filtered rows) so they stay put while the user filters.
    Grouped by actor, an event is in the lane of each of its actors (any side).
    """
    if grouping == "actor":
        return _actor_lanes(table, top_n)
    column = GROUPINGS[grouping][0]
    codes = codes_of(table, column) if len(table) else np.empty(0, dtype=np.int8)
    names = [str(c) for c in table.df[column].cat.categories]
    counts = code_counts(codes, len(names))
    labels, lookup = choose_lanes(grouping, names, counts, int(len(codes)), top_n)
    return Lanes(grouping, labels, lookup[codes] if len(codes) else codes.astype(np.int16))


def choose_lanes(
    grouping: str, names: list[str], counts: np.ndarray, rows: int, top_n: int = DEFAULT_TOP_N
) -> tuple[tuple[str, ...], np.ndarray]:
    """The lanes of a grouping other than by actor, from its values' names and row counts
    (``rows`` in all, unknown values included), and each value's lane: an int16 lookup
    with one slot more than ``names``, for unknown (code -1), which is "other".

    Shared by the memory engine (:func:`assign_lanes`) and the DuckDB engine's counts."""
    counts = np.asarray(counts, dtype=np.int64)
    group_of = None
    if grouping in FOLDED_GROUPINGS and len(names):
        # "Ségou" and "Segou" are one lane, named by the most used spelling (as the
        # region filter merges them).
        group_of, names = _fold_groups(names, counts)
        counts = np.bincount(group_of[:-1], weights=counts, minlength=len(names)).astype(np.int64)
    if grouping == "category":
        rank = {c: i for i, c in enumerate(CATEGORIES)}
        present = [i for i in range(len(names)) if counts[i] > 0 and names[i] != OTHER]
        present.sort(key=lambda i: (rank.get(names[i], len(rank)), -counts[i]))
        chosen = present[:top_n] if len(present) > top_n else present
    elif grouping == "dataset":  # in the order the files were opened, as everywhere
        chosen = [i for i in range(len(names)) if counts[i] > 0][:top_n]
    else:
        by_count = np.argsort(-counts, kind="stable")
        chosen = [int(i) for i in by_count[:top_n] if counts[i] > 0]
    labels = [names[i] for i in chosen]
    rest = rows - int(counts[chosen].sum()) if len(chosen) else rows
    other = len(labels)
    if rest > 0 or not labels:
        labels.append(OTHER)
    # One slot more than the values, so code -1 (unknown) lands in "other".
    lookup = np.full(len(names) + 1, min(other, len(labels) - 1), dtype=np.int16)
    lookup[chosen] = np.arange(len(chosen), dtype=np.int16)
    if group_of is not None:
        lookup = lookup[group_of]
    return tuple(labels), lookup


def _fold_groups(names: list[str], counts: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Per category its group of names that fold alike (one more entry, -1, for
    unknown), and each group's most used spelling. Runs once per distinct name."""
    group_ids: dict[str, int] = {}
    group_of = np.full(len(names) + 1, -1, dtype=np.int64)
    best: list[int] = []
    for i, name in enumerate(names):
        g = group_ids.setdefault(fold(name), len(group_ids))
        group_of[i] = g
        if g == len(best):
            best.append(i)
        elif counts[i] > counts[best[g]]:
            best[g] = i
    return group_of, [names[i] for i in best]


def _actor_lanes(table: EventTable, top_n: int) -> Lanes:
    """The ``top_n`` actors named most on any side; an event sits in the lane of each
    of them it names (actor1, actor2, associated), and in "other" when it names none."""
    n = len(table)
    actors = actor_index(table)
    counts = actor_counts(table, np.ones(n, dtype=bool)) if n else np.zeros(0)
    labels, lane_of_actor = actor_choice(actors, counts, top_n)
    assoc = codes_of(table, "assoc_actors") if actors.assoc_slots else None
    codes = (codes_of(table, "actor1"), codes_of(table, "actor2"), assoc)
    rows, lanes, primary, placed = actor_members(actors, lane_of_actor, *codes)
    nobody = np.flatnonzero(~placed)
    if len(nobody) or not labels:
        labels.append(OTHER)
        rows.append(nobody)
        lanes.append(np.full(len(nobody), len(labels) - 1, dtype=np.int16))
        primary.append(np.ones(len(nobody), dtype=bool))
    member_rows = np.concatenate(rows).astype(np.int64)
    member_lanes = np.concatenate(lanes).astype(np.int16)
    member_primary = np.concatenate(primary)
    of_row = np.zeros(n, dtype=np.int16)
    of_row[member_rows[member_primary]] = member_lanes[member_primary]
    return Lanes("actor", tuple(labels), of_row, member_rows, member_lanes, member_primary)


def actor_choice(
    actors: ActorIndex, counts: np.ndarray, top_n: int = DEFAULT_TOP_N
) -> tuple[list[str], np.ndarray]:
    """The lanes by actor from each actor's events on any side: the ``top_n`` named
    most, and each actor's lane (-1: none; one slot more, for nobody). Shared by the
    memory engine and the DuckDB engine's trends (storage/duck/actor_trends.py)."""
    by_count = np.argsort(-counts, kind="stable")
    chosen = [int(i) for i in by_count[:top_n] if counts[i] > 0]
    labels = [actors.names[i] for i in chosen]
    lane_of_actor = np.full(len(actors.names) + 1, -1, dtype=np.int16)  # [-1]: nobody
    lane_of_actor[chosen] = np.arange(len(chosen), dtype=np.int16)
    return labels, lane_of_actor


def actor_members(
    actors: ActorIndex,
    lane_of_actor: np.ndarray,
    actor1: np.ndarray,
    actor2: np.ndarray,
    assoc: np.ndarray | None,
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], np.ndarray]:
    """The (row, lane) pairs of rows whose actors have the category codes given (per
    side, in order: each row's first is its primary one), and which rows have any."""
    sides = [actors.of_actor1[actor1], actors.of_actor2[actor2]]
    if assoc is not None:
        sides += [slot[assoc] for slot in actors.assoc_slots]
    rows, lanes, primary = [], [], []
    placed = np.zeros(len(actor1), dtype=bool)
    seen: list[np.ndarray] = []
    for side in sides:  # a few columns; each a vectorised pass
        lane = lane_of_actor[side]
        new = lane >= 0
        for before in seen:  # the same actor twice in one event: one lane
            new &= lane != before
        at = np.flatnonzero(new)
        rows.append(at)
        lanes.append(lane[at])
        primary.append(~placed[at])
        placed |= new
        seen.append(lane)
    return rows, lanes, primary, placed


def codes_of(table: EventTable, column: str) -> np.ndarray:
    """``table.codes(column)``, without making every categorical column's codes first
    when the table has not yet (~10 ms at 1M rows, on the UI thread when a file opens)."""
    if "_codes" in vars(table):  # EventTable._codes, a cached_property, is made
        return table.codes(column)
    return table.df[column].cat.codes.to_numpy()


def code_counts(codes: np.ndarray, n: int) -> np.ndarray:
    """Rows per category code 0..n-1 (unknown, -1, left out) of int8/int16 codes, without
    copying the known codes out first (tens of ms at 1M rows on a busy machine)."""
    if codes.dtype in (np.int8, np.int16):
        # Read as unsigned, unknown (-1) is the largest value: past every real code.
        unsigned = codes.view(np.uint8 if codes.dtype == np.int8 else np.uint16)
        return np.bincount(unsigned, minlength=n)[:n]
    return np.bincount(codes[codes >= 0].astype(np.int64), minlength=n)
