"""The Map dock: the map, its tools, and a time slider.

Every gesture becomes an intent on the app state: a click selects, a drawn box, area,
circle or clicked region becomes a field of the filter spec (so it is a chip, undoable
and saved in workspaces), and the time slider moves the timeline's time selection.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QStackedLayout,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import signals_blocked

from timeline_app.model.boundaries import BoundaryError, read_layer
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.units import NS_PER_DAY
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP, error_message
from timeline_app.ui.map.layers import ViewMapping
from timeline_app.ui.map.source import MapSource, PointsSource
from timeline_app.ui.map.tools import TOOLS
from timeline_app.ui.map.view import MapView, layer_title

PLAY_MS = 400
SETTINGS_KEY = "map/boundaries"
REGION_LAYERS = {
    "mali_adm1": QT_TRANSLATE_NOOP("Map", "Mali regions"),
    "mali_adm2": QT_TRANSLATE_NOOP("Map", "Mali cercles"),
}
SHADES = {
    "none": QT_TRANSLATE_NOOP("Map", "No shading"),
    "events": QT_TRANSLATE_NOOP("Map", "Events per region"),
    "fatalities": QT_TRANSLATE_NOOP("Map", "Fatalities per region"),
}


class MapWidget(QWidget):
    """The map with its tool bar, an explanation when nothing can be placed, and the
    time slider that plays a window of N days through the data."""

    #: a short text about what the map shows (for the status bar and tests)
    status = Signal(str)

    def __init__(
        self, state: AppState, parent: QWidget | None = None, source: PointsSource | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("map")
        self.state = state
        self.settings = QSettings("timeline-app", "timeline-app")
        self.source: PointsSource = source or MapSource(
            state, self
        )  # DuckDB's: ui/map/sql_source.py
        self.view = MapView(state, self.source, self)
        self.message = QLabel(self)
        self.message.setObjectName("mapMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMargin(24)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._tool_bar())
        layout.addLayout(self.stack, 1)
        layout.addLayout(self._time_bar())

        self._fit_pending = True
        self._play = QTimer(self)
        self._play.setInterval(PLAY_MS)
        self._play.timeout.connect(self._step)
        vb = self.view.vb
        vb.clicked.connect(self._on_click)
        vb.box_drawn.connect(lambda w, s, e, n: self._filter(bbox=(w, s, e, n)))
        vb.radius_drawn.connect(lambda lat, lon, km: self._filter(near=(lat, lon, round(km, 1))))
        vb.area_drawn.connect(self._on_area)
        vb.region_clicked.connect(self._on_region)
        self.source.reset.connect(self._on_table)
        self.source.changed.connect(self._on_rows)
        self._restore_boundaries()
        self._connect_view_state()
        self._on_table()
        self._on_rows()

    # -- construction ------------------------------------------------------------------
    def _tool_bar(self) -> QToolBar:
        """Tools, regions and shading in a tool bar (it folds into » when narrow)."""
        bar = QToolBar(QCoreApplication.translate("Map", "Map tools"), self)
        bar.setObjectName("mapTools")
        bar.setIconSize(QSize(16, 16))
        self.tool_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        for key, text in TOOLS.items():
            act = QAction(QCoreApplication.translate("Map", text), self)
            act.setCheckable(True)
            act.setChecked(key == "select")
            act.setToolTip(QCoreApplication.translate("Map", _TOOL_TIPS[key]))
            act.triggered.connect(lambda _=False, k=key: self.set_tool(k))
            group.addAction(act)
            bar.addAction(act)
            self.tool_actions[key] = act
        bar.addSeparator()
        bar.addAction(QCoreApplication.translate("Map", "Fit"), self.view.fit).setToolTip(
            QCoreApplication.translate("Map", "Show every event on the map")
        )
        self.regions_box = QComboBox(self)
        self.regions_box.setAccessibleName(
            QCoreApplication.translate("Map", "Regions to click and shade")
        )
        for key, text in REGION_LAYERS.items():
            self.regions_box.addItem(QCoreApplication.translate("Map", text), key)
        self.regions_box.currentIndexChanged.connect(
            lambda _i: self.state.set_map_view(regions=self.regions_box.currentData())
        )
        self.shade_box = QComboBox(self)
        self.shade_box.setAccessibleName(QCoreApplication.translate("Map", "Shade regions by"))
        for key, text in SHADES.items():
            self.shade_box.addItem(QCoreApplication.translate("Map", text), key)
        self.shade_box.currentIndexChanged.connect(
            lambda _i: self.state.set_map_view(shade=self.shade_box.currentData())
        )
        for box in (self.regions_box, self.shade_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(8)
            bar.addWidget(box)
        return bar

    def _time_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 2)
        self.play_button = QToolButton(self)
        self.play_button.setText(QCoreApplication.translate("Map", "▶ Play"))
        self.play_button.setCheckable(True)
        self.play_button.setToolTip(
            QCoreApplication.translate(
                "Map", "Play a window of N days through the data (the timeline's range)"
            )
        )
        self.play_button.toggled.connect(self.play)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setAccessibleName(QCoreApplication.translate("Map", "Time window start"))
        self.slider.valueChanged.connect(self._slide)
        self.window_days = QSpinBox(self)
        self.window_days.setRange(1, 3650)
        self.window_days.setValue(7)
        self.window_days.setSuffix(QCoreApplication.translate("Map", " days"))
        self.window_days.setAccessibleName(
            QCoreApplication.translate("Map", "Time window length in days")
        )
        self.window_days.valueChanged.connect(lambda n: self.state.set_map_view(window_days=n))
        self.window_label = QLabel(self)
        self.window_label.setObjectName("mapWindow")
        for widget in (self.play_button, self.slider, self.window_days, self.window_label):
            bar.addWidget(widget, 1 if widget is self.slider else 0)
        return bar

    # -- state to view -----------------------------------------------------------------
    def _on_table(self) -> None:
        self._fit_pending = True
        self._first_day, last = self.source.day_span()
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(last - self._first_day, 0))
        self.slider.setValue(0)
        self.slider.blockSignals(False)

    def _on_rows(self) -> None:
        s = self.source
        if not s.ready:
            return  # its counts are being queried: say nothing wrong meanwhile
        if not s.total:
            self._say(
                QCoreApplication.translate("Map", "Open a file to see where its events happened.")
            )
        elif not s.located:
            self._say(
                QCoreApplication.translate(
                    "Map",
                    "None of the {count} events shown has coordinates, so there is nothing "
                    "to place on the map. The table and the timeline show them.",
                ).format(count=count(s.filtered))
                if s.filtered
                else QCoreApplication.translate("Map", "No events pass the filters.")
            )
        else:
            self.stack.setCurrentWidget(self.view)
            if self._fit_pending:
                self._fit_pending = False
                self.view.fit()
        unlocated = s.filtered - s.located
        text = QCoreApplication.translate("Map", "{located} of {shown} events on the map").format(
            located=count(s.located), shown=count(s.filtered)
        )
        if unlocated > 0 and s.located:
            text += QCoreApplication.translate("Map", " ({count} without coordinates)").format(
                count=count(unlocated)
            )
        self.status.emit(text)
        self.status_text = text

    def settled(self) -> bool:
        """The map shows the view as it is now: no redraw or query pending (DuckDB's
        are in workers; a screenshot or a test waits for them)."""
        return not self.view._density_timer.isActive() and self.source.settled()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    # -- intents ---------------------------------------------------------------------------
    def set_tool(self, tool: str) -> None:
        self.view.vb.set_tool(tool)
        self.tool_actions[tool].setChecked(True)

    def _on_click(self, lon: float, lat: float, modifiers) -> None:
        row = self.view.pick(lon, lat)
        add = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        self.source.choose(row, add, (lon, lat, ViewMapping(self.view.vb)))

    def _filter(self, **changes) -> None:
        self.state.set_filter(self.state.spec.with_(**changes))

    def _on_area(self, points: list[tuple[float, float]]) -> None:
        ring = tuple((float(x), float(y)) for x, y in points)
        if ring[0] != ring[-1]:
            ring = (*ring, ring[0])
        self._filter(within=((ring,),), within_name="drawn area")

    def _on_region(self, lon: float, lat: float) -> None:
        layer = self.view.region_layer()
        k = layer.feature_at(lon, lat)
        if k is None:
            return
        name = f"{layer.names[k]} ({layer_title(layer.title).lower()})"
        self._filter(within=layer.feature_area(k), within_name=name)

    # -- time slider -------------------------------------------------------------------
    def play(self, on: bool) -> None:
        self.play_button.setText(
            QCoreApplication.translate("Map", "⏸ Pause")
            if on
            else QCoreApplication.translate("Map", "▶ Play")
        )
        if on:
            if self.slider.value() >= self.slider.maximum():
                self.slider.setValue(0)
            self._slide(self.slider.value())
            self._play.start()
        else:
            self._play.stop()

    def _step(self) -> None:
        step = max(1, self.window_days.value() // 7)
        if self.slider.value() >= self.slider.maximum():
            self.play_button.setChecked(False)
            return
        self.slider.setValue(min(self.slider.value() + step, self.slider.maximum()))

    def _slide(self, value: int) -> None:
        start = (self._first_day + value) * NS_PER_DAY
        end = start + self.window_days.value() * NS_PER_DAY - 1
        self.state.set_range(TimeRange(int(start), int(end)))
        from timeline_app.model.provenance import ns_text

        self.window_label.setText(
            QCoreApplication.translate("Map", "{start} + {days} d").format(
                start=ns_text(start)[:10], days=self.window_days.value()
            )
        )

    # -- export ------------------------------------------------------------------------
    def shown(self) -> MapWidget:
        """The map its dock shows: on a DuckDB dataset, the DuckDB map stands in for this
        one (ui/map/sql_source.py), and the menus' map commands are about that."""
        dock = self.parentWidget()
        shown = dock.widget() if isinstance(dock, QDockWidget) else None
        return shown if isinstance(shown, MapWidget) else self

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("Map", "Export map image"),
            "map.png",
            QCoreApplication.translate("Map", "PNG image (*.png);;SVG drawing (*.svg)"),
        )
        if path:
            self.export_image(Path(path))

    def export_image(self, path: Path) -> Path | None:
        from timeline_app.ui.map.export import export_map_image
        from timeline_app.ui.notices import show_notice

        try:
            return export_map_image(self.shown().view, path)
        except (OSError, ValueError) as err:
            show_notice(
                self,
                QCoreApplication.translate("Map", "Could not export the map"),
                str(err),
                details=str(path),
                error=err,
            )
            return None

    # -- boundaries --------------------------------------------------------------------
    def open_boundaries_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("Map", "Open boundaries"),
            "",
            QCoreApplication.translate("Map", "GeoJSON (*.geojson *.json);;All files (*)"),
        )
        if path:
            self.open_boundaries(Path(path))

    def open_boundaries(self, path: Path) -> bool:
        """Show a user's GeoJSON boundaries, click and shade on them, and remember them
        (the map's state, so workspaces keep them; and the settings, for the next start)."""
        try:
            read_layer(path)  # say what is wrong now, before the state holds it
        except BoundaryError as err:
            from timeline_app.ui.notices import show_notice

            show_notice(
                self,
                QCoreApplication.translate("Map", "Could not open boundaries"),
                error_message(err),
                details=str(path),
                error=err,
            )
            return False
        resolved = str(Path(path).resolve())
        self.settings.setValue(SETTINGS_KEY, resolved)
        self.state.set_map_view(boundaries=resolved, regions="user")
        return True

    def _restore_boundaries(self) -> None:
        saved = str(self.settings.value(SETTINGS_KEY, "") or "")
        if saved and not self.state.views.map.boundaries and Path(saved).is_file():
            self.state.set_map_view(boundaries=saved)

    # -- the map's state (model/view_state.MapView) to the widgets ----------------------
    def _connect_view_state(self) -> None:
        events = self.state.views.map.events
        events.regions.connect(self._state_regions)
        events.shade.connect(self._state_shade)
        events.window_days.connect(self._state_window_days)
        events.boundaries.connect(self._state_boundaries)
        events.viewport.connect(self.view.show_viewport)
        self._state_boundaries()
        self._state_regions()
        self._state_shade()
        self._state_window_days()

    def _state_regions(self, *_args) -> None:
        key = self.state.views.map.regions
        k = self.regions_box.findData(key)
        if k < 0:
            return  # "user" before its file is loaded
        with signals_blocked(self.regions_box):
            self.regions_box.setCurrentIndex(k)
        self.view.set_shading(self.view.shade, key)

    def _state_shade(self, *_args) -> None:
        shade = self.state.views.map.shade
        k = self.shade_box.findData(shade)
        if k >= 0:
            with signals_blocked(self.shade_box):
                self.shade_box.setCurrentIndex(k)
            self.view.set_shading(shade)

    def _state_window_days(self, *_args) -> None:
        with signals_blocked(self.window_days):
            self.window_days.setValue(int(self.state.views.map.window_days))

    def _state_boundaries(self, *_args) -> None:
        path = self.state.views.map.boundaries
        layer = None
        if path:
            try:
                layer = read_layer(Path(path))
            except BoundaryError:
                layer = None  # gone or broken since: the shipped layers still work
        self.view.set_user_layer(layer)
        k = self.regions_box.findData("user")
        if layer is None and k >= 0:
            self.regions_box.removeItem(k)
        elif layer is not None:
            if k < 0:
                self.regions_box.addItem(layer.title, "user")
            else:
                self.regions_box.setItemText(k, layer.title)
        self._state_regions()


_TOOL_TIPS = {
    "select": QT_TRANSLATE_NOOP(
        "Map", "Click an event to select it (Ctrl+click adds); drag to pan, wheel to zoom"
    ),
    "box": QT_TRANSLATE_NOOP("Map", "Drag a box: keep the events inside it"),
    "area": QT_TRANSLATE_NOOP("Map", "Draw around an area: keep the events inside it"),
    "radius": QT_TRANSLATE_NOOP(
        "Map", "Drag from a place outwards: keep the events within that distance"
    ),
    "region": QT_TRANSLATE_NOOP("Map", "Click a region: keep the events inside it"),
}
