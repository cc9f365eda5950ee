"""Likely-same events by the one published rule, on fixtures with known answers and on
the real shared files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.formats.registry import load
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.matching import (
    MatchRule,
    Side,
    match_datasets,
    match_sides,
    pair_records,
)
from timeline_app.model.schema import conform
from timeline_app.model.units import EARTH_RADIUS_KM

DAY = 86_400 * 10**9
KM_PER_DEG = EARTH_RADIUS_KM * np.pi / 180


def dataset(name: str, rows: list[dict]) -> Dataset:
    frame = pd.DataFrame(rows)
    frame["category"] = frame.get("category", "attack")
    if "end" not in frame:
        frame["end"] = frame["start"]
    return Dataset(name, conform(frame), LoadReport("native"))


def table_of(a_rows: list[dict], b_rows: list[dict]) -> EventTable:
    return EventTable([dataset("a", a_rows), dataset("b", b_rows)])


def pairs(result, table) -> list[tuple[str, str]]:
    return [(p["a_id"], p["b_id"]) for p in pair_records(table, result, result.pairs())]


def ev(id_: str, start: str, lat: float | None = 15.0, lon: float | None = 0.0, **kw) -> dict:
    return {"id": id_, "start": start, "latitude": lat, "longitude": lon, **kw}


def test_a_pair_within_the_bounds_and_its_distance_days_and_score():
    # 0.1 degree of latitude is 11.119 km; one day apart.
    table = table_of([ev("a1", "2023-09-07")], [ev("b1", "2023-09-08", lat=15.1)])
    result = match_datasets(table, "a", "b")
    (record,) = pair_records(table, result, result.pairs())
    assert (record["a_id"], record["b_id"]) == ("a1", "b1")
    assert record["km"] == pytest.approx(0.1 * KM_PER_DEG, abs=1e-3)
    assert record["days"] == 1
    assert record["score"] == pytest.approx(0.1 * KM_PER_DEG / 25 + 1 / 2, abs=1e-6)


def test_the_bounds_are_inclusive_and_nothing_beyond_them():
    at_km = 25 / KM_PER_DEG  # exactly 25 km north
    table = table_of(
        [ev("a1", "2023-09-01"), ev("a2", "2023-10-01"), ev("a3", "2023-11-01")],
        [
            ev("b1", "2023-09-03"),  # 2 days: in
            ev("b2", "2023-10-04"),  # 3 days: out
            ev("b3", "2023-11-01", lat=15 + at_km * 1.001),  # just over 25 km: out
        ],
    )
    assert pairs(match_datasets(table, "a", "b"), table) == [("a1", "b1")]
    wider = match_datasets(table, "a", "b", MatchRule(days=3, km=26))
    assert sorted(pairs(wider, table)) == [("a1", "b1"), ("a2", "b2"), ("a3", "b3")]


def test_spans_count_their_gap_not_their_starts():
    # A blockade of a month: an attack in its middle is 0 days away, one 2 days after it ends 2.
    table = table_of(
        [ev("a1", "2023-08-01", end="2023-08-31")],
        [ev("b1", "2023-08-15"), ev("b2", "2023-09-02")],
    )
    result = match_datasets(table, "a", "b")
    records = pair_records(table, result, np.arange(result.candidates))
    days = {r["b_id"]: r["days"] for r in records}
    assert days == {"b1": 0, "b2": 2}
    assert pairs(result, table) == [("a1", "b1")]  # best first; b2 is "also possible"
    (runner_up,) = pair_records(table, result, result.also_possible())
    assert runner_up["b_id"] == "b2"


def test_events_without_coordinates_or_of_other_categories_are_never_candidates():
    table = table_of(
        [ev("a1", "2023-09-07", lat=None, lon=None), ev("a2", "2023-09-07", category="statement")],
        [ev("b1", "2023-09-07"), ev("b2", "2023-09-07", lat=None)],
    )
    result = match_datasets(table, "a", "b")
    assert result.candidates == 0


def test_one_to_one_best_score_first():
    # b1 is nearer to a1 than a2 is; a2 then takes b2 (farther) rather than nothing.
    table = table_of(
        [ev("a1", "2023-09-07"), ev("a2", "2023-09-07", lat=15.05)],
        [ev("b1", "2023-09-07", lat=15.01), ev("b2", "2023-09-07", lat=15.12)],
    )
    result = match_datasets(table, "a", "b")
    assert sorted(pairs(result, table)) == [("a1", "b1"), ("a2", "b2")]
    assert result.candidates == 4
    assert len(result.also_possible()) == 2


def test_ties_go_to_the_first_datasets_id_then_the_seconds_as_text():
    # Two A events at the same place and day as two B events: every score ties.
    table = table_of(
        [ev("10", "2023-09-07"), ev("9", "2023-09-07")],
        [ev("b-2", "2023-09-07"), ev("b-10", "2023-09-07")],
    )
    result = match_datasets(table, "a", "b")
    # As text "10" < "9" and "b-10" < "b-2": "10" takes "b-10" first.
    assert pairs(result, table) == [("10", "b-10"), ("9", "b-2")]


def test_never_within_one_dataset_unless_asked():
    table = EventTable([dataset("a", [ev("a1", "2023-09-07"), ev("a2", "2023-09-08")])])
    with pytest.raises(ValueError, match="itself"):
        match_datasets(table, "a", "a")
    result = match_datasets(table, "a", "a", MatchRule(same_dataset=True))
    assert pairs(result, table) == [("a1", "a2")]


def test_groups_and_partners_per_row():
    table = table_of([ev("a1", "2023-09-07"), ev("a2", "2024-01-01")], [ev("b1", "2023-09-07")])
    result = match_datasets(table, "a", "b")
    group, score = result.groups(len(table))
    assert group.tolist() == [1, 0, 1]
    assert score[0] == score[2] == 0 and np.isnan(score[1])
    assert result.partner(len(table)).tolist() == [2, -1, 0]


def brute_force(a: Side, b: Side, days: float, km: float) -> set[tuple[int, int]]:
    from timeline_app.model.matching import _great_circle_km

    i, j = (x.ravel() for x in np.meshgrid(np.arange(len(a)), np.arange(len(b)), indexing="ij"))
    dist = _great_circle_km(a.lat[i], a.lon[i], b.lat[j], b.lon[j])
    gap = np.maximum(0, np.maximum(b.start_ns[j] - a.end_ns[i], a.start_ns[i] - b.end_ns[j]))
    ok = (dist <= km) & (gap / DAY <= days) & (a.category[i] == b.category[j])
    return set(zip(i[ok].tolist(), j[ok].tolist(), strict=True))


@pytest.mark.parametrize(
    ("lat", "lon", "spread"),
    [(15.0, 0.0, 1.0), (89.7, 0.0, 180.0), (0.0, 179.95, 0.1), (-60.0, 30.0, 0.8)],
    ids=["sahel", "pole", "date-line", "south"],
)
def test_the_grid_finds_exactly_the_candidates_a_brute_force_finds(lat, lon, spread):
    rng = np.random.default_rng(3)

    def side(n: int) -> Side:
        lats = np.clip(lat + rng.normal(0, min(spread, 1.0), n), -90, 90)
        lons = np.mod(lon + rng.normal(0, spread, n) + 180, 360) - 180
        lats[rng.random(n) < 0.05] = np.nan
        start = (19_000 + rng.integers(0, 40, n)) * DAY
        end = start + np.where(rng.random(n) < 0.2, rng.integers(0, 12, n), 0) * DAY
        return Side(lats, lons, start, end, rng.integers(0, 2, n), rng.permutation(n))

    a, b = side(300), side(250)
    for days, km in ((2, 25), (0, 60), (5.5, 10)):
        found = match_sides(a, b, MatchRule(days=days, km=km))
        got = list(zip(found.a.tolist(), found.b.tolist(), strict=True))
        assert len(got) == len(set(got))
        assert set(got) == brute_force(a, b, days, km)


def test_the_rule_refuses_nonsense():
    with pytest.raises(ValueError):
        MatchRule(km=0)
    with pytest.raises(ValueError):
        MatchRule(days=-1)


def test_real_files_ucdp_against_the_context_sample():
    table = EventTable([load(UCDP_SAMPLE), load(CONTEXT_CSV)])
    names = [d.name for d in table.datasets]
    result = match_datasets(table, names[0], names[1])
    records = pair_records(table, result, result.pairs())
    # The context sample's attacks carry no coordinates: no pair, by the rule.
    context = table.df.iloc[table.offsets[1] :]
    assert context["latitude"].isna().all()
    assert records == [] and result.candidates == 0
    # Within UCDP (asked for): events of the same day and place are found.
    same = match_datasets(table, names[0], names[0], MatchRule(same_dataset=True))
    for record in pair_records(table, same, same.pairs()):
        assert record["km"] <= 25 and record["days"] <= 2 and record["a_id"] != record["b_id"]


def test_real_ucdp_events_find_their_moved_copies(shared_data):
    real = load(shared_data / "ucdp_ged251_mali_jnim_2023H2.csv")
    moved = real.events.copy()
    moved["latitude"] = moved["latitude"] + 0.05  # 5.6 km north
    moved["start"] = moved["start"] + pd.Timedelta(days=1)
    moved["end"] = moved["end"] + pd.Timedelta(days=1)
    moved["id"] = "copy-" + moved["id"].astype(str)
    table = EventTable([real, Dataset("moved", conform(moved), LoadReport("native"))])
    result = match_datasets(table, real.name, "moved")
    records = pair_records(table, result, result.pairs())
    located = int(real.events["latitude"].notna().sum())
    assert len(records) == located > 0  # one-to-one: every located event has a partner
    assert all(r["km"] <= 25 and r["days"] <= 2 for r in records)
    own = [r for r in records if r["b_id"] == f"copy-{r['a_id']}"]
    assert len(own) >= 0.8 * located
    # Best first: 482770 takes 482771's copy (4.9 km, 1 day: score 0.697), which scores
    # better than its own copy (5.6 km, 1 day: 0.722).
    by_a = {r["a_id"]: r for r in records}
    assert by_a["482770"]["b_id"] == "copy-482771"
    assert by_a["482770"]["score"] == pytest.approx(0.697, abs=1e-3)


def test_the_matched_filter_keeps_pairs_or_leaves_out_the_seconds_matched_events():
    from timeline_app.model.filters import FilterSpec, filter_mask
    from timeline_app.model.matched import remember

    table = table_of(
        [ev("a1", "2023-09-07"), ev("a2", "2024-01-01")],
        [ev("b1", "2023-09-07"), ev("b2", "2025-01-01")],
    )
    assert filter_mask(table, FilterSpec(matched="matched")).sum() == 0  # nothing found yet
    remember(table, match_datasets(table, "a", "b"), "a", "b")
    kept = {
        mode: table.df["id"][filter_mask(table, FilterSpec(matched=mode))].tolist()
        for mode in ("", "matched", "unmatched", "no_second")
    }
    assert kept == {
        "": ["a1", "a2", "b1", "b2"],
        "matched": ["a1", "b1"],
        "unmatched": ["a2", "b2"],
        "no_second": ["a1", "a2", "b2"],  # b1 is a1 again: counted once
    }
    remember(table, None)
    assert filter_mask(table, FilterSpec(matched="matched")).sum() == 0  # a new result, anew


def test_a_sort_by_the_pairs_follows_each_new_search():
    from timeline_app.model.state import AppState

    state = AppState()
    state.set_datasets(
        table_of(
            [ev("a1", "2023-09-07"), ev("a2", "2024-01-01"), ev("a3", "2024-03-01")],
            [ev("b1", "2024-01-01", lat=15.1), ev("b2", "2023-09-07"), ev("b3", "2025-01-01")],
        ).datasets
    )
    state.set_sort([("match_group", True)])  # before any search: every row unknown, as is
    ids = lambda: state.table.df["id"].to_numpy()[state.visible].tolist()  # noqa: E731
    assert ids() == ["a1", "a2", "a3", "b1", "b2", "b3"]
    state.set_match(match_datasets(state.table, "a", "b"), "a", "b")
    # Pair 1 is the best (0 km), then pair 2 (11 km); rows in no pair last.
    assert ids() == ["a1", "b2", "a2", "b1", "a3", "b3"]
    assert state.match().columns.group.tolist() == [1, 2, 0, 2, 1, 0]
    state.set_match(None)
    assert ids() == ["a1", "a2", "a3", "b1", "b2", "b3"]
