"""Picks the reader for a file by sniffing its head, and loads it.

Each reader module makes one :class:`~.base.Reader` (its ``READER``); the registry lists
them. ``sniff`` asks every reader for a confidence in [0, 1] from a cheap
:class:`~.base.FileProbe` (the file's head and its table's header); the highest wins
unless the user names a format. :func:`plan_open` is what opening a file does first, in
the worker: which reader, or "needs a mapping" with a preview for the mapping dialog, or
a refusal that says what was found.
"""

from __future__ import annotations

import csv
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline_app.formats import acled, gdelt, gtd, native, table, ucdp
from timeline_app.formats.base import (
    CancelFn,
    FileProbe,
    FormatError,
    LoadCancelled,
    NeedsMapping,
    ProgressFn,
    Reader,
    guess_delimiter,
    stage,
)
from timeline_app.formats.mapping import saved_mapping
from timeline_app.formats.probe import PROBE_BYTES, probe_file
from timeline_app.formats.raw_table import RawTable, peek_raw_table
from timeline_app.formats.refusal import describe, refusal
from timeline_app.model.dataset import Dataset
from timeline_app.model.file_sources import split_sources
from timeline_app.model.long_cells import note_long_cells
from timeline_app.model.messages import N_
from timeline_app.storage import cache
from timeline_app.storage.parquet_files import recorded_sources

__all__ = [
    "PROBE_BYTES",
    "CancelFn",
    "FileProbe",
    "FormatError",
    "LoadCancelled",
    "NeedsMapping",
    "OpenPlan",
    "ProgressFn",
    "Reader",
    "detect_format",
    "guess_delimiter",
    "load",
    "needs_mapping",
    "plan_open",
    "probe_file",
    "readers",
    "register",
    "sniff",
]

#: Rows of an unknown table shown in the mapping dialog.
PREVIEW_ROWS = 20

_READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        native.READER,
        acled.READER,
        ucdp.READER,
        gtd.READER,
        gdelt.READER,
        table.READER,
    )
}


def register(reader: Reader) -> Reader:
    """Add a reader (a plug-in's, a test's) under its name."""
    _READERS[reader.name] = reader
    return reader


def readers() -> dict[str, Reader]:
    return dict(_READERS)


def sniff_probe(probe: FileProbe) -> list[tuple[float, str]]:
    """All readers' confidence for a probed file, best first."""
    scores = [(reader.sniff(probe), name) for name, reader in _READERS.items()]
    return sorted(scores, reverse=True)


def sniff(path: Path) -> list[tuple[float, str]]:
    """All readers' confidence for this file, best first."""
    return sniff_probe(probe_file(path))


def detect_format(path: Path) -> str:
    probe = probe_file(path)
    scores = sniff_probe(probe)
    if not scores or scores[0][0] <= 0:
        raise refusal(probe, scores)
    return scores[0][1]


@dataclass
class OpenPlan:
    """How to open a file, decided from its head (in the worker, before any dialog)."""

    path: Path
    format: str | None  # the reader to load with; None when the columns must be mapped
    preview: RawTable | None = None  # the first rows, for the mapping dialog
    header: list[str] | None = None

    @property
    def needs_mapping(self) -> bool:
        return self.format is None


def plan_open(
    path: Path | str, format: str | None = None, *, ask_mapping: bool = False
) -> OpenPlan:
    """Decide how to open ``path``, reading only its head.

    A known layout gives its reader; a table nobody knows gives "needs a mapping" with a
    preview of its first rows (unless a mapping saved for its header fits: then the table
    reader, which uses it). A file that is no table raises FormatError saying what was
    found (empty, not text, no header...), with details for "Show Details".
    ``ask_mapping`` (File > Open As > table): the mapping dialog even if a saved one fits.
    """
    path = Path(path)
    if format is not None and format != "table":
        if format not in _READERS:
            raise FormatError(f"unknown format {format!r} (known: {', '.join(sorted(_READERS))})")
        return OpenPlan(path, format)
    probe = probe_file(path)
    if format is None:
        scores = sniff_probe(probe)
        best = scores[0][1] if scores and scores[0][0] > 0 else None
        if best is None:
            raise refusal(probe, scores)
        if best != "table":
            return OpenPlan(path, best, header=probe.header)
    preview = peek_raw_table(path, rows=PREVIEW_ROWS)
    if not preview.header:
        raise refusal(probe, [])
    if not len(preview.frame) and not preview.rejected:
        raise FormatError(
            N_("{name}: has a header but no rows: nothing to open", name=path.name),
            describe(probe, []),
        )
    if not ask_mapping and saved_mapping(preview.header) is not None:
        return OpenPlan(path, "table", header=preview.header)
    return OpenPlan(path, None, preview=preview, header=preview.header)


