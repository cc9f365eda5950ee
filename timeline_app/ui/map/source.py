"""What the map draws, as arrays over the whole event table.

Each event's drawing properties (coordinates, size, colour code, approximate place) are
made once per table, as compact arrays indexed by table row. A filter change then only
ANDs the app state's mask with "has coordinates" (the map shows exactly
``AppState.mask``, never a filter of its own), and the views gather just the rows in
view: no copy of a million rows per filter change. The time selection and the selection
recompute their own flags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from PySide6.QtCore import QObject, Signal

from timeline_app.model import spatial
from timeline_app.model.events import EventTable
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.units import NAT_NS, NS_PER_DAY
from timeline_app.ui.timeline import style

if TYPE_CHECKING:
    from timeline_app.model.boundaries import BoundaryLayer
    from timeline_app.ui.map.layers import ViewMapping

NO_ROWS = np.empty(0, dtype=np.int64)


class PointsSource(Protocol):
    """What the map's layers and widget read: :class:`MapSource` over the event table
    in memory, ui/map/sql_source.SqlMapSource over the answers of DuckDB's queries.
    "Rows" index the source's own arrays."""

    changed: Any  # Qt signals: rows or properties, highlights, other events
    marks_changed: Any
    reset: Any
    state: AppState
    ready: bool
    dense: bool
    generation: int
    filtered: int
    located: int
    current: int
    palette: list
    category_names: list[str]
    lon: np.ndarray
    lat: np.ndarray
    fatalities: np.ndarray
    diameter: np.ndarray
    category: np.ndarray
    known: np.ndarray
    imprecise: np.ndarray
    drawn: np.ndarray

    @property
    def total(self) -> int: ...
    def day_span(self) -> tuple[int, int]: ...
    def settled(self) -> bool: ...
    def density_counts(
        self, idx: np.ndarray, view: ViewMapping
    ) -> tuple[np.ndarray, tuple[float, float, float, float]] | None: ...
    def region_totals(self, layer: BoundaryLayer, fatalities: bool) -> np.ndarray | None: ...
    def choose(self, row: int | None, add: bool, at: tuple | None = None) -> None: ...
    def in_range_of(self, rows: np.ndarray) -> np.ndarray: ...
    def selected_drawn(self) -> np.ndarray: ...
    def match_partners(self) -> np.ndarray | None: ...
    def pairs_on_map(self) -> bool: ...
    def rows_in(self, lon0: float, lat0: float, lon1: float, lat1: float) -> np.ndarray: ...
    def legend_facts(self) -> tuple[np.ndarray, bool, bool]: ...
    def extent(self) -> tuple[float, float, float, float] | None: ...


#: Up to this many categories, the legend tests each one's presence apart (see
#: MapSource.legend_facts); a mapped table may have more.
MANY_CATEGORIES = 16


