"""Truncated, garbled and random files: a one-line FormatError or a load whose counts add up."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from timeline_app.formats.inspect import inspect_file
from timeline_app.formats.registry import FormatError, load

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = [
    FIXTURES / name
    for name in (
        "acled_current.csv",
        "acled_allafrica_2016.csv",
        "acled_hdx.csv",
        "acled_monadic.csv",
        "acled_bad_rows.csv",
    )
]
UCDP = Path(__file__).resolve().parents[2] / "data" / "ucdp_ged251_mali_jnim_2023H2.csv"
if UCDP.exists():
    SEEDS.append(UCDP)
SEED_BYTES = [p.read_bytes()[:6000] for p in SEEDS]

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_outcome(data: bytes, fmt: str | None = None) -> None:
    """Whatever the bytes, loading ends in a Dataset that balances or a one-line FormatError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        try:
            dataset = load(path, fmt)
        except FormatError as err:
            message = str(err)
            assert message and "\n" not in message and "Traceback" not in message
            return
        report = dataset.report
        assert report.events + report.rows_merged + report.rows_rejected == report.rows_read
        assert report.events == len(dataset.events)
        if dataset.originals is not None:
            assert len(dataset.originals) == len(dataset.events)
        info = inspect_file(path, fmt)
        assert info["events"] + info["rows_merged"] + info["rows_rejected"] == info["rows_read"]


@st.composite
def mangled(draw) -> bytes:
    """A real fixture truncated, with bytes flipped, deleted or inserted."""
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    data = data[:cut]
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        if not data:
            break
        pos = draw(st.integers(min_value=0, max_value=len(data) - 1))
        action = draw(st.sampled_from(["flip", "delete", "insert"]))
        junk = draw(
            st.sampled_from([b'"', b",", b";", b"\n", b"\r", b"\t", b"\x92", b"\xff", b"#"])
        )
        if action == "flip":
            data[pos] = draw(st.integers(min_value=1, max_value=255))
        elif action == "delete":
            del data[pos]
        else:
            data[pos:pos] = junk
    return bytes(data)


CSV_CELLS = st.one_of(
    st.text(alphabet=st.sampled_from(list('ab1 9-/,;"\n\r\t#é’')), max_size=12),
    st.sampled_from(["2023-09-07", "07 September 2023", "25-Aug-03", "13/02/2020", "0", ""]),
)


@st.composite
def random_tables(draw) -> bytes:
    """Random CSV with an ACLED- or UCDP-like header and rows of random width."""
    header = draw(
        st.sampled_from(
            [
                "event_id_cnty,event_date,actor1,actor2,fatalities,time_precision",
                "event_id_cnty,event_date,actor1,assoc_actor_1,fatalities",
                "id,date_start,date_end,type_of_violence,side_a,side_b,best,date_prec",
                "a,b,c",
            ]
        )
    )
    width = header.count(",") + 1
    rows = draw(
        st.lists(st.lists(CSV_CELLS, min_size=max(width - 2, 0), max_size=width + 2), max_size=12)
    )
    body = "\n".join(",".join(cells) for cells in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return (header + "\n" + body).encode(encoding, errors="replace")


@FUZZ
@given(data=mangled())
def test_mangled_real_files(data):
    check_outcome(data)


@FUZZ
@given(data=random_tables(), fmt=st.sampled_from([None, "acled", "ucdp"]))
def test_random_tables(data, fmt):
    check_outcome(data, fmt)


@FUZZ
@given(data=st.binary(max_size=2000), fmt=st.sampled_from([None, "acled", "ucdp"]))
def test_random_bytes(data, fmt):
    check_outcome(data, fmt)


@pytest.mark.parametrize("fmt", [None, "acled", "ucdp"])
@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n\n", b"event_id_cnty,event_date\n", b'"', b"\xef\xbb\xbf", b"\x00\x01\x02"],
    ids=["empty", "blank lines", "header only", "lone quote", "bom only", "binary"],
)
def test_degenerate_files(data, fmt):
    check_outcome(data, fmt)


@FUZZ
@given(data=random_tables())
@example(data=b'event_id_cnty,event_date,actor1,actor2,fatalities,time_precision\n,,,,,,"\r')
def test_both_parse_paths_agree_on_rows_and_lines(data):
    """pyarrow and the csv-module fallback see the same rows on the same lines."""
    from unittest import mock

    import numpy as np

    from timeline_app.formats import text_reader

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        try:
            fast = text_reader.read_text_table(path)
        except FormatError:
            return
        with mock.patch.object(text_reader, "read_arrow", lambda *a, **k: None):
            slow = text_reader.read_text_table(path)
        rows = np.arange(fast.table.num_rows)
        assert fast.rows_read == slow.rows_read
        assert fast.table.to_pydict() == slow.table.to_pydict()
        assert list(fast.line_numbers(rows)) == list(slow.line_numbers(rows))
        assert fast.bad_row_lines() == slow.bad_row_lines()


