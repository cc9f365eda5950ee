"""The Map dock on a DuckDB dataset: the memory map's widget and layers, reading from a
points source whose arrays are the answers of SQL queries (storage/duck/map_queries.py)
run in workers, rather than the whole event table.

For the view on screen (and the memory map's margin around it) one query reads the
located events, up to the memory map's ``POINTS_MAX``; past that, a GROUP BY counts
them per density cell instead (the arrays then hold the focused event only, for its
ring). The filter's counts, extent and legend are one more query per filter, the
choropleth's sums per region one per filter and layer. A moved view asks again once it
settles (debounced); a newer question interrupts the older one's query (on its own
cursor only: the table's pages and counts go on), and a late answer is dropped by its
job's generation. A click focuses the event by its key (SourceView.set_current): the
details follow; on the density, a query of the marks within reach of the click finds
the one the memory map would pick.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from PySide6.QtCore import QObject, Signal
from superqt.utils import qdebounced

from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.state import AppState, TimeRange
from timeline_app.storage.duck import map_queries
from timeline_app.ui.map import layers
from timeline_app.ui.map.match_links import MAX_LINKS
from timeline_app.ui.map.source import NO_ROWS
from timeline_app.ui.map.sql_queries import Queries as Queries
from timeline_app.ui.map.view import PICK_PX, nearest
from timeline_app.ui.timeline import style
from timeline_app.ui.workers import JobError

if TYPE_CHECKING:
    from timeline_app.model.boundaries import BoundaryLayer
    from timeline_app.storage.duck.engine import DuckEngine
    from timeline_app.ui.map.layers import ViewMapping
    from timeline_app.ui.map.widget import MapWidget

log = logging.getLogger(__name__)

#: A moved view is asked for once it has settled this long (ms).
SETTLE_MS = 120
#: Times a question killed by someone else's interrupt (a sort, a filter) is asked again.
RETRIES = 2
#: Paired events read in a dense view, for their halos and lines (the memory map draws
#: at most MAX_LINKS lines).
PAIRED_MAX = 2 * MAX_LINKS


@dataclass(frozen=True)
class Points:
    """The located events in a view, as the layers read them (MapSource's arrays)."""

    lon: np.ndarray
    lat: np.ndarray
    fatalities: np.ndarray
    category: np.ndarray
    imprecise: np.ndarray
    start_ns: np.ndarray
    end_ns: np.ndarray
    keys: np.ndarray

    def joined(self, other: Points) -> Points:
        """These points, then ``other``'s."""
        return Points(
            *(
                np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                for f in dataclasses.fields(self)
            )
        )

    @classmethod
    def of(cls, table: pa.Table | None, names: list[str]) -> Points:
        if table is None:
            table = pa.table(
                {
                    "lon": pa.array([], pa.float32()),
                    "lat": pa.array([], pa.float32()),
                    "fatalities": pa.array([], pa.float64()),
                    "category": pa.array([], pa.string()),
                    "rough": pa.array([], pa.bool_()),
                    "start_ns": pa.array([], pa.int64()),
                    "end_ns": pa.array([], pa.int64()),
                    "__key": pa.array([], pa.int64()),
                }
            )

        def column(name: str, dtype: Any) -> np.ndarray:
            return np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=dtype)

        codes = pc.index_in(table.column("category"), value_set=pa.array(names, pa.string()))
        return cls(
            lon=column("lon", np.float32),
            lat=column("lat", np.float32),
            fatalities=column("fatalities", np.float64),
            category=np.asarray(cast(Any, codes).fill_null(-1).to_numpy(), np.int16),
            imprecise=column("rough", bool),
            start_ns=column("start_ns", np.int64),
            end_ns=column("end_ns", np.int64),
            keys=column("__key", np.int64),
        )


# -- what the workers run -------------------------------------------------------------------
def ask_summary(_control, duck: DuckEngine, spec: FilterSpec, with_span: bool) -> tuple:
    names = map_queries.category_names(duck)
    span = map_queries.day_span(duck) if with_span else None
    return map_queries.summary(duck, spec), names, span


