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
when the actor dictionary changes): the lists' values and trees come from it as they
come from a table in memory. A filter's counts run the same query in the same order,
counting per group the events each field's "other filters" keep
(``count(*) FILTER (WHERE …)``): those are the weights of the memory engine's counts.
"""

from __future__ import annotations

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
from timeline_app.model.dataset import Dataset, LoadReport
from timeline_app.model.events import EventTable
from timeline_app.model.facets import region_tree
from timeline_app.model.filter_spec import VALUE_FIELDS, FilterSpec
from timeline_app.model.schema import conform
from timeline_app.model.units import NS_PER_DAY
from timeline_app.storage.duck import sql
from timeline_app.storage.duck.aliases import PARQUET_FORMAT
from timeline_app.storage.duck.source import VIEW
from timeline_app.storage.duck.where import text_condition

if TYPE_CHECKING:
    from timeline_app.storage.duck.engine import DuckEngine

#: The facet table's parts, and the part each filter field's counts read.
ACTORS, PLACES, VALUES = 0, 1, 2
FIELD_PART = {
    "actors": ACTORS,
    "regions": PLACES,
    "categories": VALUES,
    "event_types": VALUES,
    "sub_event_types": VALUES,
    "datasets": VALUES,
}
PLACE_COLUMNS = ("country", "admin1", "admin2")  # the region tree's levels
VALUE_COLUMNS = ("category", "event_type", "sub_event_type")
#: Where the query's counts go (the groups are the same whatever is counted), and what
#: it reads (the events, with the keys a text filter keeps joined).
AGGREGATES, SOURCE = "__AGGREGATES__", "__SOURCE__"
KEY_COLUMNS = (*ACTOR_COLUMNS, *PLACE_COLUMNS, *VALUE_COLUMNS, "__bucket")


@dataclass(eq=False)
class FacetTable:
    """The data's distinct facet values as a table (see the module's doc)."""

    table: EventTable
    part: np.ndarray  # per row: ACTORS, PLACES or VALUES
    events: np.ndarray  # per row: the events it stands for, unfiltered
    dictionary_version: str

    def rows(self) -> dict[str, np.ndarray]:
        return {name: self.part == FIELD_PART[name] for name in VALUE_FIELDS}


class FacetCounter:
    """The Filters dock's lists and counts over one engine's data."""

    def __init__(self, engine: DuckEngine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._table: FacetTable | None = None
        self._sql: tuple[str, str] | None = None  # (dictionary version, the GROUP BY)
        self._text: str | None = None  # the text whose keys facet_text_keys holds

    def facet_table(self) -> FacetTable:
        dictionary = active_dictionary()
        with self._lock:
            known = self._table
        if known is not None and known.dictionary_version == dictionary.version:
            return known
        found = self._grouped(dictionary, ["count(*) AS w0"])
        names = [item.name for item in self.engine.inputs]
        parts = []
        for k, name in enumerate(names):  # one dataset per input, as the memory engine's
            frame = found[found["__d"] == k]
            events = conform(
                frame.rename(columns={"__start": "start", "__end": "end"})
                .drop(columns=["dataset"])
                .reset_index(drop=True)
            )
            parts.append(Dataset(name, events, LoadReport(PARQUET_FORMAT), format=PARQUET_FORMAT))
        table = EventTable(parts)
        weights = found["w0"].to_numpy(np.float64)
        part = found["__kind"].to_numpy(np.int8)
        made = FacetTable(table, part, weights, dictionary.version)
        region_tree(table, np.where(part == PLACES, weights, 0.0))  # spellings by their events
        with self._lock:
            self._table = made
        return made

    def counts(self, spec: FilterSpec) -> tuple[FacetTable, dict[str, Any]]:
        """The facet table and what model/actor_facet.filter_list_counts gives for
        ``spec`` over the whole data."""
        facet = self.facet_table()
        rows = facet.rows()
        source = VIEW
        if spec.text.strip():
            # The text test (regular expressions over the notes: the slow part) once per
            # row, not once per part and field: the rows it keeps, joined.
            source = f"{VIEW} LEFT JOIN {self._text_keys(spec.text)} AS __t ON __t.key = __key"
            kept = "__t.key IS NOT NULL"
            conditions = {
                name: sql.all_of([self.engine.where(spec.without(name).with_(text="")), kept])
                for name in VALUE_FIELDS
            }
        else:
            conditions = {name: self.engine.where(spec.without(name)) for name in VALUE_FIELDS}
        distinct = list(dict.fromkeys(conditions.values()))
        if distinct == ["true"]:
            counted = {name: facet.events for name in VALUE_FIELDS}
        else:
            aggregates = [
                f"count(*) FILTER (WHERE {text}) AS w{i}" for i, text in enumerate(distinct)
            ]
            found = self._grouped(active_dictionary(), aggregates, source)
            if len(found) != len(facet.events):  # the data changed under the engine
                raise RuntimeError("the facet groups changed: open the dataset again")
            counted = {
                name: found[f"w{distinct.index(text)}"].to_numpy(np.float64)
                for name, text in conditions.items()
            }
        weights = {name: np.where(rows[name], counted[name], 0.0) for name in VALUE_FIELDS}
        return facet, list_counts(facet.table, spec, rows, weights)

    # -- the query --------------------------------------------------------------------------
    def _grouped(
        self, dictionary: ActorDictionary, aggregates: list[str], source: str = VIEW
    ) -> pd.DataFrame:
        text = self._group_sql(dictionary).replace(AGGREGATES, ", ".join(aggregates))
        text = text.replace(SOURCE, source)
        frame: pd.DataFrame = self.engine.query(text).to_pandas()
        return frame

    def _group_sql(self, dictionary: ActorDictionary) -> str:
        with self._lock:
            known = self._sql
        if known is not None and known[0] == dictionary.version:
            return known[1]
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
            f"{bucket} AS __bucket, {common} FROM {SOURCE} GROUP BY ALL",
            f"SELECT {PLACES} AS __kind, {places}, {common} FROM {SOURCE} GROUP BY ALL",
            f"SELECT {VALUES} AS __kind, {values}, {common} FROM {SOURCE} GROUP BY ALL",
        ]
        names = "[" + ", ".join(sql.text(item.name) for item in self.engine.inputs) + "]"
        # One order for every run (groups are unique), so the counts line up with the rows.
        order = ", ".join(f"{sql.ident(c)} NULLS FIRST" for c in KEY_COLUMNS)
        text = (
            f"SELECT list_position({names}, dataset) - 1 AS __d, * FROM ("
            + " UNION ALL BY NAME ".join(f"({s})" for s in selects)
            + f") ORDER BY __d, __kind, {order}"
        )
        with self._lock:
            self._sql = (dictionary.version, text)
        return text

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
