"""A workspace's files (model/workspace.py): what it records of each (path, checksum,
dataset name, reader and options) and what is found of it when it opens (present and
unchanged, missing, or changed since saved)."""

from __future__ import annotations

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
    name: str = ""  # the dataset name it had (filters and selection refer to it)
    format: str | None = None  # reader override; None = sniff again
    options: dict[str, Any] | None = None  # reader options, e.g. a column mapping

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "sha256": self.sha256}
        if self.name:
            out["name"] = self.name
        if self.format:
            out["format"] = self.format
        if self.options:
            out["options"] = self.options
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileEntry:
        if not isinstance(data, dict) or not isinstance(data.get("path"), str):
            raise WorkspaceError("each entry of 'files' needs a 'path'")
        options = data.get("options")
        return cls(
            path=data["path"],
            sha256=str(data.get("sha256") or ""),
            name=str(data.get("name") or ""),
            format=data.get("format") or None,
            options=options if isinstance(options, dict) else None,
        )


@dataclass
class FileCheck:
    """The outcome of looking for one file of a workspace."""

    entry: FileEntry
    path: Path
    status: str  # OK, MISSING or CHANGED
    sha256: str = ""  # what the file hashes to now ("" when missing)
    folders: bool = False  # a DuckDB workspace's: a folder of Parquet files is found too

    @property
    def wants_folder(self) -> bool:
        """Whether the entry is a folder (a DuckDB workspace's Parquet folder or hive
        dataset): saved without a checksum, which every file of it has."""
        return self.folders and not self.entry.sha256

    @property
    def message(self) -> str:
        if self.status == MISSING:
            return f"{self.entry.path}: file not found (looked for {self.path})"
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
    digest = file_sha256(path)
    status = CHANGED if entry.sha256 and digest != entry.sha256 else OK
    return FileCheck(entry, path, status, digest, folders=folders)