def ask_view(
    control,
    duck: DuckEngine,
    spec: FilterSpec,
    box,
    nx: int,
    ny: int,
    limit: int,
    summary: map_queries.Summary | None = None,
    match: Any = None,
):
    """The points in ``box``, or (past ``limit``) the counts per density cell; with the
    filter's ``summary``, the density without first asking for the points when it
    says there are too many in the view (map_queries.dense). With likely-same pairs
    (``match``: storage/duck/matching.SourceMatch), the points of the partners of those
    in ``box`` follow theirs, wherever they are (the pairs' lines reach them); over a
    density, :class:`Dense` holds its counts and the paired events' points in ``box``
    (the memory map draws their halos and lines over its density too)."""
    names = map_queries.category_names(duck)
    if map_queries.dense(summary, box, limit) is not True:
        found = map_queries.points(duck, spec, box, limit)
        if found is not None:
            return with_partners(duck, spec, Points.of(found, names), match, names)
        if control.cancelled():
            return None
    counts = map_queries.density(duck, spec, box, nx, ny)
    if match is None:
        return counts
    paired = map_queries.paired_points(duck, spec, box, match.tables.paired, PAIRED_MAX)
    return Dense(counts, with_partners(duck, spec, Points.of(paired, names), match, names))


@dataclass(frozen=True)
class Dense:
    """A view's density counts, and the points of its paired events with their
    partners' (the pairs' halos and lines)."""

    counts: np.ndarray
    paired: Points


def with_partners(duck: DuckEngine, spec: FilterSpec, points: Points, match: Any, names) -> Points:
    """``points``, then those of their likely-same partners not among them that ``spec``
    keeps and that are located (wherever they are)."""
    if match is None:
        return points
    partners = match.partner_keys(points.keys)
    missing = np.setdiff1d(partners[partners >= 0], points.keys)
    if not len(missing):
        return points
    return points.joined(Points.of(map_queries.points_of_keys(duck, spec, missing), names))


def ask_focus(_control, duck: DuckEngine, spec: FilterSpec, key: int) -> Points:
    return Points.of(map_queries.point_of(duck, spec, key), map_queries.category_names(duck))


def ask_near(_control, duck: DuckEngine, spec: FilterSpec, box) -> Points:
    return Points.of(map_queries.points_near(duck, spec, box), map_queries.category_names(duck))


def ask_pairs(_control, duck: DuckEngine, spec: FilterSpec, pair_columns: str) -> bool:
    return map_queries.pairs_located(duck, spec, pair_columns)


def ask_regions(_control, duck: DuckEngine, spec: FilterSpec, geometries: list) -> tuple:
    return map_queries.region_totals(duck, spec, geometries)


