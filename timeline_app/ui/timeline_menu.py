"""The timeline the window's menus act on: the one its Timeline dock shows.

Each timeline widget makes the QActions of its rows of the table of actions
(ui/actions.py: View > Timeline, File > Export Timeline Image…), so that its keys work
while it has the focus. The menus hold the shown timeline's: when the dock shows
another timeline (a DuckDB dataset's, drawn from SQL, then the memory one again), its
actions take the others' places in the menus and in ``window.actions_by_id``, and its
right-click comparison and range export are wired as the memory timeline's are. The
hidden timeline's actions stay on it, where their keys do nothing (Qt ignores the
shortcuts of a hidden widget).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow
    from timeline_app.ui.timeline import TimelineWidget

#: Set on a timeline once its comparison and range export are wired to the window.
WIRED = "timelineWired"


def show_timeline(window: MainWindow, widget: TimelineWidget) -> None:
    """Make ``widget``'s actions the menus' (call it before the old widget is deleted)."""
    for action_id, new in widget.actions_by_id.items():
        old = window.actions_by_id.get(action_id)
        if old is None or old is new:
            continue
        for menu in old.associatedObjects():
            if isinstance(menu, QMenu):
                menu.insertAction(old, new)
                menu.removeAction(old)
        window.actions_by_id[action_id] = new
    if not widget.property(WIRED):  # once per widget (the memory one: as the window is made)
        widget.setProperty(WIRED, True)
        window.comparing.follow(widget)
        widget.export_range_requested.connect(lambda _range: window.show_export_dialog("range"))
