"""Save the current timeline view as a PNG, SVG or PDF of a chosen size, legend included,
with (by default) a title, the active filters and the citation of the data.

A fresh plot of exactly the asked size is laid out off screen over the same data
and view, so the image is the view as the user sees it, not a stretched grab.
Files are written to a temporary name and renamed, never half-written over a good one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from timeline_app.model.atomic import atomic_path
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.caption import Caption, bands, paint_caption
from timeline_app.ui.timeline.plot import TimelinePlot
from timeline_app.ui.timeline.source import AnySource

DEFAULT_SIZE = (1600, 700)


SUFFIXES = (".png", ".svg", ".pdf")


def export_timeline_image(
    source: AnySource,
    x_range: tuple[float, float],
    path: Path,
    width: int,
    height: int,
    caption: Caption | None = None,
) -> Path:
    """Render the view ``x_range`` (seconds) at ``width`` x ``height`` to PNG, SVG or PDF,
    with ``caption`` above and below the plot when given."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path.name}: choose a .png, .svg or .pdf file name")
    with style.light():  # an image for print: dark text on white, whatever the theme
        return _export(source, x_range, path, suffix, width, height, caption)


def _export(
    source: AnySource,
    x_range: tuple[float, float],
    path: Path,
    suffix: str,
    width: int,
    height: int,
    caption: Caption | None,
) -> Path:
    top, bottom = bands(caption, width)
    plot_height = max(int(height - top - bottom), 100)
    plot = TimelinePlot(source, live=False)
    try:
        plot.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        plot.resize(width, plot_height)
        plot.show()
        plot.set_x_range(*x_range)
        QApplication.processEvents()
        plot.vb.setXRange(*x_range, padding=0)  # exactly, even past the zoom limits' rounding
        QApplication.processEvents()
        with atomic_path(path) as tmp:  # a failed render never leaves a half image
            _render(
                plot, str(tmp), suffix, width, height, caption, QRectF(0, top, width, plot_height)
            )
    finally:
        plot.hide()
        plot.deleteLater()
    return path


def _render(
    plot: TimelinePlot,
    tmp: str,
    suffix: str,
    width: int,
    height: int,
    caption: Caption | None,
    target: QRectF,
) -> None:
    image: QImage | None = None
    device: QImage | QSvgGenerator | QPdfWriter
    if suffix == ".png":
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        device = image
    elif suffix == ".svg":
        device = QSvgGenerator()
        device.setFileName(tmp)
        device.setSize(QSize(width, height))
        device.setViewBox(QRectF(0, 0, width, height))
        device.setTitle(caption.title if caption else "Timeline")
    else:  # one point per pixel: the page is the image's size
        device = QPdfWriter(tmp)
        device.setResolution(72)
        device.setPageSize(QPageSize(QSizeF(width, height), QPageSize.Unit.Point))
        device.setPageMargins(QMarginsF(0, 0, 0, 0))
        device.setTitle(caption.title if caption else "Timeline")
    painter = QPainter(device)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if suffix == ".pdf":  # the writer's own units: scale pixels onto them
        scale = device.width() / width
        painter.scale(scale, scale)
    if caption is not None:
        paint_caption(painter, caption, width, height)
    plot.render(painter, target, plot.viewport().rect())
    painter.end()
    if image is not None and not image.save(tmp, "PNG"):
        raise OSError(f"could not write {tmp}")


class ExportImageDialog(QDialog):
    """Asks for the image size and caption (the file name and type come from a file
    dialog)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        size: tuple[int, int] = DEFAULT_SIZE,
        title: str = "",
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export timeline image"))
        form = QFormLayout(self)
        self.width_box = QSpinBox(self)
        self.width_box.setRange(200, 10000)
        self.width_box.setValue(size[0])
        self.width_box.setSuffix(" px")
        self.height_box = QSpinBox(self)
        self.height_box.setRange(150, 10000)
        self.height_box.setValue(size[1])
        self.height_box.setSuffix(" px")
        form.addRow(self.tr("Width"), self.width_box)
        form.addRow(self.tr("Height"), self.height_box)
        self.caption_box = QCheckBox(self.tr("Title, active filters and citation"), self)
        self.caption_box.setChecked(True)  # a figure for a paper needs them
        self.title_edit = QLineEdit(title, self)
        self.title_edit.setObjectName("imageTitle")
        self.caption_box.toggled.connect(self.title_edit.setEnabled)
        form.addRow(self.caption_box)
        form.addRow(self.tr("Title"), self.title_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen_size(self) -> tuple[int, int]:
        return self.width_box.value(), self.height_box.value()

    def wants_caption(self) -> bool:
        return self.caption_box.isChecked()

    def chosen_title(self) -> str:
        return self.title_edit.text().strip()
