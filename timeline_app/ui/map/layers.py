"""The map's layers: borders, a choropleth, a density image and the events.

The events layer paints the source's arrays in the view box's pixels through
QPainter's array calls (one call per colour and size, never one item per event), like
the timeline's marks. Borders are one path per boundary layer (rings joined by NaN
breaks); the choropleth one path per region; the density an image over a 2-D
histogram of the points in view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QGraphicsPathItem

from timeline_app.model.boundaries import BoundaryLayer
from timeline_app.ui.map.sprites import DIMMED_ALPHA, SpriteCache, draw_sprites, symbol_keys
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.marks import draw_lines, draw_points, round_pen

if TYPE_CHECKING:
    from timeline_app.ui.map.source import PointsSource

#: Up to this many events in view are drawn one by one; more become a density image.
POINTS_MAX = 20_000
#: Events this close outside the view are drawn too (a symbol half in view).
MARGIN_PX = 20.0
#: Density bins are this many pixels wide.
DENSITY_BIN_PX = 4
#: Density counts kept (their rows and cells): a filter's, and all rows' once it is cleared.
BINNED_KEPT = 2
LAND = QColor("#F4F1EA")
WATER = QColor("#DCE8F0")


class ViewMapping:
    """Longitude/latitude to the view box's pixels, for the current view."""

    def __init__(self, vb: pg.ViewBox) -> None:
        (self.x0, self.x1), (self.y0, self.y1) = vb.viewRange()
        self.w, self.h = max(vb.width(), 1.0), max(vb.height(), 1.0)
        self.sx = self.w / max(self.x1 - self.x0, 1e-12)
        self.sy = self.h / max(self.y1 - self.y0, 1e-12)

    def px(self, lon: Any) -> Any:  # an array, or one number
        return (lon - self.x0) * self.sx

    def py(self, lat: Any) -> Any:
        return (self.y1 - lat) * self.sy

    def inside(self, lon: np.ndarray, lat: np.ndarray, margin_px: float = 20.0) -> np.ndarray:
        mx, my = margin_px / self.sx, margin_px / self.sy
        return (
            (lon >= self.x0 - mx)
            & (lon <= self.x1 + mx)
            & (lat >= self.y0 - my)
            & (lat <= self.y1 + my)
        )


class PixelLayer(QGraphicsObject):
    """An item covering the view box, painting in its pixels."""

    def __init__(self, vb: pg.ViewBox, z: float) -> None:
        super().__init__(vb)
        self.vb = vb
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsToShape, True)
        vb.sigResized.connect(self._resized)
        vb.sigRangeChanged.connect(lambda *_: self.update())

    def _resized(self, *_args) -> None:
        self.prepareGeometryChange()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, 0, self.vb.width(), self.vb.height())

    def paint(self, painter: QPainter, *_args) -> None:
        painter.save()
        painter.setClipRect(self.boundingRect())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        try:
            # The map's land and water are light in either theme: so are its marks and text.
            with style.light():
                self.draw(painter, ViewMapping(self.vb))
        finally:
            painter.restore()

    def draw(self, painter: QPainter, view: ViewMapping) -> None:  # pragma: no cover
        raise NotImplementedError


