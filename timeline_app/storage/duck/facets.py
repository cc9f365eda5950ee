"""The Filters dock's lists from SQL: the memory engine's own counting (model/facets.py,
model/actor_facet.py) run over a small table of the data's distinct facet values, each
row weighted by the events it stands for, so the numbers are the memory engine's.

One query groups, per dataset:

- the actor names (actor1, actor2, associated), with the country and which of the
  dictionary's dates the start lies between where an entry scopes a name to countries
  or dates (the memory engine resolves such a name per context: one row per context);
- the places (country, admin1, admin2);
- the categories, event types and sub-event types.

Each group is a row of the *facet table*, an :class:`EventTable` built once (and again
when the actor dictionary changes), also kept in DuckDB with its row numbers: the lists'
values and trees come from it as they come from a table in memory. A filter's counts
are per group the events each field's "other filters" keep: the weights of the memory
engine's counts. A filter of lists only counts them from the cube (facet_cube.py: no
event read), made once in the background (:meth:`FacetCounter.prepare`); any other
filter, or before the cube is made, by one scan of the events (facet_scan.py).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from timeline_app.model.actor_facet import list_counts
from timeline_app.model.actors import (
    ACTOR_COLUMNS,
    ActorDictionary,
    active_dictionary,
    name_options,
)
from timeline_app.model.events import EventTable
from timeline_app.model.facets import region_tree
from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.model.units import NS_PER_DAY
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.aliases import PARQUET_FORMAT
from timeline_app.storage.duck.day_index import DayIndex, build_index
from timeline_app.storage.duck.facet_cube import (
    REGION_COLUMNS,
    FacetCube,
    build_cube,
    cube_counts,
    event_table,
    lists_only,
)
from timeline_app.storage.duck.facet_scan import (
    ACTORS,
    KEY_COLUMNS,
    PLACE_COLUMNS,
    PLACES,
    VALUE_COLUMNS,
    VALUES,
    scan_counts,
)
from timeline_app.storage.duck.source import VIEW
from timeline_app.storage.duck.where import text_condition

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine

#: The part of the facet table each filter field's counts read.
FIELD_PART = {
    "actors": ACTORS,
    "regions": PLACES,
    "categories": VALUES,
    "event_types": VALUES,
    "sub_event_types": VALUES,
    "datasets": VALUES,
}
#: The lists' columns whose distinct values a filter's SQL lists (the actors' are read
#: with the facet table).
WARM_COLUMNS = (*REGION_COLUMNS, *VALUE_COLUMNS, "dataset")
#: Where the facet query's count goes.
AGGREGATES = "__AGGREGATES__"


@dataclass(eq=False)
class FacetTable:
    """The data's distinct facet values as a table (see the module's doc)."""

    table: EventTable
    part: np.ndarray  # per row: ACTORS, PLACES or VALUES
    events: np.ndarray  # per row: the events it stands for, unfiltered
    dictionary_version: str
    rows_table: str = ""  # the rows in DuckDB: __row (their number here) and their columns

    def rows(self) -> dict[str, np.ndarray]:
        return {name: self.part == FIELD_PART[name] for name in VALUE_FIELDS}


class FacetCounter:
    """The Filters dock's lists and counts over one engine's data."""

    def __init__(self, engine: DuckEngine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._building = threading.Lock()  # one facet table built at a time
        self._cubing = threading.Lock()  # one cube built at a time
        self._table: FacetTable | None = None
        self._sql: tuple[str, str, tuple[str, str]] | None = None  # version, SQL, actors'
        self._cube: tuple[str, FacetCube | None] | None = None  # (dictionary version, cube)
        self._indexing = threading.Lock()  # one day index built at a time
        self._days: tuple[str, DayIndex | None] | None = None  # (dictionary version, index)
        self._text: str | None = None  # the text whose keys facet_text_keys holds
        #: How the last counts were made: "none" (no filter), "cube" or "scan" (tests).
        self.last_path = ""

    def facet_table(self) -> FacetTable:
        dictionary = active_dictionary()
        with self._lock:
            known = self._table
        if known is not None and known.dictionary_version == dictionary.version:
            return known
        with self._building:  # another thread's build: wait for it, then use it
            with self._lock:
                known = self._table
            if known is not None and known.dictionary_version == dictionary.version:
                return known
            made = self._build(dictionary)
            with self._lock:
                self._table = made
            return made

    def _build(self, dictionary: ActorDictionary) -> FacetTable:
        name = self._name("facet_rows", dictionary)
        order = ", ".join(f"{sql.ident(c)} NULLS FIRST" for c in KEY_COLUMNS)
        self.engine.query(
            f"CREATE OR REPLACE TABLE {name} AS SELECT row_number() OVER "
            f"(ORDER BY __d, __kind, {order}) - 1 AS __row, * FROM ("
            + self._group_sql(dictionary).replace(AGGREGATES, "count(*) AS w0")
            + ")"
        )
        found = self.engine.query(f"SELECT * EXCLUDE (__row) FROM {name} ORDER BY __row")
        frame: pd.DataFrame = found.to_pandas()
        names = self.engine.dataset_names
        table = event_table(frame.rename(columns={"__start": "start", "__end": "end"}), names)
        weights = frame["w0"].to_numpy(np.float64)
        part = frame["__kind"].to_numpy(np.int8)
        made = FacetTable(table, part, weights, dictionary.version, name)
        region_tree(table, np.where(part == PLACES, weights, 0.0))  # spellings by their events
        return made

    def prepare(self, days: bool = True) -> bool:
        """Make the cube of the current actor dictionary's facet table, once (a filter
        of lists then reads no event), and read the lists' distinct values (the first
        filter's SQL needs them); then (``days``) the timeline's day index over the
        cube's groups (day_index.py). True when there is a cube."""
        facet = self.facet_table()
        for column in WARM_COLUMNS:  # what compiling the first filter of lists reads
            self.engine.distinct(column)
        with self._cubing:
            with self._lock:
                known = self._cube
            if known is None or known[0] != facet.dictionary_version:
                dictionary = active_dictionary()
                name = self._name("facet_places", dictionary)
                exprs = self._actor_exprs(dictionary)
                cube = build_cube(self.engine, facet, exprs, name)
                with self._lock:
                    self._cube = known = (facet.dictionary_version, cube)
        if days and known[1] is not None:
            self._prepare_days(facet, known[1])
        return known[1] is not None

    def _prepare_days(self, facet: FacetTable, cube: FacetCube) -> None:
        with self._indexing:
            with self._lock:
                known = self._days
            if known is None or known[0] != facet.dictionary_version:
                exprs = self._actor_exprs(active_dictionary())
                index = build_index(self.engine, facet, cube, exprs)
                with self._lock:
                    self._days = (facet.dictionary_version, index)

    def day_index(self) -> DayIndex | None:
        """The timeline's day index of the current dictionary's facet table, once made
        (else None: the timeline counts by SQL)."""
        with self._lock:
            known, table = self._days, self._table
        version = active_dictionary().version
        if known is None or known[0] != version or table is None:
            return None
        return known[1] if table.dictionary_version == version else None

    def has_cube(self) -> bool:
        """The cube of the current dictionary's facet table is made (and usable)."""
        with self._lock:
            known, table = self._cube, self._table
        version = active_dictionary().version
        return (
            known is not None
            and known[1] is not None
            and known[0] == version
            and table is not None
            and table.dictionary_version == version
        )

    def counts(self, spec: FilterSpec) -> tuple[FacetTable, dict[str, Any]]:
        """The facet table and what model/actor_facet.filter_list_counts gives for
        ``spec`` over the whole data."""
        facet = self.facet_table()
        rows = facet.rows()
        with self._lock:
            known = self._cube
        cube = known[1] if known is not None and known[0] == facet.dictionary_version else None
        lists = lists_only(self.engine, spec)
        if lists and not any(getattr(spec, name) for name in VALUE_FIELDS):
            self.last_path = "none"
            counted = {name: facet.events for name in VALUE_FIELDS}
        elif lists and cube is not None:
            self.last_path = "cube"
            counted = cube_counts(facet, cube, spec)
        else:
            self.last_path = "scan"
            keys = self._text_keys(spec.text) if spec.text.strip() else None
            exprs = self._actor_exprs(active_dictionary())
            hashes = cube.row_hash if cube is not None else None
            counted = scan_counts(self.engine, facet, spec, exprs, keys, hashes)
        weights = {name: np.where(rows[name], counted[name], 0.0) for name in VALUE_FIELDS}
        return facet, list_counts(facet.table, spec, rows, weights)

    # -- the query --------------------------------------------------------------------------
    def _name(self, prefix: str, dictionary: ActorDictionary) -> str:
        """A table of this counter's, for ``dictionary``."""
        digest = hashlib.sha1(dictionary.version.encode()).hexdigest()[:12]
        return f"{prefix}_{id(self):x}_{digest}"

    def _group_sql(self, dictionary: ActorDictionary) -> str:
        return self._queries(dictionary)[0]

    def _actor_exprs(self, dictionary: ActorDictionary) -> tuple[str, str]:
        """The actors part's scoped country and date bucket, as SQL over the events."""
        return self._queries(dictionary)[1]

    def _queries(self, dictionary: ActorDictionary) -> tuple[str, tuple[str, str]]:
        with self._lock:
            known = self._sql
        if known is not None and known[0] == dictionary.version:
            return known[1], known[2]
        scoped, bounds = self._scoped(dictionary)
        country = f"CASE WHEN {scoped} THEN country END"
        if bounds:  # which of the dated entries' bounds the start is past
            past = " + ".join(f"(start >= {sql.timestamp_ns(b)})::INTEGER" for b in bounds)
            bucket = f"CASE WHEN {scoped} THEN {past} END"
        else:
            bucket = "NULL::INTEGER"
        common = f'dataset, min(start) AS __start, max("end") AS __end, {AGGREGATES}'
        actors = ", ".join(sql.ident(c) for c in ACTOR_COLUMNS)
        places = ", ".join(sql.ident(c) for c in PLACE_COLUMNS)
        values = ", ".join(sql.ident(c) for c in VALUE_COLUMNS)
        selects = [
            f"SELECT {ACTORS} AS __kind, {actors}, {country} AS country, "
            f"{bucket} AS __bucket, {common} FROM {VIEW} GROUP BY ALL",
            f"SELECT {PLACES} AS __kind, {places}, {common} FROM {VIEW} GROUP BY ALL",
            f"SELECT {VALUES} AS __kind, {values}, {common} FROM {VIEW} GROUP BY ALL",
        ]
        names = "[" + ", ".join(sql.text(name) for name in self.engine.dataset_names) + "]"
        text = (
            f"SELECT list_position({names}, dataset) - 1 AS __d, * FROM ("
            + " UNION ALL BY NAME ".join(f"({s})" for s in selects)
            + ")"
        )
        with self._lock:
            self._sql = (dictionary.version, text, (country, bucket))
        return text, (country, bucket)

    def _text_keys(self, text: str) -> str:
        """A table of the keys of the rows whose text matches ``text`` (the last one
        asked is kept: the filter's other changes reuse it)."""
        name = "facet_text_keys"
        with self._lock:
            known = self._text == text
        if not known:
            self.engine.query(
                f"CREATE OR REPLACE TABLE {name} AS SELECT __key AS key FROM {VIEW} "
                f"WHERE {text_condition(self.engine, text)}"
            )
            with self._lock:
                self._text = text
        return name

    def _scoped(self, dictionary: ActorDictionary) -> tuple[str, list[int]]:
        """Where a row names an actor the dictionary scopes to countries or dates, and
        the bounds of those dates (ns)."""
        clauses, bounds = [], set()
        for column in ACTOR_COLUMNS:
            names = []
            for name in self.engine.distinct(column):
                _parts, options = name_options(dictionary, name, column, PARQUET_FORMAT)
                entries = [e for opts in options for e in opts if e.conditional]
                if entries:
                    names.append(name)
                for e in entries:
                    if e.valid_from is not None:
                        bounds.add(int(pd.Timestamp(e.valid_from).value))
                    if e.valid_to is not None:
                        bounds.add(int(pd.Timestamp(e.valid_to).value) + NS_PER_DAY)
            clauses.append(sql.in_list(column, names))
        return sql.any_of(clauses), sorted(bounds)