def needs_mapping(path: Path | str) -> bool:
    """True when no reader knows ``path``'s layout and no saved mapping fits its header.
    A file that is not a table at all gives False: loading it then fails in one line."""
    try:
        return plan_open(path).needs_mapping
    except FormatError:
        return False


#: The share of a load that is the reader's (the rest: sidecar, long-cell check).
READER_SHARE = 0.97


def load(
    path: Path | str,
    format: str | None = None,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    options: dict[str, Any] | None = None,
    use_cache: bool = True,
    shown: threading.Event | None = None,
) -> Dataset:
    """Read one file into a :class:`Dataset`. Raises FormatError with a one-line reason.
    A converted file of several sources comes with one dataset per source in ``parts``
    (what it opens as: ``Dataset.opened``).

    A big file read before (same path, size, modification time, reader and options) comes
    from the reopen cache (:mod:`timeline_app.storage.cache`) when ``use_cache``. A file
    read now is written to the cache in the background, once ``shown`` is set (if given):
    the window sets it when the events are on screen, so that the write does not slow
    that down."""
    path = Path(path)
    if format is None and options and options.get("mapping") is not None:
        format = "table"  # a mapping says how to read it
    name = format or detect_format(path)
    reader = _READERS.get(name)
    if reader is None:
        known = ", ".join(sorted(_READERS))
        raise FormatError(f"unknown format {name!r} (known: {known})")
    entry = cache.entry_for(path, name, options) if use_cache else None
    dataset = entry.fetch() if entry is not None else None
    if dataset is None:
        try:
            # A reader's "done" is not the load's: the long-cell check and the sidecar
            # follow, and only this function says 1.0, last.
            reading = stage(progress, 0.0, READER_SHARE)
            dataset = reader.read(path, progress=reading, cancelled=cancelled, options=options)
        except (FormatError, LoadCancelled):
            raise
        except (OSError, UnicodeError, ValueError, KeyError, IndexError, csv.Error) as err:
            raise FormatError(
                N_(
                    "{name}: cannot read as {reader}: {error}",
                    name=path.name,
                    reader=reader.label,
                    error=str(err),
                )
            ) from err
        note_long_cells(dataset)  # megabyte cells: said in the report, which the cache keeps
        if entry is not None:
            dataset.format = name
            entry.store(dataset, after=shown)  # captured now, written on a daemon thread
    dataset.path = path
    dataset.format = name
    dataset.options = _recorded_options(options)
    apply_sidecar(dataset, path)
    if name == native.READER.name:  # a converted file of several sources: its sources
        split_sources(dataset, recorded_sources(path))
    if progress is not None:
        progress(1.0)  # the load's one "done"
    return dataset


def _recorded_options(options: dict[str, Any] | None) -> dict[str, Any]:
    """The options that decide how a file is read, in JSON form (for provenance and
    workspaces): the mapping, the date order, the delimiter."""
    out: dict[str, Any] = {}
    for key, value in (options or {}).items():
        if key == "mapping" and value is not None:
            out[key] = value if isinstance(value, dict) else value.to_dict()
        elif key == "date_order" and value and value != "auto" or key == "delimiter" and value:
            out[key] = str(value)
    return out


def apply_sidecar(dataset: Dataset, path: Path) -> None:
    """A ``NAME.meta.json`` beside a file gives its licence and citation."""
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.is_file():
        return
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        dataset.report.warnings.append(N_("ignored unreadable {name}", name=sidecar.name))
        return
    dataset.licence = dataset.licence or str(meta.get("licence", ""))
    dataset.citation = dataset.citation or str(meta.get("citation", ""))
