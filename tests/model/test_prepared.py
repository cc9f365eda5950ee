"""A new table made ahead (on a loading worker, model/prepared.py): the state takes it
only for exactly the datasets it was made for, with the views' values made for it."""

from __future__ import annotations

import gc

import numpy as np

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.formats.registry import load
from timeline_app.model.filters import FilterSpec, filter_mask
from timeline_app.model.prepared import TablePrep
from timeline_app.model.sorting import Sorter
from timeline_app.model.state import AppState


class View:
    """Stands for a view that registers a prepare (held weakly by the state)."""

    def __init__(self, state: AppState) -> None:
        self.made: list = []
        state.prepared.add("view", self.prepare)

    def prepare(self, table):
        self.made.append(table)
        return ("for", len(table))


def test_the_state_takes_the_table_made_ahead_and_each_view_its_value():
    state = AppState()
    view = View(state)
    dataset = load(CONTEXT_CSV)
    state.prepare_open(dataset)  # what the loading worker does
    made = view.made[-1]
    state.add_dataset(dataset)
    assert state.table is made
    assert state.prepared.value("view", state.table) == ("for", len(dataset.events))
    assert state.prepared.value("view", state.table) is None  # once
    # the same rows, filter and order as a table made here
    plain = AppState()
    plain.add_dataset(load(CONTEXT_CSV))
    assert np.array_equal(state.mask, plain.mask)
    assert np.array_equal(state.visible, plain.visible)


def test_a_table_made_for_other_datasets_is_not_taken():
    state = AppState()
    view = View(state)
    first, second = load(CONTEXT_CSV), load(UCDP_SAMPLE)
    state.prepare_open(second)  # guessed: second alone
    state.add_dataset(first)  # but another file got there first
    assert state.table is not view.made[-1]
    assert state.prepared.value("view", state.table) is None
    state.add_dataset(second)  # the guess is gone: this table is made here
    assert [d.name for d in state.table.datasets] == [first.name, second.name]
    assert len(state.table) == len(first.events) + len(second.events)


def test_a_name_already_taken_is_not_guessed():
    state = AppState()
    state.add_dataset(load(CONTEXT_CSV))
    view = View(state)
    again = load(CONTEXT_CSV)  # the same name: adding renames it
    state.prepare_open(again)
    assert not view.made
    state.add_dataset(again)
    assert len({d.name for d in state.table.datasets}) == 2


def test_the_filter_made_ahead_is_the_state_filter_of_that_time():
    state = AppState()
    dataset = load(CONTEXT_CSV)
    state.set_filter(FilterSpec(text="bamako"))
    state.prepare_open(dataset)
    state.set_filter(FilterSpec(text="gao"))  # changed before the table is taken
    state.add_dataset(dataset)
    assert np.array_equal(state.mask, filter_mask(state.table, FilterSpec(text="gao")))
    assert state.mask.any()


def test_the_sorter_made_ahead_keeps_the_order_by_date():
    state = AppState()
    dataset = load(CONTEXT_CSV)
    state.prepare_open(dataset)
    state.add_dataset(dataset)
    expected = Sorter(state.table).order(np.arange(len(state.table)), [("start", True)])
    assert np.array_equal(state.visible, expected)
    assert not state.visible.flags.writeable  # the kept order itself: never edited


def test_a_closed_view_is_not_kept_by_its_prepare():
    prep = TablePrep()
    state = AppState()
    view = View(state)
    prep.add("view", view.prepare)
    del view
    gc.collect()
    table = prep.make([load(CONTEXT_CSV)])
    assert prep.take(list(table.datasets)) is table
    assert prep.value("view", table) is None
