"""Workspaces: everything needed to come back to the same view, as a ``.tlx.json`` file.

A workspace records which files were open (by path, relative to the workspace where
possible, and by SHA-256 so a changed file is noticed), how each was read (format and
reader options such as a column mapping), and what the user chose: the filter spec,
the timeline's visible range and selected range, the lane grouping and histogram
options, the selected events (by dataset and id, which survive a reload; row numbers do
not), the table's columns, widths and sort, the map's and the trends chart's own state,
and the dock layout (opaque bytes the Qt layer produces). All of it is read from the
app state (:func:`capture`) and put back into it (:func:`apply_to_state`).

Nothing here imports Qt or the readers: the command line exports "what the workspace
shows" with :func:`open_workspace`, given the function that reads a file.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_app.model.atomic import atomic_write_text
from timeline_app.model.dataset import Dataset, file_sha256, unique_name
from timeline_app.model.events import EventTable
from timeline_app.model.file_sources import by_file, set_sha256
from timeline_app.model.filters import FilterSpec
from timeline_app.model.matched import MATCH_COLUMN
from timeline_app.model.messages import N_
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.timeline.lanes import GROUPINGS
from timeline_app.model.view_state import (
    MapView,
    TrendsView,
    assign,
    view_from_dict,
    view_to_dict,
)

# What a workspace records of each file, and what is found of it (re-exported here).
from timeline_app.model.workspace_entries import CHANGED as CHANGED
from timeline_app.model.workspace_entries import MISSING as MISSING
from timeline_app.model.workspace_entries import OK as OK
from timeline_app.model.workspace_entries import FileCheck as FileCheck
from timeline_app.model.workspace_entries import FileEntry as FileEntry
from timeline_app.model.workspace_entries import check_file as check_file
from timeline_app.model.workspace_matching import (
    MatchRunner,
    apply_matching,
    capture_matching,
)
from timeline_app.model.workspace_values import (
    DUCKDB,
    MEMORY,
    engine_of,
    event_key,
    range_from_dict,
    range_to_dict,
    relative_path,
)
from timeline_app.model.workspace_values import WorkspaceError as WorkspaceError

log = logging.getLogger(__name__)

WORKSPACE_VERSION = 1
SUFFIX = ".tlx.json"
KIND = "timeline-app workspace"


@dataclass
class Workspace:
    """What a ``.tlx.json`` file holds. Every field but ``files`` is optional."""

    files: list[FileEntry] = field(default_factory=list)
    filter: FilterSpec = field(default_factory=FilterSpec)
    view_range: tuple[int, int] | None = None  # timeline x range, int64 ns
    selected_range: tuple[int, int] | None = None  # AppState.range, int64 ns
    lane_grouping: str | None = None  # "category", "actor", "admin1", ...
    selection: list[tuple[str, str]] = field(default_factory=list)  # (dataset, id)
    current: tuple[str, str] | None = None  # the focused event
    columns: list[str] | None = None  # table columns, in order
    widths: dict[str, int] | None = None  # table column widths (px) by name
    sort_keys: list[tuple[str, bool]] = field(default_factory=list)  # (column, ascending)
    measure: str | None = None  # what the timeline's histograms count
    show_bands: bool | None = None  # mourning/blockade bands on the timeline
    map_view: dict[str, Any] | None = None  # MapView's fields (model/view_state.py)
    trends_view: dict[str, Any] | None = None  # TrendsView's fields
    matching: dict[str, Any] | None = None  # actor entries and likely-same search used
    dock_state: str | None = None  # base64 of QMainWindow.saveState()
    title: str = ""  # a line saying what this view is about
    engine: str = MEMORY  # MEMORY or DUCKDB: what the files are opened on
    version: int = WORKSPACE_VERSION
    #: The folder relative paths are resolved against (the workspace file's folder).
    base_dir: Path | None = None

    # -- (de)serialisation -----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": KIND,
            "version": self.version,
            "title": self.title,
            **({"engine": self.engine} if self.engine != MEMORY else {}),  # older: memory
            "files": [f.to_dict() for f in self.files],
            "filter": self.filter.to_dict(),
            "view_range": range_to_dict(self.view_range),
            "selected_range": range_to_dict(self.selected_range),
            "lane_grouping": self.lane_grouping,
            "selection": [{"dataset": d, "id": i} for d, i in self.selection],
            "current": {"dataset": self.current[0], "id": self.current[1]}
            if self.current
            else None,
            "table": {
                "columns": list(self.columns) if self.columns is not None else None,
                "sort": [{"column": c, "ascending": bool(a)} for c, a in self.sort_keys],
            },
            "dock_state": self.dock_state,
        }
        if self.widths:
            data["table"]["widths"] = dict(self.widths)
        timeline = {"measure": self.measure, "show_bands": self.show_bands}
        if any(v is not None for v in timeline.values()):
            data["timeline"] = {k: v for k, v in timeline.items() if v is not None}
        if self.map_view is not None:
            data["map"] = self.map_view
        if self.trends_view is not None:
            data["trends"] = self.trends_view
        if self.matching:
            data["matching"] = self.matching
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], base_dir: Path | None = None) -> Workspace:
        if not isinstance(data, dict):
            raise WorkspaceError(N_("not a workspace (expected a JSON object)"))
        version = data.get("version", WORKSPACE_VERSION)
        if not isinstance(version, int) or version > WORKSPACE_VERSION:
            raise WorkspaceError(
                N_(
                    "workspace version {version} is newer than this app understands "
                    "(up to {supported}); update the app",
                    version=repr(version),
                    supported=WORKSPACE_VERSION,
                )
            )
        files = data.get("files", [])
        if not isinstance(files, list):
            raise WorkspaceError("'files' must be a list")
        try:
            spec = FilterSpec.from_dict(data.get("filter") or {})
        except (TypeError, ValueError) as err:
            raise WorkspaceError(f"bad 'filter': {err}") from err
        table = data.get("table") or {}
        columns = table.get("columns")
        widths = table.get("widths")
        timeline: dict[str, Any] = (
            data["timeline"] if isinstance(data.get("timeline"), dict) else {}
        )
        measure, bands = timeline.get("measure"), timeline.get("show_bands")
        current = data.get("current")
        return cls(
            files=[FileEntry.from_dict(f) for f in files],
            filter=spec,
            view_range=range_from_dict(data.get("view_range"), "view_range"),
            selected_range=range_from_dict(data.get("selected_range"), "selected_range"),
            lane_grouping=data.get("lane_grouping") or None,
            selection=[event_key(k) for k in data.get("selection") or []],
            current=event_key(current) if current else None,
            columns=[str(c) for c in columns] if isinstance(columns, list) else None,
            widths={str(k): int(v) for k, v in widths.items() if isinstance(v, (int, float))}
            if isinstance(widths, dict)
            else None,
            measure=measure if isinstance(measure, str) else None,
            show_bands=bands if isinstance(bands, bool) else None,
            map_view=data["map"] if isinstance(data.get("map"), dict) else None,
            trends_view=data["trends"] if isinstance(data.get("trends"), dict) else None,
            matching=data["matching"] if isinstance(data.get("matching"), dict) else None,
            sort_keys=[
                (str(k["column"]), bool(k.get("ascending", True)))
                for k in table.get("sort") or []
                if isinstance(k, dict) and "column" in k
            ],
            dock_state=data.get("dock_state") or None,
            title=str(data.get("title") or ""),
            engine=engine_of(data),
            version=version,
            base_dir=base_dir,
        )

    # -- files ------------------------------------------------------------------------
    def resolve(self, entry: FileEntry) -> Path:
        """The absolute path of a file entry (relative paths are from the workspace)."""
        path = Path(entry.path).expanduser()
        if not path.is_absolute() and self.base_dir is not None:
            path = self.base_dir / path
        return path

    def check_files(self) -> list[FileCheck]:
        """Which files are present and unchanged, missing, or changed since saved."""
        folders = self.engine == DUCKDB  # DuckDB opens a folder of Parquet files too
        return [check_file(entry, self.resolve(entry), folders) for entry in self.files]


# -- reading and writing files ------------------------------------------------------------
def load_workspace(path: Path | str) -> Workspace:
    """Read a ``.tlx.json`` file. Raises WorkspaceError with a one-line reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise WorkspaceError(N_("{path}: no such workspace file", path=str(path))) from err
    except (OSError, UnicodeError) as err:
        raise WorkspaceError(
            N_("{path}: cannot read: {error}", path=str(path), error=str(err))
        ) from err
    try:
        data = json.loads(text)
    except ValueError as err:
        raise WorkspaceError(
            N_("{name}: not valid JSON ({error})", name=path.name, error=str(err))
        ) from err
    try:
        return Workspace.from_dict(data, base_dir=path.resolve().parent)
    except WorkspaceError as err:
        raise WorkspaceError(
            N_("{name}: {problem}", name=path.name, problem=err.args[0] if err.args else str(err))
        ) from err
    except (TypeError, ValueError, KeyError, AttributeError) as err:
        raise WorkspaceError(
            N_("{name}: malformed workspace ({error})", name=path.name, error=str(err))
        ) from err


