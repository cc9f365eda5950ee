"""Everything known about the focused event, formatted for reading and citing.

The pane mirrors AppState: it shows ``state.current`` and says how many events are
selected. Related events are links; clicking one selects it through ``state.select``
(so the table and the timeline follow), never by touching another view.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from timeline_app.model.events import EventTable
from timeline_app.model.related import RELATED_SHOWN, Related, related_events
from timeline_app.model.schema import ACTOR_SEPARATOR
from timeline_app.model.state import AppState
from timeline_app.ui.formatting import (
    UNKNOWN,
    count,
    format_fatalities,
    format_number,
    format_span,
)
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP, category_label, precision_label
from timeline_app.ui.long_text import LongTextDialog, preview
from timeline_app.ui.source_related import RelatedRead
from timeline_app.ui.theme import current_theme, muted_text_colour

PLACE_COLUMNS = ("location", "admin3", "admin2", "admin1", "country")
EMPTY_HINT = QT_TRANSLATE_NOOP("EventDetails", "Select an event in the table or on the timeline.")


# -- the event as plain text (also what "Copy" puts on the clipboard) -----------------------------
def _known(value) -> bool:
    if value is None:
        return False
    try:
        return not pd.isna(value)
    except (TypeError, ValueError):
        return True


def _text(value) -> str:
    return str(value) if _known(value) else UNKNOWN


def source_text(value) -> str:
    """A source list as readers write it: "Amnesty International; Reuters; HRW" (UCDP and
    ACLED join their sources with bare semicolons, which a narrow pane cannot break at, so
    that it cut "The Guardian" in the middle of a word)."""
    if not _known(value):
        return UNKNOWN
    return "; ".join(part.strip() for part in str(value).split(";") if part.strip()) or UNKNOWN


def event_fields(table: EventTable, row: int) -> list[tuple[str, str]]:
    """(label, text) for every canonical field of one event, formatted for reading."""
    ev = table.df.iloc[row]
    precision = _text(ev["date_precision"])
    when = format_span(ev["start"], ev["end"], ev["date_precision"], bool(ev["ongoing"]))
    actors = [_text(ev[c]) for c in ("actor1", "actor2") if _known(ev[c])]
    assoc = (
        ", ".join(p.strip() for p in str(ev["assoc_actors"]).split(ACTOR_SEPARATOR) if p.strip())
        if _known(ev["assoc_actors"])
        else UNKNOWN
    )
    kinds = [str(ev[c]) for c in ("event_type", "sub_event_type") if _known(ev[c])]
    versus = QCoreApplication.translate("EventDetails", " vs ")
    return [
        (
            QCoreApplication.translate("EventDetails", "When"),
            QCoreApplication.translate("EventDetails", "{when} ({precision} precision)").format(
                when=when, precision=precision_label(precision)
            ),
        ),
        (
            QCoreApplication.translate("EventDetails", "Category"),
            category_label(_text(ev["category"])),
        ),
        (QCoreApplication.translate("EventDetails", "Type"), " / ".join(kinds) or UNKNOWN),
        (QCoreApplication.translate("EventDetails", "Actors"), versus.join(actors) or UNKNOWN),
        (QCoreApplication.translate("EventDetails", "Associated"), assoc),
        (QCoreApplication.translate("EventDetails", "Where"), place_text(ev)),
        (QCoreApplication.translate("EventDetails", "Coordinates"), coordinates_text(ev)),
        (
            QCoreApplication.translate("EventDetails", "Fatalities"),
            format_fatalities(ev["fatalities"], ev["fatalities_low"], ev["fatalities_high"]),
        ),
        (QCoreApplication.translate("EventDetails", "Source"), source_text(ev["source"])),
        (QCoreApplication.translate("EventDetails", "Event id"), _text(ev["id"])),
    ]


def place_text(ev: pd.Series) -> str:
    """ "Gao, Gao region, Mali": smallest place first, a name said once even when it
    names the town, the cercle and the region alike."""
    names: list[str] = []
    for column in PLACE_COLUMNS:
        if _known(ev[column]):
            name = str(ev[column]).strip()
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return ", ".join(names) or UNKNOWN


def coordinates_text(ev: pd.Series) -> str:
    lat, lon = ev["latitude"], ev["longitude"]
    if not (_known(lat) and _known(lon)):
        return UNKNOWN
    # Decimal points in every language: coordinates are pasted into GIS tools as they are.
    text = f"{float(lat):.4f}, {float(lon):.4f}"
    if _known(ev["geo_precision"]):
        text += QCoreApplication.translate("EventDetails", " (precision {value})").format(
            value=format_number(ev["geo_precision"])
        )
    return text


def citation_line(table: EventTable, row: int) -> str:
    dataset, _local = table.dataset_of(row)
    event_id = _text(table.df["id"].iloc[row])
    where = (
        QCoreApplication.translate("EventDetails", ", file {name}").format(name=dataset.path.name)
        if dataset.path is not None
        else ""
    )
    text = QCoreApplication.translate("EventDetails", "Dataset {name}{where}, event {id}").format(
        name=dataset.name, where=where, id=event_id
    )
    if dataset.licence:
        text += f" ({dataset.licence})"
    if dataset.citation:
        text += f". {dataset.citation}"
    return text


def event_text(table: EventTable, row: int) -> str:
    """The event as plain text, ending with a citation line (what "Copy" gives)."""
    ev = table.df.iloc[row]
    lines = [_text(ev["title"])]
    lines += [f"{label}: {value}" for label, value in event_fields(table, row)]
    if _known(ev["notes"]):
        lines += [QCoreApplication.translate("EventDetails", "Notes: ") + str(ev["notes"])]
    lines += [QCoreApplication.translate("EventDetails", "Cite: ") + citation_line(table, row)]
    return "\n".join(lines)


# -- the pane -------------------------------------------------------------------------------------
class DetailPane(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.originals_open = False
        self.related: list[Related] = []
        self._row = -1
        #: A DuckDB dataset's event shown (a table of one row), else None.
        self._table_event: EventTable | None = None
        #: More sections after the fields, each HTML for a row (the likely-same event).
        self.sections: list[Callable[[int], str]] = []
        self._long: dict[str, tuple[str, str]] = {}  # "Show all" link -> (label, text)

        self.selection_label = QLabel(self)
        self.selection_label.setObjectName("selectionCount")
        self.selection_label.setAccessibleName(self.tr("Selected events"))
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setObjectName("copyEvent")
        self.copy_button.setToolTip(self.tr("Copy the event as text, with a citation line"))
        self.copy_button.setAccessibleName(self.tr("Copy event"))
        self.copy_button.clicked.connect(self.copy_event)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.selection_label, 1)
        top.addWidget(self.copy_button)

        self.browser = QTextBrowser(self)
        self.browser.setObjectName("detailText")
        self.browser.setAccessibleName(self.tr("Event details"))
        self.browser.setOpenLinks(False)  # our links select events; they do not navigate
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_link)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.browser)

        state.current_changed.connect(self.show_event)
        state.selection_changed.connect(lambda _rows: self._update_selection_label())
        # A DuckDB dataset's selection: the focused event, or a histogram bar's events.
        state.source_view.current_changed.connect(lambda _key: self._update_selection_label())
        state.source_view.selection_changed.connect(lambda _k: self._update_selection_label())
        state.source_view.source_changed.connect(self._update_selection_label)
        state.table_changed.connect(lambda: self.show_event(-1))
        state.rows_changed.connect(self._on_rows_changed)
        state.match_changed.connect(self._on_rows_changed)
        look = current_theme()
        if look is not None:  # labels are drawn in the theme's muted colour
            look.changed.connect(self._on_theme_changed)
        self.show_event(state.current)

    # -- public --------------------------------------------------------------------------------
    def text(self) -> str:
        return self.browser.toPlainText()

    def html(self) -> str:
        return self.browser.toHtml()

    def current_text(self) -> str:
        """The focused event as plain text with a citation ("" when none)."""
        if self._table_event is not None:  # a DuckDB dataset's, read by key
            return event_text(self._table_event, 0)
        if not 0 <= self._row < len(self.state.table):
            return ""
        return event_text(self.state.table, self._row)

    def copy_event(self) -> None:
        text = self.current_text()
        if text:
            QApplication.clipboard().setText(text)

    def related_rows(self) -> list[int]:
        return [r.row for r in self.related]

    def show_event(self, row: int) -> None:
        self._row = row
        self._table_event = None
        self._update_selection_label()
        self.copy_button.setEnabled(0 <= row < len(self.state.table))
        if not 0 <= row < len(self.state.table):
            self.related = []
            hint = QCoreApplication.translate("EventDetails", EMPTY_HINT)
            self.browser.setHtml(f"<p style='color:gray'>{hint}</p>")
            return
        table = self.state.table
        mask = self.state.mask if len(self.state.mask) == len(table) else None
        # Look everywhere once; list those the filter shows (they can be selected) and
        # count the others, so the user knows the filter hides some.
        found = related_events(table, row, limit=None)
        shown = [r for r in found if mask is None or mask[r.row]]
        self.related = shown[:RELATED_SHOWN]
        self.browser.setHtml(self._render(table, row, len(found) - len(shown)))

    def show_table_event(
        self,
        table: EventTable | None,
        sections: list[Callable[[int], str]] | None = None,
        related: RelatedRead | None = None,
    ) -> None:
        """The one event of a table apart from the state's: a DuckDB dataset's event,
        read by its key, with its own ``sections`` (ui/source_pairs.py) and its
        ``related`` events (ui/source_related.py: rows of their own table, linked by
        key; None while they are being read)."""
        again = self._table_event is not None and table is self._table_event
        self._row = -1
        self._table_event = table if table is not None and len(table) else None
        self.related = list(related.shown) if related is not None else []
        self.copy_button.setEnabled(self._table_event is not None)
        if table is None or not len(table):
            hint = QCoreApplication.translate("EventDetails", EMPTY_HINT)
            self.browser.setHtml(f"<p style='color:gray'>{hint}</p>")
            return
        sections, self.sections = self.sections, list(sections or [])
        found = related or RelatedRead()
        try:
            text = self._render(
                table, 0, found.hidden, found.table, found.link, looking=related is None
            )
        finally:
            self.sections = sections
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(text)
        if again:  # its related events came: the reader stays where they were
            self.browser.verticalScrollBar().setValue(scroll)

    # -- rendering ------------------------------------------------------------------------------
    def _render(
        self,
        table: EventTable,
        row: int,
        hidden_related: int,
        related_table: EventTable | None = None,
        link: Callable[[int], str] | None = None,
        looking: bool = False,
    ) -> str:
        """The event's HTML; its related events are rows of ``related_table`` (by
        default ``table``), each linked by ``link`` (by default its row); ``looking``:
        they are still being read."""
        ev = table.df.iloc[row]
        dataset, _local = table.dataset_of(row)
        esc = html.escape
        muted = muted_text_colour()
        self._long = {}
        cells = "".join(
            f"<tr><td style='color:{muted};padding-right:8px' valign='top'><b>{esc(k)}</b></td>"
            f"<td>{self._bounded(k, v)}</td></tr>"
            for k, v in event_fields(table, row)
        )
        notes_label = self.tr("Notes")
        notes = self._bounded(notes_label, str(ev["notes"])) if _known(ev["notes"]) else UNKNOWN
        parts = [
            f"<h3>{self._bounded(self.tr('Title'), _text(ev['title']))}</h3>",
            f"<table>{cells}</table>",
            *(section(row) for section in self.sections),
            f"<p><b>{notes_label}</b><br>{notes}</p>",
            self._dataset_html(dataset),
            self._looking_html()
            if looking
            else self._related_html(
                related_table if related_table is not None else table,
                hidden_related,
                link or (lambda r: f"event:{r}"),
            ),
            self._originals_html(table, row),
        ]
        return "".join(parts)

    @staticmethod
    def _dataset_html(dataset) -> str:
        esc = html.escape
        lines = [
            QCoreApplication.translate("EventDetails", "<b>Dataset</b>: {name} ({format})").format(
                name=esc(dataset.name), format=esc(dataset.format)
            )
        ]
        if dataset.path is not None:
            lines.append(
                QCoreApplication.translate("EventDetails", "File: {path}").format(
                    path=esc(str(dataset.path))
                )
            )
        lines.append(
            QCoreApplication.translate("EventDetails", "Licence: {licence}").format(
                licence=esc(dataset.licence) or UNKNOWN
            )
        )
        lines.append(
            QCoreApplication.translate("EventDetails", "Cite: {citation}").format(
                citation=esc(dataset.citation) or UNKNOWN
            )
        )
        return "<p>" + "<br>".join(lines) + "</p>"

    def _looking_html(self) -> str:
        looking = self.tr("looking for them…")
        return (
            self.tr("<p><b>Related events</b>") + f" <span style='color:gray'>{looking}</span></p>"
        )

    def _related_html(self, table: EventTable, hidden: int, link: Callable[[int], str]) -> str:
        esc = html.escape
        head = self.tr("<p><b>Related events</b> ({count})").format(count=len(self.related))
        if hidden > 0:
            more = self.tr("— {hidden} more hidden by the filters").format(hidden=count(hidden))
            head += f" <span style='color:gray'>{more}</span>"
        if not self.related:
            return head + f"<br>{UNKNOWN}</p>"
        # The few columns shown, taken for all the related rows at once (a row of the
        # whole frame each, ~40 columns boxed, took 18 ms of every click at 1M events).
        rows = [rel.row for rel in self.related]
        taken = {
            c: table.df[c].iloc[rows].tolist()
            for c in ("title", "start", "end", "date_precision", "ongoing")
        }
        items = []
        for k, rel in enumerate(self.related):
            ev = {c: values[k] for c, values in taken.items()}
            when = format_span(ev["start"], ev["end"], ev["date_precision"], bool(ev["ongoing"]))
            gap = "" if rel.days == 0 else f", {_days(rel.days)}"
            items.append(
                f"<li><a href='{link(rel.row)}'>{esc(_text(ev['title']))}</a> "
                f"<span style='color:gray'>({esc(when)}; {esc(reason_text(rel.reason))}{gap})</span></li>"
            )
        return head + "</p><ul>" + "".join(items) + "</ul>"

    def _originals_html(self, table: EventTable, row: int) -> str:
        original = table.original_row(row)
        if not original:
            none = self.tr("No original columns kept for this source.")
            return f"<p style='color:gray'>{none}</p>"
        arrow = "▾" if self.originals_open else "▸"
        verb = self.tr("hide") if self.originals_open else self.tr("show")
        title = self.tr("Original columns ({count})").format(count=len(original))
        head = (
            f"<p><a href='toggle:originals'>{arrow} {title}</a> "
            f"<span style='color:gray'>({verb})</span></p>"
        )
        if not self.originals_open:
            return head
        esc = html.escape
        muted = muted_text_colour()
        cells = "".join(
            f"<tr><td style='color:{muted};padding-right:8px' valign='top'>{esc(str(k))}</td>"
            f"<td>{self._bounded(str(k), _original_text(v))}</td></tr>"
            for k, v in original.items()
        )
        return head + f"<table>{cells}</table>"

    def _bounded(self, label: str, text: str) -> str:
        """``text`` as HTML, cut to a prefix with a "Show all" link when it is long (laying
        out megabytes of rich text froze the window)."""
        shown, cut = preview(text)
        body = html.escape(shown).replace("\n", "<br>")
        if not cut:
            return body
        key = str(len(self._long))
        self._long[key] = (label, text)
        show_all = self.tr("Show all ({count} characters)").format(count=count(len(text)))
        return body + f" <a href='show:{key}'>{show_all}</a>"

    def show_all(self, key: str) -> LongTextDialog | None:
        """Open a long text whole, in a view that lays it out as it is scrolled."""
        if key not in self._long:
            return None
        label, text = self._long[key]
        title = self.tr("{label} — all {count} characters").format(
            label=label, count=count(len(text))
        )
        dialog = LongTextDialog(title, text, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- reacting ---------------------------------------------------------------------------------
    def _on_link(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("show:"):
            self.show_all(target.split(":", 1)[1])
        elif target == "toggle:originals":
            self.set_originals_open(not self.originals_open)
        elif target.startswith("key:"):  # a DuckDB dataset's event (ui/source_pairs.py)
            key = int(target.split(":", 1)[1])
            view = self.state.source_view
            view.select_keys(np.array([key]))
            view.set_current(key)
        elif target.startswith("event:"):
            try:
                row = int(target.split(":", 1)[1])
            except ValueError:
                return
            self.state.select([row], current=row)

    def set_originals_open(self, open_: bool) -> None:
        self.originals_open = open_
        scroll = self.browser.verticalScrollBar().value()
        self.show_event(self._row)
        self.browser.verticalScrollBar().setValue(scroll)

    def _on_theme_changed(self, _dark: bool) -> None:
        self.show_event(self._row)

    def _on_rows_changed(self) -> None:
        # The filter decides which related events are reachable: recount them.
        if 0 <= self._row < len(self.state.table):
            self.show_event(self._row)

    def _update_selection_label(self) -> None:
        view = self.state.source_view
        k = view.events_selected if view.source is not None else len(self.state.selection)
        if k > 1:
            self.selection_label.setText(
                self.tr("{count} events selected — showing the focused one").format(count=count(k))
            )
        elif k == 1:
            self.selection_label.setText(self.tr("1 event selected"))
        else:
            self.selection_label.setText(self.tr("No event selected"))


def _days(days: float) -> str:
    whole = math.ceil(days) if days < 1 else round(days)
    if whole == 1:
        return QCoreApplication.translate("EventDetails", "1 day apart")
    return QCoreApplication.translate("EventDetails", "{days} days apart").format(days=whole)


def reason_text(reason: str) -> str:
    """Why an event is related (model/related.py: "same actor: X", "12 km away", joined
    by "; ") in the interface's language; the actor's name stays as it is."""
    parts = []
    for part in reason.split("; "):
        if part.startswith("same actor: "):
            part = QCoreApplication.translate("EventDetails", "same actor: {name}").format(
                name=part[len("same actor: ") :]
            )
        elif part.endswith(" km away"):
            part = QCoreApplication.translate("EventDetails", "{km} km away").format(
                km=part[: -len(" km away")]
            )
        parts.append(part)
    return "; ".join(parts)


def _original_text(value) -> str:
    if isinstance(value, float | np.floating) and math.isnan(value):
        return ""
    return "" if value is None else str(value)
