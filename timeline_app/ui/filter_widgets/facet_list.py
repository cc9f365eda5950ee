"""A searchable, checkable list of the values of one filter field, each with its count.

The model holds one entry per distinct value (a few thousand actors at most), never
one per event: names, folded names and a numpy array of counts. Which entries show,
and in what order, is one numpy argsort per refresh.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListView,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from timeline_app.model.text import fold
from timeline_app.ui.elide import elide
from timeline_app.ui.formatting import count

CHECK = Qt.ItemDataRole.CheckStateRole


class FacetListModel(QAbstractListModel):
    """Entries shown: those matching the search with a count > 0, plus every checked one.

    ``toggled(name, checked)`` reports a click; the model does not change its own
    checks: the panel sets them back from the filter spec (``set_checked``)."""

    toggled = Signal(str, bool)
    #: The same entries show new counts or checks: repaint them. (Not ``dataChanged``:
    #: a QListView answers that, even for one row, by laying out every entry again,
    #: ~6 ms for 3,000 actors at every filter change.)
    repaint_needed = Signal()

    def __init__(self, order: str = "count", parent=None) -> None:
        super().__init__(parent)
        self.order_by = order  # "count" (most first) or "given" (the order of the names)
        self.names: list[str] = []
        #: How a value reads in the list (categories in the interface's language).
        self.label: Callable[[str], str] = str
        self.folded: list[str] = []
        self.counts = np.zeros(0)
        self.checked: set[str] = set()  # folded names
        self.query = ""
        self.shown = np.zeros(0, dtype=np.int64)
        self._index: dict[str, int] = {}
        self._by_name = np.zeros(0, dtype=np.int64)
        self._matches = np.zeros(0, dtype=bool)
        self._checked = np.zeros(0, dtype=bool)
        self._checked_names: list[str] = []
        self._pending: Callable[[], tuple[list[str], list[str]]] | None = None

    # -- content ---------------------------------------------------------------------------
    def set_names(self, names: list[str], folded: list[str] | None = None) -> None:
        """The values listed; ``folded`` (each name's :func:`fold`) when already known."""
        self._pending = None
        self.names = list(names)
        self.folded = list(folded) if folded is not None else [fold(n) for n in self.names]
        self._index = {f: i for i, f in reversed(list(enumerate(self.folded)))}
        # Orders computed once per table; a refresh only selects from them.
        self._by_name = np.argsort(np.asarray(self.folded, dtype=object), kind="stable")
        self._matches = np.ones(len(self.names), dtype=bool)
        self._checked = np.zeros(len(self.names), dtype=bool)
        self.counts = np.zeros(len(self.names))
        self.checked = set()
        self._checked_names = []
        self.query = ""
        self._refresh()

    def set_names_later(self, names: Callable[[], tuple[list[str], list[str]]]) -> None:
        """Empty the list now and take its (names, folded names) from ``names()`` when the
        first counts come. For a big table, whose counts come from a thread that builds
        the names anyway (the list shows nothing before them, counts being 0): they are
        then ready, instead of being built on the UI thread while the table opens."""
        self.set_names([])
        self._pending = names

    def _take_pending_names(self) -> None:
        names, folded = self._pending()
        checked, query = self._checked_names, self.query
        self.set_names(names, folded)
        if query:  # typed in the search box meanwhile
            self.query = query
            self._matches = np.fromiter((query in f for f in self.folded), bool, len(names))
        if checked:
            self.set_checked(checked)

    def set_counts(self, counts: np.ndarray) -> None:
        if self._pending is not None:
            self._take_pending_names()
        counts = np.asarray(counts, dtype=np.float64)
        if len(counts) < len(self.names):  # names added for ticked values have no events
            counts = np.concatenate([counts, np.zeros(len(self.names) - len(counts))])
        if len(counts) == len(self.counts) and np.array_equal(counts, self.counts):
            return
        self.counts = counts
        self._refresh()

    def set_checked(self, names) -> None:
        names = list(names)
        self._checked_names = names
        missing = [n for n in names if fold(n) not in self._index]
        if missing:  # a ticked value absent from this table stays listed, to be unticked
            self._add_names(missing)
        checked = {fold(n) for n in names}
        if checked != self.checked:
            self.checked = checked
            self._checked = np.zeros(len(self.names), dtype=bool)
            hits = [self._index[f] for f in checked if f in self._index]
            self._checked[hits] = True
            self._refresh()

    def _add_names(self, extra: list[str]) -> None:
        for name in dict.fromkeys(extra):
            self._index[fold(name)] = len(self.names)
            self.names.append(name)
            self.folded.append(fold(name))
        n = len(self.names)
        self.counts = np.concatenate([self.counts, np.zeros(n - len(self.counts))])
        self._checked = np.concatenate([self._checked, np.zeros(n - len(self._checked), bool)])
        self._matches = np.fromiter((self.query in f for f in self.folded), bool, n)
        self._by_name = np.argsort(np.asarray(self.folded, dtype=object), kind="stable")

    def set_query(self, text: str) -> None:
        self.query = fold(text)
        self._matches = np.fromiter((self.query in f for f in self.folded), bool, len(self.folded))
        self._refresh()

    def is_checked(self, name: str) -> bool:
        return fold(name) in self.checked

    def shown_names(self) -> list[str]:
        return [self.names[i] for i in self.shown]

    def count_of(self, name: str) -> int:
        i = self._index.get(fold(name))
        return 0 if i is None else int(self.counts[i])

    def _refresh(self) -> None:
        keep = ((self.counts > 0) & self._matches) | self._checked
        idx = self._by_name if self.order_by == "count" else np.arange(len(self.names))
        idx = idx[keep[idx]]
        if self.order_by == "count" and len(idx):
            idx = idx[np.argsort(-self.counts[idx], kind="stable")]  # most first, then by name
        if np.array_equal(idx, self.shown):
            self.repaint_needed.emit()
            return
        self.beginResetModel()
        self.shown = idx
        self.endResetModel()

    # -- Qt ---------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.shown)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.shown):
            return None
        i = int(self.shown[index.row()])
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.label(self.names[i])}  ({count(int(self.counts[i]))})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{name}: {count} events under the other filters").format(
                name=self.label(self.names[i]), count=count(int(self.counts[i]))
            )
        if role == CHECK:
            return (
                Qt.CheckState.Checked if self.folded[i] in self.checked else Qt.CheckState.Unchecked
            )
        if role == Qt.ItemDataRole.UserRole:
            return self.label(self.names[i])
        return None

    def flags(self, index: QModelIndex):
        # Not ItemIsUserCheckable: a click anywhere on the row toggles it (see FacetList),
        # and the check box alone would toggle it a second time.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def toggle_row(self, row: int) -> None:
        i = int(self.shown[row])
        self.toggled.emit(self.names[i], self.folded[i] not in self.checked)