def save_workspace(workspace: Workspace, path: Path | str) -> Path:
    """Write ``workspace`` to ``path`` atomically, storing file paths relative to it.

    A failed write never leaves a half file over a good one (temp file, then rename).
    """
    path = Path(path)
    if not path.name.endswith(SUFFIX):
        path = path.with_name(path.name + SUFFIX)
    folder = path.resolve().parent
    data = workspace.to_dict()
    data["files"] = [
        {**entry.to_dict(), "path": relative_path(workspace.resolve(entry), folder)}
        for entry in workspace.files
    ]
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        atomic_write_text(path, text)
    except OSError as err:
        raise WorkspaceError(
            N_("cannot write {path}: {error}", path=str(path), error=str(err.strerror or err))
        ) from err
    workspace.base_dir = folder
    for entry, stored in zip(workspace.files, data["files"], strict=True):
        entry.path = stored["path"]
    return path


# -- capturing and restoring the model's part ----------------------------------------------
def capture(state: AppState, title: str = "") -> Workspace:
    """A workspace describing ``state``: its files, filter, sort, range, selection and
    every view's state (``state.views``). A DuckDB dataset's: model/workspace_source.py."""
    files = []
    for group in by_file(state.table.datasets):  # a converted file's sources: one file
        dataset = group[0]
        if dataset.path is None:
            continue  # built in memory: nothing to reopen
        if not dataset.sha256:  # hashing a big file takes a while: keep it for next time
            digest = _safe_sha256(Path(dataset.path))
            for d in group:
                d.sha256 = digest
        named = {str(d.source["name"]): d.name for d in group if d.source is not None}
        files.append(
            FileEntry(
                path=str(Path(dataset.path).resolve()),
                sha256=dataset.sha256,
                name="" if named else dataset.name,
                format=dataset.format or None,
                options=getattr(dataset, "options", None) or None,
                sources=named or None,
            )
        )
    keys = _keys_of_rows(state, state.selection)
    current = _keys_of_rows(state, np.array([state.current]))[0] if state.current >= 0 else None
    fields = state_fields(state, state.sort_keys)
    return Workspace(files=files, selection=keys, current=current, title=title, **fields)


