"""A cache of big files already read, so that reopening one takes a fraction of a second.

After a reader has read a big file, its Dataset (events, originals, the load report) is
written to an entry folder in the user's cache folder as Arrow IPC files (uncompressed, so
a reopen memory-maps them privately, copy-on-write: the text columns, and the numbers, dates
and category codes that Arrow holds as numpy would, are used in place; only bools and columns
with nulls numpy cannot hold are copied).

An entry is found by a key made of the file's absolute path, size, modification and change
times and inode, the reader, the reader's options, :data:`CACHE_VERSION` and the app's
version, so a file that changed is never served from the cache (and a bumped version leaves
old entries unused until pruned); a file changed in the last seconds is not cached at all. An entry is written in a temporary folder and renamed into place, so a
crash never leaves a half entry under a real name; an entry that cannot be read is deleted
and the file is read again. Nothing here is ever an error for the user: a cache that does
not work is only a slower open.

Only frames whose every column can make the round trip exactly are cached (numbers, bools,
dates, pandas/Arrow strings, categoricals of those); anything else is simply read each time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import sys
import threading
import time
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa

from timeline_app import __version__
from timeline_app.model.atomic import atomic_write_text
from timeline_app.model.dataset import Dataset
from timeline_app.model.units import NS_PER_S, S_PER_HOUR
from timeline_app.storage import frames as arrow_frames

log = logging.getLogger(__name__)

#: Bump whenever a reader's output changes: entries of other versions are never read.
CACHE_VERSION = 4  # 4: the report keeps the long-cell warning
#: Files smaller than this are read each time (they read fast; a tests may set it to 0).
MIN_FILE_BYTES = 16 * 1024 * 1024
#: The cache keeps at most this many entries and bytes (the least recently used go first).
MAX_ENTRIES = 8
MAX_BYTES = 6 * 1024**3
#: An entry is not written when it would leave less than this free on the disk.
MIN_FREE_BYTES = 1024**3
#: Write entries on a daemon thread, so the load returns its dataset first.
WRITE_IN_BACKGROUND = True
#: A file changed less than this many seconds before it is read is not cached.
RACY_S = 2.0
#: How long a background writer waits for the loader's SHA-256 of the file, to keep it too.
SHA256_WAIT_S = 300.0
#: A temporary folder older than this is a crashed writer's: pruned.
STALE_TEMP_S = S_PER_HOUR

_FRAMES = ("events", "originals")
_META = "meta.json"
_writers: list[threading.Thread] = []
_writers_lock = threading.Lock()


def cache_dir() -> Path:
    """Where the entries live: ``$TIMELINE_APP_CACHE_DIR`` or the platform's cache folder."""
    base = os.environ.get("TIMELINE_APP_CACHE_DIR")
    if base:
        return Path(base) / "datasets"
    if sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return root / "timeline-app" / "cache" / "datasets"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "timeline-app" / "datasets"
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "timeline-app" / "datasets"


# -- the key ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CacheEntry:
    """One file as it was when a load started: where its cached copy is (or would be)."""

    path: Path
    key: dict[str, Any]
    digest: str

    @property
    def folder(self) -> Path:
        return cache_dir() / self.digest

    def fetch(self) -> Dataset | None:
        """The cached dataset, or None (a miss, or an entry that could not be read)."""
        folder = self.folder
        if not (folder / _META).is_file():
            return None
        try:
            dataset = _read_entry(folder, self.key)
        except Exception as err:  # a corrupt or foreign entry: forget it, read the file
            log.info("dropping unreadable cache entry %s: %s", folder.name, err, exc_info=err)
            _remove(folder)
            return None
        if _file_key(self.path) != _file_key_of(self.key):  # changed while we read the cache
            return None
        with contextlib.suppress(OSError):
            os.utime(folder / _META)  # most recently used: pruned last
        dataset.report.from_cache = True  # type: ignore[attr-defined]  # a plain attribute, never shown
        return dataset

    def store(
        self, dataset: Dataset, after: threading.Event | None = None
    ) -> threading.Thread | None:
        """Write ``dataset`` as this file's entry (on a daemon thread unless configured not
        to). The frames are captured now, so later changes to ``dataset`` are not written;
        turning them into Arrow and writing waits for ``after`` (the window sets it once
        the file is on screen: the write must not slow the first paint). Returns the
        writing thread, if any."""
        if _file_key(self.path) != _file_key_of(self.key):  # changed while it was read
            return None
        captured = _capture(dataset)
        if captured is None:
            return None
        if not WRITE_IN_BACKGROUND:
            _convert_and_write(self.folder, self.key, captured, None)
            return None
        thread = threading.Thread(
            target=_convert_and_write,
            args=(self.folder, self.key, captured, after),
            name="timeline-app cache writer",
            daemon=True,
        )
        with _writers_lock:
            _writers[:] = [t for t in _writers if t.is_alive()]
            _writers.append(thread)
        thread.start()
        return thread


