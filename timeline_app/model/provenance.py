"""The provenance sidecar of an export: what was taken, from which files, how, and the
command line that takes it again.

``OUT.provenance.json`` sits next to the output (``events.csv`` gets
``events.csv.provenance.json``). Its ``command`` re-runs the export from the source
files alone (no workspace, no GUI) and writes the identical file.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from timeline_app import __version__
from timeline_app.model.atomic import atomic_write_text
from timeline_app.model.dataset import Dataset, file_sha256, unique_name
from timeline_app.model.events import EventTable
from timeline_app.model.file_sources import by_file, opened_name, whole
from timeline_app.model.filter_spec import as_area
from timeline_app.model.filters import FilterSpec
from timeline_app.model.matching import MatchRule
from timeline_app.model.spatial import area_to_geojson
from timeline_app.model.state import TimeRange

KIND = "timeline-app export provenance"
PROGRAM = "timeline-app"
#: Selections larger than this are read from the sidecar rather than spelled out.
MAX_INLINE_IDS = 500


def header(kind: str) -> dict[str, Any]:
    """What every sidecar opens with: its kind, the app and its version, when made."""
    return {
        "kind": kind,
        "app": PROGRAM,
        "app_version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def sidecar_path(out: Path | str) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".provenance.json")


def area_path(out: Path | str) -> Path:
    """Where the sidecar's copy of a spatial filter's area goes (for ``--within``)."""
    out = Path(out)
    return out.with_name(out.name + ".within.geojson")


@dataclass
class ExportChoice:
    """Everything that decides an export's bytes (the dialog's and the CLI's answers)."""

    out: Path
    scope: str = "filtered"  # see model.export.SCOPES
    columns: str = "canonical"
    fmt: str = "csv"
    bom: bool = False
    spec: FilterSpec = field(default_factory=FilterSpec)
    sort_keys: list[tuple[str, bool]] = field(default_factory=list)
    time_range: TimeRange | None = None
    selection: list[tuple[str, str]] = field(default_factory=list)  # (dataset, id)
    canonical_actors: bool = False  # add the actor dictionary's names in columns of their own
    match: MatchRule | None = None  # add match_group/match_score (first two datasets)
    drop_matched_from: str | None = None  # leave out this dataset's matched rows
    #: The pairs found in the window (model/matched.Found), used instead of matching the
    #: exported rows again: by the columns (with ``match``) and by a filter on them.
    match_pairs: Any = None

    @property
    def window_pairs(self) -> bool:
        """Whether the file depends on pairs found in the window (no command finds them
        the same way: ``export --match`` pairs the exported rows of the first two files)."""
        return self.match_pairs is not None and (
            self.match is not None or (self.filters_applied and bool(self.spec.matched))
        )

    @property
    def filters_applied(self) -> bool:
        return self.scope != "range_all"


# -- the equivalent command line --------------------------------------------------------------
def command_argv(datasets: list[Dataset], choice: ExportChoice) -> list[str] | None:
    """The ``timeline-app export`` arguments that give the same rows in the same order,
    or None when a dataset cannot be reopened from a file alone."""
    if choice.window_pairs:
        return None
    sources = source_arguments(datasets)
    if sources is None:
        return None
    argv = [PROGRAM, "export", *sources]
    if choice.filters_applied:
        argv += spec_arguments(choice.spec)
        if choice.spec.within:  # the area is written beside the sidecar (write_provenance)
            argv += ["--within", str(area_path(choice.out).resolve())]
    if choice.scope in ("range", "range_all") and choice.time_range is not None:
        argv += ["--range", ns_text(choice.time_range.start_ns), ns_text(choice.time_range.end_ns)]
    if choice.scope == "selected":
        if len(choice.selection) > MAX_INLINE_IDS:
            # Too many for a command line (the OS limits its length): the sidecar itself
            # lists the selection, and the command reads it from there.
            argv += ["--ids-from", str(sidecar_path(choice.out).resolve())]
        else:
            for dataset, event_id in choice.selection:
                argv += option_value("--id", f"{dataset}:{event_id}")
    for column, ascending in choice.sort_keys:
        argv += ["--sort", column if ascending else f"{column}:desc"]
    argv += ["--columns", choice.columns, "--format-out", choice.fmt]
    if choice.bom:
        argv.append("--bom")
    if choice.canonical_actors:
        argv.append("--canonical-actors")
    if choice.match is not None:
        argv += ["--match", "--days", number_text(choice.match.days)]
        argv += ["--km", number_text(choice.match.km)]
        if choice.drop_matched_from:
            argv += option_value("--drop-matched-from", choice.drop_matched_from)
    argv += ["-o", str(Path(choice.out).resolve())]
    return argv


