"""Why a file is not opened, said from what was found in it.

An empty file, binary data, a text file without a header row, a header with no rows, a
broken workbook: each gets its own one-line message (and the mapping dialog is offered
only for a readable table nobody knows, where a mapping can help). The details, for
"Show Details", say what the probe saw: size, container, encoding, delimiter, the first
line, and how each reader scored the file.
"""

from __future__ import annotations

from timeline_app.formats.base import FileProbe, FormatError
from timeline_app.model.messages import N_

#: The first bytes of common non-table files, to name what was found.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", N_("a PDF document")),
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"PK", N_("a ZIP archive (an XLSX workbook must end in .xlsx)")),
    (b"\x1f\x8b", N_("a gzip archive (unpack it first)")),
    (b"\xd0\xcf\x11\xe0", N_("an old Office file (.xls: save it as .xlsx or CSV)")),
    (b"SQLite format 3", N_("an SQLite database")),
    (b"7z\xbc\xaf", N_("a 7-Zip archive")),
    (b"Rar!", N_("a RAR archive")),
)


def refusal(probe: FileProbe, scores: list[tuple[float, str]]) -> FormatError:
    """The error for a file no reader takes, saying what was found."""
    name = probe.path.name
    details = describe(probe, scores)
    if probe.container == "empty":
        return FormatError(N_("{name}: the file is empty (0 bytes)", name=name), details)
    if probe.container == "binary":
        what = next((label for magic, label in _MAGIC if probe.head.startswith(magic)), "")
        found = what or N_("binary data")
        return FormatError(
            N_("{name}: not text: the file holds {found}, not a table", name=name, found=found),
            details,
        )
    if probe.problem:
        return FormatError(N_("{name}: {problem}", name=name, problem=probe.problem), details)
    if probe.container in ("xlsx", "parquet", "json") and not probe.header:
        where = {
            "xlsx": N_("{name}: no columns found in the first sheet", name=name),
            "parquet": N_("{name}: no columns found in the schema", name=name),
            "json": N_("{name}: no columns found in the records", name=name),
        }
        return FormatError(where[probe.container], details)
    if not probe.text.strip():
        return FormatError(N_("{name}: the file is empty (only blank lines)", name=name), details)
    header = [h for h in probe.header if h]
    if len(header) < 2:
        first = _first_line(probe)
        return FormatError(
            N_(
                "{name}: no header: the first line is not a row of column names "
                "(found {first}); a table needs a header row with at least two columns",
                name=name,
                first=repr(first),
            ),
            details,
        )
    if not probe.has_rows:
        return FormatError(
            N_("{name}: has a header but no rows: nothing to open", name=name), details
        )
    return FormatError(
        N_("{name}: not a recognised event table (map its columns)", name=name), details
    )


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