def entry_for(path: Path, reader: str, options: dict[str, Any] | None) -> CacheEntry | None:
    """The cache entry of this file read by this reader with these options, or None when
    it is not to be cached (small, unreadable, or options that cannot be keyed)."""
    try:
        path = Path(path).resolve()
        stat = path.stat()
        if stat.st_size < MIN_FILE_BYTES:
            return None
        opts = json.dumps(options or {}, sort_keys=True, ensure_ascii=True, allow_nan=False)
        if json.loads(opts) != (options or {}):  # tuples, int keys...: would share a key
            return None
    except (OSError, TypeError, ValueError, RuntimeError):
        return None
    # A file changed in the last moments may change again within the same timestamp tick
    # (as git's "racy" files): read it, but do not cache it.
    changed_ns = max(stat.st_mtime_ns, stat.st_ctime_ns)
    if time.time_ns() - changed_ns < RACY_S * NS_PER_S:
        return None
    key = {
        "path": str(path),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        # Any write, replace or touch changes these too (and no tool can set them back).
        "ctime_ns": stat.st_ctime_ns,
        "inode": stat.st_ino,
        "reader": reader,
        "options_sha256": hashlib.sha256(opts.encode()).hexdigest(),
        "cache_version": CACHE_VERSION,
        "app_version": __version__,
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]
    return CacheEntry(path=path, key=key, digest=digest)


def _file_key(path: Path) -> tuple[int, ...] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def _file_key_of(key: dict[str, Any]) -> tuple[int, ...]:
    return key["size"], key["mtime_ns"], key["ctime_ns"], key["inode"]


def wait_for_writes(timeout_s: float | None = None) -> None:
    """Block until the entries being written are written (tests; an orderly exit)."""
    with _writers_lock:
        pending = list(_writers)
    for thread in pending:
        thread.join(timeout_s)


# -- writing ----------------------------------------------------------------------------------


@dataclass
class _Snapshot:
    tables: dict[str, pa.Table]
    meta: dict[str, Any]
    dataset: weakref.ref[Any] | None = None  # to learn its SHA-256 once the loader has it
    sha256_wait_s: float = 0.0


@dataclass
class _Captured:
    """A dataset as it was read: its frames (shallow copies: under copy-on-write, later
    edits to the dataset's frames do not reach them) and its fields."""

    frames: dict[str, pd.DataFrame | None]
    dataset: Dataset  # a copy of the fields, holding the captured frames
    source: weakref.ref[Any]  # the loaded dataset, to learn its SHA-256 once the loader has it


def _capture(dataset: Dataset) -> _Captured | None:
    if len(dataset.events) == 0:
        return None  # nothing worth caching (and categories would have no data to travel in)
    frames: dict[str, Any] = {}
    for name in _FRAMES:
        frame = getattr(dataset, name)
        frames[name] = frame.copy(deep=False) if frame is not None else None
    fields = Dataset(
        name=dataset.name,
        events=frames["events"],
        report=dataset.report,
        originals=frames["originals"],
        format=dataset.format,
        licence=dataset.licence,
        citation=dataset.citation,
        sha256=dataset.sha256,
    )
    fields.report = arrow_frames.report_from_json(
        arrow_frames.report_to_json(dataset.report)
    )  # a copy
    return _Captured(frames=frames, dataset=fields, source=weakref.ref(dataset))


#: How long a background write waits for the window to say the file is shown.
SHOWN_WAIT_S = 10.0


