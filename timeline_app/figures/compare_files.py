"""A comparison's files: the chart (PNG, SVG, or its numbers as CSV) or the summary
table, each with the provenance sidecar whose command writes it again. The window's
export and ``timeline-app compare`` both write through here."""

from __future__ import annotations

from typing import Any

import pandas as pd

from timeline_app.figures.compare_chart import ChartText, save_chart
from timeline_app.model.atomic import atomic_write_text
from timeline_app.model.dataset import Dataset, file_sha256
from timeline_app.model.messages import N_
from timeline_app.model.provenance import write_provenance
from timeline_app.model.spatial import spatial_labels
from timeline_app.model.trends import Comparison
from timeline_app.model.trends.report import (
    CompareChoice,
    compare_provenance,
    summary_csv,
    weekly_csv,
)
from timeline_app.translate import message


def write_comparison(
    datasets: list[Dataset],
    sources: list[dict[str, Any]],
    choice: CompareChoice,
    result: Comparison,
    ring: Comparison | None,
    provenance: bool = True,
) -> None:
    """Write one comparison file and (unless told not to) its provenance sidecar, whose
    ``sources`` are the datasets' records (model/trends/report.memory_sources, or the
    DuckDB engine's: storage/duck/compare.py)."""
    out = choice.out
    if choice.output == "table":
        atomic_write_text(out, summary_csv(result, ring))
    elif out.suffix.lower() == ".csv":
        atomic_write_text(out, weekly_csv(result, ring))
    else:
        save_chart(out, result, chart_text(datasets, choice, result), ring)
    if provenance:
        data = compare_provenance(datasets, sources, choice, result, file_sha256(out))
        write_provenance(out, data)


def chart_text(datasets: list[Dataset], choice: CompareChoice, result: Comparison) -> ChartText:
    """The chart's title, subtitle and footer (the data's citations)."""
    title = N_(
        "{weeks} weeks before and after {day}", weeks=result.weeks, day=pretty_day(result.at_ns)
    )
    if choice.title:  # the weeks come first: nothing to lower-case after the colon
        title = N_("{title}: {comparison}", title=choice.title, comparison=title)
    where = [message(label) for _key, label in spatial_labels(choice.spec)]
    subtitle = "; ".join(where) if where else message(N_("All places"))
    if choice.outer_km is not None:
        subtitle += message(N_("; outer ring to {km:g} km", km=choice.outer_km))
    cites = [message(N_("Data: {citation}", citation=d.citation)) for d in datasets if d.citation]
    title = message(title)  # in the interface's language (English on the command line)
    return ChartText(title=title, subtitle=subtitle, date_label=choice.title, footer=cites)


def pretty_day(ns: int) -> str:
    """13 August 2023 (for a title; ISO dates stay in the files' numbers)."""
    stamp = pd.Timestamp(int(ns))
    return N_("{day} {month} {year}", day=stamp.day, month=MONTHS[stamp.month - 1], year=stamp.year)


#: Month names for a title (strftime's follow the C locale, not the interface).
MONTHS = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip
