"""What the map draws, as arrays: the filtered events that have coordinates.

Rebuilt from the app state when its rows change (never filtered here: the map shows
exactly ``AppState.mask``); the time selection and the selection only recompute their
own flags. Everything is numpy over the located rows, one array per property.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from timeline_app.model import spatial
from timeline_app.model.state import AppState
from timeline_app.ui.timeline import style

EMPTY_F = np.empty(0, dtype=np.float64)
EMPTY_I = np.empty(0, dtype=np.int64)


class MapSource(QObject):
    """The located rows of the filter and their drawing properties.

    Signals: ``changed`` (rows or properties), ``marks_changed`` (selection, focus or
    time selection: the same points, other highlights).
    """

    changed = Signal()
    marks_changed = Signal()

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.rows = EMPTY_I  # table rows drawn (filtered, with coordinates), table order
        self.lon = self.lat = self.diameter = EMPTY_F
        self.fatalities = EMPTY_F
        self.category = EMPTY_I
        self.known = np.empty(0, dtype=bool)  # fatalities known
        self.imprecise = np.empty(0, dtype=bool)
        self.in_range = np.empty(0, dtype=bool)  # inside the timeline's time selection
        self.selected = np.empty(0, dtype=bool)
        self.current = -1  # index into rows of the focused event, or -1
        self.filtered = 0  # events passing the filter, with or without coordinates
        self.palette: list = []
        self.category_names: list[str] = []
        self._imprecise_table = np.empty(0, dtype=bool)
        state.table_changed.connect(self._on_table)
        state.rows_changed.connect(self.rebuild)
        state.selection_changed.connect(lambda _rows: self._marks())
        state.current_changed.connect(lambda _row: self._marks())
        state.range_changed.connect(lambda _range: self._marks())
        self._on_table()

    def _on_table(self) -> None:
        table = self.state.table
        self._imprecise_table = spatial.imprecise_mask(table) if len(table) else np.empty(0, bool)
        self.category_names = [str(c) for c in table.df["category"].cat.categories]
        self.palette = style.category_palette(self.category_names)

    def rebuild(self) -> None:
        table, mask = self.state.table, self.state.mask
        self.filtered = int(np.count_nonzero(mask)) if len(mask) else 0
        if not len(table) or len(mask) != len(table):
            rows = EMPTY_I
        else:
            lon, lat, known = spatial.coordinates(table)
            rows = np.flatnonzero(mask & known)
        self.rows = rows
        if len(rows):
            lon, lat, _known = spatial.coordinates(table)
            self.lon, self.lat = lon[rows], lat[rows]
            fat = table.df["fatalities"].to_numpy(dtype=np.float64, na_value=np.nan)[rows]
            self.fatalities = fat
            self.known = ~np.isnan(fat)
            self.diameter = style.mark_diameter(fat)
            self.category = table.codes("category")[rows].astype(np.int64)
            self.imprecise = self._imprecise_table[rows]
        else:
            self.lon = self.lat = self.diameter = self.fatalities = EMPTY_F
            self.category = EMPTY_I
            self.known = self.imprecise = np.empty(0, dtype=bool)
        self._flags()
        self.changed.emit()

    def _marks(self) -> None:
        self._flags()
        self.marks_changed.emit()

    def _flags(self) -> None:
        state, rows = self.state, self.rows
        time_range = state.range
        if time_range is not None and len(rows):
            table = state.table
            self.in_range = (table.start_ns[rows] <= time_range.end_ns) & (
                table.end_ns[rows] >= time_range.start_ns
            )
        else:
            self.in_range = np.ones(len(rows), dtype=bool)
        self.selected = (
            np.isin(rows, state.selection)
            if len(state.selection)
            else (np.zeros(len(rows), dtype=bool))
        )
        hit = np.searchsorted(rows, state.current) if state.current >= 0 and len(rows) else -1
        ok = 0 <= hit < len(rows) and rows[hit] == state.current
        self.current = int(hit) if ok else -1

    @property
    def located(self) -> int:
        return len(self.rows)

    def extent(self) -> tuple[float, float, float, float] | None:
        """(min_lon, min_lat, max_lon, max_lat) of the drawn events, or None."""
        if not len(self.rows):
            return None
        return (
            float(self.lon.min()),
            float(self.lat.min()),
            float(self.lon.max()),
            float(self.lat.max()),
        )