class EventLayer(PixelLayer):
    """The events in view: discs sized by fatalities (hollow where unknown), a cross
    in a faint halo where the place is approximate, dimmed outside the time selection,
    the selection ringed. Past POINTS_MAX in view, only the selection (the density
    image shows the rest)."""

    def __init__(self, vb: pg.ViewBox, source: PointsSource) -> None:
        super().__init__(vb, z=20)
        self.source = source
        self.in_view = np.empty(0, dtype=np.int64)  # table rows drawn at the last paint
        self.dense = False  # too many in view: the density image stands in
        self._in_view = self.in_view
        self._in_view_key: tuple | None = None
        self.sprites = SpriteCache()
        self.vector = False  # draw shapes instead of sprites (set while exporting SVG)
        source.changed.connect(self.update)
        source.marks_changed.connect(self.update)

    def count_in_view(self, view: ViewMapping | None = None) -> np.ndarray:
        """The drawn rows in (or just around) the view; kept while view and rows stay."""
        view = view or ViewMapping(self.vb)
        key = (self.source.generation, view.x0, view.x1, view.y0, view.y1, view.w, view.h)
        if key != self._in_view_key:
            mx, my = MARGIN_PX / view.sx, MARGIN_PX / view.sy
            self._in_view = self.source.rows_in(
                view.x0 - mx, view.y0 - my, view.x1 + mx, view.y1 + my
            )
            self._in_view_key = key
        return self._in_view

    def draw(self, painter: QPainter, view: ViewMapping) -> None:
        s = self.source
        idx = self.count_in_view(view)
        self.dense = len(idx) > POINTS_MAX or s.dense
        self.in_view = idx
        if not self.dense and len(idx):
            x, y = view.px(s.lon[idx]), view.py(s.lat[idx])
            in_range = s.in_range_of(idx)
            if self.vector:  # an SVG export: real shapes, not pixmaps
                for dimmed in (True, False):  # the time selection's events on top
                    sel = in_range != dimmed
                    if sel.any():
                        self._draw_marks(painter, idx[sel], x[sel], y[sel], dimmed)
            else:
                keys = symbol_keys(
                    s.category[idx],
                    s.diameter[idx],
                    s.known[idx],
                    s.imprecise[idx],
                    ~in_range,
                )
                draw_sprites(painter, self.sprites, s.palette, keys, x, y, self._dpr(painter))
        self._draw_selection(painter, view)

    @staticmethod
    def _dpr(painter: QPainter) -> float:
        device = painter.device()
        return float(device.devicePixelRatioF()) if device is not None else 1.0

    def _draw_marks(self, painter, idx, x, y, dimmed: bool) -> None:
        s = self.source
        d = np.round(s.diameter[idx] * 2) / 2
        known, imprecise, cat = s.known[idx], s.imprecise[idx], s.category[idx]
        rim = style.with_alpha(style.RIM, DIMMED_ALPHA if dimmed else 255)
        for code in np.unique(cat):
            colour = s.palette[code] if 0 <= code < len(s.palette) else style.category_colour("")
            colour = style.with_alpha(colour, DIMMED_ALPHA if dimmed else 230)
            of_cat = cat == code
            # Approximate places: a faint halo and a cross, never a dot that looks exact.
            sel = of_cat & imprecise
            if sel.any():
                for size in np.unique(d[sel]):
                    one = sel & (d == size)
                    painter.setPen(
                        round_pen(style.with_alpha(colour, 50 if not dimmed else 20), size * 2.2)
                    )
                    draw_points(painter, x[one], y[one])
                arm = 0.5 * np.maximum(d[sel], 7.0) / np.sqrt(2)
                xs, ys = x[sel], y[sel]
                lines = np.concatenate(
                    [
                        np.column_stack([xs - arm, ys - arm, xs + arm, ys + arm]),
                        np.column_stack([xs - arm, ys + arm, xs + arm, ys - arm]),
                    ]
                )
                painter.setPen(round_pen(rim, 4.0))
                draw_lines(painter, lines)
                painter.setPen(round_pen(colour, 2.0))
                draw_lines(painter, lines)
            exact = of_cat & ~imprecise
            for size in np.unique(d[exact & known])[::-1]:
                one = exact & known & (d == size)
                painter.setPen(round_pen(rim, size + 2))
                draw_points(painter, x[one], y[one])
                painter.setPen(round_pen(colour, size))
                draw_points(painter, x[one], y[one])
            one = exact & ~known
            if one.any():  # unknown toll: a hollow ring, never a small "zero" dot
                size = style.UNKNOWN_RING_PX
                painter.setPen(round_pen(colour, size + 1))
                draw_points(painter, x[one], y[one])
                painter.setPen(round_pen(rim, size - 3.5))
                draw_points(painter, x[one], y[one])

    def _draw_selection(self, painter: QPainter, view: ViewMapping) -> None:
        s = self.source
        chosen = s.selected_drawn()
        if len(chosen) > POINTS_MAX:
            chosen = chosen[view.inside(s.lon[chosen], s.lat[chosen])][:POINTS_MAX]
        if not len(chosen):
            return
        x, y = view.px(s.lon[chosen]), view.py(s.lat[chosen])
        ring = np.maximum(s.diameter[chosen], style.UNKNOWN_RING_PX) + 6
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(style.SELECTION, 2.0))
        for size in np.unique(ring):
            one = ring == size
            for px, py in zip(x[one][:2000], y[one][:2000], strict=True):  # bounded
                painter.drawEllipse(QRectF(px - size / 2, py - size / 2, size, size))
        if s.current >= 0:
            px, py = view.px(s.lon[s.current]), view.py(s.lat[s.current])
            size = max(float(s.diameter[s.current]), style.UNKNOWN_RING_PX) + 14
            painter.setPen(QPen(style.with_alpha(style.SELECTION, 200), 1.5, Qt.PenStyle.DashLine))
            painter.drawEllipse(QRectF(px - size / 2, py - size / 2, size, size))


