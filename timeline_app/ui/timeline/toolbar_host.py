"""A home for the timeline's toolbar where its » button works.

A QToolBar hides the tools that do not fit behind its » (extension) button, but the
button unfolds them only when the toolbar sits in a QMainWindow: in a plain layout it
does nothing. The timeline is itself inside the main window's docks, so it gets an
inner QMainWindow, shown as a plain widget, that holds the toolbar and the plots.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QToolBar, QWidget


def toolbar_host(bar: QToolBar, body: QWidget, parent: QWidget) -> QMainWindow:
    host = QMainWindow(parent)
    host.setObjectName("timelineToolbarHost")
    host.setWindowFlags(Qt.WindowType.Widget)
    host.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)  # no "hide toolbar"
    host.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    host.setCentralWidget(body)
    return host


def labelled_tool(text: str, tool: QWidget, parent: QWidget) -> QWidget:
    """A tool and its label as one toolbar item, so that when the toolbar is too narrow
    both move behind its » button (a label left alone, "Lanes:" with no list after it,
    was what a narrow dock or a longer translation showed)."""
    pair = QWidget(parent)
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(2)
    label = QLabel(text, pair)
    label.setBuddy(tool)
    row.addWidget(label)
    tool.setParent(pair)
    row.addWidget(tool)
    return pair
