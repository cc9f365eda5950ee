"""Values derived from an event table, computed once per table and kept while it lives.

An :class:`EventTable` never changes once built (opening or closing a file makes a new
one), so whatever is derived from it (folded names, facet indexes, sort orders, calendar
bins, coordinates, resolved actors…) can be kept with it. Every such value is one
:class:`PerTable`, named for what it holds; all of them live in one weak mapping from the
table, so a closed table's values go with it, and none of them is a second cache.

Thread-safe: the filter, the counts, the timeline and the map ask from worker threads.
Two threads asking for the same value of the same table build it once (the second
waits); different values build side by side.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from timeline_app.model.events import EventTable

T = TypeVar("T")

_MISSING: Any = object()


class _Slot:
    __slots__ = ("lock", "value")

    def __init__(self) -> None:
        self.lock = threading.RLock()  # re-entrant: a build may read what it derives from
        self.value: Any = _MISSING


#: table -> {value name -> slot}
_VALUES: weakref.WeakKeyDictionary[EventTable, dict[str, _Slot]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


class PerTable(Generic[T]):
    """One named value derived from an event table."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _slot(self, table: EventTable) -> _Slot:
        with _LOCK:
            slots = _VALUES.get(table)
            if slots is None:
                slots = _VALUES[table] = {}
            slot = slots.get(self.name)
            if slot is None:
                slot = slots[self.name] = _Slot()
            return slot

    def get(self, table: EventTable, build: Callable[[], T]) -> T:
        """The value for ``table``, built by ``build()`` the first time it is asked for."""
        slot = self._slot(table)
        value = slot.value
        if value is _MISSING:
            with slot.lock:
                value = slot.value
                if value is _MISSING:
                    value = slot.value = build()
        return value  # type: ignore[no-any-return]

    def peek(self, table: EventTable) -> T | None:
        """The value if it was built, else None (nothing is built)."""
        with _LOCK:
            slot = _VALUES.get(table, {}).get(self.name)
        if slot is None or slot.value is _MISSING:
            return None
        return slot.value  # type: ignore[no-any-return]

    def put(self, table: EventTable, value: T) -> T:
        """Keep ``value`` for ``table`` (a value computed elsewhere, or a newer one)."""
        slot = self._slot(table)
        with slot.lock:
            slot.value = value
        return value

    def forget(self, table: EventTable) -> None:
        with _LOCK:
            slots = _VALUES.get(table)
            if slots is not None:
                slots.pop(self.name, None)


def cached_names(table: EventTable) -> list[str]:
    """The names of the values kept for ``table`` (tests, memory accounting)."""
    with _LOCK:
        slots = dict(_VALUES.get(table, {}))
    return sorted(name for name, slot in slots.items() if slot.value is not _MISSING)
