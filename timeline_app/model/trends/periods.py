"""Frequencies per period: events, known fatalities and events of unknown toll per day,
week, month or year among the filtered rows, for the Frequencies table.

The counting is the trends series' (one ``np.bincount`` over bins cached per table);
the rows are the periods from the first to the last with an event, empty ones included
(a quiet week is a finding), in time order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from timeline_app.model.events import EventTable
from timeline_app.model.trends.series import count_series

#: The periods a frequency table can count by, with their labels.
PERIODS: dict[str, str] = {"day": "Day", "week": "Week", "month": "Month", "year": "Year"}


def period_frequency(table: EventTable, mask: np.ndarray, unit: str) -> pd.DataFrame:
    """One row per ``unit`` (calendar aligned, weeks from Monday): ``start`` and ``end``
    (int64 ns, end exclusive), ``events``, ``fatalities`` (the known tolls' sum) and
    ``unknown_fatalities``; ``value`` is the period's first day (ISO)."""
    if unit not in PERIODS:
        raise ValueError(f"unknown period {unit!r} (one of {tuple(PERIODS)})")
    # Grouped by dataset, every event is in exactly one group: the groups add up.
    series = count_series(table, mask, unit=unit, grouping="dataset", measure="fatalities")
    starts = series.edges[:-1]
    frame: pd.DataFrame = pd.DataFrame(
        {
            "value": np.datetime_as_string(starts.astype("datetime64[ns]"), unit="D"),
            "start": starts,
            "end": series.edges[1:],
            "events": series.events.sum(axis=0).astype(np.int64),
            "fatalities": series.values.sum(axis=0),
            "unknown_fatalities": series.unknown.sum(axis=0).astype(np.int64),
        }
    )
    return frame
