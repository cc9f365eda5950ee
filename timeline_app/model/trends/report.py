"""A before-and-after comparison as files: the weekly series and the summary table as
CSV, and the provenance sidecar whose command (``timeline-app compare``) writes the
same file again from the data alone."""

from __future__ import annotations

import csv
import io
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from timeline_app.model.dataset import Dataset
from timeline_app.model.events import EventTable
from timeline_app.model.filters import FilterSpec
from timeline_app.model.messages import N_
from timeline_app.model.provenance import (
    PROGRAM,
    area_path,
    header,
    number_text,
    source_arguments,
    source_record,
    spec_arguments,
    why_no_command,
)
from timeline_app.model.trends.compare import CAVEAT, Comparison, iso_day, ratio
from timeline_app.model.trends.series import Series
from timeline_app.model.units import NS_PER_DAY, NS_PER_WEEK

KIND = "timeline-app compare provenance"
#: What a comparison file is: the chart (PNG, SVG, or its numbers as CSV) or the table.
OUTPUTS = ("chart", "table")


@dataclass(frozen=True)
class CompareChoice:
    """Everything that decides a comparison file's content."""

    out: Path
    spec: FilterSpec
    at_ns: int
    weeks: int
    #: The outer ring's radius (km) around the centre of ``spec.near``, or None.
    outer_km: float | None = None
    output: str = "chart"
    title: str = ""


def weekly_csv(result: Comparison, ring: Comparison | None = None) -> str:
    """One line per week: k, its first and last day, its side, and the counts."""
    header = ["week", "start", "last_day", "side", "events", "fatalities", "unknown_fatalities"]
    if ring is not None:
        header += ["ring_events", "ring_fatalities", "ring_unknown_fatalities"]
    lines: list[list[Any]] = [header]
    for i, week in enumerate(result.weekly):
        row: list[Any] = [
            week.week,
            iso_day(week.start_ns),
            iso_day(week.start_ns + NS_PER_WEEK - NS_PER_DAY),
            "before" if week.week < 0 else "after",
            week.events,
            number_text(week.fatalities),
            week.unknown_fatalities,
        ]
        if ring is not None:
            other = ring.weekly[i]
            row += [other.events, number_text(other.fatalities), other.unknown_fatalities]
        lines.append(row)
    return _csv(lines)


def summary_rows(result: Comparison, ring: Comparison | None = None) -> list[list[Any]]:
    """The table shown beside the chart: what, before, after, difference, ratio."""
    rows: list[list[Any]] = []
    for area, comparison in ((N_("area"), result), (N_("outer ring"), ring)):
        if comparison is None:
            continue
        for label, before, after, diff, r in comparison.rows():
            rows.append([area, label, before, after, diff, r])
    for actor in result.actors:
        r = ratio(actor.after, actor.before)
        what = N_("events of {actor}", actor=actor.name)
        rows.append([N_("area"), what, actor.before, actor.after, actor.change, r])
    return rows


def summary_csv(result: Comparison, ring: Comparison | None = None) -> str:
    lines: list[list[Any]] = [["area", "what", "before", "after", "difference", "ratio"]]
    for area, label, before, after, diff, r in summary_rows(result, ring):
        lines.append(
            [
                area,
                label,
                number_text(before),
                number_text(after),
                number_text(diff),
                "" if r is None else f"{r:.3g}",
            ]
        )
    lines.append(["note", CAVEAT, "", "", "", ""])
    return _csv(lines)


def _csv(lines: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    return buffer.getvalue()


def compare_argv(datasets: list[Dataset], choice: CompareChoice) -> list[str] | None:
    """The ``timeline-app compare`` command line that writes ``choice.out`` again."""
    if choice.spec.matched:  # likely-same pairs found in the window: no option says them
        return None
    sources = source_arguments(datasets)
    if sources is None:
        return None
    argv = [PROGRAM, "compare", *sources, *spec_arguments(choice.spec)]
    if choice.spec.within:  # written beside the sidecar by write_provenance
        argv += ["--within", str(area_path(choice.out).resolve())]
    argv += ["--at", iso_day(choice.at_ns), "--weeks", str(choice.weeks)]
    if choice.outer_km is not None:
        argv += ["--outer-ring", number_text(choice.outer_km)]
    if choice.title:
        argv += ["--title", choice.title]
    flag = "--chart" if choice.output == "chart" else "--table"
    return [*argv, flag, str(Path(choice.out).resolve())]


def memory_sources(table: EventTable, mask: np.ndarray) -> list[dict[str, Any]]:
    """The sidecar's ``sources`` of a comparison in memory: each dataset, and how many
    of its events the comparison's filters keep."""
    per_dataset = np.bincount(
        table.dataset_index(np.flatnonzero(mask)), minlength=len(table.datasets)
    )
    return [
        source_record(d, int(per_dataset[k]) if k < len(per_dataset) else 0)
        for k, d in enumerate(table.datasets)
    ]


def compare_provenance(
    datasets: list[Dataset],
    sources: list[dict[str, Any]],
    choice: CompareChoice,
    result: Comparison,
    output_sha256: str | None = None,
) -> dict[str, Any]:
    """The sidecar of a comparison file (``OUT.provenance.json``); ``sources`` are the
    datasets' records (:func:`memory_sources`, or the DuckDB engine's counts)."""
    argv = compare_argv(datasets, choice)
    return {
        **header(KIND),
        "output": {
            "path": str(Path(choice.out).resolve()),
            "what": choice.output,
            "format": Path(choice.out).suffix.lower().lstrip("."),
            "sha256": output_sha256,
        },
        "comparison": {
            **result.as_dict(),
            "outer_ring_km": choice.outer_km,
            "rule": "counted by start date: before [at - 7W days, at), after [at, at + 7W days)",
            "note": CAVEAT,
        },
        "filter": choice.spec.to_dict(),
        "sources": sources,
        "command": shlex.join(argv) if argv else None,
        "argv": argv,
        "command_note": None if argv else _why_none(datasets, choice),
    }


def series_csv(series: Series) -> str:
    """The trends chart's numbers: one line per bin, one column per lane, then the total
    and the events whose toll is unknown (counted apart, never as 0)."""
    what = "events" if series.measure == "events" else "known fatalities"
    header = ["start", "end", *(f"{label} ({what})" for label in series.labels)]
    header += [f"total ({what})", "events with unknown toll"]
    lines: list[list[Any]] = [header]
    unknown, totals = series.bin_unknown(), series.bin_totals()  # each event once
    for k in range(len(series.edges) - 1):
        row: list[Any] = [
            iso_day(int(series.edges[k])),
            iso_day(int(series.edges[k + 1]) - NS_PER_DAY),
        ]
        row += [number_text(float(v)) for v in series.values[:, k]]
        row += [number_text(float(totals[k])), int(unknown[k])]
        lines.append(row)
    return _csv(lines)


def _why_none(datasets: list[Dataset], choice: CompareChoice) -> str:
    if choice.spec.matched:
        return (
            "no command: the events were chosen by likely-same pairs found in the window "
            "(Tools > Show); save a workspace to keep them"
        )
    return why_no_command(datasets)
