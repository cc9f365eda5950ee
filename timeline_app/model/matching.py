"""Likely-same events across datasets, by one published rule (never merged).

Two events from different datasets are *candidates* when both have coordinates, the
gap between their [start, end] spans is at most ``days`` (D), their great-circle
distance is at most ``km`` (K, on a sphere of the mean Earth radius, ``EARTH_RADIUS_KM``
in model/units.py) and their categories agree. A candidate's score is ``km / K + days / max(D, 1)``
(lower is better). Pairs are taken one-to-one, best score first, ties broken by the
first dataset's id and then the second's (compared as text). Candidates not taken are
kept as "also possible". Defaults: D = 2 days, K = 25 km.

Candidates are found without a loop per event: events are put in cells of a latitude
band (K high) by a longitude slice (at least K wide at the band's poleward edge) and a
time bin (max(D, 1) days); each event of the first dataset looks in the 3 x 3 cells
around it, in the bins its span covers, through one sorted array of the second's keys.
The one-to-one choice is made in rounds: every candidate that is the best of both its
events is taken (the same pairs as taking them one by one in score order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.model.events import EventTable
from timeline_app.model.units import EARTH_RADIUS_KM, NAT_NS, NS_PER_DAY

DEFAULT_DAYS = 2.0
DEFAULT_KM = 25.0
KM_PER_DEGREE = EARTH_RADIUS_KM * np.pi / 180.0
RULE_TEXT = (
    "Two events from different datasets are candidates when both have coordinates, the gap "
    "between their [start, end] spans is at most D days, their great-circle distance is at "
    f"most K km (Earth radius {EARTH_RADIUS_KM} km) and their categories agree. Score = km / K + "
    "days / max(D, 1). Pairs are taken one-to-one, best score first, ties broken by the "
    "first dataset's id and then the second's (compared as text); candidates not taken are "
    "kept as 'also possible'."
)

ProgressFn = Callable[[float], None]
CancelFn = Callable[[], bool]


class MatchCancelled(Exception):
    """The caller asked to stop."""


@dataclass(frozen=True)
class MatchRule:
    """The rule's parameters. ``same_dataset`` pairs events of one dataset (only when asked)."""

    days: float = DEFAULT_DAYS
    km: float = DEFAULT_KM
    same_dataset: bool = False

    def __post_init__(self) -> None:
        if not (self.km > 0 and np.isfinite(self.km)):
            raise ValueError(f"the distance must be a positive number of km, not {self.km}")
        if not (self.days >= 0 and np.isfinite(self.days)):
            raise ValueError(f"the days must be zero or more, not {self.days}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": RULE_TEXT,
            "days": self.days,
            "km": self.km,
            "earth_radius_km": EARTH_RADIUS_KM,
            "score": "km / K + days / max(D, 1)",
            "same_dataset": self.same_dataset,
        }


@dataclass
class Side:
    """One side's events as arrays: coordinates in degrees, span in ns, category codes
    (comparable between the sides), and each event's rank by id as text."""

    lat: np.ndarray
    lon: np.ndarray
    start_ns: np.ndarray
    end_ns: np.ndarray
    category: np.ndarray
    id_rank: np.ndarray

    def __len__(self) -> int:
        return len(self.lat)


@dataclass
class Candidates:
    """Every candidate pair (indices into the two sides) with its distance, gap, score,
    and whether it was taken as a pair."""

    a: np.ndarray
    b: np.ndarray
    km: np.ndarray
    days: np.ndarray
    score: np.ndarray
    taken: np.ndarray

    def __len__(self) -> int:
        return len(self.a)


