"""What a workspace keeps of issue 14: the actor-dictionary entries its filter used (the
user's own, with the dictionary's version) and the likely-same search it ran (the two
datasets and the rule), so that reopening it gives the same rows.

Stored under ``"matching"`` in the ``.tlx.json``:
``{"actor_dictionary": {"version", "user_entries": [rows]}, "match": {"first", "second",
"days", "km", "same_dataset"}}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timeline_app.model.actor_store import activate_user_entries
from timeline_app.model.actors import Entry, active_dictionary, shipped_entries
from timeline_app.model.matching import MatchRule, match_datasets
from timeline_app.model.state import AppState


def capture_matching(state: AppState) -> dict[str, Any]:
    dictionary = active_dictionary()
    shipped = len(shipped_entries())
    user = [e.as_row() for e in dictionary.entries[shipped:]]
    data: dict[str, Any] = {
        "actor_dictionary": {"version": dictionary.version, "user_entries": user}
    }
    view = state.source_view  # a DuckDB dataset's pairs (storage/duck/matching.SourceMatch)
    found = state.match() if view.source is None else view.match
    if found is not None:
        rule = found.result.rule
        data["match"] = {
            "first": found.first,
            "second": found.second,
            "days": rule.days,
            "km": rule.km,
            "same_dataset": rule.same_dataset,
        }
    return data


#: Runs a recorded search: ``run(first, second, rule)``. The window hands it to its worker
#: (the state gets the pairs when they are found); without one it runs here and now.
MatchRunner = Callable[[str, str, MatchRule], None]


def apply_matching(
    state: AppState, data: dict[str, Any] | None, run: MatchRunner | None = None
) -> list[str]:
    """Use the recorded entries (when the dictionary in use differs) and run the recorded
    search again (by ``run`` when given, else before the filter is applied). Returns notes
    for the user."""
    if not data:
        return []
    notes = use_recorded_entries(data)
    try:
        search = recorded_search(state, data)
    except (ValueError, TypeError) as err:
        notes.append(f"the workspace's likely-same search was not run again: {err}")
        return notes
    if search is not None:
        first, second, rule = search
        if run is not None:
            run(first, second, rule)
        else:
            state.set_match(match_datasets(state.table, first, second, rule), first, second)
    return notes


def use_recorded_entries(data: dict[str, Any] | None) -> list[str]:
    """Use the workspace's own actor entries when the dictionary in use differs (its
    filter's actors were resolved through them); notes for the user."""
    notes: list[str] = []
    recorded = (data or {}).get("actor_dictionary") or {}
    rows = recorded.get("user_entries")
    if isinstance(rows, list) and recorded.get("version") != active_dictionary().version:
        try:
            entries = [Entry.from_row(r) for r in rows if isinstance(r, dict)]
        except ValueError as err:
            notes.append(f"the workspace's actor entries were not used: {err}")
        else:
            activate_user_entries(entries)
            notes.append(f"the workspace's {len(entries)} actor entries are used")
    return notes


def recorded_search(
    state: AppState, data: dict[str, Any] | None
) -> tuple[str, str, MatchRule] | None:
    """The recorded search (first, second, rule) when both its datasets are open."""
    source = state.source_view.source  # a DuckDB dataset's inputs, else the open files
    names = set(source.names) if source is not None else {d.name for d in state.table.datasets}
    return search_among(data, names)


def search_among(data: dict[str, Any] | None, names: set[str]) -> tuple[str, str, MatchRule] | None:
    """The recorded search (first, second, rule) when both its datasets are among
    ``names``. Raises ValueError or TypeError for a malformed one."""
    match = (data or {}).get("match")
    if not isinstance(match, dict) or not {match.get("first"), match.get("second")} <= names:
        return None
    rule = MatchRule(
        days=float(match.get("days", 2)),
        km=float(match.get("km", 25)),
        same_dataset=bool(match.get("same_dataset", False)),
    )
    return str(match["first"]), str(match["second"]), rule
