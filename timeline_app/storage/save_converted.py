"""A converted Parquet file with what goes beside it: the one implementation behind
``timeline-app convert`` and File > Save as Parquet Dataset….

:func:`save_converted` writes the file (storage/convert.py ``convert``), then its
provenance sidecar (``OUT.parquet.provenance.json``: the sources, the layout and the
``timeline-app convert`` command that writes the file again) and ``OUT.meta.json`` (the
sources' licences and citations, which the app shows for the file).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from timeline_app.model.atomic import atomic_write_text
from timeline_app.model.dataset import Dataset, file_sha256
from timeline_app.model.provenance import convert_provenance, write_provenance
from timeline_app.storage.convert import Converted, convert


def save_converted(
    datasets: Iterable[Dataset],
    out: Path | str,
    *,
    provenance: bool = True,
    memory_limit: str | None = None,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Converted:
    """Convert ``datasets`` to ``out`` with its sidecars. A cancel stops the conversion
    (ConvertCancelled, nothing written); once the file is whole, the sidecars follow."""
    out = Path(out)
    converted = convert(
        datasets, out, progress=progress, memory_limit=memory_limit, cancelled=cancelled
    )
    if provenance:
        data = convert_provenance(
            converted.datasets, converted.sources, out, converted.layout, file_sha256(out)
        )
        write_provenance(out, data)
    write_meta(out, converted.sources)
    return converted


def meta_path(out: Path | str) -> Path:
    out = Path(out)
    return out.with_name(out.stem + ".meta.json")


def write_meta(out: Path | str, sources: list[dict[str, Any]]) -> Path:
    """``OUT.meta.json``: the sources' licences and citations, which the app shows for the
    converted file (formats/registry reads it beside any file)."""

    def joined(key: str) -> str:
        return "; ".join(dict.fromkeys(str(s[key]) for s in sources if s.get(key)))

    meta = {"licence": joined("licence"), "citation": joined("citation")}
    target = meta_path(out)
    atomic_write_text(target, json.dumps(meta, indent=2) + "\n")
    return target
