"""Tools > Actor Dictionary…: the user's entries are saved beside the shipped table, used
by the filter at once, and exported and imported in the same layout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import UCDP_SAMPLE
from timeline_app.model.actor_store import activate_user_entries, user_dictionary_path
from timeline_app.model.actors import active_dictionary, read_entries
from timeline_app.model.filters import FilterSpec


@pytest.fixture(autouse=True)
def shipped_dictionary_after():
    """The dictionary in use is the process's: leave the shipped one to the next test."""
    yield
    activate_user_entries([])


def fill(dialog, row: int, **values: str) -> None:
    from timeline_app.model.actors import FIELDS

    for name, value in values.items():
        dialog.table.item(row, FIELDS.index(name)).setText(value)


def test_an_entry_of_ones_own_is_saved_and_used_by_the_filter(make_window, tmp_path):
    window = make_window(UCDP_SAMPLE)
    window.state.set_filter(FilterSpec(actors=("Nusrat",)))
    assert len(window.state.visible) == 0
    before = active_dictionary().version
    dialog = window.matching.show_dictionary()
    row = dialog.add_row()
    fill(dialog, row, dataset="ucdp", raw_name="JNIM", canonical="Jama'at Nusrat al-Islam wal-Muslimin", short_name="Nusrat", source="my reading")  # fmt: skip
    assert dialog.save()
    assert len(window.state.visible) == 60  # the filter applied again, with the new alias
    assert active_dictionary().version != before
    saved = user_dictionary_path()
    assert saved.parent == Path(os.environ["TIMELINE_APP_CONFIG_DIR"])
    assert [e.short_name for e in read_entries(saved.read_text())] == ["Nusrat"]

    out = tmp_path / "mine.csv"
    assert dialog.export_to(out)
    dialog.close()
    again = window.matching.show_dictionary()  # reads the saved entries back
    assert again.table.rowCount() == 1
    assert again.import_from(out) == 1 and again.table.rowCount() == 2
    again.close()


def test_a_bad_row_is_named_and_nothing_is_saved(make_window):
    window = make_window(UCDP_SAMPLE)
    dialog = window.matching.show_dictionary()
    row = dialog.add_row()
    fill(dialog, row, dataset="somewhere", raw_name="X", canonical="Y")
    assert not dialog.save()
    assert "row 1" in dialog.status.text() and not user_dictionary_path().exists()
    dialog.close()