def _convert_and_write(
    folder: Path, key: dict[str, Any], captured: _Captured, after: threading.Event | None
) -> None:
    """On the writer thread: wait until the file is shown, make the Arrow snapshot, write.
    Never raises."""
    if after is not None:
        after.wait(SHOWN_WAIT_S)
    try:
        snapshot = _snapshot(captured.dataset, source=captured.source)
    except Exception as err:  # never fail a load because of the cache
        log.info("not caching %s: %s", captured.dataset.name, err, exc_info=err)
        return
    finally:  # the thread keeps its arguments: let go of the frames (a closed file's memory)
        captured.frames = {}
        captured.dataset = Dataset.empty()
    if snapshot is None:
        return
    snapshot.sha256_wait_s = SHA256_WAIT_S if WRITE_IN_BACKGROUND else 0.0
    _write_entry(folder, key, snapshot)


def _snapshot(dataset: Dataset, source: weakref.ref[Any] | None = None) -> _Snapshot | None:
    if len(dataset.events) == 0:
        return None  # nothing worth caching (and categories would have no data to travel in)
    tables: dict[str, Any] = {}
    frames: dict[str, dict[str, Any] | None] = {}  # per frame, how it was written
    written: dict[str, pa.ChunkedArray[Any]] = {}  # "frame.column" -> what was written for it
    for name in _FRAMES:
        frame = getattr(dataset, name)
        if frame is None:
            frames[name] = None
            continue
        if len(frame) == 0 and frame.shape[1]:
            return None
        taken = arrow_frames.frame_snapshot(frame, name, written)
        if taken is None:
            log.info("not caching %s: %s has a column that cannot be cached", dataset.name, name)
            return None
        tables.update(taken[0])
        frames[name] = taken[1]
        written.update(taken[2])
    meta = {
        "frames": frames,
        "dataset": {
            "name": dataset.name,
            "format": dataset.format,
            "licence": dataset.licence,
            "citation": dataset.citation,
            "sha256": dataset.sha256,
        },
        "report": arrow_frames.report_to_json(dataset.report),
    }
    return _Snapshot(tables=tables, meta=meta, dataset=source or weakref.ref(dataset))


