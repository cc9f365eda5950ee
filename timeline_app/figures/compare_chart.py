"""The before-and-after chart: events and known fatalities per week on either side of
a date, the date as a line, unknown tolls apart, the figures and the caveat below.

Painted with QPainter onto any device, so that the window's view and the exported PNG
or SVG (from the window or ``timeline-app compare --chart``) are one drawing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPainter,
    QPen,
)
from PySide6.QtSvg import QSvgGenerator

from timeline_app.model.atomic import atomic_path
from timeline_app.model.messages import N_
from timeline_app.model.trends.compare import CAVEAT, Comparison, iso_day, ratio
from timeline_app.translate import message

#: Okabe–Ito: before blue, after orange, the date vermillion (distinct for colour-blind eyes)
BEFORE = QColor("#0072B2")
AFTER = QColor("#E69F00")
DATE_LINE = QColor("#D55E00")
RING = QColor("#555555")
TEXT = QColor("#1a1a1a")
MUTED = QColor("#555555")
GRID = QColor("#e4e4e4")
DEFAULT_SIZE = (1200, 720)
SUFFIXES = (".png", ".svg")


@dataclass
class ChartText:
    title: str = ""
    subtitle: str = ""
    #: What the date is (the milestone's title), written by its line.
    date_label: str = ""
    #: Lines at the very bottom: the data's citation, notes on coverage.
    footer: list[str] = field(default_factory=list)


def ensure_gui() -> None:
    """Fonts need a Qt application; a command line has none (and no display). A
    QApplication rather than a bare QGuiApplication: a window made later in the same
    process (tests, a script) needs one, and Qt allows one application per process."""
    if QGuiApplication.instance() is None:
        from PySide6.QtWidgets import QApplication

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QApplication([])


def save_chart(
    path: Path,
    result: Comparison,
    text: ChartText,
    ring: Comparison | None = None,
    size: tuple[int, int] = DEFAULT_SIZE,
) -> Path:
    """Write the chart as PNG or SVG (atomically: never a half file)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path.name}: a chart is a .png, .svg or .csv file")
    ensure_gui()
    width, height = size
    with atomic_path(path) as tmp:
        image: QImage | None = None
        device: QImage | QSvgGenerator
        if suffix == ".png":
            image = QImage(width, height, QImage.Format.Format_ARGB32)
            image.fill(Qt.GlobalColor.white)
            device = image
        else:
            device = QSvgGenerator()
            device.setFileName(str(tmp))
            device.setSize(QSize(width, height))
            device.setViewBox(QRectF(0, 0, width, height))
            device.setTitle(text.title or message(N_("Before and after")))
        painter = QPainter(device)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_comparison(painter, QRectF(0, 0, width, height), result, text, ring)
        painter.end()
        saved = image is None or image.save(str(tmp), "PNG")  # type: ignore[call-overload]
        if not saved:
            raise OSError(f"could not write {path}")
    return path


def paint_comparison(
    painter: QPainter,
    rect: QRectF,
    result: Comparison,
    text: ChartText,
    ring: Comparison | None = None,
) -> None:
    """The whole figure inside ``rect`` (white background, dark text, any theme)."""
    painter.save()
    painter.fillRect(rect, Qt.GlobalColor.white)
    pad = max(12.0, rect.width() * 0.02)
    x0, x1 = rect.left() + pad, rect.right() - pad
    y = rect.top() + pad
    y = _text(painter, QRectF(x0, y, x1 - x0, 0), text.title, 15, bold=True)
    if text.subtitle:
        y = _text(painter, QRectF(x0, y + 2, x1 - x0, 0), text.subtitle, 10.5, colour=MUTED)
    bottom_lines = _summary_lines(result, ring) + [message(CAVEAT), *text.footer]
    size = 10.0 if rect.width() >= 700 else 9.0
    footer_h = _lines_height(painter, bottom_lines, size, x1 - x0) + 8
    plots = QRectF(x0, y + 10, x1 - x0, rect.bottom() - pad - footer_h - y - 10)
    if plots.height() > 80:
        _paint_panels(painter, plots, result, text.date_label, ring)
    ty = rect.bottom() - pad - footer_h + 8
    for i, line in enumerate(bottom_lines):
        summary = i < len(bottom_lines) - len(text.footer) - 1
        colour = TEXT if summary else MUTED
        ty = _text(painter, QRectF(x0, ty, x1 - x0, 0), line, size, colour=colour)
    painter.restore()


