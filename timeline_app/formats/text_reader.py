"""The one text reader: every delimited file, for every format, is read here.

:func:`read_text_table` turns a CSV (any of ``, ; tab |``, or the delimiter given) into an
Arrow table of string columns, one per header name (or per name given, for a headerless
layout), plus the rows it could not take, each with its physical line number (1-based,
the header is line 1; a record spanning lines is numbered by its first line). It copes
with what re-saved exports contain: a UTF-8 byte-order mark, Windows-1252 bytes (decoded
as such, with a warning), quoted newlines, CRLF rows with bare LF inside quotes, blank
trailing header columns, one trailing extra field on every row, an HXL tag row under
the header, and blank lines.

The parts: the file's shape from its head in :mod:`.text_layout`; the parse in
:mod:`.text_parse`; the result, with its line accounting, in :mod:`.text_table`.
Turning the string columns into canonical ones is in :mod:`._columns`; dates in
:mod:`._dates`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from timeline_app.formats.base import UTF8_BOM, CancelFn, FormatError, ProgressFn, stage
from timeline_app.formats.text_layout import HEAD_BYTES, looks_utf8, sniff_layout
from timeline_app.formats.text_parse import DICT_TYPE, NotUtf8, finish, read_arrow, read_python
from timeline_app.formats.text_table import TextTable
from timeline_app.model.messages import N_

#: The share of reading a text table that is reading its bytes (0.37-0.65 of the time for
#: 100k ACLED rows; the rest is building the columns).
READ_SHARE = 0.45
#: Progress is passed on in steps of at least this fraction: a 1M-row file is read in
#: ~700 blocks, and a signal per block across threads kept the UI thread (and the GIL) busy.
PROGRESS_STEP = 0.01
CP1252_WARNING = N_("decoded as Windows-1252 (the file is not valid UTF-8)")


def read_text_table(
    path: Path,
    *,
    dictionary: Callable[[str], bool] | None = None,
    delimiter: str | None = None,
    names: list[str] | None = None,
    quoting: bool = True,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> TextTable:
    """Read a delimited text file into string columns; see the module docstring.

    ``dictionary(name)`` says which columns to dictionary-encode (repetitive ones such as
    actors or regions: cheaper to hold and to turn into categoricals); the rest are plain
    strings. ``delimiter`` overrides the guess; ``names`` are the columns of a file with
    no header line; ``quoting=False`` reads double quotes as plain characters. Raises
    :class:`FormatError` for a file that is not a text table.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    size = max(path.stat().st_size, 1)
    if not head.strip():
        raise FormatError(N_("{name}: the file is empty", name=path.name))
    if b"\x00" in head[:4096]:
        raise FormatError(N_("{name}: binary data, not a text table", name=path.name))
    bom = head.startswith(UTF8_BOM)
    body = head[len(UTF8_BOM) :] if bom else head
    encoding = "utf-8-sig" if bom else "utf-8"
    complete = len(head) < HEAD_BYTES
    if not looks_utf8(body, complete=complete):
        encoding = "cp1252"
    layout = sniff_layout(
        path, body, encoding, complete, delimiter=delimiter, names=names, quoting=quoting
    )
    offset = (len(UTF8_BOM) if bom else 0) + layout.data_offset
    progress = _monotonic(progress)
    # The bytes are under half the work; the columns (dictionary encoding) the rest.
    reading = stage(progress, 0.0, READ_SHARE)
    want_dict = dictionary or (lambda _name: False)
    types = {n: (DICT_TYPE if want_dict(n) else pa.string()) for n in layout.read_names}
    # pyarrow parses every column as plain strings; the repetitive ones are encoded after
    # the parse, whole-column (cheaper than per-block dictionaries that must be unified).
    plain = dict.fromkeys(layout.read_names, pa.string())
    try:
        table = read_arrow(path, offset, size, encoding, layout, plain, reading, cancelled)
    except NotUtf8:
        encoding = "cp1252"
        layout.warnings.append(CP1252_WARNING)
        table = read_arrow(path, offset, size, encoding, layout, plain, reading, cancelled)
    if encoding == "cp1252" and not any("Windows-1252" in w for w in layout.warnings):
        layout.warnings.append(CP1252_WARNING)
    if table is None:  # pyarrow refused the file: the slow, forgiving path
        table = read_python(path, offset, size, encoding, layout, types, reading, cancelled)
    dictionary_names = {n for n, t in types.items() if t == DICT_TYPE}
    result = finish(path, layout, table, encoding, dictionary_names)
    if progress:
        progress(1.0)
    return result


def _monotonic(progress: ProgressFn | None) -> ProgressFn | None:
    """Progress that never goes back (a second, serial parse starts from byte 0 again),
    reported in steps of PROGRESS_STEP (and always at the end)."""
    if progress is None:
        return None
    best = [0.0]

    def report(fraction: float) -> None:
        if fraction >= best[0] + PROGRESS_STEP or (fraction >= 1.0 > best[0]):
            best[0] = fraction
            progress(fraction)

    return report
