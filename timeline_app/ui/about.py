"""Help > About: the version, the libraries, and the licence and citation of every open
and bundled dataset."""

from __future__ import annotations

import html
import json
import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow, QTextBrowser, QVBoxLayout

from timeline_app import __version__
from timeline_app.paths import DATA_DIR

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

    e = html.escape
    state = getattr(window, "state", None)
    opened = state.table.datasets if state is not None else []
    rows = "".join(
        f"<li><b>{e(d.name)}</b> ({e(d.format)}, {len(d):,} events"
        + (f", {e(Path(d.path).name)}" if d.path else "")
        + f")<br>Licence: {e(d.licence or 'not stated — check the source')}"
        + (f"<br>Cite: {e(d.citation)}" if d.citation else "")
        + "</li>"
        for d in opened
    )
    bundled = "".join(
        f"<li><b>{e(title)}</b><br>Licence: {e(lic)}<br>Cite: {e(cite)}</li>"
        for title, lic, cite in bundled_licences()
    )
    return (
        f"<h2>{APP_NAME} {e(__version__)}</h2>"
        "<p>Load, filter, see and export political-violence event data.</p>"
        f"<p>Python {e(platform.python_version())}, Qt {e(qVersion())}, "
        f"PySide6 {e(PySide6.__version__)}. Licence: MIT.</p>"
        + (f"<h3>Open datasets</h3><ul>{rows}</ul>" if rows else "")
        + (f"<h3>Bundled sample data</h3><ul>{bundled}</ul>" if bundled else "")
        + f"<h3>Map boundaries</h3><p>{e(BOUNDARY_ATTRIBUTION)}</p>"
        + "<h3>Data you load</h3><p>ACLED, UCDP, GTD and GDELT data keep their own "
        "licences and terms of use: ACLED and GTD data may not be redistributed; UCDP "
        "data are CC BY 4.0; GDELT is free to use with attribution. Cite each source "
        "you export; every export's provenance file lists them.</p>"
    )


def show_about(window: QMainWindow) -> QDialog:
    """Help > About: version, libraries, and the licence and citation of every dataset."""
    dialog = QDialog(window)
    dialog.setObjectName("aboutDialog")
    dialog.setWindowTitle(f"About {APP_NAME}")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resize(560, 520)
    text = QTextBrowser(dialog)
    text.setObjectName("aboutText")
    text.setAccessibleName("About this app")
    text.setOpenExternalLinks(True)
    text.setHtml(about_html(window))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.show()
    return dialog
