"""The Filters dock's actor list: canonical actors with their raw spellings under them and
the counts of each; ticking an actor keeps exactly its count; uncertain attributions
shown as such and left out until asked for; the raw names when the dictionary is off."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from tests.model.actor_fixtures import acled_file, gtd_file, ucdp_file
from tests.ui.test_filter_panel import click_facet, count_text, wait_counts
from timeline_app.model.text import fold
from timeline_app.ui.filter_widgets.actor_tree import COUNT, NODE, ActorTreeModel

UNSURE = "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"


@pytest.fixture
def window(make_window, tmp_path: Path):
    return make_window(acled_file(tmp_path), gtd_file(tmp_path), ucdp_file(tmp_path))


def children(tree, name: str) -> list[str]:
    parent = tree.view_index(name)
    model = tree.model
    return [
        str(model.index(r, 0, parent).data(Qt.ItemDataRole.DisplayRole))
        for r in range(model.rowCount(parent))
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


def test_new_counts_and_ticks_keep_the_list_as_the_user_left_it(window, qtbot):
    """A filter change gives the list new counts: the entries repaint (or move, most
    events first) without the model being reset, so what is expanded, the current entry
    and the scroll stay; the order is still by count, then by name."""
    panel = window.filter_panel
    tree, model, view = panel.actors, panel.actors.model, panel.actors.view
    wait_counts(qtbot, panel)
    view.expand(tree.view_index("JNIM"))
    view.setCurrentIndex(tree.view_index("JNIM"))
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    scrolled = view.verticalScrollBar().value()
    assert scrolled > 0
    resets: list[bool] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(True))
    counts = model.count_of("JNIM")
    state = window.state
    state.set_filter(state.spec.with_(include_uncertain_actors=True))
    qtbot.waitUntil(lambda: model.count_of("JNIM") == counts + 1, timeout=2000)
    state.set_filter(state.spec.with_(include_uncertain_actors=False))
    qtbot.waitUntil(lambda: model.count_of("JNIM") == counts, timeout=2000)
    assert not resets
    assert view.isExpanded(tree.view_index("JNIM"))
    assert str(view.currentIndex().data(Qt.ItemDataRole.UserRole)) == "JNIM"
    assert view.verticalScrollBar().value() == scrolled
    shown = [model.count_of(name) for name in tree.shown_names() if model.node_of_name(name) >= 0]
    top = [model.index(r, 0) for r in range(model.rowCount())]
    keys = [(-int(i.data(COUNT)), fold(str(i.data(Qt.ItemDataRole.UserRole)))) for i in top]
    assert keys == sorted(keys) and shown


def test_the_search_box_narrows_and_widens_the_list_without_a_reset(window, qtbot):
    panel = window.filter_panel
    model = panel.actors.model
    wait_counts(qtbot, panel)
    everything = panel.actors.shown_names()
    resets: list[bool] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(True))
    qtbot.keyClicks(panel.actors.search, "mali")
    narrowed = panel.actors.shown_names()
    assert narrowed and len(narrowed) < len(everything)
    for row in range(model.rowCount()):  # each entry found, or kept for one under it
        index = model.index(row, 0)
        found = "mali" in model.tree.search_keys[index.data(NODE)]
        assert found or model.rowCount(index) > 0
    panel.actors.search.clear()
    assert panel.actors.shown_names() == everything and not resets


def test_counts_in_the_same_order_repaint_and_a_new_order_moves_the_rows(window, qtbot):
    """The model alone: counts keeping the order are one dataChanged per parent shown (no
    layout change); counts reordering the entries are one layout change in which a
    persistent index (the view's expanded and current entries) follows its entry."""
    wait_counts(qtbot, window.filter_panel)
    tree = window.filter_panel.actors.model.tree
    model = ActorTreeModel()
    model.set_tree(tree)
    counts = np.arange(1, len(tree.names) + 1, dtype=np.float64)
    model.set_counts(counts)
    signals: list[str] = []
    for name in ("modelAboutToBeReset", "layoutChanged", "dataChanged"):
        getattr(model, name).connect(lambda *_, n=name: signals.append(n))
    model.set_counts(counts * 2)
    assert set(signals) == {"dataChanged"}
    assert model.index(0, 0).data(COUNT) == counts[-1] * 2 or model._parent[-1] >= 0
    last = model.index(model.rowCount() - 1, 0)
    kept = QPersistentModelIndex(last)
    name = last.data(Qt.ItemDataRole.UserRole)
    signals.clear()
    model.set_counts(counts[::-1].copy())  # the least counted first now
    assert signals == ["layoutChanged"]
    assert kept.row() == 0 and kept.data(Qt.ItemDataRole.UserRole) == name
    top = [model.index(r, 0).data(COUNT) for r in range(model.rowCount())]
    assert top == sorted(top, reverse=True)


def test_a_long_list_shows_the_most_counted_and_finds_the_others_by_name(
    make_window, qtbot, tmp_path: Path
):
    """Thousands of actors: the list shows the SHOWN_MAX with the most events, says how
    many more there are, and a search or a tick shows any of the others."""
    from tests.benchmarks import generate
    from timeline_app.model.filters import FilterSpec
    from timeline_app.ui.filter_widgets.actor_tree import SHOWN_MAX

    path = tmp_path / "many-actors.csv"
    generate.write(path, 6_000)
    window = make_window(path)
    panel = window.filter_panel
    tree, model = panel.actors, panel.actors.model
    wait_counts(qtbot, panel)
    tops = [model.index(r, 0).data(NODE) for r in range(model.rowCount())]
    assert len(tops) == SHOWN_MAX
    with_events = int(np.count_nonzero(model.counts[model._parent < 0] > 0))
    assert model.more == with_events - SHOWN_MAX > 100
    assert tree.more_note.isVisibleTo(tree)
    assert f"{model.more:,} more with fewer events" in tree.more_note.text()
    # the most counted: none left out has more events than the last one listed
    shown = np.zeros(len(model.counts), dtype=bool)
    shown[tops] = True
    left_out = (model._parent < 0) & ~shown & (model.counts > 0)
    assert model.counts[left_out].max() <= model.counts[tops].min()
    rare = int(np.flatnonzero(left_out)[-1])
    name = model.name_of(rare)
    assert name not in tree.shown_names()
    qtbot.keyClicks(tree.search, fold(name))  # typed without its accents
    assert name in tree.shown_names()
    tree.search.clear()
    assert name not in tree.shown_names()
    window.state.set_filter(FilterSpec(actors=(model.term_of(rare),)))
    wait_counts(qtbot, panel)
    assert name in tree.shown_names()  # ticked: it shows
    assert tree.view_index(name).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    window.state.set_filter(FilterSpec())
    wait_counts(qtbot, panel)
    assert name not in tree.shown_names()
