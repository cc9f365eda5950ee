"""Data frames as Arrow tables and back, exactly: what the reopen cache writes.

Only frames whose every column can make the round trip exactly are converted (numbers,
bools, dates, pandas/Arrow strings, categoricals of those); :func:`frame_snapshot`
returns None for any other, and the cache then simply reads the file each time.
"""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa

from timeline_app.model.dataset import LoadReport, Rejection

# -- dtypes: what makes the round trip exactly ----------------------------------------------


def dtype_spec(dtype: Any, *, in_categories: bool = False) -> dict[str, Any] | None:
    """A JSON description of a column's dtype that restores it exactly; None = not cached."""
    if isinstance(dtype, pd.CategoricalDtype):
        if in_categories:
            return None
        inner = dtype_spec(dtype.categories.dtype, in_categories=True)
        if inner is None:
            return None
        if inner["kind"] == "object" and pd.api.types.infer_dtype(
            dtype.categories, skipna=False
        ) not in ("string", "empty"):
            return None  # mixed-type categories: not exactly restorable
        return {"kind": "category", "categories": inner, "ordered": bool(dtype.ordered)}
    if isinstance(dtype, pd.StringDtype):
        na = dtype.na_value
        if na is pd.NA:
            na_name = "NA"
        elif isinstance(na, float) and math.isnan(na):
            na_name = "nan"
        else:
            return None
        return {"kind": "string", "storage": dtype.storage, "na": na_name}
    if isinstance(dtype, pd.ArrowDtype):
        return {"kind": "arrow"}
    if isinstance(dtype, np.dtype):
        if dtype.kind in "biuf" or (dtype.kind == "M" and dtype.str[1:3] == "M8"):
            return {"kind": "numpy", "dtype": dtype.str}
        if dtype.kind == "O" and in_categories:  # checked to hold only str above
            return {"kind": "object"}
    return None


def dtype_of(spec: dict[str, Any], categories: pd.Index | None = None) -> Any:
    kind = spec["kind"]
    if kind == "string":
        return pd.StringDtype(spec["storage"], na_value=pd.NA if spec["na"] == "NA" else np.nan)
    if kind == "numpy":
        return np.dtype(spec["dtype"])
    if kind == "object":
        return np.dtype(object)
    if kind == "category":
        return pd.CategoricalDtype(categories, ordered=spec["ordered"])
    raise ValueError(f"unknown dtype kind {kind!r}")


def to_arrow(values: Any, spec: dict[str, Any]) -> pa.Array[Any] | pa.ChunkedArray[Any]:
    kind = spec["kind"]
    if kind == "category":
        codes = values.codes  # shared, as numbers are (see below)
        dictionary = to_arrow(values.categories.array, spec["categories"])
        if isinstance(dictionary, pa.ChunkedArray):
            dictionary = dictionary.combine_chunks()
        indices = pa.array(codes, mask=codes < 0)
        return pa.DictionaryArray.from_arrays(indices, dictionary)
    if kind in ("string", "arrow"):
        shared: pa.Array[Any] | pa.ChunkedArray[Any] = values.__arrow_array__()
        return shared  # Arrow-backed: the same buffers, no copy
    if kind == "object":
        return pa.array(list(values), type=pa.large_string())
    # numpy: shared, not copied. The frame's arrays are read-only views under pandas'
    # copy-on-write (an edit of the dataset's frame copies first and never reaches the
    # captured frame; a reader's arrays are the frame's once it is made): a copy of every
    # number and code (~110 MB at 1M events) only added to the first open's peak, beside
    # the views' work after the first paint. NaN stays a value (from_pandas=False); NaT becomes null and comes back NaT.
    shared_numbers: pa.Array[Any] = pa.array(values, from_pandas=False)
    return shared_numbers


