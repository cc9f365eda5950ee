"""Tools > Actors Across Datasets…: each canonical actor with its raw spellings under
it (per dataset) and the events of each among the filtered rows; attributions the
source left uncertain are counted apart. Double-click an actor to filter to it.

The tree holds canonical actors and spellings (a few dozen), never events; the counts
are made on the worker helper and redone when the filter changes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.model.actor_groups import ActorGroup, actor_groups
from timeline_app.model.events import EventTable
from timeline_app.model.state import AppState
from timeline_app.ui.formatting import count
from timeline_app.ui.workers import Control, JobKind


def _count(_control: Control, table: EventTable, mask: np.ndarray) -> list[ActorGroup]:
    return actor_groups(table, mask)


class ActorGroupsDialog(QDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle(self.tr("Actors Across Datasets"))
        self.setObjectName("actorGroupsDialog")
        self.kind = JobKind("actor groups")
        self.groups: list[ActorGroup] = []
        note = QLabel(
            self.tr(
                "Canonical actors of the actor dictionary, with each dataset's spellings and "
                "their events among the filtered rows. Double-click an actor to filter to it "
                "(through all its names)."
            ),
            self,
        )
        note.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("actorGroups")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(
            [self.tr("Actor / spelling"), self.tr("Dataset"), self.tr("Events")]
        )
        self.tree.setAccessibleName(self.tr("Canonical actors and their spellings"))
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        self.status = QLabel("", self)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.tree)
        layout.addWidget(self.status)
        self.resize(720, 520)
        state.rows_changed.connect(self.refresh)
        state.table_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible() and self.groups:
            return  # counted again when shown
        table, mask = self.state.table, self.state.mask
        if len(mask) != len(table):
            return
        self.status.setText(self.tr("Counting…"))
        job = self.kind.start(_count, table, mask.copy(), parent=self)
        job.returned.connect(self.show_groups)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()

    def show_groups(self, groups: list[ActorGroup]) -> None:
        self.groups = groups
        self.tree.clear()
        for group in groups:
            top = QTreeWidgetItem([f"{group.label} — {group.canonical}", "", count(group.events)])
            top.setData(0, Qt.ItemDataRole.UserRole, group.label)
            for dataset, raw, events in group.spellings:
                top.addChild(QTreeWidgetItem([raw, dataset, count(events)]))
            if group.uncertain_events:
                unsure = QTreeWidgetItem(
                    [
                        self.tr("uncertain attributions (not counted above)"),
                        "",
                        count(group.uncertain_events),
                    ]
                )
                unsure.setForeground(0, self.palette().placeholderText())
                top.addChild(unsure)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        for col in range(3):
            self.tree.resizeColumnToContents(col)
        self.status.setText(
            self.tr("{count} canonical actors in the open datasets.").format(count=len(groups))
        )

    def _on_double_click(self, item: QTreeWidgetItem, _column: int) -> None:
        label = item.data(0, Qt.ItemDataRole.UserRole)
        if not label:
            return
        spec = self.state.spec
        actors = spec.actors if label in spec.actors else (*spec.actors, label)
        self.state.set_filter(spec.with_(actors=tuple(actors), actor_aliases=True))

    def done(self, result: int) -> None:
        self.kind.supersede()
        super().done(result)
