"""Events of a DuckDB dataset by (dataset, id) and back: what a workspace records of
the selection (ids survive a reload; ``__key`` is a row's place in reading order)."""

from __future__ import annotations

import numpy as np

from timeline_app.storage.duck.engine import DuckEngine
from timeline_app.storage.duck.source import VIEW


def ids_of_keys(engine: DuckEngine, keys: np.ndarray) -> dict[int, tuple[str, str]]:
    """(dataset, id) of each event of ``keys``, by key (one join on a key table)."""
    if not len(keys):
        return {}
    table = engine.key_table(keys)
    found = engine.query(
        f"SELECT __key, dataset, CAST(id AS VARCHAR) AS id FROM {VIEW} "
        f"WHERE __key IN (SELECT key FROM {table}) ORDER BY __key"
    )
    columns = [found.column(c).to_pylist() for c in ("__key", "dataset", "id")]
    return {int(k): (str(d), str(i)) for k, d, i in zip(*columns, strict=True)}


def keys_of_ids(engine: DuckEngine, events: list[tuple[str, str]]) -> np.ndarray:
    """The keys of the events named by (dataset, id), sorted; those not there are left
    out (the first of an id met twice, as ``key_of_id``)."""
    if not events:
        return np.empty(0, dtype=np.int64)
    datasets = [str(d) for d, _ in events]
    ids = [str(i) for _, i in events]
    found = engine.query(
        f"SELECT min(e.__key) AS key FROM {VIEW} e JOIN "
        "(SELECT unnest(?::VARCHAR[]) AS dataset, unnest(?::VARCHAR[]) AS id) w "
        "ON e.dataset = w.dataset AND CAST(e.id AS VARCHAR) = w.id "
        "GROUP BY e.dataset, e.id ORDER BY key",
        [datasets, ids],
    )
    return np.asarray(found.column("key").to_numpy(), dtype=np.int64)