def source_arguments(datasets: list[Dataset]) -> list[str] | None:
    """The files and how to read and name them, as a command takes them (None when a
    dataset cannot be reopened from a file alone)."""
    if any(d.path is None for d in datasets):
        return None
    groups = by_file(datasets)
    if not all(whole(g) for g in groups):
        return None  # a converted file's source was closed: the file opens with it
    files = [g[0] for g in groups]  # a converted file of several sources: once
    reading = reading_arguments(files)
    if reading is None:
        return None
    argv = [str(Path(d.path).resolve()) for d in files if d.path is not None]
    formats = {d.format for d in files}
    if len(formats) == 1:
        argv += ["--format", formats.pop()]
    argv += reading
    # Filters and ids name datasets: when a fresh start would name them otherwise (the
    # stem, made unique), say their names.
    if command_names(datasets) != {d.name: d.name for d in datasets}:
        if len(files) < len(datasets):
            return None  # --name names a file, not one of its sources
        for d in datasets:
            argv += option_value("--name", d.name)
    return argv


def reading_arguments(datasets: list[Dataset]) -> list[str] | None:
    """``--mapping`` and ``--date-order`` as the datasets were read (None when one command
    line cannot say it: different date orders, or a forced delimiter).

    The mapping is written inline, as JSON, so the command needs no file but the data:
    once when it is the only one, else once per file in order (``{}`` for a file read
    without one)."""
    if any(d.options.get("delimiter") for d in datasets):
        return None
    orders = {d.options.get("date_order") for d in datasets}
    if len(orders) > 1:
        return None
    argv: list[str] = []
    order = orders.pop() if orders else None
    if order:
        argv += ["--date-order", str(order)]
    mappings = [d.options.get("mapping") for d in datasets]
    if any(m is not None for m in mappings):
        if len(mappings) == 1:
            argv += ["--mapping", mapping_json(mappings[0] or {})]
        else:
            for mapping in mappings:
                argv += ["--mapping", mapping_json(mapping or {})]
    return argv


