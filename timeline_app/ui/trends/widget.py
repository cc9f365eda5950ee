"""The Trends dock: the chart, its options (from ``state.views.trends``) and export.

It renders the app state: the filtered rows (``rows_changed``), the timeline's lanes,
the selected time range; its own choices (unit, measure, layout) are fields of the
state, so workspaces keep them. Dragging on the chart sets the app's time range,
the same one the timeline selects. Counting runs on the worker once the table is big.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from timeline_app.model.atomic import atomic_path, atomic_write_text
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.timeline.index import BAND_CATEGORIES, MILESTONE_CATEGORY
from timeline_app.model.timeline.lanes import GROUPINGS, codes_of
from timeline_app.model.trends import Series, count_series, prepare_series
from timeline_app.model.trends.report import series_csv
from timeline_app.model.units import NAT_NS as NAT
from timeline_app.model.units import NS_PER_DAY as DAY
from timeline_app.model.units import NS_PER_S as NS
from timeline_app.model.view_state import TREND_LAYOUTS
from timeline_app.ui import theme
from timeline_app.ui.formatting import count, format_date
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP, grouping_label
from timeline_app.ui.timeline import style
from timeline_app.ui.timeline.caption import Caption, bands, filters_text, paint_caption
from timeline_app.ui.trends.chart import TrendsChart
from timeline_app.ui.workers import JobKind

#: Above this many events the counting runs on the worker (a few ms below it).
OFFLOAD_ROWS = 300_000
#: Milestones and bands drawn at most (they are few; a file of thousands stays legible).
MAX_MARKS = 40
UNIT_LABELS = {
    "auto": QT_TRANSLATE_NOOP("TrendsWidget", "auto"),
    "day": QT_TRANSLATE_NOOP("TrendsWidget", "day"),
    "week": QT_TRANSLATE_NOOP("TrendsWidget", "week"),
    "month": QT_TRANSLATE_NOOP("TrendsWidget", "month"),
    "year": QT_TRANSLATE_NOOP("TrendsWidget", "year"),
}
MEASURE_LABELS = {
    "events": QT_TRANSLATE_NOOP("TrendsWidget", "events"),
    "fatalities": QT_TRANSLATE_NOOP("TrendsWidget", "known fatalities"),
}
LAYOUT_LABELS = {
    "stacked": QT_TRANSLATE_NOOP("TrendsWidget", "stacked"),
    "multiples": QT_TRANSLATE_NOOP("TrendsWidget", "small multiples"),
}


class TrendsWidget(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.chart = TrendsChart(self)
        self.jobs = JobKind("trends", serial=True)
        self.summary = QLabel(self)
        self.summary.setObjectName("trendsSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        self.measure_box = self._combo(bar, self.tr("Count"), MEASURE_LABELS, "measure")
        self.unit_box = self._combo(bar, self.tr("per"), UNIT_LABELS, "unit")
        self.layout_box = self._combo(bar, "", LAYOUT_LABELS, "layout")
        self.lanes_label = QLabel(self)
        bar.addWidget(self.lanes_label)
        bar.addStretch(1)
        self.export_button = QToolButton(self)
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(
            self.tr("Save the chart as PNG or SVG, or its numbers as CSV")
        )
        self.export_button.clicked.connect(self.export_dialog)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.summary)
        self.chart.range_dragged.connect(self._range_dragged)
        view = state.views.trends.events
        for signal in (view.unit, view.measure, view.layout):
            signal.connect(self._options_changed)
        state.views.timeline.events.lane_grouping.connect(self._options_changed)
        state.rows_changed.connect(self.refresh)
        state.range_changed.connect(self._show_range)
        self.series: Series | None = None
        #: Set while an engine's dataset is shown (ui/source_trends.py): it counts, from
        #: its filter, in place of the (empty) table in memory.
        self.engine: Any = None
        # What was counted last (weakly: a closed file's memory must go), so a sort (the
        # same rows, the same mask) counts nothing again; and whether a count waits for
        # the chart to be shown (a tab behind the table counts nothing while hidden).
        self._counted: tuple | None = None
        self._stale = False
        self._on_screen = True  # until a dock says otherwise (follow_visibility)
        look = theme.current_theme()
        if look is not None:  # light or dark, as the timeline
            look.changed.connect(self.apply_theme)
        self.refresh()

    def _combo(self, bar: QHBoxLayout, label: str, items: dict[str, str], field: str) -> QComboBox:
        if label:
            bar.addWidget(QLabel(label, self))
        box = QComboBox(self)
        box.setAccessibleName(self.tr("Trends {option}").format(option=label or field))
        for key, text in items.items():
            box.addItem(self.tr(text), key)
        box.setCurrentIndex(max(box.findData(getattr(self.state.views.trends, field)), 0))
        box.currentIndexChanged.connect(
            lambda i, b=box, f=field: setattr(self.state.views.trends, f, b.itemData(i))
        )
        bar.addWidget(box)
        return box

    def apply_theme(self, _dark: bool) -> None:
        self.chart.restyle()

    def disconnect_state(self) -> None:
        view = self.state.views.trends.events
        for signal in (view.unit, view.measure, view.layout):
            signal.disconnect(self._options_changed)
        self.state.views.timeline.events.lane_grouping.disconnect(self._options_changed)
        self.state.rows_changed.disconnect(self.refresh)
        self.state.range_changed.disconnect(self._show_range)

    # -- counting -----------------------------------------------------------------------
    def _options_changed(self, *_args: object) -> None:
        view = self.state.views.trends
        for box, value in (
            (self.unit_box, view.unit),
            (self.measure_box, view.measure),
            (self.layout_box, view.layout),
        ):
            if box.currentData() != value:
                box.blockSignals(True)
                box.setCurrentIndex(max(box.findData(value), 0))
                box.blockSignals(False)
        self.refresh()

    def _request(self) -> tuple:
        view = self.state.views.trends
        unit = view.unit if view.unit in ("auto", "day", "week", "month", "year") else "auto"
        measure = view.measure if view.measure in MEASURE_LABELS else "events"
        grouping = self.state.views.timeline.lane_grouping
        if self.engine is not None:  # the engine's dataset and its filter
            return self.engine.view, self.engine.view.spec, unit, grouping, measure
        return self.state.table, self.state.mask, unit, grouping, measure

    def follow_visibility(self, dock: QDockWidget) -> None:
        """Count only while ``dock`` is on screen. (Qt keeps a tab behind another
        "visible", only moved out of sight: its dock says when it is really seen.)"""
        dock.visibilityChanged.connect(self._on_screen_changed)

    def _on_screen_changed(self, on_screen: bool) -> None:
        self._on_screen = on_screen
        if on_screen and self._stale:  # the rows changed while the chart was out of sight
            self.refresh()

    def _same_as_counted(self, request: tuple) -> bool:
        """Whether ``request`` is what the chart shows (or is being counted for), drawn in
        the same layout."""
        counted = self._counted
        if counted is None:
            return False
        table, mask, *options = request
        return (
            counted[0]() is table
            and counted[1]() is mask
            and counted[2:] == (*options, self.state.views.trends.layout)
        )

    def refresh(self) -> None:
        """Count the filtered rows again (on the worker when the table is big): only
        when the chart is shown, and only when its rows or options changed (a sort
        leaves both as they were)."""
        request = self._request()
        table, mask, unit, grouping, measure = request
        if not self._on_screen:  # e.g. the tab behind Events: counted once shown
            self.jobs.supersede()
            self._stale, self._counted = True, None
            return
        self._stale = False
        if self._same_as_counted(request):
            return
        layout = self.state.views.trends.layout
        self._counted = (weakref.ref(table), weakref.ref(mask), unit, grouping, measure, layout)
        self.lanes_label.setText(
            self.tr("  lanes: {lanes}").format(
                lanes=grouping_label(GROUPINGS.get(grouping, ("", grouping))[1])
            )
        )
        if self.engine is not None:
            self.engine.count(unit, grouping, measure)
            return
        if len(table) < OFFLOAD_ROWS:
            self.jobs.supersede()
            self.show_series(count_series(table, mask, unit, grouping, measure))
            return
        job = self.jobs.start(_count, table, mask.copy(), unit, grouping, measure, parent=self)
        job.returned.connect(self.show_series)

    def recount(self) -> None:
        """Count again even for the same rows and options (an engine's dataset opened or
        closed; its query was stopped)."""
        self._counted = None
        self.refresh()

    def show_series(self, series: Series, marks: tuple[list, list] | None = None) -> None:
        """Draw ``series`` with its milestones and bands (``marks``: an engine's, else
        from the table in memory)."""
        self.series = series
        layout = self.state.views.trends.layout
        layout = layout if layout in TREND_LAYOUTS else "stacked"
        self.chart.set_series(
            series, layout, *(marks if marks is not None else self._marks(series))
        )
        self._show_range(self.state.range)
        unknown = int(series.bin_unknown().sum())
        parts = [
            self.tr("{events} events, by {unit}").format(
                events=count(series.total_events),
                unit=self.tr(UNIT_LABELS.get(series.unit, series.unit)),
            )
        ]
        if unknown:
            parts.append(
                self.tr("{count} with an unknown toll (counted apart, never as 0)").format(
                    count=count(unknown)
                )
            )
        if series.undated:
            parts.append(
                self.tr("{count} without a date (not counted)").format(count=count(series.undated))
            )
        if series.grouping == "actor":
            parts.append(self.tr("an event counts in the lane of each of its actors"))
        self.summary.setText("; ".join(parts))

    def _marks(self, series: Series) -> tuple[list, list]:
        """Milestones and mourning/blockade periods over the series' span, from every
        event of the table (context for the counts, whatever the filters)."""
        table = self.state.table
        if len(series.edges) < 2 or not len(table):
            return [], []
        milestone_rows, band_rows = self._mark_rows(table)
        lo, hi = int(series.edges[0]), int(series.edges[-1])
        start, end = table.start_ns, table.end_ns

        def inside(rows: np.ndarray) -> np.ndarray:
            keep = (start[rows] != NAT) & (start[rows] < hi) & (end[rows] >= lo)
            return rows[keep][:MAX_MARKS]

        titles, categories = table.df["title"], table.df["category"]
        milestones = [(start[r] / NS, str(titles.iat[r])) for r in inside(milestone_rows)]
        bands = [
            (start[r] / NS, (end[r] + DAY) / NS, str(categories.iat[r])) for r in inside(band_rows)
        ]
        return milestones, bands

    def _mark_rows(self, table) -> tuple[np.ndarray, np.ndarray]:
        """The rows of milestones and of bands, found once per table from the codes."""
        cached = getattr(self, "_mark_cache", None)
        if cached is not None and cached[0]() is table:
            return cached[1], cached[2]
        names = [str(c) for c in table.df["category"].cat.categories]
        codes = codes_of(table, "category")
        wanted = {c: i for i, c in enumerate(names)}
        milestone = wanted.get(MILESTONE_CATEGORY, -2)
        bands = [wanted[c] for c in BAND_CATEGORIES if c in wanted]
        milestone_rows = np.flatnonzero(codes == milestone)
        band_rows = np.flatnonzero(np.isin(codes, bands)) if bands else milestone_rows[:0]
        self._mark_cache = (weakref.ref(table), milestone_rows, band_rows)  # a closed file goes
        return milestone_rows, band_rows

    # -- the time range ---------------------------------------------------------------------
    def _range_dragged(self, a: float, b: float) -> None:
        if b <= a:
            self.state.set_range(None)
            return
        # Whole days, as the timeline snaps a range dragged over more than two days.
        a_ns = int(np.floor(a * NS / DAY)) * DAY
        b_ns = max(int(np.ceil(b * NS / DAY)) * DAY, a_ns + DAY)
        self.state.set_range(TimeRange(a_ns, b_ns - 1))

    def _show_range(self, time_range: TimeRange | None) -> None:
        if time_range is None:
            self.chart.show_range(None)
        else:
            self.chart.show_range(time_range.start_ns / NS, (time_range.end_ns + 1) / NS)

    # -- export ------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export trends"), "trends.png", "PNG (*.png);;SVG (*.svg);;CSV (*.csv)"
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> Path:
        """The chart as PNG or SVG, with a title, the active filters and the data's
        citation (as the timeline's images), or its numbers as CSV; written atomically."""
        suffix = path.suffix.lower()
        if suffix == ".csv":
            if self.series is not None:
                atomic_write_text(path, series_csv(self.series))
            return path
        if suffix not in (".png", ".svg"):
            raise ValueError(f"{path.name}: choose a .png, .svg or .csv file name")
        caption = self.caption()
        width, chart_h = max(self.chart.width(), 900), max(self.chart.height(), 360)
        top, bottom = bands(caption, width)
        height = int(top + chart_h + bottom)
        with style.light(), atomic_path(path) as tmp:  # dark text on white for print
            self.chart.restyle()
            image: QImage | None = None
            device: QImage | QSvgGenerator
            if suffix == ".png":
                image = QImage(width * 2, height * 2, QImage.Format.Format_ARGB32)
                image.fill(Qt.GlobalColor.white)
                device = image
            else:
                device = QSvgGenerator()
                device.setFileName(str(tmp))
                device.setSize(QSize(width, height))
                device.setViewBox(QRectF(0, 0, width, height))
                device.setTitle(caption.title)
            painter = QPainter(device)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            if image is not None:
                painter.scale(2, 2)
            paint_caption(painter, caption, width, height)
            old_size = self.chart.size()
            self.chart.resize(width, int(chart_h))
            self.chart.render(painter, QRectF(0, top, width, chart_h), self.chart.viewport().rect())
            self.chart.resize(old_size)
            painter.end()
            saved = image is None or image.save(str(tmp), "PNG")  # type: ignore[call-overload]
            if not saved:
                raise OSError(f"could not write {path}")
        self.chart.restyle()
        return path

    def caption(self) -> Caption:
        series = self.series
        unit = self.tr(UNIT_LABELS.get(series.unit if series is not None else "week", "week"))
        grouping = grouping_label(
            GROUPINGS.get(self.state.views.timeline.lane_grouping, ("", ""))[1]
        )
        span = ""
        if series is not None and len(series.edges) > 1:
            a, b = (
                format_date(pd.Timestamp(int(x))) for x in (series.edges[0], series.edges[-1] - DAY)
            )
            span = f", {a} – {b}"
        if series is None or series.measure == "events":
            title = self.tr("Events per {unit}{span}, by {lanes}")
        else:
            title = self.tr("Known fatalities per {unit}{span}, by {lanes}")
        title = title.format(unit=unit, span=span, lanes=grouping.lower())
        if series is not None and series.measure == "fatalities" and series.bin_unknown().sum():
            title += self.tr("; {count} events with an unknown toll apart").format(
                count=count(int(series.bin_unknown().sum()))
            )
        uncited = QCoreApplication.translate("Caption", "{name} (no citation given)")
        datasets = [(d.name, d.citation) for d in self.state.table.datasets]
        if self.engine is not None:
            datasets = [(name, "") for name in self.engine.names()]
        cites = [
            f"{name}: {cite}" if cite else uncited.format(name=name) for name, cite in datasets
        ]
        sources = QCoreApplication.translate("Caption", "Sources: {sources}")
        return Caption(
            title, filters_text(self.state.spec), sources.format(sources="; ".join(cites))
        )


def _count(_control, table, mask, unit, grouping, measure) -> Series:
    prepare_series(table, unit if unit != "auto" else "week", grouping)
    return count_series(table, mask, unit, grouping, measure)
