"""Axes of the timeline: calendar dates along x (decades to hours), lane names along y.

x values are seconds since the epoch (UTC) as floats; ticks fall on calendar
boundaries (whole years, months, Mondays, days, hours), never on arbitrary seconds.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

HOUR = 3600.0
DAY = 86400.0

#: (name, approximate length in seconds, step); chosen from coarse to fine by pixel room
LEVELS: tuple[tuple[str, float, int], ...] = (
    ("year", 365.25 * DAY * 20, 20),
    ("year", 365.25 * DAY * 10, 10),
    ("year", 365.25 * DAY * 5, 5),
    ("year", 365.25 * DAY * 2, 2),
    ("year", 365.25 * DAY, 1),
    ("month", 30.44 * DAY * 6, 6),
    ("month", 30.44 * DAY * 3, 3),
    ("month", 30.44 * DAY, 1),
    ("week", 7 * DAY, 1),
    ("day", 2 * DAY, 2),
    ("day", DAY, 1),
    ("hour", 12 * HOUR, 12),
    ("hour", 6 * HOUR, 6),
    ("hour", 3 * HOUR, 3),
    ("hour", HOUR, 1),
)
MAJOR_PX = {"year": 48, "month": 70, "week": 64, "day": 64, "hour": 52}
MINOR_PX = 12
MAX_MINOR_TICKS = 60


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
        values = values[values % step == 0] if name == "year" else values[values % step == 0]
        ticks = values.astype(f"datetime64[{unit}]").astype("datetime64[s]").astype(np.float64)
    else:
        length = {"week": 7 * DAY, "day": DAY, "hour": HOUR}[name] * step
        origin = 4 * DAY if name == "week" else 0.0  # weeks start on Monday 1970-01-05
        first = np.floor((x0 - origin) / length) * length + origin
        ticks = first + np.arange(int((x1 - first) // length) + 2) * length
    return ticks[(ticks >= x0) & (ticks <= x1)]


def choose_levels(
    span_s: float, width_px: float
) -> tuple[tuple[str, float, int], tuple[str, float, int] | None]:
    """The finest level whose labels fit, and a finer one for minor ticks."""
    px_per_s = width_px / max(span_s, 1e-9)
    major_i = 0
    for i, (name, length, _) in enumerate(LEVELS):
        if length * px_per_s >= MAJOR_PX[name]:
            major_i = i
    minor = None
    for name, length, step in LEVELS[major_i + 1 :]:
        if length * px_per_s >= MINOR_PX:
            minor = (name, length, step)
    return LEVELS[major_i], minor


def tick_label(value: float, level_name: str, first: bool = False) -> str:
    """ "2023", "Sep 2023", "7 Sep", "14:00" (midnight shows the day instead)."""
    moment = np.datetime64(int(round(value)), "s").astype(object)
    if level_name == "year":
        return f"{moment.year}"
    if level_name == "month":
        if moment.month == 1 or first:
            return moment.strftime("%b %Y")
        return moment.strftime("%b")
    if level_name in ("week", "day"):
        text = f"{moment.day} " + moment.strftime("%b")
        return (
            text + f" {moment.year}" if first or (moment.month == 1 and moment.day == 1) else text
        )
    if moment.hour == 0 and moment.minute == 0:
        return f"{moment.day} " + moment.strftime("%b")
    return moment.strftime("%H:%M")


class DateAxis(pg.AxisItem):
    """A bottom axis whose ticks land on calendar boundaries at any zoom."""

    def __init__(self, **kwargs) -> None:
        super().__init__("bottom", **kwargs)
        self._levels: dict[float, str] = {}
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802, N803
        major, minor = choose_levels(maxVal - minVal, size)
        self._levels = {major[1]: major[0]}
        values = [(major[1], list(calendar_ticks(minVal, maxVal, major)))]
        if minor is not None:
            ticks = calendar_ticks(minVal, maxVal, minor)
            if len(ticks) <= MAX_MINOR_TICKS:  # each tick costs pyqtgraph some work
                self._levels[minor[1]] = minor[0]
                values.append((minor[1], list(ticks)))
        return values

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        name = self._levels.get(spacing)
        if name is None or not values:
            return [""] * len(values)
        if spacing != max(self._levels):
            return [""] * len(values)  # minor ticks carry no label
        # The year goes on the first two labels: the very first may be clipped at the edge.
        return [tick_label(v, name, first=(i < 2)) for i, v in enumerate(values)]


class LaneAxis(pg.AxisItem):
    """A left axis that names each lane (lane i sits at y = i)."""

    def __init__(self, **kwargs) -> None:
        super().__init__("left", **kwargs)
        self.setWidth(120)
        self.setStyle(tickLength=0)

    def set_lanes(self, labels: tuple[str, ...], counts: list[int] | None = None) -> None:
        """Name each lane; with ``counts``, the number of visible events under the name."""
        texts = [_elide(label) for label in labels]
        if counts is not None:
            texts = [f"{t}\n{n:,}" for t, n in zip(texts, counts, strict=True)]
        self.setTicks([[(float(i), t) for i, t in enumerate(texts)], []])


def _elide(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
