"""One per-table cache: each value derived from an event table is built once, by name,
and goes when the table goes."""

from __future__ import annotations

import gc
import threading
import weakref

import numpy as np

from tests.conftest import CONTEXT_CSV
from timeline_app.formats.registry import load
from timeline_app.model.events import EventTable
from timeline_app.model.facets import actor_index, facet_counts
from timeline_app.model.filters import FilterSpec, filter_mask
from timeline_app.model.table_cache import PerTable, cached_names
from timeline_app.model.timeline.index import start_order

DOUBLED = PerTable[np.ndarray]("test: doubled starts")


def table() -> EventTable:
    return EventTable([load(CONTEXT_CSV)])


def test_a_value_is_built_once_per_table_and_kept_by_name() -> None:
    a, b = table(), table()
    builds: list[int] = []

    def build(t: EventTable) -> np.ndarray:
        builds.append(1)
        return t.start_ns * 2

    first = DOUBLED.get(a, lambda: build(a))
    assert DOUBLED.get(a, lambda: build(a)) is first
    assert DOUBLED.get(b, lambda: build(b)) is not first  # another table, its own value
    assert len(builds) == 2
    assert "test: doubled starts" in cached_names(a)
    assert DOUBLED.peek(table()) is None  # peeking builds nothing
    DOUBLED.forget(a)
    assert DOUBLED.peek(a) is None and "test: doubled starts" not in cached_names(a)


def test_two_threads_asking_at_once_build_once() -> None:
    t = table()
    started = threading.Event()
    release = threading.Event()
    builds: list[int] = []

    def slow_build() -> np.ndarray:
        builds.append(1)
        started.set()
        release.wait(10)
        return t.start_ns.copy()

    got: list[np.ndarray] = []
    first = threading.Thread(target=lambda: got.append(DOUBLED.get(t, slow_build)))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: got.append(DOUBLED.get(t, slow_build)))
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert len(builds) == 1 and len(got) == 2 and got[0] is got[1]


def _kept_value(t: EventTable) -> weakref.ref[np.ndarray]:
    return weakref.ref(DOUBLED.get(t, lambda: t.start_ns * 2))


def test_the_values_go_with_their_table() -> None:
    value = _kept_value(table())
    gc.collect()
    assert value() is None
    t = table()
    kept = _kept_value(t)
    gc.collect()
    assert kept() is not None  # while its table lives


def test_filters_facets_and_the_timeline_keep_their_values_there() -> None:
    t = table()
    filter_mask(t, FilterSpec(text="mali"))
    actor_index(t)
    facet_counts(t, FilterSpec(), "event_types")
    start_order(t)
    names = cached_names(t)
    for name in (
        "filters: kernel data",
        "facets: actor index",
        "facets: counts over all rows",
        "timeline: rows by start",
    ):
        assert name in names
