"""The detail pane's "Likely the same as" section for a DuckDB dataset's event: the
event and its partner are read by key in the event's worker, the section is drawn as the
memory engine's (ui/match_view.pair_html) from the pairs found (SourceMatch), its links
naming engine keys (``key:``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from timeline_app.model.events import EventTable
from timeline_app.ui.match_view import pair_html


@dataclass(frozen=True)
class EventRead:
    """An event read by key, with the pairs it was read for (None: none looked for),
    its row among them and its partner's event (None: in no pair)."""

    table: EventTable | None
    match: Any = None
    row: int = -1
    partner: pd.Series | None = None

    def sections(self) -> list:
        """The detail pane's sections after the fields (none without pairs)."""
        if self.match is None or self.table is None:
            return []
        match, event, partner = self.match, self.table.df.iloc[0], self.partner

        def partner_event(_row: int) -> pd.Series:
            if partner is None:  # asked only for a paired event, whose partner was read
                raise LookupError("the partner's event was not read")
            return partner

        keys = match.keys
        html = pair_html(
            match.table, match.result, self.row, event, partner_event,
            lambda r: f"key:{int(keys[r])}",
        )  # fmt: skip
        return [lambda _row: html]


def read_with_pair(source, key: int, match, event_table) -> EventRead:
    """(in a worker) The event of ``key`` and, with pairs found, its partner's."""
    table = event_table(source.event(key))
    if match is None or table is None:
        return EventRead(table)
    row, partner = match.partner_of(key)
    other = event_table(source.event(partner)) if partner is not None else None
    return EventRead(table, match, row, other.df.iloc[0] if other is not None else None)
