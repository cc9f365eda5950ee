"""The detail pane's "Likely the same as" section: a matched event beside its counterpart
in the other dataset (dates, place, distance, actors, each dataset's fatalities with its
source), and the runners-up ("also possible"). Nothing is merged: each side is shown as
its source wrote it."""

from __future__ import annotations

import html

import numpy as np

from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.matched import MATCHED_MODES, Found
from timeline_app.model.state import AppState
from timeline_app.ui.detail_pane import _known, _text, coordinates_text, place_text
from timeline_app.ui.formatting import UNKNOWN, format_fatalities, format_span
from timeline_app.ui.theme import muted_text_colour

ALSO_SHOWN = 5


def _side(state: AppState, row: int) -> dict[str, str]:
    ev = state.table.df.iloc[row]
    actors = [str(ev[c]) for c in ("actor1", "actor2") if _known(ev[c])]
    return {
        "When": format_span(ev["start"], ev["end"], ev["date_precision"], bool(ev["ongoing"])),
        "Where": place_text(ev),
        "Coordinates": coordinates_text(ev),
        "Actors": " vs ".join(actors) or UNKNOWN,
        "Fatalities": format_fatalities(
            ev["fatalities"], ev["fatalities_low"], ev["fatalities_high"]
        ),
        "Source": _text(ev["source"]),
    }


def _days(days: float) -> str:
    """The gap between two spans: "same days" when they overlap."""
    if days == 0:
        return "overlapping dates"
    return f"{days:g} day{'s' if days != 1 else ''} apart"


def _candidates_of(found: Found, row: int) -> np.ndarray:
    result = found.result
    return np.flatnonzero((result.a_rows == row) | (result.b_rows == row))


def counterpart_html(state: AppState, row: int) -> str:
    """The section for ``row`` ("" when no pairs were looked for)."""
    found = state.match()
    if found is None:
        return ""
    esc = html.escape
    result = found.result
    mine = _candidates_of(found, row)
    paired = [k for k in mine if result.taken[k]]
    head = "<p><b>Likely the same as</b>"
    if not paired:
        body = f"{head}<br><span style='color:gray'>no event of the other dataset by the rule"
        body += f" (D = {result.rule.days:g} days, K = {result.rule.km:g} km)</span></p>"
        return body + _also_html(state, found, row, mine)
    k = paired[0]
    other = int(result.b_rows[k] if result.a_rows[k] == row else result.a_rows[k])
    this, that = _side(state, row), _side(state, other)
    muted = muted_text_colour()
    cells = "".join(
        f"<tr><td style='color:{muted};padding-right:6px;white-space:nowrap' valign='top'>"
        f"<b>{esc(label)}</b></td>"
        f"<td style='padding-right:8px' valign='top'>{esc(this[label])}</td>"
        f"<td valign='top'>{esc(that[label])}</td></tr>"
        for label in this
    )
    measure = f"{result.km[k]:.1f} km apart, {_days(result.days[k])}; score {result.score[k]:.3f}"
    that_set = state.table.dataset_of(other)[0].name
    that_id = str(state.table.df["id"].iloc[other])
    return (
        f"{head}: <a href='event:{other}'>{esc(that_set)} event {esc(that_id)}</a>"
        f"<br><span style='color:gray'>{esc(measure)}</span></p>"
        f"<table><tr><td></td><td><b>This event</b></td><td><b>Other dataset</b></td></tr>"
        f"{cells}</table>" + _also_html(state, found, row, [c for c in mine if c != k])
    )


def _also_html(state: AppState, found: Found, row: int, others: list | np.ndarray) -> str:
    result = found.result
    also = [k for k in others if not result.taken[k]]
    if not also:
        return ""
    also.sort(key=lambda k: result.score[k])
    esc = html.escape
    df = state.table.df
    items = []
    for k in also[:ALSO_SHOWN]:
        other = int(result.b_rows[k] if result.a_rows[k] == row else result.a_rows[k])
        dataset, _local = state.table.dataset_of(other)
        items.append(
            f"<li><a href='event:{other}'>{esc(dataset.name)} {esc(str(df['id'].iloc[other]))}</a>"
            f" <span style='color:gray'>({result.km[k]:.1f} km, {_days(result.days[k])}; "
            f"score {result.score[k]:.3f})</span></li>"
        )
    more = f" — {len(also) - ALSO_SHOWN} more" if len(also) > ALSO_SHOWN else ""
    return f"<p><b>Also possible</b> ({len(also)}{more})</p><ul>{''.join(items)}</ul>"


def match_chips(spec: FilterSpec) -> list[tuple[str, dict[str, object]]]:
    """Chips for the filter fields of this issue: (label, the changes that remove it)."""
    chips: list[tuple[str, dict[str, object]]] = []
    if spec.matched:
        chips.append((MATCHED_MODES[spec.matched].replace(" Only", ""), {"matched": ""}))
    if spec.actors and not spec.actor_aliases:
        chips.append(("Raw actor names only", {"actor_aliases": True}))
    if spec.actors and spec.actor_aliases and spec.include_uncertain_actors:
        chips.append(("With uncertain attributions", {"include_uncertain_actors": False}))
    return chips
