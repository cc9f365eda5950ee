"""The units the whole app counts in, each defined once.

Times are int64 nanoseconds since the epoch (the event table's ``start_ns``/``end_ns``),
with the int64 minimum standing for an unknown date (NaT); the timeline's axis counts in
float seconds. Distances are great-circle kilometres on the mean Earth sphere.
"""

from __future__ import annotations

import numpy as np

NS_PER_S = 1_000_000_000
S_PER_HOUR = 3_600
S_PER_DAY = 86_400
NS_PER_HOUR = S_PER_HOUR * NS_PER_S
NS_PER_DAY = S_PER_DAY * NS_PER_S
NS_PER_WEEK = 7 * NS_PER_DAY
#: The mean Julian year and month, for spans only (calendar steps use real dates).
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
S_PER_YEAR = DAYS_PER_YEAR * S_PER_DAY

#: An unknown start or end in an int64 nanosecond column (what NaT is stored as).
NAT_NS = int(np.iinfo(np.int64).min)

#: The mean Earth radius (IUGG), for haversine distances.
EARTH_RADIUS_KM = 6371.0088
