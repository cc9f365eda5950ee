"""The matching benchmark (issue 14): N events against 0.35 N (1M against 350k at
``--events 1000000``), ``match_1m_s`` = the median time of the app's own
:func:`timeline_app.model.matching.match_sides` on them.

The two sides are made with numpy from fixed seeds, like the workload of the real case:
the second is a quarter of the first moved by a few km and up to a day (the same events
seen by another dataset) plus events of its own; 5% of the second's are periods of up
to a month; events sit at 12,000 places spread over the Sahel and beyond, 1997-2025.
"""

from __future__ import annotations

import numpy as np

from timeline_app.model.matching import MatchRule, Side, match_sides, text_ranks

DAY_NS = 86_400 * 10**9
PLACES = 12_000
SECOND_SHARE = 0.35


def synthetic_sides(events: int, seed: int = 20230907) -> tuple[Side, Side]:
    rng = np.random.default_rng(seed)
    place_lat = rng.normal(12.0, 6.0, PLACES)
    place_lon = rng.normal(10.0, 15.0, PLACES)

    def side(n: int) -> Side:
        place = rng.integers(0, PLACES, n)
        start = (9_862 + rng.integers(0, 10_500, n)).astype(np.int64) * DAY_NS  # 1997-2025
        category = rng.integers(0, 3, n)
        return Side(place_lat[place], place_lon[place], start, start, category, rng.permutation(n))

    a = side(events)
    n_b = int(events * SECOND_SHARE)
    seen = rng.choice(events, min(int(n_b * 0.7), events), replace=False)
    own = side(n_b - len(seen))
    start = np.concatenate(
        [a.start_ns[seen] + rng.integers(-1, 2, len(seen)) * DAY_NS, own.start_ns]
    )
    long = rng.random(n_b) < 0.05
    b = Side(
        lat=np.concatenate([a.lat[seen] + rng.normal(0, 0.03, len(seen)), own.lat]),
        lon=np.concatenate([a.lon[seen] + rng.normal(0, 0.03, len(seen)), own.lon]),
        start_ns=start,
        end_ns=start + np.where(long, rng.integers(1, 31, n_b), 0) * DAY_NS,
        category=np.concatenate([a.category[seen], own.category]),
        id_rank=rng.permutation(n_b),
    )
    return a, b


def measure_match(bench, repeats: int = 3) -> None:
    """Record ``match_1m_s`` (and the pairs found, as a diagnostic) on ``bench``: the ids
    ranked as text (for the tie rule) and the rule applied, as the app does."""
    import time

    import pyarrow as pa

    a, b = synthetic_sides(bench.events)
    a_ids = pa.array([f"ACLED{i}" for i in range(len(a))])  # made untimed
    b_ids = pa.array([f"{i + 400_000}" for i in range(len(b))])
    times = []
    found = None
    for _ in range(repeats):
        started = time.perf_counter()
        a.id_rank, b.id_rank = text_ranks(a_ids), text_ranks(b_ids)
        found = match_sides(a, b, MatchRule())
        times.append(time.perf_counter() - started)
    bench.samples["match_1m_s"] = times
    bench.record("match_1m_s", float(np.median(times)))
    assert found is not None
    bench.diagnostics["match_pairs"] = int(found.taken.sum())
    bench.diagnostics["match_candidates"] = len(found)
    bench.diagnostics["match_sides"] = f"{len(a):,} against {len(b):,}"
