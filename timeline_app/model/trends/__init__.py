"""Counting across time, without Qt: ``series`` counts events or known fatalities per
day/week/month/year and lane for the filtered rows (the Trends dock); ``compare`` the
W weeks before and after a date (the before-and-after view and ``timeline-app compare``).
"""

from timeline_app.model.trends.compare import (
    CAVEAT,
    ActorChange,
    Comparison,
    Week,
    WindowCounts,
    compare,
    day_ns,
    iso_day,
    outer_ring_mask,
    ratio,
    ring_mask,
)
from timeline_app.model.trends.series import (
    MEASURES,
    UNITS,
    Series,
    choose_unit,
    count_series,
    prepare_series,
    tolls,
)

__all__ = [
    "CAVEAT", "MEASURES", "UNITS", "ActorChange", "Comparison", "Series", "Week",
    "WindowCounts", "choose_unit", "compare", "count_series", "day_ns", "iso_day", "outer_ring_mask",
    "prepare_series", "ratio", "ring_mask", "tolls",
]  # fmt: skip
