"""How a workspace spells its values in JSON: times (ISO or int64 ns), ranges, event
keys, the engine and file paths, and the error a workspace file that cannot be used raises."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_app.model.messages import N_

#: The engines a workspace runs on: its files read into memory (the default, and what a
#: workspace without ``engine`` means), or opened as one DuckDB dataset (Parquet files
#: and folders, storage/duck).
MEMORY, DUCKDB = "memory", "duckdb"
ENGINES = (MEMORY, DUCKDB)


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


def engine_of(data: dict[str, Any]) -> str:
    """A workspace's ``engine``: memory when it has none (saved before DuckDB workspaces);
    one this app does not know (a newer app's) is refused, not read into memory."""
    engine = data.get("engine") or MEMORY
    if engine not in ENGINES:
        raise WorkspaceError(
            N_(
                "engine {engine} is not one this app knows ({known}); update the app",
                engine=repr(engine),
                known=", ".join(ENGINES),
            )
        )
    return str(engine)


def relative_path(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` when they share more than the filesystem root (a
    project folder moved or shared as a whole keeps working), else absolute. POSIX
    slashes, so that a workspace moves between systems."""
    path, folder = Path(path).resolve(), Path(folder).resolve()
    try:
        common = Path(os.path.commonpath([path, folder]))
    except ValueError:  # another drive on Windows
        return path.as_posix()
    if common == Path(common.anchor):
        return path.as_posix()
    return Path(os.path.relpath(path, folder)).as_posix()
