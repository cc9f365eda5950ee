"""The actor dictionary: one actor under all its names, never overwriting a raw name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.model.actor_fixtures import acled_file, gtd_file, ucdp_file
from timeline_app.formats.registry import load
from timeline_app.model import actors
from timeline_app.model.actors import (
    ActorDictionary,
    DictionaryError,
    Entry,
    canonical_columns,
    entries_csv,
    read_entries,
    shipped_entries,
    table_actors,
)
from timeline_app.model.dataset import Dataset
from timeline_app.model.events import EventTable
from timeline_app.model.filters import FilterSpec, filter_mask


@pytest.fixture
def table(tmp_path: Path) -> EventTable:
    return EventTable(
        [load(acled_file(tmp_path)), load(gtd_file(tmp_path)), load(ucdp_file(tmp_path))]
    )


def picked(table: EventTable, *terms: str, **options) -> set[tuple[str, str]]:
    mask = filter_mask(table, FilterSpec(actors=terms, **options))
    rows = np.flatnonzero(mask)
    return {(str(table.df["dataset"].iloc[r]), str(table.df["id"].iloc[r])) for r in rows}


# -- the shipped dictionary ------------------------------------------------------------------
def test_the_shipped_dictionary_names_every_sahel_actor_the_issue_lists():
    dictionary = ActorDictionary(shipped_entries())
    shorts = set(dictionary.short_names)
    for short in (
        "JNIM", "IS Sahel", "FAMa", "AQIM", "Ansar Dine", "MUJAO", "Katiba Macina",
        "Ansaroul Islam", "MNLA", "HCUA", "CMA", "GATIA", "MSA", "Dan Na Ambassagou",
        "MINUSMA", "French forces", "Wagner", "Burkina Faso army", "FAN",
    ):  # fmt: skip
        assert short in shorts, short
    assert all(e.source for e in dictionary.entries), "every entry says where it comes from"
    ucdp_is = [e for e in dictionary.entries if e.dataset == "ucdp" and e.raw_name == "IS"]
    assert ucdp_is and set(ucdp_is[0].countries) == {"Mali", "Burkina Faso", "Niger"}
    assert any(e.uncertain for e in dictionary.entries)


def test_the_version_is_a_hash_of_the_entries():
    entries = shipped_entries()
    same = ActorDictionary(read_entries(entries_csv(entries)))
    assert same.version == ActorDictionary(entries).version
    more = entries + [Entry("any", "Katiba Serma", "Katiba Serma", "Serma", source="test")]
    assert ActorDictionary(more).version != same.version


def test_a_bad_entry_says_its_line():
    text = "dataset,raw_name,canonical\nacled,JNIM,JNIM\nsomething,X,Y\n"
    with pytest.raises(DictionaryError, match="line 3"):
        read_entries(text, "mine.csv")


# -- the filter ------------------------------------------------------------------------------
def test_jnim_selects_every_datasets_jnim_but_not_the_uncertain_attribution(table):
    got = picked(table, "JNIM")
    assert got == {
        ("acled_actors", "MLI1"),
        ("gtd_actors", "202309100001"),
        ("ucdp_actors", "903"),
    }
    with_uncertain = picked(table, "JNIM", include_uncertain_actors=True)
    assert with_uncertain == got | {("acled_actors", "MLI6")}


def test_fama_selects_every_period_and_unit_but_not_mutineers_nor_police(table):
    acled = {i for d, i in picked(table, "FAMa") if d == "acled_actors"}
    assert acled == {"MLI1", "MLI2", "MLI3", "MLI7"}  # MLI7: as an associated actor
    assert {i for d, i in picked(table, "fama") if d == "ucdp_actors"} == {
        "900",
        "901",
        "902",
        "903",
    }
    accents = picked(table, "FORCES ARMEES MALIENNES")
    assert accents == picked(table, "FAMa")


def test_isgs_selects_ucdps_is_only_in_the_sahel_and_only_once_it_existed(table):
    got = picked(table, "ISGS")
    assert got == {
        ("acled_actors", "MLI3"),
        ("acled_actors", "MLI8"),
        ("gtd_actors", "202309100002"),
        ("ucdp_actors", "900"),
    }
    assert picked(table, "IS Sahel") == got
    # The raw name IS means IS Sahel only where it is scoped: as a raw name it is just IS.
    assert picked(table, "IS") == {("ucdp_actors", i) for i in ("900", "901", "902")}


def test_no_aliases_matches_raw_names_only(table):
    assert picked(table, "JNIM", actor_aliases=False) == {("ucdp_actors", "903")}
    assert picked(table, "FAMa", actor_aliases=False) == set()


def test_a_raw_name_still_selects_itself(table):
    assert ("acled_actors", "MLI4") in picked(table, "Mutiny of Military Forces of Mali (2021-)")
    assert picked(table, "Police Forces of Mali (2021-)") == {("acled_actors", "MLI5")}


# -- resolution ------------------------------------------------------------------------------
def test_raw_names_are_never_overwritten_and_canonical_columns_sit_beside(table):
    before = table.df["actor1"].astype(str).tolist()
    columns = canonical_columns(table, np.arange(len(table)))
    assert table.df["actor1"].astype(str).tolist() == before
    actor1 = columns["actor1_canonical"].to_pylist()
    row = {str(table.df["id"].iloc[r]): r for r in range(len(table))}
    assert actor1[row["MLI1"]] == "Jama'at Nusrat al-Islam wal-Muslimin"
    assert actor1[row["MLI4"]] == "Mutiny of Military Forces of Mali (2021-)"  # raw: unknown
    assoc = columns["assoc_actors_canonical"].to_pylist()
    assert assoc[row["MLI7"]] == "Malian Armed Forces; Dozo Militia"
    assert assoc[row["MLI1"]] is None


def test_resolution_is_per_distinct_name_not_per_row(tmp_path, monkeypatch):
    calls: list[str] = []
    original = actors.ActorDictionary.candidates

    def counted(self, name, fmt):
        calls.append(name)
        return original(self, name, fmt)

    monkeypatch.setattr(actors.ActorDictionary, "candidates", counted)
    dataset = load(acled_file(tmp_path))
    repeated = dataset.events.iloc[np.repeat(np.arange(len(dataset)), 500)]
    big = EventTable(
        [Dataset("big", repeated.reset_index(drop=True), dataset.report, format="acled")]
    )
    table_actors(big, ActorDictionary(shipped_entries()))
    per_column = sum(big.df[c].nunique() for c in ("actor1", "actor2"))
    per_column += len({p for v in big.df["assoc_actors"].dropna().unique() for p in v.split(";")})
    assert len(big) == 4000
    assert len(calls) == per_column  # once per distinct name of each column


def test_actor_groups_count_each_canonical_actor_and_its_spellings(table):
    from timeline_app.model.actor_groups import actor_groups

    groups = {g.label: g for g in actor_groups(table, np.ones(len(table), dtype=bool))}
    jnim = groups["JNIM"]
    assert (jnim.events, jnim.uncertain_events) == (3, 1)  # MLI6 is "JNIM and/or ISGS"
    assert {(d, r) for d, r, _n in jnim.spellings} == {
        ("acled_actors", "JNIM: Group for Support of Islam and Muslims"),
        ("gtd_actors", "Jamaat Nusrat al-Islam wal Muslimin (JNIM)"),
        ("ucdp_actors", "JNIM"),
    }
    fama = dict(((d, r), n) for d, r, n in groups["FAMa"].spellings)
    assert fama[("acled_actors", "Military Forces of Mali (2021-)")] == 2  # actor2 and assoc
    assert ("acled_actors", "Mutiny of Military Forces of Mali (2021-)") not in fama
    only_gao = np.zeros(len(table), dtype=bool)
    only_gao[0] = True  # MLI1: JNIM vs FAMa
    counted = {g.label: g.events for g in actor_groups(table, only_gao)}
    assert counted["JNIM"] == 1 and counted["FAMa"] == 1 and counted["IS Sahel"] == 0
