"""How a workspace spells its values in JSON: times (ISO or int64 ns), ranges and event
keys, and the error a workspace file that cannot be used raises."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd


class WorkspaceError(Exception):
    """A workspace file that cannot be used. ``str(err)`` is one line a user can act on."""


def to_iso(ns: int) -> str:
    return str(pd.Timestamp(int(ns)).isoformat())


def from_any_time(value: Any) -> int:
    """int64 ns from an int (ns) or an ISO date/datetime string."""
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(pd.Timestamp(datetime.fromisoformat(value)).as_unit("ns").value)
    raise ValueError(f"not a time: {value!r}")


def range_to_dict(r: tuple[int, int] | None) -> dict[str, Any] | None:
    if r is None:
        return None
    start, end = int(r[0]), int(r[1])
    return {"start": to_iso(start), "end": to_iso(end), "start_ns": start, "end_ns": end}


def range_from_dict(data: Any, what: str) -> tuple[int, int] | None:
    """A range from ``{"start_ns", "end_ns"}`` or ``{"start", "end"}`` (ISO), ns first."""
    if not data:
        return None
    try:
        if isinstance(data, (list, tuple)) and len(data) == 2:
            start, end = from_any_time(data[0]), from_any_time(data[1])
        else:
            start = from_any_time(data["start_ns"] if "start_ns" in data else data["start"])
            end = from_any_time(data["end_ns"] if "end_ns" in data else data["end"])
    except (KeyError, TypeError, ValueError) as err:
        raise WorkspaceError(f"bad '{what}': {err}") from err
    if end < start:
        raise WorkspaceError(f"bad '{what}': ends before it starts")
    return start, end


def event_key(data: Any) -> tuple[str, str]:
    if isinstance(data, dict) and "dataset" in data and "id" in data:
        return str(data["dataset"]), str(data["id"])
    if isinstance(data, (list, tuple)) and len(data) == 2:
        return str(data[0]), str(data[1])
    raise WorkspaceError(f"a selected event needs 'dataset' and 'id', got {data!r}")