def from_arrow(
    column: pa.ChunkedArray[Any], spec: dict[str, Any], maps: tuple[np.ndarray, ...] = ()
) -> Any:
    """The column as pandas holds it. ``maps``: private (copy-on-write) mappings of the
    files the column was read from; numbers and codes lying in one are used in place."""
    kind = spec["kind"]
    if kind == "category":
        if column.num_chunks == 0:
            raise ValueError("a categorical column without data")
        first: Any = column.chunk(0)  # a DictionaryArray (the stubs see an Array)
        dictionary = first.dictionary
        inner = spec["categories"]
        categories = pd.Index(
            from_arrow(pa.chunked_array([dictionary]), inner), dtype=dtype_of(inner)
        )
        codes = category_codes(column, maps)
        dtype = dtype_of(spec, categories)
        if len(codes) and (codes.max() >= len(categories) or codes.min() < -1):
            raise ValueError("category codes out of range")
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)  # checked above
    if kind == "string":
        return dtype_of(spec).__from_arrow__(column)
    if kind == "arrow":
        return cast(Any, pd.ArrowDtype(column.type)).__from_arrow__(column)
    if kind == "object":
        return np.array(column.to_pylist(), dtype=object)
    # numpy: in place when Arrow holds the very bytes numpy would (one chunk, no nulls;
    # not bools, which Arrow packs in bits), else a copy
    dtype = dtype_of(spec)
    if column.num_chunks == 1 and column.null_count == 0 and not pa.types.is_boolean(column.type):
        chunk: Any = column.chunk(0)
        view = in_place(chunk.buffers()[1], dtype, chunk.offset, len(chunk), maps)
        if view is not None:
            return view
    return np.array(column.to_numpy(), dtype=dtype, copy=True)


def in_place(
    buffer: pa.Buffer | None,
    dtype: np.dtype[Any],
    offset: int,
    count: int,
    maps: tuple[np.ndarray, ...],
) -> np.ndarray | None:
    """A writable view of ``count`` values from ``offset`` of an Arrow buffer that lies in
    one of ``maps`` (None if in none). The maps are private: a write to the view copies
    its page for this process and never reaches the file. Copying the numbers and codes
    out of the mapped files was a third of a 1M-row reopen's read, and a second resident
    copy of them."""
    if buffer is None or count == 0:
        return None
    for mapped in maps:
        start = buffer.address - mapped.ctypes.data + offset * dtype.itemsize
        if buffer.address >= mapped.ctypes.data and start + count * dtype.itemsize <= mapped.nbytes:
            if start % dtype.itemsize:
                return None  # not aligned (Arrow aligns its buffers: not seen)
            view: np.ndarray = np.ndarray((count,), dtype=dtype, buffer=mapped, offset=start)
            return view if view.flags.writeable else None
    return None


def category_codes(column: pa.ChunkedArray[Any], maps: tuple[np.ndarray, ...] = ()) -> np.ndarray:
    """The dictionary column's indices as one writable array, -1 where null: in place
    (:func:`in_place`) for one chunk whose nulls already hold -1 (as :func:`to_arrow`
    writes them), else a copy."""
    index_type = np.dtype(column.type.index_type.to_pandas_dtype())
    parts = []
    for chunk in column.chunks:
        indices = cast(Any, chunk).indices
        start = indices.offset
        view = (
            np.frombuffer(indices.buffers()[1], dtype=index_type, count=start + len(indices))
            if len(indices)
            else np.zeros(0, dtype=index_type)
        )[start:]
        nulls = np.asarray(indices.is_null(), dtype=bool) if indices.null_count else None
        parts.append((view, nulls, indices))
    if len(parts) == 1:
        view, nulls, indices = parts[0]
        if nulls is None or (view[nulls] == -1).all():
            mapped = in_place(indices.buffers()[1], index_type, indices.offset, len(view), maps)
            if mapped is not None:
                return mapped
    codes = np.concatenate([view for view, _, _ in parts])  # a copy, writable
    at = 0
    for view, nulls, _ in parts:
        if nulls is not None:  # what lies under a null is anything: say -1
            codes[at : at + len(view)][nulls] = -1
        at += len(view)
    return codes


