"""Mapped tables: any delimiter, XLSX, Parquet, JSON; saved mappings; every row accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_app.formats import registry
from timeline_app.formats._dates import parse_date_series
from timeline_app.formats.base import NeedsMapping
from timeline_app.formats.mapping import (
    ColumnMapping,
    header_key,
    save_mapping,
    saved_mapping,
    suggest_mapping,
)
from timeline_app.formats.raw_table import peek_raw_table, read_raw_table
from timeline_app.formats.registry import FormatError, needs_mapping
from timeline_app.formats.table import apply_mapping

FIXTURES = Path(__file__).parent / "fixtures"
SEMICOLON = FIXTURES / "table_semicolon.csv"

MAPPING = ColumnMapping(
    date="Date",
    title="Headline",
    actor1="Perpetrator",
    actor2="Target",
    admin1="Region",
    location="Place",
    latitude="Lat",
    longitude="Lon",
    fatalities="Killed",
    notes="Remarks",
    id="Ref",
)


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Saved mappings go to a fresh folder, never the user's."""
    folder = tmp_path / "config"
    monkeypatch.setenv("TIMELINE_APP_CONFIG_DIR", str(folder))
    return folder


def test_an_unknown_table_goes_to_mapping():
    assert registry.detect_format(SEMICOLON) == "table"
    with pytest.raises(NeedsMapping, match="map its columns"):
        registry.load(SEMICOLON)


def test_needs_mapping_only_for_unknown_tables(tmp_path: Path):
    assert needs_mapping(SEMICOLON)
    assert not needs_mapping(FIXTURES / "gtd_sample.csv")  # a known layout
    odd = tmp_path / "odd.parquet"
    pd.DataFrame({"when": ["2023-09-07"], "what": ["x"]}).to_parquet(odd)
    assert needs_mapping(odd)  # native claims Parquet, but this one is not canonical
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\x01\x02" * 100)
    assert not needs_mapping(garbage)  # not a table: loading says so in one line
    save_mapping(read_raw_table(SEMICOLON).header, MAPPING)
    assert not needs_mapping(SEMICOLON)  # the saved mapping will be used


def test_suggested_mapping_from_common_names():
    header = ["Event Date", "Title", "Actor", "Lat", "Lon", "Deaths", "Notes", "end"]
    mapping = suggest_mapping(header)
    assert mapping.date == "Event Date"
    assert (mapping.title, mapping.actor1, mapping.fatalities) == ("Title", "Actor", "Deaths")
    assert (mapping.latitude, mapping.longitude, mapping.notes) == ("Lat", "Lon", "Notes")
    both = suggest_mapping(["start_date", "end_date", "event"])
    assert (both.start, both.end, both.date) == ("start_date", "end_date", None)


def test_semicolon_csv_with_a_mapping():
    ds = registry.load(SEMICOLON, options={"mapping": MAPPING})
    report = ds.report
    assert (report.rows_read, report.events, report.rows_rejected) == (7, 5, 2)
    assert report.balanced
    assert {(r.line, r.reason, r.text) for r in report.rejected_samples} == {
        (6, "no date", ""),  # line 6: the Boni remark spans lines 4-5
        (7, "unparseable date", "sometime in Sept"),
    }
    ev = ds.events.set_index("id")
    # 13/09/2023 in the column makes 07/09/2023 the 7th of September (day-first).
    assert ev.loc["R-001", "start"] == pd.Timestamp("2023-09-07")
    assert ev.loc["R-003", "start"] == pd.Timestamp("2023-09-13")
    assert ev.loc["R-003", "notes"] == "Numbers unknown.\nClaimed by JNIM the next day"
    assert ev.loc["R-001", "fatalities"] == 49
    assert np.isnan(ev.loc["R-003", "fatalities"])  # blank: unknown
    assert ev.loc["R-006", "fatalities"] == 0
    assert np.isnan(ev.loc["R-007", "fatalities"])  # "several": unknown, and said so
    assert any("non-numeric fatality" in w for w in report.warnings)
    assert (ev.loc["R-001", "actor1"], ev.loc["R-001", "actor2"]) == ("JNIM", "Civilians")
    assert ev.loc["R-001", "title"] == "Attack on the Tombouctou boat"
    assert list(ds.originals["Ref"]) == list(ds.events["id"])


def test_date_order_can_be_forced():
    mapping = ColumnMapping(date="Date", title="Headline", date_order="month-first")
    ds = registry.load(SEMICOLON, options={"mapping": mapping})
    ev = ds.events.set_index("title")
    assert ev.loc["Bamba camp attacked", "start"] == pd.Timestamp("2023-07-09")
    assert ds.report.rejected_by_reason["unparseable date"] == 2  # 13/09/2023 too
    assert ds.report.balanced


