"""The dialog in which the user maps an unknown table's columns to event fields.

It shows the file's first rows, one combo box per field (pre-filled from a mapping saved
for this header, or guessed from the column names), the day/month order, and a live
preview of the first rows as events with the rows that would be rejected and why.

It never reads the file: ui/opening.py plans the opening in the worker
(``registry.plan_open``, which reads the file's head) and shows this dialog on the plan's
preview; the load then runs with ``options={"mapping": mapping}``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timeline_app.formats.base import DATE_ORDERS, FormatError
from timeline_app.formats.mapping import (
    MAPPABLE_FIELDS,
    ColumnMapping,
    save_mapping,
    saved_mapping,
    suggest_mapping,
)
from timeline_app.formats.raw_table import RawTable
from timeline_app.formats.registry import PREVIEW_ROWS
from timeline_app.formats.table import apply_mapping
from timeline_app.ui.formatting import UNKNOWN, format_date, format_fatalities
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP, error_message

NOT_MAPPED = QT_TRANSLATE_NOOP("MappingDialog", "(not in this file)")

FIELD_LABELS: dict[str, str] = {
    "date": QT_TRANSLATE_NOOP("MappingDialog", "Date"),
    "start": QT_TRANSLATE_NOOP("MappingDialog", "Start date"),
    "end": QT_TRANSLATE_NOOP("MappingDialog", "End date"),
    "title": QT_TRANSLATE_NOOP("MappingDialog", "Title"),
    "category": QT_TRANSLATE_NOOP("MappingDialog", "Category"),
    "event_type": QT_TRANSLATE_NOOP("MappingDialog", "Event type"),
    "actor1": QT_TRANSLATE_NOOP("MappingDialog", "Actor 1"),
    "actor2": QT_TRANSLATE_NOOP("MappingDialog", "Actor 2"),
    "country": QT_TRANSLATE_NOOP("MappingDialog", "Country"),
    "admin1": QT_TRANSLATE_NOOP("MappingDialog", "Region (admin 1)"),
    "admin2": QT_TRANSLATE_NOOP("MappingDialog", "District (admin 2)"),
    "location": QT_TRANSLATE_NOOP("MappingDialog", "Place"),
    "latitude": QT_TRANSLATE_NOOP("MappingDialog", "Latitude"),
    "longitude": QT_TRANSLATE_NOOP("MappingDialog", "Longitude"),
    "fatalities": QT_TRANSLATE_NOOP("MappingDialog", "Fatalities"),
    "notes": QT_TRANSLATE_NOOP("MappingDialog", "Notes"),
    "source": QT_TRANSLATE_NOOP("MappingDialog", "Source"),
    "id": QT_TRANSLATE_NOOP("MappingDialog", "Event id"),
}
ORDER_LABELS: dict[str, str] = {
    "auto": QT_TRANSLATE_NOOP("MappingDialog", "Decide from the column"),
    "day-first": QT_TRANSLATE_NOOP("MappingDialog", "Day first (31/12/2023)"),
    "month-first": QT_TRANSLATE_NOOP("MappingDialog", "Month first (12/31/2023)"),
}
PREVIEW_COLUMNS = ("Start", "End", "Title", "Actors", "Region", "Fatalities")
_PREVIEW_HEADERS = (
    QT_TRANSLATE_NOOP("MappingDialog", "Start"),
    QT_TRANSLATE_NOOP("MappingDialog", "End"),
    QT_TRANSLATE_NOOP("MappingDialog", "Title"),
    QT_TRANSLATE_NOOP("MappingDialog", "Actors"),
    QT_TRANSLATE_NOOP("MappingDialog", "Region"),
    QT_TRANSLATE_NOOP("MappingDialog", "Fatalities"),
)


def _headers() -> list[str]:
    return [QCoreApplication.translate("MappingDialog", h) for h in _PREVIEW_HEADERS]


def _line(n: object) -> str:
    return QCoreApplication.translate("MappingDialog", "line {number}").format(number=n)


class RowsModel(QAbstractTableModel):
    """A few rows of text (a preview: at most a few dozen rows, so plain lists are fine)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[list[str]] = []
        self._labels: list[str] = []

    def set_rows(
        self, headers: list[str], rows: list[list[str]], labels: list[str] | None = None
    ) -> None:
        """Replace the contents; ``labels`` name the rows (the file's line numbers)."""
        self.beginResetModel()
        self._headers = list(headers)
        self._rows = [list(r) for r in rows]
        self._labels = list(labels) if labels else [str(i + 1) for i in range(len(rows))]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._rows[index.row()][index.column()]
            if role == Qt.ItemDataRole.DisplayRole:
                return text.replace("\n", " ")
            return text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if section < len(self._headers) else None
        return self._labels[section] if section < len(self._labels) else None

    def cell(self, row: int, column: int) -> str:
        return self._rows[row][column]