class DensityImage(pg.ImageItem):
    """Events per small cell of the view, when too many are in view to draw."""

    def __init__(self) -> None:
        super().__init__(axisOrder="row-major")
        self.setZValue(15)
        #: (rows, their lon array, bins, counts) of the last BINNED_KEPT binnings, newest first
        self._binned: list[tuple] = []
        self.counts = np.zeros((0, 0), dtype=np.int64)
        colours = np.array(
            [[255, 255, 255, 0], [253, 204, 138, 150], [227, 74, 51, 210], [127, 0, 0, 240]],
            dtype=np.ubyte,
        )
        self.lut = pg.ColorMap(np.linspace(0, 1, len(colours)), colours).getLookupTable(
            0.0, 1.0, 256, alpha=True
        )

    def show_density(self, source: PointsSource, idx: np.ndarray, view: ViewMapping) -> None:
        """Bin the rows ``idx`` (those in view and its margin, as EventLayer counts them)."""
        bins = density_bins(view)
        # The same rows (EventLayer keeps its array while rows and view stay; every
        # located row is one kept array) over the same cells: their counts are known.
        # The last two are kept: a filter's rows, and all of them again once it is
        # cleared (~15 ms of the UI thread at 1M events, each time a filter goes).
        for rows, lon, cells, counts in self._binned:
            if rows is idx and lon is source.lon and cells == bins:
                if counts is not self.counts:
                    self.show_counts(counts, bins[:4])
                    self._binned = [(rows, lon, cells, counts)] + [
                        b for b in self._binned if b[0] is not rows
                    ]
                self.show()
                return
        x0, y0, x1, y1, nx, ny = bins
        # float32 and int32 throughout: this runs over up to every event in view.
        ix = ((source.lon[idx] - np.float32(x0)) * np.float32(nx / (x1 - x0))).astype(np.int32)
        iy = ((source.lat[idx] - np.float32(y0)) * np.float32(ny / (y1 - y0))).astype(np.int32)
        np.clip(ix, 0, nx - 1, out=ix)  # only rounding can take one out
        np.clip(iy, 0, ny - 1, out=iy)
        iy *= nx
        iy += ix
        counts = np.bincount(iy, minlength=nx * ny).reshape(ny, nx)
        kept = [b for b in self._binned if b[0] is not idx][: BINNED_KEPT - 1]
        self.show_counts(counts, (x0, y0, x1, y1))
        self._binned = [(idx, source.lon, bins, counts), *kept]

    def forget_others(self, lon: np.ndarray) -> None:
        """Drop the binnings of positions other than ``lon`` (a closed or replaced
        table's: they can never be shown again, and were all that kept its arrays)."""
        self._binned = [b for b in self._binned if b[1] is lon]

    def show_counts(self, counts: np.ndarray, rect: tuple[float, float, float, float]) -> None:
        """Show events per cell (rows south to north) over ``rect`` (lon/lat bounds)."""
        x0, y0, x1, y1 = rect
        self.counts = counts
        image = np.log1p(counts.astype(np.float32))
        top = float(image.max()) or 1.0
        self.setImage(image, levels=(0.0, top), lut=self.lut, autoLevels=False)
        self.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.max_count = int(counts.max()) if counts.size else 0
        self.show()


def density_bins(view: ViewMapping) -> tuple[float, float, float, float, int, int]:
    """The density's grid for a view: its bounds (the view and its margin) and cells."""
    mx, my = MARGIN_PX / view.sx, MARGIN_PX / view.sy
    nx = max(int((view.w + 2 * MARGIN_PX) // DENSITY_BIN_PX), 1)
    ny = max(int((view.h + 2 * MARGIN_PX) // DENSITY_BIN_PX), 1)
    return view.x0 - mx, view.y0 - my, view.x1 + mx, view.y1 + my, nx, ny


def border_item(layer: BoundaryLayer, colour: QColor, width: float, dash: bool = False):
    """One path item for a whole boundary layer (rings joined by NaN breaks)."""
    x, y = layer.path_arrays()
    path = pg.arrayToQPath(x, y, connect="finite")
    item = QGraphicsPathItem(path)
    pen = QPen(colour, width)
    pen.setCosmetic(True)  # the same width at every zoom
    if dash:
        pen.setStyle(Qt.PenStyle.DashLine)
    item.setPen(pen)
    return item


def land_item(layer: BoundaryLayer) -> QGraphicsPathItem:
    """The countries filled as land (one path, odd-even so that holes stay open)."""
    x, y = layer.path_arrays()
    path = pg.arrayToQPath(x, y, connect="finite")
    path.setFillRule(Qt.FillRule.OddEvenFill)
    item = QGraphicsPathItem(path)
    item.setBrush(QBrush(LAND))
    item.setPen(QPen(Qt.PenStyle.NoPen))
    return item


class Choropleth(QGraphicsObject):
    """Regions shaded by their events or fatalities (one path per region)."""

    def __init__(self, layer: BoundaryLayer) -> None:
        super().__init__()
        self.layer = layer
        self.setZValue(5)
        self.paths: list[QPainterPath] = []
        for k in range(len(layer)):
            path = QPainterPath()
            path.setFillRule(Qt.FillRule.OddEvenFill)
            for p in np.flatnonzero(layer.poly_feature == k):
                for r in np.flatnonzero(layer.ring_poly == p):
                    ring = layer.xy[layer.ring_start[r] : layer.ring_start[r + 1]]
                    path.addPath(pg.arrayToQPath(ring[:, 0], ring[:, 1]))
            self.paths.append(path)
        bounds = QRectF()
        for path in self.paths:
            bounds = bounds.united(path.boundingRect())
        self._bounds = bounds
        self.values = np.zeros(len(layer))

    def set_values(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, dtype=np.float64)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def paint(self, painter: QPainter, *_args) -> None:
        top = float(self.values.max()) if len(self.values) else 0.0
        if top <= 0:
            return
        painter.setPen(Qt.PenStyle.NoPen)
        for path, value in zip(self.paths, self.values, strict=True):
            if value > 0:
                share = np.sqrt(value / top)
                painter.setBrush(QColor(8, 81, 156, int(30 + 150 * share)))
                painter.drawPath(path)
