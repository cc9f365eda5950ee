"""The shared delimited-text machinery: shapes, encodings, line numbers, dates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from timeline_app.formats import _columns, _dates, text_parse, text_reader, text_table
from timeline_app.formats._dates import DAY_FIRST, MONTH_FIRST, parse_date_strings, slash_order
from timeline_app.formats.registry import FormatError, LoadCancelled
from timeline_app.formats.text_reader import read_text_table
from timeline_app.formats.text_table import WRONG_WIDTH


def write(tmp_path: Path, data: bytes, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def columns(table: text_table.TextTable) -> dict[str, list[str]]:
    return {name: text_table.as_strings(table.column(name)).to_pylist() for name in table.names}


def all_lines(table: text_table.TextTable) -> list[int]:
    return [int(x) for x in table.line_numbers(np.arange(table.table.num_rows))]


# A file with every shape problem at known physical lines.
MESSY = (
    b"a,b,c\r\n"  # line 1
    b'1,"x\ny",3\r\n'  # lines 2-3: bare LF inside quotes in a CRLF file
    b"4,5\r\n"  # line 4: too few fields
    b"\r\n"  # line 5: blank
    b"6,7,8,9\r\n"  # line 6: too many fields
    b'"10","mul\r\nti\nline",12\r\n'  # lines 7-9
    b"13,14\r\n"  # line 10: too few
    b",,\r\n"  # line 11: delimiters only
    b"15,16,last\r\n"  # line 12
)


@pytest.fixture(params=["arrow", "python"])
def reader_path(request, monkeypatch):
    """Run a test on the pyarrow path and on the Python csv fallback: same answers."""
    if request.param == "python":
        monkeypatch.setattr(text_reader, "read_arrow", lambda *args, **kwargs: None)
    return request.param


def test_rows_and_physical_line_numbers(tmp_path, reader_path):
    table = read_text_table(write(tmp_path, MESSY))
    assert columns(table) == {
        "a": ["1", "10", "15"],
        "b": ["x\ny", "mul\r\nti\nline", "16"],
        "c": ["3", "12", "last"],
    }
    assert all_lines(table) == [2, 7, 12]
    assert table.bad_row_lines() == [4, 6, 10]
    assert table.rows_read == 6  # 3 good + 3 of the wrong width; blank lines are not rows
    report = table.start_report("test")
    assert report.rejected_by_reason == {WRONG_WIDTH: 3}
    assert [r.line for r in report.rejected_samples] == [4, 6, 10]
    assert "4,5" in report.rejected_samples[0].text
    assert any("blank" in w for w in table.warnings)


def test_line_numbers_of_dictionary_columns_count_quoted_newlines(tmp_path):
    data = b'id,kind\n1,"a\nb"\n2,"a\nb"\n3,"c"\n'
    table = read_text_table(write(tmp_path, data), dictionary=lambda n: n == "kind")
    assert all_lines(table) == [2, 4, 6]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_delimiter(tmp_path, delimiter, reader_path):
    d = delimiter.encode()
    data = d.join([b"id", b"date", b"note"]) + b"\n" + d.join([b"1", b"2023-09-07", b'"x, y; z"'])
    table = read_text_table(write(tmp_path, data + b"\n"))
    assert table.delimiter == delimiter
    assert columns(table) == {"id": ["1"], "date": ["2023-09-07"], "note": ["x, y; z"]}


def test_bom_is_not_part_of_the_first_name(tmp_path, reader_path):
    table = read_text_table(write(tmp_path, b"\xef\xbb\xbfid,name\n1,S\xc3\xa9gou\n"))
    assert table.names == ["id", "name"]
    assert table.encoding == "utf-8-sig"
    assert columns(table)["name"] == ["Ségou"]


def test_windows_1252_in_the_head_is_decoded_and_noted(tmp_path, reader_path):
    table = read_text_table(write(tmp_path, b"id,note\r\n1,army\x92s patrol\r\n"))
    assert columns(table)["note"] == ["army’s patrol"]
    assert table.encoding == "cp1252"
    assert any("Windows-1252" in w for w in table.warnings)


def test_windows_1252_found_only_after_the_head_restarts_as_cp1252(tmp_path):
    rows = b"".join(b"%d,plain ascii text\n" % i for i in range(80_000))  # > 1 MB
    data = b"id,note\n" + rows + b"80000,caf\xe9\n"
    table = read_text_table(write(tmp_path, data))
    assert table.rows_read == 80_001
    assert table.encoding == "cp1252"
    assert columns(table)["note"][-1] == "café"


def test_trailing_extra_field_on_every_row_is_tolerated(tmp_path, reader_path):
    table = read_text_table(write(tmp_path, b"a,b,c\n1,2,3,\n4,5,6,\n"))
    assert table.names == ["a", "b", "c"]
    assert columns(table)["c"] == ["3", "6"]
    assert table.bad_rows == []
    assert any("extra empty field" in w for w in table.warnings)


@pytest.mark.parametrize(
    "data",
    [b"a,b,c,,,\n1,2,3,,,\n4,5,6,,,\n", b"a,b,c,,,\n1,2,3\n4,5,6\n"],
    ids=["padded rows", "short rows"],
)
def test_blank_trailing_header_columns_are_dropped(tmp_path, data, reader_path):
    table = read_text_table(write(tmp_path, data))
    assert table.names == ["a", "b", "c"]
    assert table.rows_read == 2 and not table.bad_rows


def test_hxl_row_is_skipped_and_not_counted(tmp_path, reader_path):
    data = b"id;date\n#event+code;#date+occurred\n1;2023-09-07\n2;bad\n"
    table = read_text_table(write(tmp_path, data))
    assert table.rows_read == 2
    assert all_lines(table) == [3, 4]


def test_header_only_and_empty_files(tmp_path):
    table = read_text_table(write(tmp_path, b"a,b,c\n"))
    assert table.rows_read == 0 and table.names == ["a", "b", "c"]
    with pytest.raises(FormatError, match="empty"):
        read_text_table(write(tmp_path, b""))
    with pytest.raises(FormatError, match="binary"):
        read_text_table(write(tmp_path, b"PK\x03\x04\x00\x00garbage"))


def test_truncated_quoted_field_keeps_what_is_there(tmp_path, reader_path):
    table = read_text_table(write(tmp_path, b'a,b\n1,2\n3,"unterminated\n'))
    assert table.rows_read == 2
    assert columns(table)["a"] == ["1", "3"]


def test_progress_reaches_one_and_cancel_stops(tmp_path, monkeypatch):
    monkeypatch.setattr(text_parse, "BLOCK_BYTES", 1 << 14)  # ~350 blocks
    rows = b"".join(b"%d,some text for the row\n" % i for i in range(200_000))
    path = write(tmp_path, b"id,note\n" + rows)
    seen: list[float] = []
    read_text_table(path, progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen) and len(seen) > 2
    # Passed on in steps, not once per block (each report crosses threads in the GUI).
    steps = np.diff(seen)
    assert (steps[:-1] >= 0.01).all()
    with pytest.raises(LoadCancelled):
        read_text_table(path, cancelled=lambda: True)


# -- dates -----------------------------------------------------------------------------------
def iso(values: np.ndarray) -> list[str]:
    return [str(v)[:10] if not np.isnat(v) else "NaT" for v in values]


def test_date_spellings():
    values, _, warnings = parse_date_strings(
        [
            "31 December 2020",
            "2020-12-31",
            "2023-09-07 00:00:00.000",
            "25-Aug-03",
            "06-Jan-97",
            "7 Sep 2023",
            "",
            "someday",
        ]
    )
    assert iso(values) == [
        "2020-12-31",
        "2020-12-31",
        "2023-09-07",
        "2003-08-25",
        "1997-01-06",
        "2023-09-07",
        "NaT",
        "NaT",
    ]
    assert warnings == []


def test_two_digit_year_pivot_is_posix():
    values, _, _ = parse_date_strings(["01-Jan-68", "01-Jan-69", "01-Jan-00", "01-Jan-99"])
    assert iso(values) == ["2068-01-01", "1969-01-01", "2000-01-01", "1999-01-01"]
    assert _dates.TWO_DIGIT_YEAR_PIVOT == 69


def test_slash_dates_day_or_month_first_from_the_whole_column():
    values, order, _ = parse_date_strings(["05/01/2016", "29/12/2015"], MONTH_FIRST)
    assert order == DAY_FIRST and iso(values) == ["2016-01-05", "2015-12-29"]
    values, order, _ = parse_date_strings(["10/06/2023 00:00:00", "09/17/2023 00:00:00"])
    assert order == MONTH_FIRST and iso(values) == ["2023-10-06", "2023-09-17"]


def test_ambiguous_slash_dates_use_the_readers_default_and_say_so():
    values, order, warnings = parse_date_strings(["05/01/2016"], MONTH_FIRST)
    assert order == MONTH_FIRST and iso(values) == ["2016-05-01"]
    assert warnings and "ambiguous" in warnings[0]
    assert slash_order(["12/01/2016"], DAY_FIRST)[0] == DAY_FIRST


def test_dates_are_parsed_once_per_distinct_value(monkeypatch):
    import pyarrow as pa

    seen: list[int] = []
    real = _dates.parse_date_strings

    def spy(uniques, default_order=DAY_FIRST):
        seen.append(len(uniques))
        return real(uniques, default_order)

    monkeypatch.setattr(_dates, "parse_date_strings", spy)
    column = pa.chunked_array([pa.array(["07 September 2023", "08 September 2023"] * 5000)])
    parsed = _dates.parse_dates(column)
    assert seen == [2]
    assert not parsed.bad.any() and len(parsed.values) == 10_000


@pytest.mark.parametrize("encoded", [False, True], ids=["plain", "dictionary"])
def test_numbers_blank_is_unknown_and_text_is_flagged(encoded):
    import pyarrow as pa

    cells = pa.array(["12", "", " 3 ", "unknown", "0", "inf", "n/a"])
    column = pa.chunked_array([cells.dictionary_encode() if encoded else cells])
    values, bad = _columns.to_float(column)
    assert np.isnan(values[[1, 3, 5, 6]]).all()
    assert list(values[[0, 2, 4]]) == [12.0, 3.0, 0.0]
    assert list(bad) == [False, False, False, True, False, False, False]


def test_numbers_all_valid_take_the_fast_path():
    import pyarrow as pa

    values, bad = _columns.to_float(pa.chunked_array([pa.array(["1.5", "-2", "0"])]))
    assert list(values) == [1.5, -2.0, 0.0] and not bad.any()


def test_categorical_values_are_stripped_and_blanks_missing():
    import pyarrow as pa

    column = pa.chunked_array([pa.array(["Mali", " Mali", "", "Gao ", "Mali"]).dictionary_encode()])
    values = _columns.stripped_categorical(column)
    as_list = [v if isinstance(v, str) else None for v in values.astype(object)]
    assert as_list == ["Mali", "Mali", None, "Gao", "Mali"]
    assert sorted(values.categories) == ["Gao", "Mali"]
    clean = _columns.stripped_categorical(pa.chunked_array([pa.array(["b", "a", "b"])]))
    assert list(clean) == ["b", "a", "b"]


def test_column_names_are_matched_loosely_but_kept_as_spelled():
    names = ["EVENT_ID_CNTY", "Date Start", "side-a", "ALLY_ACTOR_1", "event_id_cnty"]
    found = _columns.normalise_names(names, {"ally_actor_1": "assoc_actor_1"})
    assert found == {
        "event_id_cnty": "EVENT_ID_CNTY",  # the first spelling wins
        "date_start": "Date Start",
        "side_a": "side-a",
        "assoc_actor_1": "ALLY_ACTOR_1",
    }


def test_a_cell_larger_than_a_parse_block_is_read_whole(tmp_path):
    big = b"x" * (text_parse.BLOCK_BYTES * 2)
    data = b'id,notes\n1,"' + big + b'"\n2,short\n'
    table = read_text_table(write(tmp_path, data))
    assert table.rows_read == 2
    assert len(columns(table)["notes"][0]) == len(big)
    assert all_lines(table) == [2, 3]


def test_old_mac_line_endings(tmp_path, reader_path):
    table = read_text_table(write(tmp_path, b"id,date\r1,2023-09-07\r2,2023-09-08\r"))
    assert columns(table)["id"] == ["1", "2"]
    assert all_lines(table) == [2, 3]


def test_joined_text_keeps_every_row_and_leaves_missing_parts_out():
    import pandas as pd

    kinds = pd.Categorical(["Battles", None, "Riots", None])
    places = pd.Categorical([None, None, "Gao", "Bamba"])
    joined = _columns.join_text([kinds, places], " — ")
    assert len(joined) == 4
    assert [v if isinstance(v, str) else None for v in joined] == [
        "Battles",
        None,
        "Riots — Gao",
        "Bamba",
    ]


def test_an_odd_date_does_not_spoil_the_batch():
    values, _, _ = parse_date_strings(
        ["2023-09-07T10:00:00Z", "2023-09-07T23:30:00+02:00", "2023-09-07", "0001-01-01"]
    )
    # Offsets are dropped (the time as written is kept); out-of-range years are unknown.
    assert [str(v) for v in values] == [
        "2023-09-07T10:00:00.000000000",
        "2023-09-07T23:30:00.000000000",
        "2023-09-07T00:00:00.000000000",
        "NaT",
    ]


def test_a_repeated_or_blank_header_name_is_made_unique_as_in_a_workbook(tmp_path):
    """One rule for every container (base.dedupe_header): a CSV names its columns as the
    same header in an XLSX or JSON file would."""
    from timeline_app.formats.base import dedupe_header

    path = write(tmp_path, b"date,actor,actor,,note\n2023-01-01,a,b,c,d\n")
    table = read_text_table(path)
    assert table.names == ["date", "actor", "actor.2", "column_4", "note"]
    assert table.names == dedupe_header(["date", "actor", "actor", "", "note"])


def test_a_headerless_layout_reads_every_line_as_data_and_rejects_short_ones(tmp_path):
    path = write(tmp_path, b'1\t"x\t2023\n2\ty\t2024\n3\tz\n')
    table = read_text_table(path, delimiter="\t", names=["id", "what", "year"], quoting=False)
    assert table.names == ["id", "what", "year"]
    assert columns(table)["what"] == ['"x', "y"]  # a quote is a character here
    assert table.bad_row_lines() == [3] and table.rows_read == 3
