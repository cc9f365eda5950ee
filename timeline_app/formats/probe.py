"""Reading a file's head: enough for every reader to say whether the file is theirs.

Only the head is read: a text file's first 64 KB, a workbook's first row on its first
sheet (python-calamine reads no further), a Parquet file's schema (its footer), the first
records of a JSON or GeoJSON file. What was found is said in the probe (an empty file,
binary data, a broken container), so that a refusal can say what it saw.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from pathlib import Path
from typing import Any

from timeline_app.formats.base import FileProbe, FormatError, decode_text, guess_delimiter
from timeline_app.formats.geojson import json_records
from timeline_app.model.messages import N_
from timeline_app.storage.parquet_files import hive_partitions, parquet_files

log = logging.getLogger(__name__)

PROBE_BYTES = 64 * 1024
#: JSON files are parsed whole only up to this size to find their first records' keys.
JSON_PROBE_BYTES = 8 * 1024 * 1024
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm", ".parquet", ".json", ".geojson"}


def probe_file(path: Path | str) -> FileProbe:
    """Read the head of a file: its container, text encoding, delimiter and header."""
    path = Path(path)
    if not path.exists():
        raise FormatError(N_("{path}: no such file", path=str(path)))
    if path.is_dir():
        return _folder_probe(path)
    with open(path, "rb") as fh:
        head = fh.read(PROBE_BYTES)
    probe = FileProbe(path=path, head=head, size=path.stat().st_size)
    if not head:
        probe.container = "empty"
        return probe
    if head.startswith(b"PK"):
        probe.container = "xlsx" if probe.suffix in XLSX_SUFFIXES else "binary"
        if probe.container == "xlsx":
            _workbook_header(probe)
        return probe
    if head.startswith(b"PAR1"):
        probe.container = "parquet"
        _parquet_header(probe)
        return probe
    if _binary(head):
        probe.container = "binary"
        return probe
    probe.text, probe.encoding, _ = decode_text(head, cut=len(head) == PROBE_BYTES)
    stripped = probe.text.lstrip()
    if stripped[:1] in ("[", "{") and probe.suffix in {".json", ".geojson", ""}:
        probe.container = "json"
        _json_header(probe)
        return probe
    first = next((line for line in probe.text.splitlines() if line.strip()), "")
    probe.delimiter = guess_delimiter(first)
    try:
        row = next(csv.reader(io.StringIO(first), delimiter=probe.delimiter), [])
    except csv.Error:
        row = first.split(probe.delimiter)
    probe.header = [h.strip() for h in row]
    return probe


def _folder_probe(path: Path) -> FileProbe:
    """A folder of Parquet files (or a hive-partitioned dataset) is probed by its first
    file, with the partition keys added to its header."""
    files = parquet_files(path)
    if not files:
        raise FormatError(
            N_("{path}: is a folder without Parquet files, not a file", path=str(path))
        )
    probe = probe_file(files[0])
    known = set(probe.header)
    probe.header += [k for k in hive_partitions(path, files[0]) if k not in known]
    probe.size = sum(p.stat().st_size for p in files)
    return probe


def _binary(head: bytes) -> bool:
    """Bytes that are no text: NULs, or many control characters (not tab, CR, LF, FF)."""
    sample = head[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def _workbook_header(probe: FileProbe) -> None:
    """The first non-empty row of the first sheet (calamine stops reading there)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # openpyxl in read-only mode also reads row by row
        _workbook_header_openpyxl(probe)
        return
    try:
        sheet = CalamineWorkbook.from_path(str(probe.path)).get_sheet_by_index(0)
        for row in sheet.iter_rows():
            cells = [_cell(v) for v in row]
            if any(cells):
                probe.header = cells
                break
    except Exception as err:  # calamine raises its own types for a broken workbook
        log.info("calamine cannot read %s", probe.path, exc_info=err)
        probe.problem = N_("not a readable XLSX workbook ({error})", error=str(err))


def _workbook_header_openpyxl(probe: FileProbe) -> None:
    import openpyxl

    try:
        book = openpyxl.load_workbook(probe.path, read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                cells = [_cell(v) for v in row]
                if any(cells):
                    probe.header = cells
                    break
        finally:
            book.close()
    except Exception as err:  # openpyxl raises many types for a broken workbook
        log.info("openpyxl cannot read %s", probe.path, exc_info=err)
        probe.problem = N_("not a readable XLSX workbook ({error})", error=str(err))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parquet_header(probe: FileProbe) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        probe.header = [str(n) for n in pq.read_schema(probe.path).names]
    except (OSError, ValueError, pa.ArrowException) as err:
        probe.problem = N_("not a readable Parquet file ({error})", error=str(err))


def _json_header(probe: FileProbe) -> None:
    """The keys of the first records of a JSON array, of ``{"data": [...]}``, or of a
    GeoJSON FeatureCollection's features' ``properties``."""
    if probe.size > JSON_PROBE_BYTES:
        probe.header = _json_keys_from_head(probe.text)
        return
    try:
        data = json.loads(probe.path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        probe.problem = N_("not valid JSON ({error})", error=str(err))
        return
    try:
        records, _unplaced = json_records(data, probe.path.name)
    except FormatError:
        probe.problem = N_("JSON that is not a list of records")
        return
    keys: dict[str, None] = {}
    for record in records[:20]:
        keys.update(dict.fromkeys(str(k) for k in record))
    probe.header = list(keys)


def _json_keys_from_head(text: str) -> list[str]:
    """Keys of the first record in a big JSON file's head (its first object's keys)."""
    start = text.find("{", 1 if text.lstrip().startswith("{") else 0)
    if "properties" in text[:4096]:
        at = text.find('"properties"')
        start = text.find("{", at) if at >= 0 else start
    keys = re.findall(r'"([^"\\]{1,200})"\s*:', text[start : start + 16384])
    return list(dict.fromkeys(keys))
