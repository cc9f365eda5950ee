"""Cells too long to read on screen (a 40 MB note in a re-saved file): found once per
load, said in the import report. The views show such cells cut, with "Show all"."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline_app.model.dataset import Dataset

#: A cell longer than this (characters) is worth a warning.
LONG_CELL_CHARS = 300_000


def long_cells(frame: pd.DataFrame, limit: int = LONG_CELL_CHARS) -> dict[str, tuple[int, int]]:
    """Per text column holding cells over ``limit`` characters: (how many, the longest).
    Vectorised: Arrow lengths for text, the categories' own lengths for categoricals."""
    found: dict[str, tuple[int, int]] = {}
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            names = series.cat.categories
            if not len(names) or names.dtype.kind not in "OSU" and str(names.dtype) != "string":
                continue
            lengths = np.asarray(pd.Series(names).astype(str).str.len(), dtype=np.int64)
            long_codes = np.flatnonzero(lengths > limit)
            if len(long_codes):
                count = int(np.isin(series.cat.codes.to_numpy(), long_codes).sum())
                found[str(column)] = (count, int(lengths[long_codes].max()))
        elif series.dtype == object or str(series.dtype).startswith("string"):
            try:
                values = pa.array(series, from_pandas=True)  # Arrow-backed text: no copy
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text
                continue
            over = _over_limit(values, limit)
            if over is not None:
                found[str(column)] = over
    return found


def _over_limit(values: Any, limit: int) -> tuple[int, int] | None:
    """(how many, the longest) of the cells over ``limit`` characters, or None.
    A cell's bytes bound its characters, and byte lengths come from the offsets alone:
    only the few cells over the limit in bytes are decoded (a reopen stays instant).
    ``values`` is an Arrow string array, chunked or not (Any: the stubs type each kind)."""
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        return None
    byte_lengths = pc.binary_length(values)
    longest_bytes = pc.max(byte_lengths).as_py()
    if longest_bytes is None or longest_bytes <= limit:
        return None
    candidates = pc.filter(values, pc.greater(byte_lengths, pa.scalar(limit)))
    lengths = np.asarray(pc.utf8_length(candidates).to_numpy(zero_copy_only=False))
    over = lengths > limit
    if not over.any():
        return None
    return int(over.sum()), int(lengths.max())


def long_cell_warning(dataset: Dataset, limit: int = LONG_CELL_CHARS) -> str | None:
    """The import report's line about long cells, or None when there are none."""
    found = long_cells(dataset.events, limit)
    if dataset.originals is not None:
        for column, (count, longest) in long_cells(dataset.originals, limit).items():
            if column not in found:  # the events and the source share some text columns
                found[column] = (count, longest)
    if not found:
        return None
    total = sum(count for count, _ in found.values())
    where = ", ".join(f"{column} (up to {longest:,})" for column, (_c, longest) in found.items())
    return (
        f"{total:,} cell{'s' if total != 1 else ''} longer than {limit:,} characters: {where};"
        " they are shown cut, with “Show all”"
    )


def note_long_cells(dataset: Dataset) -> None:
    """Add the warning to the dataset's report, once, when the file is read (the reopen
    cache keeps the report, so a reopened file says it too without a new scan)."""
    warning = long_cell_warning(dataset)
    if warning and warning not in dataset.report.warnings:
        dataset.report.warnings.append(warning)
