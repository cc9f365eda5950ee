"""A converted Parquet file with what goes beside it: the one implementation behind
``timeline-app convert`` and File > Save as Parquet Dataset….

:func:`save_converted` writes the file (storage/convert.py ``convert``), then its
provenance sidecar (``OUT.parquet.provenance.json``: the sources, the layout and the
``timeline-app convert`` command that writes the file again) and ``OUT.meta.json`` (the
sources' licences and citations, which the app shows for the file).
"""

from __future__ import annotations

import errno
import json
from collections.abc import Callable, Iterable, Iterator
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
    inputs: set[Path] = set()
    converted = convert(
        _sidecar_kept(datasets, out, inputs),
        out,
        progress=progress,
        memory_limit=memory_limit,
        cancelled=cancelled,
    )
    if provenance:
        data = convert_provenance(
            converted.datasets, converted.sources, out, converted.layout, file_sha256(out)
        )
        write_provenance(out, data)
    # Beside the one input of its name, its own sidecar says the licence already (a new
    # one says what its reader gave it: the same for both).
    if _sharing(inputs, out) is None or not meta_path(out).exists():
        write_meta(out, converted.sources)
    return converted


def _sharing(inputs: set[Path], out: Path) -> Path | None:
    """The input other than ``out`` whose sidecar ``OUT.meta.json`` is, if any
    (``DIR/X.csv`` and ``DIR/X.parquet`` share ``DIR/X.meta.json``)."""
    meta = meta_path(out).resolve()
    return next(
        (p for p in sorted(inputs) if p != out.resolve() and meta_path(p).resolve() == meta),
        None,
    )


def _sidecar_kept(datasets: Iterable[Dataset], out: Path, inputs: set[Path]) -> Iterator[Dataset]:
    """The datasets, each input's path noted in ``inputs``; refused (before the sort) when
    ``out`` is inside an input folder, or when ``OUT.meta.json`` is one input's own sidecar and another input is converted with it:
    writing the sources' licences and citations there would give them to that input (a
    sample's ``title`` lost too). With that input alone, its sidecar is left as it is."""
    for dataset in datasets:
        if dataset.path is not None:
            inputs.add(Path(dataset.path).resolve())
        folder = next((p for p in sorted(inputs) if p in out.resolve().parents), None)
        if folder is not None:  # a folder of Parquet files: the next read would take it in
            raise OSError(
                errno.EINVAL,
                f"it is inside {folder.name}, an input folder, whose next reading would "
                "take it in too; choose another folder",
                str(out),
            )
        shared = _sharing(inputs, out)
        if len(inputs) > 1 and shared is not None:
            raise FileExistsError(
                errno.EEXIST,
                f"it is {shared.name}'s licence and citation too, which the sources' would "
                "replace; choose another name",
                str(meta_path(out)),
            )
        yield dataset


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
