"""What a figure for a paper needs around the timeline: a title, the active filters and
the datasets' citation (optional in the export dialog, on by default)."""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd
from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from timeline_app.model.filters import FilterSpec
from timeline_app.model.timeline.lanes import GROUPINGS
from timeline_app.model.units import NS_PER_S
from timeline_app.ui.formatting import format_date
from timeline_app.ui.i18n import grouping_label
from timeline_app.ui.timeline.source import AnySource

PAD = 10.0


@dataclass(frozen=True)
class Caption:
    title: str
    filters: str
    citation: str


def filters_text(spec: FilterSpec) -> str:
    """The active filters on one line ("Filters: none" when there are none)."""
    parts = []
    default = FilterSpec()
    for f in fields(spec):
        value = getattr(spec, f.name)
        if value == getattr(default, f.name) or f.name.startswith("_"):
            continue
        if f.name in ("date_from", "date_to") and value is not None:
            value = f"{value:%Y-%m-%d}"
        elif isinstance(value, tuple):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{f.name.replace('_', ' ')}: {value}")
    # The filter's own field names (as in a provenance file), so the figure says exactly
    # what was filtered; only the words around them follow the interface's language.
    none = QCoreApplication.translate("Caption", "none")
    return QCoreApplication.translate("Caption", "Filters: {filters}").format(
        filters="; ".join(parts) if parts else none
    )


def default_caption(source: AnySource, x_range: tuple[float, float]) -> Caption:
    state = source.state
    a, b = (format_date(pd.Timestamp(int(x * NS_PER_S)).normalize()) for x in x_range)
    grouping = grouping_label(GROUPINGS[source.grouping][1]) if source.grouping in GROUPINGS else ""
    title = QCoreApplication.translate("Caption", "Events {start} – {end}, lanes by {lanes}")
    title = title.format(start=a, end=b, lanes=(grouping or source.grouping).lower())
    uncited = QCoreApplication.translate("Caption", "{name} (no citation given)")
    engine = state.source_view.source  # a DuckDB dataset: its inputs, described as in memory
    datasets = engine.datasets() if engine is not None else state.table.datasets
    cites = [
        f"{d.name}: {d.citation}" if d.citation else uncited.format(name=d.name) for d in datasets
    ]
    sources = QCoreApplication.translate("Caption", "Sources: {sources}")
    return Caption(title, filters_text(state.spec), sources.format(sources="; ".join(cites)))


def _fonts() -> tuple[QFont, QFont]:
    title = QFont()
    title.setPointSizeF(12)
    title.setBold(True)
    small = QFont()
    small.setPointSizeF(8.5)
    return title, small


def _lines(text: str, font: QFont, width: float) -> float:
    metrics = QFontMetricsF(font)
    rect = metrics.boundingRect(QRectF(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text)
    return rect.height()


def bands(caption: Caption | None, width: float) -> tuple[float, float]:
    """Heights of the header (title, filters) and footer (citation) in pixels."""
    if caption is None:
        return 0.0, 0.0
    title, small = _fonts()
    inner = width - 2 * PAD
    top = PAD + _lines(caption.title, title, inner) + 4 + _lines(caption.filters, small, inner)
    bottom = _lines(caption.citation, small, inner) + PAD
    return top + 6, bottom + 6


def paint_caption(painter: QPainter, caption: Caption, width: float, height: float) -> None:
    title, small = _fonts()
    top, bottom = bands(caption, width)
    inner = width - 2 * PAD
    painter.setPen(QColor("#202020"))
    painter.setFont(title)
    flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft)
    h = _lines(caption.title, title, inner)
    painter.drawText(QRectF(PAD, PAD, inner, h), flags, caption.title)
    painter.setFont(small)
    painter.setPen(QColor("#444444"))
    painter.drawText(QRectF(PAD, PAD + h + 4, inner, top - h), flags, caption.filters)
    painter.drawText(QRectF(PAD, height - bottom + 6, inner, bottom), flags, caption.citation)
