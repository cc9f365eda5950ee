"""A table's located rows by world cell, for area filters that touch only their box.

The world is cut once per table in cells of :data:`CELL_DEGREES`; the rows are sorted by
cell (one argsort at the first area filter). An area then classifies only the cells its
box covers (shapely: properly inside, disjoint, or on the edge), takes the rows of its
inside cells as they are and tests only the rows of its edge cells exactly: no pass over
every row of the table, where a box test of every row, then a grid lookup of every row
in the box, cost ~10 ms at 1M rows per freehand area. Cells are grown by a hair, so a
point that rounding puts in the next cell is still in the one it was classified with.
"""

from __future__ import annotations

import numpy as np
import shapely

from timeline_app.model.events import EventTable
from timeline_app.model.table_cache import PerTable

CELL_DEGREES = 0.5
NX, NY = int(360 / CELL_DEGREES), int(180 / CELL_DEGREES)
#: An area whose box covers more cells than this is tested the plain way (a continent:
#: classifying the cells would cost more than it saves).
MAX_CELLS = 6_000


class CellIndex:
    """Located rows sorted by cell, and where each cell's rows start."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray, known: np.ndarray) -> None:
        rows = np.flatnonzero(known)
        cell = cell_of(lon.take(rows), lat.take(rows))
        order = np.argsort(cell, kind="stable")
        self.rows = rows.take(order)
        self.starts = np.searchsorted(cell.take(order), np.arange(NX * NY + 1))


_INDEX = PerTable[CellIndex]("spatial: located rows by world cell")


def cell_index(table: EventTable, lon: np.ndarray, lat: np.ndarray, known: np.ndarray) -> CellIndex:
    return _INDEX.get(table, lambda: CellIndex(lon, lat, known))


def cell_of(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    ix = np.clip(((lon + 180.0) / CELL_DEGREES).astype(np.int64), 0, NX - 1)
    iy = np.clip(((lat + 90.0) / CELL_DEGREES).astype(np.int64), 0, NY - 1)
    return iy * NX + ix


def rows_within(
    index: CellIndex, geometry: object, lon: np.ndarray, lat: np.ndarray, n: int
) -> np.ndarray | None:
    """The mask of the rows inside ``geometry`` (prepared), or None when its box covers
    too many cells for this to pay."""
    x0, y0, x1, y1 = (float(v) for v in shapely.bounds(geometry))
    (cx0, cx1), (cy0, cy1) = (
        np.clip(((np.array(v) + off) / CELL_DEGREES).astype(np.int64), 0, top - 1)
        for v, off, top in (((x0, x1), 180.0, NX), ((y0, y1), 90.0, NY))
    )
    gx, gy = np.arange(cx0, cx1 + 1), np.arange(cy0, cy1 + 1)
    if len(gx) * len(gy) > MAX_CELLS:
        return None
    left, bottom = np.meshgrid(gx * CELL_DEGREES - 180.0, gy * CELL_DEGREES - 90.0)
    eps = 1e-6 * CELL_DEGREES
    boxes = shapely.box(
        left.ravel() - eps,
        bottom.ravel() - eps,
        left.ravel() + CELL_DEGREES + eps,
        bottom.ravel() + CELL_DEGREES + eps,
    )
    cells = (gy[:, None] * NX + gx[None, :]).ravel()
    inside = shapely.contains_properly(geometry, boxes)
    edge = ~inside & ~shapely.disjoint(geometry, boxes)
    mask = np.zeros(n, dtype=bool)
    mask[_rows_of(index, cells[inside])] = True
    candidates = _rows_of(index, cells[edge])
    mask[candidates] = shapely.contains_xy(geometry, lon.take(candidates), lat.take(candidates))
    return mask


def _rows_of(index: CellIndex, cells: np.ndarray) -> np.ndarray:
    """The rows of the given cells (ascending cell numbers). Neighbouring cells of a row
    of the grid hold neighbouring rows of ``index.rows``: one slice per run of them (a
    few dozen for a freehand area), not a position per row worked out."""
    if not len(cells):
        return np.empty(0, dtype=np.int64)
    breaks = np.flatnonzero(np.diff(cells) != 1) + 1
    firsts = cells[np.concatenate(([0], breaks))]
    lasts = cells[np.concatenate((breaks - 1, [len(cells) - 1]))]
    starts, ends = index.starts[firsts], index.starts[lasts + 1]
    rows = index.rows
    return np.concatenate([rows[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)])
