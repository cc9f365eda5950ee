"""One actor under all its names: the actor dictionary and its resolution to canonical names.

The shipped dictionary (``actor_dictionary.csv``, sourced row by row) maps each
dataset's spelling of an actor, or a ``*`` pattern, to a canonical name and a short
name, optionally only in some countries or between two dates. Users add entries of
their own (:mod:`timeline_app.model.actor_store`). Raw names are never changed: a
table's actors are *resolved* beside them, per distinct name (categorical categories,
never per row), and the result is handed out as integer codes per row.

An entry marked ``uncertain`` (ACLED's "X and/or Y" names) records an attribution the
source could not settle: it is kept apart from certain ones, and a filter takes it only
when asked to. Any other "X and/or Y" name whose sides resolve is treated the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.model.events import EventTable
from timeline_app.model.schema import ACTOR_SEPARATOR
from timeline_app.model.table_cache import PerTable
from timeline_app.model.text import fold
from timeline_app.model.units import NAT_NS, NS_PER_DAY

#: The ``dataset`` values an entry may name; ``any`` applies to every file.
DATASET_KINDS: tuple[str, ...] = ("acled", "ucdp", "gtd", "gdelt", "any")
#: The dictionary's CSV header, in order.
FIELDS: tuple[str, ...] = (
    "dataset",
    "raw_name",
    "canonical",
    "short_name",
    "country",
    "valid_from",
    "valid_to",
    "certainty",
    "source",
)
ACTOR_COLUMNS: tuple[str, ...] = ("actor1", "actor2", "assoc_actors")
#: Suffix of the canonical-name columns an export adds beside the raw ones.
CANONICAL_SUFFIX = "_canonical"
_AND_OR = " and/or "


class DictionaryError(ValueError):
    """A dictionary file or entry that cannot be used; the message says which line and why."""


@dataclass(frozen=True)
class Entry:
    """One row of the dictionary: ``raw_name`` (or a ``*`` pattern) of ``dataset`` is
    ``canonical``, in ``countries`` (all when empty), between the dates (inclusive)."""

    dataset: str
    raw_name: str
    canonical: str
    short_name: str = ""
    countries: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    uncertain: bool = False
    source: str = ""

    @property
    def is_pattern(self) -> bool:
        return "*" in self.raw_name

    @property
    def conditional(self) -> bool:
        """Whether the entry depends on the event (its country or its date)."""
        return bool(self.countries) or self.valid_from is not None or self.valid_to is not None

    def as_row(self) -> dict[str, str]:
        return {
            "dataset": self.dataset,
            "raw_name": self.raw_name,
            "canonical": self.canonical,
            "short_name": self.short_name,
            "country": ";".join(self.countries),
            "valid_from": self.valid_from.isoformat() if self.valid_from else "",
            "valid_to": self.valid_to.isoformat() if self.valid_to else "",
            "certainty": "uncertain" if self.uncertain else "certain",
            "source": self.source,
        }

    @classmethod
    def from_row(cls, row: dict[str, str], where: str = "") -> Entry:
        def get(key: str) -> str:
            return (row.get(key) or "").strip()

        dataset = get("dataset").lower() or "any"
        if dataset not in DATASET_KINDS:
            raise DictionaryError(f"{where}dataset {dataset!r} is not one of {DATASET_KINDS}")
        raw, canonical = get("raw_name"), get("canonical")
        if not raw or not canonical:
            raise DictionaryError(f"{where}an entry needs a raw_name and a canonical name")
        certainty = get("certainty").lower() or "certain"
        if certainty not in ("certain", "uncertain"):
            raise DictionaryError(f"{where}certainty must be certain or uncertain")
        return cls(
            dataset=dataset,
            raw_name=raw,
            canonical=canonical,
            short_name=get("short_name"),
            countries=tuple(c.strip() for c in get("country").split(";") if c.strip()),
            valid_from=_date(get("valid_from"), where),
            valid_to=_date(get("valid_to"), where),
            uncertain=certainty == "uncertain",
            source=get("source"),
        )


def _date(text: str, where: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DictionaryError(f"{where}{text!r} is not a date (YYYY-MM-DD)") from None


def read_entries(text: str, origin: str = "dictionary") -> list[Entry]:
    """Entries from the dictionary's CSV text (header: :data:`FIELDS`)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [f for f in ("raw_name", "canonical") if f not in (reader.fieldnames or [])]
    if missing:
        raise DictionaryError(f"{origin}: no {', '.join(missing)} column")
    return [Entry.from_row(row, f"{origin} line {i}: ") for i, row in enumerate(reader, start=2)]