class SqlMapSource(QObject):
    """The points source of the DuckDB map (see ui/map/source.MapSource for what the
    layers read): the arrays hold the last answered view's events, ``keys`` their
    engine keys."""

    changed = Signal()
    marks_changed = Signal()
    reset = Signal()

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.view = state.source_view
        self.generation = 0
        self.ready = False
        self.filtered = self.located = 0
        self.current = -1
        self.time_range: TimeRange | None = None
        self.selected_rows = NO_ROWS
        self.category_names: list[str] = []
        self.palette: list = []
        self._summary: map_queries.Summary | None = None
        self._legend = np.empty(0, dtype=np.int64)
        self._span = (0, 0)
        self._spec: FilterSpec | None = None  # the filter last summarised
        self._summarised: FilterSpec | None = None  # the filter of ``_summary``
        self._asked: tuple | None = None  # (spec, box, nx, ny, limit) the view needs
        self._started: tuple | None = None
        self._retries = 0
        self._density: tuple[np.ndarray, tuple[float, float, float, float]] | None = None
        self._regions: tuple[tuple, tuple[np.ndarray, np.ndarray]] | None = None
        self._regions_asked: tuple | None = None
        self.summaries = Queries("map summary")
        self.views = Queries("map view")
        self.region_jobs = Queries("map regions")
        self.picks = Queries("map pick")  # a click or the focus, on the density
        self.pair_jobs = Queries("map pairs")  # whether the legend names the pairs
        #: (filter, search) -> whether a pair has both ends among its located events
        self._pairs_found: tuple[tuple, bool] | None = None
        self._pairs_asked: tuple | None = None
        self.dense = False
        self._focus: tuple[tuple, Points] | None = None  # ((spec, key), its point or none)
        self._paired: Points | None = None  # over a density: the pairs' points
        self._set_points(Points.of(None, []))
        self._ask_later = qdebounced(self._ask_view, timeout=SETTLE_MS, parent=self)
        self.view.source_changed.connect(self._on_source)
        self.view.query_changed.connect(self._on_query)
        self.view.current_changed.connect(lambda _key: self._on_current())
        self.view.selection_changed.connect(lambda _keys: self._marks())
        self.view.match_changed.connect(self._on_match)
        self._partners: tuple[Any, Any, np.ndarray | None] = (None, None, None)
        state.range_changed.connect(lambda _range: self._marks())
        self._on_source()

    # -- the engine's answers -----------------------------------------------------------------
    def _set_points(self, found: Points) -> None:
        self.lon, self.lat = found.lon, found.lat
        self.fatalities = found.fatalities
        self.known = ~np.isnan(found.fatalities)
        self.diameter = style.mark_diameter(found.fatalities).astype(np.float32)
        self.category = found.category
        self.imprecise = found.imprecise
        self.start_ns, self.end_ns, self.keys = found.start_ns, found.end_ns, found.keys
        self.drawn = np.ones(len(found.keys), dtype=bool)

    def cancel(self) -> None:
        """Cancel: stop the map's queries (the view is asked again when it moves)."""
        for queries in (self.summaries, self.views, self.region_jobs, self.picks, self.pair_jobs):
            queries.interrupt()
        self._started = self._regions_asked = self._pairs_asked = None

    def settled(self) -> bool:
        """The map shows its answers: none of its questions is running, on its way or
        waiting for the view to settle (screenshots, tests)."""
        if self.view.source is None:
            return True
        queries = (self.summaries, self.views, self.region_jobs, self.picks, self.pair_jobs)
        busy = any(q.busy() for q in queries)
        return self.ready and self._asked == self._started and not busy

    def _on_source(self) -> None:
        self.cancel()
        self.ready = False
        self._spec = self._asked = self._summary = self._density = self._regions = None
        self._summarised = self._pairs_found = None
        self._focus, self.dense, self._paired = None, False, None
        self._set_points(Points.of(None, []))
        self.generation += 1
        if self.view.source is not None:
            self._ask_summary(with_span=True)
        self.changed.emit()

    def _on_query(self) -> None:
        if self.view.source is None or self.view.spec == self._spec:
            return  # a sort: the map has no order
        self._ask_summary(with_span=False)
        self._ask_focus()
        if self._asked is not None:
            self._asked = (self.view.spec, *self._asked[1:])
            self._ask_view()

    def _on_match(self) -> None:
        """New pairs (or none): the view again, with the partners of its events."""
        if self.view.source is not None and self._asked is not None:
            self._started = None
            self._ask_view()
        self.changed.emit()

    def match_partners(self) -> np.ndarray | None:
        """Per point: its likely-same partner's point, ``len(keys)`` when the partner is
        not drawn, -1 in no pair (None: no pairs found), as the memory map's source
        gives them over its table's rows."""
        match = self.view.match
        if match is None:
            return None
        if self._partners[0] is not self.keys or self._partners[1] is not match:
            self._partners = (self.keys, match, match.partners_among(self.keys))
        return self._partners[2]

    def pairs_on_map(self) -> bool:
        """Whether some likely-same pair has both ends among the filter's located events
        (the legend then names the pairs' mark), as the memory map's source says: asked
        in SQL once per filter and search, not of the points read for the view; False
        until answered (``changed`` then)."""
        match, duck = self.view.match, self._engine()
        if match is None or duck is None:
            return False
        key = (self.view.spec, match.tables.columns)  # a new table name per search
        if self._pairs_found is not None and self._pairs_found[0] == key:
            return self._pairs_found[1]
        if key != self._pairs_asked:
            self._pairs_asked = key
            job = self.pair_jobs.start(ask_pairs, duck, *key, parent=self)
            job.returned.connect(lambda found, k=key: self._on_pairs(k, found))
            job.errored.connect(lambda e, k=key: self._failed(e, lambda: self._pairs_again(k)))
        return False

    def _on_pairs(self, key: tuple, found: bool | None) -> None:
        if found is not None:
            self._pairs_found = (key, bool(found))
            self.changed.emit()

    def _pairs_again(self, key: tuple) -> None:
        if key == self._pairs_asked:
            self._pairs_asked = None
            self.changed.emit()  # the legend asks again

    def _engine(self) -> DuckEngine | None:
        """The open DuckDB dataset's engine (storage/duck/event_source.DuckSource)."""
        engine: DuckEngine | None = getattr(self.view.source, "duck", None)
        return engine

    def _ask_summary(self, with_span: bool) -> None:
        duck = self._engine()
        if duck is None:
            return
        spec = self._spec = self.view.spec
        job = self.summaries.start(ask_summary, duck, spec, with_span, parent=self)
        job.returned.connect(lambda found, s=spec: self._on_summary(found, s))
        job.errored.connect(lambda e: self._failed(e, lambda: self._ask_summary(with_span)))

    def _on_summary(self, found: tuple, spec: FilterSpec) -> None:
        summary, names, span = found
        self._summary, self.ready = summary, True
        self._summarised = spec
        self.filtered, self.located = summary.filtered, summary.located
        if names != self.category_names:
            self.category_names, self.palette = names, style.category_palette(names)
        self._legend = np.array(
            sorted(names.index(c) for c in summary.categories if c in names), dtype=np.int64
        )
        self._retries = 0
        if span is not None:
            self._span = span
            self.reset.emit()  # the time slider's days; the map frames the data anew
        self.changed.emit()

    def density_counts(self, idx: np.ndarray, view: ViewMapping):
        """The view's density from the last answer (None: its points are drawn), and
        the view asked for if it is not that answer's."""
        x0, y0, x1, y1, nx, ny = layers.density_bins(view)
        wanted = (self.view.spec, (x0, y0, x1, y1), nx, ny, layers.POINTS_MAX)
        if self.view.source is not None and wanted != self._asked:
            self._asked = wanted
            self._ask_later()
        return self._density

    def _ask_view(self) -> None:
        duck, key = self._engine(), self._asked
        if duck is None or key is None or key == self._started:
            return
        self._started = key
        summary = self._summary if self._summarised == key[0] else None  # a pan, a zoom
        match = self.view.match
        job = self.views.start(ask_view, duck, *key, summary, match, parent=self)
        job.returned.connect(lambda found, k=key: self._on_view(k, found))
        job.errored.connect(lambda e, k=key: self._failed(e, lambda: self._again(k)))

    def _again(self, key: tuple) -> None:
        if key == self._started:
            self._started = None
            self._ask_view()

    def _on_view(self, key: tuple, found: Any) -> None:
        if found is None:
            return
        self._retries = 0
        if isinstance(found, Points):
            self._set_points(found)
            self._density, self.dense, self._paired = None, False, None
        else:  # the density stands in for the points; the focused event is ringed
            counts, self._paired = (
                (found.counts, found.paired) if isinstance(found, Dense) else (found, None)
            )
            self._density, self.dense = (counts, key[1]), True
            self._set_points(self._dense_points())
            self._ask_focus()
        self.generation += 1
        self._flags()
        self.changed.emit()

    def _failed(self, error: JobError, again: Callable[[], None]) -> None:
        """A query killed by an interrupt that was not the map's (a sort or a filter
        restarts the table's queries, interrupting all) is asked again; Cancel made
        the map's own stale first, so they end here only as errors."""
        if isinstance(error.exception, duckdb.InterruptException) and self._retries < RETRIES:
            self._retries += 1
            again()
            return
        log.info("the map's query failed: %s", error.message)

    def region_totals(self, layer: BoundaryLayer, fatalities: bool) -> np.ndarray | None:
        """Per region, the filter's events (or known fatalities), counted in SQL (both
        at once: a change of shading asks nothing); None while it runs (the map is
        told by ``changed``)."""
        duck = self._engine()
        key = (self.view.spec, id(layer))
        if self._regions is not None and self._regions[0] == key:
            return self._regions[1][1 if fatalities else 0]
        if duck is not None and key != self._regions_asked:
            self._regions_asked = key
            geometries = layer.geometries()  # made here, once: the worker only reads them
            job = self.region_jobs.start(ask_regions, duck, self.view.spec, geometries, parent=self)
            job.returned.connect(lambda values, k=key: self._on_regions(k, values))
            job.errored.connect(lambda e, k=key: self._failed(e, lambda: self._regions_again(k)))
        return None

    def _regions_again(self, key: tuple) -> None:
        if key == self._regions_asked:
            self._regions_asked = None
            self.changed.emit()  # the view asks again for what it shows

    def _on_regions(self, key: tuple, values: tuple | None) -> None:
        if values is not None:
            self._regions = (key, values)
            self.changed.emit()

    # -- what the layers and the widget ask (as of MapSource) ------------------------------
    @property
    def total(self) -> int:
        return self.view.total

    def day_span(self) -> tuple[int, int]:
        return self._span

    # -- the focused event and clicks on the density ------------------------------------------
    def _focused(self) -> Points:
        """The focused event's point, if known for this filter, located and kept."""
        key = (self.view.spec, self.view.current_key)
        if self._focus is not None and self._focus[0] == key:
            return self._focus[1]
        return Points.of(None, self.category_names)

    def _on_current(self) -> None:
        self._ask_focus()
        self._marks()

    def _ask_focus(self) -> None:
        """The focused event's place (the density draws no points: its ring needs one)."""
        duck, key = self._engine(), self.view.current_key
        if duck is None or key is None:
            self.picks.interrupt()
            self._focus = None
            self._show_focus()
            return
        wanted = (self.view.spec, key)
        if not self.dense or (self._focus is not None and self._focus[0] == wanted):
            return  # points: the view's answer has it, if it is in view
        job = self.picks.start(ask_focus, duck, self.view.spec, key, parent=self)
        job.returned.connect(lambda found, k=wanted: self._on_focus(k, found))

    def _on_focus(self, key: tuple, found: Points | None) -> None:
        if found is not None:
            self._focus = (key, found)
            self._show_focus()

    def _dense_points(self) -> Points:
        """Over a density: the paired events' points with their partners' (their halos
        and lines), and the focused event's (its ring) if not among them."""
        focus, paired = self._focused(), self._paired
        if paired is None:
            return focus
        return paired if np.isin(focus.keys, paired.keys).all() else paired.joined(focus)

    def _show_focus(self) -> None:
        if self.dense:
            self._set_points(self._dense_points())
            self.generation += 1
            self._flags()
            self.changed.emit()

    def _pick(self, add: bool, at: tuple) -> None:
        """A click on the density: the event the memory map would pick there, found by
        a query of the marks within reach of it."""
        duck = self._engine()
        if duck is None:
            return
        lon, lat, view = at
        reach = max(style.MAX_MARK_PX / 2, PICK_PX)
        box = (
            lon - reach / view.sx,
            lat - reach / view.sy,
            lon + reach / view.sx,
            lat + reach / view.sy,
        )
        job = self.picks.start(ask_near, duck, self.view.spec, box, parent=self)
        job.returned.connect(lambda found: self._picked(found, add, at))

    def _picked(self, found: Points | None, add: bool, at: tuple) -> None:
        if found is None:
            return
        lon, lat, view = at
        diameter = style.mark_diameter(found.fatalities)
        best = nearest(view, found.lon, found.lat, diameter, lon, lat) if len(found.keys) else None
        if best is not None:
            self.view.set_current(int(found.keys[best]))
        elif not add:
            self.view.set_current(None)

    def _marks(self) -> None:
        self._flags()
        self.marks_changed.emit()

    def _flags(self) -> None:
        self.time_range = self.state.range if len(self.keys) else None
        key = self.view.current_key
        hit = np.flatnonzero(self.keys == key)[:1] if key is not None else NO_ROWS
        self.current = int(hit[0]) if len(hit) else -1
        chosen = self.view.selection  # the table's selected keys: those of the points here
        picked = np.flatnonzero(np.isin(self.keys, chosen)) if len(chosen) else NO_ROWS
        self.selected_rows = np.union1d(hit, picked).astype(np.int64)

    def choose(self, row: int | None, add: bool, at: tuple | None = None) -> None:
        """A click: focus the event (the details show it), or none on empty ground."""
        if self.dense and at is not None:
            self._pick(add, at)
        elif row is not None:
            self.view.set_current(int(self.keys[row]))
        elif not add:
            self.view.set_current(None)

    def in_range_of(self, rows: np.ndarray) -> np.ndarray:
        time_range = self.time_range
        if time_range is None:
            return np.ones(len(rows), dtype=bool)
        return (self.start_ns[rows] <= time_range.end_ns) & (
            self.end_ns[rows] >= time_range.start_ns
        )

    def selected_drawn(self) -> np.ndarray:
        return self.selected_rows

    def rows_in(self, lon0: float, lat0: float, lon1: float, lat1: float) -> np.ndarray:
        if not len(self.keys):
            return NO_ROWS
        hit = (self.lon >= lon0) & (self.lon <= lon1) & (self.lat >= lat0) & (self.lat <= lat1)
        return np.flatnonzero(hit)

    def legend_facts(self) -> tuple[np.ndarray, bool, bool]:
        s = self._summary
        if s is None:
            return self._legend, False, False
        return self._legend, s.unknown_toll, s.rough_place

    def extent(self) -> tuple[float, float, float, float] | None:
        return self._summary.extent if self._summary is not None else None


def duck_map(state: AppState, window: Any) -> MapWidget:
    """The Map dock's widget for DuckDB datasets (one per window, kept while it lives);
    the window's Cancel stops its queries."""
    from timeline_app.ui.map.widget import MapWidget

    source = SqlMapSource(state)
    widget = MapWidget(state, window, source=source)
    source.setParent(widget)
    window.cancel_button.clicked.connect(source.cancel)
    widget.setObjectName("duckMap")
    return widget
