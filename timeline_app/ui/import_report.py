"""What happened to every row of a loaded file, shown after each load."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from timeline_app.model.dataset import Dataset


def report_html(dataset: Dataset) -> str:
    r = dataset.report
    lines = [
        f"<h3>{html.escape(dataset.name)}</h3>",
        f"<p>{html.escape(str(dataset.path or ''))}<br>Read as <b>{html.escape(r.format)}</b>"
        f" ({html.escape(r.encoding)})</p>",
        "<table>",
        f"<tr><td>Data rows in the file</td><td align=right><b>{r.rows_read:,}</b></td></tr>",
        f"<tr><td>Events loaded</td><td align=right><b>{r.events:,}</b></td></tr>",
        f"<tr><td>Rows merged into another event</td><td align=right>{r.rows_merged:,}</td></tr>",
        f"<tr><td>Rows rejected</td><td align=right>{r.rows_rejected:,}</td></tr>",
        "</table>",
    ]
    if r.rejected_by_reason:
        lines.append("<h4>Rejected, by reason</h4><ul>")
        lines += [
            f"<li>{html.escape(k)}: {v:,}</li>" for k, v in r.rejected_by_reason.most_common()
        ]
        lines.append("</ul><h4>Examples</h4><table>")
        lines += [
            f"<tr><td>line {s.line}</td><td>{html.escape(s.reason)}</td>"
            f"<td><code>{html.escape(s.text[:120])}</code></td></tr>"
            for s in r.rejected_samples[:50]
        ]
        lines.append("</table>")
    if r.warnings:
        lines.append("<h4>Notes</h4><ul>")
        lines += [f"<li>{html.escape(w)}</li>" for w in r.warnings]
        lines.append("</ul>")
    return "".join(lines)


class ImportReportDialog(QDialog):
    """Non-modal: the user can keep working while it is open."""

    def __init__(self, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import report — {dataset.name}")
        self.setModal(False)
        self.resize(560, 420)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Import report")
        self.browser.setHtml(report_html(dataset))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
