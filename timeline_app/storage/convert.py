"""Converting event files to one Parquet file that DuckDB reads without loading it.

Each dataset (read by its reader, one at a time) is written as a part: the canonical
columns, with ``dataset`` set to its name, and the source's own columns as
``original.NAME``. DuckDB then sorts all parts into the output, out of core (it spills
to disk past its memory limit), so a year of daily GDELT files converts in pieces.

The layout (:data:`SORT_SQL`, :data:`ROW_GROUP_ROWS`) is what makes filters cheap:
rows are sorted by source (each source's rows are one run, in the order given), then by
the month of their start, then by country and admin1, then by start. DuckDB skips a row group whose min/max statistics exclude a filter, so a date
filter reads only its months' row groups, and a place filter only the row groups of
that place within each month (at GDELT's ~10M events a month, Mali's events of a month
are one or two row groups of hundreds). Row groups of 65,536 rows are small enough for
that and large enough for the scan to stay fast (~150 row groups per 10M events).

The file describes itself: its footer's key-value metadata (:data:`SOURCES_KEY`) lists
the sources in the order of their rows (name, path, format, licence, citation, SHA-256,
events), so that both engines open a file of several sources as its sources.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from timeline_app.model.atomic import atomic_path
from timeline_app.model.dataset import Dataset
from timeline_app.model.provenance import source_record
from timeline_app.model.schema import CANONICAL_COLUMNS
from timeline_app.storage.interruptible import check, watched
from timeline_app.storage.parquet_files import ORIGINAL_PREFIX, SOURCES_KEY

#: Rows per row group of a converted file (see the module's docstring).
ROW_GROUP_ROWS = 65_536
#: The order of a converted file's rows: each source (part) is one run of rows, so that
#: both engines read a source's rows as one dataset in file order; its row keeps it stable.
SORT_SQL = '"__part", year(start), month(start), country, admin1, start, "__row"'
SORT_DESCRIPTION = "source, then month of start, country, admin1, start, then source order"
#: What the footer records of each source (:data:`SOURCES_KEY`), from its provenance record.
RECORDED = ("path", "format", "licence", "citation", "sha256", "events")


@dataclass
class Converted:
    """What a conversion wrote."""

    out: Path
    rows: int
    #: The datasets converted, without their events (their path, format, how read).
    datasets: list[Dataset] = field(default_factory=list)
    #: Their provenance records (path, SHA-256, events...), made while they were whole.
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def layout(self) -> dict[str, Any]:
        return {"sorted_by": SORT_DESCRIPTION, "row_group_rows": ROW_GROUP_ROWS}


def dataset_arrow(dataset: Dataset) -> pa.Table:
    """One dataset as it goes into a converted file: canonical columns, then the
    source's own columns prefixed with ``original.``."""
    events = dataset.events[list(CANONICAL_COLUMNS)].assign(dataset=dataset.name)
    table = pa.Table.from_pandas(events, preserve_index=False)
    originals = dataset.originals
    if originals is None or not len(originals.columns) or len(originals) != len(events):
        return table
    for name in originals.columns:
        table = table.append_column(ORIGINAL_PREFIX + str(name), _arrow_column(originals[name]))
    return table


def _arrow_column(values: pd.Series) -> pa.Array:  # type: ignore[type-arg]
    try:
        return pa.Array.from_pandas(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types in one column: as text
        return pa.Array.from_pandas(values.astype("string"))


def convert(
    datasets: Iterable[Dataset],
    out: Path | str,
    *,
    progress: Callable[[float], None] | None = None,
    memory_limit: str | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Converted:
    """Write ``datasets`` (an iterable: each may be read only when its turn comes) to
    ``out`` as one sorted Parquet file; atomic (the old file stays until the new one is
    whole). The datasets are kept in the result without their events, for provenance.
    Once ``cancelled()`` is true, it stops (the sort too) and raises ConvertCancelled."""
    out = Path(out)
    kept: list[Dataset] = []
    sources: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix=".convert-", dir=out.parent) as tmp:
        parts: list[str] = []
        for k, dataset in enumerate(datasets):
            check(cancelled)
            table = dataset_arrow(dataset)
            # numpy, not Python lists: at 2.5M rows those took 0.7 s (a column each)
            table = table.append_column("__part", pa.array(np.full(len(table), k, np.int32)))
            table = table.append_column("__row", pa.array(np.arange(len(table), dtype=np.int64)))
            part = Path(tmp) / f"part-{k:05d}.parquet"
            pq.write_table(table, part)
            parts.append(str(part))
            kept.append(_without_events(dataset))
            sources.append(source_record(dataset, len(dataset)))
            del table
            if progress:
                progress(0.5 * (k + 1) / (k + 2))
        if not parts:
            raise ValueError("nothing to convert")
        con = duckdb.connect(config={"temp_directory": str(Path(tmp) / "spill")})
        try:
            if memory_limit:
                con.execute(f"SET memory_limit = '{memory_limit}'")
            with atomic_path(out) as target:
                query = (
                    "SELECT * EXCLUDE (__part, __row) FROM read_parquet(?, union_by_name = true) "
                    f"ORDER BY {SORT_SQL}"
                )
                kv = f"KV_METADATA {{'{SOURCES_KEY}': '{_quoted(footer_sources(sources))}'}}"
                with watched(con, cancelled, progress, span=(0.5, 0.99)):
                    con.execute(
                        f"COPY ({query}) TO '{_quoted(target)}' (FORMAT parquet, "
                        f"ROW_GROUP_SIZE {ROW_GROUP_ROWS}, COMPRESSION zstd, {kv})",
                        [parts],
                    )
            rows = int(pq.ParquetFile(out).metadata.num_rows)
        finally:
            con.close()
        shutil.rmtree(Path(tmp) / "spill", ignore_errors=True)
    if progress:
        progress(1.0)
    return Converted(out, rows, kept, sources)


def footer_sources(sources: list[dict[str, Any]]) -> str:
    """The sources' provenance records as the footer records them (JSON)."""
    records = [{"name": s["dataset"], **{k: s.get(k) for k in RECORDED}} for s in sources]
    return json.dumps(records, ensure_ascii=False)


def _without_events(dataset: Dataset) -> Dataset:
    """The dataset's description (path, format, licence, sizes) without its frames."""
    kept = Dataset(
        name=dataset.name,
        events=dataset.events.iloc[:0],
        report=dataset.report,
        path=dataset.path,
        format=dataset.format,
        licence=dataset.licence,
        citation=dataset.citation,
        sha256=dataset.sha256,
        options=dict(dataset.options),
        source=dataset.source,  # a converted file's source: the file is given once
    )
    return kept


def _quoted(path: Path | str) -> str:
    return str(path).replace("'", "''")