def test_start_and_end_columns_make_periods(tmp_path: Path):
    path = tmp_path / "periods.tsv"
    path.write_text(
        "from\tto\twhat\n"
        "2023-08-01\t2023-12-31\tBlockade of Timbuktu\n"
        "2023-09\t\tMonth-long campaign\n"
        "2023-10-05\t2023-10-01\tTyped backwards\n"
        "2023-10-05\tsoon\tBad end\n",
        encoding="utf-8",
    )
    mapping = ColumnMapping(start="from", end="to", title="what")
    ds = registry.load(path, format="table", options={"mapping": mapping})
    ev = ds.events.set_index("title")
    assert ev.loc["Blockade of Timbuktu", "end"] == pd.Timestamp("2023-12-31")
    assert ev.loc["Month-long campaign", "date_precision"] == "month"
    assert ev.loc["Month-long campaign", "end"] == pd.Timestamp("2023-09-01")
    assert dict(ds.report.rejected_by_reason) == {
        "end date before start date": 1,
        "unparseable end date": 1,
    }
    assert ds.report.balanced


def test_mapping_with_a_column_the_file_lacks_is_refused():
    with pytest.raises(FormatError, match="not in this file: Nope"):
        registry.load(SEMICOLON, options={"mapping": ColumnMapping(date="Nope")})


def test_saved_mapping_is_offered_for_the_same_header(tmp_path: Path, config_dir: Path):
    header = read_raw_table(SEMICOLON).header
    assert saved_mapping(header) is None
    save_mapping(header, MAPPING)
    assert (config_dir / "column_mappings.json").is_file()
    # A second file with the same header (other case, other rows) gets it back.
    other = tmp_path / "october.csv"
    lines = SEMICOLON.read_text(encoding="utf-8").splitlines()
    other.write_text(lines[0].upper() + "\n" + "\n".join(lines[1:3]) + "\n", encoding="utf-8")
    assert header_key(read_raw_table(other).header) == header_key(header)
    offered = saved_mapping(header)
    assert offered == MAPPING
    ds = registry.load(SEMICOLON)  # no mapping given: the saved one is used
    assert ds.report.events == 5
    assert any("saved mapping" in w for w in ds.report.warnings)


def test_saved_mapping_that_no_longer_fits_is_not_offered():
    save_mapping(["Date", "Gone"], ColumnMapping(date="Date", title="Gone"))
    assert saved_mapping(["date", "gone"]) is None  # case differs: names no longer match


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet", ".json"])
def test_other_table_formats_give_the_same_events(tmp_path: Path, suffix: str):
    frame = pd.read_csv(SEMICOLON, sep=";", dtype=str, keep_default_na=False)
    path = tmp_path / f"table{suffix}"
    if suffix == ".xlsx":
        frame.to_excel(path, index=False)
    elif suffix == ".parquet":
        frame.assign(Killed=pd.to_numeric(frame["Killed"], errors="coerce")).to_parquet(path)
    else:
        path.write_text(json.dumps({"events": frame.to_dict("records")}), encoding="utf-8")
    assert (0.05, "table") in registry.sniff(path)  # (native claims any Parquet first)
    ds = registry.load(path, format="table", options={"mapping": MAPPING})
    expected = registry.load(SEMICOLON, options={"mapping": MAPPING})
    cols = ["id", "start", "title", "actor1", "latitude", "notes"]
    pd.testing.assert_frame_equal(ds.events[cols], expected.events[cols])
    assert ds.report.balanced and ds.report.rows_rejected == 2


def test_windows_1252_and_trailing_fields(tmp_path: Path):
    path = tmp_path / "old.csv"
    path.write_bytes(
        b"date,title,extra\n"
        b"2023-09-07,S\xe9gou attack,\n"  # trailing empty field: fine
        b"2023-09-08,Too many,x,y\n"  # a real extra field: rejected
    )
    ds = registry.load(path, options={"mapping": ColumnMapping(date="date", title="title")})
    assert ds.events["title"].tolist() == ["Ségou attack"]
    assert ds.report.encoding == "cp1252"
    assert [(r.line, r.reason) for r in ds.report.rejected_samples] == [
        (3, "wrong number of fields")
    ]
    assert ds.report.balanced


def test_zero_zero_coordinates_are_unknown():
    ds = registry.load(SEMICOLON, options={"mapping": MAPPING})
    assert ds.events["latitude"].notna().sum() == 5  # the 0,0 row is rejected for its date


