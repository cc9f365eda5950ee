"""UCDP GED: the real 25.1 and 19.1 files, and the website export's layout."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import UCDP_SAMPLE
from timeline_app.formats.inspect import inspect_file
from timeline_app.formats.registry import detect_format, load
from timeline_app.formats.ucdp import LICENCE


def day(value) -> str:
    return str(value)[:10]


def test_ged251_mali_excerpt(shared_data):
    path = shared_data / "ucdp_ged251_mali_jnim_2023H2.csv"
    assert detect_format(path) == "ucdp"
    dataset = load(path)
    report = dataset.report
    assert (report.rows_read, report.events, report.rows_rejected) == (60, 60, 0)
    assert dataset.licence == LICENCE and "Sundberg & Melander" in dataset.citation
    events = dataset.events
    bamba = events[events["location"] == "Bamba town"].iloc[0]
    assert day(bamba["start"]) == day(bamba["end"]) == "2023-09-07"
    assert bamba["fatalities"] == 65
    assert bamba["title"] == "Bamba town: Government of Mali vs JNIM"
    assert (bamba["actor1"], bamba["actor2"]) == ("Government of Mali", "JNIM")
    assert bamba["event_type"] == "State-based conflict" and bamba["category"] == "attack"
    assert bamba["admin1"] == "Gao"  # "Gao region"
    assert set(events["admin1"].dropna()) == {
        "Tombouctou",
        "Mopti",
        "Koulikoro",
        "Segou",
        "Kidal",
        "Gao",
    }
    assert not events["admin2"].dropna().str.endswith("cercle").any()
    assert events["fatalities_low"].notna().all() and events["fatalities_high"].notna().all()
    assert (events["fatalities_low"] <= events["fatalities"]).all()
    assert len(dataset.originals) == 60 and "source_article" in dataset.originals.columns


def test_ged191_myanmar_every_row_is_an_event(shared_data):
    path = shared_data / "ucdp_ged191_myanmar_bangladesh.csv"
    dataset = load(path)
    report = dataset.report
    assert (report.rows_read, report.events, report.rows_rejected) == (3194, 3194, 0)
    events = dataset.events
    # date_prec 1..5 -> day, week, week, month, year
    originals = dataset.originals
    expected = (
        originals["date_prec"]
        .astype(str)
        .map({"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"})
    )
    assert (events["date_precision"].astype(str).to_numpy() == expected.to_numpy()).all()
    assert (events["end"] >= events["start"]).all()
    assert {"Shan", "Kayin", "Rakhine"} <= set(events["admin1"].dropna())
    assert set(events["event_type"]) == {
        "State-based conflict",
        "Non-state conflict",
        "One-sided violence",
    }
    # Titles and sides row by row: "{where_coordinates}: {side_a} vs {side_b}".
    for original, event in zip(
        originals.to_dict("records"), events.to_dict("records"), strict=True
    ):
        place, a, b = (str(original[k]).strip() for k in ("where_coordinates", "side_a", "side_b"))
        assert event["title"] == f"{place}: {a} vs {b}"
        assert (event["actor1"], event["actor2"]) == (a, b)
        assert event["fatalities"] == float(original["best"])
    # Notes stay on their own rows, blank ones included (source_original, stripped).
    expected_notes = [t.strip() or None for t in originals["source_original"].astype(str)]
    got_notes = [v if isinstance(v, str) else None for v in events["notes"]]
    assert got_notes == expected_notes
    assert None in expected_notes  # the file has rows without a source_original
    # The 79 cells with newlines stay inside their rows.
    newline_cells = sum(
        originals[c].astype(str).str.contains("\n").sum() for c in originals.columns
    )
    assert newline_cells == 79


def test_inspect_json_of_the_bundled_sample():
    info = inspect_file(UCDP_SAMPLE)
    assert info["format"] == "ucdp"
    assert (info["rows_read"], info["events"], info["rows_merged"], info["rows_rejected"]) == (
        60,
        60,
        0,
        0,
    )
    assert (info["date_min"], info["date_max"]) == ("2023-07-17", "2023-12-31")
    assert info["categories"] == {"attack": 60}
    assert info["actors"] == 2
    assert info["regions"] == 6


def website_export(source: Path, target: Path, trailing: str = ",") -> Path:
    """The sample rewritten the way the UCDP website exports it."""
    with open(source, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = [{"best": "best_est", "high": "high_est", "low": "low_est"}.get(h, h) for h in rows[0]]
    dates = [header.index("date_start"), header.index("date_end")]
    active = header.index("active_year")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows[1:]:
        for i in dates:
            y, m, d = row[i][:10].split("-")
            row[i] = f"{m}/{d}/{y} 00:00:00"
        row[active] = "True"
        writer.writerow([*row, ""] if trailing else row)
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def test_website_export_month_first_dates_and_trailing_comma(tmp_path):
    path = website_export(UCDP_SAMPLE, tmp_path / "ged_website.csv")
    assert detect_format(path) == "ucdp"
    dataset = load(path)
    report = dataset.report
    assert (report.rows_read, report.events, report.rows_rejected) == (60, 60, 0)
    official = load(UCDP_SAMPLE).events
    events = dataset.events
    assert (events["start"].to_numpy() == official["start"].to_numpy()).all()
    assert (events["end"].to_numpy() == official["end"].to_numpy()).all()
    assert np.array_equal(events["fatalities"].to_numpy(), official["fatalities"].to_numpy())
    assert np.array_equal(
        events["fatalities_high"].to_numpy(), official["fatalities_high"].to_numpy()
    )
    bamba = events[events["location"] == "Bamba town"].iloc[0]
    assert day(bamba["start"]) == "2023-09-07" and bamba["fatalities"] == 65
    assert "best_est" in dataset.originals.columns
    assert not [c for c in dataset.originals.columns if c.startswith("column_")]


def test_blank_estimates_are_unknown_and_bad_dates_rejected(tmp_path):
    source = UCDP_SAMPLE.read_text(encoding="utf-8")
    header, first, *_ = list(csv.reader(io.StringIO(source)))
    best, start = header.index("best"), header.index("date_start")
    blank = list(first)
    blank[best] = ""
    bad = list(first)
    bad[start] = "2023-13-45"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, blank, bad])
    path = tmp_path / "ged.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    dataset = load(path, "ucdp")
    assert math.isnan(dataset.events["fatalities"].iloc[0])
    assert dataset.report.rejected_by_reason == {"unparseable date": 1}
    # first record spans lines 2-4 (a quoted where_description with two newlines)
    assert [r.line for r in dataset.report.rejected_samples] == [5]


@pytest.mark.parametrize("value", ["1", "true", "True"])
def test_active_year_spellings_do_not_matter(tmp_path, value):
    source = UCDP_SAMPLE.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(source)))
    active = rows[0].index("active_year")
    for row in rows[1:]:
        row[active] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "ged.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert load(path).report.events == 60


def test_start_and_end_share_one_day_month_order(tmp_path):
    # Only an end date (13 in the first field) shows the order: day-first, for both columns.
    text = (
        "id,date_start,date_end,type_of_violence,side_a,side_b,where_prec,best\n"
        "1,01/02/2020,13/02/2020,1,A,B,1,3\n"
        "2,05/03/2020,05/03/2020,3,A,Civilians,1,\n"
    )
    path = tmp_path / "ged.csv"
    path.write_text(text, encoding="utf-8")
    dataset = load(path)
    assert [day(d) for d in dataset.events["start"]] == ["2020-02-01", "2020-03-05"]
    assert [day(d) for d in dataset.events["end"]] == ["2020-02-13", "2020-03-05"]
    assert math.isnan(dataset.events["fatalities"].iloc[1])
