"""Why a file is not opened, said from what was found in it.

An empty file, binary data, a text file without a header row, a header with no rows, a
broken workbook: each gets its own one-line message (and the mapping dialog is offered
only for a readable table nobody knows, where a mapping can help). The details, for
"Show Details", say what the probe saw: size, container, encoding, delimiter, the first
line, and how each reader scored the file.
"""

from __future__ import annotations

from timeline_app.formats.base import FileProbe, FormatError

#: The first bytes of common non-table files, to name what was found.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK", "a ZIP archive (an XLSX workbook must end in .xlsx)"),
    (b"\x1f\x8b", "a gzip archive (unpack it first)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls: save it as .xlsx or CSV)"),
    (b"SQLite format 3", "an SQLite database"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)


def refusal(probe: FileProbe, scores: list[tuple[float, str]]) -> FormatError:
    """The error for a file no reader takes, saying what was found."""
    name = probe.path.name
    details = describe(probe, scores)
    if probe.container == "empty":
        return FormatError(f"{name}: the file is empty (0 bytes)", details)
    if probe.container == "binary":
        what = next((label for magic, label in _MAGIC if probe.head.startswith(magic)), "")
        found = what or "binary data"
        return FormatError(f"{name}: not text: the file holds {found}, not a table", details)
    if probe.problem:
        return FormatError(f"{name}: {probe.problem}", details)
    if probe.container in ("xlsx", "parquet", "json") and not probe.header:
        where = {"xlsx": "the first sheet", "parquet": "the schema", "json": "the records"}
        return FormatError(f"{name}: no columns found in {where[probe.container]}", details)
    if not probe.text.strip():
        return FormatError(f"{name}: the file is empty (only blank lines)", details)
    header = [h for h in probe.header if h]
    if len(header) < 2:
        first = _first_line(probe)
        return FormatError(
            f"{name}: no header: the first line is not a row of column names "
            f"(found {first!r}); a table needs a header row with at least two columns",
            details,
        )
    if not probe.has_rows:
        return FormatError(f"{name}: has a header but no rows: nothing to open", details)
    return FormatError(f"{name}: not a recognised event table (map its columns)", details)


def _first_line(probe: FileProbe, limit: int = 80) -> str:
    line = next((ln for ln in probe.text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def describe(probe: FileProbe, scores: list[tuple[float, str]]) -> str:
    """What the probe saw, for a user (or a bug report) who asks for the details."""
    lines = [
        f"File: {probe.path}",
        f"Size: {probe.size:,} bytes",
        f"Found: {probe.container}",
    ]
    if probe.text:
        lines.append(f"Text encoding: {probe.encoding}; delimiter: {probe.delimiter!r}")
        lines.append(f"First line: {_first_line(probe, 300)!r}")
    elif probe.head:
        lines.append("First bytes: " + probe.head[:32].hex(" "))
    if probe.header:
        shown = ", ".join(probe.header[:30]) + (" …" if len(probe.header) > 30 else "")
        lines.append(f"Columns ({len(probe.header)}): {shown}")
    if probe.problem:
        lines.append(f"Problem: {probe.problem}")
    if scores:
        lines.append("Readers' confidence: " + ", ".join(f"{n} {s:.2f}" for s, n in scores))
    return "\n".join(lines)
