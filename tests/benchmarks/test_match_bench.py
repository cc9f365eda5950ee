"""The matching benchmark's workload at a small size (timings are never asserted)."""

from __future__ import annotations

import numpy as np

from tests.benchmarks.match_bench import measure_match, synthetic_sides
from tests.benchmarks.run import KEY_NAMES


class _Bench:
    def __init__(self, events: int) -> None:
        self.events = events
        self.results: dict = {}
        self.samples: dict = {}
        self.diagnostics: dict = {}

    def record(self, key, value, note=""):
        self.results[key] = value


def test_the_sides_have_the_planned_sizes_and_shared_events():
    a, b = synthetic_sides(2_000)
    assert (len(a), len(b)) == (2_000, 700)
    assert np.isfinite(a.lat).all() and (b.end_ns >= b.start_ns).all()


def test_the_step_records_its_key_and_finds_the_moved_copies():
    bench = _Bench(4_000)
    measure_match(bench, repeats=1)
    assert "match_1m_s" in KEY_NAMES
    assert bench.results["match_1m_s"] > 0
    # Most of the 980 copies moved by ~3 km and up to a day are found again.
    assert bench.diagnostics["match_pairs"] >= 900
