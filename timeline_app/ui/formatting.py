"""How values read on screen: dates at their precision, unknown as a dash, in the
interface's language (ui/i18n.py): "7 Sep 2023" and "12,106" in English, "7 sept. 2023"
and "12 106" in French. Exports and copied TSV keep ISO dates and plain numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication, QLocale

from timeline_app.ui import i18n

UNKNOWN = "–"
#: English month abbreviations, fixed: strftime's %b follows the process's C locale.
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_abbr(month: int) -> str:
    """ "Sep" in English, "sept." in French."""
    if i18n.language() == "en":
        return _EN_MONTHS[month - 1]
    return i18n.locale().monthName(month, QLocale.FormatType.ShortFormat)


def day_month(day: int, month: int) -> str:
    """ "7 Sep" / "7 sept." (day first in both languages)."""
    return f"{day} {month_abbr(month)}"


def count(n: int) -> str:
    """A whole number with the language's digit grouping: "12,106" / "12 106"."""
    if i18n.language() == "en":
        return f"{int(n):,}"
    return i18n.locale().toString(int(n))


def format_date(moment: pd.Timestamp | np.datetime64 | None, precision: str = "day") -> str:
    """A date as precise as it is known: "7 Sep 2023", "wk of 4 Sep 2023", "Sep 2023", "2023"."""
    if moment is None or pd.isna(moment):
        return UNKNOWN
    ts = pd.Timestamp(moment)
    if precision == "year":
        return f"{ts.year}"
    if precision == "month":
        return f"{month_abbr(ts.month)} {ts.year}"
    text = f"{day_month(ts.day, ts.month)} {ts.year}"
    if precision == "week":
        return QCoreApplication.translate("Dates", "week of {date}").format(date=text)
    if ts.hour or ts.minute or ts.second:
        text += ts.strftime(" %H:%M")
    return text


def format_span(start, end, precision: str = "day", ongoing: bool = False) -> str:
    """An event's dates: one date for a point, "a – b" for a period, "a – ongoing (as of b)"."""
    first = format_date(start, precision)
    if ongoing:
        ongoing_text = QCoreApplication.translate("Dates", "{start} – ongoing (as of {date})")
        return ongoing_text.format(start=first, date=format_date(end, "day"))
    if end is None or pd.isna(end) or pd.Timestamp(end) == pd.Timestamp(start):
        return first
    return f"{first} – {format_date(end, 'day')}"


def format_number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return UNKNOWN
    if float(value).is_integer():
        return count(int(value))
    if i18n.language() == "en":
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    text = i18n.locale().toString(float(value), "f", 4)
    point = i18n.locale().decimalPoint()
    return text.rstrip("0").rstrip(point) if point in text else text


def format_fatalities(best: float, low: float = math.nan, high: float = math.nan) -> str:
    """Fatalities with their range where known: "65 (60–70)"; unknown is a dash, never 0."""
    text = format_number(best)
    if not (pd.isna(low) and pd.isna(high)) and (low != best or high != best):
        text += f" ({format_number(low)}–{format_number(high)})"
    return text
