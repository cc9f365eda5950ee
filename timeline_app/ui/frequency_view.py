"""Frequencies: events and fatalities per actor, place or type, or per day, week, month
or year, among the filtered rows.

One row per distinct value (numpy bincounts in model/facets.py) or per period (the
trends series' bins, model/trends/periods.py), so the table is small whatever the
number of events. Double-clicking a row adds that value to the filter (a period: its
dates). It is recomputed only while visible, on a worker for a big table.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qdebounced

from timeline_app.model import facets
from timeline_app.model.state import AppState
from timeline_app.model.text import fold
from timeline_app.model.trends.periods import PERIODS, period_frequency
from timeline_app.ui.elide import elide
from timeline_app.ui.formatting import format_date, format_number
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP, category_label, language
from timeline_app.ui.workers import Control, JobKind

#: (column, header, header tooltip): short headers, so that a narrow dock shows them all.
COLUMNS = [
    (
        "value",
        QT_TRANSLATE_NOOP("FrequencyView", "Value"),
        QT_TRANSLATE_NOOP("FrequencyView", "The actor, place, type or period"),
    ),
    (
        "events",
        QT_TRANSLATE_NOOP("FrequencyView", "Events"),
        QT_TRANSLATE_NOOP("FrequencyView", "Events among the filtered rows"),
    ),
    ("share", "%", QT_TRANSLATE_NOOP("FrequencyView", "Share of the filtered events")),
    (
        "fatalities",
        QT_TRANSLATE_NOOP("FrequencyView", "Fatalities"),
        QT_TRANSLATE_NOOP("FrequencyView", "Fatalities where known (unknown tolls add nothing)"),
    ),
    (
        "unknown_fatalities",
        QT_TRANSLATE_NOOP("FrequencyView", "Unknown"),
        QT_TRANSLATE_NOOP("FrequencyView", "Events whose fatalities are unknown"),
    ),
]
#: The first column's header when rows are periods (a week is named by its Monday).
PERIOD_HEADERS = {
    "day": QT_TRANSLATE_NOOP("FrequencyView", "Day"),
    "week": QT_TRANSLATE_NOOP("FrequencyView", "Week of"),
    "month": QT_TRANSLATE_NOOP("FrequencyView", "Month"),
    "year": QT_TRANSLATE_NOOP("FrequencyView", "Year"),
}
#: What to count by (model/facets.py DIMENSIONS, model/trends/periods.py PERIODS), for
#: the translation files: the view shows them through ``tr``.
_BY_LABELS = (
    QT_TRANSLATE_NOOP("FrequencyView", "Actor"),
    QT_TRANSLATE_NOOP("FrequencyView", "Country"),
    QT_TRANSLATE_NOOP("FrequencyView", "Admin 1"),
    QT_TRANSLATE_NOOP("FrequencyView", "Admin 2"),
    QT_TRANSLATE_NOOP("FrequencyView", "Location"),
    QT_TRANSLATE_NOOP("FrequencyView", "Category"),
    QT_TRANSLATE_NOOP("FrequencyView", "Event type"),
    QT_TRANSLATE_NOOP("FrequencyView", "Sub-event type"),
    QT_TRANSLATE_NOOP("FrequencyView", "Dataset"),
    QT_TRANSLATE_NOOP("FrequencyView", "Source"),
    QT_TRANSLATE_NOOP("FrequencyView", "Week"),
)
#: How a period's first day is written.
PERIOD_PRECISION = {"day": "day", "week": "day", "month": "month", "year": "year"}
#: From this many events, counting runs in a background thread.
THREAD_ROWS = 200_000
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class FrequencyModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.frame = pd.DataFrame(columns=[c for c, _, _ in COLUMNS])
        self.sort_column, self.ascending = 1, False
        self.period = ""  # the unit when rows are periods ("week"), else ""
        #: How a value reads (categories in the interface's language); filters take it raw.
        self.label: Callable[[str], str] = str

    def set_frame(self, frame: pd.DataFrame, total: int, period: str = "") -> None:
        frame = frame.copy()
        frame["share"] = frame["events"] / max(total, 1) * 100
        if period:  # shown at the period's precision: "week of 4 Sep 2023", "Sep 2023"
            starts = pd.to_datetime(frame["start"].to_numpy())
            precision = PERIOD_PRECISION[period]
            frame["value"] = [format_date(t, precision) for t in starts]
        self.period = period
        self.beginResetModel()
        self.frame = self._sorted(frame)
        self.endResetModel()

    def _sorted(self, frame: pd.DataFrame) -> pd.DataFrame:
        column = COLUMNS[self.sort_column][0]
        if column == "value" and "start" in frame.columns:  # periods: in time order
            return frame.sort_values("start", ascending=self.ascending, kind="stable")
        if column == "value":
            key = frame["value"].map(fold)
            return frame.iloc[
                np.argsort(key.to_numpy(), kind="stable")[:: 1 if self.ascending else -1]
            ]
        return frame.sort_values(column, ascending=self.ascending, kind="stable")

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column = column
        self.ascending = order == Qt.SortOrder.AscendingOrder
        self.beginResetModel()
        self.frame = self._sorted(self.frame)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def value_at(self, row: int) -> str:
        return str(self.frame["value"].iloc[row])

    def widest_rows(self, column: int) -> list[int]:
        """Rows whose text in ``column`` is about the widest: the first ones and the
        largest value (a 10,000-day table is not measured cell by cell)."""
        rows = list(range(min(len(self.frame), 50)))
        values = self.frame[COLUMNS[column][0]]
        if len(values):
            rows.append(int(np.argmax(values.to_numpy(dtype=np.float64))))
        return rows

    def period_at(self, row: int) -> tuple[pd.Timestamp, pd.Timestamp]:
        """A period row's first day and the day after its last."""
        return pd.Timestamp(self.frame["start"].iloc[row]), pd.Timestamp(
            self.frame["end"].iloc[row]
        )

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return None if column == "value" else RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == "value":  # a cut name, whole
            return self.label(str(self.frame["value"].iloc[index.row()]))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        value = self.frame[column].iloc[index.row()]
        if column == "value":
            return self.label(str(value))
        if column == "share":
            return format_number(round(float(value), 1)) if language() != "en" else f"{value:.1f}"
        return format_number(float(value))

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0 and self.period:
                return QCoreApplication.translate("FrequencyView", PERIOD_HEADERS[self.period])
            return QCoreApplication.translate("FrequencyView", COLUMNS[section][1])
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("FrequencyView", COLUMNS[section][2])
        return None


