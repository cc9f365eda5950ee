"""One side of the filter's date range, typed or picked from a calendar.

QDateEdit types by sections: "2019-01-01" typed into an empty one gave
"no bound20190101", and each section typed re-filtered (a filter per keystroke).
Here a plain line takes a date as ISO (2019-01-23) or in the locale's short form; it is
applied when complete or on Enter/leaving the box, never per keystroke, and what is not
a date is said so while the filter stays as it was. The calendar opens at the bound's
month, else at the data's (its first month for "from", its last for "to").
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

ISO = "yyyy-MM-dd"
_ISO_COMPLETE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOOSE_FORMATS = (ISO, "yyyy-M-d", "yyyy/M/d", "d.M.yyyy")


def parse_date(text: str, locale: QLocale | None = None) -> QDate | None:
    """A typed date: ISO, the locale's short or long form, a few common forms; or None."""
    text = text.strip()
    locale = locale or QLocale()
    formats = [*_LOOSE_FORMATS]
    for kind in (QLocale.FormatType.ShortFormat, QLocale.FormatType.LongFormat):
        form = locale.dateFormat(kind)
        formats.append(form)
        if "yyyy" not in form and "yy" in form:  # "12/31/23" and "12/31/2023" both
            formats.append(form.replace("yy", "yyyy"))
    for form in formats:
        date = locale.toDate(text, form)
        if date.isValid():
            if date.year() < 100:  # a two-digit year: 00-68 -> 20xx, 69-99 -> 19xx
                date = date.addYears(2000 if date.year() <= 68 else 1900)
            return date
    return None


def is_complete(text: str, locale: QLocale | None = None) -> bool:
    """Typed far enough to apply without Enter: a full ISO date, or a date that reads
    back exactly in the locale's short form (so "1/2/2" is not taken for 2002)."""
    text = text.strip()
    locale = locale or QLocale()
    if _ISO_COMPLETE.match(text):
        return QDate.fromString(text, ISO).isValid()
    form = locale.dateFormat(QLocale.FormatType.ShortFormat)
    date = locale.toDate(text, form)
    return date.isValid() and locale.toString(date, form) == text and "y" in form


class DateBound(QWidget):
    """``changed`` is emitted when the user set or cleared the bound (not for
    ``set_value``); ``value()`` is the bound as a midnight datetime, or None."""

    changed = Signal()

    def __init__(self, name: str, description: str, side: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.side = side  # "from" or "to": which month of the data the calendar opens at
        self._value: QDate | None = None
        self._data_day: QDate | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = QLineEdit(self)
        self.line.setObjectName(f"{name}Text")
        self.line.setAccessibleName(description)
        self.line.setPlaceholderText(self.tr("no bound"))
        short = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
        self._tip = self.tr(
            "{what}: type 2023-09-07 or {short}; empty leaves this side open"
        ).format(what=description, short=short)
        self.line.setToolTip(self._tip)
        self.line.textEdited.connect(self._edited)
        self.line.editingFinished.connect(self._finished)
        layout.addWidget(self.line, 1)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setObjectName(f"{name}Calendar")
        self.calendar_button.setText("▾")
        self.calendar_button.setToolTip(self.tr("Pick the date on a calendar"))
        self.calendar_button.clicked.connect(self.open_calendar)
        layout.addWidget(self.calendar_button)
        self.clear_button = QPushButton("✕", self)
        self.clear_button.setObjectName(f"{name}Clear")
        self.clear_button.setToolTip(self.tr("No bound"))
        self.clear_button.setFixedWidth(26)
        self.clear_button.clicked.connect(lambda: self._apply(None))
        layout.addWidget(self.clear_button)
        self.calendar = QCalendarWidget(self)
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        self.calendar.hide()

    # -- what the panel uses ------------------------------------------------------------
    def value(self) -> datetime | None:
        d = self._value
        return None if d is None else datetime(d.year(), d.month(), d.day())

    def set_value(self, value: datetime | None) -> None:
        """Show the filter's bound (no ``changed``)."""
        date = None if value is None else QDate(value.year, value.month, value.day)
        self._value = date
        if not self.line.hasFocus() or parse_date(self.line.text()) != date:
            self.line.setText("" if date is None else date.toString(ISO))
        self._mark_valid(True)

    def set_data_day(self, day: QDate | None) -> None:
        """The data's first (for "from") or last (for "to") day: the calendar's default."""
        self._data_day = day

    def date(self) -> QDate:
        """The bound as a QDate (invalid when there is none)."""
        return QDate() if self._value is None else QDate(self._value)

    def setDate(self, date: QDate) -> None:  # noqa: N802 (as QDateEdit, for scripts)
        """Set the bound as the user would by picking it."""
        self.line.setText(date.toString(ISO))
        self._apply(date)

    def text(self) -> str:
        return self.line.text() or self.line.placeholderText()

    def open_calendar(self) -> None:
        shown = self._value or self._data_day or QDate.currentDate()
        if self._value is not None:
            self.calendar.setSelectedDate(self._value)
        self.calendar.setCurrentPage(shown.year(), shown.month())
        self.calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar.show()
        self.calendar.setFocus()

    # -- typing --------------------------------------------------------------------------
    def _edited(self, text: str) -> None:
        self._mark_valid(True)
        if not text.strip():
            return  # cleared by typing: applied on Enter or when leaving the box
        if is_complete(text):
            self._apply(parse_date(text))

    def _finished(self) -> None:
        text = self.line.text().strip()
        if not text:
            self._apply(None)
            return
        date = parse_date(text)
        if date is None:
            self._mark_valid(False)
            return
        self._apply(date)
        self.line.setText(date.toString(ISO))

    def _picked(self, date: QDate) -> None:
        self.calendar.hide()
        self.line.setText(date.toString(ISO))
        self._apply(date)

    def _apply(self, date: QDate | None) -> None:
        if date is None and self.line.text():
            self.line.clear()
        self._mark_valid(True)
        if date == self._value:
            return  # the filter already says so: no re-filtering
        self._value = date
        self.changed.emit()

    def _mark_valid(self, valid: bool) -> None:
        self.line.setProperty("invalid", not valid)
        self.line.setStyleSheet("" if valid else "QLineEdit { border: 1px solid #c0392b; }")
        self.line.setToolTip(
            self._tip
            if valid
            else self.tr("Not a date: “{text}”. {tip}").format(text=self.line.text(), tip=self._tip)
        )
