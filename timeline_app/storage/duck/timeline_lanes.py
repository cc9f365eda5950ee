"""The timeline's lanes in SQL (storage/duck/timeline.py): one lane per event by a CASE
over the grouping column's values, or by actor each of the event's actors' lanes (the
memory engine's choice and membership: storage/duck/actor_trends.ActorLanes)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from timeline_app.model.timeline.remote import LANE, LANES
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.actor_trends import ActorLanes


@dataclass(frozen=True, eq=False)
class LanePlan:
    """A grouping's lanes and how SQL places an event in them: one lane per event by a
    CASE, or (by actor) each of its lanes by a condition per lane. By actor, SQL groups
    the events by which of the actors' lanes they are in (a bit per lane: few distinct
    sets, no row per pair), and :meth:`pairs` spreads each group to its lanes, so that
    the counts are per (event, lane) pair as the memory index holds them."""

    labels: tuple[str, ...]
    case: str  # an event's lane (not by actor)
    members: list[str] | None = None  # by actor: per lane, an event is in it
    actors: ActorLanes | None = None

    @property
    def key(self) -> tuple[object, ...]:
        return self.labels, self.case, tuple(self.members or ())

    @property
    def column(self) -> str:
        """Each event's lane, or (by actor) the set of its actors' lanes as bits."""
        if self.members is None or self.actors is None:
            return self.case
        bits = [
            f"(CASE WHEN {m} THEN {1 << k} ELSE 0 END)"
            for k, m in enumerate(self.members)
            if k != self.actors.other
        ]
        return f"({' + '.join(bits)})::BIGINT" if bits else "0::BIGINT"

    def pairs(self, found: pa.Table) -> pa.Table:
        """Rows counted per ``lane`` (:attr:`column`), as rows per lane (by actor: a
        group's row once per lane of its set, "other" for none)."""
        if self.members is None or self.actors is None:
            return found
        sets = found.column("lane").to_numpy().astype(np.int64)
        rows, lanes = [], []
        for k in range(len(self.labels)):  # a few lanes, each a vectorised pass
            hit = sets == 0 if k == self.actors.other else (sets >> k) & 1 == 1
            at = np.flatnonzero(hit)
            rows.append(at)
            lanes.append(np.full(len(at), k, np.int64))
        taken = found.take(np.concatenate(rows))
        index = taken.schema.get_field_index("lane")
        return taken.set_column(index, "lane", pa.array(np.concatenate(lanes)))

    def within(self, lanes: list[int]) -> str:
        """An event is in one of ``lanes``."""
        if self.members is None:
            return f"{self.case} IN ({', '.join(map(str, lanes))})"
        return sql.any_of(f"coalesce({self.members[k]}, false)" for k in lanes)

    def placed(self, rows: pa.Table) -> pa.Table:
        """Rows read, with their lanes (by actor: the memory engine's membership)."""
        if self.actors is None:
            return rows
        row, lane, first = self.actors.spread(rows)
        offsets = np.searchsorted(row, np.arange(rows.num_rows + 1)).astype(np.int32)
        lists = pa.ListArray.from_arrays(
            pa.array(offsets, pa.int32()), pa.array(lane.astype(np.int16), pa.int16())
        )
        of_row = np.zeros(rows.num_rows, dtype=np.int16)
        of_row[row[first]] = lane[first]
        rows = rows.append_column(LANE, pa.array(of_row))
        return rows.append_column(LANES, lists)


def lane_case(column: str, lane_of: dict[str | None, int]) -> str:
    """Each row's lane: a CASE over the values the lanes name (the rest: "other")."""
    default = lane_of[None]
    by_lane: dict[int, list[str]] = {}
    for name, lane in lane_of.items():
        if name is not None and lane != default:
            by_lane.setdefault(lane, []).append(name)
    whens = [f"WHEN {sql.in_list(column, names)} THEN {k}" for k, names in sorted(by_lane.items())]
    return f"(CASE {' '.join(whens)} ELSE {default} END)" if whens else str(default)