def test_parse_dates_precision_and_two_digit_years():
    text = pd.Series(["2023", "2023-09", "25-Aug-03", "06-Jan-97", "31 December 2020", "x"])
    dates, precision, _, _ = parse_date_series(text)
    assert dates.tolist()[:5] == [
        pd.Timestamp("2023-01-01"),
        pd.Timestamp("2023-09-01"),
        pd.Timestamp("2003-08-25"),
        pd.Timestamp("1997-01-06"),
        pd.Timestamp("2020-12-31"),
    ]
    assert pd.isna(dates.iloc[5])
    assert precision.tolist()[:2] == ["year", "month"]


def test_empty_file_is_a_clear_message(tmp_path: Path):
    for name, content in (("nothing.csv", b""), ("blanks.csv", b"\n  \r\n\n")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(FormatError, match=f"^{name}: the file is empty$"):
            registry.load(path, format="table", options={"mapping": ColumnMapping(date="d")})


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=400))
def test_garbage_never_crashes_and_counts_add_up(tmp_path: Path, body: bytes):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(b"date;title;deaths\n2023-09-07;ok;1\n" + body)
    mapping = ColumnMapping(date="date", title="title", fatalities="deaths")
    try:
        ds = registry.load(path, format="table", options={"mapping": mapping})
    except FormatError as err:
        # One line, and a reason of ours (not an internal error the registry wrapped).
        assert "\n" not in str(err) and "cannot read as" not in str(err)
        return
    assert ds.report.balanced
    assert len(ds.events) == ds.report.events == len(ds.originals)


def test_preview_names_columns_as_the_full_load_does(tmp_path: Path):
    """A mapping chosen on the preview must fit the loaded file, whatever its header."""
    path = tmp_path / "awkward.csv"
    rows = "".join(f"2023-09-{1 + i % 28:02d},Event {i},x,{'n' * 90},,\n" for i in range(4000))
    path.write_text(
        "when,what,what,notes,,\n#date,#event,#event,#notes,,\n" + rows, encoding="utf-8"
    )
    assert path.stat().st_size > 256 * 1024  # the preview reads only the first part
    preview = peek_raw_table(path, rows=20)
    full = read_raw_table(path)
    assert preview.header == full.header
    assert len(preview.frame) == 20 and list(preview.lines[:2]) == [3, 4]  # HXL row skipped
    mapping = suggest_mapping(preview.header)
    mapping.date, mapping.title = "when", preview.header[2]  # the second "what"
    ds = registry.load(path, format="table", options={"mapping": mapping})
    assert ds.report.events == 4000
    assert ds.events["title"].iloc[0] == "x"


def test_header_only_file_has_no_events(tmp_path: Path):
    path = tmp_path / "header_only.csv"
    path.write_text("date;title\n", encoding="utf-8")
    ds = registry.load(path, options={"mapping": ColumnMapping(date="date", title="title")})
    assert (ds.report.rows_read, ds.report.events) == (0, 0)


def test_apply_mapping_needs_a_date():
    raw = read_raw_table(SEMICOLON)
    with pytest.raises(FormatError, match="date"):
        apply_mapping(raw, ColumnMapping(title="Headline"))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(alphabet='ab1;,"\n\r\t -/', max_size=200))
def test_preview_reader_on_quotes_and_newlines_accounts_for_rows(tmp_path: Path, body: str):
    """The one text reader with a given delimiter: any quoting mess ends in rows + rejects
    == rows read, on lines that only go forward."""
    path = tmp_path / "messy.csv"
    path.write_text("date;title\n" + body, encoding="utf-8", newline="")
    try:
        raw = read_raw_table(path, delimiter=";")
    except FormatError as err:
        assert "\n" not in str(err)
        return
    assert len(raw.frame) + len(raw.rejected) == raw.rows_read
    assert len(raw.lines) == len(raw.frame)
    assert (np.diff(raw.lines) > 0).all()  # lines only go forward
    # (a third column only when every sampled row ends with one more field than named)
    assert list(raw.frame.columns)[:2] == ["date", "title"]


def test_category_from_the_event_type_when_none_is_mapped(tmp_path: Path):
    path = tmp_path / "typed.csv"
    path.write_text(
        "date,type\n"
        "2023-09-07,Battles\n"  # ACLED names follow the shared table
        "2023-09-08,Strategic developments\n"
        "2023-09-09,Ambush on a convoy\n"  # violent words: attack
        "2023-09-10,Mourning\n"  # a category name used as a type
        "2023-09-11,Market day\n",
        encoding="utf-8",
    )
    mapping = ColumnMapping(date="date", event_type="type")
    ds = registry.load(path, format="table", options={"mapping": mapping})
    assert ds.events["category"].astype(str).tolist() == [
        "attack",
        "statement",
        "attack",
        "mourning",
        "other",
    ]
    assert ds.events["title"].iloc[4] == "Market day"
