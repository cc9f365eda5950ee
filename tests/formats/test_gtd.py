"""The GTD reader on made-up rows in GTD's layout (GTD itself may not be redistributed)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from timeline_app.formats import registry
from timeline_app.formats.registry import FormatError

FIXTURES = Path(__file__).parent / "fixtures"
GTD_CSV = FIXTURES / "gtd_sample.csv"


@pytest.fixture
def gtd_xlsx(tmp_path: Path) -> Path:
    """The CSV fixture as GTD ships it in XLSX: numbers as numbers, resolution as a date."""
    with open(GTD_CSV, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    res = rows[0].index("resolution")
    for row in rows[1:]:
        cells: list[object] = []
        for i, value in enumerate(row):
            if i == res and value:
                month, day, year = (int(p) for p in value.split("/"))
                cells.append(dt.datetime(year, month, day))
            elif value.lstrip("-").replace(".", "", 1).isdigit():
                cells.append(float(value) if "." in value else int(value))
            else:
                cells.append(value or None)
        sheet.append(cells)
    path = tmp_path / "globalterrorismdb_sample.xlsx"
    book.save(path)
    return path


def _by_id(dataset) -> pd.DataFrame:
    return dataset.events.set_index("id")


def test_csv_is_sniffed_as_gtd():
    assert registry.sniff(GTD_CSV)[0] == (0.95, "gtd")


def test_xlsx_is_sniffed_as_gtd(gtd_xlsx: Path):
    assert registry.sniff(gtd_xlsx)[0][1] == "gtd"


def _as_excel_saves_it(path: Path) -> None:
    """Rewrite an openpyxl workbook (inline strings) as Excel writes one: cells point into
    a shared-strings table, which after edits holds other strings first (here 90 KB of
    unused ones), so the header's words are not near the start of any part of the file."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    strings = [f"codebook note {i}: {'x' * 220}" for i in range(400)]

    def shared(match: re.Match) -> str:
        strings.append(html.unescape(match[2]))
        return f'{match[1]} t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(
        r'(<c r="[A-Z]+\d+"[^>]*?) t="inlineStr"><is><t>(.*?)</t></is></c>', shared, sheet
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    items = "".join(f"<si><t>{html.escape(t)}</t></si>" for t in strings)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = (
        parts["[Content_Types].xml"]
        .decode("utf-8")
        .replace(
            "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'
        )
    )
    parts["[Content_Types].xml"] = types.encode("utf-8")
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    rels = (
        parts["xl/_rels/workbook.xml.rels"]
        .decode("utf-8")
        .replace(
            "</Relationships>",
            f'<Relationship Id="rIdStrings" Type="{rel}" Target="sharedStrings.xml"/></Relationships>',
        )
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_a_gtd_workbook_is_recognised_by_its_first_rows_header(gtd_xlsx: Path):
    _as_excel_saves_it(gtd_xlsx)
    assert openpyxl.load_workbook(gtd_xlsx).active["A1"].value == "eventid"  # still valid
    assert registry.sniff(gtd_xlsx)[0][1] == "gtd"
    assert registry.load(gtd_xlsx).format == "gtd"


def test_csv_rows_are_all_accounted_for():
    ds = registry.load(GTD_CSV)
    report = ds.report
    assert ds.format == "gtd"
    assert (report.rows_read, report.events, report.rows_rejected) == (8, 6, 2)
    assert report.balanced
    rejected = {(r.line, r.reason) for r in report.rejected_samples}
    # Line 8, not 7: the summary of the Timbuktu row spans two physical lines.
    assert rejected == {
        (8, "invalid date (iyear/imonth/iday)"),
        (9, "duplicate eventid"),
    }


def test_dates_follow_unknown_month_and_day_without_inventing_a_span():
    ev = _by_id(registry.load(GTD_CSV))
    day = ev.loc["202309070001"]
    assert (day.start, day.end, day.date_precision) == (
        pd.Timestamp("2023-09-07"),
        pd.Timestamp("2023-09-07"),
        "day",
    )
    year_only = ev.loc["202300000001"]  # imonth = 0, iday = 0
    assert year_only.date_precision == "year"
    assert year_only.start == year_only.end == pd.Timestamp("2023-01-01")
    month_only = ev.loc["202310000001"]  # iday = 0
    assert month_only.date_precision == "month"
    assert month_only.start == month_only.end == pd.Timestamp("2023-10-01")
    assert "Approximate date: October 2023." in month_only.notes


def test_extended_incident_ends_at_its_resolution():
    ev = _by_id(registry.load(GTD_CSV))
    blockade = ev.loc["202309150001"]
    assert blockade.start == pd.Timestamp("2023-09-15")
    assert blockade.end == pd.Timestamp("2023-11-15")
    assert not blockade.ongoing


def test_extended_incident_without_resolution_is_ongoing_as_of_the_files_last_date():
    dataset = registry.load(GTD_CSV)
    ev = _by_id(dataset)
    last = max(ev["start"].max(), ev.loc[~ev["ongoing"], "end"].max())
    open_ended = ev.loc["202309280001"]  # extended, no resolution date
    assert open_ended.start == pd.Timestamp("2023-09-28")
    assert open_ended.ongoing and open_ended.end == last == pd.Timestamp("2023-12-01")
    assert "end date unknown" in open_ended.notes
    assert not ev.drop(index="202309280001")["ongoing"].any()
    assert any("ongoing as of 2023-12-01" in w for w in dataset.report.warnings)


def test_fatalities_blank_is_unknown_and_zero_is_zero():
    ev = _by_id(registry.load(GTD_CSV))
    assert ev.loc["202309070001", "fatalities"] == 12
    assert np.isnan(ev.loc["202309150001", "fatalities"])  # nkill blank
    assert np.isnan(ev.loc["202300000001", "fatalities"])
    assert ev.loc["202309280001", "fatalities"] == 0


def test_coordinates_blank_or_zero_zero_are_unknown():
    ev = _by_id(registry.load(GTD_CSV))
    assert ev.loc["202309070001", "latitude"] == pytest.approx(16.2717)
    assert np.isnan(ev.loc["202300000001", "latitude"])  # blank
    assert np.isnan(ev.loc["202312010001", "longitude"])  # 0,0


def test_fields_title_actors_and_provenance():
    ds = registry.load(GTD_CSV)
    ev = _by_id(ds)
    gao = ev.loc["202309070001"]
    assert gao.title == "Bombing/Explosion in Gao: Military"
    assert gao.actor1 == "Jamaat Nusrat al-Islam wal Muslimin (JNIM)"
    assert pd.isna(gao.actor2)  # the target is described, not made an actor
    assert gao.event_type == "Bombing/Explosion"
    assert gao.sub_event_type == "Military"
    assert (gao.country, gao.admin1, gao.location) == ("Mali", "Gao", "Gao")
    assert gao.geo_precision == 1
    assert gao.category == "attack"
    assert gao.source.startswith('"Mali convoy hit by bomb,"')
    assert ev.loc["202310000001", "assoc_actors"] == "Coordination of Azawad Movements (CMA)"
    # The city is "Unknown": no place name; the title names the province instead.
    assert pd.isna(ev.loc["202300000001", "location"])
    assert ev.loc["202300000001", "title"].startswith("Hostage Taking (Kidnapping) in Mopti")
    assert ev.loc["202300000001", "source"] == "START Primary Collection"  # no scite1
    assert "not redistributable" in ds.licence
    assert "start.umd.edu/gtd" in ds.citation
    # Originals keep every GTD column, row-aligned with the events.
    assert len(ds.originals.columns) == 62
    assert list(ds.originals["eventid"]) == list(ds.events["id"])


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_xlsx_gives_the_same_events_as_csv(
    gtd_xlsx: Path, engine: str, monkeypatch: pytest.MonkeyPatch
):
    if engine == "openpyxl":  # the fallback where python-calamine is not installed
        monkeypatch.setitem(sys.modules, "python_calamine", None)
    from_csv = registry.load(GTD_CSV)
    from_xlsx = registry.load(gtd_xlsx)
    assert from_xlsx.format == "gtd"
    cols = ["id", "start", "end", "date_precision", "title", "fatalities", "latitude", "notes"]
    pd.testing.assert_frame_equal(from_xlsx.events[cols], from_csv.events[cols])
    # In a sheet the "line" is the sheet row; no summary spans lines there.
    assert {(r.line, r.reason) for r in from_xlsx.report.rejected_samples} == {
        (7, "invalid date (iyear/imonth/iday)"),
        (8, "duplicate eventid"),
    }
    assert from_xlsx.report.balanced


def test_windows_1252_csv_is_decoded_and_noted(tmp_path: Path):
    text = GTD_CSV.read_text(encoding="utf-8").replace("Djibo", "Djibo – Sékou")
    path = tmp_path / "gtd_cp1252.csv"
    path.write_bytes(text.encode("cp1252"))
    ds = registry.load(path)
    assert ds.format == "gtd"
    assert _by_id(ds).loc["202309280001", "location"] == "Djibo – Sékou"
    assert any("Windows-1252" in w for w in ds.report.warnings)


def test_a_file_without_gtd_columns_is_refused_in_one_line(tmp_path: Path):
    path = tmp_path / "not_gtd.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(FormatError, match="missing column") as err:
        registry.load(path, format="gtd")
    assert "\n" not in str(err.value)


def test_truncated_copies_end_cleanly(tmp_path: Path):
    """A file cut anywhere loads partly with counts that add up, or fails in one line."""
    data = GTD_CSV.read_bytes()
    path = tmp_path / GTD_CSV.name
    for cut in range(0, len(data), 41):
        path.write_bytes(data[:cut])
        try:
            ds = registry.load(path, format=registry.detect_format(GTD_CSV))
        except FormatError as err:
            assert "\n" not in str(err) and "cannot read as" not in str(err), (cut, err)
            continue
        assert ds.report.balanced, cut
        assert len(ds.events) == len(ds.originals) == ds.report.events
