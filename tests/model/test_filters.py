"""FilterSpec -> row mask on the bundled samples and on small made-up tables."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.formats.registry import load
from timeline_app.model import filters
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.filters import FilterSpec, filter_mask, take_rows
from timeline_app.model.schema import conform
from timeline_app.model.text import fold


@pytest.fixture(scope="module")
def context() -> EventTable:
    return EventTable([load(CONTEXT_CSV)])


@pytest.fixture(scope="module")
def both() -> EventTable:
    return EventTable([load(CONTEXT_CSV), load(UCDP_SAMPLE)])


def ids(table: EventTable, spec: FilterSpec) -> list[str]:
    return sorted(table.df["id"].to_numpy()[filter_mask(table, spec)].tolist())


def made_up(rows: list[dict], name: str = "made_up") -> EventTable:
    frame = conform(pd.DataFrame(rows))
    return EventTable([Dataset(name=name, events=frame, report=LoadReport(format="test"))])


# -- text ---------------------------------------------------------------------------------------
def test_text_is_case_and_accent_insensitive(context):
    assert ids(context, FilterSpec(text="segou")) == ["ctx-08"]
    assert ids(context, FilterSpec(text="SÉGOU")) == ["ctx-08"]
    assert ids(context, FilterSpec(text="Wagner group")) == ["ctx-08"]


def test_text_searches_location_and_source_too(context):
    # "Ménaka" is only the location of ctx-07 (title "...camp at Ménaka" also has it)
    assert "ctx-07" in ids(context, FilterSpec(text="menaka"))
    # the location column alone: "Abakoira" is in the location, not in the title
    assert ids(context, FilterSpec(text="abakoira")) == ["ctx-10"]
    # the source column: only public-record sources say "resolution 2690 (2023)"
    assert ids(context, FilterSpec(text="Security Council resolution 2690")) == ["ctx-02"]


def test_text_search_on_a_subset_and_on_all_rows_agree(both, monkeypatch):
    spec = FilterSpec(text="jnim", regions=("Gao", "Mopti"))
    monkeypatch.setattr(filters, "TAKE_FRACTION", 0.0)
    whole = filter_mask(both, spec)
    monkeypatch.setattr(filters, "TAKE_FRACTION", 2.0)
    subset = filter_mask(both, spec)
    assert whole.sum() > 3
    assert np.array_equal(whole, subset)


def test_take_rows_reads_the_right_rows_of_every_chunk():
    values = pa.chunked_array([["a", "b", "c"], ["d"], [], ["e", "f"]])
    sliced = pa.chunked_array([c for c in values.chunks])
    assert take_rows(sliced, np.array([0, 2, 3, 5])).to_pylist() == ["a", "c", "d", "f"]
    assert take_rows(sliced, np.array([], dtype=np.int64)).to_pylist() == []


# -- actors and regions ---------------------------------------------------------------------------
def test_an_actor_matches_on_either_side_and_as_an_associated_actor(context):
    fama = FilterSpec(actors=("malian armed forces (FAMA)",))
    # actor1 (ctx-14, ctx-17), actor2 (ctx-04, 09, 11, 12), associated (ctx-10)
    assert ids(context, fama) == [
        "ctx-04", "ctx-09", "ctx-10", "ctx-11", "ctx-12", "ctx-14", "ctx-17",
    ]  # fmt: skip
    # Wagner: actor2 of ctx-08, associated actor of ctx-17
    assert ids(context, FilterSpec(actors=("Wagner Group",))) == ["ctx-08", "ctx-17"]


def test_each_of_several_associated_actors_matches_as_a_whole_name():
    table = made_up(
        [
            {"id": "1", "start": "2023-01-01", "actor1": "A", "assoc_actors": "Dozo; Wagner Group"},
            {"id": "2", "start": "2023-01-02", "actor1": "B", "assoc_actors": "Dozo Militia"},
            {"id": "3", "start": "2023-01-03", "actor1": "C", "actor2": "dozo"},
        ]
    )
    assert ids(table, FilterSpec(actors=("Dozo",))) == ["1", "3"]
    assert ids(table, FilterSpec(actors=("wagner group",))) == ["1"]
    assert ids(table, FilterSpec(actors=("Wagner",), actor_aliases=False)) == []  # whole names
    # ... though the actor dictionary knows "Wagner" as Wagner Group's short name.
    assert ids(table, FilterSpec(actors=("Wagner",))) == ["1"]


def test_a_region_name_matches_any_admin_level(context, both):
    assert ids(context, FilterSpec(regions=("Bankass",))) == ["ctx-04"]  # admin2
    assert len(ids(both, FilterSpec(regions=("mali",)))) == len(both)  # country
    segou = ids(both, FilterSpec(regions=("Ségou",)))
    # the context sample writes "Ségou", UCDP writes "Segou": both are the same place
    assert "ctx-08" in segou and len(segou) == 1 + 7


def test_repeated_values_or_and_fields_and(both):
    a = set(ids(both, FilterSpec(regions=("Gao",))))
    b = set(ids(both, FilterSpec(regions=("Kidal",))))
    assert set(ids(both, FilterSpec(regions=("Gao", "Kidal")))) == a | b
    jnim = set(ids(both, FilterSpec(actors=("JNIM",))))
    assert set(ids(both, FilterSpec(regions=("Gao", "Kidal"), actors=("JNIM",)))) == (a | b) & jnim


def test_datasets_and_categories(both):
    assert len(ids(both, FilterSpec(datasets=("mali_2023_context",)))) == 18
    assert ids(both, FilterSpec(categories=("mourning",))) == ["ctx-13"]
    assert ids(both, FilterSpec(categories=("blockade",), datasets=("nope",))) == []


# -- dates ----------------------------------------------------------------------------------------
def test_a_period_is_kept_when_it_overlaps_the_dates(context):
    spec = FilterSpec(date_from=datetime(2023, 9, 5), date_to=datetime(2023, 9, 6))
    kept = ids(context, spec)
    assert "ctx-03" in kept  # the blockade, 2023-08-01 .. 2023-09-09
    assert "ctx-08" in kept  # a point event on 6 Sep: "to" includes that whole day
    assert "ctx-13" not in kept  # mourning starts on the 8th


def test_date_bounds_are_inclusive(context):
    assert "ctx-13" in ids(context, FilterSpec(date_from=datetime(2023, 9, 10)))  # ends 10 Sep
    assert "ctx-13" not in ids(context, FilterSpec(date_from=datetime(2023, 9, 11)))
    assert "ctx-03" in ids(context, FilterSpec(date_to=datetime(2023, 8, 1)))
    assert "ctx-03" not in ids(context, FilterSpec(date_to=datetime(2023, 7, 31)))


def test_a_to_bound_with_a_time_is_exact():
    table = made_up(
        [{"id": "1", "start": "2023-01-01 18:00"}, {"id": "2", "start": "2023-01-01 00:00"}]
    )
    assert ids(table, FilterSpec(date_to=datetime(2023, 1, 1, 12))) == ["2"]
    assert ids(table, FilterSpec(date_to=datetime(2023, 1, 1))) == ["1", "2"]


def test_events_of_unknown_date_are_dropped_by_any_date_bound():
    table = made_up([{"id": "1", "start": None}, {"id": "2", "start": "2023-01-01"}])
    assert ids(table, FilterSpec()) == ["1", "2"]
    assert ids(table, FilterSpec(date_to=datetime(2024, 1, 1))) == ["2"]
    assert ids(table, FilterSpec(date_from=datetime(2000, 1, 1))) == ["2"]


# -- fatalities -----------------------------------------------------------------------------------
def test_fatalities_bounds_and_unknowns(both):
    fat = both.df["fatalities"]
    unknown = int(fat.isna().sum())
    at_least_10 = int((fat >= 10).sum())
    assert unknown > 0 and at_least_10 > 0
    assert len(ids(both, FilterSpec(fatalities_min=10))) == at_least_10 + unknown
    spec = FilterSpec(fatalities_min=10, include_unknown_fatalities=False)
    assert len(ids(both, spec)) == at_least_10
    spec = FilterSpec(fatalities_min=1, fatalities_max=3, include_unknown_fatalities=False)
    assert len(ids(both, spec)) == int(((fat >= 1) & (fat <= 3)).sum())
    # the switch alone drops the unknown ones, and is not an "empty" filter
    alone = FilterSpec(include_unknown_fatalities=False)
    assert len(ids(both, alone)) == len(both) - unknown
    assert not alone.is_empty()


# -- the spec as data -------------------------------------------------------------------------------
def test_spec_round_trips_through_a_dict():
    spec = FilterSpec(
        actors=("JNIM",), date_from=datetime(2023, 9, 1), fatalities_min=2.0, text="gao"
    )
    assert FilterSpec.from_dict(spec.to_dict()) == spec
    assert spec.without("actors") == spec.with_(actors=())
    assert spec.without("date_from").date_from is None
    assert FilterSpec().is_empty() and FilterSpec(text="  ").is_empty()
    assert not FilterSpec(text="x").is_empty()


# -- against a plain reference --------------------------------------------------------------------------
def reference(table: EventTable, spec: FilterSpec) -> np.ndarray:
    """Row by row, the rules as written in FilterSpec's docstring (slow, obvious)."""
    df = table.df
    out = []

    def names(value, split=False):
        if value is None or pd.isna(value):
            return []
        return [fold(p) for p in (str(value).split(";") if split else [str(value)])]

    for _, row in df.iterrows():
        ok = True
        if spec.actors:
            mine = names(row.actor1) + names(row.actor2) + names(row.assoc_actors, True)
            ok &= any(fold(a) in mine for a in spec.actors)
        if spec.regions:
            mine = [n for c in ("country", "admin1", "admin2", "admin3") for n in names(row[c])]
            ok &= any(fold(r) in mine for r in spec.regions)
        for field, column in (("categories", "category"), ("event_types", "event_type")):
            if getattr(spec, field):
                ok &= any(fold(v) in names(row[column]) for v in getattr(spec, field))
        if spec.date_from is not None or spec.date_to is not None:
            ok &= not pd.isna(row.start)
            if spec.date_from is not None:
                ok &= row.end >= pd.Timestamp(spec.date_from)
            if spec.date_to is not None:
                ok &= row.start < pd.Timestamp(spec.date_to) + pd.Timedelta(days=1)
        f = row.fatalities
        if pd.isna(f):
            ok &= spec.include_unknown_fatalities
        else:
            if spec.fatalities_min is not None:
                ok &= f >= spec.fatalities_min
            if spec.fatalities_max is not None:
                ok &= f <= spec.fatalities_max
        if spec.text.strip():
            hay = " ".join(
                fold(row[c])
                for c in ("title", "notes", "location", "source")
                if not pd.isna(row[c])
            )
            ok &= fold(spec.text) in hay
        out.append(bool(ok))
    return np.asarray(out)


