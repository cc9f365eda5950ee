"""The map's view box: pan and zoom, and the drawing tools of the spatial filters.

It only turns mouse gestures into signals in longitude/latitude; the map widget makes
them into intents on the app state (select, set the filter).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from timeline_app.model.spatial import distance_km
from timeline_app.model.units import EARTH_RADIUS_KM
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP

#: The tools: the name shown, and what a left drag does.
TOOLS = {
    "select": QT_TRANSLATE_NOOP("Map", "Pan"),
    "box": QT_TRANSLATE_NOOP("Map", "Box"),
    "area": QT_TRANSLATE_NOOP("Map", "Area"),
    "radius": QT_TRANSLATE_NOOP("Map", "Radius"),
    "region": QT_TRANSLATE_NOOP("Map", "Region"),
}
SKETCH = QColor(0, 114, 178)


class MapViewBox(pg.ViewBox):
    """Signals, all in degrees: ``clicked(lon, lat, modifiers)``, ``box_drawn(min_lon,
    min_lat, max_lon, max_lat)``, ``area_drawn(points)``, ``radius_drawn(lat, lon, km)``,
    ``region_clicked(lon, lat)``."""

    clicked = Signal(float, float, object)
    box_drawn = Signal(float, float, float, float)
    area_drawn = Signal(object)
    radius_drawn = Signal(float, float, float)
    region_clicked = Signal(float, float)

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.tool = "select"
        self._points: list[tuple[float, float]] = []
        self.sketch = QGraphicsPathItem()
        pen = QPen(SKETCH, 2.0)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.sketch.setPen(pen)
        self.sketch.setBrush(QColor(0, 114, 178, 40))
        self.sketch.setZValue(50)
        self.addItem(self.sketch, ignoreBounds=True)

    def set_tool(self, tool: str) -> None:
        self.tool = tool
        self.sketch.setPath(QPainterPath())

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        p = self.mapSceneToView(ev.scenePos())
        if self.tool == "region":
            self.region_clicked.emit(p.x(), p.y())
        else:
            self.clicked.emit(p.x(), p.y(), ev.modifiers())

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802
        if self.tool == "select" or ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        start = self.mapSceneToView(ev.buttonDownScenePos())
        here = self.mapSceneToView(ev.scenePos())
        if ev.isStart():
            self._points = [(start.x(), start.y())]
        self._points.append((here.x(), here.y()))
        self._sketch(start, here)
        if not ev.isFinish():
            return
        self.sketch.setPath(QPainterPath())
        if self.tool == "box":
            x0, x1 = sorted((start.x(), here.x()))
            y0, y1 = sorted((start.y(), here.y()))
            if x1 > x0 and y1 > y0:
                self.box_drawn.emit(x0, y0, x1, y1)
        elif self.tool == "area" and len(self._points) >= 3:
            self.area_drawn.emit(list(self._points))
        elif self.tool == "radius":
            km = float(
                distance_km(np.array([here.y()]), np.array([here.x()]), start.y(), start.x())[0]
            )
            if km > 0:
                self.radius_drawn.emit(start.y(), start.x(), km)
        self._points = []

    def _sketch(self, start: QPointF, here: QPointF) -> None:
        path = QPainterPath()
        if self.tool == "box":
            path.addRect(pg.QtCore.QRectF(start, here).normalized())
        elif self.tool == "area":
            path.moveTo(*self._points[0])
            for x, y in self._points[1:]:
                path.lineTo(x, y)
            path.closeSubpath()
        elif self.tool == "radius":
            # The circle in degrees: wider east-west by 1/cos(latitude).
            km = float(
                distance_km(np.array([here.y()]), np.array([here.x()]), start.y(), start.x())[0]
            )
            rows = circle(start.y(), start.x(), km)
            path.moveTo(*rows[0])
            for x, y in rows[1:]:
                path.lineTo(x, y)
            path.closeSubpath()
        self.sketch.setPath(path)


def circle(lat: float, lon: float, km: float, n: int = 72) -> list[tuple[float, float]]:
    """(lon, lat) points of a circle of ``km`` around a point (small-circle, flat)."""
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    angles = np.linspace(0, 2 * math.pi, n)
    return [(lon + dlon * math.cos(a), lat + dlat * math.sin(a)) for a in angles]