def entries_csv(entries: Iterable[Entry]) -> str:
    """The entries as dictionary CSV text (what :func:`read_entries` reads)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FIELDS), lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow(entry.as_row())
    return out.getvalue()


def shipped_entries() -> list[Entry]:
    """The dictionary shipped inside the package."""
    text = resources.files("timeline_app.model").joinpath("actor_dictionary.csv").read_text("utf-8")
    return read_entries(text, "actor_dictionary.csv")


class ActorDictionary:
    """An immutable set of entries, indexed for resolving names and queries.

    ``version`` is a hash of the entries (their CSV text), recorded by exports and
    workspaces so that a result can be tied to the dictionary that made it."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.version = hashlib.sha256(entries_csv(self.entries).encode()).hexdigest()[:16]
        self.canonicals: list[str] = list(dict.fromkeys(e.canonical for e in self.entries))
        self._id = {name: i for i, name in enumerate(self.canonicals)}
        self.short_names: list[str] = [""] * len(self.canonicals)
        for e in self.entries:
            k = self._id[e.canonical]
            self.short_names[k] = self.short_names[k] or e.short_name
        self._exact: dict[str, list[Entry]] = {}
        self._patterns: list[tuple[re.Pattern[str], Entry]] = []
        for e in self.entries:
            if e.is_pattern:
                parts = (re.escape(p) for p in fold(e.raw_name).split("*"))
                self._patterns.append((re.compile(".*".join(parts), re.DOTALL), e))
            else:
                self._exact.setdefault(fold(e.raw_name), []).append(e)

    def canonical_id(self, entry: Entry) -> int:
        return self._id[entry.canonical]

    def label(self, canonical_id: int) -> str:
        """How a canonical actor is shown: its short name, else its canonical name."""
        return self.short_names[canonical_id] or self.canonicals[canonical_id]

    @cached_property
    def aliases(self) -> dict[str, frozenset[int]]:
        """Folded entry point -> canonical ids: every canonical and short name, and the raw
        names of the certain entries that hold everywhere (a name scoped to some countries,
        like UCDP's ``IS``, is no alias of what it means there)."""
        index: dict[str, set[int]] = {}
        for e in self.entries:
            k = self._id[e.canonical]
            names = [e.canonical, e.short_name]
            if not e.uncertain and not e.conditional and not e.is_pattern:
                names.append(e.raw_name)
            for name in names:
                if name:
                    index.setdefault(fold(name), set()).add(k)
        return {name: frozenset(ids) for name, ids in index.items()}

    def query_ids(self, terms: Iterable[str]) -> frozenset[int]:
        """The canonical actors the user means by ``terms`` (any of their names or
        aliases, or a name that an unconditional certain pattern covers)."""
        ids: set[int] = set()
        for term in terms:
            key = fold(term)
            ids |= self.aliases.get(key, frozenset())
            for pattern, e in self._patterns:
                if not e.uncertain and not e.conditional and pattern.fullmatch(key):
                    ids.add(self._id[e.canonical])
        return frozenset(ids)

    def candidates(self, name: str, dataset_format: str) -> list[Entry]:
        """Entries that may apply to raw ``name`` in a file of ``dataset_format``. A file
        of no known source layout (the app's own, a mapped table) takes every entry."""
        key = fold(name)
        found = list(self._exact.get(key, ()))
        found += [e for pattern, e in self._patterns if pattern.fullmatch(key)]
        if dataset_format not in DATASET_KINDS:
            return found
        return [e for e in found if e.dataset in ("any", dataset_format)]


# -- the dictionary in use ---------------------------------------------------------------------
_ACTIVE: list[ActorDictionary] = []
_ACTIVE_LOCK = threading.Lock()


