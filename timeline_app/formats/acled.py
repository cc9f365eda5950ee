"""ACLED exports (Armed Conflict Location & Event Data), every variant in formats.md.

Takes the current lower-case header, older exports (``data_id``, ``event_id_no_cnty``,
``iso3``), the 2016 "All Africa" upper-case file (``ALLY_ACTOR_1``, no
``sub_event_type``, blank trailing header columns, Windows-1252), HDX copies with an HXL
tag row, and actor-based ("monadic") exports: those have no ``actor2`` column and one row
per actor per event, so rows sharing an ``event_id_cnty`` are folded into one event
(the extra rows are counted as merged). In any other file a repeated id is kept as
separate events, with a warning: events are never merged silently.

Mapping: ``event_date`` -> start = end; ``time_precision`` 1/2/3 -> day/week/month;
category from :mod:`category_map`; ``assoc_actor_1`` and ``assoc_actor_2`` joined with
``;``; blank or 0,0 coordinates and blank fatalities are unknown (NaN).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.formats import _columns
from timeline_app.formats._columns import (
    as_categorical,
    combinations,
    normalise_names,
    per_combination,
    stripped_categorical,
    to_float,
)
from timeline_app.formats._dates import DAY_FIRST, parse_dates, reject_dates
from timeline_app.formats._pool import HelpingPool
from timeline_app.formats.base import (
    TEXT_TABLE_SHARE,
    CancelFn,
    FileProbe,
    FormatError,
    ProgressFn,
    date_order_option,
    stage,
)
from timeline_app.formats.category_map import acled_category
from timeline_app.formats.geojson import read_table_text
from timeline_app.formats.text_table import TextTable
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.messages import N_
from timeline_app.model.schema import (
    ACTOR_SEPARATOR,
    conform,
    conform_columns,
    text_without_blanks,
)

LICENCE = "ACLED terms of use (not redistributable)"
CITATION = "Armed Conflict Location & Event Data (ACLED), acleddata.com"

#: Older and upper-case names -> the current ones.
ALIASES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
REQUIRED = ("event_date",)  # without event_id_cnty, events have no id and are not folded
#: Columns read dictionary-encoded: the ones that become categoricals, and the date (parsed
#: once per distinct value). Dictionary encoding costs parse time, so the rest stay plain.
DICTIONARY_COLUMNS = {
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    "ally_actor_1",
    "ally_actor_2",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "source",
}
TITLE_SEPARATOR = " — "


class AcledReader:
    name = "acled"
    label = "ACLED export"

    def sniff(self, probe: FileProbe) -> float:
        header = set(normalise_names(probe.header, ALIASES))
        if {"event_id_cnty", "event_date"} <= header:
            return 0.95
        if {"event_date", "actor1", "fatalities"} <= header:
            return 0.6
        return 0.0

    def read(
        self,
        path: Path,
        *,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        options: dict[str, Any] | None = None,
    ) -> Dataset:
        path = Path(path)
        text = read_table_text(  # CSV, or JSON/GeoJSON records (formats/geojson.py)
            path,
            dictionary=lambda n: n.strip().lower() in DICTIONARY_COLUMNS,
            progress=stage(progress, 0.0, TEXT_TABLE_SHARE),  # then the events
            cancelled=cancelled,
        )
        return acled_dataset(text, path.stem, order=date_order_option(options))


def acled_dataset(text: TextTable, name: str, order: str = "auto") -> Dataset:
    """Map a parsed ACLED table to events (separate from reading, for reuse and tests).
    ``order``: the day/month order of slash dates, "auto" to decide from the column."""
    cols = normalise_names(text.names, ALIASES)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise FormatError(
            N_(
                "{name}: not an ACLED file (no {columns} column)",
                name=text.path.name,
                columns=", ".join(missing),
            )
        )
    report = text.start_report("acled")

    # Arrow work (the id checks, number casts, titles) runs on two threads while this one
    # does the Python work: Arrow releases the GIL, and the machine has at least 2 cores.
    pool = HelpingPool(max_workers=2)
    try:
        return _mapped(text, name, cols, report, pool, order)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _mapped(
    text: TextTable,
    name: str,
    cols: dict[str, str],
    report: LoadReport,
    pool: HelpingPool,
    order: str = "auto",
) -> Dataset:
    def col(key: str) -> pa.ChunkedArray[Any] | None:
        return text.column(cols[key]) if key in cols else None

    n = text.table.num_rows
    # Whether every id is distinct (the usual case) is hashed on another core meanwhile.
    ids_job = pool.submit(_ids, col("event_id_cnty"))
    precision_job = pool.submit(_precision_of, col("time_precision"), n)
    numbers = {
        key: pool.submit(_float_or_nan, col(key), n)
        for key in ("latitude", "longitude", "geo_precision")
    }
    fatalities = col("fatalities")
    fatalities_job = pool.submit(to_float, fatalities) if fatalities is not None else None
    notes = col("notes")
    notes_job = pool.submit(_text_column, notes) if notes is not None else None
    date_col = text.column(cols["event_date"])  # required (checked by the caller)
    dates = parse_dates(date_col, DAY_FIRST, order=order)
    report.warnings.extend(dates.warnings)
    keep = reject_dates(report, text, dates, date_col)
    rows = np.flatnonzero(keep)
    fold = "actor2" not in cols and "event_id_cnty" in cols
    originals_job = pool.submit(_columns.originals_frame, text, rows) if not fold else None

    out: dict[str, Any] = {}  # built as a dict: one DataFrame at the end, no copies
    out["id"] = None
    out["start"] = dates.values
    for key in ("event_type", "sub_event_type", "location"):
        out[key] = _categorical(col(key), n)
    titles = pool.submit(_titles, out["event_type"], out["sub_event_type"], out["location"])
    for key in ("actor1", "actor2", "country"):
        out[key] = _categorical(col(key), n)
    for key in ("admin1", "admin2", "admin3", "source"):
        out[key] = _categorical(col(key), n)
    out["assoc_actors"] = _joined_actors(col("assoc_actor_1"), col("assoc_actor_2"), n)
    out["category"] = _categories(out["event_type"], out["sub_event_type"])
    # Every categorical built here has non-blank categories (stripped_categorical and
    # as_categorical drop blanks), and the text columns had their blanks removed on the
    # pool: conform takes these columns as they are.
    canonical = {key for key, values in out.items() if isinstance(values, pd.Categorical)}
    canonical |= {"date_precision", "id", "title", "notes"}
    pool.help()  # this thread's own work is done: take over jobs still queued
    if notes_job is not None:
        out["notes"] = notes_job.result()
    out["dataset"] = _columns.categorical(np.zeros(n, dtype=np.int8), [name])
    out["date_precision"] = precision_job.result()
    lat, lon = numbers["latitude"].result(), numbers["longitude"].result()
    unknown = (lat == 0) & (lon == 0) | (lat > 90) | (lat < -90) | (lon > 180) | (lon < -180)
    lat[unknown] = lon[unknown] = np.nan  # in place: both arrays are fresh, and ours
    out["latitude"], out["longitude"] = lat, lon
    out["geo_precision"] = numbers["geo_precision"].result()
    if fatalities_job is not None:
        fatalities, not_numbers = fatalities_job.result()
        bad = int(not_numbers[keep].sum())
        if bad:
            report.warnings.append(
                N_("{count} row(s) with non-numeric fatalities (kept as unknown)", count=bad)
            )
        out["fatalities"] = fatalities
    ids, clean_ids, ids_distinct = ids_job.result()
    out["id"] = ids
    out["title"] = titles.result()
    out = _columns.present_columns(out, n)

    if len(rows) < n or fold:
        frame = pd.DataFrame(out, copy=False)
        if len(rows) < n:
            frame = frame.iloc[rows].reset_index(drop=True)
        if fold:
            frame, rows, merged = _fold_actor_rows(frame, rows)
            report.rows_merged = merged
        elif not ids_distinct:
            _warn_duplicate_ids(report, frame["id"])
        events = conform(frame)
    else:
        if not ids_distinct:
            _warn_duplicate_ids(report, out["id"])
        if clean_ids is not None:
            out["id"] = clean_ids
        events = conform_columns(out, n, copy=False, canonical=canonical)  # fresh arrays
    report.events = len(events)
    originals = originals_job.result() if originals_job else _columns.originals_frame(text, rows)
    return Dataset(
        name=name,
        events=events,
        report=report,
        originals=originals,
        format="acled",
        licence=LICENCE,
        citation=CITATION,
    )


def _precision_of(column: pa.ChunkedArray[Any] | None, n: int) -> pd.Categorical:
    return _precision(_float_or_nan(column, n))


def _text_column(column: pa.ChunkedArray[Any]) -> pd.Series:
    """A free-text column as conform leaves it (blank cells missing)."""
    return text_without_blanks(_columns.to_pandas_text(column))


def _missing(n: int) -> pd.Categorical:
    """A column the file does not have: unknown in every row."""
    return _columns.categorical(np.full(n, -1, dtype=np.int8), [])


def _float_or_nan(column: pa.ChunkedArray[Any] | None, n: int) -> np.ndarray:
    if column is None:
        return np.full(n, np.nan)
    return to_float(column)[0]


def _categorical(column: pa.ChunkedArray[Any] | None, n: int) -> pd.Categorical:
    if column is None:
        return _missing(n)
    return stripped_categorical(column)


def _joined_actors(
    a: pa.ChunkedArray[Any] | None, b: pa.ChunkedArray[Any] | None, n: int
) -> pd.Categorical:
    """``assoc_actor_1`` and ``assoc_actor_2`` as one ``;``-joined, de-duplicated value.

    Joined once per distinct pair; each value is split into its actors once."""
    parts = [stripped_categorical(c) for c in (a, b) if c is not None]
    if not parts:
        return _missing(n)
    codes, picks = combinations(parts)
    actors = [[split_actors(v) for v in p.categories] for p in parts]
    # Each value alone: de-duplicated and re-joined; missing (code -1, the last) is None.
    alone = [[_join_actors(x) for x in lists] + [None] for lists in actors]
    if len(parts) == 1:
        return as_categorical(codes, [alone[0][i] for i in picks[0].tolist()])
    # A value that is one actor (the usual case) joins as itself, no splitting needed.
    single = [[len(x) == 1 for x in lists] for lists in actors]
    labels: list[str | None] = []
    for i, j in zip(picks[0].tolist(), picks[1].tolist(), strict=True):
        x, y = alone[0][i], alone[1][j]
        if x is None or y is None:
            labels.append(y if x is None else x)
        elif x == y:
            labels.append(x)
        elif single[0][i] and single[1][j]:
            labels.append(x + ACTOR_SEPARATOR + y)
        else:
            labels.append(_join_actors(actors[0][i] + actors[1][j]))
    return as_categorical(codes, labels)


def _join_actors(actors: list[str]) -> str | None:
    return ACTOR_SEPARATOR.join(dict.fromkeys(actors)) or None


def split_actors(value: str) -> list[str]:
    """``"A; B"`` -> ``["A", "B"]`` (ACLED joins several associated actors with ``;``)."""
    return [p.strip() for p in value.split(ACTOR_SEPARATOR) if p.strip()]


def _categories(event_type: pd.Categorical, sub_event_type: pd.Categorical) -> pd.Categorical:
    """Category per row, looked up once per distinct (event type, sub-event type) pair."""
    return as_categorical(*per_combination([event_type, sub_event_type], acled_category))


def _titles(
    event_type: pd.Categorical, sub_event_type: pd.Categorical, location: pd.Categorical
) -> pd.Series:
    """``"{sub-event type or event type} — {location}"``, joined by Arrow, not per row."""
    codes, (types, subtypes) = combinations([event_type, sub_event_type], ordered=False)
    names = [[*map(str, c.categories), None] for c in (event_type, sub_event_type)]
    kinds = [
        names[1][s] or names[0][t] for t, s in zip(types.tolist(), subtypes.tolist(), strict=True)
    ]
    kind = as_categorical(codes, kinds)
    return text_without_blanks(_columns.join_text([kind, location], TITLE_SEPARATOR))


def _precision(codes: np.ndarray) -> pd.Categorical:
    """ACLED ``time_precision`` 1/2/3 -> day/week/month (anything else: unknown)."""
    labels = ["day", "week", "month"]
    index = np.full(len(codes), -1, dtype=np.int8)
    for i, value in enumerate((1.0, 2.0, 3.0)):
        index[codes == value] = i
    return _columns.categorical(index, labels)


def _fold_actor_rows(frame: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, int]:
    """One event per ``event_id_cnty`` in an actor-based export; actors merged in order.

    The first row of each id gives the event; the distinct ``actor1`` values of the id's
    rows, in row order, fill actor1 and actor2; further actors and all associated actors
    go to ``assoc_actors`` (an associated actor is an ally of its row's actor, so it is
    never promoted to actor2). Returns the folded frame, the kept source rows and the
    merged count. Actors are handled as integer codes; strings only per distinct name.
    """
    group = pd.factorize(frame["id"].fillna(""))[0]
    repeat = pd.Series(group).duplicated().to_numpy()
    merged = int(repeat.sum())
    if not merged:
        return frame, rows, 0
    vocab = _ActorVocabulary(frame["actor1"], frame["assoc_actors"])
    positions = np.flatnonzero(pd.Series(group).duplicated(keep=False).to_numpy())
    g = group[positions]
    rank = pd.Series(g).groupby(g).cumcount().to_numpy()  # row order within the id
    owner, allies = vocab.allies(positions)
    long = pd.DataFrame(
        {
            "g": np.concatenate([g, g[owner]]),
            "kind": np.concatenate([np.zeros(len(g), np.int8), np.ones(len(owner), np.int8)]),
            "rank": np.concatenate([rank, rank[owner]]),
            "actor": np.concatenate([vocab.own[positions], allies]),
        }
    )
    long = long[long["actor"] >= 0].sort_values(["g", "kind", "rank"], kind="stable")
    long = long.drop_duplicates(["g", "actor"])
    primary = long[long["kind"] == 0]
    order = primary.groupby("g").cumcount().to_numpy()
    groups = int(group.max()) + 1
    first_code = np.full(groups, -1, dtype=np.int64)
    second_code = np.full(groups, -1, dtype=np.int64)
    first_code[primary["g"].to_numpy()[order == 0]] = primary["actor"].to_numpy()[order == 0]
    second_code[primary["g"].to_numpy()[order == 1]] = primary["actor"].to_numpy()[order == 1]
    rest = pd.concat([primary[order >= 2], long[long["kind"] == 1]])
    joined = _joined_by_group(rest.sort_values(["g", "kind", "rank"], kind="stable"), vocab)

    keep = ~repeat
    out = frame.loc[keep].reset_index(drop=True)
    out_group = group[keep]
    folded = np.zeros(groups, dtype=bool)
    folded[g] = True
    in_fold = folded[out_group]
    out["actor1"] = vocab.categorical(np.where(in_fold, first_code[out_group], vocab.own[keep]))
    out["actor2"] = vocab.categorical(np.where(in_fold, second_code[out_group], -1))
    assoc = np.array(out["assoc_actors"].astype(object).to_numpy(), dtype=object)
    changed = np.flatnonzero(in_fold)
    assoc[changed] = pd.Series(out_group[changed]).map(joined).to_numpy()
    out["assoc_actors"] = pd.Categorical(pd.Series(assoc, dtype=object))
    return out, rows[keep], merged


class _ActorVocabulary:
    """Every actor named in ``actor1`` or in the ``;``-joined associated actors, as codes."""

    def __init__(self, actor1: pd.Series, assoc: pd.Series) -> None:
        own = pd.Categorical(actor1)
        allied = pd.Categorical(assoc)
        codes: dict[str, int] = {}
        own_map = [codes.setdefault(str(c).strip(), len(codes)) for c in own.categories]
        self.own = np.array([*own_map, -1], dtype=np.int64)[own.codes]  # code -1 -> -1
        lists = [
            [codes.setdefault(name, len(codes)) for name in split_actors(str(c))]
            for c in allied.categories
        ]
        lengths = np.array([len(x) for x in lists], dtype=np.int64)
        # One extra slot so that a missing value (code -1) has no allies.
        self._lengths = np.append(lengths, 0)
        self._offsets = np.append(np.cumsum(lengths) - lengths, 0)
        self._flat = np.array([c for x in lists for c in x], dtype=np.int64)
        self._row_allies = allied.codes.astype(np.int64)
        self.names = list(codes)

    def allies(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For the rows at ``positions``: (index into positions, ally code), one per ally."""
        which = self._row_allies[positions]
        lengths = self._lengths[which]
        owner = np.repeat(np.arange(len(positions)), lengths)
        within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return owner, self._flat[np.repeat(self._offsets[which], lengths) + within]

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        categories = pd.Index(self.names, dtype=object)
        return _columns.categorical(codes, categories, validate=False)