def state_fields(state: AppState, sort_keys: Sequence[tuple[str, bool]]) -> dict[str, Any]:
    """What a workspace records of the state on either engine (``sort_keys``: the memory
    table's or the DuckDB view's): filter, range, views, search, dock layout."""
    rng = state.range
    views = state.views
    dock = views.window.dock_layout
    return dict(
        filter=state.spec,
        selected_range=(int(rng.start_ns), int(rng.end_ns)) if rng else None,
        sort_keys=[(c, bool(a)) for c, a in sort_keys],
        view_range=views.timeline.view_range,
        lane_grouping=views.timeline.lane_grouping,
        measure=views.timeline.measure,
        show_bands=views.timeline.show_bands,
        columns=list(views.table.columns),
        widths=dict(views.table.widths) or None,
        map_view=view_to_dict(views.map),
        trends_view=view_to_dict(views.trends),
        matching=capture_matching(state),
        dock_state=base64.b64encode(dock).decode("ascii") if dock else None,
    )


@dataclass
class OpenedWorkspace:
    """A workspace with its files read: everything an AppState (or an export) needs."""

    workspace: Workspace
    datasets: list[Dataset]
    checks: list[FileCheck]  # what was found for each file (missing ones are not opened)
    errors: list[str] = field(default_factory=list)  # one line per file that failed to read

    @property
    def spec(self) -> FilterSpec:
        return self.workspace.filter

    @property
    def range(self) -> TimeRange | None:
        """The selected time range (AppState.range), if the workspace has one."""
        r = self.workspace.selected_range
        return TimeRange(*r) if r else None

    @property
    def view_range(self) -> tuple[int, int] | None:
        return self.workspace.view_range

    @property
    def sort_keys(self) -> list[tuple[str, bool]]:
        return list(self.workspace.sort_keys)

    @property
    def missing(self) -> list[FileCheck]:
        return [c for c in self.checks if c.status == MISSING]

    @property
    def changed(self) -> list[FileCheck]:
        return [c for c in self.checks if c.status == CHANGED]

    def problems(self) -> list[str]:
        """One line per file that is missing, changed or unreadable (empty when all is well)."""
        return [c.message for c in self.checks if c.status != OK] + list(self.errors)

    def apply(self, state: AppState, run_match: MatchRunner | None = None) -> list[tuple[str, str]]:
        """Put the datasets, filter, sort, range and selection into ``state``.

        Returns the selected events that could not be selected (gone from the files,
        or hidden by the filter), so that a caller can say so rather than stay silent.
        """
        apply_to_state(state, self.datasets, self.workspace, run_match)
        return unselected(state, self.workspace)