def active_dictionary() -> ActorDictionary:
    """The dictionary filters and exports use: the shipped entries until told otherwise."""
    with _ACTIVE_LOCK:
        if not _ACTIVE:
            _ACTIVE.append(ActorDictionary(shipped_entries()))
        return _ACTIVE[0]


def set_active_dictionary(dictionary: ActorDictionary) -> None:
    """Use ``dictionary`` from now on (the GUI, after the user edited entries)."""
    with _ACTIVE_LOCK:
        _ACTIVE[:] = [dictionary]


# -- resolving a table -------------------------------------------------------------------------
@dataclass
class ColumnActors:
    """One actor column resolved: per row an index into the combinations (-1: nothing
    known), and per combination the canonical ids it names, certain and uncertain."""

    codes: np.ndarray
    certain: list[frozenset[int]] = field(default_factory=list)
    uncertain: list[frozenset[int]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # canonical names; raw where unknown

    def hits(self, wanted: frozenset[int], include_uncertain: bool) -> np.ndarray:
        """A bool per combination (and a False for -1): it names one of ``wanted``."""
        out = np.zeros(len(self.certain) + 1, dtype=bool)
        for i, (sure, unsure) in enumerate(zip(self.certain, self.uncertain, strict=True)):
            out[i] = bool(sure & wanted) or (include_uncertain and bool(unsure & wanted))
        return out


class TableActors:
    """Every actor column of one table resolved through one dictionary."""

    def __init__(self, table: EventTable, dictionary: ActorDictionary) -> None:
        self.dictionary = dictionary
        self.columns: dict[str, ColumnActors] = {
            c: _resolve_column(table, dictionary, c) for c in ACTOR_COLUMNS
        }

    def mask(self, wanted: frozenset[int], include_uncertain: bool = False) -> np.ndarray:
        """Rows where any actor column names one of the canonical ids ``wanted``."""
        mask: np.ndarray | None = None
        for col in self.columns.values():
            lut = col.hits(wanted, include_uncertain)
            if not lut.any():
                continue
            hit = lut[col.codes]  # code -1 reads the last (False) item
            mask = hit if mask is None else mask | hit
        if mask is None:
            return np.zeros(len(next(iter(self.columns.values())).codes), dtype=bool)
        return mask

    def used_ids(self) -> frozenset[int]:
        """The canonical ids some row of the table names, certainly or not."""
        ids: set[int] = set()
        for col in self.columns.values():
            for sure, unsure in zip(col.certain, col.uncertain, strict=True):
                ids |= sure | unsure
        return frozenset(ids)


class _Memo:
    """Combinations of one column, each made once."""

    def __init__(self) -> None:
        self.index: dict[tuple[frozenset[int], frozenset[int], str], int] = {}
        self.column = ColumnActors(np.empty(0, np.int32))

    def code(self, certain: frozenset[int], uncertain: frozenset[int], label: str) -> int:
        if not certain and not uncertain:
            return -1
        key = (certain, uncertain, label)
        code = self.index.get(key)
        if code is None:
            code = self.index[key] = len(self.column.certain)
            self.column.certain.append(certain)
            self.column.uncertain.append(uncertain)
            self.column.labels.append(label)
        return code


def _resolve_column(table: EventTable, dictionary: ActorDictionary, column: str) -> ColumnActors:
    codes = table.codes(column)
    categories = [str(c) for c in table.df[column].cat.categories]
    memo = _Memo()
    out = np.full(len(table), -1, dtype=np.int32)
    countries = [str(c) for c in table.df["country"].cat.categories]
    for k, dataset in enumerate(table.datasets):
        lo, hi = int(table.offsets[k]), int(table.offsets[k + 1])
        local = codes[lo:hi]
        present = np.flatnonzero(np.bincount(local[local >= 0], minlength=len(categories)))
        lut = np.full(len(categories) + 1, -1, dtype=np.int32)
        conditional: dict[int, list[list[Entry]]] = {}
        for c in present:
            parts = _parts(categories[c], column)
            options = [dictionary.candidates(p, dataset.format) for p in parts]
            if any(e.conditional for opts in options for e in opts):
                conditional[int(c)] = options
                continue
            lut[c] = _combine(memo, dictionary, parts, options, lambda _e: True)
        out[lo:hi] = lut[local]
        if conditional:
            context = (categories, countries, lo, hi)
            _resolve_conditional(table, dictionary, memo, column, context, conditional, out)
    memo.column.codes = out
    return memo.column


def _resolve_conditional(
    table: EventTable,
    dictionary: ActorDictionary,
    memo: _Memo,
    column: str,
    context: tuple[list[str], list[str], int, int],
    conditional: dict[int, list[list[Entry]]],
    out: np.ndarray,
) -> None:
    """Rows whose name has entries scoped by country or date: resolved once per distinct
    (name, country, which date scopes hold), found with ``np.unique`` over those rows."""
    categories, countries, lo, hi = context
    codes = table.codes(column)[lo:hi]
    flagged = np.zeros(len(categories), dtype=bool)
    flagged[list(conditional)] = True
    rows = np.flatnonzero(flagged[np.maximum(codes, 0)] & (codes >= 0))
    dated = list(
        dict.fromkeys(
            e
            for options in conditional.values()
            for opts in options
            for e in opts
            if e.valid_from or e.valid_to
        )
    )
    start = table.start_ns[lo:hi][rows]
    keys = [codes[rows].astype(np.int64), table.codes("country")[lo:hi][rows].astype(np.int64)]
    keys += [_within(start, e).astype(np.int64) for e in dated]
    unique, inverse = np.unique(np.stack(keys, axis=1), axis=0, return_inverse=True)
    folded = [fold(c) for c in countries]
    results = np.empty(len(unique), dtype=np.int32)
    for u, key in enumerate(unique):  # distinct contexts, not rows
        country = folded[key[1]] if key[1] >= 0 else None
        holds = {e for e, flag in zip(dated, key[2:], strict=True) if flag}
        c = int(key[0])
        parts = _parts(categories[c], column)
        results[u] = _combine(memo, dictionary, parts, conditional[c], in_context(country, holds))
    out[lo + rows] = results[inverse.reshape(-1)]


def in_context(country: str | None, holds: set[Entry]) -> Callable[[Entry], bool]:
    """Whether an entry applies to a row of this (folded) country, given the dated
    entries whose dates hold for its start."""

    def applies(e: Entry) -> bool:
        if e.countries and (country is None or country not in {fold(c) for c in e.countries}):
            return False
        return not (e.valid_from or e.valid_to) or e in holds

    return applies


def name_options(
    dictionary: ActorDictionary, name: str, column: str, dataset_format: str
) -> tuple[list[str], list[list[Entry]]]:
    """The parts of one raw name of ``column`` and the entries that may apply to each."""
    parts = _parts(name, column)
    return parts, [dictionary.candidates(p, dataset_format) for p in parts]


def name_ids(
    dictionary: ActorDictionary,
    parts: list[str],
    options: list[list[Entry]],
    applies: Callable[[Entry], bool],
) -> tuple[frozenset[int], frozenset[int]]:
    """The canonical ids (certain, uncertain) one name stands for where ``applies`` says
    which entries hold: the resolution a table's rows get, for one name."""
    memo = _Memo()
    code = _combine(memo, dictionary, parts, options, applies)
    if code < 0:
        return frozenset(), frozenset()
    return memo.column.certain[code], memo.column.uncertain[code]


def _within(start_ns: np.ndarray, entry: Entry) -> np.ndarray:
    ok = start_ns != NAT_NS
    if entry.valid_from is not None:
        ok &= start_ns >= pd.Timestamp(entry.valid_from).value
    if entry.valid_to is not None:
        ok &= start_ns < pd.Timestamp(entry.valid_to).value + NS_PER_DAY
    out: np.ndarray = ok
    return out


def _parts(name: str, column: str) -> list[str]:
    if column != "assoc_actors":
        return [name]
    return [p.strip() for p in name.split(ACTOR_SEPARATOR) if p.strip()]


def _combine(
    memo: _Memo,
    dictionary: ActorDictionary,
    parts: list[str],
    options: list[list[Entry]],
    applies: Callable[[Entry], bool],
) -> int:
    """The combination code for one name (its parts) given which entries apply."""
    certain: set[int] = set()
    uncertain: set[int] = set()
    labels: list[str] = []
    for part, opts in zip(parts, options, strict=True):
        usable = [e for e in opts if applies(e)]
        sure = {dictionary.canonical_id(e) for e in usable if not e.uncertain}
        unsure = {dictionary.canonical_id(e) for e in usable if e.uncertain}
        if not sure and not unsure and _AND_OR in part:
            # "X and/or Y": an attribution the source could not settle, never X or Y.
            for side in part.split(_AND_OR):
                unsure |= {
                    dictionary.canonical_id(e)
                    for e in dictionary.candidates(side.strip(), "")
                    if not e.uncertain and not e.conditional
                }
        certain |= sure
        uncertain |= unsure - sure
        labels.append("; ".join(dictionary.canonicals[i] for i in sorted(sure)) if sure else part)
    return memo.code(frozenset(certain), frozenset(uncertain), "; ".join(labels))


#: (dictionary version, the table's actors through it): one dictionary at a time is in use.
_RESOLVED = PerTable[tuple[str, "TableActors"]]("actors: resolved through the dictionary")


def table_actors(table: EventTable, dictionary: ActorDictionary | None = None) -> TableActors:
    """``table``'s actors resolved through ``dictionary`` (the active one by default);
    kept while the table lives (about 0.1 s at 1M ACLED rows)."""
    dictionary = dictionary or active_dictionary()
    kept = _RESOLVED.peek(table)
    if kept is not None and kept[0] == dictionary.version:
        return kept[1]
    with _RESOLVING:  # a second thread asking meanwhile waits for the first's result
        kept = _RESOLVED.peek(table)
        if kept is not None and kept[0] == dictionary.version:
            return kept[1]
        found = TableActors(table, dictionary)
        _RESOLVED.put(table, (dictionary.version, found))
    return found


#: One resolution at a time: the filter's worker, the counts' and the warm-up may all
#: ask for the same table's at once after an open.
_RESOLVING = threading.Lock()


def resolution_pending(table: EventTable, terms: Sequence[str]) -> bool:
    """Whether filtering by ``terms`` through the dictionary would first resolve the
    table's actors (:func:`table_actors` not kept yet: ~0.5 s at 1M rows)."""
    dictionary = active_dictionary()
    kept = _RESOLVED.peek(table)
    if kept is not None and kept[0] == dictionary.version:
        return False
    return bool(dictionary.query_ids(terms))


def alias_mask(
    table: EventTable,
    terms: Sequence[str],
    include_uncertain: bool = False,
    dictionary: ActorDictionary | None = None,
) -> np.ndarray:
    """Rows where an actor is one the ``terms`` name through the dictionary (the raw
    names themselves are matched by the filter's own kernel)."""
    dictionary = dictionary or active_dictionary()
    wanted = dictionary.query_ids(terms)
    if not wanted or not len(table):
        return np.zeros(len(table), dtype=bool)
    return table_actors(table, dictionary).mask(wanted, include_uncertain)


def canonical_columns(
    table: EventTable, rows: np.ndarray, dictionary: ActorDictionary | None = None
) -> dict[str, pa.Array[Any]]:
    """``actor1_canonical``… for ``rows``: the canonical names of each actor column, the
    raw name where the dictionary knows none (empty stays empty)."""
    resolved = table_actors(table, dictionary)
    out: dict[str, pa.Array[Any]] = {}
    for column, col in resolved.columns.items():
        codes = col.codes[rows]
        labels = pa.array(col.labels, type=pa.string())
        canonical = labels.take(pa.array(codes, mask=codes < 0))
        raw_names = pa.array([str(c) for c in table.df[column].cat.categories], type=pa.string())
        raw_codes = table.codes(column)[rows]
        raw = raw_names.take(pa.array(raw_codes, mask=raw_codes < 0))
        out[column + CANONICAL_SUFFIX] = pc.coalesce(canonical, raw)
    return out
