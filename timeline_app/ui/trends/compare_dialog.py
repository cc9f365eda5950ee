"""Before and after a date: the dialog opened from a milestone, an event or a date on
the timeline, or from Tools > Compare Before and After….

Its choices (the date, W weeks, the area, an outer ring) are ``state.views.trends.compare``
(workspaces keep them); it shows, from the same model code as ``timeline-app
compare``: events, known fatalities and events with an unknown toll before and after,
the weekly chart with the date's line, the actors with the largest change, the
difference and the ratio, and a plain note that this describes, not explains. The
figures are the memory engine's on either engine (ui/trends/compare_figures.py: on a
DuckDB dataset, from SQL in a worker).
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QDate, QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from timeline_app.figures.compare_chart import ChartText, paint_comparison
from timeline_app.figures.compare_files import chart_text, write_comparison
from timeline_app.model.actors import active_dictionary
from timeline_app.model.boundaries import BoundaryLayer, bundled_layers
from timeline_app.model.filter_spec import Area
from timeline_app.model.spatial import without_spatial
from timeline_app.model.state import AppState
from timeline_app.model.text import fold
from timeline_app.model.trends import CAVEAT, Comparison, day_ns
from timeline_app.model.trends.report import CompareChoice, summary_rows
from timeline_app.ui.i18n import error_message, message
from timeline_app.ui.trends.compare_figures import Ask, Figures, SourceFigures, memory_figures

DEFAULT_WEEKS = 12
DEFAULT_KM = 50.0


def compare_request(state: AppState, at_ns: int, row: int = -1, event: dict | None = None) -> dict:
    """The comparison a right-click asks for: the date of the event (or the day clicked),
    W weeks, and the event's own place: within R km of it when it has coordinates, else
    inside its cercle (shipped boundaries) when it names one, else the filters' area.
    The event is ``row`` of the table in memory, or ``event`` (its columns, as DuckDB
    reads one by key)."""
    near = None
    title = ""
    cercle = None
    if row >= 0 and event is None:
        event = {c: state.table.df[c].iat[row] for c in EVENT_PLACE}
    if event is not None:
        title = _text(event.get("title"))
        lat, lon = _number(event.get("latitude")), _number(event.get("longitude"))
        if not (np.isnan(lat) or np.isnan(lon)):
            near = [lat, lon, DEFAULT_KM]
        cercle = cercle_named(_text(event.get("admin2")), _text(event.get("country")))
    previous = state.views.trends.compare or {}
    weeks = int(previous.get("weeks", DEFAULT_WEEKS))
    day = pd.Timestamp(int(at_ns)).normalize().date().isoformat()
    area = "near" if near else "cercle" if cercle else "filters"
    return {
        "at": day,
        "weeks": weeks,
        "area": area,
        "near": near,
        "cercle": cercle,
        "outer_km": None,
        "title": title,
    }


#: What a right-click's comparison reads of its event.
EVENT_PLACE = ("title", "latitude", "longitude", "admin2", "country")


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or value != value else str(value)


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):  # unknown (None, pd.NA)
        return float("nan")


def cercle_named(name: str, country: str = "Mali") -> str | None:
    """The shipped Mali cercle of that name (accents and case aside), or None."""
    if country.strip().lower() != "mali" or not name.strip():
        return None
    layer = _cercles()
    wanted = fold(name)
    return next((str(n) for n in layer.names if fold(str(n)) == wanted), None)


def cercle_area(name: str) -> Area:
    layer = _cercles()
    k = next(i for i, n in enumerate(layer.names) if str(n) == name)
    return layer.feature_area(k)


def _cercles() -> BoundaryLayer:
    return next(layer for layer in bundled_layers() if layer.key == "mali_adm2")


class ComparisonChart(QWidget):
    """The exported chart, painted on screen (one drawing: figures/compare_chart.py)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(560, 360)
        self.comparison: Comparison | None = None
        self.ring: Comparison | None = None
        self.text = ChartText()

    def show_result(self, result: Comparison, ring: Comparison | None, text: ChartText) -> None:
        self.comparison, self.ring, self.text = result, ring, text
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        if self.comparison is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = ChartText(self.text.title, self.text.subtitle, self.text.date_label, [])
        paint_comparison(painter, QRectF(self.rect()), self.comparison, text, self.ring)
        painter.end()