def mapping_json(mapping: dict[str, object]) -> str:
    """A mapping as one short, stable line of JSON (for a command line)."""
    return json.dumps(mapping, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def command_names(datasets: list[Dataset]) -> dict[str, str]:
    """Each dataset's name -> the name ``timeline-app export`` gives it without --name:
    the file's stem, made unique in file order (as AppState.add_dataset does). They
    differ after, e.g., closing the first of two files with the same name."""
    taken: set[str] = set()
    names = {}
    for d in datasets:
        candidate = unique_name(opened_name(d), taken)
        taken.add(candidate)
        names[d.name] = candidate
    return names


def spec_arguments(spec: FilterSpec) -> list[str]:
    """A filter spec as ``timeline-app export`` options (commands/export.py parses them)."""
    argv: list[str] = []
    for option, values in (
        ("--dataset", spec.datasets),
        ("--actor", spec.actors),
        ("--region", spec.regions),
        ("--category", spec.categories),
        ("--event-type", spec.event_types),
        ("--sub-event-type", spec.sub_event_types),
    ):
        for value in values:
            argv += option_value(option, value)
    if spec.date_from is not None:
        argv += ["--from", date_text(spec.date_from)]
    if spec.date_to is not None:
        argv += ["--to", date_text(spec.date_to)]
    if spec.text.strip():
        argv += option_value("--text", spec.text)
    if spec.fatalities_min is not None:
        argv += ["--min-fatalities", number_text(spec.fatalities_min)]
    if spec.fatalities_max is not None:
        argv += ["--max-fatalities", number_text(spec.fatalities_max)]
    if not spec.include_unknown_fatalities:
        argv.append("--exclude-unknown-fatalities")
    if spec.bbox is not None:
        argv.append("--bbox=" + ",".join(number_text(v) for v in spec.bbox))
    if spec.near is not None:
        argv.append("--near=" + ",".join(number_text(v) for v in spec.near))
    if spec.actors and not spec.actor_aliases:
        argv.append("--no-aliases")
    if spec.actors and spec.actor_aliases and spec.include_uncertain_actors:
        argv.append("--include-uncertain-actors")
    return argv


def option_value(option: str, value: str) -> list[str]:
    """``[option, value]``, or ``[option=value]`` when the value starts with a dash (which
    the parser would otherwise take for an option)."""
    return [f"{option}={value}"] if value.startswith("-") else [option, value]


def date_text(moment: datetime) -> str:
    """A bare date when it is midnight (the "to" bound then includes the whole day)."""
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return moment.date().isoformat()
    return moment.isoformat()


def ns_text(ns: int) -> str:
    """Nanoseconds since the epoch as ISO text that parses back to the same nanosecond."""
    result: str = pd.Timestamp(int(ns)).isoformat()
    return result


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# -- the sidecar --------------------------------------------------------------------------------
def build_provenance(
    table: EventTable,
    rows: np.ndarray,
    choice: ExportChoice,
    output_sha256: str | None = None,
) -> dict[str, Any]:
    """The sidecar's content for ``rows`` of ``table`` exported as ``choice`` says."""
    rows = np.asarray(rows, dtype=np.int64)
    per_dataset = np.bincount(table.dataset_index(rows), minlength=len(table.datasets))
    sources = [
        source_record(d, int(per_dataset[k]) if k < len(per_dataset) else 0)
        for k, d in enumerate(table.datasets)
    ]
    return provenance_record(table.datasets, sources, int(len(rows)), choice, output_sha256)


def provenance_record(
    datasets: list[Dataset],
    sources: list[dict[str, Any]],
    row_count: int,
    choice: ExportChoice,
    output_sha256: str | None = None,
) -> dict[str, Any]:
    """The sidecar's content from the sources' records (:func:`source_record`) and the
    row count: what both engines write (the DuckDB engine counts without row numbers)."""
    argv = command_argv(datasets, choice)
    r = choice.time_range
    return {
        **header(KIND),
        "output": {
            "path": str(Path(choice.out).resolve()),
            "format": choice.fmt,
            "columns": choice.columns,
            "bom": choice.bom,
            "sha256": output_sha256,
        },
        "row_count": int(row_count),
        "scope": choice.scope,
        "filters_applied": choice.filters_applied,
        "filter": choice.spec.to_dict() if choice.filters_applied else None,
        "range": None
        if r is None or choice.scope not in ("range", "range_all")
        else {
            "start": ns_text(r.start_ns),
            "end": ns_text(r.end_ns),
            "start_ns": int(r.start_ns),
            "end_ns": int(r.end_ns),
        },
        "selection": [{"dataset": d, "id": i} for d, i in choice.selection]
        if choice.scope == "selected"
        else None,
        "sort": [{"column": c, "ascending": bool(a)} for c, a in choice.sort_keys],
        "sources": sources,
        "actor_dictionary": _dictionary_record(choice),
        "match": _match_record(choice),
        "command": shlex.join(argv) if argv else None,
        "argv": argv,
        "command_note": None if argv else why_no_command(datasets, choice),
    }


def _match_record(choice: ExportChoice) -> dict[str, Any] | None:
    """The rule and its parameters, when the file depends on likely-same pairs."""
    if choice.window_pairs:
        found = choice.match_pairs
        return {
            **found.result.rule.as_dict(),
            "first": found.first,
            "second": found.second,
            "pairs": int(found.result.taken.sum()),
            "candidates": int(found.result.candidates),
            "found_among": "every event of the two datasets (Tools > Find Likely Same Events)",
            "columns": choice.match is not None,
            "filter": choice.spec.matched if choice.filters_applied else "",
        }
    if choice.match is None:
        return None
    return {**choice.match.as_dict(), "drop_matched_from": choice.drop_matched_from}


def _dictionary_record(choice: ExportChoice) -> dict[str, Any] | None:
    """The actor dictionary's version, when the file depends on it (an actor filter
    through aliases, or canonical actor columns)."""
    spec = choice.spec
    aliased = choice.filters_applied and spec.actors and spec.actor_aliases
    if not (aliased or choice.canonical_actors):
        return None
    from timeline_app.model.actors import active_dictionary

    dictionary = active_dictionary()
    return {"version": dictionary.version, "entries": len(dictionary.entries)}


def why_no_command(datasets: list[Dataset], choice: ExportChoice | None = None) -> str:
    if choice is not None and choice.window_pairs:
        return (
            "no command: the likely-same pairs were found among every event of the two "
            "datasets (Tools > Find Likely Same Events), not among the exported rows as "
            "`export --match` finds them; save a workspace and use --workspace"
        )
    memory = [d.name for d in datasets if d.path is None]
    if memory:
        return f"no command: {', '.join(memory)} came from no file"
    if any(d.source is not None for d in datasets):
        return (
            "no command: a converted file's sources are not all open, or not under the "
            "names the file gives them; save a workspace and use --workspace"
        )
    return (
        "no command: the files were read with different date orders or delimiters; "
        "save a workspace and use --workspace"
    )


#: The last files hashed for a source record, by (path, size, times, inode): a
#: converted file's sources are datasets of one file, each asking for its hash (one read
#: of a big file each, on every export on DuckDB, whose sources are made afresh).
_HASHED: dict[tuple[str, int, int, int, int], str] = {}
_HASHED_KEPT = 16


def _source_sha256(path: Path) -> str:
    info = path.stat()
    key = (str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    sha = _HASHED.get(key)
    if sha is None:
        sha = file_sha256(path)
        if len(_HASHED) >= _HASHED_KEPT:
            _HASHED.pop(next(iter(_HASHED)))
        _HASHED[key] = sha
    return sha


def source_record(dataset: Dataset, exported: int, events: int | None = None) -> dict[str, Any]:
    """A dataset's entry in a sidecar's ``sources``: its ``events`` (by default those
    loaded), of which ``exported`` were taken."""
    path = Path(dataset.path).resolve() if dataset.path is not None else None
    sha = dataset.sha256
    if not sha and path is not None and path.is_file():
        sha = _source_sha256(path)
        dataset.sha256 = sha  # hashing a big file takes a while: once is enough
    origin = {"converted_from": dataset.source} if dataset.source is not None else {}
    return {
        "dataset": dataset.name,
        **origin,
        "path": str(path) if path else None,
        "sha256": sha or None,
        "format": dataset.format,
        "licence": dataset.licence,
        "citation": dataset.citation,
        "events": len(dataset) if events is None else events,
        "rows_exported": exported,
        "read_with": dataset.options or None,  # the column mapping, the date order
    }


def write_provenance(out: Path | str, data: dict[str, Any]) -> Path:
    """Write the sidecar next to ``out`` atomically; return its path. A spatial filter's
    area goes beside it as ``OUT.within.geojson``, which the sidecar's command reads."""
    spec = data.get("filter") or {}
    if spec.get("within"):
        area = area_to_geojson(as_area(spec["within"]), spec.get("within_name", ""))
        _write_json(area_path(out), area)
    return _write_json(sidecar_path(out), data)


def _write_json(target: Path, data: dict[str, Any]) -> Path:
    atomic_write_text(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return target


def read_provenance(path: Path | str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


# -- a conversion to Parquet (timeline-app convert) ----------------------------------------------
CONVERT_KIND = "timeline-app convert provenance"


def convert_argv(datasets: list[Dataset], out: Path | str) -> list[str] | None:
    """The ``timeline-app convert`` arguments that write the same file again, or None
    when a dataset cannot be reopened from a file alone."""
    sources = source_arguments(datasets)
    if sources is None:
        return None
    return [PROGRAM, "convert", *sources, "-o", str(Path(out).resolve())]


def convert_provenance(
    datasets: list[Dataset],
    sources: list[dict[str, Any]],
    out: Path | str,
    layout: dict[str, Any],
    output_sha256: str | None = None,
) -> dict[str, Any]:
    """The sidecar of a converted Parquet file: its sources (path, SHA-256, format, how
    read, licence), its layout (sort order, row group size) and the command that writes
    it again."""
    argv = convert_argv(datasets, out)
    return {
        **header(CONVERT_KIND),
        "output": {"path": str(Path(out).resolve()), "format": "parquet", "sha256": output_sha256},
        "row_count": sum(int(s["events"]) for s in sources),
        "layout": layout,
        "sources": sources,
        "command": shlex.join(argv) if argv else None,
        "argv": argv,
        "command_note": None if argv else why_no_command(datasets),
    }
