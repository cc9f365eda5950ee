"""Small pieces the filter panel's form is built of: a titled group, dates between Qt and
the model's int64 nanoseconds, a number box's value."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QGroupBox, QSpinBox, QVBoxLayout, QWidget

#: A number box's value that stands for "no bound" (shown as "any").
NO_NUMBER = -1


def group_box(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addWidget(widget)
    return box


def qdate(ns: int) -> QDate:
    day = pd.Timestamp(ns).date()
    return QDate(day.year, day.month, day.day)


def set_number(edit: QSpinBox, value: float | None) -> None:
    edit.setValue(NO_NUMBER if value is None else int(round(value)))


def day_of(ns: int) -> datetime:
    """The calendar day (midnight) of an int64 nanosecond time."""
    return pd.Timestamp(int(ns)).normalize().to_pydatetime()