def _summary_lines(result: Comparison, ring: Comparison | None) -> list[str]:
    lines = []
    for name, c in ((N_("Area"), result), (N_("Outer ring"), ring)):
        if c is None:
            continue
        b, a = c.before, c.after
        r = ratio(a.events, b.events)
        change = f"{a.events - b.events:+d}" + ("" if r is None else f" (× {r:.2f})")
        line = N_(
            "{name} — before ({before_days}): {before};  after ({after_days}): {after};  "
            "events {change}",
            name=name,
            before_days=_days(b.start_ns, b.end_ns),
            before=_counts(b),
            after_days=_days(a.start_ns, a.end_ns),
            after=_counts(a),
            change=change,
        )
        lines.append(message(line))
    if result.actors:
        moved = ", ".join(f"{x.name} {x.before}→{x.after}" for x in result.actors[:4])
        lines.append(message(N_("Largest changes (events naming the actor): {moved}", moved=moved)))
    lines += [message(note) for note in result.notes]
    return lines


def _counts(w) -> str:  # a WindowCounts
    if w.unknown_fatalities:
        return N_(
            "{events} events, {fatalities:g} known fatalities, {unknown} with unknown toll",
            events=w.events,
            fatalities=w.fatalities,
            unknown=w.unknown_fatalities,
        )
    return N_(
        "{events} events, {fatalities:g} known fatalities", events=w.events, fatalities=w.fatalities
    )


def _days(start_ns: int, end_ns: int) -> str:
    from timeline_app.model.units import NS_PER_DAY

    return N_("{first} to {last}", first=iso_day(start_ns), last=iso_day(end_ns - NS_PER_DAY))


