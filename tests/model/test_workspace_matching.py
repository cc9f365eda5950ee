"""A workspace keeps the likely-same search and the actor entries its filter used."""

from __future__ import annotations

import json

from tests.conftest import UCDP_SAMPLE
from timeline_app.formats.registry import load
from timeline_app.model.actor_store import activate_user_entries
from timeline_app.model.actors import Entry, active_dictionary
from timeline_app.model.filters import FilterSpec
from timeline_app.model.matching import MatchRule, match_datasets
from timeline_app.model.state import AppState
from timeline_app.model.workspace import capture, open_workspace, save_workspace


def test_reopening_runs_the_search_again_and_uses_the_recorded_entries(tmp_path):
    state = AppState()
    ucdp = state.add_dataset(load(UCDP_SAMPLE))
    rule = MatchRule(days=1, km=30, same_dataset=True)
    state.set_match(match_datasets(state.table, ucdp.name, ucdp.name, rule), ucdp.name, ucdp.name)
    mine = Entry("ucdp", "JNIM", "Jama'at Nusrat al-Islam wal-Muslimin", "Nusrat", source="t")
    try:
        activate_user_entries([mine])
        version = active_dictionary().version
        state.set_filter(FilterSpec(actors=("Nusrat",), matched="no_second"))
        shown = len(state.visible)
        assert 0 < shown < 60
        path = save_workspace(capture(state), tmp_path / "w.tlx.json")
        saved = json.loads(path.read_text())["matching"]
        assert saved["match"] == {
            "first": ucdp.name, "second": ucdp.name, "days": 1, "km": 30, "same_dataset": True,
        }  # fmt: skip
        assert saved["actor_dictionary"]["user_entries"][0]["short_name"] == "Nusrat"

        activate_user_entries([])  # another session, without the entry
        again = AppState()
        open_workspace(path, load=load).apply(again)
        assert active_dictionary().version == version
        assert again.match() is not None
        assert len(again.visible) == shown
    finally:
        activate_user_entries([])
