"""The Filters dock's actor list through the actor dictionary: each canonical actor with
the raw spellings under it, and the count of each, by the rule the actor filter uses.

A node is what a tick puts in ``FilterSpec.actors`` (its ``term``):

- a canonical actor: its short name (else its canonical name), which the filter widens to
  every spelling the dictionary gives it, so its count is the events the filter keeps
  when it alone is ticked (certain attributions; uncertain ones too when the spec
  includes them);
- a raw spelling under it: ``=`` and the name as the source wrote it (that spelling only,
  see :func:`timeline_app.model.filters.field_mask`), counted as such; a spelling the
  dictionary gives its actor only as an uncertain attribution ("X and/or Y") is marked so;
- a raw name no entry covers: the name itself.

With ``actor_aliases`` off the list is the raw names alone, as before the dictionary.

Counting is numpy over codes: each row's three resolved actor combinations are one
*signature* (factorized once per table); a count is a ``bincount`` of the signatures of
the rows asked about, spread to the canonical actors each signature names. Python loops
run over distinct names and signatures (a few thousand), never over rows.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from timeline_app.model.actors import ACTOR_COLUMNS, ActorDictionary, TableActors, active_dictionary
from timeline_app.model.actors import table_actors as resolve
from timeline_app.model.events import EventTable
from timeline_app.model.facets import actor_counts, actor_index, counts_for, others_masks
from timeline_app.model.filter_spec import FilterSpec
from timeline_app.model.filters import EXACT_ACTOR as EXACT
from timeline_app.model.filters import field_mask, value_mask
from timeline_app.model.messages import N_
from timeline_app.model.table_cache import PerTable
from timeline_app.model.text import fold

T = TypeVar("T")
K = TypeVar("K")


@dataclass(eq=False)  # kept by identity (a cache key)
class ActorTree:
    """Nodes of the actor list. ``parent[i]`` is -1 at the top level; ``actor[i]`` the raw
    spelling's number in :func:`facets.actor_index` (-1 for a canonical actor), ``canonical``
    the canonical id (-1 for a raw name)."""

    names: list[str]
    terms: list[str]
    tips: list[str]
    parent: np.ndarray
    children: list[list[int]]
    actor: np.ndarray
    canonical: np.ndarray
    uncertain: np.ndarray  # a spelling given to its parent only as an uncertain attribution
    direct: np.ndarray  # a canonical actor whose term also names raw spellings outside it
    aliases: bool  # built through the dictionary (else: the raw names only)
    also: list[str]  # another term that ticks the node (a canonical actor's full name)
    keys: list[str]  # what the list's search box finds it by (folded; an actor's aliases)
    #: A spelling's plain name (no "=": every name of its actor, as the command line's
    #: --actor or an old workspace gives it) -> its canonical actor's node, where that
    #: name keeps exactly the actor's events (so the filter shows on the actor's own row).
    plain: dict[str, int] = field(default_factory=dict)

    @cached_property
    def roots(self) -> list[int]:
        """The top nodes, kept: Qt's tree view and its sort proxy ask for them on every
        index() (160,000 times per filter change at 100k rows: seconds when rebuilt)."""
        roots: list[int] = np.flatnonzero(self.parent < 0).tolist()
        return roots

    @cached_property
    def folded_names(self) -> list[str]:
        """Each node's name folded (what the list orders equal counts by)."""
        return [fold(name) for name in self.names]

    @cached_property
    def search_keys(self) -> list[str]:
        """What the list's search box finds each node by: ``keys``, and "uncertain" for a
        spelling given only as an uncertain attribution."""
        mark = " | uncertain"
        return [
            k + mark if u else k for k, u in zip(self.keys, self.uncertain.tolist(), strict=True)
        ]

    @cached_property
    def term_index(self) -> dict[str, int]:
        """Node of each folded term (a tree never changes once built)."""
        return _build_term_index(self)


@dataclass
class _Signatures:
    of_row: np.ndarray  # per row, its signature
    count: int
    certain: tuple[np.ndarray, np.ndarray]  # (signature, canonical id) pairs
    uncertain: tuple[np.ndarray, np.ndarray]


def actor_tree(
    table: EventTable, aliases: bool = True, dictionary: ActorDictionary | None = None
) -> ActorTree:
    """The actor list's nodes for ``table`` (kept while the table lives)."""
    dictionary = dictionary or active_dictionary()
    key = (dictionary.version if aliases else "", aliases)
    return _kept(_TREES.get(table, dict), key, lambda: _with_index(table, aliases, dictionary))


