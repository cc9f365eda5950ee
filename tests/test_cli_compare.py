"""``timeline-app compare``: the W weeks before and after a date, against a reference
computed plainly here; the chart and table files, and provenance that reproduces them."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.cli import main
from timeline_app.model.provenance import read_provenance, sidecar_path

HEADER = "id,category,start,end,title,actor1,actor2,latitude,longitude,fatalities\n"
#: (id, start, actor1, lat, lon, fatalities) around DATE = 2023-08-13, W = 2
EVENTS = [
    ("a", "2023-07-29", "FAMa", 16.77, -3.0, "50"),  # the day before the window
    ("b", "2023-07-30", "FAMa", 16.77, -3.0, "2"),  # the first day of "before"
    ("c", "2023-08-05", "JNIM", 16.77, -3.0, ""),  # unknown toll, before
    ("d", "2023-08-12", "JNIM", 16.83, -2.53, "30"),  # the last day before
    ("e", "2023-08-13", "JNIM", 16.77, -3.0, "1"),  # DATE itself: after
    ("f", "2023-08-20", "ISGS", 16.27, -0.04, "0"),  # a known zero, far away (Gao)
    ("g", "2023-08-26", "JNIM", 16.77, -3.0, ""),  # the last day after, unknown toll
    ("h", "2023-08-27", "JNIM", 16.77, -3.0, "9"),  # the day after the window
]


@pytest.fixture
def events_csv(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    lines = [
        f"{i},attack,{day},{day},event {i},{actor},,{lat},{lon},{toll}\n"
        for i, day, actor, lat, lon, toll in EVENTS
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def reference(at: str, weeks: int, keep=lambda event: True) -> dict:
    """The expected JSON, one event at a time, with plain dates."""
    from datetime import date, timedelta

    day0 = date.fromisoformat(at)
    sides = {
        "before": {
            "from": (day0 - timedelta(days=7 * weeks)).isoformat(),
            "to": at,
            "events": 0,
            "fatalities": 0,
            "unknown_fatalities": 0,
        },
        "after": {
            "from": at,
            "to": (day0 + timedelta(days=7 * weeks)).isoformat(),
            "events": 0,
            "fatalities": 0,
            "unknown_fatalities": 0,
        },
    }
    weekly = {
        k: {
            "week": k,
            "start": (day0 + timedelta(days=7 * k)).isoformat(),
            "events": 0,
            "fatalities": 0,
        }
        for k in range(-weeks, weeks)
    }
    for event in EVENTS:
        days = (date.fromisoformat(event[1]) - day0).days
        k = math.floor(days / 7)
        if k not in weekly or not keep(event):
            continue
        side = sides["before" if days < 0 else "after"]
        side["events"] += 1
        weekly[k]["events"] += 1
        if event[5] == "":
            side["unknown_fatalities"] += 1
        else:
            side["fatalities"] += int(event[5])
            weekly[k]["fatalities"] += int(event[5])
    return {"at": at, "weeks": weeks, **sides, "weekly": list(weekly.values())}


def run_json(capsys, *args: str) -> dict:
    assert main(["compare", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_figures_match_a_plain_reference_with_boundary_days_and_unknown_tolls(
    events_csv, capsys
):
    got = run_json(capsys, str(events_csv), "--at", "2023-08-13", "--weeks", "2")
    assert got == reference("2023-08-13", 2)
    assert got["before"]["events"] == 3 and got["before"]["unknown_fatalities"] == 1
    assert got["after"] == {
        "from": "2023-08-13",
        "to": "2023-08-27",
        "events": 3,
        "fatalities": 1,
        "unknown_fatalities": 1,
    }


def test_filters_apply_as_export_takes_them(events_csv, capsys):
    near = "16.77,-3.0,100"  # Timbuktu and Ber, not Gao
    got = run_json(capsys, str(events_csv), "--at", "2023-08-13", "--weeks", "2", "--near", near)
    assert got == reference("2023-08-13", 2, keep=lambda e: e[2] != "ISGS")
    got = run_json(capsys, str(events_csv), "--at", "2023-08-13", "--weeks", "1", "--actor", "JNIM")
    assert got == reference("2023-08-13", 1, keep=lambda e: e[2] == "JNIM")


def test_an_empty_window_is_all_zeros(events_csv, capsys):
    got = run_json(capsys, str(events_csv), "--at", "2020-01-01", "--weeks", "3")
    assert got == reference("2020-01-01", 3)
    assert got["before"]["events"] == got["after"]["events"] == 0
    assert [w["week"] for w in got["weekly"]] == [-3, -2, -1, 0, 1, 2]


def test_text_output_says_the_ratio_the_actors_and_that_it_is_no_causal_estimate(
    events_csv, capsys
):
    assert main(["compare", str(events_csv), "--at", "2023-08-13", "--weeks", "2"]) == 0
    out = capsys.readouterr().out
    assert "not a causal estimate" in out
    assert "events                             3       3      +0    1.00" in out
    assert "ISGS: 0 → 1 (+1)" in out


def test_chart_and_table_files_with_provenance_that_reproduces_them(events_csv, tmp_path):
    chart, table = tmp_path / "weekly.csv", tmp_path / "table.csv"
    png, svg = tmp_path / "chart.png", tmp_path / "chart.svg"
    base = [str(events_csv), "--at", "2023-08-13", "--weeks", "2", "--near", "16.77,-3.0,20"]
    ring = ["--outer-ring", "100"]
    assert main(["compare", *base, *ring, "--chart", str(chart), "--table", str(table)]) == 0
    assert main(["compare", *base, "--chart", str(png)]) == 0
    assert main(["compare", *base, "--chart", str(svg)]) == 0
    rows = list(csv.DictReader(chart.open(encoding="utf-8")))
    assert [r["week"] for r in rows] == ["-2", "-1", "0", "1"]
    # Within 20 km: b, c before (week -2, -2), e, g after; Ber (d, ~50 km) is in the ring.
    assert [r["events"] for r in rows] == ["2", "0", "1", "1"]
    assert [r["ring_events"] for r in rows] == ["0", "1", "0", "0"]
    assert rows[0]["unknown_fatalities"] == "1" and rows[0]["fatalities"] == "2"
    summary = list(csv.reader(table.open(encoding="utf-8")))
    assert ["outer ring", "events", "1", "0", "-1", "0"] in summary
    assert summary[-1][0] == "note" and "not a causal estimate" in summary[-1][1]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    assert "<svg" in svg.read_text(encoding="utf-8")
    for out in (chart, table):
        data = read_provenance(sidecar_path(out))
        assert data["kind"] == "timeline-app compare provenance"
        assert data["comparison"]["at"] == "2023-08-13" and data["filter"]["near"]
        argv = data["argv"]
        assert argv[:2] == ["timeline-app", "compare"]
        again = tmp_path / f"again-{out.name}"
        argv = [*argv[1:]]
        argv[-1] = str(again)
        assert main(argv) == 0
        assert again.read_bytes() == out.read_bytes()


def test_the_sample_around_timbuktu_says_where_the_data_stop(capsys):
    args = [str(CONTEXT_CSV), str(UCDP_SAMPLE), "--at", "2023-08-13", "--weeks", "12"]
    assert main(["compare", *args, "--near", "16.7705,-3.0056,100"]) == 0
    out = capsys.readouterr().out
    assert "starts on 2023-07-17: weeks outside its dates are empty" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weeks", "0"], "--weeks 0"),
        (["--weeks", "2", "--outer-ring", "50"], "needs a distance filter"),
        (["--weeks", "2", "--chart", "out.pdf"], "a .png, .svg or .csv"),
        (["--weeks", "2", "--near", "16,-3,100", "--outer-ring", "50"], "must be wider"),
    ],
)
def test_mistakes_get_one_line(events_csv, capsys, args, message):
    assert main(["compare", str(events_csv), "--at", "2023-08-13", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
