"""The trends chart's benchmark (issue 15), on the window the main run opened:

- ``trends_redraw_ms``: after a filter change (the two filters of the main run, in
  turn; the mask itself is ``filter_no_text_ms``), the trends chart counted again for
  the new rows (events per week, lanes by category) and repainted.
"""

from __future__ import annotations

import time

import numpy as np


def now() -> float:
    return time.perf_counter()


def measure_trends(bench) -> None:
    """Record ``trends_redraw_ms`` on ``bench`` (the main run's window and state)."""
    from tests.benchmarks.run import PaintWatch, filter_specs
    from timeline_app.model.trends import count_series, prepare_series

    if bench.window is None or bench.state is None or not len(bench.state.table):
        raise RuntimeError("no events were loaded")
    state, app, window = bench.state, bench.app, bench.window
    trends = window.trends
    window.trends_dock.show()
    window.trends_dock.raise_()  # a tab beside Events: the table is hidden until lowered again
    state.views.trends.unit = "week"
    app.processEvents()
    grouping = state.views.timeline.lane_grouping
    prepare_series(state.table, "week", grouping)  # once per table (the worker does it)
    trends.jobs.wait()
    app.processEvents()
    watch = PaintWatch({"trends": [trends.chart.viewport()]})
    a, b = filter_specs(text=False)
    times = []
    for i in range(2 * bench.repeats + 1):
        state.set_filter(a if i % 2 == 0 else b)
        state.finish_filter()
        trends.jobs.wait()
        app.processEvents()
        started = now()
        series = count_series(state.table, state.mask, "week", grouping, "events")
        trends.show_series(series)
        watch.arm()
        app.processEvents()
        if "trends" not in watch.seen:
            trends.chart.viewport().repaint()
        times.append((now() - started) * 1000)
    watch.remove()
    bench.samples["trends_redraw_ms"] = times[1:]
    bench.record("trends_redraw_ms", float(np.median(times[1:])))
    bench.diagnostics["trends_bins"] = int(len(series.edges) - 1)