class MapSource(QObject):
    """The table's drawing arrays and which rows are drawn.

    Signals: ``changed`` (rows or properties), ``marks_changed`` (selection, focus or
    time selection: the same points, other highlights), ``reset`` (other events: a new
    table).

    The map's layers read any points source through these attributes and methods; the
    DuckDB engine's (ui/map/sql_source.py) holds the rows of the view its queries
    answered instead of the whole table.
    """

    changed = Signal()
    marks_changed = Signal()
    reset = Signal()
    #: Whether what the map says (counts, extent) is known (a query may still run).
    ready = True
    #: Whether the source counted a density for the view (its arrays: the focus only).
    dense = False

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.generation = 0  # bumped whenever ``drawn`` changes (caches key on it)
        self.filtered = 0  # events passing the filter, with or without coordinates
        self.located = 0  # of those, drawn (they have coordinates)
        self.current = -1  # the focused event's table row, or -1
        self.palette: list = []
        self.category_names: list[str] = []
        self._legend: tuple[int, np.ndarray, bool, bool] | None = None
        self._mask: np.ndarray | None = None  # the filter mask last drawn
        state.table_changed.connect(self._on_table)
        state.table_changed.connect(self.reset.emit)
        state.rows_changed.connect(self.rebuild)
        state.selection_changed.connect(lambda _rows: self._marks())
        state.current_changed.connect(lambda _row: self._marks())
        state.range_changed.connect(lambda _range: self._marks())
        state.prepared.add("map", self._prepare)
        self._on_table()

    def _prepare(self, table: EventTable) -> dict[str, Any]:
        """The map's arrays for ``table`` (on a loading worker, model/prepared.py, or
        here), and the legend's facts for every located row."""
        n = len(table)
        if not n:
            empty = np.empty(0, dtype=bool)
            points: dict[str, Any] = dict(has_place=empty, known=empty, imprecise=empty)
            points.update(lon=np.empty(0, np.float32), lat=np.empty(0, np.float32))
            points.update(diameter=np.empty(0, np.float32), fatalities=np.empty(0))
            points.update(category=np.empty(0, dtype=np.int16))
        else:
            lon, lat, known = spatial.coordinates(table)
            fat = table.df["fatalities"].to_numpy(dtype=np.float64, na_value=np.nan)
            points = dict(lon=lon.astype(np.float32), lat=lat.astype(np.float32))
            points.update(has_place=known, fatalities=fat, known=~np.isnan(fat))
            points.update(diameter=style.mark_diameter(fat).astype(np.float32))
            points.update(category=table.codes("category").astype(np.int16))
            points.update(imprecise=spatial.imprecise_mask(table))
        names = [str(c) for c in table.df["category"].cat.categories]
        points["legend_all"] = _legend_of(points, points["has_place"], len(names) + 1)
        # Every located row and their bounds: what a map without a filter draws (at open,
        # once a filter is cleared), without a pass over the coordinates each time.
        located = points["rows_all"] = np.flatnonzero(points["has_place"])
        located.flags.writeable = False  # handed out as it is (rows_in)
        lon_all, lat_all = points["lon"].take(located), points["lat"].take(located)
        points["extent_all"] = (
            (float(lon_all.min()), float(lat_all.min()), float(lon_all.max()), float(lat_all.max()))
            if len(located)
            else None
        )
        return points

    def _on_table(self) -> None:
        table = self.state.table
        self._mask = None
        n = len(table)
        points = self.state.prepared.value("map", table) or self._prepare(table)
        self.lon, self.lat = points["lon"], points["lat"]
        self.has_place, self.fatalities = points["has_place"], points["fatalities"]
        self.known, self.diameter = points["known"], points["diameter"]
        self.category, self.imprecise = points["category"], points["imprecise"]
        self._legend_all: tuple[np.ndarray, bool, bool] = points["legend_all"]
        self._rows_all: np.ndarray = points["rows_all"]
        self._extent_all: tuple[float, float, float, float] | None = points["extent_all"]
        self.drawn = np.zeros(n, dtype=bool)
        self.time_range: TimeRange | None = None
        self.selected_rows = NO_ROWS
        self.category_names = [str(c) for c in table.df["category"].cat.categories]
        self.palette = style.category_palette(self.category_names)

    def rebuild(self) -> None:
        mask = self.state.mask
        if mask is self._mask and len(mask) == len(self.drawn):
            return  # a sort: the same rows in another order, and the map has no order
        self._mask = mask
        if len(mask) != len(self.drawn):
            self._on_table()
            mask = self.state.mask if len(self.state.mask) == len(self.drawn) else self.drawn
        self.drawn = mask & self.has_place
        self.filtered = int(np.count_nonzero(mask))
        self.located = int(np.count_nonzero(self.drawn))
        self.generation += 1
        self._legend = None
        self._flags()
        self.changed.emit()

    def _marks(self) -> None:
        self._flags()
        self.marks_changed.emit()

    def _flags(self) -> None:
        """The time selection and the selected rows, as they are (what the layers ask
        of them they ask for the rows in view only: no pass over every row here, which
        ran twice per filter change)."""
        state = self.state
        n = len(self.drawn)
        self.time_range = state.range if n else None
        chosen = state.selection[(state.selection >= 0) & (state.selection < n)]
        self.selected_rows = np.unique(chosen)
        self.current = state.current if 0 <= state.current < n and self.drawn[state.current] else -1

    def in_range_of(self, rows: np.ndarray) -> np.ndarray:
        """Whether each of ``rows`` overlaps the time selection (all, without one)."""
        time_range, table = self.time_range, self.state.table
        if time_range is None:
            return np.ones(len(rows), dtype=bool)
        return (table.start_ns[rows] <= time_range.end_ns) & (
            table.end_ns[rows] >= time_range.start_ns
        )

    @property
    def in_range(self) -> np.ndarray:
        """:meth:`in_range_of` every row (for tests)."""
        return self.in_range_of(np.arange(len(self.drawn)))

    def match_partners(self) -> np.ndarray | None:
        """Per table row: its likely-same partner's row, -1 (None: no pairs found)."""
        found = self.state.match()
        return None if found is None else found.columns.partner

    def pairs_on_map(self) -> bool:
        """Whether some likely-same pair has both ends drawn (among the filter's located
        events, in view or not): the legend then names the pairs' mark."""
        partner = self.match_partners()
        if partner is None or len(partner) != len(self.drawn):
            return False
        ends = np.flatnonzero(partner >= 0)
        return bool((self.drawn[ends] & drawn_at(self.drawn, partner[ends])).any())

    def selected_drawn(self) -> np.ndarray:
        """The selected rows that are drawn, in row order."""
        rows = self.selected_rows
        return rows[self.drawn[rows]]

    def rows_in(self, lon0: float, lat0: float, lon1: float, lat1: float) -> np.ndarray:
        """The drawn rows inside a box (table row numbers, ascending)."""
        if not self.located:
            return NO_ROWS
        whole = self._extent_all
        if whole is not None:
            a0, b0, a1, b1 = whole
            x0, y0, x1, y1 = (np.float32(v) for v in (lon0, lat0, lon1, lat1))  # as below
            if x0 <= a0 and y0 <= b0 and x1 >= a1 and y1 >= b1:  # it holds every located row
                if self.filtered == len(self.drawn):  # no filter
                    return self._rows_all
                return np.flatnonzero(self.drawn)  # the drawn ones: no test of places
        with np.errstate(invalid="ignore"):
            hit = (
                self.drawn
                & (self.lon >= lon0)
                & (self.lon <= lon1)
                & (self.lat >= lat0)
                & (self.lat <= lat1)
            )
        return np.flatnonzero(hit)

    def legend_facts(self) -> tuple[np.ndarray, bool, bool]:
        """(category codes drawn, any unknown toll, any approximate place), kept per rows."""
        if self._legend is None or self._legend[0] != self.generation:
            if self.filtered == len(self.drawn):  # no filter: every located row's, kept
                facts = self._legend_all
            else:
                shown = dict(category=self.category, known=self.known, imprecise=self.imprecise)
                facts = _legend_of(shown, self.drawn, len(self.category_names) + 1)
            self._legend = (self.generation, *facts)
        return self._legend[1], self._legend[2], self._legend[3]

    def extent(self) -> tuple[float, float, float, float] | None:
        """(min_lon, min_lat, max_lon, max_lat) of the drawn events, or None."""
        if not self.located:
            return None
        if self.filtered == len(self.drawn) and self._extent_all is not None:
            return self._extent_all  # no filter: every located row's, kept
        lon, lat = self.lon[self.drawn], self.lat[self.drawn]
        return (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))

    # -- what the view and the widget ask of any points source ------------------------------
    @property
    def total(self) -> int:
        """Events in the data (filtered out or not)."""
        return len(self.state.table)

    def day_span(self) -> tuple[int, int]:
        """The first and last start day (days since 1970) of the data; (0, 0) if none."""
        start_ns = self.state.table.start_ns
        days = start_ns[start_ns != NAT_NS] // NS_PER_DAY
        return (int(days.min()), int(days.max())) if len(days) else (0, 0)

    def settled(self) -> bool:
        """Nothing of the map's is being worked out (all of it is, at once, here)."""
        return True

    def density_counts(
        self, idx: np.ndarray, view: ViewMapping
    ) -> tuple[np.ndarray, tuple[float, float, float, float]] | None:
        """Events per density cell and the cells' bounds, when the source counted them
        itself; None here: the map bins the rows ``idx`` in view when they are too many
        to draw (DensityImage.show_density)."""
        return None

    def region_totals(self, layer: BoundaryLayer, fatalities: bool) -> np.ndarray | None:
        """Per region of ``layer``, the drawn events (or their known fatalities)."""
        drawn = self.drawn
        weights = self.fatalities[drawn] if fatalities else None
        lon, lat = self.lon[drawn].astype(np.float64), self.lat[drawn].astype(np.float64)
        return layer.totals(lon, lat, weights)

    def choose(self, row: int | None, add: bool, at: tuple | None = None) -> None:
        """A click on the map: select the row (add it with Ctrl), or clear on nothing
        (``at``: where, and the view, for a source that picks by a query)."""
        if row is None:
            if not add:
                self.state.clear_selection()
            return
        rows = [row]
        if add:
            rows = [*self.state.selection.tolist(), row]
        self.state.select(rows, current=row)


def _legend_of(
    points: dict[str, Any], drawn: np.ndarray, wanted: int
) -> tuple[np.ndarray, bool, bool]:
    """(category codes drawn, any unknown toll, any approximate place) of the ``drawn`` rows."""
    category = points["category"]
    # One "any" of two masks per category (a handful): no 1M-row gather or cast, ~2 ms
    # at 1M rows where take() then bincount() took ~30; many categories (a mapped
    # table) keep the bincount.
    if wanted - 1 <= MANY_CATEGORIES:
        present = [c for c in range(wanted - 1) if np.logical_and(drawn, category == c).any()]
        codes = np.asarray(present, dtype=np.int64)
    else:
        counts = np.bincount(category[drawn].astype(np.intp) + 1, minlength=wanted)
        codes = np.flatnonzero(counts[1:])
    unknown = bool(np.logical_and(drawn, ~points["known"]).any())
    rough = bool(np.logical_and(drawn, points["imprecise"]).any())
    return codes, unknown, rough


def drawn_at(drawn: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Whether each of ``rows`` is drawn (a row past ``drawn``'s: a partner not read)."""
    inside = rows < len(drawn)
    return inside & drawn[np.where(inside, rows, 0)] if len(drawn) else inside
