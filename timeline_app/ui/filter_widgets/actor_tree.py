"""The Filters dock's actor list: canonical actors with their raw spellings under them,
each with its count (model/actor_facet.py), checkable, searchable; and "Include uncertain
attributions" (off by default), the filter spec's ``include_uncertain_actors``.

A small QAbstractItemModel over :class:`ActorTree` (one node per actor or spelling, a
few thousand at most, never one per event) that itself hides entries with no event under
the other filters, follows the search box and sorts by count (no sort/filter proxy).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from timeline_app.model.actor_facet import ActorTree, node_of_term
from timeline_app.model.text import fold
from timeline_app.model.tree_rows import TreeRows, matching, name_ranks, tree_rows
from timeline_app.ui.filter_widgets.facet_list import NameCountDelegate
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP, message

Index = QModelIndex | QPersistentModelIndex
CHECK = Qt.ItemDataRole.CheckStateRole
NODE = Qt.ItemDataRole.UserRole + 1
COUNT = Qt.ItemDataRole.UserRole + 2
#: What new counts change in an entry.
COUNT_ROLES = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, COUNT]
#: After an uncertain spelling's count (kept whole, as the count is, however narrow).
UNCERTAIN_MARK = QT_TRANSLATE_NOOP("ActorTree", " · uncertain")
EMPTY_TREE = ActorTree(
    [], [], [], np.zeros(0, np.int64), [], *(np.zeros(0, np.int64),) * 2,
    *(np.zeros(0, bool),) * 2, True, [], [],
)  # fmt: skip


ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
LEAF_FLAGS = ITEM_FLAGS | Qt.ItemFlag.ItemNeverHasChildren
#: Top rows the list shows at most (the most counted, and whatever is ticked): Qt lays out
#: every top row at each change of the rows, asking Python two or three times a row
#: (3,300 actors at 1M events: ~6,700 calls, the longest UI stall of a filter change).
#: The others are a search away, as the note under the list says.
SHOWN_MAX = 200
MORE_NOTE = QT_TRANSLATE_NOOP(
    "ActorTree", "{count} more with fewer events: type a name to find them."
)


class ActorTreeModel(QAbstractItemModel):
    """Nodes are the tree's, then one per ticked term the tree has no node for (listed so
    that it can be unticked). An index's internal id is its node.

    The model shows the entries with events (or ticked) matching the search, most events
    first, a canonical actor while one of its spellings shows, itself: which rows and
    their order are numpy over the node arrays (model/tree_rows.py). No sort proxy: its
    Python ``lessThan`` re-sorted 3,000 names (~74k calls) on the UI thread at every filter
    change. New counts or ticks on the same rows are a ``dataChanged``; rows that move are
    one ``layoutChanged`` (the view keeps what is expanded, current and scrolled)."""

    toggled = Signal(str, bool)  # the node's term, ticked or not
    more_changed = Signal(int)  # how many top rows the list leaves out (SHOWN_MAX)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tree = EMPTY_TREE
        self.extras: list[str] = []  # ticked terms with no node
        self.counts = np.zeros(0)
        self.checked: set[str] = set()  # folded terms
        self.query = ""
        self._checked_nodes = np.zeros(0, dtype=bool)
        self._terms: list[str] = []
        self._pending: Callable[[], ActorTree] | None = None
        # Per node (the tree's, then the extras), kept until the tree or extras change.
        self._parent = np.zeros(0, dtype=np.int64)
        self._rank = np.zeros(0, dtype=np.int64)  # place in the folded names' order
        self._keys = np.zeros(0, dtype=np.str_)  # what the search box finds it by
        self._matches = np.zeros(0, dtype=bool)
        self._branch = np.zeros(0, dtype=bool)
        self._top = np.zeros(0, dtype=np.int64)  # each node's top ancestor (itself at the top)
        self.more = 0  # top rows left out
        # The arrays above per extras of this tree: filters that alternate between
        # terms with and without a node (a typed actor) rank 3,000 names once, not at
        # each change (~1 ms at each filter change on the UI thread).
        self._by_extras: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._rows = tree_rows(*(np.zeros(0, dtype=np.int64),) * 4)

    # -- content ---------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return self.tree.names + self.extras

    def set_tree(self, tree: ActorTree | None) -> None:
        self._pending = None
        self.beginResetModel()
        self.tree = tree or EMPTY_TREE
        self._by_extras.clear()
        self.counts = np.zeros(len(self.tree.names))
        self._place(self._terms)
        self._rows = self._arranged()
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
        n = len(self._parent)
        counts = np.concatenate([counts, np.zeros(max(n - len(counts), 0))])[:n]
        if len(counts) == len(self.counts) and np.array_equal(counts, self.counts):
            return False
        self._show(lambda: setattr(self, "counts", counts), COUNT_ROLES)
        return True

    def set_checked(self, terms) -> bool:
        terms = list(terms)
        if {fold(t) for t in terms} == self.checked and self._terms == terms:
            return False
        extras = [t for t in dict.fromkeys(terms) if node_of_term(self.tree, t) < 0]
        if extras == self.extras:
            before = self._checked_nodes

            def ticks_changed() -> np.ndarray:
                now = self._checked_nodes
                if len(now) != len(before):
                    return np.arange(len(now))
                return np.flatnonzero(now != before)

            self._show(lambda: self._place(terms), [CHECK], ticks_changed)
            return True
        # A ticked term the table has no entry for (rare): the extras' nodes renumber.
        self.beginResetModel()
        self._place(terms)
        self._rows = self._arranged()
        self.endResetModel()
        return True

    def set_query(self, text: str) -> None:
        query = fold(text)
        if query != self.query:
            self._show(lambda: self._search(query), [])

    def _show(
        self,
        change: Callable[[], None],
        roles: list[int],
        changed: Callable[[], np.ndarray] | None = None,
    ) -> None:
        """Apply ``change``; the same rows in the same order repaint their ``roles``
        (the ``changed()`` nodes only when given, else one range per parent shown), else
        the rows move in one layout change. (Qt's tree asks every row of a range for its
        size again: the 200 top actors and their spellings at each tick, ~a third of a
        filter change's time on the UI thread, for the two or three rows ticked.)"""
        before = self._rows
        nodes = len(self._parent)
        change()
        rows = self._arranged()
        if len(self._parent) == nodes and rows.same_as(before) and changed is not None:
            self._rows = rows
            for node in changed().tolist():
                row = int(rows.row[node]) if node < len(rows.row) else -1
                if row >= 0:
                    index = self.createIndex(row, 0, node)
                    self.dataChanged.emit(index, index, roles)
            return
        if len(self._parent) == nodes and rows.same_as(before):
            self._rows = rows
            for up, kids in rows.kids.items():
                if kids:
                    row = int(rows.row[up])
                    parent = QModelIndex() if up < 0 else self.createIndex(row, 0, up)
                    self.dataChanged.emit(
                        self.index(0, 0, parent), self.index(len(kids) - 1, 0, parent), roles
                    )
            return
        self.layoutAboutToBeChanged.emit()
        self._rows = rows
        old = self.persistentIndexList()
        new = []
        for index in old:
            node = int(index.internalId())
            row = int(rows.row[node]) if node < len(rows.row) else -1
            new.append(self.createIndex(row, 0, node) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _arranged(self) -> TreeRows:
        wanted = self._checked_nodes | ((self.counts > 0) & self._matches)
        rows = tree_rows(self._parent, wanted, self.counts, self._rank)
        tops = rows.kids.get(-1, [])
        more = 0
        if len(tops) > SHOWN_MAX:
            kept = np.zeros(len(self._parent), dtype=bool)
            kept[tops[:SHOWN_MAX]] = True
            kept[self._top[self._checked_nodes]] = True  # a ticked entry always shows
            rows = tree_rows(self._parent, wanted & kept[self._top], self.counts, self._rank)
            more = len(tops) - len(rows.kids.get(-1, []))
        if more != self.more:
            self.more = more
            self.more_changed.emit(more)
        return rows

    def _search(self, query: str) -> None:
        self.query = query
        self._matches = matching(self._keys, query)

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
        if extras != self.extras or len(self._parent) != len(self.tree.names) + len(extras):
            self.extras = extras
            self._index_nodes()
        self._checked_nodes = np.concatenate([checked, np.ones(len(extras), dtype=bool)])
        n = len(self._checked_nodes)
        self.counts = np.concatenate([self.counts, np.zeros(max(n - len(self.counts), 0))])[:n]

    def _index_nodes(self) -> None:
        """The per-node arrays the rows are chosen and ordered by (once per tree and
        extras: folding and ranking 3,000 names, not at each filter change)."""
        tree, extras = self.tree, [fold(e) for e in self.extras]
        known = self._by_extras.get(tuple(extras))
        if known is None:
            if len(self._by_extras) >= 8:
                self._by_extras.clear()
            known = self._by_extras[tuple(extras)] = (
                np.concatenate([tree.parent, np.full(len(extras), -1, dtype=np.int64)]),
                name_ranks(tree.folded_names + extras),
                np.asarray(tree.search_keys + extras, dtype=np.str_),
            )
        self._parent, self._rank, self._keys = known
        self._branch = np.zeros(len(self._parent), dtype=bool)  # may have children
        self._branch[self._parent[self._parent >= 0]] = True
        top = np.arange(len(self._parent), dtype=np.int64)
        while (self._parent[top] >= 0).any():  # a couple of levels: actor, spelling
            top = np.where(self._parent[top] >= 0, self._parent[top], top)
        self._top = top
        self._matches = matching(self._keys, self.query)

    # -- what the panel and tests read ------------------------------------------------------
    def term_of(self, node: int) -> str:
        return (
            self.tree.terms[node]
            if node < len(self.tree.terms)
            else self.extras[node - len(self.tree.terms)]
        )

    def name_of(self, node: int) -> str:
        return self.names[node]

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
        return self._rows.kids.get(node, [])

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        kids = self._kids(int(parent.internalId()) if parent.isValid() else -1)
        if column != 0 or not 0 <= row < len(kids):
            return QModelIndex()
        return self.createIndex(row, 0, kids[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        up = int(self._parent[int(index.internalId())])
        if up < 0:
            return QModelIndex()
        return self.createIndex(int(self._rows.row[up]), 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._kids(int(parent.internalId()) if parent.isValid() else -1))

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

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
        tip = tip.format(name=message(self.tree.tips[node]), count=number)
        if self.tree.canonical[node] >= 0:
            return tip + self.tr("; ticking it keeps every spelling below")
        if self.is_uncertain(node):
            return tip + self.tr(" (the source could not settle who it was)")
        return tip

    def flags(self, index: Index):
        # Qt asks twice per row at every relayout (3,000 rows after a filter change):
        # the flags made once, and "never has children" for spellings, so that Qt does
        # not ask those for their children as well.
        node = int(index.internalId()) if index.isValid() else -1
        if 0 <= node < len(self._branch) and not self._branch[node]:
            return LEAF_FLAGS
        return ITEM_FLAGS

    def toggle(self, node: int) -> None:
        self.toggled.emit(self.term_of(node), not bool(self._checked_nodes[node]))


class ActorTreeView(QWidget):
    """Search box, tree, and "Include uncertain attributions". A click toggles an entry."""

    uncertain_toggled = Signal(bool)

    def __init__(self, rows: int = 9, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actorFacet")
        self.model = ActorTreeModel(self)
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
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.clicked.connect(self._on_clicked)
        self.view.installEventFilter(self)
        self.view.setFixedHeight(rows * 19 + 6)
        layout.addWidget(self.view)
        self.more_note = QLabel(self)
        self.more_note.setObjectName("actorFacetMore")
        self.more_note.setWordWrap(True)
        self.more_note.setEnabled(False)  # a quiet, greyed note
        self.more_note.hide()
        layout.addWidget(self.more_note)
        self.model.more_changed.connect(self._show_more)
        self.uncertain = QCheckBox(self.tr("With uncertain attributions"), self)
        self.uncertain.setObjectName("includeUncertainActors")
        self.uncertain.setToolTip(
            self.tr(
                "Also keep the events a source gave to “X and/or Y” (ACLED): an attribution "
                "it could not settle. Off by default."
            )
        )
        self.uncertain.toggled.connect(self.uncertain_toggled)
        layout.addWidget(self.uncertain)

    def shown_names(self) -> list[str]:
        """The entries listed, in order, a canonical actor's spellings after it (expanded
        or not)."""
        out: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                out.append(str(index.data(Qt.ItemDataRole.UserRole)))
                walk(index)

        walk(QModelIndex())
        return out

    def view_index(self, name: str) -> QModelIndex:
        """The view's index of the first entry shown as ``name`` (expanding its parent)."""
        key = fold(name)

        def find(parent: QModelIndex) -> QModelIndex:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                if fold(str(index.data(Qt.ItemDataRole.UserRole))) == key:
                    return index
                found = find(index)
                if found.isValid():
                    self.view.expand(index)
                    return found
            return QModelIndex()

        return find(QModelIndex())

    def _show_more(self, count_left: int) -> None:
        if count_left:
            text = QCoreApplication.translate("ActorTree", MORE_NOTE)
            self.more_note.setText(text.format(count=count(count_left)))
        self.more_note.setVisible(bool(count_left))

    def _on_search(self, text: str) -> None:
        self.model.set_query(text)
        if text:
            self.view.expandAll()

    def _on_clicked(self, index: QModelIndex) -> None:
        node = self.model.data(index, NODE)
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