class NameCountDelegate(QStyledItemDelegate):
    """Draws "name  (count)" with the count whole and the name cut where it keeps what
    tells it apart ("Protesters (Ethiopia)", "(South Africa)"): see ui/elide.py. For
    every list of names with counts (values, actors, places)."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        name = index.data(Qt.ItemDataRole.UserRole)
        text = option.text
        if not name or not text.startswith(name):
            return
        count = text[len(name) :]
        metrics = option.fontMetrics
        room = option.rect.width() - 28 - metrics.horizontalAdvance(count)  # check box
        option.text = elide(str(name), metrics, room) + count
        option.textElideMode = Qt.TextElideMode.ElideNone


class FacetList(QWidget):
    """A FacetListModel in a list view, with an optional search box above it."""

    def __init__(
        self,
        name: str,
        searchable: bool = True,
        order: str = "count",
        rows: int = 8,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.model = FacetListModel(order, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.search = QLineEdit(self)
        self.search.setObjectName(f"{name}Search")
        self.search.setPlaceholderText(self.tr("Find…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_query)
        self.search.setVisible(searchable)
        layout.addWidget(self.search)
        self.view = QListView(self)
        self.view.setObjectName(f"{name}List")
        self.view.setAccessibleName(name)
        self.view.setModel(self.model)
        self.model.repaint_needed.connect(self.view.viewport().update)
        self.view.setUniformItemSizes(True)  # fast layout for thousands of entries
        # Long names are cut in the middle, so the count at the end stays readable.
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setItemDelegate(NameCountDelegate(self.view))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.clicked.connect(lambda index: self.model.toggle_row(index.row()))
        self.view.installEventFilter(self)
        self.view.setFixedHeight(rows * 19 + 6)
        layout.addWidget(self.view)

    def eventFilter(self, obj, event) -> bool:
        # Space toggles the current entry (keyboard users).
        if (
            obj is self.view
            and event.type() == event.Type.KeyPress
            and event.key() == Qt.Key.Key_Space
        ):
            index = self.view.currentIndex()
            if index.isValid():
                self.model.toggle_row(index.row())
                return True
        return super().eventFilter(obj, event)

    def row_of(self, name: str) -> int:
        key = fold(name)
        for row, i in enumerate(self.model.shown):
            if self.model.folded[i] == key:
                return row
        return -1