def _preview_rows(events: pd.DataFrame) -> list[list[str]]:
    """The preview's cells for a few events (a handful of rows: a loop is fine here)."""
    rows = []
    for ev in events.itertuples(index=False):
        actors = [a for a in (ev.actor1, ev.actor2) if isinstance(a, str) and a]
        region = [
            p for p in (ev.location, ev.admin2, ev.admin1, ev.country) if isinstance(p, str) and p
        ]
        rows.append(
            [
                format_date(ev.start, ev.date_precision),
                format_date(ev.end, ev.date_precision),
                ev.title if isinstance(ev.title, str) else UNKNOWN,
                " – ".join(actors) or UNKNOWN,
                ", ".join(region) or UNKNOWN,
                format_fatalities(ev.fatalities),
            ]
        )
    return rows


class MappingDialog(QDialog):
    """Map a table's columns to event fields, seeing the result as you choose."""

    def __init__(
        self,
        raw: RawTable,
        *,
        file_name: str = "",
        mapping: ColumnMapping | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._raw = raw
        self.setWindowTitle(
            self.tr("Map columns – {name}").format(name=file_name)
            if file_name
            else self.tr("Map columns")
        )
        self.setAccessibleName(self.tr("Map the columns of a table to event fields"))
        self.resize(1100, 720)

        saved = saved_mapping(raw.header)
        if mapping is None:
            mapping = saved or suggest_mapping(raw.header)
        self.combos: dict[str, QComboBox] = {}
        self._rules: dict[str, str] = {}

        intro = QLabel(
            self.tr(
                "{name} is not a layout the app knows. Say which column holds each field; "
                "the preview shows the first rows as events."
            ).format(name=file_name or self.tr("This file"))
        )
        intro.setWordWrap(True)
        self.saved_note = QLabel(
            self.tr("Using the mapping you saved for files with these columns.")
        )
        self.saved_note.setAccessibleName(self.tr("Saved mapping note"))
        self.saved_note.setVisible(saved is not None)

        self.source_model = RowsModel(self)
        shown = np.arange(min(len(raw.frame), PREVIEW_ROWS))
        self.source_model.set_rows(
            raw.header,
            raw.frame.iloc[shown].values.tolist(),
            [_line(n) for n in raw.line_numbers(shown)],
        )
        self.source_view = self._table(self.source_model, self.tr("First rows of the file"))

        form = QFormLayout()
        for name in MAPPABLE_FIELDS:
            combo = QComboBox()
            combo.addItem(self.tr(NOT_MAPPED), None)
            for column in raw.header:
                combo.addItem(column, column)
            label = self.tr(FIELD_LABELS[name])
            combo.setAccessibleName(self.tr("Column for {field}").format(field=label))
            combo.setToolTip(
                self.tr("Which column of the file holds the {field}").format(field=label.lower())
            )
            self.combos[name] = combo
            form.addRow(label, combo)
        self.date_order = QComboBox()
        for order in DATE_ORDERS:
            self.date_order.addItem(self.tr(ORDER_LABELS[order]), order)
        self.date_order.setAccessibleName(self.tr("Order of day and month in dates"))
        form.addRow(self.tr("Day and month"), self.date_order)
        fields_box = QGroupBox(self.tr("Fields"))
        fields_box.setLayout(form)

        self.preview_model = RowsModel(self)
        self.preview_view = self._table(
            self.preview_model, self.tr("Preview of the first rows as events")
        )
        self.rejected_label = QLabel()
        self.rejected_label.setWordWrap(True)
        self.rejected_label.setAccessibleName(self.tr("Preview rows that would be rejected"))

        self.remember = QCheckBox(self.tr("Remember this mapping for files with the same columns"))
        self.remember.setAccessibleName(self.tr("Remember this mapping"))
        self.remember.setChecked(saved is not None)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Load"))
        self.ok_button.setAccessibleName(self.tr("Load with this mapping"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("The file")))
        right.addWidget(self.source_view, 2)
        right.addWidget(QLabel(self.tr("As events")))
        right.addWidget(self.preview_view, 3)
        right.addWidget(self.rejected_label)
        columns = QHBoxLayout()
        columns.addWidget(fields_box, 0)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.saved_note)
        layout.addLayout(columns, 1)
        layout.addWidget(self.remember)
        layout.addWidget(self.buttons)

        self.set_mapping(mapping)
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._update_preview)
        self.date_order.currentIndexChanged.connect(self._update_preview)
        self._update_preview()

    @staticmethod
    def _table(model: RowsModel, name: str) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setAccessibleName(name)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setDefaultSectionSize(140)
        view.verticalHeader().setDefaultSectionSize(22)
        return view

    # -- the mapping ---------------------------------------------------------

    def set_mapping(self, mapping: ColumnMapping) -> None:
        """Show ``mapping`` in the combo boxes (without a preview per box)."""
        self._rules = dict(mapping.categories)  # no widget for them: kept as they came
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            index = combo.findData(getattr(mapping, name))
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self.date_order.blockSignals(True)
        self.date_order.setCurrentIndex(max(self.date_order.findData(mapping.date_order), 0))
        self.date_order.blockSignals(False)
        self._update_preview()

    def mapping(self) -> ColumnMapping:
        """The mapping as the boxes show it now."""
        values = {name: combo.currentData() for name, combo in self.combos.items()}
        return ColumnMapping(
            **values, date_order=self.date_order.currentData(), categories=dict(self._rules)
        )

    @property
    def header(self) -> list[str]:
        return list(self._raw.header)

    # -- the preview ---------------------------------------------------------

    def _update_preview(self) -> None:
        self.rejected_count = 0  # preview rows the current mapping would reject
        mapping = self.mapping()
        problem = mapping.problem(self._raw.header)
        if problem:
            self.preview_model.set_rows(_headers(), [])
            self.rejected_label.setText(
                self.tr("Nothing to preview: {problem}.").format(problem=problem)
            )
            self.ok_button.setEnabled(False)
            return
        head = RawTable(
            header=self._raw.header,
            frame=self._raw.frame.head(PREVIEW_ROWS),
            line_source=self._raw.line_numbers,
            rows_read=min(len(self._raw.frame), PREVIEW_ROWS),
            rejected=[],
        )
        try:
            mapped = apply_mapping(head, mapping)
        except FormatError as err:
            self.preview_model.set_rows(_headers(), [])
            self.rejected_label.setText(error_message(err))
            self.ok_button.setEnabled(False)
            return
        kept_lines = head.line_numbers(np.flatnonzero(mapped.kept))
        self.preview_model.set_rows(
            _headers(),
            _preview_rows(mapped.events),
            [_line(n) for n in kept_lines],
        )
        self.preview_view.setColumnWidth(PREVIEW_COLUMNS.index("Title"), 260)
        self.ok_button.setEnabled(True)
        self.rejected_count = sum(len(idx) for idx, _, _ in mapped.rejected)
        self.rejected_label.setText(self._rejected_text(mapped.rejected, head.rows_read))

    def _rejected_text(self, rejected, shown: int) -> str:
        count = sum(len(idx) for idx, _, _ in rejected)
        if not count:
            return self.tr("All {shown} preview rows become events.").format(shown=shown)
        parts = []
        for idx, reason, _ in rejected:
            lines = ", ".join(str(int(n)) for n in self._raw.line_numbers(idx[:5]))
            more = "…" if len(idx) > 5 else ""
            parts.append(f"{reason} ({_line(lines + more)})")
        head = self.tr("{count} of {shown} preview rows would be rejected: ").format(
            count=count, shown=shown
        )
        return head + "; ".join(parts) + "."

    def accept(self) -> None:
        if self.mapping().problem(self._raw.header):
            return
        if self.remember.isChecked():
            try:
                save_mapping(self._raw.header, self.mapping())
            except OSError as err:  # a read-only config folder must not block the load
                self.rejected_label.setText(
                    self.tr("Could not remember the mapping: {reason}").format(reason=err)
                )
        super().accept()
