"""A DuckDB dataset's workspace (``"engine": "duckdb"``): what the memory engine's
workspace records (model/workspace.py), read from the state and its ``source_view``.

Its files are the dataset's Parquet inputs (files or folders, as File > Open As… DuckDB
opened them), named as the engine named them; its sort is the DuckDB view's. Reopened,
the window opens them on DuckDB (ui/workspace_controller.py), then
:func:`apply_to_source` puts the rest back.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from timeline_app.model.dataset import file_sha256
from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.workspace import FileEntry, Workspace, apply_views, state_fields
from timeline_app.model.workspace_entries import parquet_fingerprint
from timeline_app.model.workspace_matching import MatchRunner, apply_matching
from timeline_app.model.workspace_values import DUCKDB


def capture_source(
    state: AppState,
    title: str = "",
    hashes: dict[str, str] | None = None,
    ids: dict[int, tuple[str, str]] | None = None,
) -> Workspace:
    """The workspace of the open DuckDB dataset: its Parquet files by fingerprint;
    ``hashes``: the SHA-256 of any other file, hashed already, by resolved path (those
    hashed here are added; a folder has none); ``ids``:
    (dataset, id) of the selected and focused events by key, read by the window."""
    view = state.source_view
    source: Any = view.source
    hashes = {} if hashes is None else hashes
    files = []
    for item in source.duck.inputs:
        resolved = Path(item.path).resolve()
        key = str(resolved)
        # A Parquet file by its footer, not its SHA-256: hashing reads it whole, many GB
        # on data bigger than memory (model/workspace_entries.parquet_fingerprint).
        fingerprint = parquet_fingerprint(resolved) if resolved.is_file() else ""
        if not fingerprint and key not in hashes and resolved.is_file():
            with contextlib.suppress(OSError):  # unreadable now: saved without a hash
                hashes[key] = file_sha256(resolved)
        sha256 = "" if fingerprint else hashes.get(key, "")
        # A converted file of several sources: each one's name, by the name recorded.
        named = (
            {str(r["name"]): n for r, n in zip(item.sources, item.datasets, strict=True)}
            if item.sources
            else {}
        )
        files.append(
            FileEntry(
                path=key,
                sha256=sha256,
                fingerprint=fingerprint,
                name="" if named else item.name,
                sources=named or None,
            )
        )
    ids = ids or {}
    selection = [ids[int(k)] for k in view.selection if int(k) in ids]
    current = ids.get(view.current_key) if view.current_key is not None else None
    return Workspace(
        files=files,
        selection=selection,
        current=current,
        title=title,
        engine=DUCKDB,
        # the DuckDB view's filter is the state's (ui/source_controller); its sort its own
        **state_fields(state, view.sort_keys),
    )


def apply_to_source(state: AppState, workspace: Workspace, run_match: MatchRunner) -> None:
    """Put the workspace's state on the open DuckDB dataset: the actor entries it used,
    its filter (the DuckDB view follows the state's), sort, range and every view's state;
    ``run_match`` runs its likely-same search (in the window's worker: the pairs, and a
    filter on them, come when it ends)."""
    apply_matching(state, workspace.matching, run_match)
    state.set_filter(workspace.filter)
    columns = {*CANONICAL_COLUMNS, MATCH_COLUMN}  # what the DuckDB view sorts by
    keys = [(c, a) for c, a in workspace.sort_keys if c in columns]
    if keys:  # none recorded: the view's own (by start), never an unordered page
        state.source_view.set_sort(keys)
    r = workspace.selected_range
    state.set_range(TimeRange(*r) if r else None)
    apply_views(state, workspace)
