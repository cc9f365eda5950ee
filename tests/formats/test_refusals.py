"""A file that is no table is refused saying what was found, with details (issue 18 #11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.formats import registry
from timeline_app.formats.base import FormatError


def _refusal(path: Path) -> FormatError:
    with pytest.raises(FormatError) as caught:
        registry.plan_open(path)
    with pytest.raises(FormatError) as loaded:
        registry.load(path)
    assert str(loaded.value) == str(caught.value)  # the command line says the same
    return caught.value


def test_an_empty_file_is_said_to_be_empty(tmp_path: Path):
    path = tmp_path / "nothing.csv"
    path.write_bytes(b"")
    err = _refusal(path)
    assert str(err) == "nothing.csv: the file is empty (0 bytes)"
    assert "map its columns" not in str(err)
    assert "Size: 0 bytes" in err.details


def test_a_binary_file_is_said_not_to_be_text(tmp_path: Path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    err = _refusal(path)
    assert str(err) == "photo.csv: not text: the file holds a PNG image, not a table"
    assert "First bytes: 89 50 4e 47" in err.details
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\x00\x01\x02 not a table")
    assert "not text: the file holds binary data" in str(_refusal(garbage))


def test_a_text_without_a_header_row_says_so(tmp_path: Path):
    path = tmp_path / "letter.txt"
    path.write_text("Dear colleague\nplease find the events attached\n", encoding="utf-8")
    err = _refusal(path)
    assert str(err).startswith("letter.txt: no header: the first line is not a row of column")
    assert "'Dear colleague'" in str(err)
    assert "First line: 'Dear colleague'" in err.details
    assert "Readers' confidence:" in err.details


def test_a_header_without_rows_says_so(tmp_path: Path):
    path = tmp_path / "empty_table.csv"
    path.write_text("when;what;who\n", encoding="utf-8")
    err = _refusal(path)
    assert str(err) == "empty_table.csv: has a header but no rows: nothing to open"
    assert "Columns (3): when, what, who" in err.details


def test_a_known_layout_with_a_header_only_still_opens_with_no_events(tmp_path: Path):
    path = tmp_path / "acled_empty.csv"
    path.write_text("event_id_cnty,event_date,actor1,fatalities\n", encoding="utf-8")
    assert registry.plan_open(path).format == "acled"
    assert len(registry.load(path).events) == 0


def test_an_unknown_table_with_rows_is_offered_the_mapping(tmp_path: Path):
    path = tmp_path / "mine.csv"
    path.write_text("when;what\n2023-09-07;Attack\n", encoding="utf-8")
    plan = registry.plan_open(path)
    assert plan.needs_mapping and plan.preview is not None
    assert plan.preview.header == ["when", "what"] and len(plan.preview.frame) == 1
