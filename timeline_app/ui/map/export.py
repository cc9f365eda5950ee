"""Save the map as it is shown, with its legend, scale bar and attribution, as PNG or SVG.

The overlay is part of the scene, so the image carries them. Files are written to a
temporary name and renamed, never half-written over a good one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from timeline_app.model.atomic import atomic_path
from timeline_app.ui.map.view import MapView

#: PNG pixels per screen pixel (sharp enough for a report).
PNG_SCALE = 2


@contextmanager
def uncached(view: MapView) -> Iterator[None]:
    """The borders and the overlay drawn as paths and text (an SVG's vectors, a PNG's
    twice-the-screen pixels), not from the pictures a still view keeps of them
    (MapView.paintEvent)."""
    kept = view.overlay.keep_pixmap
    view.keep_pictures(False)
    try:
        yield
    finally:
        view.keep_pictures(kept)


def export_map_image(view: MapView, path: Path) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{path.name}: choose a .png or .svg file name")
    source = view.viewport().rect()
    width, height = source.width(), source.height()
    with uncached(view), atomic_path(path) as part:  # never half a file over a good one
        tmp = str(part)
        if suffix == ".png":
            image = QImage(width * PNG_SCALE, height * PNG_SCALE, QImage.Format.Format_ARGB32)
            image.fill(view.backgroundBrush().color())
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.render(painter, QRectF(0, 0, image.width(), image.height()), source)
            painter.end()
            # The temporary name does not end in .png: say the format (the stubs want bytes).
            if not image.save(tmp, "PNG"):  # type: ignore[call-overload]
                raise OSError(f"could not write {path}")
        else:
            view.events.vector = True  # shapes in the SVG, not pixmaps
            generator = QSvgGenerator()
            generator.setFileName(tmp)
            generator.setSize(QSize(width, height))
            generator.setViewBox(QRectF(0, 0, width, height))
            generator.setTitle("Map")
            painter = QPainter(generator)
            try:
                view.render(painter, QRectF(0, 0, width, height), source)
            finally:
                painter.end()
                view.events.vector = False
    return path
