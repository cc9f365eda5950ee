"""File > Export…: what to export, which columns, which format, where.

The dialog only asks; model/export.py chooses the rows (the same code as the command
line) and ui/export_worker.py writes them off the UI thread, with progress and Cancel.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from timeline_app.model.export import (
    FORMATS,
    SCOPES,
    choose_rows,
    event_keys,
    original_layout_available,
)
from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.provenance import ExportChoice
from timeline_app.model.state import AppState
from timeline_app.ui.export_worker import export_failure, start_export
from timeline_app.ui.formatting import count
from timeline_app.ui.formatting import count as format_count
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP
from timeline_app.ui.notices import show_notice
from timeline_app.ui.workers import Job, JobError

FORMAT_LABELS = {
    "csv": QT_TRANSLATE_NOOP("ExportDialog", "CSV (UTF-8)"),
    "xlsx": QT_TRANSLATE_NOOP("ExportDialog", "Excel workbook (XLSX)"),
    "parquet": QT_TRANSLATE_NOOP("ExportDialog", "Parquet"),
}
#: The model's scope labels (model/export.py SCOPES), for the translation files.
_SCOPE_LABELS = (
    QT_TRANSLATE_NOOP("ExportDialog", "The filtered rows"),
    QT_TRANSLATE_NOOP("ExportDialog", "The selected rows"),
    QT_TRANSLATE_NOOP("ExportDialog", "The timeline range, with the other filters"),
    QT_TRANSLATE_NOOP("ExportDialog", "The timeline range, ignoring the other filters"),
)
SAVE_FILTERS = {
    "csv": "CSV (*.csv)",
    "xlsx": "Excel (*.xlsx)",
    "parquet": "Parquet (*.parquet)",
}


class ExportDialog(QDialog):
    """Emits ``exported(rows, path)`` when a file and its provenance are written."""

    exported = Signal(int, str)

    def __init__(
        self, state: AppState, parent: QWidget | None = None, scope: str | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.job: Job | None = None
        self._error: JobError | None = None  # the last failure, for "Details…"
        self._running_choice: ExportChoice | None = None
        self._succeeded = False
        self._confirmed_path = ""  # an existing file the user agreed to replace
        self._row_count = 0
        self.settings = QSettings("timeline-app", "timeline-app")
        self.setWindowTitle(self.tr("Export events"))
        self.setObjectName("exportDialog")
        self._counts = self._scope_counts()

        # What
        what = QGroupBox(self.tr("Export"), self)
        what_layout = QVBoxLayout(what)
        self.scope_group = QButtonGroup(self)
        self.scope_buttons: dict[str, QRadioButton] = {}
        for key, label in SCOPES.items():
            button = QRadioButton(f"{self.tr(label)} ({count(self._counts[key])})", what)
            button.setObjectName(f"scope_{key}")
            button.setEnabled(self._scope_possible(key))
            self.scope_group.addButton(button)
            self.scope_buttons[key] = button
            what_layout.addWidget(button)
            button.toggled.connect(self._refresh)
        if self.state.range is None:
            for key in ("range", "range_all"):
                self.scope_buttons[key].setToolTip(
                    self.tr("Select a time range on the timeline first")
                )

        # Columns
        columns = QGroupBox(self.tr("Columns"), self)
        col_layout = QVBoxLayout(columns)
        self.canonical_button = QRadioButton(
            self.tr("Canonical columns (with a dataset column)"), columns
        )
        self.canonical_button.setObjectName("columns_canonical")
        self.original_button = QRadioButton(self.tr("The source file's original layout"), columns)
        self.original_button.setObjectName("columns_original")
        self.canonical_button.setChecked(True)
        col_layout.addWidget(self.canonical_button)
        col_layout.addWidget(self.original_button)
        # The pairs of Tools > Find Likely Same Events…, as `export --match` writes them.
        found = self.state.match()
        self.match_check = QCheckBox(
            self.tr("Add the likely-same pairs (match_group, match_score)")
        )
        self.match_check.setObjectName("matchColumns")
        self.match_check.setEnabled(found is not None)
        self.match_check.setChecked(
            found is not None and MATCH_COLUMN in self.state.views.table.columns
        )
        self.match_check.setToolTip(
            self.tr("Find Likely Same Events first (Tools)")
            if found is None
            else self.tr(
                "{first} against {second}: the two events of a pair share a match_group "
                "(1 = the best pair), the same numbers as the Likely same column"
            ).format(first=found.first, second=found.second)
        )
        col_layout.addWidget(self.match_check)

        # Format and destination
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("formatCombo")
        for key in FORMATS:
            self.format_combo.addItem(self.tr(FORMAT_LABELS[key]), key)
        self.bom_check = QCheckBox(self.tr("Start with a byte-order mark (for Excel)"), self)
        self.bom_check.setObjectName("bomCheck")
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("pathEdit")
        self.path_edit.setAccessibleName(self.tr("Export to file"))
        self.path_edit.setText(str(self._default_path("csv")))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.setObjectName("browseButton")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format_combo)
        form.addRow("", self.bom_check)
        form.addRow(self.tr("File"), path_row)
        self.format_combo.currentIndexChanged.connect(self._on_format)
        self.path_edit.textEdited.connect(self._label_export_button)  # "Replace" was for another

        # Progress and messages
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName(self.tr("Export progress"))
        # Its space is kept while hidden: starting an export moves nothing in the dialog.
        policy = self.progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.progress.setSizePolicy(policy)
        self.progress.hide()
        self.message = QLabel(self)
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # An export that failed offers its traceback (a notice, also in the log).
        self.details_button = QPushButton(self.tr("Details…"), self)
        self.details_button.setObjectName("exportErrorDetails")
        self.details_button.setToolTip(self.tr("What went wrong, for a bug report"))
        self.details_button.clicked.connect(self.show_error_details)
        self.details_button.hide()

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("exportButton")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelButton")
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(columns)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.details_button)
        layout.addLayout(message_row)
        layout.addWidget(self.buttons)

        self.set_scope(scope or self._first_possible_scope())
        self._on_format()

    # -- choices ------------------------------------------------------------------------------
    def _scope_counts(self) -> dict[str, int]:
        s = self.state
        return {
            "filtered": len(s.visible),
            "selected": len(s.selection),
            "range": len(s.range_rows(with_filters=True)),
            "range_all": len(s.range_rows(with_filters=False)),
        }

    def _scope_possible(self, scope: str) -> bool:
        if scope in ("range", "range_all"):
            return self.state.range is not None
        if scope == "selected":
            return len(self.state.selection) > 0
        return True

    def _first_possible_scope(self) -> str:
        if len(self.state.selection) > 1:
            return "selected"
        return "filtered"

    def set_scope(self, scope: str) -> None:
        if scope not in self.scope_buttons or not self._scope_possible(scope):
            scope = "filtered"
        self.scope_buttons[scope].setChecked(True)
        self._refresh()

    def scope(self) -> str:
        return next((k for k, b in self.scope_buttons.items() if b.isChecked()), "filtered")

    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def set_format(self, fmt: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def columns(self) -> str:
        return "original" if self.original_button.isChecked() else "canonical"

    def rows(self) -> np.ndarray:
        """The rows the current choice exports, in the table's display order."""
        return choose_rows(self.state, self.scope())

    def choice(self) -> ExportChoice:
        scope = self.scope()
        found = self.state.match()
        return ExportChoice(
            out=Path(self.path_edit.text().strip()).expanduser(),
            scope=scope,
            columns=self.columns(),
            fmt=self.fmt(),
            bom=self.bom_check.isChecked() and self.fmt() == "csv",
            spec=self.state.spec,
            sort_keys=list(self.state.sort_keys),
            time_range=self.state.range,
            selection=event_keys(self.state.table, self.state.selection)
            if scope == "selected"
            else [],
            match=found.result.rule if found is not None and self.match_check.isChecked() else None,
            match_pairs=found,
        )

    def _refresh(self, *_args) -> None:
        """Offer the original layout only when every chosen row can be written in it."""
        rows = self.rows()
        possible = original_layout_available(self.state.table, rows)
        self.original_button.setEnabled(possible)
        self.original_button.setToolTip(
            ""
            if possible
            else self.tr(
                "Only when all rows come from sources of one format that kept their columns"
            )
        )
        if not possible and self.original_button.isChecked():
            self.canonical_button.setChecked(True)
        self._row_count = len(rows)
        self._label_export_button()

    def _label_export_button(self, *_args) -> None:
        self.export_button.setText(
            self.tr("Export {rows} rows").format(rows=count(self._row_count))
        )

    def _on_format(self, *_args) -> None:
        fmt = self.fmt()
        self.bom_check.setEnabled(fmt == "csv")
        text = self.path_edit.text().strip()
        if text:
            path = Path(text)
            if path.suffix.lower() in FORMATS.values() or not path.suffix:
                self.path_edit.setText(str(path.with_suffix(FORMATS[fmt])))

    def _default_path(self, fmt: str) -> Path:
        folder = self.settings.value("exportFolder", "")
        if not folder or not Path(str(folder)).is_dir():
            paths = [d.path for d in self.state.table.datasets if d.path is not None]
            folder = Path(paths[0]).parent if paths else Path.home()
        return Path(str(folder)) / f"events-export{FORMATS[fmt]}"

    def browse(self) -> None:
        fmt = self.fmt()
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export events to"), self.path_edit.text(), SAVE_FILTERS[fmt]
        )
        if path:
            self.path_edit.setText(path)
            self._confirmed_path = str(Path(path).expanduser())  # the file dialog asked

    # -- running ------------------------------------------------------------------------------
    def start_export(self) -> Job | None:
        """Check the choice, then write on a worker thread. Returns the job (tests wait on it)."""
        if self.job is not None:
            return self.job
        choice = self.choice()
        if not self.path_edit.text().strip():
            self.show_error(self.tr("Choose a file to export to."))
            return None
        if choice.out.exists() and choice.out.is_dir():
            self.show_error(self.tr("Cannot write {path}: it is a folder.").format(path=choice.out))
            return None
        if choice.out.is_file() and str(choice.out) != self._confirmed_path:
            # A typed name of an existing file: say so once (Browse… has asked already).
            self._confirmed_path = str(choice.out)
            self.show_error(
                self.tr("{name} exists: press Replace to write over it.").format(
                    name=choice.out.name
                )
            )
            self.export_button.setText(self.tr("Replace"))
            return None
        rows = self.rows()
        self._running_choice = choice
        self.job = start_export(self.state.table, rows, choice, self)
        self.job.progress.connect(lambda f: self.progress.setValue(int(f * 1000)))
        self.job.returned.connect(lambda done: self._on_done(*done))
        self.job.errored.connect(self._on_error)
        self.job.cancelled.connect(
            lambda: self.show_error(self.tr("Export cancelled; nothing written."))
        )
        self.job.finished.connect(self._on_finished)
        self._set_running(True)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Exporting {rows} rows…").format(rows=count(len(rows))))
        self.details_button.hide()
        self.job.start()
        return self.job

    def cancel(self) -> None:
        """Cancel a running export, or close the dialog."""
        if self.job is not None:
            self.job.cancel()
        else:
            self.reject()

    def show_error(self, text: str, error: JobError | None = None) -> None:
        self.message.setStyleSheet("color: #b00020")
        self.message.setText(text)
        self._error = error
        self.details_button.setVisible(error is not None)

    def _on_error(self, error: JobError) -> None:
        self.show_error(export_failure(self._running_choice, error), error)

    def show_error_details(self) -> None:
        if self._error is not None:
            show_notice(
                self,
                self.tr("Export failed"),
                self.message.text(),
                error=self._error,
                level="error",
            )

    def _on_done(self, count: int, sidecar: str) -> None:
        out = self._running_choice.out
        self.settings.setValue("exportFolder", str(out.resolve().parent))
        self.message.setStyleSheet("")
        self.message.setText(
            self.tr("Wrote {rows} rows to {path} (provenance: {sidecar})").format(
                rows=format_count(count), path=out, sidecar=Path(sidecar).name
            )
        )
        self.exported.emit(count, str(out))
        self._succeeded = True

    def _on_finished(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.wait(5000)
        self._set_running(False)
        if self._succeeded:
            self.accept()

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setValue(0)
        self.export_button.setEnabled(not running)
        for widget in (
            *self.scope_buttons.values(),
            self.canonical_button,
            self.original_button,
            self.format_combo,
            self.bom_check,
            self.path_edit,
        ):
            widget.setEnabled(not running)
        if not running:
            for key, button in self.scope_buttons.items():
                button.setEnabled(self._scope_possible(key))
            self._refresh()
            self.bom_check.setEnabled(self.fmt() == "csv")

    def reject(self) -> None:
        if self.job is not None:  # Esc or the close box while writing: cancel first
            self.job.cancel()
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.wait(10_000)
        super().closeEvent(event)