def frame_snapshot(
    frame: pd.DataFrame, prefix: str, written: dict[str, pa.ChunkedArray[Any]] | None = None
) -> tuple[dict[str, pa.Table], dict[str, Any], dict[str, pa.ChunkedArray[Any]]] | None:
    """The frame as Arrow tables (sharing the text buffers) plus how to rebuild it exactly.

    Columns are grouped by their chunk layout, one file per group, because a file's
    batches split every column at the same rows: the text columns come back chunked as the
    reader made them (a search over 663 chunks instead of 1 was seen to be 50% slower)."""
    index = frame.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        return None
    names = list(frame.columns)
    if frame.attrs or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
        return None
    columns_spec = dtype_spec(frame.columns.dtype, in_categories=True)  # str or object
    if columns_spec is None or columns_spec["kind"] not in ("string", "object"):
        return None
    specs, arrays = [], []
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        spec = dtype_spec(column.dtype)
        values = column.to_numpy() if spec and spec["kind"] == "numpy" else column.array
        if spec is None:
            return None
        specs.append(spec)
        arrays.append(to_arrow(values, spec))
    chunked = [a if isinstance(a, pa.ChunkedArray) else pa.chunked_array([a]) for a in arrays]
    # A column holding the very buffers of one written before (the file's notes are both
    # an event column and an original one) is stored once and shared again when read.
    shared = {}
    for i, array in enumerate(chunked):
        same = next((n for n, a in (written or {}).items() if same_buffers(array, a)), None)
        if same is not None:
            shared[str(i)] = same
    layouts: dict[tuple[int, ...], list[int]] = {}
    for i, array in enumerate(chunked):
        if str(i) not in shared:
            layouts.setdefault(tuple(len(c) for c in array.chunks), []).append(i)
    tables, groups = {}, []
    for g, members in enumerate(layouts.values()):
        file = f"{prefix}.{g}.arrow"
        fields = [f"c{i}" for i in members]  # the real names are in the meta
        tables[file] = pa.Table.from_arrays([chunked[i] for i in members], names=fields)
        groups.append({"file": file, "columns": members})
    meta = {
        "rows": len(frame),
        "names": names,
        "dtypes": specs,
        "columns_dtype": columns_spec,
        "groups": groups,
        "shared": shared,  # column index -> the name of the earlier frame's column
    }
    return tables, meta, {f"{prefix}.{n}": a for n, a in zip(names, chunked, strict=True)}


def same_buffers(a: pa.ChunkedArray[Any], b: pa.ChunkedArray[Any]) -> bool:
    """Whether two columns are the same memory (not merely equal values)."""
    if a.type != b.type or a.num_chunks != b.num_chunks or len(a) != len(b):
        return False
    if not (pa.types.is_string(a.type) or pa.types.is_large_string(a.type)):
        return False  # text is where sharing happens (and matters)
    for x, y in zip(a.chunks, b.chunks, strict=True):
        if len(x) != len(y) or x.offset != y.offset:
            return False
        addresses = [
            [buf.address if buf is not None else None for buf in c.buffers()] for c in (x, y)
        ]
        if addresses[0] != addresses[1]:
            return False
    return True


def report_to_json(report: LoadReport) -> dict[str, Any]:
    return {
        "format": report.format,
        "rows_read": int(report.rows_read),
        "events": int(report.events),
        "rows_merged": int(report.rows_merged),
        "rows_rejected": int(report.rows_rejected),
        "rejected_by_reason": {str(k): int(v) for k, v in report.rejected_by_reason.items()},
        "rejected_samples": [[int(r.line), r.reason, r.text] for r in report.rejected_samples],
        "warnings": [str(w) for w in report.warnings],
        "encoding": report.encoding,
    }


def report_from_json(data: dict[str, Any]) -> LoadReport:
    from collections import Counter

    return LoadReport(
        format=data["format"],
        rows_read=data["rows_read"],
        events=data["events"],
        rows_merged=data["rows_merged"],
        rows_rejected=data["rows_rejected"],
        rejected_by_reason=Counter(data["rejected_by_reason"]),
        rejected_samples=[
            Rejection(line, reason, text) for line, reason, text in data["rejected_samples"]
        ],
        warnings=list(data["warnings"]),
        encoding=data["encoding"],
    )


def frame_from_columns(
    arrow: dict[int, pa.ChunkedArray[Any]],
    info: dict[str, Any],
    maps: tuple[np.ndarray, ...] = (),
) -> pd.DataFrame:
    names, specs, rows = info["names"], info["dtypes"], info["rows"]
    if sorted(arrow) != list(range(len(names))):
        raise ValueError("the entry's columns do not match its meta")
    columns = {}
    for i, (name, spec) in enumerate(zip(names, specs, strict=True)):
        values = from_arrow(arrow[i], spec, maps)
        if len(values) != rows:
            raise ValueError(f"column {name!r} has the wrong length")
        columns[i] = values
    frame = pd.DataFrame(columns, index=pd.RangeIndex(rows), copy=False)
    frame.columns = pd.Index(names, dtype=dtype_of(info["columns_dtype"]))
    for name, spec in zip(names, specs, strict=True):
        if spec["kind"] not in ("category", "arrow") and frame[name].dtype != dtype_of(spec):
            raise ValueError(f"column {name!r} came back as {frame[name].dtype}")
    result: pd.DataFrame = frame
    return result
