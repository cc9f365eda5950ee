"""Save the current timeline view as a PNG or SVG of a chosen size, legend included.

A fresh plot of exactly the asked size is laid out off screen over the same data
and view, so the image is the view as the user sees it, not a stretched grab.
Files are written to a temporary name and renamed, never half-written over a good one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from timeline_app.model.atomic import atomic_path
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.plot import TimelinePlot
from timeline_app.ui.timeline.source import TimelineSource

DEFAULT_SIZE = (1600, 700)


def export_timeline_image(
    source: TimelineSource, x_range: tuple[float, float], path: Path, width: int, height: int
) -> Path:
    """Render the view ``x_range`` (seconds) at ``width`` x ``height`` to PNG or SVG."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{path.name}: choose a .png or .svg file name")
    with style.light():  # an image for print: dark text on white, whatever the theme
        return _export(source, x_range, path, suffix, width, height)


def _export(
    source: TimelineSource,
    x_range: tuple[float, float],
    path: Path,
    suffix: str,
    width: int,
    height: int,
) -> Path:
    plot = TimelinePlot(source, live=False)
    try:
        plot.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        plot.resize(width, height)
        plot.show()
        plot.set_x_range(*x_range)
        QApplication.processEvents()
        plot.vb.setXRange(*x_range, padding=0)  # exactly, even past the zoom limits' rounding
        QApplication.processEvents()
        with atomic_path(path) as tmp:  # a failed render never leaves a half image
            if suffix == ".png":
                _render_png(plot, str(tmp), width, height)
            else:
                _render_svg(plot, str(tmp), width, height)
    finally:
        plot.hide()
        plot.deleteLater()
    return path


def _render_png(plot: TimelinePlot, tmp: str, width: int, height: int) -> None:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    plot.render(painter, QRectF(0, 0, width, height), plot.viewport().rect())
    painter.end()
    if not image.save(tmp, "PNG"):
        raise OSError(f"could not write {tmp}")


def _render_svg(plot: TimelinePlot, tmp: str, width: int, height: int) -> None:
    generator = QSvgGenerator()
    generator.setFileName(tmp)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setTitle("Timeline")
    painter = QPainter(generator)
    plot.render(painter, QRectF(0, 0, width, height), plot.viewport().rect())
    painter.end()


class ExportImageDialog(QDialog):
    """Asks for the image size (the file name and type come from a file dialog)."""

    def __init__(self, parent: QWidget | None = None, size: tuple[int, int] = DEFAULT_SIZE):
        super().__init__(parent)
        self.setWindowTitle("Export timeline image")
        form = QFormLayout(self)
        self.width_box = QSpinBox(self)
        self.width_box.setRange(200, 10000)
        self.width_box.setValue(size[0])
        self.width_box.setSuffix(" px")
        self.height_box = QSpinBox(self)
        self.height_box.setRange(150, 10000)
        self.height_box.setValue(size[1])
        self.height_box.setSuffix(" px")
        form.addRow("Width", self.width_box)
        form.addRow("Height", self.height_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen_size(self) -> tuple[int, int]:
        return self.width_box.value(), self.height_box.value()
