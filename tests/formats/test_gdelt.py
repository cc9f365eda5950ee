"""The GDELT reader: 1.0 and 2.0 events, headerless tab files and CSV with a header."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from timeline_app.formats import registry
from timeline_app.formats.gdelt import GDELT1_COLUMNS, GDELT2_COLUMNS
from timeline_app.formats.registry import FormatError

FIXTURES = Path(__file__).parent / "fixtures"
V2_TAB = FIXTURES / "gdelt_v2_20230915.export.CSV"  # headerless, tab-separated, 61 columns
V1_HEADER = FIXTURES / "gdelt_v1_header.csv"  # comma-separated with a header, 58 columns


def test_layouts_have_gdelt_column_counts():
    assert (len(GDELT1_COLUMNS), len(GDELT2_COLUMNS)) == (58, 61)


@pytest.mark.parametrize("path", [V2_TAB, V1_HEADER])
def test_sniffed_as_gdelt(path: Path):
    assert registry.sniff(path)[0][1] == "gdelt"


def test_headerless_v2_rows_are_all_accounted_for():
    ds = registry.load(V2_TAB)
    report = ds.report
    assert ds.format == "gdelt"
    assert (report.rows_read, report.events, report.rows_rejected) == (6, 4, 2)
    assert report.balanced
    cut_off = next(r for r in report.rejected_samples if r.line == 6)
    assert cut_off.text.startswith("20 fields, expected 61: 1120000001\t20230907")
    assert {(r.line, r.reason) for r in report.rejected_samples} == {
        (5, "unparseable SQLDATE"),  # 2023091: seven digits
        (6, "wrong number of fields"),  # a line cut off at the end of the file
    }


@pytest.mark.parametrize("path", [V2_TAB, V1_HEADER])
def test_events_mapped_from_gdelt_fields(path: Path):
    ds = registry.load(path)
    ev = ds.events.set_index("id")
    fight = ev.loc["1120000001"]
    assert fight.start == fight.end == pd.Timestamp("2023-09-07")
    assert fight.date_precision == "day"
    assert fight.category == "attack"  # CAMEO 19
    assert (fight.actor1, fight.actor2) == ("JIHADIST", "MALI")
    assert fight.country == "Mali"  # FIPS ML
    assert fight.location == "Gao, Gao, Mali"
    assert fight.latitude == pytest.approx(16.2717)
    assert fight.source == "https://news.example.org/mali/gao-attack"
    assert fight.title == "Fight: JIHADIST / MALI in Gao, Gao, Mali"
    statement = ev.loc["1120000002"]
    assert statement.category == "statement"  # CAMEO 01
    assert statement.country == "Burkina Faso"  # FIPS UV
    assert pd.isna(statement.actor2)  # the literal NA
    protest = ev.loc["1120000003"]
    assert (protest.category, protest.country) == ("other", "Niger")  # CAMEO 14, FIPS NG
    unplaced = ev.loc["1120000004"]
    assert np.isnan(unplaced.latitude) and np.isnan(unplaced.longitude)  # 0,0
    assert unplaced.country == "XX"  # an unknown FIPS code is kept as it is
    assert ds.events["fatalities"].isna().all()  # GDELT counts no deaths: unknown, not 0
    assert ds.licence == "GDELT: open, cite"
    assert "gdeltproject.org" in ds.citation
    assert list(ds.originals.iloc[:, 0]) == list(ds.events["id"])


def test_v1_backfile_without_sourceurl_comma_separated(tmp_path: Path):
    rows = V1_HEADER.read_text(encoding="utf-8").splitlines()[1:]
    path = tmp_path / "200601.csv"
    # 57 columns: drop SOURCEURL, the last column (the fixture's URLs have no commas).
    path.write_text("\n".join(r.rsplit(",", 1)[0] for r in rows) + "\n", encoding="utf-8")
    assert registry.sniff(path)[0] == (0.9, "gdelt")
    ds = registry.load(path)
    assert ds.report.events == 4 and ds.report.rows_rejected == 1
    assert ds.events["source"].isna().all()


def test_a_file_that_is_not_gdelt_is_refused_in_one_line(tmp_path: Path):
    path = tmp_path / "x.tsv"
    path.write_text("1\t2\t3\n", encoding="utf-8")
    with pytest.raises(FormatError, match="not a GDELT events file"):
        registry.load(path, format="gdelt")


def test_truncated_copies_end_cleanly(tmp_path: Path):
    """A file cut anywhere loads partly with counts that add up, or fails in one line."""
    data = V2_TAB.read_bytes()
    path = tmp_path / V2_TAB.name
    for cut in range(0, len(data), 41):
        path.write_bytes(data[:cut])
        try:
            ds = registry.load(path, format=registry.detect_format(V2_TAB))
        except FormatError as err:
            assert "\n" not in str(err) and "cannot read as" not in str(err), (cut, err)
            continue
        assert ds.report.balanced, cut
        assert len(ds.events) == len(ds.originals) == ds.report.events


def test_every_fips_country_is_named_and_admin1_comes_from_the_full_name(tmp_path: Path):
    """Issue 18 #6: SL, LI, GA, PU were shown as codes, admin1 as ML04-style codes."""
    from timeline_app.formats.gdelt import GDELT1_COLUMNS

    places = [
        ("SL", "Freetown, Western Area, Sierra Leone", "4", "SL04"),
        ("LI", "Monrovia, Montserrado, Liberia", "4", "LI14"),
        ("GA", "Banjul, Banjul, Gambia", "4", "GA01"),
        ("PU", "Bissau, Bissau, Guinea-Bissau", "4", "PU01"),
        ("ML", "Gao, Mali", "5", "ML04"),
        ("UV", "Burkina Faso", "1", "UV"),
    ]
    rows = []
    for i, (code, full, kind, adm1) in enumerate(places):
        row = dict.fromkeys(GDELT1_COLUMNS, "")
        row.update(GLOBALEVENTID=str(900 + i), SQLDATE="20230907", EventRootCode="19")
        row.update(ActionGeo_CountryCode=code, ActionGeo_FullName=full, ActionGeo_Type=kind)
        row.update(ActionGeo_ADM1Code=adm1)
        rows.append(row)
    path = tmp_path / "gdelt_places.csv"
    pd.DataFrame(rows, columns=GDELT1_COLUMNS).to_csv(path, index=False)
    ds = registry.load(path, "gdelt")
    ev = ds.events.set_index("id")
    assert list(ev["country"]) == [
        "Sierra Leone", "Liberia", "Gambia", "Guinea-Bissau", "Mali", "Burkina Faso",
    ]  # fmt: skip
    assert list(ev["admin1"].astype(object).fillna("")) == [
        "Western Area", "Montserrado", "Banjul", "Bissau", "Gao", "",
    ]  # fmt: skip
    # The codes stay in their own columns.
    assert list(ds.originals["ActionGeo_CountryCode"]) == [p[0] for p in places]
    assert list(ds.originals["ActionGeo_ADM1Code"]) == [p[3] for p in places]