def match_sides(
    a: Side,
    b: Side,
    rule: MatchRule = MatchRule(),
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> Candidates:
    """The rule applied to two sides (one side twice when ``rule.same_dataset``)."""
    report = progress or (lambda _f: None)
    check = cancelled or (lambda: False)
    ia, ib = _near(a, b, rule, report, check)
    if rule.same_dataset:
        keep = ia < ib  # each unordered pair once, never an event with itself
        ia, ib = ia[keep], ib[keep]
    km = _great_circle_km(a.lat[ia], a.lon[ia], b.lat[ib], b.lon[ib])
    gap = np.maximum(0, np.maximum(b.start_ns[ib] - a.end_ns[ia], a.start_ns[ia] - b.end_ns[ib]))
    days = gap / NS_PER_DAY
    keep = (km <= rule.km) & (days <= rule.days) & (a.category[ia] == b.category[ib])
    ia, ib, km, days = ia[keep], ib[keep], km[keep], days[keep]
    score = km / rule.km + days / max(rule.days, 1.0)
    report(0.7)
    if check():
        raise MatchCancelled()
    taken = _one_to_one(ia, ib, score, a, b, rule.same_dataset, check)
    report(1.0)
    return Candidates(ia, ib, km, days, score, taken)


def _great_circle_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Haversine distance on the sphere of radius EARTH_RADIUS_KM."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    out: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out


def _usable(side: Side) -> np.ndarray:
    ok: np.ndarray = (
        np.isfinite(side.lat)
        & np.isfinite(side.lon)
        & (side.start_ns != NAT_NS)
        & (side.end_ns != NAT_NS)
        & (side.category >= 0)
    )
    return ok


def _near(
    a: Side, b: Side, rule: MatchRule, report: ProgressFn, check: CancelFn
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a index, b index) in neighbouring cells and time bins: a superset of the
    candidates, each pair once."""
    empty = np.empty(0, np.int64)
    ua, ub = np.flatnonzero(_usable(a)), np.flatnonzero(_usable(b))
    if not len(ua) or not len(ub):
        return empty, empty
    height = 2 * rule.km / KM_PER_DEGREE  # a band is 2K high: look in the nearer neighbour
    nbands = int(np.ceil(180.0 / height)) + 1
    slices = _slices_per_band(nbands, height)
    width = max(rule.days, 1.0) * NS_PER_DAY  # a time bin, in ns
    pad = int(round(rule.days * NS_PER_DAY))
    # The second side: one key per time bin of its span widened by D on both sides.
    b_band, _ = _band(b.lat[ub], height, nbands)
    b_cell, _ = _cell(_turn(b.lon[ub]), slices[b_band])
    b_lo = np.floor_divide(b.start_ns[ub] - pad, width)
    b_hi = np.floor_divide(b.end_ns[ub] + pad, width)
    # The first side: one query per time bin its span covers.
    a_lo = np.floor_divide(a.start_ns[ua], width)
    a_hi = np.floor_divide(a.end_ns[ua], width)
    t0 = int(min(b_lo.min(), a_lo.min()))
    nt = int(max(b_hi.max(), a_hi.max())) - t0 + 1
    ncell = int(slices.max())
    if float(nbands) * ncell * nt >= 2**62:
        raise ValueError("the distance is too small for the span of dates: use a larger --km")
    b_copy, b_bin = _expand(b_lo, b_hi)
    b_keys = (b_band[b_copy] * ncell + b_cell[b_copy]) * nt + (b_bin - t0)
    order = np.argsort(b_keys)
    b_keys, b_event = b_keys[order], b_copy[order]
    first = np.flatnonzero(np.concatenate([[True], b_keys[1:] != b_keys[:-1]]))
    keys = b_keys[first]
    count = np.diff(np.append(first, len(b_keys)))
    del b_keys
    report(0.2)
    a_copy, a_bin = _expand(a_lo, a_hi)
    a_band, upper = _band(a.lat[ua], height, nbands)
    a_band, upper = a_band[a_copy], upper[a_copy]
    a_turn = _turn(a.lon[ua])[a_copy]
    a_bin -= t0
    # Queries in key order: a binary search then reads memory nearby (3x faster).
    by_key = np.argsort((a_band * ncell + _cell(a_turn, slices[a_band])[0]) * nt + a_bin)
    a_copy, a_bin, a_band, upper, a_turn = (
        x[by_key] for x in (a_copy, a_bin, a_band, upper, a_turn)
    )
    del by_key
    found_a, found_start, found_count, found_bin = [], [], [], []
    near_band = a_band + np.where(upper, 1, -1)
    for band in (a_band, near_band):
        inside = (band >= 0) & (band < nbands)
        n = slices[np.clip(band, 0, nbands - 1)]
        own, right = _cell(a_turn, n)
        near = own + np.where(right, 1, -1)
        near[near < 0] += n[near < 0]
        near[near >= n] -= n[near >= n]
        for cell, ok in ((own, inside), (near, inside & (n >= 2))):
            query = (band * ncell + cell) * nt + a_bin
            pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
            hit = np.flatnonzero(ok & (keys[pos] == query))
            found_a.append(a_copy[hit])
            found_start.append(first[pos[hit]])
            found_count.append(count[pos[hit]])
            found_bin.append(a_bin[hit] + t0)
            if check():
                raise MatchCancelled()
    report(0.45)
    qa = np.concatenate(found_a)
    counts = np.concatenate(found_count)
    starts = np.concatenate(found_start)
    qbin = np.concatenate(found_bin)
    total = int(counts.sum())
    if not total:
        return empty, empty
    ends = np.cumsum(counts)
    step = np.ones(total, dtype=np.int64)
    step[0] = starts[0]
    step[ends[:-1]] = starts[1:] - (starts[:-1] + counts[:-1] - 1)
    ia_local = np.repeat(qa, counts)
    ib_local = b_event[np.cumsum(step)]
    # A pair shares several bins when both spans are long: keep it in its first one.
    first_shared = np.maximum(a_lo[ia_local], b_lo[ib_local])
    once = np.repeat(qbin, counts) == first_shared
    return ua[ia_local[once]], ub[ib_local[once]]


def _slices_per_band(nbands: int, height: float) -> np.ndarray:
    """Longitude slices per band: each at least 2K wide at the poleward edge of the band
    and its two neighbours, so a point within K km of another lies in the same slice or
    the nearer neighbouring one; near the poles a band is one slice."""
    j = np.arange(nbands)
    south = -90.0 + (j - 1) * height
    north = -90.0 + (j + 2) * height
    edge = np.minimum(np.maximum(np.abs(south), np.abs(north)), 90.0)
    cos = np.cos(np.radians(edge))
    with np.errstate(divide="ignore"):
        need = np.where(cos > 1e-9, height / cos, np.inf)
    n = np.floor(360.0 / need)
    n = np.where(np.isfinite(n) & (n >= 2), n, 1)
    return n.astype(np.int64)


def _band(lat: np.ndarray, height: float, nbands: int) -> tuple[np.ndarray, np.ndarray]:
    """Each latitude's band, and whether it lies in the band's upper half."""
    at = (lat + 90.0) / height
    band = np.clip(np.floor(at), 0, nbands - 1)
    return band.astype(np.int64), (at - band) >= 0.5


def _turn(lon: np.ndarray) -> np.ndarray:
    """Longitude as a share of a turn from -180, in [0, 1)."""
    return np.mod(lon + 180.0, 360.0) / 360.0


def _cell(turn: np.ndarray, slices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each longitude's slice of its band, and whether it lies in the slice's east half."""
    at = turn * slices
    cell = np.minimum(np.floor(at).astype(np.int64), slices - 1)
    return cell, (at - cell) >= 0.5


def _expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One (event, bin) per bin from ``lo`` to ``hi`` of each event."""
    copies = (hi - lo + 1).astype(np.int64)
    event = np.repeat(np.arange(len(lo), dtype=np.int64), copies)
    offset = np.arange(len(event), dtype=np.int64) - np.repeat(np.cumsum(copies) - copies, copies)
    return event, lo[event] + offset


def _one_to_one(
    ia: np.ndarray,
    ib: np.ndarray,
    score: np.ndarray,
    a: Side,
    b: Side,
    same: bool,
    check: CancelFn,
) -> np.ndarray:
    """Which candidates are pairs: greedy in (score, a's id, b's id) order, made in
    rounds where every candidate that is the best remaining one of both its events is
    taken (ties cannot stall it: the order is total)."""
    n = len(ia)
    taken = np.zeros(n, dtype=bool)
    if not n:
        return taken
    order = np.lexsort((b.id_rank[ib], a.id_rank[ia], score))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    node_a = ia.astype(np.int64)
    node_b = ib.astype(np.int64) + (0 if same else len(a))
    nodes = (len(a) if same else len(a) + len(b)) + 1
    alive = np.arange(n)
    while len(alive):
        best = np.full(nodes, n, dtype=np.int64)
        r, na, nb = rank[alive], node_a[alive], node_b[alive]
        np.minimum.at(best, na, r)
        np.minimum.at(best, nb, r)
        win = (best[na] == r) & (best[nb] == r)
        taken[alive[win]] = True
        used = np.zeros(nodes, dtype=bool)
        used[na[win]] = True
        used[nb[win]] = True
        alive = alive[~(used[na] | used[nb])]
        if check():
            raise MatchCancelled()
    return taken


# -- on an event table -------------------------------------------------------------------------
@dataclass
class MatchResult:
    """The rule applied to two sets of rows of one table. ``a_rows``/``b_rows`` are table
    rows per candidate; ``taken`` marks the pairs (the rest are "also possible")."""

    rule: MatchRule
    a_rows: np.ndarray
    b_rows: np.ndarray
    km: np.ndarray
    days: np.ndarray
    score: np.ndarray
    taken: np.ndarray
    order: np.ndarray  # candidate indices in the rule's order (score, a's id, b's id)
    a_count: int = 0
    b_count: int = 0

    @property
    def candidates(self) -> int:
        return len(self.a_rows)

    def pairs(self) -> np.ndarray:
        """Candidate indices of the pairs, in the order taken (best score first)."""
        picked = np.flatnonzero(self.taken)
        return picked[np.argsort(self.order_rank()[picked], kind="stable")]

    def also_possible(self) -> np.ndarray:
        picked = np.flatnonzero(~self.taken)
        return picked[np.argsort(self.order_rank()[picked], kind="stable")]

    def order_rank(self) -> np.ndarray:
        rank = np.empty(self.candidates, dtype=np.int64)
        rank[self.order] = np.arange(self.candidates)
        return rank

    def groups(self, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
        """Per table row: its pair's number (1 = the best pair; 0 = not in a pair) and
        the pair's score (NaN outside pairs)."""
        group = np.zeros(n_rows, dtype=np.int64)
        score = np.full(n_rows, np.nan)
        pairs = self.pairs()
        number = np.arange(1, len(pairs) + 1)
        for rows in (self.a_rows[pairs], self.b_rows[pairs]):
            group[rows] = number
            score[rows] = self.score[pairs]
        return group, score

    def partner(self, n_rows: int) -> np.ndarray:
        """Per table row: the row it is paired with, or -1."""
        out = np.full(n_rows, -1, dtype=np.int64)
        pairs = np.flatnonzero(self.taken)
        out[self.a_rows[pairs]] = self.b_rows[pairs]
        out[self.b_rows[pairs]] = self.a_rows[pairs]
        return out


def side_of(table: EventTable, rows: np.ndarray) -> Side:
    rows = np.asarray(rows, dtype=np.int64)
    df = table.df
    return Side(
        lat=df["latitude"].to_numpy(dtype="float64")[rows],
        lon=df["longitude"].to_numpy(dtype="float64")[rows],
        start_ns=table.start_ns[rows],
        end_ns=table.end_ns[rows],
        category=table.codes("category")[rows].astype(np.int64),
        id_rank=_text_rank(table, rows),
    )


def _text_rank(table: EventTable, rows: np.ndarray) -> np.ndarray:
    """Each row's place among ``rows`` when their ids are sorted as text."""
    ids = pa.chunked_array(table.df["id"].array.__arrow_array__()).take(pa.array(rows))
    return text_ranks(ids)


def text_ranks(ids: pa.Array | pa.ChunkedArray) -> np.ndarray:  # type: ignore[type-arg]
    """Each id's place when the ids are sorted as text (Arrow's sort, no Python loop)."""
    order = pc.array_sort_indices(ids, order="ascending", null_placement="at_end")
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order.to_numpy()] = np.arange(len(ids))
    return rank


