"""PySide6 6.12.0 on Python < 3.12 drops a reference to None on every call of a void
method (QPainter.setPen, QWidget.update, ...) until the interpreter dies with
"none_dealloc". The project pins it out; this test keeps it so."""

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPen


def test_void_methods_do_not_leak_references_to_none():
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    pen = QPen(Qt.GlobalColor.red)
    before = sys.getrefcount(None)
    for _ in range(10_000):
        painter.setPen(pen)
    after = sys.getrefcount(None)
    painter.end()
    # A leaking build loses one reference per call: 10,000 here. Allow small noise.
    assert after >= before - 100, f"None lost {before - after} references"
