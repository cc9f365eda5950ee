"""How values read on screen: dates at their precision, unknown as a dash."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

UNKNOWN = "–"


def format_date(moment: pd.Timestamp | np.datetime64 | None, precision: str = "day") -> str:
    """A date as precise as it is known: "7 Sep 2023", "wk of 4 Sep 2023", "Sep 2023", "2023"."""
    if moment is None or pd.isna(moment):
        return UNKNOWN
    ts = pd.Timestamp(moment)
    if precision == "year":
        return f"{ts.year}"
    if precision == "month":
        return ts.strftime("%b %Y")
    if precision == "week":
        return "week of " + f"{ts.day} " + ts.strftime("%b %Y")
    text = f"{ts.day} " + ts.strftime("%b %Y")
    if ts.hour or ts.minute or ts.second:
        text += ts.strftime(" %H:%M")
    return text


def format_span(start, end, precision: str = "day", ongoing: bool = False) -> str:
    """An event's dates: one date for a point, "a – b" for a period, "a – ongoing (as of b)"."""
    first = format_date(start, precision)
    if ongoing:
        return f"{first} – ongoing (as of {format_date(end, 'day')})"
    if end is None or pd.isna(end) or pd.Timestamp(end) == pd.Timestamp(start):
        return first
    return f"{first} – {format_date(end, 'day')}"


def format_number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return UNKNOWN
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def format_fatalities(best: float, low: float = math.nan, high: float = math.nan) -> str:
    """Fatalities with their range where known: "65 (60–70)"; unknown is a dash, never 0."""
    text = format_number(best)
    if not (pd.isna(low) and pd.isna(high)) and (low != best or high != best):
        text += f" ({format_number(low)}–{format_number(high)})"
    return text
