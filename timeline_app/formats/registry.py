"""Picks the reader for a file by sniffing it, and loads it.

Each reader module registers one :class:`Reader`. ``sniff`` asks every reader for a
confidence in [0, 1] from a cheap :class:`FileProbe` (extension, first bytes, header);
the highest wins unless the user names a format.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from timeline_app.formats import cache
from timeline_app.model.dataset import Dataset

ProgressFn = Callable[[float], None]  # fraction of the file read, 0..1
CancelFn = Callable[[], bool]  # True when the user asked to stop

PROBE_BYTES = 64 * 1024


class FormatError(Exception):
    """A file that cannot be read at all. ``str(err)`` is one line a user can act on."""


class LoadCancelled(Exception):
    """The user cancelled a load; nothing was changed."""


@dataclass
class FileProbe:
    """What the readers may look at to decide whether a file is theirs."""

    path: Path
    head: bytes
    text: str = ""  # the head decoded (UTF-8, BOM stripped, or Windows-1252)
    encoding: str = "utf-8"
    delimiter: str = ","
    header: list[str] = field(default_factory=list)  # first row's fields, stripped

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def header_lower(self) -> set[str]:
        return {h.strip().lower() for h in self.header}


class Reader(Protocol):
    name: str  # short id used by --format, e.g. "acled"
    label: str  # shown to users, e.g. "ACLED export"

    def sniff(self, probe: FileProbe) -> float: ...

    def read(
        self,
        path: Path,
        *,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        options: dict[str, Any] | None = None,
    ) -> Dataset: ...


_READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    _READERS[reader.name] = reader
    return reader


def readers() -> dict[str, Reader]:
    _load_builtin_readers()
    return dict(_READERS)


def probe_file(path: Path) -> FileProbe:
    """Read the first bytes of a file and guess its text encoding, delimiter and header."""
    path = Path(path)
    if not path.exists():
        raise FormatError(f"{path}: no such file")
    if path.is_dir():
        raise FormatError(f"{path}: is a folder, not a file")
    with open(path, "rb") as fh:
        head = fh.read(PROBE_BYTES)
    probe = FileProbe(path=path, head=head)
    if head.startswith(b"PK") or head.startswith(b"PAR1") or b"\x00" in head[:4096]:
        return probe  # binary (XLSX, Parquet, ...): the readers look at the suffix
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        probe.text = head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start > len(head) - 4:  # a multi-byte character cut by the probe size
            probe.text = head[: err.start].decode("utf-8")
        else:
            probe.text = head.decode("cp1252", errors="replace")
            probe.encoding = "cp1252"
    first = probe.text.splitlines()[0] if probe.text else ""
    probe.delimiter = guess_delimiter(first)
    probe.header = [
        h.strip() for h in next(csv.reader(io.StringIO(first), delimiter=probe.delimiter), [])
    ]
    return probe


def guess_delimiter(line: str) -> str:
    """The most frequent of tab, comma, semicolon and pipe in a header line."""
    counts = {d: line.count(d) for d in ("\t", ",", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def sniff(path: Path) -> list[tuple[float, str]]:
    """All readers' confidence for this file, best first."""
    probe = probe_file(path)
    scores = [(reader.sniff(probe), name) for name, reader in readers().items()]
    return sorted(scores, reverse=True)


def detect_format(path: Path) -> str:
    scores = sniff(path)
    if not scores or scores[0][0] <= 0:
        raise FormatError(f"{Path(path).name}: not a recognised event table (map its columns)")
    return scores[0][1]


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

    A big file read before (same path, size, modification time, reader and options) comes
    from the cache (timeline_app/formats/cache.py) when ``use_cache``. A file read now is
    written to the cache in the background, once ``shown`` is set (if given): the window
    sets it when the events are on screen, so that the write does not slow that down."""
    path = Path(path)
    name = format or detect_format(path)
    reader = readers().get(name)
    if reader is None:
        known = ", ".join(sorted(readers()))
        raise FormatError(f"unknown format {name!r} (known: {known})")
    entry = cache.entry_for(path, name, options) if use_cache else None
    dataset = entry.fetch() if entry is not None else None
    if dataset is None:
        try:
            dataset = reader.read(path, progress=progress, cancelled=cancelled, options=options)
        except (FormatError, LoadCancelled):
            raise
        except (OSError, UnicodeError, ValueError, KeyError, IndexError, csv.Error) as err:
            raise FormatError(f"{path.name}: cannot read as {reader.label}: {err}") from err
        if entry is not None:
            dataset.format = name
            entry.store(dataset, after=shown)  # captured now, written on a daemon thread
    elif progress is not None:
        progress(1.0)
    dataset.path = path
    dataset.format = name
    _apply_sidecar(dataset, path)
    return dataset


def _apply_sidecar(dataset: Dataset, path: Path) -> None:
    """A ``NAME.meta.json`` beside a file gives its licence and citation."""
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.is_file():
        return
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        dataset.report.warnings.append(f"ignored unreadable {sidecar.name}")
        return
    dataset.licence = dataset.licence or str(meta.get("licence", ""))
    dataset.citation = dataset.citation or str(meta.get("citation", ""))


def _load_builtin_readers() -> None:
    # Imported here so that each reader module registers itself exactly once.
    import timeline_app.formats.acled  # noqa: F401
    import timeline_app.formats.gdelt  # noqa: F401
    import timeline_app.formats.gtd  # noqa: F401
    import timeline_app.formats.table  # noqa: F401
    import timeline_app.formats.ucdp  # noqa: F401
    from timeline_app.formats import native  # noqa: F401
