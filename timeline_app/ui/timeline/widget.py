"""Placeholder timeline widget (being replaced by the real pyqtgraph timeline)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from timeline_app.model.state import AppState


class TimelineWidget(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("timeline"))
