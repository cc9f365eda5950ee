"""Placeholder filter panel (being replaced by the real one)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from timeline_app.model.state import AppState


class FilterPanel(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        QVBoxLayout(self).addWidget(QLabel("filters"))