#: Reads one file: ``load(path, format, options=..., progress=..., cancelled=...)``
#: (formats.registry.load). The caller passes it in: the model does not know the readers.
LoadFn = Callable[..., Dataset]


def open_workspace(
    source: Workspace | Path | str,
    *,
    load: LoadFn,
    open_changed: bool = True,
    relocated: dict[int, Path] | None = None,
    checks: list[FileCheck] | None = None,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> OpenedWorkspace:
    """Read a workspace and its files, without Qt (for the CLI and tests).

    Missing files are skipped and reported in ``checks``; changed files are opened
    when ``open_changed`` (the "Open anyway" answer) and reported either way.
    ``relocated`` maps a file's index to a new path (the "Locate…" answer);
    ``checks`` reuses a check already made (hashing a big file takes a while).
    A load that fails once ``cancelled()`` is true is the cancel: its error propagates.
    """
    workspace = load_workspace(source) if isinstance(source, (str, Path)) else source
    if checks is None:
        checks = []
        for i, entry in enumerate(workspace.files):
            path = relocated.get(i) if relocated and i in relocated else workspace.resolve(entry)
            folders = workspace.engine == DUCKDB  # a Parquet folder (read in here too)
            checks.append(check_file(entry, Path(path or workspace.resolve(entry)), folders))
    datasets, errors = [], []
    todo = [c for c in checks if c.status == OK or (c.status == CHANGED and open_changed)]
    for k, check in enumerate(todo):
        if cancelled is not None and cancelled():
            break

        def step(f: float, k: int = k) -> None:
            if progress is not None:
                progress((k + f) / len(todo))

        kwargs: dict[str, Any] = {"options": check.entry.options}
        if progress is not None or cancelled is not None:
            kwargs.update(progress=step, cancelled=cancelled)
        try:
            dataset = load(check.path, check.entry.format, **kwargs)
        except Exception as err:  # FormatError and anything a reader lets slip: one line
            if cancelled is not None and cancelled():
                raise  # the reader's "cancelled" (or anything after it) ends the open
            log.warning("workspace: could not read %s", check.path, exc_info=err)
            errors.append(f"{check.path.name}: {err}")
            continue
        datasets += name_datasets(dataset, check)
    return OpenedWorkspace(workspace, _unique(datasets), checks, errors)


def name_datasets(dataset: Dataset, check: FileCheck) -> list[Dataset]:
    """A reopened file's datasets under the names they had, so filters and selection
    still refer to them: the file's, or (a converted file of several sources) those of
    its sources that were open."""
    set_sha256(dataset, dataset.sha256 or check.sha256)
    if check.entry.options and not getattr(dataset, "options", None):
        dataset.options = check.entry.options
    if check.entry.name:
        dataset.name = check.entry.name
    sources = check.entry.sources
    opened = dataset.opened
    if sources and dataset.parts:
        named = {d.name: d for d in opened}  # each part is named as its source
        opened = [named[k] for k in sources if k in named]  # in the order they were open
        for d in opened:
            d.name = sources[d.name]
    for d in opened:
        d.options = dict(dataset.options)
    return opened


def apply_to_state(
    state: AppState,
    datasets: list[Dataset],
    workspace: Workspace,
    run_match: MatchRunner | None = None,
) -> None:
    """Datasets first (that resets everything), then filter, sort, range and selection.
    ``run_match`` runs the recorded likely-same search elsewhere (the window's worker)."""
    state.set_datasets(list(datasets))
    apply_matching(state, workspace.matching, run_match)  # the entries and pairs it used
    state.set_filter(workspace.filter)
    state.finish_filter()  # a big text search may go to a worker: the selection needs it
    columns = {*state.table.df.columns, MATCH_COLUMN}  # the pairs' column comes with them
    state.set_sort([(c, a) for c, a in workspace.sort_keys if c in columns])
    r = workspace.selected_range
    state.set_range(TimeRange(*r) if r else None)
    rows = rows_of_keys(state.table, workspace.selection)
    current = state.table.row_of_id(*workspace.current) if workspace.current else None
    state.select(rows[rows >= 0], current=current)
    apply_views(state, workspace)


def apply_views(state: AppState, workspace: Workspace) -> None:
    """Every view's state the workspace names; what it leaves out stays as it is."""
    if workspace.lane_grouping in GROUPINGS:  # an unknown one (a newer app's): as is
        state.set_lane_grouping(workspace.lane_grouping)
    if workspace.measure in ("events", "fatalities"):
        state.set_histogram_measure(workspace.measure)
    if workspace.show_bands is not None:
        state.set_show_bands(workspace.show_bands)
    if workspace.columns:
        state.set_table_columns(workspace.columns)
    for column, width in (workspace.widths or {}).items():
        state.set_column_width(column, width)
    if workspace.map_view is not None:
        assign(state.views.map, view_from_dict(MapView, workspace.map_view))
    if workspace.trends_view is not None:
        assign(state.views.trends, view_from_dict(TrendsView, workspace.trends_view))
    if workspace.dock_state:
        # A damaged layout: the window keeps the one it has.
        with contextlib.suppress(binascii.Error, ValueError):
            state.set_dock_layout(base64.b64decode(workspace.dock_state, validate=True))
    if workspace.view_range is not None:  # last: views may re-frame when lanes change
        state.set_view_range(workspace.view_range)


def rows_of_keys(table: EventTable, keys: list[tuple[str, str]]) -> np.ndarray:
    """Row number of each (dataset, id), -1 where there is none; one hash lookup per
    dataset, not a scan per key (a selection can hold thousands of events)."""
    out = np.full(len(keys), -1, dtype=np.int64)
    wanted: dict[str, list[int]] = {}
    for k, (name, _id) in enumerate(keys):
        wanted.setdefault(name, []).append(k)
    for i, dataset in enumerate(table.datasets):
        positions = wanted.get(dataset.name)
        if not positions:
            continue
        lo, hi = int(table.offsets[i]), int(table.offsets[i + 1])
        ids = pd.Index(table.df["id"].iloc[lo:hi].astype(str).to_numpy())
        if ids.is_unique:
            found = ids.get_indexer([keys[k][1] for k in positions])
            rows = np.where(found >= 0, found + lo, -1)
        else:  # ids should be unique per dataset; if not, the first one, as row_of_id does
            hits = [table.row_of_id(dataset.name, keys[k][1]) for k in positions]
            rows = np.array([-1 if r is None else r for r in hits], dtype=np.int64)
        out[positions] = rows
    return out


def unselected(state: AppState, workspace: Workspace) -> list[tuple[str, str]]:
    """The workspace's selected events that ``state`` does not have selected."""
    have = set(_keys_of_rows(state, state.selection))
    return [k for k in workspace.selection if k not in have]


def visible_frame(opened: OpenedWorkspace) -> tuple[AppState, pd.DataFrame]:
    """An AppState holding the workspace, and the canonical rows it shows, in order."""
    state = AppState()
    opened.apply(state)
    return state, state.table.df.iloc[state.visible].reset_index(drop=True)


# -- helpers -------------------------------------------------------------------------------
def _keys_of_rows(state: AppState, rows: np.ndarray) -> list[tuple[str, str]]:
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return []
    df = state.table.df
    datasets = df["dataset"].to_numpy()[rows].astype(str)
    ids = df["id"].to_numpy()[rows].astype(str)
    return list(zip(datasets.tolist(), ids.tolist(), strict=True))


def _safe_sha256(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return ""


def _unique(datasets: list[Dataset]) -> list[Dataset]:
    seen: set[str] = set()
    for d in datasets:
        d.name = unique_name(d.name, seen)
        seen.add(d.name)
    return datasets
