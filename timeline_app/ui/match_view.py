"""The detail pane's "Likely the same as" section: a matched event beside its counterpart
in the other dataset (dates, place, distance, actors, each dataset's fatalities with its
source), and the runners-up ("also possible"). Nothing is merged: each side is shown as
its source wrote it."""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication

from timeline_app.model.events import EventTable
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.matching import MatchResult
from timeline_app.model.state import AppState
from timeline_app.ui import i18n
from timeline_app.ui.detail_pane import _known, coordinates_text, place_text, source_text
from timeline_app.ui.formatting import UNKNOWN, format_fatalities, format_number, format_span
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP
from timeline_app.ui.theme import muted_text_colour

ALSO_SHOWN = 5
#: The chip of each Tools > Show mode (model/matched.py MATCHED_MODES, without "Only").
CHIP_LABELS = {
    "": QT_TRANSLATE_NOOP("MatchView", "All Events"),
    "matched": QT_TRANSLATE_NOOP("MatchView", "Matched Events"),
    "unmatched": QT_TRANSLATE_NOOP("MatchView", "Unmatched Events"),
    "no_second": QT_TRANSLATE_NOOP("MatchView", "Leave Out the Second Dataset's Matched Events"),
}


def _side(ev: pd.Series) -> dict[str, str]:
    """What the section shows of one event (a row of the events' columns)."""
    actors = [str(ev[c]) for c in ("actor1", "actor2") if _known(ev[c])]
    versus = QCoreApplication.translate("EventDetails", " vs ")
    return {
        QCoreApplication.translate("EventDetails", "When"): format_span(
            ev["start"], ev["end"], ev["date_precision"], bool(ev["ongoing"])
        ),
        QCoreApplication.translate("EventDetails", "Where"): place_text(ev),
        QCoreApplication.translate("EventDetails", "Coordinates"): coordinates_text(ev),
        QCoreApplication.translate("EventDetails", "Actors"): versus.join(actors) or UNKNOWN,
        QCoreApplication.translate("EventDetails", "Fatalities"): format_fatalities(
            ev["fatalities"], ev["fatalities_low"], ev["fatalities_high"]
        ),
        QCoreApplication.translate("EventDetails", "Source"): source_text(ev["source"]),
    }


def _days(days: float) -> str:
    """The gap between two spans: "same days" when they overlap."""
    if days == 0:
        return QCoreApplication.translate("MatchView", "overlapping dates")
    if days == 1:
        return QCoreApplication.translate("EventDetails", "1 day apart")
    return QCoreApplication.translate("EventDetails", "{days} days apart").format(
        days=format_number(days)
    )


def _candidates_of(result: MatchResult, row: int) -> np.ndarray:
    return np.flatnonzero((result.a_rows == row) | (result.b_rows == row))


def counterpart_html(state: AppState, row: int) -> str:
    """The section for ``row`` ("" when no pairs were looked for)."""
    found = state.match()
    if found is None:
        return ""
    df = state.table.df
    return pair_html(
        state.table, found.result, row, df.iloc[row], lambda r: df.iloc[r], lambda r: f"event:{r}"
    )