def _reference_fold(rows: list[tuple[str, str, str]]) -> dict[str, tuple]:
    """Plain-Python statement of how actor-based rows fold (what the reader vectorises)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for event_id, actor, allies in rows:
        groups.setdefault(event_id, []).append((actor.strip(), allies))

    def split(value: str) -> list[str]:
        return [p.strip() for p in value.split(";") if p.strip()]

    out = {}
    for event_id, items in groups.items():
        primaries = list(dict.fromkeys(a for a, _ in items if a))
        allies = list(dict.fromkeys(x for _, s in items for x in split(s)))
        if len(items) == 1:
            out[event_id] = (items[0][0] or None, None, ";".join(allies) or None)
            continue
        rest = primaries[2:] + [x for x in allies if x not in primaries]
        out[event_id] = (
            primaries[0] if primaries else None,
            primaries[1] if len(primaries) > 1 else None,
            ";".join(rest) or None,
        )
    return out


ACTOR = st.sampled_from(["A", "B", "C", "", " A "])
ALLIES = st.sampled_from(["", "D", "A", "D; E", "E;D", "B; F"])


@FUZZ
@given(rows=st.lists(st.tuples(st.sampled_from(["X", "Y", "Z"]), ACTOR, ALLIES), max_size=12))
def test_actor_based_folding_matches_the_plain_rule(rows):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["event_id_cnty", "event_date", "event_type", "actor1", "assoc_actor_1"])
    for event_id, actor, allies in rows:
        writer.writerow([event_id, "07 September 2023", "Battles", actor, allies])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "acled_actor_based.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        dataset = load(path, "acled")

    def value(v):
        return v if isinstance(v, str) else None

    got = {
        row["id"]: (value(row["actor1"]), value(row["actor2"]), value(row["assoc_actors"]))
        for row in dataset.events.to_dict("records")
    }
    assert got == _reference_fold(rows)
    assert dataset.report.rows_merged == len(rows) - len(got)


EVENT_TYPES = st.sampled_from(
    ["Battles", "Protests", "Strategic developments", "Riots/Protests", "Unknown kind", ""]
)
SUB_TYPES = st.sampled_from(["", "Armed clash", "Agreement", "Headquarters or base established"])
PLACES = st.sampled_from(["", "Bamba", "Gao", " Gao "])
DATES = st.sampled_from(["07 September 2023", "2023-09-08", "25-Aug-03", "someday", ""])
FATALITIES = st.sampled_from(["", "0", "3", "n/k", " 12 "])


@FUZZ
@given(
    rows=st.lists(
        st.tuples(EVENT_TYPES, SUB_TYPES, PLACES, ALLIES, ALLIES, DATES, FATALITIES),
        min_size=1,
        max_size=10,
    )
)
def test_row_mapping_matches_a_row_by_row_statement(rows):
    """Categories, titles, allies, dates and fatalities, computed per distinct value, equal
    the same rules applied to each row on its own."""
    import csv
    import io
    import math

    from timeline_app.formats._dates import parse_date_strings
    from timeline_app.formats.category_map import acled_category

    header = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
              "actor2", "assoc_actor_1", "assoc_actor_2", "location", "fatalities"]  # fmt: skip
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for i, (kind, sub, place, ally1, ally2, date, dead) in enumerate(rows):
        writer.writerow([f"E{i}", date, kind, sub, "A", "B", ally1, ally2, place, dead])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "acled.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        dataset = load(path, "acled")
    events = {row["id"]: row for row in dataset.events.to_dict("records")}
    for i, (kind, sub, place, ally1, ally2, date, dead) in enumerate(rows):
        parsed = parse_date_strings([date])[0][0]
        if str(parsed) == "NaT":
            assert f"E{i}" not in events
            continue
        event = events[f"E{i}"]
        assert str(event["start"])[:10] == str(parsed)[:10]
        assert event["category"] == acled_category(kind or None, sub or None)
        label = sub.strip() or kind.strip()
        title = " — ".join(x for x in (label, place.strip()) if x) or None
        assert (event["title"] if isinstance(event["title"], str) else None) == title
        allies = [p.strip() for s in (ally1, ally2) for p in s.split(";") if p.strip()]
        joined = ";".join(dict.fromkeys(allies)) or None
        assert (event["assoc_actors"] if isinstance(event["assoc_actors"], str) else None) == joined
        number = dead.strip()
        if number.isdigit():
            assert event["fatalities"] == int(number)
        else:
            assert math.isnan(event["fatalities"])
    report = dataset.report
    assert report.events + report.rows_rejected == report.rows_read == len(rows)


DATE_TEXT = st.one_of(
    st.sampled_from(
        [
            "07 September 2023",
            "2023-09-07",
            "2023-09-07 00:00:00.000",
            "2023-09-07T10:00:00Z",
            "2023-09-07T23:30:00+02:00",
            "25-Aug-03",
            "06-Jan-97",
            "0001-01-01",
            "9999-12-31",
            "2023-02-30",
            "31 Febtember 2020",
            "",
        ]
    ),
    st.text(alphabet=st.sampled_from(list("0123456789-: TZ+aS")), max_size=25),
)


@FUZZ
@given(values=st.lists(DATE_TEXT, max_size=12, unique=True))
def test_a_date_parses_the_same_alone_or_among_others(values):
    """One odd value never spoils the others parsed in the same batch."""
    from timeline_app.formats._dates import parse_date_strings

    together = parse_date_strings(values)[0]
    alone = [parse_date_strings([v])[0][0] for v in values]
    assert [str(x) for x in together] == [str(x) for x in alone]