class CompareDialog(QDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("compareDialog")
        self.setWindowTitle(self.tr("Before and After"))
        self.comparison: Comparison | None = None
        self.ring: Comparison | None = None
        self.figures: Figures | None = None
        self.ring_note = ""
        self._choice: dict = {}
        # On a DuckDB dataset the figures are counted in SQL, in a worker.
        self.source_figures = SourceFigures(state, self)
        self.source_figures.counted.connect(self._show)
        self.source_figures.failed.connect(self._failed)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.weeks_box = QSpinBox(self)
        self.weeks_box.setRange(1, 260)
        self.weeks_box.setSuffix(self.tr(" weeks before and after"))
        when = QHBoxLayout()
        when.addWidget(self.date_edit)
        when.addWidget(self.weeks_box)
        when.addStretch(1)
        form.addRow(self.tr("Date"), when)
        self.filters_radio = QRadioButton(
            self.tr("The current filters (with their map areas)"), self
        )
        self.near_radio = QRadioButton(self.tr("Within"), self)
        self.km_box = self._spin(1, 5000, " km", 0)
        self.lat_box = self._spin(-90, 90, self.tr("° N"), 4)
        self.lon_box = self._spin(-180, 180, self.tr("° E"), 4)
        near = QHBoxLayout()
        for w in (
            self.near_radio,
            self.km_box,
            QLabel(self.tr("of"), self),
            self.lat_box,
            self.lon_box,
        ):
            near.addWidget(w)
        near.addStretch(1)
        self.ring_box = QCheckBox(self.tr("and an outer ring to"), self)
        self.outer_box = self._spin(2, 10000, " km", 0)
        near.insertWidget(near.count() - 1, self.ring_box)
        near.insertWidget(near.count() - 1, self.outer_box)
        self.cercle_radio = QRadioButton(self)
        self.cercle_radio.setToolTip(
            self.tr("The cercle's boundary (geoBoundaries, as the map's Region tool)")
        )
        area = QVBoxLayout()
        area.addWidget(self.filters_radio)
        area.addWidget(self.cercle_radio)
        area.addLayout(near)
        form.addRow(self.tr("Area"), area)
        layout.addLayout(form)
        self.chart = ComparisonChart(self)
        layout.addWidget(self.chart, 1)
        self.table_label = QLabel(self)
        self.table_label.setObjectName("compareTable")
        self.table_label.setTextFormat(Qt.TextFormat.RichText)
        self.table_label.setWordWrap(True)
        self.table_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.table_label)
        self.status_label = QLabel(self)  # counting in DuckDB, cancelled, failed
        self.status_label.setObjectName("compareStatus")
        self.status_label.hide()
        layout.addWidget(self.status_label)
        buttons = QHBoxLayout()
        self.export_chart_button = QPushButton(self.tr("Export Chart…"), self)
        self.export_chart_button.clicked.connect(lambda: self.export_dialog("chart"))
        self.export_table_button = QPushButton(self.tr("Export Table…"), self)
        self.export_table_button.clicked.connect(lambda: self.export_dialog("table"))
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.close)
        buttons.addWidget(self.export_chart_button)
        buttons.addWidget(self.export_table_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(980, 760)
        for signal in (
            self.date_edit.dateChanged,
            self.weeks_box.valueChanged,
            self.km_box.valueChanged,
            self.lat_box.valueChanged,
            self.lon_box.valueChanged,
            self.outer_box.valueChanged,
        ):
            signal.connect(self._edited)
        for box in (self.filters_radio, self.cercle_radio, self.near_radio, self.ring_box):
            box.toggled.connect(self._edited)
        state.views.trends.events.compare.connect(self._state_changed)
        state.rows_changed.connect(self.recompute)
        state.source_view.query_changed.connect(self.recompute)  # a DuckDB filter
        state.source_view.source_changed.connect(self._source_changed)
        self._state_changed(state.views.trends.compare)

    def _spin(self, lo: float, hi: float, suffix: str, decimals: int) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(lo, hi)
        box.setDecimals(decimals)
        box.setSuffix(suffix)
        return box

    def disconnect_state(self) -> None:
        self.state.views.trends.events.compare.disconnect(self._state_changed)
        self.state.rows_changed.disconnect(self.recompute)
        self.state.source_view.query_changed.disconnect(self.recompute)
        self.state.source_view.source_changed.disconnect(self._source_changed)
        self.source_figures.cancel()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.state.views.trends.compare = None  # closed: the workspace no longer opens it
        super().closeEvent(event)

    # -- state <-> widgets ------------------------------------------------------------------
    def _state_changed(self, choice: dict | None, *_old: object) -> None:
        if not choice:
            return
        self._choice = dict(choice)
        widgets = (self.date_edit, self.weeks_box, self.km_box, self.lat_box, self.lon_box,
                   self.outer_box, self.filters_radio, self.near_radio, self.ring_box,
                   self.cercle_radio)  # fmt: skip
        for w in widgets:
            w.blockSignals(True)
        at = pd.Timestamp(str(choice.get("at")))
        self.date_edit.setDate(QDate(at.year, at.month, at.day))
        self.weeks_box.setValue(int(choice.get("weeks", DEFAULT_WEEKS)))
        near = choice.get("near")
        shown = near or self._centre()
        self.lat_box.setValue(float(shown[0]))
        self.lon_box.setValue(float(shown[1]))
        self.km_box.setValue(float(shown[2]))
        cercle = choice.get("cercle")
        self.cercle_radio.setVisible(bool(cercle))
        self.cercle_radio.setText(
            self.tr("Inside its cercle, {cercle} (Mali's cercles)").format(cercle=cercle)
        )
        area = choice.get("area") or ("near" if near else "filters")
        {"near": self.near_radio, "cercle": self.cercle_radio}.get(
            area if (area != "cercle" or cercle) else "filters", self.filters_radio
        ).setChecked(True)
        outer = choice.get("outer_km")
        self.ring_box.setChecked(outer is not None)
        self.outer_box.setValue(float(outer) if outer else float(shown[2]) * 3)
        for w in widgets:
            w.blockSignals(False)
        self._enable()
        self.recompute()

    def _edited(self, *_args: object) -> None:
        self._enable()
        date = self.date_edit.date()
        near = None
        if self.near_radio.isChecked():
            near = [self.lat_box.value(), self.lon_box.value(), self.km_box.value()]
        area = "near" if near else "cercle" if self.cercle_radio.isChecked() else "filters"
        self.state.views.trends.compare = {
            "at": f"{date.year():04d}-{date.month():02d}-{date.day():02d}",
            "weeks": self.weeks_box.value(),
            "area": area,
            "near": near,
            "cercle": self._choice.get("cercle"),
            "outer_km": self.outer_box.value() if self.ring_box.isChecked() else None,
            "title": self._choice.get("title", ""),
        }

    def _enable(self) -> None:
        for w in (self.km_box, self.lat_box, self.lon_box, self.ring_box):
            w.setEnabled(self.near_radio.isChecked() or w is self.ring_box)
        self.outer_box.setEnabled(self.ring_box.isChecked())

    # -- the figures ---------------------------------------------------------------------------
    def _centre(self) -> list[float]:
        """Where "within R km" starts: the filters' own distance, else the middle (median)
        of the located events the filters keep (the figures find it)."""
        if self.state.spec.near:
            return list(self.state.spec.near)
        found = self.figures.centre if self.figures is not None else None
        return [*(found or (0.0, 0.0)), DEFAULT_KM]

    def spec(self):
        """The filters, with the area chosen here in place of their map areas."""
        spec = self.state.spec
        area = self._choice.get("area") or ("near" if self._choice.get("near") else "filters")
        near, cercle = self._choice.get("near"), self._choice.get("cercle")
        if area == "near" and near:
            return without_spatial(spec).with_(near=tuple(float(v) for v in near))
        if area == "cercle" and cercle:
            name = f"{cercle} (Mali cercle)"
            return without_spatial(spec).with_(within=cercle_area(cercle), within_name=name)
        return spec

    def recompute(self) -> None:
        if not self._choice:
            return
        outer = self._choice.get("outer_km")
        ask = Ask(
            self.spec(),
            self.state.spec,
            day_ns(self._choice["at"]),
            int(self._choice.get("weeks", DEFAULT_WEEKS)),
            None if outer is None else float(outer),
            active_dictionary().version,
        )
        if self.state.source_view.source is not None:
            self.source_figures.ask(ask)  # counted by DuckDB: shown by _show
            if self.source_figures.busy():
                self._status(self.tr("Counting…"))
                self._exportable(False)  # the figures shown are not the choice's yet
        else:
            self._show(memory_figures(self.state, ask, self.figures))

    def _show(self, figures: Figures) -> None:
        self.figures = figures
        self.comparison, self.ring = figures.comparison, figures.ring
        self.ring_note = error_message(figures.ring_error) if figures.ring_error else ""
        if not self._choice.get("near"):  # the default centre, now known
            lat, lon, _km = self._centre()
            for box, value in ((self.lat_box, lat), (self.lon_box, lon)):
                box.blockSignals(True)
                box.setValue(value)
                box.blockSignals(False)
        self.status_label.hide()
        self._exportable(True)
        choice = self.choice_for(Path("chart.png"), "chart")
        self.chart.show_result(
            self.comparison, self.ring, chart_text(figures.datasets, choice, self.comparison)
        )
        self.table_label.setText(self._table_html())

    def _source_changed(self) -> None:
        self.source_figures.cancel()  # another dataset (or none): count again
        self.recompute()

    def cancel(self) -> None:
        """The window's Cancel: a count running in DuckDB stops."""
        if self.source_figures.busy():
            self.source_figures.cancel()
            self._status(self.tr("Cancelled: change a choice to count again."))

    def _failed(self, error: str) -> None:
        self._status(self.tr("The comparison's query failed: {error}").format(error=error))

    def _exportable(self, on: bool) -> None:
        self.export_chart_button.setEnabled(on)
        self.export_table_button.setEnabled(on)

    def _status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.show()

    def choice_for(self, out: Path, output: str) -> CompareChoice:
        assert self.comparison is not None
        outer = self._choice.get("outer_km") if self.ring is not None else None
        return CompareChoice(
            out, self.spec(), self.comparison.at_ns, self.comparison.weeks, outer, output,
            str(self._choice.get("title", "")),
        )  # fmt: skip

    def _table_html(self) -> str:
        assert self.comparison is not None
        rows = summary_rows(self.comparison, self.ring)
        cells = "".join(
            "<tr>" + "".join(f"<td style='padding:1px 10px'>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in rows
        )  # fmt: skip
        head = "".join(
            f"<th style='padding:1px 10px' align='left'>{h}</th>"
            for h in (
                "",
                "",
                self.tr("before"),
                self.tr("after"),
                self.tr("difference"),
                self.tr("ratio"),
            )
        )
        notes = [*self.comparison.notes, *([self.ring_note] if self.ring_note else []), CAVEAT]
        foot = "".join(f"<p style='color:#555'>{html.escape(message(n))}</p>" for n in notes)
        return f"<table>{head and '<tr>' + head + '</tr>'}{cells}</table>{foot}"

    # -- export ---------------------------------------------------------------------------------
    def export_dialog(self, output: str) -> None:
        if output == "chart":
            filters = self.tr("PNG (*.png);;SVG (*.svg);;CSV, the weekly numbers (*.csv)")
            name = "before-after.png"
        else:
            filters, name = "CSV (*.csv)", "before-after-table.csv"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), name, filters)
        if path:
            self.export(Path(path), output)

    def export(self, path: Path, output: str = "chart") -> Path:
        """Write the chart (PNG, SVG, CSV) or the table (CSV), with its provenance."""
        if self.comparison is None:
            raise ValueError("nothing to export yet")
        assert self.figures is not None
        choice = self.choice_for(Path(path), output)
        sources = self.figures.source_records(self.state)
        write_comparison(self.figures.datasets, sources, choice, self.comparison, self.ring)
        return Path(path)


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}" if not float(value).is_integer() else f"{value:g}"
    return message(value) if isinstance(value, str) else str(value)
