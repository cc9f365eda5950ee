"""Active filters as small removable chips, laid out left to right and wrapped, in a
box of fixed height."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from timeline_app.ui.elide import elide


class FlowLayout(QLayout):
    """Items left to right, wrapping to the next line (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._layout(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _layout(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


class ChipBar(QScrollArea):
    """``set_chips([(label, remove), ...])`` shows one button per active filter; clicking
    one calls its ``remove``.

    The chips wrap in a box of fixed height (ROWS rows; more scroll), always there, so
    that a chip added or removed never moves the lists below under the user's mouse (it
    grew by a row per chip, and the lists slid down as one ticked them). A long chip is
    cut to fit, its ✕ always shown and its whole text in the tooltip.
    """

    ROWS = 2
    #: A chip is at most this wide (and never wider than the box).
    CHIP_MAX_PX = 260
    CLOSE = "  ✕"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterChips")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.box = QWidget(self)
        self.flow = FlowLayout(self.box)
        self.setWidget(self.box)
        self.placeholder = QLabel(self.tr("No filter: every event is shown"), self.box)
        self.placeholder.setObjectName("noFilterChips")
        self.placeholder.setEnabled(False)  # drawn greyed: a note, not a control
        self.flow.addWidget(self.placeholder)
        self.chips: list[QToolButton] = []
        self.shown = 0
        self._labels: list[str] = []
        self._removers: list[Callable[[], None]] = []
        probe = QToolButton()  # never shown: the height of a chip
        probe.setText("Xg")
        row = probe.sizeHint().height()
        self.setFixedHeight(self.ROWS * row + (self.ROWS - 1) * self.flow.spacing() + 2)
        self.verticalScrollBar().setSingleStep(row)

    def set_chips(self, chips: list[tuple[str, Callable[[], None]]]) -> None:
        """Buttons are reused (creating widgets is the slow part of a filter change)."""
        self._removers = [remove for _, remove in chips]
        self._labels = [label for label, _ in chips]
        while len(self.chips) < len(chips):
            chip = QToolButton(self.box)
            chip.setAutoRaise(False)
            k = len(self.chips)
            chip.clicked.connect(lambda _=False, k=k: self._removers[k]())
            self.flow.addWidget(chip)
            self.chips.append(chip)
        for chip, label in zip(self.chips, self._labels, strict=False):
            if chip.property("label") != label:
                chip.setProperty("label", label)
                chip.setToolTip(self.tr("Remove this filter: {label}").format(label=label))
                chip.setAccessibleName(self.tr("Remove filter {label}").format(label=label))
            chip.setVisible(True)
        for chip in self.chips[len(chips) :]:
            chip.setVisible(False)
        self.shown = len(chips)
        self.placeholder.setVisible(not chips)
        self._fit_texts()

    def labels(self) -> list[str]:
        return list(self._labels)

    def visible_chips(self) -> list[QToolButton]:
        return self.chips[: self.shown]

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_texts()

    def _fit_texts(self) -> None:
        """Each chip's text cut to what fits beside its ✕ (names kept distinct, see
        ui/elide.py)."""
        room = min(self.CHIP_MAX_PX, self.viewport().width() - 2)
        for chip, label in zip(self.chips, self._labels, strict=False):
            metrics = chip.fontMetrics()
            padding = chip.sizeHint().width() - metrics.horizontalAdvance(chip.text())
            width = room - padding - metrics.horizontalAdvance(self.CLOSE)
            text = elide(label, metrics, max(width, 0)) + self.CLOSE
            if chip.text() != text:
                chip.setText(text)
            chip.setMaximumWidth(room)
        self.flow.invalidate()
        self.box.updateGeometry()
