"""A loaded file: its events, its original columns, and the account of every row."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from timeline_app.model.schema import empty_events

#: How many rejected rows a report keeps verbatim (the counts are always complete).
MAX_REJECTED_SAMPLES = 200


@dataclass(frozen=True)
class Rejection:
    """One data row that could not become an event."""

    line: int  # 1-based physical line number in the file (the header is line 1)
    reason: str  # short, stable reason, e.g. "unparseable date"
    text: str = ""  # the raw row or the offending value, for the user to see


@dataclass
class LoadReport:
    """What a reader did with a file. ``events + rows_merged + rows_rejected == rows_read``."""

    format: str
    rows_read: int = 0
    events: int = 0
    rows_merged: int = 0
    rows_rejected: int = 0
    rejected_by_reason: Counter[str] = field(default_factory=Counter[str])
    rejected_samples: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. "decoded as Windows-1252"
    encoding: str = "utf-8"

    def reject(self, line: int, reason: str, text: str = "") -> None:
        """Count one rejected row (and keep it as a sample while there is room)."""
        self.rows_rejected += 1
        self.rejected_by_reason[reason] += 1
        if len(self.rejected_samples) < MAX_REJECTED_SAMPLES:
            self.rejected_samples.append(Rejection(line, reason, text[:300]))

    def reject_many(self, lines: list[int], reason: str, texts: list[str] | None = None) -> None:
        """Count many rejected rows at once (vectorised readers)."""
        self.rows_rejected += len(lines)
        if lines:
            self.rejected_by_reason[reason] += len(lines)
        room = MAX_REJECTED_SAMPLES - len(self.rejected_samples)
        for i, line in enumerate(lines[: max(room, 0)]):
            self.rejected_samples.append(Rejection(line, reason, (texts[i] if texts else "")[:300]))

    @property
    def balanced(self) -> bool:
        return self.events + self.rows_merged + self.rows_rejected == self.rows_read

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "events": self.events,
            "rows_merged": self.rows_merged,
            "rows_rejected": self.rows_rejected,
            "rejected_by_reason": dict(self.rejected_by_reason),
            "rejected_samples": [
                {"line": r.line, "reason": r.reason, "text": r.text}
                for r in self.rejected_samples[:20]
            ],
            "warnings": list(self.warnings),
        }


@dataclass
class Dataset:
    """The events read from one file, with the file's own columns kept for export.

    ``originals`` has one row per event, aligned with ``events`` (row i of one is row i
    of the other), holding the source columns exactly as the file named them.
    """

    name: str  # the value of the ``dataset`` column for these events; unique while open
    events: pd.DataFrame
    report: LoadReport
    originals: pd.DataFrame | None = None
    path: Path | None = None
    format: str = "native"
    licence: str = ""
    citation: str = ""
    sha256: str = ""
    # How the file was read, in JSON form: {"mapping": {...}, "date_order": "day-first"}
    # (the reader's options that change the events; empty for a file read as sniffed).
    options: dict[str, Any] = field(default_factory=dict)
    #: A converted file of several sources (model/file_sources.py): one dataset per
    #: source, the whole file's rows in order; empty for any other file.
    parts: list[Dataset] = field(default_factory=list, repr=False)
    #: For one of ``parts``: the source as the file records it (name, path and format of
    #: origin, licence, citation, SHA-256, events); None for a whole file.
    source: dict[str, Any] | None = None

    @property
    def opened(self) -> list[Dataset]:
        """The datasets this file opens as: its sources' (``parts``), or itself."""
        return self.parts or [self]

    @classmethod
    def empty(cls, name: str = "empty") -> Dataset:
        return cls(name=name, events=empty_events(), report=LoadReport(format="native"))

    def __len__(self) -> int:
        return len(self.events)


def unique_name(name: str, taken: Container[str]) -> str:
    """``name``, or the first of ``name (2)``, ``name (3)``… not in ``taken``: how a
    dataset whose name is taken is named, by the window, workspaces, both engines and
    the commands alike."""
    candidate, k = name, 2
    while candidate in taken:
        candidate, k = f"{name} ({k})", k + 1
    return candidate


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, read in chunks (files can be gigabytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
