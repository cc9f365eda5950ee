"""Trends: counts per time bin and lane, unknown tolls apart; before and after a date."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.filters import FilterSpec, filter_mask
from timeline_app.model.schema import conform
from timeline_app.model.trends import compare, count_series, day_ns, ratio, ring_mask


def table_of(rows: list[dict], name: str = "t") -> EventTable:
    frame = pd.DataFrame(rows)
    frame["start"] = pd.to_datetime(frame["start"], format="ISO8601")
    frame["id"] = [str(i) for i in range(len(frame))]
    for column, value in (("title", "event"), ("category", "attack")):
        frame[column] = frame[column].fillna(value) if column in frame else value
    report = LoadReport(format="test", rows_read=len(frame), events=len(frame))
    return EventTable([Dataset(name, conform(frame), report)])


def everything(table: EventTable) -> np.ndarray:
    return np.ones(len(table), dtype=bool)


def sample() -> EventTable:
    return table_of(
        [
            {"start": "2023-01-02", "actor1": "JNIM", "actor2": "FAMa", "fatalities": 3},
            {"start": "2023-01-03", "actor1": "JNIM", "fatalities": np.nan},
            {"start": "2023-01-09", "actor1": "FAMa", "category": "statement", "fatalities": 0},
            {"start": "2023-01-10", "actor1": "ISGS", "actor2": "JNIM", "fatalities": 7},
            {"start": "2023-02-20", "actor1": "JNIM", "fatalities": np.nan},
        ]
    )


def test_weekly_counts_per_category_and_unknown_tolls_apart():
    table = sample()
    series = count_series(table, everything(table), "week", "category", "fatalities")
    assert series.unit == "week" and series.labels == ("attack", "statement")
    # Weeks start on Monday: 2 Jan, 9 Jan, ... 20 Feb: 8 bins from first to last event.
    assert pd.Timestamp(series.starts[0]) == pd.Timestamp("2023-01-02")
    assert len(series.starts) == 8
    attack = series.labels.index("attack")
    assert series.values[attack, :2].tolist() == [3.0, 7.0]
    assert series.unknown[attack].tolist() == [1, 0, 0, 0, 0, 0, 0, 1]
    # A known zero is a zero; the unknown tolls add nothing and are counted apart.
    statement = series.labels.index("statement")
    assert series.events[statement, 1] == 1 and series.values[statement, 1] == 0
    assert series.totals()[-1] == 0 and series.unknown.sum() == 2


def test_an_event_counts_in_the_lane_of_each_of_its_actors():
    table = sample()
    series = count_series(table, everything(table), "month", "actor", "events")
    per_actor = dict(zip(series.labels, series.events.sum(axis=1).tolist(), strict=True))
    assert per_actor["JNIM"] == 4 and per_actor["FAMa"] == 2 and per_actor["ISGS"] == 1
    assert series.total_events == 5


def test_the_filter_decides_what_is_counted_and_auto_picks_a_unit():
    table = sample()
    mask = filter_mask(table, FilterSpec(actors=("ISGS",)))
    series = count_series(table, mask, "auto", "category", "events")
    assert series.unit == "day" and series.events.sum() == 1
    empty = count_series(table, np.zeros(len(table), bool), "week")
    assert empty.events.size == 0 and empty.total_events == 0


def reference(rows: list[dict], at: str, weeks: int) -> dict:
    """The comparison written out plainly, one event at a time."""
    at_day = pd.Timestamp(at)
    out = {"before": [0, 0.0, 0], "after": [0, 0.0, 0], "weekly": {}}
    for row in rows:
        days = (pd.Timestamp(row["start"]).normalize() - at_day).days
        week = math.floor(days / 7)
        if not -weeks <= week < weeks:
            continue
        side = out["before"] if week < 0 else out["after"]
        toll = row.get("fatalities", np.nan)
        side[0] += 1
        if pd.isna(toll):
            side[2] += 1
        else:
            side[1] += toll
        events, fatalities = out["weekly"].get(week, (0, 0.0))
        out["weekly"][week] = (events + 1, fatalities + (0 if pd.isna(toll) else toll))
    return out


BOUNDARY_ROWS = [
    {"start": "2023-08-12", "actor1": "JNIM", "fatalities": 30},  # last day before
    {"start": "2023-08-13", "actor1": "JNIM", "fatalities": 1},  # DATE itself: after
    {"start": "2023-08-13T23:00", "actor1": "FAMa", "fatalities": np.nan},
    {"start": "2023-07-30", "actor1": "FAMa", "fatalities": 2},  # first day (W = 2)
    {"start": "2023-07-29", "actor1": "FAMa", "fatalities": 50},  # one day too early
    {"start": "2023-08-26", "actor1": "JNIM", "fatalities": np.nan},  # last day after
    {"start": "2023-08-27", "actor1": "JNIM", "fatalities": 9},  # one day too late
    {"start": "2023-08-20", "actor1": "ISGS", "fatalities": 0},
]


def test_before_and_after_match_a_plain_reference_on_the_boundary_days():
    table = table_of(BOUNDARY_ROWS)
    result = compare(table, everything(table), day_ns("2023-08-13"), 2)
    ref = reference(BOUNDARY_ROWS, "2023-08-13", 2)
    before, after = result.before, result.after
    assert [before.events, before.fatalities, before.unknown_fatalities] == ref["before"]
    assert [after.events, after.fatalities, after.unknown_fatalities] == ref["after"]
    assert [w.week for w in result.weekly] == [-2, -1, 0, 1]
    for week in result.weekly:
        assert (week.events, week.fatalities) == ref["weekly"].get(week.week, (0, 0.0))
    data = result.as_dict()
    assert data["before"] == {
        "from": "2023-07-30",
        "to": "2023-08-13",
        "events": 2,
        "fatalities": 32,
        "unknown_fatalities": 0,
    }
    assert data["weekly"][0] == {"week": -2, "start": "2023-07-30", "events": 1, "fatalities": 2}
    assert data["after"]["unknown_fatalities"] == 2


def test_the_actors_with_the_largest_change_and_the_ratio():
    table = table_of(BOUNDARY_ROWS)
    result = compare(table, everything(table), day_ns("2023-08-13"), 2)
    # JNIM 1 -> 2 and ISGS 0 -> 1 changed by one (JNIM, with more events, first);
    # FAMa, 1 -> 1, did not change and is not listed.
    assert [(a.name, a.before, a.after, a.change) for a in result.actors] == [
        ("JNIM", 1, 2, 1),
        ("ISGS", 0, 1, 1),
    ]
    events = result.rows()[0]
    assert events[:4] == ("events", 2, 4, 2) and events[4] == 2.0
    assert ratio(3, 0) is None


def test_an_empty_window_has_zeros_and_no_ratio():
    table = table_of(BOUNDARY_ROWS)
    result = compare(table, everything(table), day_ns("2020-01-01"), 3)
    assert result.before.events == result.after.events == 0
    assert [w.events for w in result.weekly] == [0] * 6 and result.actors == ()
    assert result.rows()[0][4] is None
    assert result.notes == (
        "t runs from 2023-07-29 to 2023-08-27: none of its events can fall in these weeks.",
    )
    partly = compare(table, everything(table), day_ns("2023-08-13"), 3)
    assert partly.notes == (
        "t starts on 2023-07-29 and ends on 2023-08-27: weeks outside its dates are empty "
        "for want of data, not for want of events.",
    )
    with pytest.raises(ValueError):
        compare(table, everything(table), day_ns("2020-01-01"), 0)


def test_the_outer_ring_leaves_out_the_inner_area():
    table = table_of(
        [
            {"start": "2023-08-01", "latitude": 16.77, "longitude": -3.0},  # Timbuktu
            {"start": "2023-08-01", "latitude": 16.83, "longitude": -2.53},  # Ber, ~50 km
            {"start": "2023-08-01", "latitude": 16.27, "longitude": -0.04},  # Gao, far
        ]
    )
    ring = ring_mask(table, everything(table), 16.77, -3.0, 20, 100)
    assert ring.tolist() == [False, True, False]
    with pytest.raises(ValueError):
        ring_mask(table, everything(table), 16.77, -3.0, 100, 20)


def test_totals_count_each_event_once_even_when_actor_lanes_overlap():
    from timeline_app.model.trends.report import series_csv

    table = sample()
    series = count_series(table, everything(table), "month", "actor", "fatalities")
    # JNIM and FAMa share the 2 Jan event, ISGS and JNIM the 10 Jan one: the lanes hold
    # 3 + 3 + 7 + 7 = 20 known deaths in January, the events 3 + 0 + 7 = 10.
    assert series.values[:, 0].sum() == 20 and series.bin_totals()[0] == 10
    assert series.bin_unknown().tolist() == [1, 1]  # 3 Jan and 20 Feb, once each
    rows = series_csv(series).splitlines()
    assert rows[0].endswith("total (known fatalities),events with unknown toll")
    assert rows[1].startswith("2023-01-01,2023-01-31,") and rows[1].endswith(",10,1")
    one_lane = count_series(table, everything(table), "month", "category", "events")
    assert one_lane.once is None and one_lane.bin_totals().tolist() == [4, 1]


def test_the_weeks_every_dataset_covers():
    early = table_of([{"start": "2023-01-01"}, {"start": "2023-12-31"}], name="early")
    late = table_of([{"start": "2023-07-17"}, {"start": "2023-12-31"}], name="late")
    both = EventTable([*early.datasets, *late.datasets])
    result = compare(both, everything(both), day_ns("2023-08-13"), 6)
    assert result.covered_ns == (pd.Timestamp("2023-07-17").value, pd.Timestamp("2023-12-31").value)
    covered = [w.week for w in result.weekly if result.week_covered(w)]
    assert covered == [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5]  # week -4 starts on 16 July
    assert result.notes == (
        "late starts on 2023-07-17: weeks outside its dates are empty for want of data, "
        "not for want of events.",
    )


def test_a_comparison_of_matched_events_says_why_it_has_no_command(tmp_path):
    from timeline_app.model.trends.report import (
        CompareChoice,
        compare_argv,
        compare_provenance,
        memory_sources,
    )

    table = table_of(BOUNDARY_ROWS)
    table.datasets[0].path = tmp_path / "t.csv"
    spec = FilterSpec(matched="matched")
    choice = CompareChoice(tmp_path / "c.csv", spec, day_ns("2023-08-13"), 2)
    result = compare(table, everything(table), choice.at_ns, 2)
    assert compare_argv(table.datasets, choice) is None
    sources = memory_sources(table, everything(table))
    data = compare_provenance(table.datasets, sources, choice, result)
    assert data["command"] is None and "likely-same pairs" in data["command_note"]
    plain = CompareChoice(tmp_path / "c.csv", FilterSpec(), day_ns("2023-08-13"), 2)
    assert compare_argv(table.datasets, plain)[:2] == ["timeline-app", "compare"]
