"""A workspace's files (model/workspace.py): what it records of each (path, checksum,
dataset name, reader and options) and what is found of it when it opens (present and
unchanged, missing, or changed since saved)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline_app.model.dataset import file_sha256
from timeline_app.model.workspace_values import WorkspaceError

OK, MISSING, CHANGED = "ok", "missing", "changed"


@dataclass
class FileEntry:
    """One open file: where it is, what it was, and how it was read."""

    path: str  # as stored: relative to the workspace folder where possible
    sha256: str = ""
    #: A Parquet file's cheap fingerprint (:func:`parquet_fingerprint`), saved by a
    #: DuckDB workspace instead of ``sha256``; checked first when present.
    fingerprint: str = ""
    name: str = ""  # the dataset name it had (filters and selection refer to it)
    format: str | None = None  # reader override; None = sniff again
    options: dict[str, Any] | None = None  # reader options, e.g. a column mapping
    #: A converted file of several sources: each open source's name as the file records
    #: it -> the dataset name it had (sources left out were closed).
    sources: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "sha256": self.sha256}
        if self.fingerprint:
            out["fingerprint"] = self.fingerprint
        if self.name:
            out["name"] = self.name
        if self.format:
            out["format"] = self.format
        if self.options:
            out["options"] = self.options
        if self.sources:
            out["sources"] = dict(self.sources)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileEntry:
        if not isinstance(data, dict) or not isinstance(data.get("path"), str):
            raise WorkspaceError("each entry of 'files' needs a 'path'")
        options = data.get("options")
        sources = data.get("sources")
        return cls(
            path=data["path"],
            sha256=str(data.get("sha256") or ""),
            fingerprint=str(data.get("fingerprint") or ""),
            name=str(data.get("name") or ""),
            format=data.get("format") or None,
            options=options if isinstance(options, dict) else None,
            sources={str(k): str(v) for k, v in sources.items()}
            if isinstance(sources, dict)
            else None,
        )


@dataclass
class FileCheck:
    """The outcome of looking for one file of a workspace."""

    entry: FileEntry
    path: Path
    status: str  # OK, MISSING or CHANGED
    sha256: str = ""  # what the file hashes to now ("" when missing or fingerprinted)
    folders: bool = False  # a DuckDB workspace's: a folder of Parquet files is found too
    fingerprint: str = ""  # the file's fingerprint now, when its entry has one

    @property
    def wants_folder(self) -> bool:
        """Whether the entry is a folder (a DuckDB workspace's Parquet folder or hive
        dataset): saved without a checksum or fingerprint, which every file of it has."""
        return self.folders and not self.entry.sha256 and not self.entry.fingerprint

    @property
    def message(self) -> str:
        if self.status == MISSING:
            return f"{self.entry.path}: file not found (looked for {self.path})"
        if self.status == CHANGED and self.entry.fingerprint:
            return (
                f"{self.entry.path}: the file has changed since the workspace was saved "
                f"(its size, time or Parquet footer differ: {self.entry.fingerprint} is now "
                f"{self.fingerprint or 'not a Parquet file'})"
            )
        if self.status == CHANGED:
            return (
                f"{self.entry.path}: the file has changed since the workspace was saved "
                f"(SHA-256 {self.entry.sha256[:12]}… is now {self.sha256[:12]}…)"
            )
        return f"{self.entry.path}: unchanged"


def check_file(entry: FileEntry, path: Path, folders: bool = False) -> FileCheck:
    """Whether ``entry`` is at ``path`` as saved. With ``folders`` (a DuckDB workspace)
    a folder is found when it is there: it has no SHA-256 to compare."""
    if folders and path.is_dir():
        return FileCheck(entry, path, OK, folders=folders)
    if not path.is_file():
        return FileCheck(entry, path, MISSING, folders=folders)
    if entry.fingerprint:  # saved so (a DuckDB workspace's Parquet): no full read
        now = parquet_fingerprint(path)
        status = CHANGED if now != entry.fingerprint else OK
        return FileCheck(entry, path, status, folders=folders, fingerprint=now)
    digest = file_sha256(path)  # saved with its SHA-256 (a workspace before fingerprints)
    status = CHANGED if entry.sha256 and digest != entry.sha256 else OK
    return FileCheck(entry, path, status, digest, folders=folders)


PARQUET_MAGIC = b"PAR1"
FINGERPRINT_KIND = "parquet-footer-v1"


def parquet_fingerprint(path: Path) -> str:
    """A Parquet file's fingerprint: its size, its modification time (whole seconds) and
    the SHA-256 of its footer (the file metadata: schema, row count, and each row
    group's column chunks with their byte offsets, sizes, value counts and min/max
    statistics). "" when it is not a plain Parquet file (no footer to read, or an
    encrypted one) or cannot be read.

    Why not the file's SHA-256, as for every other file: a DuckDB workspace is there
    for data bigger than memory, and hashing reads every byte (many GB) each time the
    workspace is saved or opened; the footer is a few kB to MB at the file's end. A
    writer that rewrites the rows (another conversion, rows added or dropped, a value
    that moves a page's size or a row group's min/max) writes another footer or size,
    and any write, even bytes edited in place that keep every size and statistic,
    moves the modification time. A file moved or copied with its time (``mv``,
    ``cp -p``, ``rsync -a``) is found unchanged; one copied without it is said to have
    changed, and "Open anyway" opens it: a false alarm, never a change unseen.
    """
    try:
        with open(path, "rb") as fh:
            stat = os.fstat(fh.fileno())
            size = stat.st_size
            if size < 12:
                return ""
            fh.seek(size - 8)
            tail = fh.read(8)
            length = int.from_bytes(tail[:4], "little")
            if tail[4:] != PARQUET_MAGIC or length > size - 12:
                return ""
            fh.seek(size - 8 - length)
            digest = hashlib.sha256(fh.read(length))
    except OSError:
        return ""
    return f"{FINGERPRINT_KIND}:{size}:{int(stat.st_mtime)}:{digest.hexdigest()}"
