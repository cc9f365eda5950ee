"""Everything known about the focused event, formatted for reading."""

from __future__ import annotations

import html

import pandas as pd
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from timeline_app.model.state import AppState
from timeline_app.ui.formatting import UNKNOWN, format_fatalities, format_number, format_span


class DetailPane(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("detailText")
        self.browser.setAccessibleName("Event details")
        self.browser.setOpenExternalLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.browser)
        state.current_changed.connect(self.show_event)
        state.table_changed.connect(lambda: self.show_event(-1))
        self.show_event(state.current)

    def text(self) -> str:
        return self.browser.toPlainText()

    def show_event(self, row: int) -> None:
        if row < 0 or row >= len(self.state.table):
            self.browser.setHtml(
                "<p style='color:gray'>Select an event in the table or on the timeline.</p>"
            )
            return
        ev = self.state.table.df.iloc[row]
        dataset = self.state.table.dataset_of(row)[0]

        def val(key: str) -> str:
            v = ev[key]
            return UNKNOWN if v is None or pd.isna(v) else html.escape(str(v))

        place = ", ".join(
            html.escape(str(ev[k]))
            for k in ("location", "admin3", "admin2", "admin1", "country")
            if not pd.isna(ev[k])
        )
        coords = (
            f"{format_number(ev['latitude'])}, {format_number(ev['longitude'])}"
            if not pd.isna(ev["latitude"])
            else UNKNOWN
        )
        rows = [
            (
                "When",
                html.escape(
                    format_span(ev["start"], ev["end"], ev["date_precision"], bool(ev["ongoing"]))
                )
                + f" <span style='color:gray'>({val('date_precision')} precision)</span>",
            ),
            ("Category", val("category")),
            (
                "Type",
                " / ".join(x for x in (val("event_type"), val("sub_event_type")) if x != UNKNOWN)
                or UNKNOWN,
            ),
            (
                "Actors",
                " vs ".join(x for x in (val("actor1"), val("actor2")) if x != UNKNOWN) or UNKNOWN,
            ),
            ("Associated", val("assoc_actors")),
            ("Where", place or UNKNOWN),
            ("Coordinates", coords),
            (
                "Fatalities",
                format_fatalities(ev["fatalities"], ev["fatalities_low"], ev["fatalities_high"]),
            ),
            ("Source", val("source")),
            (
                "Dataset",
                html.escape(dataset.name)
                + (f" — {html.escape(dataset.licence)}" if dataset.licence else ""),
            ),
            ("Event id", val("id")),
        ]
        body = "".join(
            f"<tr><td style='color:#555;padding-right:8px'><b>{k}</b></td><td>{v}</td></tr>"
            for k, v in rows
        )
        notes = val("notes")
        self.browser.setHtml(
            f"<h3>{val('title')}</h3><table>{body}</table>"
            f"<p><b>Notes</b><br>{notes}</p>"
            + (
                f"<p style='color:gray'><b>Cite</b>: {html.escape(dataset.citation)}</p>"
                if dataset.citation
                else ""
            )
        )