def _paint_panels(
    painter: QPainter, rect: QRectF, result: Comparison, date_label: str, ring: Comparison | None
) -> None:
    """Two panels over the 2W weeks: events, then known fatalities (with unknown tolls)."""
    axis_h = 34.0
    label_w = 58.0
    gap = 26.0
    inner = QRectF(rect.left() + label_w, rect.top() + 18, rect.width() - label_w, 0)
    panel_h = (rect.height() - 18 - axis_h - gap - 16) / 2
    events = QRectF(inner.left(), inner.top(), inner.width(), panel_h * 1.0)
    deaths = QRectF(inner.left(), events.bottom() + gap, inner.width(), panel_h)
    weeks = result.weekly
    n = max(len(weeks), 1)
    step = inner.width() / n
    ev = [float(w.events) for w in weeks]
    fa = [float(w.fatalities) for w in weeks]
    ring_ev = [float(w.events) for w in ring.weekly] if ring is not None else []
    _shade_uncovered(painter, result, events, deaths, step)
    _panel(painter, events, ev, step, message(N_("events / week")), ring_ev)
    _panel(painter, deaths, fa, step, message(N_("known fatalities / week")), [])
    # Unknown tolls apart: a ring with the number of such events, over their week.
    font = QFont(painter.font())
    font.setPointSizeF(8)
    painter.setFont(font)
    for i, w in enumerate(weeks):
        if w.unknown_fatalities:
            cx = deaths.left() + (i + 0.5) * step
            painter.setPen(QPen(TEXT, 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(cx, deaths.top() + 7), 5.5, 5.5)
            painter.drawText(
                QRectF(cx + 6, deaths.top(), 40, 14),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{w.unknown_fatalities}",
            )
    if any(w.unknown_fatalities for w in weeks):
        painter.setPen(MUTED)
        painter.drawText(
            QRectF(deaths.left(), deaths.top() - 14, deaths.width(), 14),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            message(N_("○ n: events with an unknown toll (not counted as zero)")),
        )
    # The week axis: k and the week's first day, as many as fit.
    metrics = QFontMetricsF(font, painter.device())
    every = max(1, int((metrics.horizontalAdvance("0000-00-00") + 10) // step) + 1)
    painter.setPen(TEXT)
    for i, w in enumerate(weeks):
        if (w.week % every) != 0:
            continue
        cx = deaths.left() + i * step
        painter.drawLine(QPointF(cx, deaths.bottom()), QPointF(cx, deaths.bottom() + 4))
        painter.drawText(
            QRectF(cx - 50, deaths.bottom() + 4, 100, 14),
            Qt.AlignmentFlag.AlignHCenter,
            f"{w.week:+d}" if w.week else "0",
        )
        painter.setPen(MUTED)
        painter.drawText(
            QRectF(cx - 50, deaths.bottom() + 17, 100, 14),
            Qt.AlignmentFlag.AlignHCenter,
            iso_day(w.start_ns),
        )
        painter.setPen(TEXT)
    # The date: a line between week -1 and week 0 across both panels.
    at_x = inner.left() + result.weeks * step
    painter.setPen(QPen(DATE_LINE, 2.0, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(at_x, events.top() - 14), QPointF(at_x, deaths.bottom()))
    painter.setPen(DATE_LINE)
    label = f"{iso_day(result.at_ns)}" + (f": {date_label}" if date_label else "")
    font.setPointSizeF(9)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(
        QRectF(at_x + 4, events.top() - 18, inner.right() - at_x - 4, 16),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        QFontMetricsF(font, painter.device()).elidedText(
            label, Qt.TextElideMode.ElideRight, inner.right() - at_x - 6
        ),
    )
    font.setBold(False)
    painter.setFont(font)
    painter.setPen(BEFORE)
    painter.drawText(
        QRectF(inner.left(), events.top() - 18, at_x - inner.left() - 6, 16),
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        message(N_("■ before")),
    )
    painter.setPen(AFTER)
    painter.drawText(
        QRectF(at_x + 4, events.top() + 2, 200, 16),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        message(N_("■ after")) + (message(N_("   ┈ outer ring")) if ring is not None else ""),
    )


def _shade_uncovered(
    painter: QPainter, result: Comparison, events: QRectF, deaths: QRectF, step: float
) -> None:
    """Hatch the weeks some dataset does not cover: empty there for want of data."""
    missing = [i for i, w in enumerate(result.weekly) if not result.week_covered(w)]
    if not missing or result.covered_ns is None:
        return
    brush = QBrush(QColor(150, 150, 150, 70), Qt.BrushStyle.BDiagPattern)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(brush)
    for i in missing:
        x = events.left() + i * step
        painter.drawRect(QRectF(x, events.top(), step, deaths.bottom() - events.top()))
    first = events.left() + missing[0] * step
    width = (missing[-1] - missing[0] + 1) * step
    font = QFont(painter.font())
    font.setPointSizeF(8)
    painter.setFont(font)
    painter.setPen(MUTED)
    text = message(N_("not every dataset covers these weeks"))
    box = QRectF(first + 2, events.top() + 18, max(width - 4, 10), 28)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)


def _panel(
    painter: QPainter, rect: QRectF, values: list[float], step: float, label: str, ring: list[float]
) -> None:
    top = max([*values, *ring, 1.0])
    scale = _nice(top)
    font = QFont(painter.font())
    font.setPointSizeF(8)
    painter.setFont(font)
    for k in range(5):
        v = scale * k / 4
        yy = rect.bottom() - rect.height() * v / scale
        painter.setPen(QPen(GRID, 1.0))
        painter.drawLine(QPointF(rect.left(), yy), QPointF(rect.right(), yy))
        painter.setPen(MUTED)
        painter.drawText(
            QRectF(rect.left() - 56, yy - 7, 50, 14),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"{v:g}",
        )
    half = len(values) // 2
    painter.setPen(Qt.PenStyle.NoPen)
    for i, v in enumerate(values):
        if v <= 0:
            continue
        h = rect.height() * v / scale
        painter.setBrush(BEFORE if i < half else AFTER)
        painter.drawRect(
            QRectF(rect.left() + i * step + step * 0.12, rect.bottom() - h, step * 0.76, h)
        )
    if ring:
        painter.setPen(QPen(RING, 1.4, Qt.PenStyle.DotLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for i, v in enumerate(ring):
            h = rect.height() * v / scale
            painter.drawRect(
                QRectF(rect.left() + i * step + step * 0.12, rect.bottom() - h, step * 0.76, h)
            )
    painter.setPen(QPen(TEXT, 1.0))
    painter.drawLine(rect.bottomLeft(), rect.bottomRight())
    painter.setPen(TEXT)
    painter.drawText(
        QRectF(rect.left() + 4, rect.top(), rect.width() / 2, 14),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        label,
    )


def _nice(top: float) -> float:
    """An axis top at or above ``top`` whose quarters are round, whole numbers:
    4, 8, 20, 40, 80, 100, 200, ... (the gridlines are at the quarters)."""
    base = 1.0
    while True:
        for m in (1, 2, 5) if base < 10 else (1, 2, 2.5, 5):
            if 4 * base * m >= top:
                return 4 * base * m
        base *= 10


def _text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    size: float,
    colour: QColor = TEXT,
    bold: bool = False,
) -> float:
    """Wrapped text from ``rect``'s top; returns the y below it."""
    if not text:
        return rect.top()
    font = QFont(painter.font())
    font.setPointSizeF(size)
    font.setBold(bold)
    painter.setFont(font)
    painter.setPen(colour)
    flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
    box = painter.boundingRect(QRectF(rect.left(), rect.top(), rect.width(), 10_000), flags, text)
    painter.drawText(box, flags, text)
    return box.bottom() + 2


def _lines_height(painter: QPainter, lines: list[str], size: float, width: float) -> float:
    font = QFont(painter.font())
    font.setPointSizeF(size)
    metrics = QFontMetricsF(font, painter.device())
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
    return sum(
        metrics.boundingRect(QRectF(0, 0, width, 10_000), flags, t).height() + 2 for t in lines
    )
