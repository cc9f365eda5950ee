"""Axes of the timeline: calendar dates along x (decades to hours), lane names along y.

x values are seconds since the epoch (UTC) as floats; ticks fall on calendar
boundaries (whole years, months, Mondays, days, hours), never on arbitrary seconds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from timeline_app.model.units import DAYS_PER_MONTH, DAYS_PER_YEAR, S_PER_DAY, S_PER_HOUR
from timeline_app.ui.elide import elide
from timeline_app.ui.formatting import count as format_count
from timeline_app.ui.formatting import day_month, month_abbr

#: The width of a text in pixels, in the axis's font.
Measure = Callable[[str], float]

#: (name, approximate length in seconds, step); chosen from coarse to fine by pixel room
LEVELS: tuple[tuple[str, float, int], ...] = (
    ("year", DAYS_PER_YEAR * S_PER_DAY * 20, 20),
    ("year", DAYS_PER_YEAR * S_PER_DAY * 10, 10),
    ("year", DAYS_PER_YEAR * S_PER_DAY * 5, 5),
    ("year", DAYS_PER_YEAR * S_PER_DAY * 2, 2),
    ("year", DAYS_PER_YEAR * S_PER_DAY, 1),
    ("month", DAYS_PER_MONTH * S_PER_DAY * 6, 6),
    ("month", DAYS_PER_MONTH * S_PER_DAY * 3, 3),
    ("month", DAYS_PER_MONTH * S_PER_DAY, 1),
    ("week", 7 * S_PER_DAY, 1),
    ("day", 2 * S_PER_DAY, 2),
    ("day", S_PER_DAY, 1),
    ("hour", 12 * S_PER_HOUR, 12),
    ("hour", 6 * S_PER_HOUR, 6),
    ("hour", 3 * S_PER_HOUR, 3),
    ("hour", S_PER_HOUR, 1),
)
#: The room left between two date labels, in pixels.
LABEL_GAP_PX = 8
#: Room kept at each end, so that a label this module thinks whole, pyqtgraph (which
#: measures the text's bounding box, a pixel wider at times) does not think cut.
EDGE_PX = 2
#: Finer levels than this many pixels a step are not tried for labels.
MIN_LABEL_STEP_PX = 18
MINOR_PX = 12
MAX_MINOR_TICKS = 60
#: A level with more labels than this is not tried (its labels cannot fit any axis).
MAX_LABELS = 80


def calendar_ticks(x0: float, x1: float, level: tuple[str, float, int]) -> np.ndarray:
    """Tick positions (seconds) of one level between x0 and x1."""
    name, _, step = level
    if x1 <= x0:
        return np.empty(0)
    a = np.datetime64(int(np.floor(x0)), "s")
    b = np.datetime64(int(np.ceil(x1)), "s")
    if name in ("year", "month"):
        unit = "Y" if name == "year" else "M"
        first = a.astype(f"datetime64[{unit}]")
        last = b.astype(f"datetime64[{unit}]") + 1
        values = np.arange(first, last).astype("int64")
        values = values[values % step == 0]
        ticks = values.astype(f"datetime64[{unit}]").astype("datetime64[s]").astype(np.float64)
    else:
        length = {"week": 7 * S_PER_DAY, "day": S_PER_DAY, "hour": S_PER_HOUR}[name] * step
        origin = 4 * S_PER_DAY if name == "week" else 0.0  # weeks start on Monday 1970-01-05
        first = np.floor((x0 - origin) / length) * length + origin
        ticks = first + np.arange(int((x1 - first) // length) + 2) * length
    return ticks[(ticks >= x0) & (ticks <= x1)]


#: A label drawn: its tick (seconds), its text, its centre and half its width (pixels).
Placed = tuple[float, str, float, float]


def placed_labels(
    x0: float, x1: float, width_px: float, level: tuple[str, float, int], measure: Measure
) -> list[Placed] | None:
    """The labels of ``level`` that lie whole on a ``width_px`` axis from x0 to x1, or
    None when two of them would run together. The first label drawn carries the year
    (pyqtgraph leaves out a label cut by either end, so the year goes on the first
    whole one), as do January's."""
    ticks = calendar_ticks(x0, x1, level)
    if len(ticks) > MAX_LABELS:
        return None
    scale = width_px / max(x1 - x0, 1e-9)
    placed: list[Placed] = []
    for value in ticks:
        x = (value - x0) * scale
        text = tick_label(value, level[0], first=not placed)
        half = measure(text) / 2
        if x - half < EDGE_PX or x + half > width_px - EDGE_PX:
            continue  # cut by an end: not drawn
        if placed and x - placed[-1][2] < placed[-1][3] + half + LABEL_GAP_PX:
            return None
        placed.append((float(value), text, x, half))
    return placed


