"""What hovering says: the event at its date precision, or a histogram bar's totals."""

from __future__ import annotations

from html import escape

import pandas as pd
from PySide6.QtCore import QCoreApplication

from timeline_app.model.timeline import Hit
from timeline_app.model.units import NS_PER_DAY, NS_PER_HOUR, NS_PER_WEEK
from timeline_app.ui.formatting import count, format_date, format_fatalities, format_span
from timeline_app.ui.i18n import category_label
from timeline_app.ui.timeline.source import AnySource


def tooltip_for(source: AnySource, hit: Hit) -> str:
    if hit.kind == "bin" and hit.bin_range is not None:
        return bin_tooltip(source, hit)
    return event_tooltip(source, int(hit.rows[0]), milestone=hit.kind == "milestone")


def event_tooltip(source: AnySource, row: int, milestone: bool = False) -> str:
    df = source.table.df
    rec = df.iloc[row]
    when = format_span(rec["start"], rec["end"], str(rec["date_precision"]), bool(rec["ongoing"]))
    actors = [str(rec[c]) for c in ("actor1", "actor2", "assoc_actors") if not pd.isna(rec[c])]
    untitled = QCoreApplication.translate("Tooltip", "(untitled)")
    lines = [
        f"<b>{escape(str(rec['title']) if not pd.isna(rec['title']) else untitled)}</b>",
        escape(when)
        + (
            " &nbsp;<i>" + QCoreApplication.translate("Tooltip", "milestone") + "</i>"
            if milestone
            else ""
        ),
        f"{escape(category_label(str(rec['category'])))}"
        + (f" · {escape(str(rec['event_type']))}" if not pd.isna(rec["event_type"]) else ""),
        QCoreApplication.translate("Tooltip", "Actors: ")
        + (escape("; ".join(actors)) if actors else "–"),
        QCoreApplication.translate("Tooltip", "Fatalities: ")
        + format_fatalities(rec["fatalities"], rec["fatalities_low"], rec["fatalities_high"]),
        QCoreApplication.translate("Tooltip", "Dataset: ") + escape(str(rec["dataset"])),
    ]
    return "<br>".join(lines)


def bin_tooltip(source: AnySource, hit: Hit) -> str:
    lo, hi = hit.bin_range
    length = hi - lo
    precision = (
        "hour" if length <= NS_PER_HOUR else "day" if length <= NS_PER_DAY else "week" if length <= NS_PER_WEEK
        else "month" if length <= 31 * NS_PER_DAY else "year"
    )  # fmt: skip
    moment = pd.Timestamp(lo)
    label = (
        f"{format_date(moment, 'day')} {moment:%H}:00"
        if precision == "hour"
        else format_date(moment, precision)
    )
    events, fat, unknown = source.bin_totals(hit)
    total = count(round(fat)) if unknown < events else "–"
    totals = QCoreApplication.translate("Tooltip", "{events} events, {total} fatalities")
    text = f"<b>{escape(label)}</b><br>" + totals.format(events=count(events), total=total)
    if unknown:
        text += QCoreApplication.translate("Tooltip", " ({unknown} unknown)").format(
            unknown=count(unknown)
        )
    if not source.selects_bins:
        return text
    click = QCoreApplication.translate("Tooltip", "click to select them")
    return text + f"<br><i>{click}</i>"
