"""Related events: the same actors within ±7 days, or within 25 km within ±3 days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import CONTEXT_CSV
from timeline_app.formats.registry import load
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.related import haversine_km, related_events
from timeline_app.model.schema import conform


def make_table(rows: list[dict]) -> EventTable:
    frame = pd.DataFrame(rows)
    frame["id"] = [f"e{i}" for i in range(len(rows))]
    frame["title"] = frame["id"]
    return EventTable([Dataset("t", conform(frame), LoadReport(format="native"))])


def related_ids(table: EventTable, row: int, **kwargs) -> list[str]:
    return [str(table.df["id"].iloc[r.row]) for r in related_events(table, row, **kwargs)]


def test_same_actor_within_seven_days_in_either_column():
    table = make_table(
        [
            {"start": "2023-09-07", "actor1": "JNIM", "actor2": "FAMa"},
            {"start": "2023-09-14", "actor1": "Wagner", "actor2": "jnim"},  # 7 days, case
            {"start": "2023-09-15", "actor1": "JNIM"},  # 8 days: too far
            {"start": "2023-08-31", "actor1": "Other", "assoc_actors": "X; JNIM"},  # assoc
            {"start": "2023-09-08", "actor1": "Nobody"},  # close in time, other actors
        ]
    )
    assert related_ids(table, 0) == ["e1", "e3"]
    [first] = [r for r in related_events(table, 0) if r.row == 1]
    assert first.reason == "same actor: jnim" and first.days == 7


def test_periods_count_from_their_nearest_end():
    table = make_table(
        [
            {"start": "2023-08-01", "end": "2023-09-09", "actor1": "JNIM"},  # a blockade
            {"start": "2023-09-15", "actor1": "JNIM"},  # 6 days after it ends
            {"start": "2023-07-20", "actor1": "JNIM"},  # 12 days before it starts
        ]
    )
    assert related_ids(table, 0) == ["e1"]


def test_nearby_within_25_km_and_three_days():
    bamako = (12.6392, -8.0029)
    table = make_table(
        [
            {"start": "2023-09-07", "latitude": bamako[0], "longitude": bamako[1]},
            {"start": "2023-09-09", "latitude": 12.75, "longitude": -8.0029},  # ~12 km
            {"start": "2023-09-08", "latitude": 13.0, "longitude": -8.0029},  # ~40 km
            {"start": "2023-09-11", "latitude": 12.64, "longitude": -8.0},  # 4 days
            {"start": "2023-09-07"},  # no coordinates
        ]
    )
    found = related_events(table, 0)
    assert [r.row for r in found] == [1]
    assert found[0].reason == "12 km away" and found[0].km == pytest.approx(12.3, abs=0.3)


def test_candidates_mask_limits_where_to_look():
    table = make_table([{"start": "2023-09-07", "actor1": "A"} for _ in range(4)])
    mask = np.array([True, True, False, True])
    assert related_ids(table, 0, candidates=mask) == ["e1", "e3"]
    assert related_ids(table, 0, limit=1) == ["e1"]
    assert related_ids(table, 0, limit=None) == ["e1", "e2", "e3"]


def test_haversine_matches_a_known_distance():
    # Bamako to Timbuktu is about 710 km on the great circle.
    km = haversine_km(12.6392, -8.0029, np.array([16.7735]), np.array([-3.0074]))
    assert km[0] == pytest.approx(710, abs=10)


def test_the_7_september_attacks_are_related_to_each_other():
    table = EventTable([load(CONTEXT_CSV)])
    boat = table.row_of_id("mali_2023_context", "ctx-10")
    ids = related_ids(table, boat)
    assert {"ctx-09", "ctx-11", "ctx-12", "ctx-03"} <= set(ids)
    assert "ctx-10" not in ids
    assert "ctx-01" not in ids  # the 2022 Barkhane withdrawal is far away in time