def choose_levels(
    x0: float, x1: float, width_px: float, measure: Measure
) -> tuple[tuple[str, float, int], tuple[str, float, int] | None, list[Placed]]:
    """The finest level whose labels, measured by ``measure``, fit without running
    together (in any language: French months are longer), a finer one for minor
    ticks, and the major level's labels."""
    px_per_s = width_px / max(x1 - x0, 1e-9)
    major_i, placed = 0, None
    for i in range(len(LEVELS) - 1, -1, -1):
        if LEVELS[i][1] * px_per_s < MIN_LABEL_STEP_PX:
            continue
        placed = placed_labels(x0, x1, width_px, LEVELS[i], measure)
        if placed is not None:
            major_i = i
            break
    minor = None
    for name, length, step in LEVELS[major_i + 1 :]:
        if length * px_per_s >= MINOR_PX:
            minor = (name, length, step)
    return LEVELS[major_i], minor, placed or []


def tick_label(value: float, level_name: str, first: bool = False) -> str:
    """ "2023", "Sep 2023", "7 Sep", "14:00" (midnight shows the day instead)."""
    moment = np.datetime64(int(round(value)), "s").astype(object)
    if level_name == "year":
        return f"{moment.year}"
    if level_name == "month":
        if moment.month == 1 or first:
            return f"{month_abbr(moment.month)} {moment.year}"
        return month_abbr(moment.month)
    if level_name in ("week", "day"):
        text = day_month(moment.day, moment.month)
        return (
            text + f" {moment.year}" if first or (moment.month == 1 and moment.day == 1) else text
        )
    if moment.hour == 0 and moment.minute == 0:
        return day_month(moment.day, moment.month)
    return moment.strftime("%H:%M")


class DateAxis(pg.AxisItem):
    """A bottom axis whose ticks land on calendar boundaries at any zoom."""

    def __init__(self, **kwargs) -> None:
        super().__init__("bottom", **kwargs)
        self._major_spacing = 0.0
        self._labels: dict[float, str] = {}  # the major ticks drawn whole, and their text
        self._widths: dict[tuple[str, str], float] = {}  # (font, text): its width
        self.enableAutoSIPrefix(False)

    def _measure(self, text: str) -> float:
        """``text``'s width in the labels' font (remembered: a redraw measures the same
        few texts again, ~3 us each through Qt)."""
        font = self.style["tickFont"] or QFont()
        key = (font.key(), text)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 4096:
                self._widths.clear()
            width = self._widths[key] = QFontMetricsF(font).horizontalAdvance(text)
        return width

    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802, N803
        major, minor, placed = choose_levels(minVal, maxVal, size, self._measure)
        self._major_spacing = major[1]
        self._labels = {value: text for value, text, _x, _half in placed}
        values = [(major[1], list(calendar_ticks(minVal, maxVal, major)))]
        if minor is not None:
            ticks = calendar_ticks(minVal, maxVal, minor)
            if len(ticks) <= MAX_MINOR_TICKS:  # each tick costs pyqtgraph some work
                values.append((minor[1], list(ticks)))
        return values

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        if spacing != self._major_spacing:
            return [""] * len(values)  # minor ticks carry no label
        # The texts placed_labels chose (a label cut by an end is left out, as pyqtgraph
        # would leave it out, so that the year is on the first one drawn).
        return [self._labels.get(float(v), "") for v in values]


