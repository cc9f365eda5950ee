"""The export dialog's progress bar takes space kept for it: starting an export moves
nothing in the dialog (no relayout, no jump while a million rows are written). The
window's status bar progress was checked the same way: its showing moves no view."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from timeline_app.ui.export_dialog import ExportDialog


def where(widget, window) -> tuple:
    return (widget.mapTo(window, QPoint(0, 0)), widget.size())


def settled(qtbot, widgets, top) -> list:
    """Where ``widgets`` are once the window's own layout has settled (after show)."""
    seen: list = []

    def same_twice() -> bool:
        seen.append([where(w, top) for w in widgets])
        return len(seen) > 2 and seen[-1] == seen[-2] == seen[-3]

    qtbot.waitUntil(same_twice, timeout=5_000)
    return seen[-1]


def test_the_export_dialog_progress_moves_nothing(make_window, qtbot, tmp_path):
    window = make_window()
    dialog = ExportDialog(window.state, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    widgets = [dialog.message, dialog.buttons, dialog.path_edit]
    before = (settled(qtbot, widgets, dialog), dialog.size())
    dialog._set_running(True)  # what starting the export shows
    qtbot.waitUntil(dialog.progress.isVisible, timeout=5_000)
    assert ([where(w, dialog) for w in widgets], dialog.size()) == before
    dialog._set_running(False)
    dialog.close()