def _joined_by_group(long: pd.DataFrame, vocab: _ActorVocabulary) -> pd.Series:
    """``;``-joined actor names per group, in order (Arrow's grouped list, no Python loop)."""
    if not len(long):
        return pd.Series(dtype=object)
    names = pa.array(vocab.names, pa.string()).take(long["actor"].to_numpy())
    table = pa.table({"g": pa.array(long["g"].to_numpy()), "actor": names})
    lists = table.group_by("g", use_threads=False).aggregate([("actor", "list")])
    joined: Any = pc.binary_join(lists["actor_list"], ACTOR_SEPARATOR)
    per_group: pd.Series = pd.Series(joined.to_pylist(), index=lists["g"].to_numpy(), dtype=object)
    return per_group


def _ids(column: pa.ChunkedArray[Any] | None) -> tuple[pd.Series | None, pd.Series | None, bool]:
    """The stripped ids, the same as conform leaves them (blank ones missing), and whether
    they are all distinct (True without ids)."""
    ids = _columns.strip_text(column)
    if ids is None:
        return None, None, True
    ids = pa.chunked_array([ids.combine_chunks()])  # one chunk: cheaper to check for blanks
    text = _columns.to_pandas_text(ids)
    return text, text_without_blanks(text), _all_distinct(ids)


