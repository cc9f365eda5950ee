"""The Filters dock's actor list: canonical actors with their raw spellings under them, and
a count for each that is exactly what ticking it alone keeps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.model.actor_fixtures import acled_file, gtd_file, ucdp_file
from timeline_app.formats.registry import load
from timeline_app.model.actor_facet import actor_tree, node_of_term, tree_counts
from timeline_app.model.events import EventTable
from timeline_app.model.facets import others_mask
from timeline_app.model.filters import FilterSpec, filter_mask


@pytest.fixture
def table(tmp_path: Path) -> EventTable:
    return EventTable(
        [load(acled_file(tmp_path)), load(gtd_file(tmp_path)), load(ucdp_file(tmp_path))]
    )


def listing(table, tree, counts) -> dict[str, object]:
    """label -> count, or (count, {child: count}) for a canonical actor."""
    out: dict[str, object] = {}
    for node in tree.roots:
        kids = {tree.names[c]: int(counts[c]) for c in tree.children[node]}
        out[tree.names[node]] = (int(counts[node]), kids) if kids else int(counts[node])
    return out


def test_canonical_actors_hold_their_spellings_and_uncertain_ones_are_marked(table):
    tree = actor_tree(table)
    counts = tree_counts(table, tree, FilterSpec(), np.ones(len(table), bool))
    shown = listing(table, tree, counts)
    jnim_count, jnim = shown["JNIM"]
    assert jnim == {
        "JNIM": 1,
        "JNIM: Group for Support of Islam and Muslims": 1,
        "Jamaat Nusrat al-Islam wal Muslimin (JNIM)": 1,
        "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)": 1,
    }
    assert jnim_count == 3  # the uncertain attribution is not counted: off by default
    uncertain = node_of_term(
        tree, "=JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"
    )
    assert tree.uncertain[uncertain] and "uncertain" in tree.tips[uncertain]
    fama_count, fama = shown["FAMa"]
    assert set(fama) == {
        "Military Forces of Mali (2021-)",  # also an associated actor of MLI7
        "Military Forces of Mali (2013-) Special Forces",
        "Military Forces of Mali (2013-2020)",
        "Government of Mali",
    }
    assert fama_count == 8  # MLI1, MLI2, MLI3, MLI7 and the four UCDP rows
    # Mutineers and police stay apart, as raw names of their own.
    assert shown["Mutiny of Military Forces of Mali (2021-)"] == 1
    assert shown["Police Forces of Mali (2021-)"] == 1
    with_uncertain = tree_counts(
        table, tree, FilterSpec(include_uncertain_actors=True), np.ones(len(table), bool)
    )
    assert int(with_uncertain[node_of_term(tree, "JNIM")]) == 4
    assert node_of_term(tree, "Jama'at Nusrat al-Islam wal-Muslimin") == node_of_term(tree, "jnim")


@pytest.mark.parametrize("uncertain", [False, True])
@pytest.mark.parametrize(
    "other",
    [FilterSpec(), FilterSpec(categories=("attack",)), FilterSpec(datasets=("ucdp_actors",))],
)
def test_every_count_is_what_ticking_that_entry_alone_keeps(table, uncertain, other):
    spec = other.with_(include_uncertain_actors=uncertain)
    tree = actor_tree(table)
    rows = others_mask(table, spec, "actors")
    counts = tree_counts(table, tree, spec, rows)
    for node, term in enumerate(tree.terms):
        kept = int(filter_mask(table, spec.with_(actors=(term,))).sum())
        assert counts[node] == kept, (tree.names[node], term)


def test_a_raw_spelling_ticked_is_that_spelling_only(table):
    tree = actor_tree(table)
    child = node_of_term(tree, "=JNIM")  # UCDP's spelling: under JNIM, not all of JNIM
    assert tree.parent[child] == node_of_term(tree, "JNIM")
    kept = filter_mask(table, FilterSpec(actors=("=JNIM",)))
    assert table.df["id"][kept].tolist() == ["903"]
    assert filter_mask(table, FilterSpec(actors=("JNIM",))).sum() == 3


def test_without_the_dictionary_the_list_is_the_raw_names(table):
    tree = actor_tree(table, aliases=False)
    assert (tree.parent < 0).all() and not tree.aliases
    spec = FilterSpec(actor_aliases=False)
    counts = tree_counts(table, tree, spec, np.ones(len(table), bool))
    for node, term in enumerate(tree.terms):
        assert not term.startswith("=")
        assert counts[node] == filter_mask(table, spec.with_(actors=(term,))).sum()
    assert "FAMa" not in tree.names and "Government of Mali" in tree.names


def test_a_spelling_given_plain_ticks_its_actor_row_which_keeps_the_same_events(table):
    """A filter by spelling (the command line's --actor, an old workspace) means every
    name of its actor: the list shows it on that actor's row, not as a row of its own."""
    tree = actor_tree(table)
    jnim = node_of_term(tree, "JNIM")
    plain = "JNIM: Group for Support of Islam and Muslims"
    assert node_of_term(tree, plain) == jnim
    same = filter_mask(table, FilterSpec(actors=(plain,)))
    assert (same == filter_mask(table, FilterSpec(actors=("JNIM",)))).all()
    mapped = 0
    for node, term in enumerate(tree.terms):
        if term.startswith("=") and node_of_term(tree, term[1:]) == tree.parent[node]:
            mapped += 1
            kept = filter_mask(table, FilterSpec(actors=(term[1:],)))
            parent = filter_mask(table, FilterSpec(actors=(tree.terms[tree.parent[node]],)))
            assert (kept == parent).all(), term
    assert mapped >= 3
    # An uncertain attribution is no tick of its actor.
    uncertain = "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"
    assert node_of_term(tree, uncertain) != jnim


def test_the_tree_comes_with_its_term_index_made(table):
    """The counting thread builds the tree first: its term index (a fold of every term)
    is made with it there, not on the UI thread when the first actor is ticked."""
    for aliases in (True, False):
        tree = actor_tree(table, aliases=aliases)
        assert "term_index" in vars(tree)  # already made: no build on the first lookup
        assert all(node_of_term(tree, term) >= 0 for term in tree.terms)
