"""A filter list's rows in numpy: which nodes show and their order under each parent."""

from __future__ import annotations

import numpy as np

from timeline_app.model.tree_rows import matching, name_ranks, tree_rows


def test_most_counted_first_then_by_name_and_a_parent_shows_for_its_children():
    # 0 "b" (top), 1 "a" (top), 2 "c" under 0, 3 "d" under 0, 4 "e" (top, no events)
    parent = np.array([-1, -1, 0, 0, -1])
    counts = np.array([0.0, 5.0, 2.0, 2.0, 0.0])
    rank = name_ranks(["b", "a", "d", "c", "e"])
    wanted = counts > 0
    rows = tree_rows(parent, wanted, counts, rank)
    assert rows.kids[-1] == [1, 0]  # "a" (5) before "b" (kept for its children)
    assert rows.kids[0] == [3, 2]  # equal counts: by name ("c" before "d")
    assert rows.row.tolist() == [1, 0, 1, 0, -1]
    assert tree_rows(parent, wanted, counts, rank).same_as(rows)
    assert not tree_rows(parent, wanted, counts[[0, 1, 3, 2, 4]] + [0, 0, 1, 0, 0], rank).same_as(
        rows
    )


def test_the_search_matches_folded_keys_and_all_for_nothing_typed():
    keys = np.asarray(["jnim | gsim", "fama", "is sahel | isgs"], dtype=np.str_)
    assert matching(keys, "gs").tolist() == [True, False, True]
    assert matching(keys, "").all()
