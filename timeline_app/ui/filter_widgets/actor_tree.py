"""The Filters dock's actor list: canonical actors with their raw spellings under them,
each with its count (model/actor_facet.py), checkable, searchable; and "Include uncertain
attributions" (off by default), the filter spec's ``include_uncertain_actors``.

A small QAbstractItemModel over :class:`ActorTree` (one node per actor or spelling, a
few thousand at most, never one per event), behind a recursive filter proxy that hides
entries with no event under the other filters, follows the search box and sorts by count.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from timeline_app.model.actor_facet import ActorTree, node_of_term
from timeline_app.model.text import fold
from timeline_app.ui.filter_widgets.facet_list import _NameCountDelegate as NameCountDelegate
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex
CHECK = Qt.ItemDataRole.CheckStateRole
NODE = Qt.ItemDataRole.UserRole + 1
COUNT = Qt.ItemDataRole.UserRole + 2
#: After an uncertain spelling's count (kept whole, as the count is, however narrow).
UNCERTAIN_MARK = QT_TRANSLATE_NOOP("ActorTree", " · uncertain")
EMPTY_TREE = ActorTree(
    [], [], [], np.zeros(0, np.int64), [], *(np.zeros(0, np.int64),) * 2,
    *(np.zeros(0, bool),) * 2, True, [], [],
)  # fmt: skip


class ActorTreeModel(QAbstractItemModel):
    """Nodes are the tree's, then one per ticked term the tree has no node for (listed so
    that it can be unticked). An index's internal id is its node."""

    toggled = Signal(str, bool)  # the node's term, ticked or not

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tree = EMPTY_TREE
        self.extras: list[str] = []  # ticked terms with no node
        self.counts = np.zeros(0)
        self.checked: set[str] = set()  # folded terms
        self._checked_nodes = np.zeros(0, dtype=bool)
        self._terms: list[str] = []
        self._pending: Callable[[], ActorTree] | None = None
        self._top: list[int] = []
        self._top_key: tuple[int, int] | None = None

    # -- content ---------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return self.tree.names + self.extras

    def set_tree(self, tree: ActorTree | None) -> None:
        self._pending = None
        self.beginResetModel()
        self.tree = tree or EMPTY_TREE
        self.counts = np.zeros(len(self.tree.names))
        self._place(self._terms)
        self.endResetModel()

    def set_tree_later(self, tree: Callable[[], ActorTree]) -> None:
        """Empty the list now and take its tree from ``tree()`` when the first counts come
        (a big table's counts come from a thread that builds it anyway)."""
        self.set_tree(None)
        self._pending = tree

    def set_counts(self, counts: np.ndarray, tree: ActorTree | None = None) -> bool:
        """New counts (for ``tree``, when it replaces the one shown); False if the same."""
        if tree is not None and tree is not self.tree:
            self.set_tree(tree)
        elif self._pending is not None:
            self.set_tree(self._pending())
        counts = np.asarray(counts, dtype=np.float64)
        n = len(self.tree.names) + len(self.extras)
        counts = np.concatenate([counts, np.zeros(max(n - len(counts), 0))])[:n]
        if len(counts) == len(self.counts) and np.array_equal(counts, self.counts):
            return False
        self.layoutAboutToBeChanged.emit()
        self.counts = counts
        self.layoutChanged.emit()
        return True

    def set_checked(self, terms) -> bool:
        terms = list(terms)
        if {fold(t) for t in terms} == self.checked and self._terms == terms:
            return False
        self.beginResetModel()
        self._place(terms)
        self.endResetModel()
        return True

    def _place(self, terms: list[str]) -> None:
        self._terms = terms
        self.checked = {fold(t) for t in terms}
        checked = np.zeros(len(self.tree.names), dtype=bool)
        extras = []
        for term in dict.fromkeys(terms):
            node = node_of_term(self.tree, term)
            if node >= 0:
                checked[node] = True
            else:
                extras.append(term)
        self.extras = extras
        self._checked_nodes = np.concatenate([checked, np.ones(len(extras), dtype=bool)])
        n = len(self._checked_nodes)
        self.counts = np.concatenate([self.counts, np.zeros(max(n - len(self.counts), 0))])[:n]

    # -- what the panel and tests read ------------------------------------------------------
    def term_of(self, node: int) -> str:
        return (
            self.tree.terms[node]
            if node < len(self.tree.terms)
            else self.extras[node - len(self.tree.terms)]
        )

    def name_of(self, node: int) -> str:
        return self.names[node]

    def search_key(self, node: int) -> str:
        """What the search box finds ``node`` by: its name, and an actor's aliases."""
        if node < len(self.tree.keys):
            return self.tree.keys[node] + (" | uncertain" if self.is_uncertain(node) else "")
        return fold(self.names[node])

    def is_uncertain(self, node: int) -> bool:
        return node < len(self.tree.uncertain) and bool(self.tree.uncertain[node])

    def node_of_name(self, name: str) -> int:
        """The first node shown as ``name`` (a canonical actor before its spellings)."""
        key = fold(name)
        for node, shown in enumerate(self.names):
            if fold(shown) == key:
                return node
        return -1

    def count_of(self, name: str) -> int:
        node = self.node_of_name(name)
        return 0 if node < 0 else int(self.counts[node])

    def is_checked(self, name: str) -> bool:
        node = self.node_of_name(name)
        return node >= 0 and bool(self._checked_nodes[node])

    # -- Qt ---------------------------------------------------------------------------------
    def _kids(self, node: int) -> list[int]:
        if node < 0:
            # Kept per tree and extras (Qt asks for them on every index()).
            key = (id(self.tree), len(self.extras))
            if self._top_key != key:
                first = len(self.tree.names)
                self._top = self.tree.roots + list(range(first, first + len(self.extras)))
                self._top_key = key
            return self._top
        return self.tree.children[node] if node < len(self.tree.children) else []

    def _up(self, node: int) -> int:
        return int(self.tree.parent[node]) if node < len(self.tree.parent) else -1

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        kids = self._kids(int(parent.internalId()) if parent.isValid() else -1)
        if column != 0 or not 0 <= row < len(kids):
            return QModelIndex()
        return self.createIndex(row, 0, kids[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        up = self._up(int(index.internalId()))
        if up < 0:
            return QModelIndex()
        return self.createIndex(self._kids(self._up(up)).index(up), 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._kids(int(parent.internalId()) if parent.isValid() else -1))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = int(index.internalId())
        if role == Qt.ItemDataRole.DisplayRole:
            mark = (
                QCoreApplication.translate("ActorTree", UNCERTAIN_MARK)
                if self.is_uncertain(node)
                else ""
            )
            return f"{self.name_of(node)}  ({count(int(self.counts[node]))}){mark}"
        if role == Qt.ItemDataRole.UserRole:
            return self.name_of(node)
        if role == CHECK:
            on = bool(self._checked_nodes[node])
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(node)
        if role == Qt.ItemDataRole.FontRole and self.is_uncertain(node):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and self.is_uncertain(node):
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        if role == NODE:
            return node
        if role == COUNT:
            return float(self.counts[node])
        return None

    def _tip(self, node: int) -> str:
        tip = self.tr("{name}: {count} events under the other filters")
        number = count(int(self.counts[node]))
        if node >= len(self.tree.names):
            return tip.format(name=self.extras[node - len(self.tree.names)], count=number)
        tip = tip.format(name=self.tree.tips[node], count=number)
        if self.tree.canonical[node] >= 0:
            return tip + self.tr("; ticking it keeps every spelling below")
        if self.is_uncertain(node):
            return tip + self.tr(" (the source could not settle who it was)")
        return tip

    def flags(self, index: Index):
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def toggle(self, node: int) -> None:
        self.toggled.emit(self.term_of(node), not bool(self._checked_nodes[node]))


class _ActorFilter(QSortFilterProxyModel):
    """Entries with events (or ticked) matching the search, most events first; a
    canonical actor stays while one of its spellings matches (recursive filtering)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.query = ""
        self.setRecursiveFilteringEnabled(True)
        self.setSortRole(COUNT)

    def set_query(self, text: str) -> None:
        self.query = fold(text)
        self.refilter()

    def refilter(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10
            self.beginFilterChange()
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        source = self.sourceModel()
        assert isinstance(source, ActorTreeModel)
        index = source.index(row, 0, parent)
        if not index.isValid():
            return False
        node = int(index.internalId())
        if source._checked_nodes[node]:
            return True
        if source.counts[node] <= 0:
            return False
        return not self.query or self.query in source.search_key(node)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(COUNT), right.data(COUNT)
        if a != b:
            return a < b
        # Equal counts: by name, A first (the sort is descending, hence reversed here).
        return fold(str(left.data(Qt.ItemDataRole.UserRole))) > fold(
            str(right.data(Qt.ItemDataRole.UserRole))
        )


class ActorTreeView(QWidget):
    """Search box, tree, and "Include uncertain attributions". A click toggles an entry."""

    uncertain_toggled = Signal(bool)

    def __init__(self, rows: int = 9, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actorFacet")
        self.model = ActorTreeModel(self)
        self.proxy = _ActorFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(True)
        self.proxy.sort(0, Qt.SortOrder.DescendingOrder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.search = QLineEdit(self)
        self.search.setObjectName("actorFacetSearch")
        self.search.setPlaceholderText(self.tr("Find…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        layout.addWidget(self.search)
        self.view = QTreeView(self)
        self.view.setObjectName("actorFacetList")
        self.view.setAccessibleName(self.tr("Actors"))
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setIndentation(14)
        self.view.setItemDelegate(NameCountDelegate(self.view))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setModel(self.proxy)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.clicked.connect(self._on_clicked)
        self.view.installEventFilter(self)
        self.view.setFixedHeight(rows * 19 + 6)
        layout.addWidget(self.view)
        self.uncertain = QCheckBox(self.tr("Include uncertain attributions"), self)
        self.uncertain.setObjectName("includeUncertainActors")
        self.uncertain.setToolTip(
            self.tr(
                "Also keep the events a source gave to “X and/or Y” (ACLED): an attribution "
                "it could not settle. Off by default."
            )
        )
        self.uncertain.toggled.connect(self.uncertain_toggled)
        layout.addWidget(self.uncertain)

    def refresh(self) -> None:
        self.proxy.refilter()
        self.proxy.sort(0, Qt.SortOrder.DescendingOrder)

    def shown_names(self) -> list[str]:
        """The entries listed, in order, a canonical actor's spellings after it (expanded
        or not)."""
        out: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                out.append(str(index.data(Qt.ItemDataRole.UserRole)))
                walk(index)

        walk(QModelIndex())
        return out

    def view_index(self, name: str) -> QModelIndex:
        """The view's index of the first entry shown as ``name`` (expanding its parent)."""
        key = fold(name)

        def find(parent: QModelIndex) -> QModelIndex:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                if fold(str(index.data(Qt.ItemDataRole.UserRole))) == key:
                    return index
                found = find(index)
                if found.isValid():
                    self.view.expand(index)
                    return found
            return QModelIndex()

        return find(QModelIndex())

    def _on_search(self, text: str) -> None:
        self.proxy.set_query(text)
        if text:
            self.view.expandAll()

    def _on_clicked(self, index: QModelIndex) -> None:
        node = self.proxy.data(index, NODE)
        if node is not None:
            self.model.toggle(int(node))

    def eventFilter(self, obj, event) -> bool:
        # Space toggles the current entry (keyboard users).
        if (
            obj is self.view
            and event.type() == event.Type.KeyPress
            and event.key() == Qt.Key.Key_Space
        ):
            index = self.view.currentIndex()
            if index.isValid():
                self._on_clicked(index)
                return True
        return super().eventFilter(obj, event)
