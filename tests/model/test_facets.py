"""Counts per actor, region and type: each must equal what the filter would show."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.formats.registry import load
from timeline_app.model import facets
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.filters import FilterSpec, filter_mask
from timeline_app.model.schema import conform
from timeline_app.model.text import fold


@pytest.fixture(scope="module")
def both() -> EventTable:
    return EventTable([load(CONTEXT_CSV), load(UCDP_SAMPLE)])


def made_up(rows: list[dict]) -> EventTable:
    frame = conform(pd.DataFrame(rows))
    return EventTable([Dataset(name="t", events=frame, report=LoadReport(format="test"))])


def test_every_actor_count_is_the_number_of_events_its_filter_keeps(both):
    index = facets.actor_index(both)
    everything = np.ones(len(both), dtype=bool)
    counts = facets.actor_counts(both, everything)
    assert len(index.names) >= 8
    for name, count in zip(index.names, counts, strict=True):
        # A raw name's count is what its raw name keeps (aliases widen it to its actor).
        raw = FilterSpec(actors=(name,), actor_aliases=False)
        assert count == filter_mask(both, raw).sum(), name


def test_an_event_naming_an_actor_twice_counts_once():
    table = made_up(
        [
            {"id": "1", "start": "2023-01-01", "actor1": "A", "actor2": "A"},
            {"id": "2", "start": "2023-01-01", "actor1": "A", "assoc_actors": "B; a; B"},
            {"id": "3", "start": "2023-01-01", "actor1": "C", "actor2": "B", "assoc_actors": "B"},
        ]
    )
    index = facets.actor_index(table)
    counts = dict(zip(index.names, facets.actor_counts(table, np.ones(3, bool)), strict=True))
    assert counts == {"A": 2, "B": 2, "C": 1}
    deaths = facets.actor_counts(table, np.array([True, False, True]), np.array([1.0, 5, np.nan]))
    assert dict(zip(index.names, deaths, strict=True)) == {"A": 1, "B": 0, "C": 0}


def test_actor_counts_ignore_the_actor_filter_but_not_the_others(both):
    spec = FilterSpec(actors=("JNIM",), regions=("Gao",))
    counts = facets.facet_counts(both, spec, "actors")
    names = facets.actor_index(both).names
    for name, count in zip(names, counts, strict=True):
        raw = FilterSpec(actors=(name,), regions=("Gao",), actor_aliases=False)
        assert count == filter_mask(both, raw).sum(), name
    assert counts[names.index("Government of Mali")] > 0  # not hidden by ticking JNIM


def test_region_tree_counts_add_up_by_level(both):
    tree = facets.region_tree(both)
    counts = facets.region_counts(both, np.ones(len(both), dtype=bool))
    mali = tree.names.index("Mali")
    assert tree.levels[mali] == 0 and counts[mali] == len(both)
    for node, name in enumerate(tree.names):
        level = tree.levels[node]
        column = ("country", "admin1", "admin2")[level]
        # events below this node: same name at this level and same parents
        path, up = [name], tree.parent[node]
        while up >= 0:
            path.insert(0, tree.names[up])
            up = tree.parent[up]
        df = both.df
        hit = np.ones(len(df), dtype=bool)
        for lvl, part in enumerate(path):
            column_folded = df[("country", "admin1", "admin2")[lvl]].astype(str).map(fold)
            hit &= (column_folded == fold(part)).to_numpy()
        assert counts[node] == hit.sum(), (column, path)
    gao = [k for k, n in enumerate(tree.names) if n == "Gao" and tree.levels[k] == 1]
    assert gao and all(tree.parent[k] == mali for k in gao)


def test_type_counts_under_the_other_filters(both):
    spec = FilterSpec(categories=("attack",), event_types=("Attack",))
    counts = facets.facet_counts(both, spec, "categories")
    cats = [str(c) for c in both.df["category"].cat.categories]
    expected = filter_mask(both, FilterSpec(event_types=("Attack",)))
    for cat, count in zip(cats, counts, strict=True):
        assert count == (expected & (both.df["category"].astype(str) == cat).to_numpy()).sum()


def test_frequency_counts_events_and_known_fatalities(both):
    mask = filter_mask(both, FilterSpec(regions=("Mopti",)))
    table = facets.frequency(both, mask, "admin2").set_index("value")
    df = both.df[mask]
    for admin2, group in df.groupby(df["admin2"].astype(str)):
        if admin2 == "nan":
            continue
        assert table.loc[admin2, "events"] == len(group)
        assert table.loc[admin2, "fatalities"] == group["fatalities"].sum()
        assert table.loc[admin2, "unknown_fatalities"] == group["fatalities"].isna().sum()
    assert list(table["events"]) == sorted(table["events"], reverse=True)


def test_frequency_by_actor_marks_unknown_fatalities_apart(both):
    mask = np.ones(len(both), dtype=bool)
    table = facets.frequency(both, mask, "actor").set_index("value")
    # the context sample never knows the fatalities of a UN withdrawal: unknown, not 0 deaths
    un = table.loc["United Nations (MINUSMA)"]
    assert un["events"] == un["unknown_fatalities"] == 8
    jnim = table.loc["JNIM"]
    assert jnim["events"] == filter_mask(both, FilterSpec(actors=("JNIM",))).sum()


@pytest.mark.parametrize(
    "spec",
    [
        FilterSpec(),
        FilterSpec(actors=("JNIM",)),
        FilterSpec(actors=("JNIM",), regions=("Gao", "Mopti"), text="camp"),
        FilterSpec(
            actors=("Government of Mali",),
            regions=("Mopti",),
            categories=("attack",),
            event_types=("Attack", "State-based conflict"),
            fatalities_min=2,
            include_unknown_fatalities=False,
            text="a",
        ),
        FilterSpec(datasets=("mali_2023_context",), sub_event_types=("Armed clash",), text="é"),
        # Spatial constraints count like every other one (they were left out once).
        FilterSpec(actors=("JNIM",), bbox=(-1.0, 14.0, 1.5, 17.5)),
        FilterSpec(regions=("Gao", "Mopti"), near=(16.27, -0.04, 120.0)),
        FilterSpec(
            event_types=("State-based conflict",),
            within=((((-5.0, 13.0), (-1.0, 13.0), (-1.0, 17.0), (-5.0, 17.0)),),),
        ),
    ],
)
def test_all_facet_masks_at_once_equal_one_filter_per_facet(both, spec):
    mask = filter_mask(both, spec)
    together = facets.others_masks(both, spec, mask)
    for field_name in ("actors", "regions", "categories", "event_types", "datasets"):
        alone = facets.others_mask(both, spec, field_name, mask)
        assert np.array_equal(together[field_name], alone), field_name


def test_facet_counts_honour_a_box_drawn_on_the_map(both):
    """The actor list under a box around Gao counts only the events inside it."""
    spec = FilterSpec(actors=("JNIM",), bbox=(-1.0, 15.0, 1.5, 17.5))
    mask = filter_mask(both, spec)
    actors = facets.others_masks(both, spec, mask)["actors"]
    inside = filter_mask(both, FilterSpec(bbox=spec.bbox))
    assert 0 < actors.sum() == inside.sum() < len(both)
    counts = facets.counts_for(both, "actors", actors)
    names = facets.actor_index(both).names
    jnim = names.index("JNIM")
    assert counts[jnim] == mask.sum()


@pytest.mark.parametrize("field_name", list(facets.VALUE_FIELDS))
def test_the_kept_counts_of_every_row_are_the_counts_of_every_row(both, field_name):
    """Counts over the whole table are kept per table: they must equal a fresh count,
    and a caller changing its copy must not change them."""
    table = EventTable(both.datasets)  # fresh caches
    every = np.ones(len(table), dtype=bool)
    fresh = facets._counts_for(table, field_name, every)
    first = facets.counts_for(table, field_name, every)
    first[:] = -1
    assert np.array_equal(facets.counts_for(table, field_name, every), fresh)
    some = every.copy()
    some[::2] = False  # not every row: counted, not the kept counts
    assert np.array_equal(
        facets.counts_for(table, field_name, some), facets._counts_for(table, field_name, some)
    )
    assert facets.counts_for(table, field_name, some).sum() < fresh.sum()


def test_spellings_that_fold_the_same_are_one_actor_named_as_first_seen():
    table = made_up(
        [
            {"id": "1", "start": "2023-01-01", "actor1": "Ségou Militia", "actor2": "JNIM"},
            {"id": "2", "start": "2023-01-01", "actor1": "Jnim", "assoc_actors": " segou militia"},
            {"id": "3", "start": "2023-01-01", "actor1": "C", "assoc_actors": "D;  ; jnim;D"},
        ]
    )
    index = facets.actor_index(table)
    # actor1's categories come first (sorted), then actor2's, then associated parts
    assert index.names == ["C", "Jnim", "Ségou Militia", "D"]
    assert index.folded == ["c", "jnim", "segou militia", "d"]
    counts = facets.actor_counts(table, np.ones(3, bool))
    assert dict(zip(index.names, counts, strict=True)) == {
        "C": 1,
        "Jnim": 3,
        "Ségou Militia": 2,
        "D": 1,
    }
    for name, count in zip(index.names, counts, strict=True):
        assert count == filter_mask(table, FilterSpec(actors=(name,))).sum(), name


def _reference_actor_index(table: EventTable) -> tuple[list[str], list, list, list]:
    """The actor index as first written (one Python call per spelling), to compare with."""
    from timeline_app.model.schema import ACTOR_SEPARATOR
    from timeline_app.model.text import fold

    ids: dict[str, int] = {}
    names: list[str] = []

    def actor_id(name: str) -> int:
        key = fold(name)
        if key not in ids:
            ids[key] = len(names)
            names.append(str(name).strip())
        return ids[key]

    of1 = [actor_id(c) for c in table.df["actor1"].cat.categories] + [-1]
    of2 = [actor_id(c) for c in table.df["actor2"].cat.categories] + [-1]
    per_cat = []
    for value in table.df["assoc_actors"].cat.categories:
        parts = [actor_id(p) for p in str(value).split(ACTOR_SEPARATOR) if p.strip()]
        per_cat.append(list(dict.fromkeys(parts)))
    return names, of1, of2, per_cat


_SPELLINGS = ["A", "a", " A ", "É", "e", "Ségou", "SEGOU", "x y", "", " ", "Ā", "ﬁ", "FI"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_SPELLINGS[:8]),
            st.sampled_from(_SPELLINGS),
            st.lists(st.sampled_from(_SPELLINGS), max_size=4),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_actor_index_equals_one_python_call_per_spelling(rows):
    table = made_up(
        [
            {"id": str(i), "start": "2023-01-01", "actor1": a1, "actor2": a2 or None,
             "assoc_actors": ";".join(assoc) or None}
            for i, (a1, a2, assoc) in enumerate(rows)
        ]
    )  # fmt: skip
    names, of1, of2, per_cat = _reference_actor_index(table)
    index = facets._build_actor_index(table)
    assert index.names == names
    assert index.of_actor1.tolist() == of1 and index.of_actor2.tolist() == of2
    slots = [
        [int(slot[c]) for slot in index.assoc_slots if slot[c] >= 0] for c in range(len(per_cat))
    ]
    assert slots == per_cat
    assert all(slot[-1] == -1 for slot in index.assoc_slots)


def test_places_spelled_with_and_without_accents_are_one_node():
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e"],
            "start": pd.to_datetime(["2023-09-01"] * 5),
            "title": ["x"] * 5,
            "country": ["Mali", "Mali", "MALI", "Mali", "Niger"],
            "admin1": ["Ségou", "Segou", "segou", "Ségou", "Tillabéri"],
        }
    )
    table = EventTable([Dataset(name="t", events=conform(frame), report=LoadReport("test"))])
    tree = facets.region_tree(table)
    counts = facets.region_counts(table, np.ones(len(table), dtype=bool))
    # One node per place, named by its most used spelling.
    assert sorted(tree.names) == ["Mali", "Niger", "Ségou", "Tillabéri"]
    segou = tree.names.index("Ségou")
    assert counts[segou] == 4 and tree.names[tree.parent[segou]] == "Mali"
    assert counts[tree.names.index("Mali")] == 4