def pair_html(
    table: EventTable,
    result: MatchResult,
    row: int,
    event: pd.Series,
    event_of: Callable[[int], pd.Series],
    link: Callable[[int], str],
) -> str:
    """The section for ``row`` of ``table`` (the matched rows; -1: in neither dataset):
    ``event`` is its event, ``event_of`` gives its partner's, ``link`` a row's link target
    (memory: ``event:`` the row; DuckDB: ``key:`` the engine's key)."""
    esc = html.escape
    mine = _candidates_of(result, row)
    paired = [k for k in mine if result.taken[k]]
    head = "<p><b>" + QCoreApplication.translate("MatchView", "Likely the same as") + "</b>"
    if not paired:
        none = QCoreApplication.translate(
            "MatchView", "no event of the other dataset by the rule (D = {days} days, K = {km} km)"
        ).format(days=format_number(result.rule.days), km=format_number(result.rule.km))
        body = f"{head}<br><span style='color:gray'>{none}</span></p>"
        return body + _also_html(table, result, row, mine, link)
    k = paired[0]
    other = int(result.b_rows[k] if result.a_rows[k] == row else result.a_rows[k])
    this, that = _side(event), _side(event_of(other))
    muted = muted_text_colour()
    cells = "".join(
        f"<tr><td style='color:{muted};padding-right:6px;white-space:nowrap' valign='top'>"
        f"<b>{esc(label)}</b></td>"
        f"<td style='padding-right:8px' valign='top'>{esc(this[label])}</td>"
        f"<td valign='top'>{esc(that[label])}</td></tr>"
        for label in this
    )
    measure = QCoreApplication.translate(
        "MatchView", "{km} km apart, {days}; score {score}"
    ).format(km=_km(result.km[k]), days=_days(result.days[k]), score=_score(result.score[k]))
    that_set = table.dataset_of(other)[0].name
    that_id = str(table.df["id"].iloc[other])
    return (
        f"{head}: <a href='{link(other)}'>"
        + QCoreApplication.translate("MatchView", "{dataset} event {id}").format(
            dataset=esc(that_set), id=esc(that_id)
        )
        + f"</a><br><span style='color:gray'>{esc(measure)}</span></p>"
        "<table><tr><td></td><td><b>"
        + QCoreApplication.translate("MatchView", "This event")
        + "</b></td><td><b>"
        + QCoreApplication.translate("MatchView", "Other dataset")
        + "</b></td></tr>"
        f"{cells}</table>" + _also_html(table, result, row, [c for c in mine if c != k], link)
    )


def _also_html(
    table: EventTable,
    result: MatchResult,
    row: int,
    others: list | np.ndarray,
    link: Callable[[int], str],
) -> str:
    also = [k for k in others if not result.taken[k]]
    if not also:
        return ""
    also.sort(key=lambda k: result.score[k])
    esc = html.escape
    df = table.df
    items = []
    for k in also[:ALSO_SHOWN]:
        other = int(result.b_rows[k] if result.a_rows[k] == row else result.a_rows[k])
        dataset, _local = table.dataset_of(other)
        items.append(
            f"<li><a href='{link(other)}'>{esc(dataset.name)} {esc(str(df['id'].iloc[other]))}</a>"
            " <span style='color:gray'>("
            + QCoreApplication.translate("MatchView", "{km} km, {days}; score {score}").format(
                km=_km(result.km[k]), days=_days(result.days[k]), score=_score(result.score[k])
            )
            + ")</span></li>"
        )
    more = (
        QCoreApplication.translate("MatchView", " — {count} more").format(
            count=len(also) - ALSO_SHOWN
        )
        if len(also) > ALSO_SHOWN
        else ""
    )
    title = QCoreApplication.translate("MatchView", "Also possible")
    return f"<p><b>{title}</b> ({len(also)}{more})</p><ul>{''.join(items)}</ul>"


def _km(km: float) -> str:
    return format_number(round(float(km), 1)) if i18n.language() != "en" else f"{km:.1f}"


def _score(score: float) -> str:
    text = f"{score:.3f}"
    return text if i18n.language() == "en" else text.replace(".", i18n.locale().decimalPoint())


def match_chips(spec: FilterSpec) -> list[tuple[str, dict[str, object]]]:
    """Chips for the filter fields of this issue: (label, the changes that remove it)."""
    chips: list[tuple[str, dict[str, object]]] = []
    if spec.matched:
        label = QCoreApplication.translate("MatchView", CHIP_LABELS[spec.matched])
        chips.append((label, {"matched": ""}))
    if spec.actors and not spec.actor_aliases:
        chips.append(
            (
                QCoreApplication.translate("MatchView", "Raw actor names only"),
                {"actor_aliases": True},
            )
        )
    if spec.actors and spec.actor_aliases and spec.include_uncertain_actors:
        chips.append(
            (
                QCoreApplication.translate("MatchView", "With uncertain attributions"),
                {"include_uncertain_actors": False},
            )
        )
    return chips