def _with_index(table: EventTable, aliases: bool, dictionary: ActorDictionary) -> ActorTree:
    tree = _build_tree(table, aliases, dictionary)
    # Made with the tree (on the counting thread, which builds it first): the first ticked
    # actor looks its node up on the UI thread, where this fold of every term took ~25 ms.
    _term_index(tree)
    return tree


def tree_counts(
    table: EventTable,
    tree: ActorTree,
    spec: FilterSpec,
    rows: np.ndarray,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Events per node among ``rows`` (the rows every filter but the actors' keeps);
    ``weights``: the events each row stands for (a table of distinct actor names)."""
    raw = actor_counts(table, rows, weights)
    counts = np.zeros(len(tree.names), dtype=np.float64)
    spelled = tree.actor >= 0
    counts[spelled] = raw[tree.actor[spelled]]
    if not tree.aliases:
        return counts
    dictionary = resolve(table).dictionary
    sig = _signatures(table, dictionary)
    w = None if weights is None else weights[rows]
    per_sig = np.bincount(sig.of_row[rows], weights=w, minlength=sig.count).astype(np.float64)
    by_id = np.zeros(len(dictionary.canonicals), dtype=np.float64)
    pairs = [sig.certain] + ([sig.uncertain] if spec.include_uncertain_actors else [])
    for sigs, ids in pairs:
        by_id += np.bincount(ids, weights=per_sig[sigs], minlength=len(by_id))
    actors = np.flatnonzero(tree.canonical >= 0)
    counts[actors] = by_id[tree.canonical[actors]]
    for node in np.flatnonzero(tree.direct):  # rare: the term names raw spellings too
        counts[node] = _events(term_mask(table, tree.terms[node], spec) & rows, weights)
    return counts


def _events(rows: np.ndarray, weights: np.ndarray | None) -> float:
    """The events of ``rows`` (each row one event, or the events of its weight)."""
    return float(np.count_nonzero(rows) if weights is None else weights[rows].sum())


def term_mask(table: EventTable, term: str, spec: FilterSpec) -> np.ndarray:
    """The rows the actor filter keeps for ``term`` alone, as ``spec`` would match it."""
    return field_mask(table, spec.with_(actors=(term,)), "actors")


def filter_list_counts(table: EventTable, spec: FilterSpec, mask: np.ndarray) -> dict[str, Any]:
    """What every list of the filter panel counts: per value field, the counts of its
    values under the other active filters; for the actors, the tree through the
    dictionary and its counts by the rule the filter uses, then the ticked terms it has
    no node for."""
    return list_counts(table, spec, others_masks(table, spec, mask))


def list_counts(
    table: EventTable,
    spec: FilterSpec,
    rows: dict[str, np.ndarray],
    weights: dict[str, np.ndarray] | None = None,
) -> dict[str, Any]:
    """:func:`filter_list_counts` given each field's rows under the other filters, and
    each row's events per field when ``table`` holds distinct values (the DuckDB
    engine's counts, storage/duck/facets.py)."""
    w = weights or {}
    counts: dict[str, Any] = {
        name: counts_for(table, name, rows[name], w.get(name)) for name in rows if name != "actors"
    }
    tree = actor_tree(table, spec.actor_aliases)
    actor_rows, actor_weights = rows["actors"], w.get("actors")
    nodes = tree_counts(table, tree, spec, actor_rows, actor_weights)
    extras = [t for t in dict.fromkeys(spec.actors) if node_of_term(tree, t) < 0]
    more = [_events(term_mask(table, t, spec) & actor_rows, actor_weights) for t in extras]
    counts["actors"] = (tree, np.concatenate([nodes, np.asarray(more, dtype=np.float64)]))
    return counts


def node_of_term(tree: ActorTree, term: str) -> int:
    """The node a ticked term checks (-1 when none): its own, or a canonical actor's by
    its canonical name."""
    key = fold(term)
    return _term_index(tree).get(key, -1)


# -- building -------------------------------------------------------------------------------------
def _build_tree(table: EventTable, aliases: bool, dictionary: ActorDictionary) -> ActorTree:
    index = actor_index(table)
    nodes = _Nodes()
    if not aliases or not len(table):
        for a, name in enumerate(index.names):
            nodes.add(name, name, name, -1, a, -1)
        return nodes.tree(aliases=False)
    resolved = resolve(table, dictionary)
    members = _members(table, dictionary)
    raw_folded = set(index.folded)
    names_of: dict[int, list[str]] = {}  # canonical id -> its folded names and aliases
    for name, ids in dictionary.aliases.items():
        for k in ids:
            names_of.setdefault(k, []).append(name)
    under: set[int] = set()
    listed = Counter(a for spellings in members.values() for a in spellings)

    def same_actor(a: int, name: str, label: str, k: int) -> bool:
        # The plain name and the actor's term widen to the same one actor (the filter
        # adds the rows spelled exactly so; those are this actor's, listed under it alone).
        return listed[a] == 1 and (
            dictionary.query_ids([name]) == dictionary.query_ids([label]) == {k}
        )

    for k in sorted(members, key=lambda k: fold(dictionary.label(k))):
        label = dictionary.label(k)
        canonical = dictionary.canonicals[k]
        tip = canonical if canonical == label else f"{label}: {canonical}"
        node = nodes.add(label, label, tip, -1, -1, k)
        nodes.also[node] = canonical
        nodes.keys[node] = " | ".join([fold(label), *names_of.get(k, [])])
        nodes.direct[node] = _names_others(table, resolved, dictionary, k, label, raw_folded)
        for a, unsure in sorted(members[k].items(), key=lambda m: index.folded[m[0]]):
            name = index.names[a]
            tip = (
                N_("uncertain attribution: {name} (as the source wrote it)", name=name)
                if unsure
                else N_("{name} (as the source wrote it)", name=name)
            )
            child = nodes.add(name, EXACT + name, tip, node, a)
            nodes.uncertain[child] = unsure
            under.add(a)
            if not unsure and not nodes.direct[node] and same_actor(a, name, label, k):
                nodes.plain.setdefault(fold(name), node)
    for a, name in enumerate(index.names):
        if a not in under:
            # A name the dictionary knows (here it names no row) would widen: keep it exact.
            exact = bool(dictionary.query_ids([name]))
            nodes.add(name, EXACT + name if exact else name, name, -1, a, -1)
    return nodes.tree(aliases=True)


class _Nodes:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.terms: list[str] = []
        self.tips: list[str] = []
        self.parent: list[int] = []
        self.actor: list[int] = []
        self.canonical: list[int] = []
        self.uncertain: dict[int, bool] = {}
        self.direct: dict[int, bool] = {}
        self.also: dict[int, str] = {}
        self.keys: dict[int, str] = {}
        self.plain: dict[str, int] = {}

    def add(self, name: str, term: str, tip: str, parent: int, actor: int, k: int = -1) -> int:
        self.names.append(name)
        self.terms.append(term)
        self.tips.append(tip)
        self.parent.append(parent)
        self.actor.append(actor)
        self.canonical.append(k)
        return len(self.names) - 1

    def tree(self, aliases: bool) -> ActorTree:
        n = len(self.names)
        children: list[list[int]] = [[] for _ in range(n)]
        for node, up in enumerate(self.parent):
            if up >= 0:
                children[up].append(node)
        flags = [np.zeros(n, dtype=bool) for _ in range(2)]
        for flag, marks in zip(flags, (self.uncertain, self.direct), strict=True):
            flag[[i for i, on in marks.items() if on]] = True
        return ActorTree(
            self.names,
            self.terms,
            self.tips,
            np.asarray(self.parent, dtype=np.int64),
            children,
            np.asarray(self.actor, dtype=np.int64),
            np.asarray(self.canonical, dtype=np.int64),
            flags[0],
            flags[1],
            aliases,
            [self.also.get(i, "") for i in range(n)],
            [self.keys.get(i, fold(name)) for i, name in enumerate(self.names)],
            self.plain,
        )


def _members(table: EventTable, dictionary: ActorDictionary) -> dict[int, dict[int, bool]]:
    """Canonical id -> {raw spelling's actor number: given only uncertainly}, from the
    distinct (category, combination) pairs of each actor column."""
    resolved = resolve(table, dictionary)
    index = actor_index(table)
    out: dict[int, dict[int, bool]] = {}
    naming: dict[str, frozenset[str]] = {}  # a part's canonical names, by the dictionary

    def canonicals_of(part: str) -> frozenset[str]:
        if part not in naming:
            naming[part] = frozenset(e.canonical for e in dictionary.candidates(part, ""))
        return naming[part]

    for column in ACTOR_COLUMNS:
        col = resolved.columns[column]
        codes = table.codes(column).astype(np.int64)
        named = col.codes >= 0
        width = int(col.codes.max(initial=-1)) + 1
        pairs = np.unique(codes[named] * max(width, 1) + col.codes[named])
        for cat, combo in zip(
            (pairs // max(width, 1)).tolist(), (pairs % max(width, 1)).tolist(), strict=True
        ):
            sure, unsure = col.certain[combo], col.uncertain[combo]
            if column == "assoc_actors":
                parts = [int(s[cat]) for s in index.assoc_slots if s[cat] >= 0]
            else:
                of = index.of_actor1 if column == "actor1" else index.of_actor2
                parts = [int(of[cat])] if of[cat] >= 0 else []
            for k, is_unsure in [(k, False) for k in sure] + [(k, True) for k in unsure]:
                canonical = dictionary.canonicals[k]
                mine = [a for a in parts if canonical in canonicals_of(index.names[a])]
                for a in mine or parts:
                    spelled = out.setdefault(k, {})
                    spelled[a] = spelled.get(a, True) and is_unsure
    return out


def _names_others(
    table: EventTable,
    resolved: TableActors,
    dictionary: ActorDictionary,
    k: int,
    label: str,
    raw_folded: set[str],
) -> bool:
    """Whether the term ``label`` keeps rows beyond canonical ``k``'s: it names another
    canonical actor too, or a raw spelling some of whose rows are not ``k``'s."""
    if dictionary.query_ids([label]) != frozenset({k}):
        return True
    if fold(label) not in raw_folded:
        return False
    raw = value_mask(table, "actors", (label,))
    return bool((raw & ~resolved.mask(frozenset({k}), include_uncertain=True)).any())


def _signatures(table: EventTable, dictionary: ActorDictionary) -> _Signatures:
    return _kept(
        _SIGNATURES.get(table, dict),
        dictionary.version,
        lambda: _build_signatures(table, dictionary),
    )


def _build_signatures(table: EventTable, dictionary: ActorDictionary) -> _Signatures:
    resolved = resolve(table, dictionary)
    cols = [resolved.columns[c] for c in ACTOR_COLUMNS]
    key = np.zeros(len(table), dtype=np.int64)
    sizes = [len(c.certain) + 1 for c in cols]
    for col, size in zip(cols, sizes, strict=True):
        key = key * size + (col.codes.astype(np.int64) + 1)
    of_row, uniques = pd.factorize(key)
    uniques = np.asarray(uniques, dtype=np.int64)
    combos = []
    for size in reversed(sizes):
        combos.append(uniques % size - 1)
        uniques = uniques // size
    combos.reverse()
    certain: tuple[list[int], list[int]] = ([], [])
    uncertain: tuple[list[int], list[int]] = ([], [])
    for s, codes in enumerate(zip(*(c.tolist() for c in combos), strict=True)):
        sure: set[int] = set()
        unsure: set[int] = set()
        for col, code in zip(cols, codes, strict=True):
            if code >= 0:
                sure |= col.certain[code]
                unsure |= col.uncertain[code]
        for ids, target in ((sure, certain), (unsure - sure, uncertain)):
            target[0].extend([s] * len(ids))
            target[1].extend(sorted(ids))
    return _Signatures(
        of_row.astype(np.int64), len(combos[0]), _arrays(certain), _arrays(uncertain)
    )


def _arrays(pairs: tuple[list[int], list[int]]) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(pairs[0], np.int64), np.asarray(pairs[1], np.int64)


def _term_index(tree: ActorTree) -> dict[str, int]:
    return tree.term_index


def _build_term_index(tree: ActorTree) -> dict[str, int]:
    out: dict[str, int] = {}
    for node, term in enumerate(tree.terms):
        out.setdefault(fold(term), node)
    for node, term in enumerate(tree.also):
        if term:
            out.setdefault(fold(term), node)
    for key, node in tree.plain.items():
        out.setdefault(key, node)
    return out


# -- cache --------------------------------------------------------------------------------------------
#: Per table (model/table_cache.py), by dictionary version (and whether through it).
_TREES = PerTable[dict[tuple[str, bool], ActorTree]]("actor facet: trees")
_SIGNATURES = PerTable[dict[str, _Signatures]]("actor facet: row signatures")
_LOCK = threading.Lock()  # the counting thread and the UI may ask at once


def _kept(kept: dict[K, T], key: K, build: Callable[[], T]) -> T:
    """``build()`` once per key, built outside the lock: the UI thread asking for a small
    table's tree never waits while the counting thread builds a big one's (two threads
    may then build the same one once each; the first kept wins)."""
    with _LOCK:
        if key in kept:
            return kept[key]
    value = build()
    with _LOCK:
        return kept.setdefault(key, value)
