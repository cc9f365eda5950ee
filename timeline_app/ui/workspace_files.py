"""The question asked about a workspace's missing or changed file: "Locate…", "Open
anyway" or "Cancel", and the file dialog that locates it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from timeline_app.model.workspace import MISSING, OK, FileCheck, check_file

LOCATE, ANYWAY, CANCEL = "locate", "anyway", "cancel"


class FileProblemBox(QMessageBox):
    """The question asked about one missing or changed file."""

    def __init__(self, parent: QWidget, check: FileCheck) -> None:
        super().__init__(parent)
        self.setObjectName("workspaceFileProblem")
        self.setIcon(QMessageBox.Icon.Warning)
        name = Path(check.entry.path).name
        if check.status == MISSING:
            if check.wants_folder:  # a DuckDB workspace's Parquet folder
                self.setWindowTitle(self.tr("Folder not found"))
                text = self.tr("The workspace's folder “{name}” was not found.")
            else:
                self.setWindowTitle(self.tr("File not found"))
                text = self.tr("The workspace's file “{name}” was not found.")
            self.setText(text.format(name=name))
            self.setInformativeText(
                self.tr(
                    "Locate… lets you point to where it is now. "
                    "Open anyway opens the workspace without it."
                )
            )
        else:
            self.setWindowTitle(self.tr("File has changed"))
            self.setText(
                self.tr("“{name}” has changed since the workspace was saved.").format(name=name)
            )
            self.setInformativeText(
                self.tr(
                    "Its events may differ from what the workspace showed. Locate… lets you "
                    "choose another copy; Open anyway opens it as it is now."
                )
            )
        self.setDetailedText(check.message)
        self.locate_button = self.addButton(self.tr("Locate…"), QMessageBox.ButtonRole.ActionRole)
        self.anyway_button = self.addButton(
            self.tr("Open anyway"), QMessageBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.locate_button)


def ask_about(parent: QWidget, check: FileCheck) -> str:
    """LOCATE, ANYWAY or CANCEL for a missing or changed file (a modal question)."""
    box = FileProblemBox(parent, check)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is box.locate_button:
        return LOCATE
    if clicked is box.anyway_button:
        return ANYWAY
    return CANCEL


def locate(parent: QWidget, check: FileCheck) -> Path | None:
    """Where the file (or, for a DuckDB workspace's Parquet folder, the folder) is now."""
    title = QCoreApplication.translate("FileProblemBox", "Locate {name}").format(
        name=Path(check.entry.path).name
    )
    start = str(check.path.parent if check.path.parent.is_dir() else Path.home())
    if check.wants_folder:
        name = QFileDialog.getExistingDirectory(parent, title, start)
    else:
        name, _ = QFileDialog.getOpenFileName(
            parent, title, start, QCoreApplication.translate("FileProblemBox", "All files (*)")
        )
    return Path(name) if name else None


def resolve(
    checks: list[FileCheck],
    ask: Callable[[FileCheck], str],
    find: Callable[[FileCheck], Path | None],
) -> list[FileCheck] | None:
    """Ask about each missing or changed file until it is found or let be; None if the
    user cancels."""
    resolved = []
    for check in checks:
        while check.status != OK:
            answer = ask(check)
            if answer == CANCEL:
                return None
            if answer == ANYWAY:
                break
            located = find(check)
            if located is not None:
                check = check_file(check.entry, located, check.folders)
        resolved.append(check)
    return resolved
