"""Help > About: the version, the libraries, and the licence and citation of every open
and bundled dataset."""

from __future__ import annotations

import html
import json
import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow, QTextBrowser, QVBoxLayout

from timeline_app import __version__
from timeline_app.paths import DATA_DIR
from timeline_app.ui.formatting import count

APP_NAME = "Incident Timeline Explorer"


def bundled_licences() -> list[tuple[str, str, str]]:
    """(title, licence, citation) of each bundled sample file, from its .meta.json."""
    out = []
    for meta in sorted(DATA_DIR.glob("*.meta.json")):
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        out.append(
            (
                str(data.get("title", meta.name)),
                str(data.get("licence", "")),
                str(data.get("citation", "")),
            )
        )
    return out


def about_html(window: QMainWindow) -> str:
    from timeline_app.model.boundaries import ATTRIBUTION as BOUNDARY_ATTRIBUTION
    from timeline_app.ui.i18n import message

    e = html.escape
    state = getattr(window, "state", None)
    opened = state.table.datasets if state is not None else []
    events = QCoreApplication.translate("About", "{events} events")
    licence = QCoreApplication.translate("About", "Licence: {licence}")
    cite = QCoreApplication.translate("About", "Cite: {citation}")
    unstated = QCoreApplication.translate("About", "not stated — check the source")
    rows = "".join(
        f"<li><b>{e(d.name)}</b> ({e(d.format)}, {events.format(events=count(len(d)))}"
        + (f", {e(Path(d.path).name)}" if d.path else "")
        + ")<br>"
        + licence.format(licence=e(d.licence or unstated))
        + ("<br>" + cite.format(citation=e(d.citation)) if d.citation else "")
        + "</li>"
        for d in opened
    )
    bundled = "".join(
        f"<li><b>{e(title)}</b><br>{licence.format(licence=e(lic))}"
        f"<br>{cite.format(citation=e(text))}</li>"
        for title, lic, text in bundled_licences()
    )

    def heading(text: str) -> str:
        return f"<h3>{text}</h3>"

    return (
        f"<h2>{APP_NAME} {e(__version__)}</h2><p>"
        + QCoreApplication.translate(
            "About", "Load, filter, see and export political-violence event data."
        )
        + f"</p><p>Python {e(platform.python_version())}, Qt {e(qVersion())}, "
        f"PySide6 {e(PySide6.__version__)}. "
        + licence.format(licence="MIT")
        + ".</p>"
        + (
            heading(QCoreApplication.translate("About", "Open datasets")) + f"<ul>{rows}</ul>"
            if rows
            else ""
        )
        + (
            heading(QCoreApplication.translate("About", "Bundled sample data"))
            + f"<ul>{bundled}</ul>"
            if bundled
            else ""
        )
        + heading(QCoreApplication.translate("About", "Map boundaries"))
        + f"<p>{e(message(BOUNDARY_ATTRIBUTION))}</p>"
        + heading(QCoreApplication.translate("About", "Data you load"))
        + "<p>"
        + QCoreApplication.translate(
            "About",
            "ACLED, UCDP, GTD and GDELT data keep their own licences and terms of use: "
            "ACLED and GTD data may not be redistributed; UCDP data are CC BY 4.0; GDELT "
            "is free to use with attribution. Cite each source you export; every "
            "export's provenance file lists them.",
        )
        + "</p>"
    )


def show_about(window: QMainWindow) -> QDialog:
    """Help > About: version, libraries, and the licence and citation of every dataset."""
    dialog = QDialog(window)
    dialog.setObjectName("aboutDialog")
    dialog.setWindowTitle(QCoreApplication.translate("About", "About {app}").format(app=APP_NAME))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resize(560, 520)
    text = QTextBrowser(dialog)
    text.setObjectName("aboutText")
    text.setAccessibleName(QCoreApplication.translate("About", "About this app"))
    text.setOpenExternalLinks(True)
    text.setHtml(about_html(window))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.show()
    return dialog
