"""Tools > Actor Dictionary…: the user's own entries beside the shipped table.

A few dozen rows at most, so a QTableWidget (never used over events) is the right size.
Saving checks every row first (a bad row is named, nothing is saved), writes the entries
to the user's settings folder, makes them part of the dictionary in use and applies the
filter again. Import and Export read and write the same CSV layout as the shipped table.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.model.actor_store import (
    activate_user_entries,
    read_user_entries,
    user_dictionary_path,
    write_entries,
)
from timeline_app.model.actors import (
    FIELDS,
    DictionaryError,
    Entry,
    active_dictionary,
    read_entries,
    shipped_entries,
)
from timeline_app.model.state import AppState
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP

CSV_FILTER = QT_TRANSLATE_NOOP("ActorDictionaryDialog", "Actor dictionary (*.csv);;All files (*)")


class ActorDictionaryDialog(QDialog):
    """Edit, import and export the user's entries. ``saved`` fires after a save."""

    saved = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle(self.tr("Actor Dictionary"))
        self.setObjectName("actorDictionaryDialog")
        shipped = len(shipped_entries())
        intro = QLabel(
            self.tr(
                "The shipped dictionary has {shipped} sourced entries (read-only, "
                "timeline_app/model/actor_dictionary.csv). Your entries below apply as well. "
                "dataset: acled, ucdp, gtd, gdelt or any; raw_name may use * for any text; "
                "country: names separated by ;; dates YYYY-MM-DD; certainty: certain or "
                "uncertain."
            ).format(shipped=shipped),
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(FIELDS), self)
        self.table.setObjectName("actorEntries")
        self.table.setHorizontalHeaderLabels(list(FIELDS))
        self.table.setAccessibleName(self.tr("Your actor dictionary entries"))
        self.status = QLabel("", self)
        self.status.setObjectName("dictionaryStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        self.add_button = self._button(buttons, self.tr("Add Entry"), self.add_row)
        self.remove_button = self._button(buttons, self.tr("Remove"), self.remove_selected)
        self.import_button = self._button(buttons, self.tr("Import…"), self.import_dialog)
        self.export_button = self._button(buttons, self.tr("Export…"), self.export_dialog)
        buttons.addStretch(1)
        self.save_button = self._button(buttons, self.tr("Save"), self.save)
        self.close_button = self._button(buttons, self.tr("Close"), self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(980, 420)
        try:
            self.set_entries(read_user_entries())
        except (OSError, ValueError) as err:
            self.status.setText(
                self.tr("Your entries could not be read ({reason}); none are shown.").format(
                    reason=err
                )
            )
        self._show_version()

    def _button(self, layout: QHBoxLayout, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    # -- rows ---------------------------------------------------------------------------------
    def set_entries(self, entries: list[Entry]) -> None:
        self.table.setRowCount(0)
        for entry in entries:
            self.add_row(entry.as_row())

    def add_row(self, values: dict[str, str] | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = values or {"dataset": "any", "certainty": "certain"}
        for col, name in enumerate(FIELDS):
            self.table.setItem(row, col, QTableWidgetItem(values.get(name, "")))
        return row

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def entries(self) -> list[Entry]:
        """Every row as an entry (DictionaryError names the first bad row)."""
        out = []
        for row in range(self.table.rowCount()):
            values = {}
            for col, name in enumerate(FIELDS):
                item = self.table.item(row, col)
                values[name] = item.text() if item is not None else ""
            if not any(v.strip() for v in values.values()):
                continue  # an empty row left by Add Entry
            out.append(Entry.from_row(values, f"row {row + 1}: "))
        return out

    # -- saving, importing, exporting ---------------------------------------------------------
    def save(self) -> bool:
        try:
            entries = self.entries()
            write_entries(entries, user_dictionary_path())
        except DictionaryError as err:
            self.status.setText(self.tr("Not saved: {reason}").format(reason=err))
            return False
        except OSError as err:
            self.status.setText(self.tr("Not saved: {reason}").format(reason=err.strerror or err))
            return False
        activate_user_entries(entries)
        self.state.refilter()  # the same names may now mean other actors
        self._show_version(
            self.tr("Saved {count} entries to {path}.").format(
                count=len(entries), path=user_dictionary_path()
            )
        )
        self.saved.emit()
        return True

    def import_from(self, path: Path) -> int:
        """Add the entries of a dictionary CSV to the rows (saved with Save)."""
        try:
            entries = read_entries(path.read_text(encoding="utf-8-sig"), path.name)
        except (OSError, UnicodeError, DictionaryError) as err:
            self.status.setText(self.tr("Not imported: {reason}").format(reason=err))
            return 0
        for entry in entries:
            self.add_row(entry.as_row())
        self.status.setText(
            self.tr("Imported {count} entries from {name}; Save to use them.").format(
                count=len(entries), name=path.name
            )
        )
        return len(entries)

    def export_to(self, path: Path) -> bool:
        try:
            write_entries(self.entries(), path)
        except (DictionaryError, OSError) as err:
            self.status.setText(self.tr("Not exported: {reason}").format(reason=err))
            return False
        self.status.setText(self.tr("Exported to {path}.").format(path=path))
        return True

    def import_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import actor entries"), "", self.tr(CSV_FILTER)
        )
        if name:
            self.import_from(Path(name))

    def export_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export actor entries"), "actor_dictionary.csv", self.tr(CSV_FILTER)
        )
        if name:
            self.export_to(Path(name))

    def _show_version(self, prefix: str = "") -> None:
        version = active_dictionary().version
        in_use = self.tr("Dictionary in use: version {version}.").format(version=version)
        text = f"{prefix} {in_use}".strip()
        if not self.status.text() or prefix:
            self.status.setText(text)