def _write_entry(folder: Path, key: dict[str, Any], snapshot: _Snapshot) -> None:
    """Write one entry into a temporary folder and rename it into place; never raises."""
    temp = folder.parent / f".tmp-{folder.name}-{uuid.uuid4().hex[:8]}"
    try:
        if (folder / _META).is_file():
            return  # another load wrote it meanwhile
        needed = sum(t.nbytes for t in snapshot.tables.values())
        if needed > MAX_BYTES:
            return
        folder.parent.mkdir(parents=True, exist_ok=True)
        if shutil.disk_usage(folder.parent).free - needed < MIN_FREE_BYTES:
            log.info("not caching: too little free disk space")
            return
        temp.mkdir()
        sizes = {}
        for file, table in snapshot.tables.items():
            target = temp / file
            with pa.OSFile(str(target), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
                out.write_table(table)
            _fsync(target)  # on disk before it has a name: a power cut leaves no garbage entry
            sizes[target.name] = target.stat().st_size
        meta = dict(snapshot.meta, key=key, files=sizes)
        # The meta last: an entry folder with its meta is complete (and the rename is atomic).
        (temp / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        _fsync(temp / _META)
        # Someone may have emptied the cache folder meanwhile (Clear cache, a cleaner): only
        # a temporary folder still holding every file it was given becomes an entry.
        found = {f.name: f.stat().st_size for f in temp.iterdir() if f.name != _META}
        if found != sizes or not (temp / _META).is_file():
            return
        if folder.exists() and not (folder / _META).is_file():
            _remove(folder)  # a broken entry (entries appear whole, by rename, with a meta)
        with contextlib.suppress(OSError):  # written meanwhile by another load: keep theirs
            os.rename(temp, folder)
    except Exception as err:  # a full disk, a read-only cache folder...: only slower opens
        log.info("could not write cache entry %s: %s", folder.name, err, exc_info=err)
    finally:
        snapshot.tables = {}  # let the buffers go (the dataset may be closed meanwhile)
        if temp.exists():
            _remove(temp)
    prune()
    if not snapshot.meta["dataset"]["sha256"]:
        _remember_sha256(folder, key, snapshot)


def _remember_sha256(folder: Path, key: dict[str, Any], snapshot: _Snapshot) -> None:
    """Add the file's SHA-256 to its entry once the loader has taken it (the window hashes
    a file after showing it), so a reopen need not hash the file again. Never raises."""
    deadline = time.monotonic() + snapshot.sha256_wait_s
    digest = ""
    while snapshot.dataset is not None:
        dataset = snapshot.dataset()
        digest = dataset.sha256 if dataset is not None else ""
        del dataset  # hold no closed file's memory while waiting
        if digest or snapshot.dataset() is None or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    if not (isinstance(digest, str) and len(digest) == 64):
        return
    try:
        int(digest, 16)
        # The hash was taken after the read: it is this entry's only if the file is the same.
        if _file_key(Path(key["path"])) != _file_key_of(key):
            return
        meta_path = folder / _META
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("key") != key or meta["dataset"]["sha256"]:
            return
        meta["dataset"]["sha256"] = digest
        # Atomic: a reader sees the old meta or the new.
        atomic_write_text(meta_path, json.dumps(meta, ensure_ascii=False))
    except Exception as err:
        log.info("could not add the SHA-256 to cache entry %s: %s", folder.name, err, exc_info=err)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- reading ----------------------------------------------------------------------------------


def _read_entry(folder: Path, key: dict[str, Any]) -> Dataset:
    meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    if meta.get("key") != key:
        raise ValueError("entry of another file or version")
    frames: dict[str, pd.DataFrame | None] = {}
    read: dict[str, pa.ChunkedArray[Any]] = {}  # "frame.column" -> the column as read
    maps: list[np.ndarray] = []  # the entry's files, mapped
    for name in _FRAMES:
        info = meta["frames"][name]
        if info is None:
            frames[name] = None
            continue
        columns: dict[int, pa.ChunkedArray[Any]] = {}
        for index, earlier in info.get("shared", {}).items():
            columns[int(index)] = read[earlier]  # the same pages, not a second copy
        for group in info["groups"]:
            target = folder / group["file"]
            if target.stat().st_size != meta["files"][target.name]:
                raise ValueError(f"{target.name} has the wrong size")
            # Not closed here: the columns use the mapped pages in place (the map lives as
            # long as they do; the file is only ever replaced by rename, never rewritten).
            # Private (copy-on-write): numbers and codes are used in place too, and an edit
            # of the frame changes this process's copy of a page, never the file.
            mapped = np.memmap(target, mode="c")
            maps.append(mapped)
            table = pa.ipc.open_file(pa.BufferReader(pa.py_buffer(cast(Any, mapped)))).read_all()
            table.validate()
            if table.num_columns != len(group["columns"]) or table.num_rows != info["rows"]:
                raise ValueError(f"{target.name} does not have the shape its meta says")
            columns.update(zip(group["columns"], table.columns, strict=True))
        frames[name] = arrow_frames.frame_from_columns(columns, info, tuple(maps))
        read.update({f"{name}.{n}": columns[i] for i, n in enumerate(info["names"])})
    data = meta["dataset"]
    events = frames["events"]
    if events is None:
        raise ValueError("an entry without events")
    return Dataset(
        name=data["name"],
        events=events,
        report=arrow_frames.report_from_json(meta["report"]),
        originals=frames["originals"],
        format=data["format"],
        licence=data["licence"],
        citation=data["citation"],
        sha256=data["sha256"],
    )


# -- housekeeping -----------------------------------------------------------------------------


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _is_entry(path: Path) -> bool:
    name = path.name
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name) and path.is_dir()


def _entry_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


def prune() -> None:
    """Keep the :data:`MAX_ENTRIES` most recently used entries within :data:`MAX_BYTES`;
    delete the rest, and temporary folders left by a crashed writer. Never raises."""
    root = cache_dir()
    try:
        children = list(root.iterdir())
    except OSError:
        return
    entries = []
    for child in children:
        try:
            if child.name.startswith(".tmp-"):
                if time.time() - child.stat().st_mtime > STALE_TEMP_S:
                    _remove(child)
            elif _is_entry(child):
                meta = child / _META
                used = meta.stat().st_mtime if meta.is_file() else 0.0
                entries.append((used, _entry_bytes(child), child))
        except OSError:
            continue
    entries.sort(key=lambda e: e[0], reverse=True)  # most recently used first
    total = 0
    for count, (used, size, child) in enumerate(entries):
        total += size
        if used == 0.0 or count >= MAX_ENTRIES or total > MAX_BYTES:
            _remove(child)
            total -= size


def clear() -> None:
    """Delete every entry (a menu action or a test)."""
    _remove(cache_dir())
