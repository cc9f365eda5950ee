"""Text too long to lay out at once (a 40 MB note in a re-saved file).

Qt lays out a label's or a rich-text view's whole text on the UI thread: minutes at
100% CPU for 40 MB. Views show a bounded prefix (``preview``) with a "Show all" link;
``LongTextDialog`` shows the rest in a QPlainTextEdit, which lays out only the blocks
in sight, fed a piece per turn of the event loop, with long lines split into blocks
(a single 40 MB block would still be laid out whole).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QTextOption
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from timeline_app.ui.formatting import count

#: A view shows at most this many characters of one text before "Show all".
PREVIEW_CHARS = 4000
#: A line of the full view is split into blocks of about this many characters.
BLOCK_CHARS = 4000
#: Characters added to the full view per turn of the event loop.
CHUNK_CHARS = 1 << 20


def preview(text: str, limit: int = PREVIEW_CHARS) -> tuple[str, bool]:
    """The start of ``text`` (cut at a space near the limit) and whether it was cut."""
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", limit - 200, limit)
    return text[: cut if cut > 0 else limit] + " …", True


def pieces(text: str, block: int = BLOCK_CHARS):
    """The text as lines of at most about ``block`` characters (long lines split at a
    space where there is one), lazily: never a copy of a 40 MB text at once."""
    start, n = 0, len(text)
    while start < n:
        newline = text.find("\n", start, start + block + 1)
        if newline >= 0:
            yield text[start:newline]
            start = newline + 1
            continue
        end = min(start + block, n)
        if end < n:
            space = text.rfind(" ", start + block // 2, end)
            end = space + 1 if space > 0 else end
        yield text[start:end]
        start = end


class LongTextDialog(QDialog):
    """All of one text, readable while it is still being added."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("longTextDialog")
        self.setWindowTitle(title)
        self.resize(760, 560)
        self.view = QPlainTextEdit(self)
        self.view.setObjectName("longText")
        self.view.setReadOnly(True)
        self.view.setUndoRedoEnabled(False)
        self.view.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.view.setFont(QFont(self.view.font()))
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.total = len(text)
        self.added = 0
        self._pieces = pieces(text)
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._add_chunk)
        self._add_chunk()
        if not self.finished_adding():
            self._timer.start()

    def finished_adding(self) -> bool:
        return self.added >= self.total

    def _add_chunk(self) -> None:
        batch: list[str] = []
        size = 0
        for piece in self._pieces:
            batch.append(piece)
            size += len(piece) + 1
            if size >= CHUNK_CHARS:
                break
        if batch:
            self.view.appendPlainText("\n".join(batch))
        self.added = min(self.added + size, self.total) if batch else self.total
        if self.finished_adding():
            self._timer.stop()
            self.status.setText(self.tr("{total} characters").format(total=count(self.total)))
        else:
            self.status.setText(
                self.tr("Showing {added} of {total} characters…").format(
                    added=count(self.added), total=count(self.total)
                )
            )