ACTORS = ["JNIM", "Wagner Group", "Government of Mali", "Civilians", "malian armed forces (fama)"]
REGIONS = ["Gao", "Mopti", "Segou", "Tombouctou", "Kidal", "Bankass", "Mali"]
DAYS = [datetime(2023, m, d) for m in (7, 8, 9, 10) for d in (1, 9, 20)]


@settings(max_examples=60, deadline=None)
@given(
    actors=st.lists(st.sampled_from(ACTORS), max_size=2),
    regions=st.lists(st.sampled_from(REGIONS), max_size=2),
    categories=st.lists(st.sampled_from(["attack", "withdrawal", "blockade"]), max_size=2),
    date_from=st.none() | st.sampled_from(DAYS),
    date_to=st.none() | st.sampled_from(DAYS),
    low=st.none() | st.integers(0, 10),
    high=st.none() | st.integers(0, 30),
    unknown=st.booleans(),
    text=st.sampled_from(["", "jnim", "camp", "ségou", "GAO", "zzz"]),
)
def test_masks_agree_with_the_reference(
    both, actors, regions, categories, date_from, date_to, low, high, unknown, text
):
    spec = FilterSpec(
        actors=tuple(actors),
        regions=tuple(regions),
        categories=tuple(categories),
        date_from=date_from,
        date_to=date_to,
        fatalities_min=low,
        fatalities_max=high,
        include_unknown_fatalities=unknown,
        text=text,
        actor_aliases=False,  # the reference matches raw names (tests/model/test_actors.py: aliases)
    )
    assert np.array_equal(filter_mask(both, spec), reference(both, spec)), spec


