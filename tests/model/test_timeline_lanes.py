"""Lanes by actor follow the actor filter's rule; region lanes merge spellings; Fit all
frames the bulk of the data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.facets import actor_counts, actor_index
from timeline_app.model.filters import FilterSpec, filter_mask
from timeline_app.model.schema import conform
from timeline_app.model.timeline import TimelineIndex, assign_lanes
from timeline_app.model.units import NS_PER_DAY as DAY


def ns(text: str) -> int:
    return pd.Timestamp(text).value


def table_of(rows: list[dict]) -> EventTable:
    frame = pd.DataFrame(rows)
    frame["id"] = [str(i) for i in range(len(frame))]
    for column, value in (("title", "event"), ("category", "attack")):
        if column not in frame:
            frame[column] = value
    report = LoadReport(format="test", rows_read=len(frame), events=len(frame))
    return EventTable([Dataset("t", conform(frame), report)])


def actors_table() -> EventTable:
    day = pd.Timestamp("2023-01-01")
    rows = [
        {"start": day, "actor1": "Military Forces", "actor2": "JNIM", "fatalities": 3},
        {"start": day, "actor1": "JNIM", "actor2": "Civilians", "fatalities": 1},
        {"start": day, "actor1": "Militia", "actor2": "", "assoc_actors": "JNIM; Wagner"},
        {"start": day, "actor1": "Military Forces", "actor2": "Civilians", "fatalities": 5},
        {"start": day, "actor1": "jnim", "actor2": "JNIM", "fatalities": 2},  # twice: once
    ]
    return table_of(rows)


def test_an_event_sits_in_the_lane_of_each_of_its_actors_as_the_filter_counts_them():
    table = actors_table()
    lanes = assign_lanes(table, "actor")
    index = TimelineIndex(table, lanes)
    per_lane = dict(zip(lanes.labels, np.diff(index.lane_bounds).tolist(), strict=True))
    actors = actor_index(table)
    counts = dict(zip(actors.names, actor_counts(table, np.ones(len(table), bool)), strict=True))
    assert per_lane["JNIM"] == counts["JNIM"] == 4
    for name in lanes.labels:
        if name != "other":
            kept = filter_mask(table, FilterSpec(actors=(name,)))
            assert per_lane[name] == int(kept.sum()), name
    # each event counted once in range totals and the overview
    events, fatalities, unknown = index.range_totals(ns("2022-12-31"), ns("2023-01-02"))
    assert (events, fatalities, unknown) == (5, 11.0, 1)
    assert sum(len(s) for s in index.event_starts()) == 5


def test_actor_lanes_survive_a_filter():
    table = actors_table()
    lanes = assign_lanes(table, "actor")
    mask = filter_mask(table, FilterSpec(actors=("Civilians",)))
    index = TimelineIndex(table, lanes, mask)
    per_lane = dict(zip(lanes.labels, np.diff(index.lane_bounds).tolist(), strict=True))
    assert per_lane["Civilians"] == 2 and per_lane["JNIM"] == 1
    assert per_lane["Military Forces"] == 1
    assert set(index.rows.tolist()) == set(np.flatnonzero(mask).tolist())


def test_region_lanes_merge_spellings_that_differ_by_accents_or_case():
    day = pd.Timestamp("2023-01-01")
    rows = [{"start": day, "admin1": "Segou"}] * 7 + [{"start": day, "admin1": "Ségou"}]
    rows += [{"start": day, "admin1": "Gao"}] * 2 + [{"start": day, "admin1": "SEGOU"}]
    lanes = assign_lanes(table_of(rows), "admin1")
    index = TimelineIndex(table_of(rows), lanes)
    assert lanes.labels == ("Segou", "Gao")  # the most used spelling names the lane
    assert np.diff(index.lane_bounds).tolist() == [9, 2]


def test_fit_all_frames_the_bulk_not_a_period_resolved_long_after():
    days = pd.date_range("2023-01-01", "2023-06-30", freq="2D")
    rows = [{"start": d} for d in days]
    rows.append({"start": pd.Timestamp("2023-05-10"), "end": pd.Timestamp("2024-03-31")})
    table = table_of(rows)
    index = TimelineIndex(table, assign_lanes(table))
    a, b = index.core_extent()
    assert a == ns("2023-01-01") and ns("2023-06-29") <= b <= ns("2023-06-30") + DAY
    assert index.extent()[1] == ns("2024-03-31")  # the whole extent still reaches it
    # a period within the bulk is kept whole
    rows[-1] = {"start": pd.Timestamp("2023-05-10"), "end": pd.Timestamp("2023-08-01")}
    index = TimelineIndex(table_of(rows), assign_lanes(table_of(rows)))
    assert index.core_extent()[1] == ns("2023-08-02")