def match_rows(
    table: EventTable,
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    rule: MatchRule = MatchRule(),
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> MatchResult:
    """The rule between rows ``rows_a`` (the first dataset) and ``rows_b`` of ``table``."""
    rows_a = np.asarray(rows_a, dtype=np.int64)
    rows_b = rows_a if rule.same_dataset else np.asarray(rows_b, dtype=np.int64)
    a = side_of(table, rows_a)
    b = a if rule.same_dataset else side_of(table, rows_b)
    found = match_sides(a, b, rule, progress, cancelled)
    return MatchResult(
        rule,
        rows_a[found.a],
        rows_b[found.b],
        found.km,
        found.days,
        found.score,
        found.taken,
        np.lexsort((b.id_rank[found.b], a.id_rank[found.a], found.score)),
        len(rows_a),
        len(rows_b),
    )


def dataset_rows(table: EventTable, name: str) -> np.ndarray:
    """All rows of the dataset called ``name`` (ValueError when none is open)."""
    for k, dataset in enumerate(table.datasets):
        if dataset.name == name:
            return np.arange(table.offsets[k], table.offsets[k + 1], dtype=np.int64)
    raise ValueError(f"no dataset named {name!r} (open: {[d.name for d in table.datasets]})")


def match_datasets(
    table: EventTable,
    first: str,
    second: str,
    rule: MatchRule = MatchRule(),
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> MatchResult:
    """The rule between two open datasets (never one with itself unless the rule says)."""
    if first == second and not rule.same_dataset:
        raise ValueError("matching a dataset with itself needs same_dataset")
    rows_a = dataset_rows(table, first)
    rows_b = dataset_rows(table, second)
    return match_rows(table, rows_a, rows_b, rule, progress, cancelled)


def pair_records(table: EventTable, result: MatchResult, which: np.ndarray) -> list[dict[str, Any]]:
    """Candidates ``which`` as records: a_dataset, a_id, b_dataset, b_id, km, days, score."""
    df = table.df
    ids = df["id"]
    names = [d.name for d in table.datasets]
    a_k = table.dataset_index(result.a_rows[which])
    b_k = table.dataset_index(result.b_rows[which])
    a_ids = ids.iloc[result.a_rows[which]].tolist()
    b_ids = ids.iloc[result.b_rows[which]].tolist()
    return [
        {
            "a_dataset": names[int(ka)],
            "a_id": str(ai),
            "b_dataset": names[int(kb)],
            "b_id": str(bi),
            "km": round(float(km), 3),
            "days": round(float(d), 3),
            "score": round(float(s), 6),
        }
        for ka, ai, kb, bi, km, d, s in zip(
            a_k,
            a_ids,
            b_k,
            b_ids,
            result.km[which],
            result.days[which],
            result.score[which],
            strict=True,
        )
    ]