def _all_distinct(ids: pa.ChunkedArray[Any]) -> bool:
    """No id repeats (hashed in Arrow, no Python set); usually settled by :func:`_keys_distinct`."""
    if _keys_distinct(ids):
        return True
    return pc.count_distinct(ids, mode="only_valid").as_py() == pc.count(ids).as_py()


#: ``_BYTE_MASKS[k]`` keeps the k low bytes of a little-endian word.
_BYTE_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def _keys_distinct(ids: pa.ChunkedArray[Any]) -> bool:
    """True when a 64-bit key made of each id's bytes (ids up to 16 bytes) never repeats.

    Equal ids have equal keys, so distinct keys prove distinct ids; equal keys prove
    nothing (False: the caller checks exactly). About 3x cheaper than hashing the strings
    in Arrow, and it runs beside the Python work. Written to make few temporary arrays
    (each new 1M-row array costs more in page faults than the arithmetic on it).
    """
    array = pc.drop_null(ids).combine_chunks()
    n = len(array)
    if n < 2:
        return True
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    buffers: list[Any] = array.buffers()
    _, offsets_buffer, data_buffer = buffers
    offsets = np.frombuffer(
        offsets_buffer, dtype=width, count=n + 1, offset=array.offset * np.dtype(width).itemsize
    )
    lengths = np.diff(offsets)
    if lengths.max() > 16:
        return False
    end = int(offsets[-1])
    padded = np.zeros(end + 16, dtype=np.uint8)
    if end:
        padded[:end] = np.frombuffer(data_buffer, dtype=np.uint8, count=end)
    # The 8 bytes from every position, as one unaligned little-endian word.
    words = np.ndarray((end + 9,), dtype="<u8", buffer=padded, strides=(1,))
    starts = offsets[:-1].astype(np.intp)
    key = words[starts]
    key &= _BYTE_MASKS[np.minimum(lengths, 8)]  # bytes past the id's end: 0
    if lengths.max() > 8:
        starts += 8
        second = words[starts]
        second &= _BYTE_MASKS[np.clip(lengths, 8, 16) - 8]
        key *= np.uint64(0x9E3779B97F4A7C15)
        key += second
    key *= np.uint64(0x9E3779B97F4A7C15)
    key += lengths.astype(np.uint64)
    # Equal keys fall in the same bucket: only keys sharing a bucket are hashed exactly
    # (about a fifth of them at 4 buckets per key).
    bits = min(22, max(8, n.bit_length() + 2))
    bucket = key * np.uint64(0xBF58476D1CE4E5B9)
    bucket >>= np.uint64(64 - bits)
    bucket = bucket.view(np.int64)
    crowded = np.bincount(bucket, minlength=1 << bits)[bucket] > 1
    return bool(pd.Series(key[crowded]).is_unique)


def _warn_duplicate_ids(report: LoadReport, ids: pd.Series) -> None:
    """A repeated id in a one-row-per-event file: keep both events, but say so."""
    dup = ids.duplicated(keep="first") & ids.notna()
    count = int(dup.sum())
    if count:
        example = ids[dup].iloc[0]
        report.warnings.append(
            N_(
                "{count} row(s) repeat an event id already seen (e.g. {example}); "
                "kept as separate events",
                count=count,
                example=example,
            )
        )


READER = AcledReader()
