"""Sorter: stable, several keys, unknown values last whatever the direction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.formats.registry import load
from timeline_app.model import sorting
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.schema import conform
from timeline_app.model.sorting import Sorter
from timeline_app.model.text import fold


@pytest.fixture(scope="module")
def both() -> EventTable:
    return EventTable([load(CONTEXT_CSV), load(UCDP_SAMPLE)])


def made_up(rows: list[dict]) -> EventTable:
    frame = conform(pd.DataFrame(rows))
    return EventTable([Dataset(name="t", events=frame, report=LoadReport(format="test"))])


def ids(table, rows) -> list[str]:
    return table.df["id"].to_numpy()[rows].tolist()


def test_unknown_fatalities_sort_last_in_both_directions():
    table = made_up(
        [
            {"id": "a", "start": "2023-01-01", "fatalities": 5},
            {"id": "b", "start": "2023-01-01", "fatalities": None},
            {"id": "c", "start": "2023-01-01", "fatalities": 0},
            {"id": "d", "start": "2023-01-01", "fatalities": 12},
            {"id": "e", "start": "2023-01-01", "fatalities": None},
        ]
    )
    sorter, rows = Sorter(table), np.arange(5)
    assert ids(table, sorter.order(rows, [("fatalities", True)])) == ["c", "a", "d", "b", "e"]
    assert ids(table, sorter.order(rows, [("fatalities", False)])) == ["d", "a", "c", "b", "e"]


def test_unknown_names_sort_last_and_names_ignore_case_and_accents():
    table = made_up(
        [
            {"id": "1", "start": "2023-01-01", "admin1": "Tombouctou"},
            {"id": "2", "start": "2023-01-01", "admin1": None},
            {"id": "3", "start": "2023-01-01", "admin1": "Ségou"},
            {"id": "4", "start": "2023-01-01", "admin1": "gao"},
            {"id": "5", "start": "2023-01-01", "admin1": "Sikasso"},
        ]
    )
    sorter, rows = Sorter(table), np.arange(5)
    assert ids(table, sorter.order(rows, [("admin1", True)])) == ["4", "3", "5", "1", "2"]
    assert ids(table, sorter.order(rows, [("admin1", False)])) == ["1", "5", "3", "4", "2"]


def test_equal_values_keep_the_order_they_came_in(both):
    sorter = Sorter(both)
    rows = np.arange(len(both))[::-1].copy()  # a given order, not the table's
    ordered = sorter.order(rows, [("category", True)])
    cats = both.df["category"].astype(str).to_numpy()[ordered]
    for cat in set(cats):
        same = ordered[cats == cat]
        assert list(same) == [r for r in rows if both.df["category"].iloc[r] == cat]


def test_a_secondary_key_orders_within_the_first(both):
    sorter = Sorter(both)
    rows = np.arange(len(both))
    ordered = sorter.order(rows, [("admin1", True), ("start", False)])
    df = both.df.iloc[ordered]
    for _, group in df.groupby(df["admin1"].astype(str), sort=False):
        starts = group["start"].to_numpy()
        assert (np.diff(starts.astype("int64")) <= 0).all()


def test_text_columns_sort_case_insensitively_with_unknowns_last():
    table = made_up(
        [
            {"id": "x", "start": "2023-01-01", "title": "beta"},
            {"id": "y", "start": "2023-01-01", "title": None},
            {"id": "z", "start": "2023-01-01", "title": "Alpha"},
        ]
    )
    sorter = Sorter(table)
    assert sorter.is_text("title") and not sorter.is_text("admin1")
    assert ids(table, sorter.order(np.arange(3), [("title", True)])) == ["z", "x", "y"]
    assert ids(table, sorter.order(np.arange(3), [("title", False)])) == ["x", "z", "y"]


def test_small_columns_get_16_bit_keys(both):
    sorter = Sorter(both)
    assert sorter.key("actor1", True).dtype.itemsize <= 2
    assert sorter.key("start", False).dtype.itemsize <= 2


COLUMNS = ["start", "end", "fatalities", "admin1", "actor1", "category", "title", "id", "ongoing"]


def reference(table: EventTable, rows: np.ndarray, keys) -> list[int]:
    """A plain Python sort with the same rules: unknown last, names folded, stable."""
    df = table.df
    out = list(rows)
    for column, ascending in reversed(keys):
        values = df[column].to_numpy()

        def known(r, values=values):
            return not pd.isna(values[r])

        def value(r, values=values, column=column):
            v = values[r]
            return (
                fold(v)
                if isinstance(v, str) and column not in ("title", "id")
                else (str(v).lower() if isinstance(v, str) else v)
            )

        # (reverse=True keeps equal values in their order: Python's sort stays stable)
        present = sorted([r for r in out if known(r)], key=value, reverse=not ascending)
        out = present + [r for r in out if not known(r)]
    return out


@settings(max_examples=40, deadline=None)
@given(
    keys=st.lists(
        st.tuples(st.sampled_from(COLUMNS), st.booleans()),
        min_size=1,
        max_size=3,
        unique_by=lambda k: k[0],
    ),
    seed=st.integers(0, 1000),
)
def test_orders_agree_with_a_plain_sort(both, keys, seed):
    rows = np.random.default_rng(seed).permutation(len(both))[: len(both) - seed % 7]
    got = Sorter(both).order(rows, keys).tolist()
    assert got == reference(both, rows, keys)


@pytest.mark.parametrize(
    "keys", [[("start", True)], [("fatalities", False), ("admin1", True)], [("title", True)]]
)
def test_ordering_a_mask_through_the_kept_order_equals_sorting_its_rows(both, keys, monkeypatch):
    """The state orders every filter's rows through the table's kept order (one gather):
    it must give exactly the sort of those rows, ties in row order."""
    sorter = Sorter(both)
    rng = np.random.default_rng(7)
    masks = [rng.random(len(both)) < share for share in (1.0, 0.5, 0.05, 0.0)]
    # Both paths: the gather of the mask, and few rows placed one by one (every mask
    # counts as few when one row in one is few).
    for share in (sorting.FEW_ROWS_SHARE, 1):
        monkeypatch.setattr(sorting, "FEW_ROWS_SHARE", share)
        for mask in masks:
            expected = sorter.order(np.flatnonzero(mask), keys)
            assert np.array_equal(sorter.order_mask(mask, keys), expected)
    assert sorter.has_order(keys)


def test_the_default_sort_is_by_start_date_earliest_first():
    from timeline_app.model.sorting import DEFAULT_SORT
    from timeline_app.model.state import AppState

    state = AppState()
    state.add_dataset(load(UCDP_SAMPLE))
    state.add_dataset(load(CONTEXT_CSV), position=0)  # opened first, loaded last
    assert [d.name for d in state.table.datasets] == [CONTEXT_CSV.stem, UCDP_SAMPLE.stem]
    assert state.sort_keys == list(DEFAULT_SORT) == [("start", True)]
    dates = state.table.start_ns[state.visible]
    assert len(dates) == len(state.table) and (np.diff(dates) >= 0).all()


@pytest.mark.parametrize(
    "starts",
    [
        ["2023-03-01", "2023-03-01", "2023-02-01", None, "2023-02-01", "2023-01-01"],
        ["2023-03-01", "2023-03-01", "2023-02-01", "2023-02-01", "2023-02-01", "2023-01-01"],
        ["2023-01-01", "2023-01-01", "2023-02-01", "2023-03-01", None, None],
        ["2023-02-01 10:30", None, "2023-01-01", "2023-02-01 10:30", "2021-05-05", "2023-01-01"],
    ],
    ids=["newest-first-unknown", "newest-first", "oldest-first-unknown", "shuffled-times"],
)
def test_the_sort_by_date_shares_the_timelines_order_and_keeps_ties_in_row_order(starts):
    """The table's default sort takes the timeline's rows-by-start (one sort for both):
    the same order as sorting by the date itself, ties in row order, unknown last."""
    from timeline_app.model.timeline.index import kept_start_order, start_order

    table = made_up([{"id": str(i), "start": s} for i, s in enumerate(starts)])
    expected = reference(table, np.arange(len(table)), [("start", True)])
    sorter = Sorter(table)
    assert kept_start_order(table) is None and not sorter.has_order([("start", True)])
    rows_by_start = start_order(table)  # the timeline builds it when the table opens
    assert sorter.has_order([("start", True)])  # so the state needs no worker for it
    assert sorter.full_order([("start", True)]).tolist() == expected
    assert rows_by_start.tolist() == np.argsort(table.start_ns, kind="stable").tolist()
    assert ids(table, sorter.order_mask(np.ones(len(table), bool), [("start", True)])) == [
        str(r) for r in expected
    ]


def long_notes(count: int, seed: int = 3) -> list[str | None]:
    """Notes as a text column holds them: long, most alike over their first characters
    (one template), some differing only past PREFIX_CHARS, by case or accents, equal
    after lowering, one a prefix of another, non-ASCII lowering to fewer bytes, blanks."""
    rng = np.random.default_rng(seed)
    words = ["Attack", "attack", "İnsurgents", "insurgents", "Ségou", "segou", "ΣΑΣ", "σας", "on"]
    template = "On 7 September 2023, Military Forces of Mali (2021-) clashed with JNIM in Gao. "
    head = template * (sorting.PREFIX_CHARS // len(template) + 1)  # past the prefix
    out: list[str | None] = []
    for i in range(count):
        tail = " ".join(rng.choice(words, size=int(rng.integers(0, 6))))
        start = head if i % 3 else f"{words[i % len(words)]} {i % 11} "
        out.append(None if i % 17 == 0 else start + tail)
    out += [head, head.upper(), head + "a", head[:-1], "", "On", "on", "ON 7"]
    return out


def test_free_text_ranks_as_its_whole_lower_case_text():
    """The rank by the first characters, refined by the whole text of the rows tied on
    them, is the rank of the whole lowered text (what the README says: text sorts by
    itself ignoring case), nulls last."""
    import pyarrow as pa
    import pyarrow.compute as pc

    notes = long_notes(400)
    column = pa.chunked_array([pa.array(notes[:150]), pa.array(notes[150:])])
    whole = pc.rank(pc.utf8_lower(column), "ascending", tiebreaker="dense")
    expected = np.asarray(whole).astype(np.int64) - 1
    assert np.array_equal(sorting._text_rank(column), expected)
    assert np.array_equal(sorting._text_rank(pa.array(notes)), expected)
    assert sorting._text_rank(pa.chunked_array([], pa.string())).tolist() == []


def test_ranking_notes_lowers_their_first_characters_not_all_their_text(monkeypatch):
    """A sort by the notes lowers each note's first PREFIX_CHARS characters and only the
    tied ones whole: at 1M events, lowering all the notes at once held ~370 MB more (the
    peak of the benchmark's sort by notes)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(5)
    notes = [f"Event {i}: " + "".join(rng.choice(list("abcXYZ é"), size=3000)) for i in range(300)]
    notes[7] = notes[8]  # two equal notes: lowered whole
    table = made_up(
        [{"id": str(i), "start": "2023-01-01", "notes": n} for i, n in enumerate(notes)]
    )
    lowered: list[int] = []
    lower = pc.utf8_lower

    def spy(values, *args, **kwargs):
        lowered.append(values.nbytes)
        return lower(values, *args, **kwargs)

    monkeypatch.setattr(pc, "utf8_lower", spy)
    order = Sorter(table).order(np.arange(len(notes)), [("notes", True)])
    assert ids(table, order) == [
        str(i) for i in sorted(range(300), key=lambda i: (notes[i].lower(), i))
    ]
    text_bytes = pa.array(notes).nbytes
    assert 0 < sum(lowered) < text_bytes / 5
