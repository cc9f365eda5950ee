"""A comparison's files: the chart (PNG, SVG, or its numbers as CSV) or the summary
table, each with the provenance sidecar whose command writes it again. The window's
export and ``timeline-app compare`` both write through here."""

from __future__ import annotations

import numpy as np
import pandas as pd

from timeline_app.figures.compare_chart import ChartText, save_chart
from timeline_app.model.atomic import atomic_write_text
from timeline_app.model.dataset import file_sha256
from timeline_app.model.events import EventTable
from timeline_app.model.provenance import write_provenance
from timeline_app.model.spatial import spatial_labels
from timeline_app.model.trends import Comparison
from timeline_app.model.trends.report import (
    CompareChoice,
    compare_provenance,
    summary_csv,
    weekly_csv,
)


def write_comparison(
    table: EventTable,
    mask: np.ndarray,
    choice: CompareChoice,
    result: Comparison,
    ring: Comparison | None,
    provenance: bool = True,
) -> None:
    """Write one comparison file and (unless told not to) its provenance sidecar."""
    out = choice.out
    if choice.output == "table":
        atomic_write_text(out, summary_csv(result, ring))
    elif out.suffix.lower() == ".csv":
        atomic_write_text(out, weekly_csv(result, ring))
    else:
        save_chart(out, result, chart_text(table, choice, result), ring)
    if provenance:
        data = compare_provenance(table, mask, choice, result, file_sha256(out))
        write_provenance(out, data)


def chart_text(table: EventTable, choice: CompareChoice, result: Comparison) -> ChartText:
    """The chart's title, subtitle and footer (the data's citations)."""
    title = f"{result.weeks} weeks before and after {pretty_day(result.at_ns)}"
    if choice.title:
        title = f"{choice.title}: {title[0].lower()}{title[1:]}"
    where = [label for _key, label in spatial_labels(choice.spec)]
    subtitle = "; ".join(where) if where else "All places"
    if choice.outer_km is not None:
        subtitle += f"; outer ring to {choice.outer_km:g} km"
    cites = [f"Data: {d.citation}" for d in table.datasets if d.citation]
    return ChartText(title=title, subtitle=subtitle, date_label=choice.title, footer=cites)


def pretty_day(ns: int) -> str:
    """13 August 2023 (for a title; ISO dates stay in the files' numbers)."""
    stamp = pd.Timestamp(int(ns))
    return f"{stamp.day} {stamp.strftime('%B %Y')}"
