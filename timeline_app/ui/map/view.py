"""The map itself: a pyqtgraph view of longitude/latitude with its layers.

The projection is equirectangular with the latitude correction of the view's centre:
the data stay in degrees and the view box's aspect is locked to cos(latitude), so
distances near the centre are true in both directions (no distortion of the Sahel).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QWidget

from timeline_app.model.boundaries import BoundaryLayer, bundled_layers
from timeline_app.model.state import AppState
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP, category_label, message
from timeline_app.ui.map.layers import (
    WATER,
    Choropleth,
    DensityImage,
    EventLayer,
    ViewMapping,
    border_item,
    land_item,
)
from timeline_app.ui.map.match_links import PAIR, MatchLinks
from timeline_app.ui.map.overlay import Overlay
from timeline_app.ui.map.source import PointsSource
from timeline_app.ui.map.tools import MapViewBox, circle
from timeline_app.ui.timeline import style

#: The view when nothing is open: West Africa and the Sahel.
HOME = (-18.0, 4.0, 16.0, 25.0)
MIN_SPAN_DEG = 3.0
FILTER_EDGE = QColor(213, 94, 0)
#: Views wider than this (degrees of longitude) leave out the cercles, the regions.
ADM2_SPAN_DEG = 25.0
ADM1_SPAN_DEG = 70.0
#: How close (pixels) a click must be to an event to pick it.
PICK_PX = 10.0


class MapView(pg.GraphicsView):
    """The view box with borders, choropleth, density, events and overlay."""

    def __init__(
        self, state: AppState, source: PointsSource, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, background=WATER)
        self.setObjectName("mapView")
        self.state = state
        self.source = source
        self.vb = MapViewBox()
        self.setCentralItem(self.vb)
        self.vb.setAspectLocked(True, ratio=1.0)
        self.layers = {layer.key: layer for layer in bundled_layers()}
        self.user_layer: BoundaryLayer | None = None
        countries = self.layers["countries"]
        self.land = land_item(countries)
        self.vb.addItem(self.land, ignoreBounds=True)
        self.borders = {
            "countries": border_item(countries, QColor(90, 90, 90), 0.8),
            "mali_adm1": border_item(self.layers["mali_adm1"], QColor(120, 120, 120), 0.6),
            "mali_adm2": border_item(
                self.layers["mali_adm2"], QColor(150, 150, 150), 0.4, dash=True
            ),
        }
        for z, item in enumerate(self.borders.values()):
            item.setZValue(10 - z)
            self.vb.addItem(item, ignoreBounds=True)
        self.user_border: QGraphicsPathItem | None = None
        self._painted_view: tuple[float, ...] = ()  # the view of the last paint
        self.choropleth: Choropleth | None = None
        self.shade = "none"  # none, events, fatalities
        self.region_key = "mali_adm1"  # the layer regions are clicked and shaded on
        self.density = DensityImage()
        self.density.hide()
        self.vb.addItem(self.density, ignoreBounds=True)
        self.events = EventLayer(self.vb, source)
        self.match_links = MatchLinks(self.vb, source, self.events)  # likely-same pairs
        self.overlay = Overlay(self)
        state.match_changed.connect(lambda: self.overlay.update())
        self.filter_outline = QGraphicsPathItem()
        pen = QPen(FILTER_EDGE, 2.0)
        pen.setCosmetic(True)
        self.filter_outline.setPen(pen)
        self.filter_outline.setBrush(QColor(213, 94, 0, 25))
        self.filter_outline.setZValue(30)
        self.vb.addItem(self.filter_outline, ignoreBounds=True)
        self._aspect_busy = False
        self._density_timer = QTimer(self)
        self._density_timer.setSingleShot(True)
        self._density_timer.setInterval(40)
        self._density_timer.timeout.connect(self.update_density)
        self.vb.sigRangeChanged.connect(self._on_range)
        self.user_moved = False  # until the user pans or zooms, a resize keeps the data framed
        self.vb.sigRangeChangedManually.connect(self._moved)
        # A settled pan or zoom is written to the map's state (workspaces keep it).
        self._viewport_timer = QTimer(self)
        self._viewport_timer.setSingleShot(True)
        self._viewport_timer.setInterval(250)
        self._viewport_timer.timeout.connect(self._store_viewport)
        source.changed.connect(self._on_source)
        state.filter_changed.connect(lambda _spec: self.show_filter())
        self.set_view(*HOME)

    # -- view ------------------------------------------------------------------------------
    def set_view(self, min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> None:
        cx, cy = (min_lon + max_lon) / 2, (min_lat + max_lat) / 2
        half_w = max(max_lon - min_lon, MIN_SPAN_DEG) / 2
        half_h = max(max_lat - min_lat, MIN_SPAN_DEG) / 2
        self._lock_aspect(cy)
        self.vb.setRange(
            xRange=(cx - half_w, cx + half_w), yRange=(cy - half_h, cy + half_h), padding=0.08
        )
        self.user_moved = True  # a view asked for stays (fit() says when it is not)

    def fit(self) -> None:
        extent = self.source.extent()
        self.set_view(*(extent or HOME))
        self.user_moved = False

    def _moved(self, *_args) -> None:
        self.user_moved = True
        self._viewport_timer.start()

    def _store_viewport(self) -> None:
        bounds = tuple(round(v, 4) for v in self.view_bounds())
        self.state.set_map_view(viewport=bounds)

    def show_viewport(self, *_args) -> None:
        """Follow the state's viewport (a workspace opened, or the map itself)."""
        wanted = self.state.views.map.viewport
        if wanted is None:
            return
        if max(abs(a - b) for a, b in zip(wanted, self.view_bounds(), strict=True)) < 1e-3:
            return  # this view wrote it
        self._viewport_timer.stop()
        (x0, y0, x1, y1) = wanted
        self._lock_aspect((y0 + y1) / 2)
        self.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self.user_moved = True  # framed as asked: a resize or new rows keep it

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if not getattr(self, "user_moved", True):
            self.fit()

    def view_bounds(self) -> tuple[float, float, float, float]:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        return (x0, y0, x1, y1)

    def _lock_aspect(self, lat: float) -> None:
        # pyqtgraph's ratio is x-scale / y-scale (pixels per degree): cos(lat) makes a
        # degree of longitude as long on screen as it is on the ground at that latitude.
        ratio = max(math.cos(math.radians(max(min(lat, 80.0), -80.0))), 0.1)
        if abs(ratio - (self.vb.state["aspectLocked"] or 1.0)) > 0.005:
            self._aspect_busy = True
            try:
                self.vb.setAspectLocked(True, ratio=ratio)
            finally:
                self._aspect_busy = False

    def _on_range(self, *_args) -> None:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        if not self._aspect_busy:
            self._lock_aspect((y0 + y1) / 2)
        # Finer borders only once they can be told apart (and cost nothing to paint before).
        span = x1 - x0
        self.borders["mali_adm2"].setVisible(span <= ADM2_SPAN_DEG)
        self.borders["mali_adm1"].setVisible(span <= ADM1_SPAN_DEG)
        self._density_timer.start()

    # -- layers ---------------------------------------------------------------------------
    def _on_source(self) -> None:
        self.update_density()
        self.update_choropleth()

    def paintEvent(self, event) -> None:  # noqa: N802
        # A still view copies its land, borders and overlay from pictures made at its
        # first still paint (a filter, a selection, the time slider's frames then cost
        # ~2 ms, not ~10-20); a moving one paints them afresh, as a picture each step
        # would cost more than it saves (and Qt would shift the old one by whole pixels).
        port = self.viewport()
        view = (*self.view_bounds(), float(port.width()), float(port.height()))
        self.keep_pictures(view == self._painted_view)
        self._painted_view = view
        super().paintEvent(event)

    def keep_pictures(self, keep: bool) -> None:
        """Paint land, borders and overlay from pictures (``keep``) or afresh."""
        if keep == self.overlay.keep_pixmap:
            return
        mode = (
            QGraphicsItem.CacheMode.DeviceCoordinateCache
            if keep
            else QGraphicsItem.CacheMode.NoCache
        )
        for item in (self.land, *self.borders.values(), self.user_border):
            if item is not None:
                item.setCacheMode(mode)
        self.overlay.keep_pixmap = keep

    def update_density(self) -> None:
        view = ViewMapping(self.vb)
        idx = self.events.count_in_view(view)
        from timeline_app.ui.map.layers import POINTS_MAX

        self.density.forget_others(self.source.lon)

        counted = self.source.density_counts(idx, view)  # DuckDB: a SQL aggregate's
        if counted is not None:
            self.density.show_counts(*counted)
        elif len(idx) > POINTS_MAX:
            self.density.show_density(self.source, idx, view)
        else:
            self.density.hide()

    def region_layer(self) -> BoundaryLayer:
        if self.region_key == "user" and self.user_layer is not None:
            return self.user_layer
        return self.layers.get(self.region_key, self.layers["mali_adm1"])

    def set_shading(self, shade: str, region_key: str | None = None) -> None:
        """Shade the regions of one layer by events or fatalities ("none" to stop)."""
        self.shade = shade
        if region_key is not None:
            self.region_key = region_key
        if self.choropleth is not None:
            self.vb.removeItem(self.choropleth)
            self.choropleth = None
        if shade != "none":
            self.choropleth = Choropleth(self.region_layer())
            self.vb.addItem(self.choropleth, ignoreBounds=True)
        self.update_choropleth()
        self.overlay.update()

    def update_choropleth(self) -> None:
        if self.choropleth is None:
            return
        values = self.source.region_totals(self.choropleth.layer, self.shade == "fatalities")
        if values is not None:  # DuckDB: None while its GROUP BY runs
            self.choropleth.set_values(values)

    def set_user_layer(self, layer: BoundaryLayer | None) -> None:
        if self.user_border is not None:
            self.vb.removeItem(self.user_border)
            self.user_border = None
        self.user_layer = layer
        if layer is not None:
            self.user_border = border_item(layer, QColor(60, 60, 140), 1.0)
            self.user_border.setZValue(11)
            self.vb.addItem(self.user_border, ignoreBounds=True)
            self.region_key = "user"
        elif self.region_key == "user":
            self.region_key = "mali_adm1"
        if self.choropleth is not None:
            self.set_shading(self.shade)
        self.overlay.update()

    def show_filter(self) -> None:
        """The spatial filters of the spec, outlined on the map."""
        spec = self.state.spec
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        if spec.bbox is not None:
            w, s, e, n = spec.bbox
            path.addRect(QRectF(w, s, e - w, n - s))
        if spec.near is not None:
            lat, lon, km = spec.near
            points = circle(lat, lon, km)
            path.moveTo(*points[0])
            for p in points[1:]:
                path.lineTo(*p)
            path.closeSubpath()
        for polygon in spec.within:
            for ring in polygon:
                ring_xy = np.asarray(ring, dtype=np.float64)
                path.addPath(pg.arrayToQPath(ring_xy[:, 0], ring_xy[:, 1]))
        self.filter_outline.setPath(path)

    # -- what the overlay says --------------------------------------------------------
    def attribution(self) -> str:
        text = QCoreApplication.translate(
            "Map", "Borders: Natural Earth · Mali regions: geoBoundaries (CC BY 4.0)"
        )
        if self.user_layer is not None:
            text += f" · {message(self.user_layer.attribution)}"
        return text

    def legend_entries(self) -> list[tuple[str, QColor, str]]:
        s = self.source
        if not s.located:
            return []
        entries: list[tuple[str, QColor, str]] = []
        codes, unknown, rough = s.legend_facts()
        for code in codes:
            entries.append(("disc", s.palette[code], category_label(s.category_names[code])))
        grey = style.LEGEND_GREY

        entries.append(("disc", grey, QCoreApplication.translate("Map", "size: fatalities")))
        if unknown:
            entries.append(("ring", grey, QCoreApplication.translate("Map", "toll unknown")))
        if rough:
            entries.append(
                (
                    "cross",
                    grey,
                    QCoreApplication.translate("Map", "place approximate (district or wider)"),
                )
            )
        if self.density.isVisible():
            entries.append(
                (
                    "square",
                    QColor(227, 74, 51),
                    QCoreApplication.translate("Map", "many events: density"),
                )
            )
        if self.choropleth is not None:
            title = layer_title(self.choropleth.layer.title).lower()
            per = (
                QCoreApplication.translate("Map", "fatalities per {layer}")
                if self.shade == "fatalities"
                else QCoreApplication.translate("Map", "events per {layer}")
            )
            entries.append(("square", QColor(8, 81, 156, 150), per.format(layer=title)))
        if self.state.range is not None:
            entries.append(
                (
                    "disc",
                    style.with_alpha(grey, 60),
                    QCoreApplication.translate("Map", "outside the time selection"),
                )
            )
        if self.match_links.any_drawn():
            pair = QCoreApplication.translate("Map", "likely the same event (dashed: the pair)")
            entries.append(("pair", PAIR, pair))
        return entries

    # -- picking ----------------------------------------------------------------------------
    def pick(self, lon: float, lat: float) -> int | None:
        """The table row of the drawn event nearest to a point, within PICK_PX pixels."""
        s = self.source
        if not s.located:
            return None
        view = ViewMapping(self.vb)
        idx = self.events.count_in_view(view)
        if not len(idx):
            return None
        best = nearest(view, s.lon[idx], s.lat[idx], s.diameter[idx], lon, lat)
        return None if best is None else int(idx[best])


def nearest(
    view: ViewMapping, lon: np.ndarray, lat: np.ndarray, diameter: np.ndarray, x: float, y: float
) -> int | None:
    """Which of the marks at (lon, lat) a click at (x, y) picks: the nearest by its
    edge, within PICK_PX pixels (or its radius); the first of equals."""
    dx = view.px(lon) - float(view.px(x))
    dy = view.py(lat) - float(view.py(y))
    reach = np.maximum(diameter / 2, PICK_PX)
    dist = np.hypot(dx, dy)
    best = int(np.argmin(dist - reach))
    return best if dist[best] <= reach[best] else None


#: The shipped boundary layers' titles (model/boundaries.py BUNDLED_LAYERS).
_LAYER_TITLES = (
    QT_TRANSLATE_NOOP("Map", "Countries"),
    QT_TRANSLATE_NOOP("Map", "Mali regions"),
    QT_TRANSLATE_NOOP("Map", "Mali cercles"),
)


def layer_title(title: str) -> str:
    """A boundary layer's title: the shipped ones translated, a user's file as named."""
    return QCoreApplication.translate("Map", title) if title in _LAYER_TITLES else title
