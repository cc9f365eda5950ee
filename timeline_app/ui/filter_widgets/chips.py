"""Active filters as small removable chips, laid out left to right and wrapped."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QSizePolicy, QToolButton, QWidget


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


class ChipBar(QWidget):
    """``set_chips([(label, remove), ...])`` shows one button per active filter; clicking
    one calls its ``remove``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterChips")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.flow = FlowLayout(self)
        self.chips: list[QToolButton] = []
        self.shown = 0
        self._removers: list[Callable[[], None]] = []

    def set_chips(self, chips: list[tuple[str, Callable[[], None]]]) -> None:
        """Buttons are reused (creating widgets is the slow part of a filter change)."""
        self._removers = [remove for _, remove in chips]
        while len(self.chips) < len(chips):
            chip = QToolButton(self)
            chip.setAutoRaise(False)
            k = len(self.chips)
            chip.clicked.connect(lambda _=False, k=k: self._removers[k]())
            self.flow.addWidget(chip)
            self.chips.append(chip)
        for chip, (label, _) in zip(self.chips, chips, strict=False):
            if chip.text() != f"{label}  ✕":
                chip.setText(f"{label}  ✕")
                chip.setToolTip(self.tr("Remove this filter: {label}").format(label=label))
                chip.setAccessibleName(self.tr("Remove filter {label}").format(label=label))
            chip.setVisible(True)
        for chip in self.chips[len(chips) :]:
            chip.setVisible(False)
        self.shown = len(chips)
        self.setVisible(bool(chips))
        self.flow.invalidate()
        self.updateGeometry()

    def labels(self) -> list[str]:
        return [c.text().removesuffix("  ✕") for c in self.chips[: self.shown]]

    def visible_chips(self) -> list[QToolButton]:
        return self.chips[: self.shown]