class FrequencyView(QWidget):
    """Choose what to count by; double-click a row to filter on that value."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("frequencyView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Count by")))
        self.by = QComboBox(self)
        self.by.setObjectName("frequencyBy")
        for key, label in facets.DIMENSIONS.items():
            self.by.addItem(label, key)
        self.by.insertSeparator(self.by.count())
        periods = {
            "day": self.tr("Per day"),
            "week": self.tr("Per week"),
            "month": self.tr("Per month"),
            "year": self.tr("Per year"),
        }
        for key in PERIODS:
            self.by.addItem(periods[key], key)
        self.by.currentIndexChanged.connect(lambda _i: self._dimension_changed())
        row.addWidget(self.by, 1)
        layout.addLayout(row)
        self.model = FrequencyModel(self)
        self.table = _FrequencyTable(self)
        self.table.setObjectName("frequencyTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(0, _NameDelegate(self.table))  # whole: tooltip
        self.model.modelReset.connect(self.table.fit_columns)
        self.table.doubleClicked.connect(lambda index: self.add_to_filter(index.row()))
        self.table.setToolTip(self.tr("Double-click a row to add it to the filter"))
        layout.addWidget(self.table, 1)
        # Once the event loop is back (the table redraws first), once for many changes.
        self._count_later = qdebounced(self._count_soon, timeout=0)
        self._counted = None
        self.jobs = JobKind("frequencies", serial=True)
        state.rows_changed.connect(self._schedule)
        state.table_changed.connect(self._schedule)

    def set_dimension(self, key: str) -> None:
        self.by.setCurrentIndex(self.by.findData(key))

    def _dimension_changed(self) -> None:
        # Periods read in time order; values most frequent first.
        if self.by.currentData() in PERIODS:
            self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        elif self.model.period:
            self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self._count_soon()

    def _schedule(self, *_args) -> None:
        if self.isVisible() and self.state.mask is not self._counted:  # not for a sort
            self._count_later()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._count_later()

    def refresh(self) -> None:
        """Count now, on this thread."""
        self._count_later.cancel()
        mask = self.state.mask
        if len(mask) != len(self.state.table):
            return
        self._counted = mask
        self.jobs.supersede()  # a count still running is for other rows
        by = self.by.currentData()
        frame = _frequency(None, self.state.table, mask, by)
        self.model.label = category_label if by == "category" else str
        self.model.set_frame(frame, int(mask.sum()), _period(by))

    def _count_soon(self) -> None:
        """Count after a change; a big table is counted on a worker."""
        table, mask = self.state.table, self.state.mask
        if len(table) < THREAD_ROWS or len(mask) != len(table):
            self.refresh()
            return
        self._counted = mask
        by = self.by.currentData()
        job = self.jobs.start(_frequency, table, mask, by, parent=self)
        job.returned.connect(lambda frame: self._on_ready(mask, frame, by))

    def _on_ready(self, mask, frame, by: str) -> None:
        if mask is self.state.mask:  # (a newer count would have made this one stale)
            self.model.label = category_label if by == "category" else str
            self.model.set_frame(frame, int(mask.sum()), _period(by))

    def wait(self, timeout: float = 30.0) -> None:
        self.jobs.wait(int(timeout * 1000))

    def add_to_filter(self, row: int) -> None:
        """Narrow the filter to this value (added to the values already chosen)."""
        key = self.by.currentData()
        spec = self.state.spec
        if key in PERIODS:  # that period's dates (the end bound is inclusive)
            first, after = self.model.period_at(row)
            last = after - pd.Timedelta(days=1)
            self.state.set_filter(
                spec.with_(date_from=first.to_pydatetime(), date_to=last.to_pydatetime())
            )
            return
        field_name = facets.DIMENSION_FIELD[key]
        value = self.model.value_at(row)
        if field_name == "text":
            self.state.set_filter(spec.with_(text=value))
            return
        values = tuple(getattr(spec, field_name))
        if fold(value) not in {fold(v) for v in values}:
            values = (*values, value)
        self.state.set_filter(spec.with_(**{field_name: values}))


class _FrequencyTable(QTableView):
    """Numbers as wide as their widest cell or header, the name the rest, but never
    under NAME_MIN_PX (then the table scrolls sideways): a narrow dock squeezed the
    names to "…" while the numbers kept their room."""

    NAME_MIN_PX = 120
    PAD_PX = 14

    def fit_columns(self) -> None:
        model = self.model()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.fontMetrics()
        bold = header.fontMetrics()
        indicator = 16  # the sort arrow beside a header's text
        numbers = 0
        for column in range(1, model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            width = bold.horizontalAdvance(title) + indicator
            for row in model.widest_rows(column):
                text = str(model.index(row, column).data())
                width = max(width, metrics.horizontalAdvance(text))
            self.setColumnWidth(column, width + self.PAD_PX)
            numbers += width + self.PAD_PX
        room = self.viewport().width() - numbers
        self.setColumnWidth(0, max(room, self.NAME_MIN_PX))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()


class _NameDelegate(QStyledItemDelegate):
    """Names cut where what tells them apart survives (ui/elide.py), not in the middle
    of it ("Gover… Mali")."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        room = option.rect.width() - 8
        option.text = elide(option.text, option.fontMetrics, room)
        option.textElideMode = Qt.TextElideMode.ElideNone


def _period(by: str) -> str:
    return by if by in PERIODS else ""


def _frequency(_control: Control | None, table, mask, by: str) -> pd.DataFrame:
    if by in PERIODS:
        return period_frequency(table, mask, by)
    return facets.frequency(table, mask, by)