class LaneAxis(pg.AxisItem):
    """A left axis that names each lane (lane i sits at y = i) and never drops a name.

    pyqtgraph leaves out a tick label wider than the axis; here every lane's name is
    drawn, cut to fit (see ``elide``), with its count under it when the lane is tall
    enough and beside it otherwise; the full name is the tooltip (``tooltip_at``).
    The column is as wide as the longest name needs, within ``MIN_PX``..``MAX_PX`` and
    at most ``MAX_SHARE`` of the plot.
    """

    MIN_PX = 72
    MAX_PX = 230
    MAX_SHARE = 0.3
    PAD_PX = 10

    def __init__(self, **kwargs) -> None:
        super().__init__("left", **kwargs)
        self.setStyle(tickLength=0, tickFont=QFont())
        self.setWidth(self.MIN_PX)
        self._labels: tuple[str, ...] = ()
        self._counts: list[int] | None = None
        self._plot_width = 0.0

    def set_lanes(self, labels: tuple[str, ...], counts: list[int] | None = None) -> None:
        """Name each lane; with ``counts``, the number of visible events beside the name."""
        self._labels, self._counts = tuple(labels), counts
        self.setTicks([[(float(i), "") for i in range(len(labels))], []])
        self.fit_width(self._plot_width)
        self.picture = None
        self.update()

    def fit_width(self, plot_width: float) -> None:
        """Widen the column for long names, within reason for a ``plot_width`` plot."""
        self._plot_width = float(plot_width)
        metrics = self._metrics()
        counts = [format_count(n) for n in self._counts] if self._counts is not None else []
        rects = self.lane_rects()
        if counts and rects and rects[0].height() < 2 * metrics.height():  # one line each
            texts = [f"{t} {n}" for t, n in zip(self._labels, counts, strict=True)]
        else:
            texts = list(self._labels) + counts
        natural = max((metrics.horizontalAdvance(t) for t in texts), default=0) + self.PAD_PX
        most = self.MAX_PX if plot_width <= 0 else min(self.MAX_PX, plot_width * self.MAX_SHARE)
        width = int(max(self.MIN_PX, min(natural, most)))
        if width != self.fixedWidth:
            self.setWidth(width)

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.style["tickFont"] or QFont())

    def lane_rects(self) -> list[QRectF]:
        """Each lane's band of this axis, in its own coordinates."""
        view = self.linkedView()
        if view is None:
            return []
        width = float(self.fixedWidth or self.width())  # the width just set, laid out or not
        rects = []
        for i in range(len(self._labels)):
            top = self.mapFromScene(view.mapViewToScene(QPointF(0, i - 0.5))).y()
            bottom = self.mapFromScene(view.mapViewToScene(QPointF(0, i + 0.5))).y()
            top, bottom = min(top, bottom), max(top, bottom)
            rects.append(QRectF(0, top, width - 4, bottom - top))
        return rects

    def lane_texts(self) -> list[tuple[QRectF, str]]:
        """What each lane shows: where, and the (possibly cut) text."""
        metrics = self._metrics()
        line = metrics.height()
        out = []
        for i, rect in enumerate(self.lane_rects()):
            room = rect.width() - 2
            count = format_count(self._counts[i]) if self._counts is not None else ""
            if not count:
                text = elide(self._labels[i], metrics, room)
            elif rect.height() >= 2 * line:
                text = elide(self._labels[i], metrics, room) + "\n" + count
            else:  # too low for two lines: the count beside the name, if there is room
                beside = room - metrics.horizontalAdvance(" " + count)
                if metrics.horizontalAdvance(self._labels[i]) <= beside:
                    text = self._labels[i] + " " + count
                else:  # the name matters more (the count is in the tooltip)
                    text = elide(self._labels[i], metrics, room)
            out.append((rect, text))
        return out

    def tooltip_at(self, pos: QPointF) -> str:
        """The full name (and count) of the lane at ``pos`` (axis coordinates), or ""."""
        for i, rect in enumerate(self.lane_rects()):
            if rect.top() <= pos.y() < rect.bottom():
                if self._counts is None:
                    return self._labels[i]
                return QCoreApplication.translate("LaneAxis", "{lane}: {count} events").format(
                    lane=self._labels[i], count=format_count(self._counts[i])
                )
        return ""

    def generateDrawSpecs(self, p):  # noqa: N802
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, _ = specs
        flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return axis_spec, tick_specs, [(rect, flags, text) for rect, text in self.lane_texts()]