def test_kept_constraint_masks_give_the_same_rows_as_a_fresh_table(both, monkeypatch):
    """Each constraint's mask is kept per table: changing one field at a time, and
    evicting old masks, must never change which rows a spec keeps."""
    monkeypatch.setattr(filters, "KEPT_MASKS", 3)  # evictions happen within this test
    specs = [
        FilterSpec(actors=("JNIM",), regions=("Mopti", "Gao"), fatalities_min=1),
        FilterSpec(actors=("JNIM",), regions=("Mopti",), fatalities_min=1),
        FilterSpec(actors=("jnim",), regions=("Mopti",), date_from=datetime(2023, 1, 1)),
        FilterSpec(regions=("Mopti", "Gao"), fatalities_min=1, include_unknown_fatalities=False),
        FilterSpec(actors=("JNIM",), regions=("Mopti", "Gao"), fatalities_min=1),
    ]
    for spec in specs * 2:
        mask = filter_mask(both, spec)
        assert np.array_equal(mask, reference(both, spec)), spec
        mask[:] = True  # a caller may write to its mask: the kept ones must not change
    for spec in specs:
        assert np.array_equal(filter_mask(both, spec), reference(both, spec)), spec


@pytest.mark.parametrize(
    "query", ["segou", "MENAKA", "camp", "jnim", "e", "zzz", "(fama)", "ségou"]
)
def test_a_search_reads_the_text_as_it_is_and_keeps_no_copy(both, query):
    """The text is searched with an accent- and case-insensitive pattern, not in a folded
    copy (which would cost the size of the notes in memory)."""
    table = EventTable(both.datasets)  # fresh caches
    mask = filter_mask(table, FilterSpec(text=query))
    assert np.array_equal(mask, reference(table, FilterSpec(text=query)))
    cache = filters._cache(table)
    assert not [v for v in vars(cache).values() if isinstance(v, dict) and "notes" in v]


def test_the_pattern_finds_accents_written_either_way_and_in_any_case():
    texts = pa.array(
        [
            "Attaque à Ségou",  # precomposed é
            "ATTAQUE A SE\u0301GOU",  # e + combining acute, upper case
            "near Ṣegou",  # a dot below (Latin Extended Additional)
            "Segu",  # not the same word
            "Sé-gou",
            None,
        ]
    )
    hits = pc.match_substring_regex(texts, filters.accent_pattern(fold("Ségou")))
    assert pc.fill_null(hits, False).to_pylist() == [True, True, True, False, False, False]
    for text in ("ségou", "SEGOU", "se\u0301gou"):  # what fold() makes of each matches too
        assert fold(text) == "segou"
