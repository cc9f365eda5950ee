"""What happened to every row of a loaded file, shown after each load."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from timeline_app.model.dataset import Dataset
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import message


def report_html(dataset: Dataset) -> str:
    """The report as HTML: the readers' reasons and notes in the interface's language
    (model/messages.py), the rows' own text as it is."""
    r = dataset.report
    read_as = QCoreApplication.translate(
        "ImportReport", "Read as <b>{format}</b> ({encoding})"
    ).format(format=html.escape(r.format), encoding=html.escape(r.encoding))
    rows = (
        (QCoreApplication.translate("ImportReport", "Data rows in the file"), r.rows_read, True),
        (QCoreApplication.translate("ImportReport", "Events loaded"), r.events, True),
        (
            QCoreApplication.translate("ImportReport", "Rows merged into another event"),
            r.rows_merged,
            False,
        ),
        (QCoreApplication.translate("ImportReport", "Rows rejected"), r.rows_rejected, False),
    )
    lines = [
        f"<h3>{html.escape(dataset.name)}</h3>",
        f"<p>{html.escape(str(dataset.path or ''))}<br>{read_as}</p>",
        "<table>",
        *(
            f"<tr><td>{label}</td><td align=right>"
            + (f"<b>{count(n)}</b>" if bold else count(n))
            + "</td></tr>"
            for label, n, bold in rows
        ),
        "</table>",
    ]
    if r.rejected_by_reason:
        title = QCoreApplication.translate("ImportReport", "Rejected, by reason")
        lines.append(f"<h4>{title}</h4><ul>")
        lines += [
            f"<li>{html.escape(message(k))}: {count(v)}</li>"
            for k, v in r.rejected_by_reason.most_common()
        ]
        examples = QCoreApplication.translate("ImportReport", "Examples")
        lines.append(f"</ul><h4>{examples}</h4><table>")
        line = QCoreApplication.translate("ImportReport", "line {number}")
        lines += [
            f"<tr><td>{line.format(number=s.line)}</td><td>{html.escape(message(s.reason))}</td>"
            f"<td><code>{html.escape(s.text[:120])}</code></td></tr>"
            for s in r.rejected_samples[:50]
        ]
        lines.append("</table>")
    if r.warnings:
        notes = QCoreApplication.translate("ImportReport", "Notes")
        lines.append(f"<h4>{notes}</h4><ul>")
        lines += [f"<li>{html.escape(message(w))}</li>" for w in r.warnings]
        lines.append("</ul>")
    return "".join(lines)


class ImportReportDialog(QDialog):
    """Non-modal: the user can keep working while it is open."""

    def __init__(self, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import report — {name}").format(name=dataset.name))
        self.setModal(False)
        self.resize(560, 420)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("Import report"))
        self.browser.setHtml(report_html(dataset))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
