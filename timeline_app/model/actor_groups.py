"""Canonical actors with the raw spellings under them, and how many events each has:
what the actor dictionary makes of the open datasets (Tools > Actors Across Datasets…).

Counts are taken over the rows of a mask (the filtered events), per event once, with
numpy over the resolved codes: a loop per canonical actor and per spelling, never per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from timeline_app.model.actors import ActorDictionary, TableActors, table_actors
from timeline_app.model.events import EventTable
from timeline_app.model.schema import ACTOR_SEPARATOR


@dataclass
class ActorGroup:
    """One canonical actor: its events among the rows asked about (certain attributions),
    those only an uncertain attribution gives it, and its spellings per dataset."""

    canonical: str
    label: str  # the short name, else the canonical name
    events: int
    uncertain_events: int
    spellings: list[tuple[str, str, int]] = field(default_factory=list)  # dataset, raw, events


def actor_groups(
    table: EventTable, mask: np.ndarray, dictionary: ActorDictionary | None = None
) -> list[ActorGroup]:
    """Every canonical actor some row of ``table`` names, most events first."""
    resolved = table_actors(table, dictionary)
    names = [d.name for d in table.datasets]
    which = table.dataset_index(np.arange(len(table))) if len(table) else np.empty(0, np.int64)
    groups = []
    for k in sorted(resolved.used_ids()):
        wanted = frozenset({k})
        sure = resolved.mask(wanted) & mask
        unsure = resolved.mask(wanted, include_uncertain=True) & mask & ~sure
        group = ActorGroup(
            canonical=resolved.dictionary.canonicals[k],
            label=resolved.dictionary.label(k),
            events=int(np.count_nonzero(sure)),
            uncertain_events=int(np.count_nonzero(unsure)),
        )
        group.spellings = _spellings(table, resolved, wanted, sure, which, names)
        groups.append(group)
    groups.sort(key=lambda g: (-g.events, g.label.casefold()))
    return groups


def _spellings(
    table: EventTable,
    resolved: TableActors,
    wanted: frozenset[int],
    rows_mask: np.ndarray,
    which: np.ndarray,
    names: list[str],
) -> list[tuple[str, str, int]]:
    """(dataset, raw name, events) of the rows in ``rows_mask`` naming ``wanted``."""
    keys: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    width = 0
    categories: dict[str, tuple[int, pd.Index]] = {}
    for column, col in resolved.columns.items():
        lut = col.hits(wanted, False)
        hit = np.flatnonzero(lut[col.codes] & rows_mask)
        cats = table.df[column].cat.categories
        categories[column] = (width, cats)
        keys.append(width + table.codes(column)[hit].astype(np.int64))
        rows.append(hit)
        width += len(cats)
    if not keys:
        return []
    key = np.concatenate(keys)
    row = np.concatenate(rows)
    per_dataset = which[row] * width + key
    once = np.unique(row.astype(np.int64) * (width * max(len(names), 1)) + per_dataset)
    counts = np.bincount(once % (width * max(len(names), 1)))
    out = []
    for flat in np.flatnonzero(counts):
        k, code = divmod(int(flat), width)
        column, (start, cats) = next(
            (c, v) for c, v in categories.items() if v[0] <= code < v[0] + len(v[1])
        )
        out.append((names[k], str(cats[code - start]), int(counts[flat])))
    merged: dict[tuple[str, str], int] = {}
    canonical = resolved.dictionary.canonicals[next(iter(wanted))]
    for dataset, raw, n in out:
        for part in _parts_naming(resolved.dictionary, raw, canonical):
            merged[(dataset, part)] = merged.get((dataset, part), 0) + n
    return sorted(((d, r, n) for (d, r), n in merged.items()), key=lambda x: (-x[2], x[0], x[1]))


def _parts_naming(dictionary: ActorDictionary, raw: str, canonical: str) -> list[str]:
    """The names in ``raw`` (several associated actors are ``A; B``) that mean ``canonical``."""
    if ACTOR_SEPARATOR not in raw:
        return [raw]
    parts = [p.strip() for p in raw.split(ACTOR_SEPARATOR) if p.strip()]
    naming = [
        p for p in parts if any(e.canonical == canonical for e in dictionary.candidates(p, ""))
    ]
    return naming or parts
