"""ACLED: one made-up fixture per variant in formats.md, read as a user's file would be."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from timeline_app.formats.acled import CITATION, LICENCE
from timeline_app.formats.inspect import inspect_file
from timeline_app.formats.registry import detect_format, load

FIXTURES = Path(__file__).parent / "fixtures"
VARIANTS = sorted(p.name for p in FIXTURES.glob("acled_*.csv"))


def events_of(name: str) -> pd.DataFrame:
    return load(FIXTURES / name).events


def by_id(name: str) -> dict[str, dict]:
    events = events_of(name)
    return {row["id"]: row for row in events.to_dict("records")}


def day(value) -> str:
    return str(value)[:10]


@pytest.mark.parametrize("name", VARIANTS)
def test_every_variant_is_sniffed_as_acled_and_accounted_for(name):
    path = FIXTURES / name
    assert detect_format(path) == "acled"
    dataset = load(path)
    report = dataset.report
    assert report.events + report.rows_merged + report.rows_rejected == report.rows_read
    assert report.events == len(dataset.events) == len(dataset.originals)
    assert dataset.licence == LICENCE and dataset.citation == CITATION
    assert set(dataset.events["dataset"]) == {path.stem}


def test_current_header():
    events = by_id("acled_current.csv")
    assert len(events) == 6
    bamba = events["MLI1001"]
    assert day(bamba["start"]) == day(bamba["end"]) == "2023-09-07"
    assert bamba["fatalities"] == 65
    assert bamba["title"] == "Armed clash — Bamba"
    assert bamba["actor2"] == "Military Forces of Mali (2021-)"
    assert bamba["assoc_actors"] == "Wagner Group"
    assert bamba["notes"] == "First line of the note.\nSecond line, after a quoted newline."
    assert (bamba["admin1"], bamba["admin2"], bamba["admin3"]) == ("Gao", "Bourem", "Bamba")
    assert bamba["latitude"] == pytest.approx(17.0333)
    # time_precision 1/2/3 -> day/week/month
    assert [events[i]["date_precision"] for i in ("MLI1001", "MLI1002", "MLI1003")] == [
        "day",
        "week",
        "month",
    ]
    # Unknown fatalities stay unknown; a recorded 0 stays 0.
    assert math.isnan(events["MLI1002"]["fatalities"])
    assert events["MLI1003"]["fatalities"] == 0
    # 0,0 is not a place.
    assert math.isnan(events["MLI1003"]["latitude"]) and math.isnan(events["MLI1003"]["longitude"])
    assert len(events["MLI1002"]["notes"]) > 900  # ~1 KB notes kept whole


def test_categories_follow_the_documented_table():
    events = by_id("acled_current.csv")
    assert {k: v["category"] for k, v in events.items()} == {
        "MLI1001": "attack",  # Battles
        "MLI1002": "attack",  # Explosions/Remote violence
        "MLI1003": "attack",  # Violence against civilians
        "MLI1004": "other",  # Protests
        "MLI1005": "other",  # Strategic developments / Headquarters or base established
        "MLI1006": "statement",  # Strategic developments / Agreement
    }


def test_associated_actors_joined_and_deduplicated():
    events = by_id("acled_current.csv")
    # assoc_actor_1 "Wagner Group; Military Forces of Mali (2021-)", assoc_actor_2 "Wagner Group"
    assert events["MLI1006"]["assoc_actors"] == "Wagner Group;Military Forces of Mali (2021-)"


def test_older_export_keeps_duplicate_ids_as_events_and_warns():
    dataset = load(FIXTURES / "acled_older.csv")
    events = dataset.events
    assert list(events["id"]) == ["MLI2001", "MLI2002", "MLI2002"]
    assert dataset.report.rows_merged == 0
    warnings = " ".join(dataset.report.warnings)
    assert "repeat an event id" in warnings and "MLI2002" in warnings
    # "unknown" is not a number: the row is an event with unknown fatalities, and it is noted.
    assert math.isnan(events["fatalities"].iloc[1]) and events["fatalities"].iloc[2] == 3
    assert "non-numeric fatalities" in warnings
    assert day(events["start"].iloc[0]) == "2019-03-23"
    assert "data_id" in dataset.originals.columns and "iso3" in dataset.originals.columns


def test_all_africa_2016_upper_case_cp1252_file():
    dataset = load(FIXTURES / "acled_allafrica_2016.csv")
    report = dataset.report
    assert report.encoding == "cp1252"
    assert any("Windows-1252" in w for w in report.warnings)
    assert (report.rows_read, report.events, report.rows_rejected) == (4, 4, 0)
    events = {row["id"]: row for row in dataset.events.to_dict("records")}
    first = events["1MLI"]
    assert first["notes"] == (
        "The army’s patrol clashed with rebels.\nSecond line (bare LF inside quotes)."
    )
    assert first["category"] == "attack"  # "Battle-No change of territory"
    assert day(first["start"]) == "1997-01-18"
    assert day(events["2MLI"]["start"]) == "2012-02-03"  # day-first, decided by 18/01/1997
    assert events["2MLI"]["assoc_actors"] == "Ansar Dine"  # ALLY_ACTOR_1
    assert events["2MLI"]["date_precision"] == "week"
    assert math.isnan(events["2MLI"]["fatalities"])
    assert events["3MLI"]["category"] == "statement"  # "Strategic development"
    assert events["4MLI"]["category"] == "other"  # "Riots/Protests"
    # The file's own column names are kept; the seven blank header columns are not.
    originals = dataset.originals
    assert list(originals.columns[:3]) == ["GWNO", "EVENT_ID_CNTY", "EVENT_ID_NO_CNTY"]
    assert len(originals.columns) == 25
    assert originals["EVENT_ID_CNTY"].tolist() == ["1MLI", "2MLI", "3MLI", "4MLI"]


def test_hdx_copy_skips_the_hxl_row_and_numbers_lines_from_the_file():
    info = inspect_file(FIXTURES / "acled_hdx.csv")
    assert info["format"] == "acled"
    assert (info["rows_read"], info["events"], info["rows_rejected"]) == (3, 2, 1)
    assert info["rejected_by_reason"] == {"unparseable date": 1}
    # header line 1, HXL line 2, rows on lines 3, 4, 5: the bad date is on line 5.
    assert info["rejected_samples"] == [
        {"line": 5, "reason": "unparseable date", "text": "not a date"}
    ]


def test_monadic_export_folds_rows_into_one_event_per_id():
    dataset = load(FIXTURES / "acled_monadic.csv")
    report = dataset.report
    assert (report.rows_read, report.events, report.rows_merged, report.rows_rejected) == (
        6,
        3,
        3,
        0,
    )
    events = {row["id"]: row for row in dataset.events.to_dict("records")}
    assert events["MLI4001"]["actor1"] == "JNIM: Group for Support of Islam and Muslims"
    assert events["MLI4001"]["actor2"] == "Military Forces of Mali (2021-)"
    assert events["MLI4001"]["assoc_actors"] == "Wagner Group"
    assert events["MLI4002"]["actor1"] == "Unidentified Armed Group (Mali)"
    assert pd.isna(events["MLI4002"]["actor2"])
    assert math.isnan(events["MLI4002"]["fatalities"])
    assert events["MLI4003"]["actor1"] == "Military Forces of Mali (2021-)"
    assert events["MLI4003"]["actor2"] == "JNIM: Group for Support of Islam and Muslims"
    assert events["MLI4003"]["assoc_actors"] == "Ansar Dine;Katiba Macina"
    assert events["MLI4003"]["fatalities"] == 0
    # originals stay row-aligned: the first source row of each event
    assert dataset.originals["event_id_cnty"].tolist() == ["MLI4001", "MLI4002", "MLI4003"]


def test_bom_file_reads_the_first_column_and_accents():
    dataset = load(FIXTURES / "acled_bom.csv")
    assert dataset.report.encoding == "utf-8-sig"
    assert list(dataset.events["id"]) == ["MLI5001", "MLI5002"]
    assert set(dataset.events["admin1"]) == {"Ségou"}
    assert dataset.originals.columns[0] == "event_id_cnty"


def test_excel_dates_with_two_digit_years():
    events = by_id("acled_excel_dates.csv")
    assert day(events["MLI6001"]["start"]) == "2003-08-25"
    assert day(events["MLI6002"]["start"]) == "1997-01-06"
    assert day(events["MLI6003"]["start"]) == "2023-09-07"


def test_day_first_slash_dates():
    dataset = load(FIXTURES / "acled_dayfirst.csv")
    assert [day(d) for d in dataset.events["start"]] == ["2015-12-29", "2016-01-05", "2016-01-12"]
    assert not any("ambiguous" in w for w in dataset.report.warnings)


def test_bad_rows_are_rejected_with_their_physical_line_and_reason():
    info = inspect_file(FIXTURES / "acled_bad_rows.csv")
    assert (info["rows_read"], info["events"], info["rows_rejected"]) == (5, 2, 3)
    assert info["rejected_by_reason"] == {
        "wrong number of fields": 1,
        "unparseable date": 1,
        "missing date": 1,
    }
    lines = {s["line"]: s["reason"] for s in info["rejected_samples"]}
    assert lines == {4: "wrong number of fields", 5: "unparseable date", 8: "missing date"}
    assert any("non-numeric fatalities" in w for w in info["warnings"])  # "n/k" on line 7


def test_inspect_summary_of_the_current_file():
    info = inspect_file(FIXTURES / "acled_current.csv")
    assert info["format"] == "acled"
    assert (info["date_min"], info["date_max"]) == ("2023-09-07", "2023-09-11")
    assert info["categories"] == {"attack": 3, "other": 2, "statement": 1}
    # JNIM, Mali forces, Wagner, civilians, unidentified group, protesters, government
    assert info["actors"] == 7
    assert info["regions"] == 3  # Gao, Tombouctou, Bamako


def test_format_can_be_forced_and_wrong_files_say_why(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,value\na,1\n", encoding="utf-8")
    from timeline_app.formats.registry import FormatError

    with pytest.raises(FormatError, match="not an ACLED file"):
        load(path, "acled")


def test_a_file_without_event_ids_still_loads(tmp_path):
    path = tmp_path / "acled_no_ids.csv"
    path.write_text(
        "event_date,event_type,actor1,fatalities\n07 September 2023,Battles,JNIM,3\n"
        "07 September 2023,Battles,JNIM,\n",
        encoding="utf-8",
    )
    dataset = load(path, "acled")
    assert dataset.report.events == 2 and dataset.report.rows_merged == 0
    assert dataset.events["id"].isna().all()
    assert list(dataset.events["category"]) == ["attack", "attack"]


def test_monadic_allies_are_never_promoted_to_actor2(tmp_path):
    path = tmp_path / "acled_actor_based.csv"
    path.write_text(
        "event_id_cnty,event_date,event_type,actor1,assoc_actor_1,fatalities\n"
        "X1,07 September 2023,Battles,JNIM,Katiba Macina,2\n"
        "X1,07 September 2023,Battles,,,2\n",
        encoding="utf-8",
    )
    dataset = load(path)
    event = dataset.events.iloc[0]
    assert (dataset.report.events, dataset.report.rows_merged) == (1, 1)
    assert event["actor1"] == "JNIM" and pd.isna(event["actor2"])
    assert event["assoc_actors"] == "Katiba Macina"


def test_cancel_stops_the_load_and_progress_is_reported():
    from timeline_app.formats.registry import LoadCancelled

    with pytest.raises(LoadCancelled):
        load(FIXTURES / "acled_current.csv", cancelled=lambda: True)
    seen: list[float] = []
    load(FIXTURES / "acled_current.csv", progress=seen.append)
    assert seen and seen[-1] == 1.0
