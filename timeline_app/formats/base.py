"""What every reader and the registry share: the Reader protocol, the probe a reader
sniffs, the errors, and the text helpers every reader uses the same way.

Readers import this module (and the text/date modules), never the registry, so the
registry can import the readers at the top without an import circle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from timeline_app.model.dataset import Dataset

#: The share of a load's work done, 0..1: 1 only once the events are built (the registry's
#: ``load`` says it, last). A step of the load reports through :func:`stage`.
ProgressFn = Callable[[float], None]
CancelFn = Callable[[], bool]  # True when the user asked to stop

#: How day and month of ``n/n/yyyy`` dates are ordered: decided from the column ("auto"),
#: or given by the user (a mapping's ``date_order``, ``--date-order``).
DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"
DATE_ORDERS: tuple[str, ...] = ("auto", DAY_FIRST, MONTH_FIRST)

UTF8_BOM = b"\xef\xbb\xbf"
DELIMITERS = ("\t", ",", ";", "|")


#: The share of an ACLED or UCDP load that is reading the file as a text table (0.56-0.72
#: of the time for 100k ACLED rows; the rest is building the events).
TEXT_TABLE_SHARE = 0.6


def stage(progress: ProgressFn | None, start: float, end: float) -> ProgressFn | None:
    """A step's own progress (0..1) as the share [start, end] of the load it is part of.

    Reading the bytes of a text file is under half of reading it as a table, and that
    under two thirds of an ACLED load: reported as the whole, the bar said 95% when a
    quarter of the time had passed, and 100% while the events were still being built
    (then, beside a second file still reading, 94%)."""
    if progress is None:
        return None
    span = end - start

    def report(fraction: float) -> None:
        progress(start + span * min(max(fraction, 0.0), 1.0))

    return report


class FormatError(Exception):
    """A file that cannot be read at all. ``str(err)`` is one line a user can act on.

    ``details`` says more (what was found in the file), for a "Show Details" button."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class NeedsMapping(FormatError):
    """A readable table whose columns nobody knows: the user must map them (the GUI offers
    the mapping dialog on this error)."""


class LoadCancelled(Exception):
    """The user cancelled a load; nothing was changed."""


@dataclass
class FileProbe:
    """What the readers may look at to decide whether a file is theirs: the file's head,
    and the header of its table (a text file's first line, a workbook's first row, a
    Parquet file's schema, the keys of a JSON file's first records)."""

    path: Path
    head: bytes
    text: str = ""  # the head decoded (UTF-8, BOM stripped, or Windows-1252); "" if binary
    encoding: str = "utf-8"
    delimiter: str = ","
    header: list[str] = field(default_factory=list)  # the table's column names, stripped
    container: str = "text"  # "text", "xlsx", "parquet", "json", "binary" or "empty"
    size: int = 0
    problem: str = ""  # why the header could not be read (a broken workbook, ...)

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def header_lower(self) -> set[str]:
        return {h.strip().lower() for h in self.header}

    @property
    def has_rows(self) -> bool:
        """Whether a text file's head holds a line after its first non-blank one."""
        lines = (line for line in self.text.splitlines() if line.strip())
        return next(lines, None) is not None and next(lines, None) is not None


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


def date_order_option(options: dict[str, Any] | None) -> str:
    """The ``date_order`` a load was asked for ("auto" when none or not a known one)."""
    order = (options or {}).get("date_order") or "auto"
    return order if order in DATE_ORDERS else "auto"


# -- text helpers shared by every reader -----------------------------------------------------
def decode_text(data: bytes, *, cut: bool = False) -> tuple[str, str, list[str]]:
    """Text of some bytes: UTF-8 (a BOM dropped) or, failing that, Windows-1252 (warned).

    Returns (text, encoding, warnings); encoding is "utf-8" or "cp1252". With ``cut``, the
    bytes are a file's head: a multi-byte character cut at the end is no reason to doubt
    UTF-8.
    """
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as err:
        if cut and err.start > len(data) - 4:
            return data[: err.start].decode("utf-8", errors="replace"), "utf-8", []
        note = "not valid UTF-8: decoded as Windows-1252"
        return data.decode("cp1252", errors="replace"), "cp1252", [note]


def guess_delimiter(line: str) -> str:
    """The most frequent of tab, comma, semicolon and pipe in a header line (comma if none)."""
    counts = {d: line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def dedupe_header(names: Iterable[Any]) -> list[str]:
    """Header names made unique and non-blank: blank -> ``column_N`` (N its position from
    1), a repeat -> ``name.2``, ``name.3``... (the first keeps its name)."""
    result: list[str] = []
    seen: Counter[str] = Counter()
    for i, raw in enumerate(names):
        name = "" if raw is None else str(raw).strip()
        name = name or f"column_{i + 1}"
        candidate, k = name, 1
        while candidate in seen:
            k += 1
            candidate = f"{name}.{k}"
        seen[candidate] += 1
        result.append(candidate)
    return result
