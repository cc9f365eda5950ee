"""The map's benchmark (issue 13), on the window the main run opened:

- ``map_redraw_median_ms`` / ``map_redraw_p95_ms``: pan and zoom steps over the events
  (zoom in on the Sahel, pan, zoom out, pan), each until the map has repainted, the
  density image (what the view shows past 20k events in view) remade for the new view;
- ``map_filter_redraw_ms``: a filter change until the map has repainted;
- ``map_area_select_ms``: a freehand area around the Sahel set as the filter, until the
  map, the table and the timeline have each painted the new rows (in the paints Qt
  queued, or forced when it queued none; diagnostic ``map_area_select_forced_repaints``).
"""

from __future__ import annotations

import time

import numpy as np

#: A freehand outline around the Sahel, drawn by hand (lon, lat): the central Sahel.
SAHEL = (
    (-12.0, 11.0),
    (-6.0, 9.5),
    (0.0, 10.0),
    (6.0, 11.5),
    (12.0, 12.0),
    (16.0, 14.0),
    (14.0, 19.0),
    (8.0, 21.0),
    (2.0, 21.5),
    (-4.0, 20.5),
    (-10.0, 18.0),
    (-13.0, 14.0),
)


def now() -> float:
    return time.perf_counter()


def hand_drawn(outline=SAHEL, points_per_edge: int = 25) -> tuple:
    """The outline as a mouse traces it: many points, a little unsteady, closed."""
    rng = np.random.default_rng(13)
    ring = []
    for (x0, y0), (x1, y1) in zip(outline, (*outline[1:], outline[0]), strict=True):
        for t in np.linspace(0, 1, points_per_edge, endpoint=False):
            jitter = rng.normal(0, 0.05, 2)
            ring.append(
                (float(x0 + (x1 - x0) * t + jitter[0]), float(y0 + (y1 - y0) * t + jitter[1]))
            )
    ring.append(ring[0])
    return ((tuple(ring),),)


def map_steps(count: int) -> list[tuple[float, float, float, float]]:
    """(west, south, east, north) views: zoom in on Mali, pan east, zoom out, pan west."""
    steps = []
    cx, cy, half = 0.0, 13.0, 40.0
    quarter = count // 4
    for _ in range(quarter):
        half *= 0.85
        steps.append((cx - half, cy - half / 2, cx + half, cy + half / 2))
    for _ in range(quarter):
        cx += half / 10
        steps.append((cx - half, cy - half / 2, cx + half, cy + half / 2))
    for _ in range(quarter):
        half = min(half / 0.85, 40.0)
        steps.append((cx - half, cy - half / 2, cx + half, cy + half / 2))
    for _ in range(count - 3 * quarter):
        cx -= half / 20
        steps.append((cx - half, cy - half / 2, cx + half, cy + half / 2))
    return steps


class MapDriver:
    """The window's map: move its view and repaint it, as a user's pan or zoom does."""

    def __init__(self, window, app) -> None:
        self.window, self.app = window, app
        self.map = window.map
        self.view = self.map.view
        self.watch = None
        window.map_dock.show()
        window.map_dock.raise_()
        app.processEvents()

    def set_view(self, w: float, s: float, e: float, n: float) -> None:
        vb = self.view.vb
        vb.setRange(xRange=(w, e), yRange=(s, n), padding=0)

    def redraw(self) -> None:
        """Until the map has painted the new view (once: Qt's queued paint, or now)."""
        from tests.benchmarks.run import PaintWatch

        if self.watch is None:
            self.watch = PaintWatch({"map": [self.view.viewport()]})
        timer = self.view._density_timer
        if timer.isActive():  # a moved view's debounced step (its density), done now
            timer.stop()
            self.view.update_density()
        self.watch.arm()
        self.app.processEvents()  # the paint Qt queued, and whatever else the change queued
        if "map" not in self.watch.seen:
            self.view.viewport().repaint()

    def close(self) -> None:
        if self.watch is not None:
            self.watch.remove()


def measure_map(bench) -> None:
    """Record the map's keys on ``bench`` (the main run's window and state)."""
    from timeline_app.model.filters import FilterSpec

    if bench.window is None or bench.state is None or not len(bench.state.table):
        raise RuntimeError("no events were loaded")
    state, app = bench.state, bench.app
    state.set_filter(FilterSpec())
    driver = MapDriver(bench.window, app)
    driver.view.fit()
    driver.redraw()
    times = []
    for step in map_steps(80):
        started = now()
        driver.set_view(*step)
        driver.redraw()
        times.append((now() - started) * 1000)
    bench.samples["map_redraw_ms"] = times
    bench.record("map_redraw_median_ms", float(np.median(times)))
    bench.record("map_redraw_p95_ms", float(np.percentile(times, 95)))
    bench.diagnostics["map_points_in_full_view"] = int(len(driver.view.events.count_in_view()))

    from tests.benchmarks.run import filter_specs

    a, b = filter_specs(text=False)
    driver.view.fit()
    driver.redraw()
    filtered = []
    for i in range(2 * bench.repeats + 1):
        spec = a if i % 2 == 0 else b
        app.processEvents()
        started = now()
        state.set_filter(spec)
        driver.redraw()
        filtered.append((now() - started) * 1000)
    bench.samples["map_filter_redraw_ms"] = filtered[1:]
    bench.record("map_filter_redraw_ms", float(np.median(filtered[1:])))

    area = hand_drawn()
    from tests.benchmarks.run import PaintWatch, timeline_canvases

    # The table's and the timeline's widgets: each must paint the new rows once, in the
    # paints Qt queued or, if it queued none, now (as the timeline's driver does; painting
    # twice what Qt already painted would time a second paint no user waits for).
    others = [bench.window.table_view.viewport(), *timeline_canvases(bench.window.timeline)]
    watch = PaintWatch({f"view{i}": [w] for i, w in enumerate(others)})
    selects = []
    unpainted = 0
    for i in range(2 * bench.repeats + 1):
        state.set_filter(FilterSpec())
        driver.redraw()
        app.processEvents()
        # A fresh outline each time (a user draws a new one), so no kept mask is reused.
        ring = tuple((x + 1e-6 * i, y) for x, y in area[0][0])
        started = now()
        watch.arm()
        state.set_filter(FilterSpec(within=((ring,),), within_name="drawn area"))
        driver.redraw()
        for k, widget in enumerate(others):
            if f"view{k}" not in watch.seen:
                widget.repaint()
                unpainted += 1
        selects.append((now() - started) * 1000)
    watch.remove()
    bench.diagnostics["map_area_select_forced_repaints"] = unpainted
    bench.samples["map_area_select_ms"] = selects[1:]
    bench.record("map_area_select_ms", float(np.median(selects[1:])))
    bench.diagnostics["map_area_rows"] = int(len(state.visible))
    state.set_filter(FilterSpec())
    app.processEvents()
    driver.close()
