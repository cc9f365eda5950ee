"""The Filters dock's actor list: canonical actors with their raw spellings under them and
the counts of each; ticking an actor keeps exactly its count; uncertain attributions
shown as such and left out until asked for; the raw names when the dictionary is off."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from tests.model.actor_fixtures import acled_file, gtd_file, ucdp_file
from tests.ui.test_filter_panel import click_facet, count_text, wait_counts

UNSURE = "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"


@pytest.fixture
def window(make_window, tmp_path: Path):
    return make_window(acled_file(tmp_path), gtd_file(tmp_path), ucdp_file(tmp_path))


def children(tree, name: str) -> list[str]:
    parent = tree.view_index(name)
    proxy = tree.proxy
    return [
        str(proxy.index(r, 0, parent).data(Qt.ItemDataRole.DisplayRole))
        for r in range(proxy.rowCount(parent))
    ]


def test_each_actor_lists_its_spellings_and_ticking_it_keeps_its_count(window, qtbot):
    panel = window.filter_panel
    tree = panel.actors
    wait_counts(qtbot, panel)
    assert tree.shown_names()[:2] == ["FAMa", "Government of Mali"]  # most events first
    assert children(tree, "JNIM") == [
        "Jamaat Nusrat al-Islam wal Muslimin (JNIM)  (1)",
        "JNIM  (1)",
        "JNIM: Group for Support of Islam and Muslims  (1)",
        f"{UNSURE}  (1) · uncertain",  # shown as such
    ]
    index = tree.view_index(UNSURE)
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert "could not settle" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert not tree.uncertain.isChecked()  # off by default
    assert tree.model.count_of("JNIM") == 3
    for actor in ("JNIM", "FAMa", "IS Sahel"):
        count = tree.model.count_of(actor)
        click_facet(qtbot, tree, actor)
        assert window.state.spec.actors == (actor,)
        assert count_text(window) == f"{count} of 15 events"  # exactly its count
        click_facet(qtbot, tree, actor)
    # Mutineers and police are names of their own, not the army.
    assert "Mutiny of Military Forces of Mali (2021-)" not in children(tree, "FAMa")

    # Including the uncertain attributions: the filter's option, and the count follows.
    qtbot.mouseClick(tree.uncertain, Qt.MouseButton.LeftButton)
    assert window.state.spec.include_uncertain_actors
    wait_counts(qtbot, panel)
    assert tree.model.count_of("JNIM") == 4
    click_facet(qtbot, tree, "JNIM")
    assert count_text(window) == "4 of 15 events"
    assert "With uncertain attributions" in panel.chips.labels()


def test_a_spelling_ticked_is_that_spelling_and_the_raw_names_without_the_dictionary(window, qtbot):
    panel = window.filter_panel
    tree = panel.actors
    wait_counts(qtbot, panel)
    click_facet(qtbot, tree, "Military Forces of Mali (2021-)")  # a spelling under FAMa
    assert window.state.spec.actors == ("=Military Forces of Mali (2021-)",)
    assert count_text(window) == "2 of 15 events"  # MLI1 and MLI7 (associated), not all FAMa
    assert tree.model.is_checked("Military Forces of Mali (2021-)")
    assert not tree.model.is_checked("FAMa")
    window.state.set_filter(window.state.spec.with_(actors=(), actor_aliases=False))
    wait_counts(qtbot, panel)
    names = tree.shown_names()
    assert "FAMa" not in names and "Government of Mali" in names and UNSURE in names
    assert not tree.uncertain.isEnabled()  # nothing is uncertain without the dictionary


def test_the_actor_search_finds_an_actor_by_any_of_its_aliases(window, qtbot):
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    qtbot.keyClicks(panel.actors.search, "gsim")  # JNIM's French acronym, in no file
    assert panel.actors.shown_names()[0] == "JNIM"
    panel.actors.search.clear()
    qtbot.keyClicks(panel.actors.search, "isgs")
    assert panel.actors.shown_names()[0] == "IS Sahel"
    click_facet(qtbot, panel.actors, "IS Sahel")
    assert window.state.spec.actors == ("IS Sahel",)


def test_the_top_level_is_kept_not_rebuilt_for_every_index(make_window):
    """Qt's view and sort proxy call index() for every row on each filter change
    (160,000 times at 100k rows); each rebuilt the top level from the tree's arrays,
    9-17 s per filter change there. It is kept per tree and ticked extras."""
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    model = window.filter_panel.actors.model
    tree = model.tree
    assert tree.roots is tree.roots
    first = model._kids(-1)
    assert model._kids(-1) is first and len(first) == model.rowCount()
    window.filter_panel.toggle_actor("JNIM", True)
    assert model.rowCount() == len(model._kids(-1))
