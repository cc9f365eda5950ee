"""The region tree country > admin1 > admin2, checkable, with counts.

A small QAbstractItemModel over :class:`timeline_app.model.facets.RegionTree` (one
node per distinct place name, not per event), behind a recursive filter proxy that
hides places with no event under the other filters and follows the search box.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from timeline_app.model.facets import RegionTree
from timeline_app.model.text import fold
from timeline_app.ui.filter_widgets.facet_list import NameCountDelegate
from timeline_app.ui.formatting import count

CHECK = Qt.ItemDataRole.CheckStateRole
NODE = Qt.ItemDataRole.UserRole + 1


class RegionTreeModel(QAbstractItemModel):
    """Nodes are numbered as in the RegionTree; an index's internal id is its node."""

    toggled = Signal(str, bool)
    repaint_all = Signal()  # every count changed, the same places pass: repaint the view

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tree: RegionTree | None = None
        self.roots: list[int] = []
        self.position = np.zeros(0, dtype=np.int64)
        self.folded: list[str] = []
        self.counts = np.zeros(0)
        self.checked: set[str] = set()
        self._pending: Callable[[], RegionTree] | None = None

    def set_tree(self, tree: RegionTree | None) -> None:
        self._pending = None
        self.beginResetModel()
        self.tree = tree
        names = tree.names if tree is not None else []
        self.folded = tree.folded if tree is not None else []
        roots = np.flatnonzero(tree.parent < 0).tolist() if tree is not None else []
        self.roots = sorted(roots, key=self.folded.__getitem__)
        position = [0] * len(names)  # each node's row under its parent
        for kids in [self.roots, *(tree.children if tree is not None else [])]:
            for row, k in enumerate(kids):
                position[k] = row
        self.position = np.asarray(position, dtype=np.int64)
        self.counts = np.zeros(len(names))
        self.endResetModel()

    def set_tree_later(self, tree: Callable[[], RegionTree]) -> None:
        """Empty the tree now and take it from ``tree()`` when the first counts come (see
        FacetListModel.set_names_later: nothing shows before them anyway)."""
        self.set_tree(None)
        self._pending = tree

    def set_counts(self, counts: np.ndarray) -> bool:
        """New counts; False when nothing changed (the caller then skips a refilter)."""
        if self._pending is not None:
            self.set_tree(self._pending())
        counts = np.asarray(counts, dtype=np.float64)
        if len(counts) == len(self.counts) and np.array_equal(counts, self.counts):
            return False
        self._change(lambda: setattr(self, "counts", counts), None)
        return True

    def set_checked(self, names) -> bool:
        checked = {fold(n) for n in names}
        if checked == self.checked:
            return False
        toggled = [
            i for i, key in enumerate(self.folded) if (key in checked) != (key in self.checked)
        ]
        self._change(lambda: setattr(self, "checked", checked), toggled)
        return True

    def ticked(self) -> np.ndarray:
        """Per node, whether it is ticked."""
        return np.fromiter((key in self.checked for key in self.folded), bool, len(self.folded))

    def _change(self, change: Callable[[], None], nodes: list[int] | None) -> None:
        """Apply ``change`` (counts or ticks) and repaint ``nodes`` (None: every node).
        The tree's shape never changes with them, so no layout change: which places show
        is the proxy's to work out again (RegionTreeView.refresh)."""
        change()
        if nodes is None:
            # Every count: one repaint of what the view shows, not one dataChanged per
            # parent (thousands of places: ~60 ms at 1M rows, for rows mostly hidden).
            self.repaint_all.emit()
        else:
            for node in nodes:
                self._repaint(node, node)

    def _repaint(self, first: int, last: int) -> None:
        top = self.createIndex(int(self.position[first]), 0, first)
        bottom = self.createIndex(int(self.position[last]), 0, last)
        self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole, CHECK])

    def node_of(self, index: QModelIndex) -> int:
        return int(index.internalId()) if index.isValid() else -1

    def kids(self, node: int) -> list[int]:
        """The children of ``node`` (-1: the top places)."""
        if self.tree is None:
            return []
        return self.roots if node < 0 else self.tree.children[node]

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        kids = self.kids(self.node_of(parent))
        if column != 0 or not 0 <= row < len(kids):
            return QModelIndex()
        return self.createIndex(row, 0, kids[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or self.tree is None:
            return QModelIndex()
        up = int(self.tree.parent[self.node_of(index)])
        if up < 0:
            return QModelIndex()
        return self.createIndex(int(self.position[up]), 0, up)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.kids(self.node_of(parent)))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.tree is None:
            return None
        node = self.node_of(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.tree.names[node]}  ({count(int(self.counts[node]))})"
        if role == CHECK:
            return (
                Qt.CheckState.Checked
                if self.folded[node] in self.checked
                else Qt.CheckState.Unchecked
            )
        if role == Qt.ItemDataRole.UserRole:
            return self.tree.names[node]
        if role == NODE:
            return node
        return None

    def toggle(self, node: int) -> None:
        assert self.tree is not None
        self.toggled.emit(self.tree.names[node], self.folded[node] not in self.checked)


class _RegionFilter(QSortFilterProxyModel):
    """Shows places with events (or ticked) that match the search, and the parents of
    those. Which nodes show is worked out with numpy once per change (``shown``), not by
    Qt's recursive filtering, which asks Python about every place and every descendant
    (thousands of calls per filter change at 1M rows: ~100 ms)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.query = ""
        self.shown = np.zeros(0, dtype=bool)
        self._matching: tuple[str, list[str], np.ndarray] | None = None

    def set_query(self, text: str) -> None:
        self.query = fold(text)
        self.refilter()

    def nodes_to_show(self) -> np.ndarray:
        source: RegionTreeModel = self.sourceModel()
        if source.tree is None:
            return np.zeros(0, dtype=bool)
        ticked = source.ticked()
        shown = ticked | ((source.counts[: len(ticked)] > 0) & self._matches(source.folded))
        up = source.tree.parent
        rising = np.flatnonzero(shown)
        while len(rising):  # the parents of what shows show (a few levels deep)
            rising = up[rising]
            rising = np.unique(rising[rising >= 0])
            rising = rising[~shown[rising]]
            shown[rising] = True
        return shown

    def _matches(self, folded: list[str]) -> np.ndarray:
        if not self.query:
            return np.ones(len(folded), dtype=bool)
        kept = self._matching
        if kept is None or kept[0] != self.query or kept[1] is not folded:
            found = np.fromiter((self.query in key for key in folded), bool, len(folded))
            kept = self._matching = (self.query, folded, found)
        return kept[2]

    def refilter(self, shown: np.ndarray | None = None) -> None:
        """Show the places of ``shown`` (by default :meth:`nodes_to_show`, worked out now)."""
        self.shown = self.nodes_to_show() if shown is None else shown
        # Qt 6.10 deprecates invalidateFilter() for begin/endFilterChange().
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        source: RegionTreeModel = self.sourceModel()
        kids = source.kids(source.node_of(parent))
        if not 0 <= row < len(kids) or kids[row] >= len(self.shown):
            return False
        return bool(self.shown[kids[row]])


class RegionTreeView(QWidget):
    """Search box + tree. A click on a place toggles it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regionFacet")
        self.model = RegionTreeModel(self)
        self.proxy = _RegionFilter(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.search = QLineEdit(self)
        self.search.setObjectName("regionSearch")
        self.search.setPlaceholderText(self.tr("Find a place…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        layout.addWidget(self.search)
        self.view = QTreeView(self)
        self.view.setObjectName("regionTree")
        self.view.setAccessibleName(self.tr("Regions"))
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # The count whole, the name cut (Qt cut "Burkina Faso  (1,136,400)" in the middle
        # of the whole text: "Burkina Fa…1,136,400)").
        self.view.setItemDelegate(NameCountDelegate(self.view))
        self.view.setModel(self.proxy)
        self.model.repaint_all.connect(self.view.viewport().update)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.clicked.connect(self._on_clicked)
        self.view.setFixedHeight(190)
        layout.addWidget(self.view)

    def refresh(self) -> None:
        """Filter the places again if others show now (new counts, ticks)."""
        shown = self.proxy.nodes_to_show()
        if len(shown) != len(self.proxy.shown) or not np.array_equal(shown, self.proxy.shown):
            self.proxy.refilter(shown)

    def reveal_checked(self) -> None:
        """Expand the parents of every ticked place (after an undo, a workspace, a chip)."""
        tree = self.model.tree
        if tree is None:
            return
        for node, key in enumerate(self.model.folded):
            if key not in self.model.checked:
                continue
            up = int(tree.parent[node])
            while up >= 0:
                source = self.model.createIndex(int(self.model.position[up]), 0, up)
                index = self.proxy.mapFromSource(source)
                if index.isValid():
                    self.view.expand(index)
                up = int(tree.parent[up])

    def _on_search(self, text: str) -> None:
        self.proxy.set_query(text)
        if text:
            self.view.expandAll()

    def _on_clicked(self, index: QModelIndex) -> None:
        node = self.proxy.data(index, NODE)
        if node is not None:
            self.model.toggle(int(node))

    def proxy_index(self, *path: str) -> QModelIndex:
        """The view index of a place by its path of names ("Mali", "Mopti")."""
        parent = QModelIndex()
        for name in path:
            key = fold(name)
            found = QModelIndex()
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                if fold(self.proxy.data(index, Qt.ItemDataRole.UserRole)) == key:
                    found = index
                    break
            if not found.isValid():
                return found
            parent = found
        return parent
