"""Column mappings: which column of a table holds each event field.

A mapping is written as one JSON object from canonical field names to the file's column
names, plus two optional keys::

    {"start": "when", "title": "what", "actor1": "who", "admin1": "place",
     "fatalities": "killed", "date_order": "day-first",
     "categories": {"Ambush": "attack", "Funeral": "mourning"}}

``date_order`` is ``auto`` (decided from the column, the default), ``day-first`` or
``month-first``. ``categories`` maps values of the category column (or, when none is
mapped, of the event-type column) to the app's categories; values it does not name follow
the usual rules. ``--mapping FILE.json`` reads this format, the mapping dialog's
"Remember" saves it, and an export's provenance carries it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from timeline_app.formats.base import DATE_ORDERS, FormatError
from timeline_app.model.atomic import atomic_write_text
from timeline_app.model.schema import CATEGORIES

__all__ = [
    "ColumnMapping",
    "MAPPABLE_FIELDS",
    "config_dir",
    "header_key",
    "mapping_from_json",
    "read_mapping_file",
    "save_mapping",
    "saved_mapping",
    "suggest_mapping",
]

#: The mapping's keys that are not fields.
OPTION_KEYS = ("date_order", "categories")


@dataclass
class ColumnMapping:
    """Which source column feeds each canonical field (``None`` = not in this file).

    Either ``date`` (a point event) or ``start`` (with an optional ``end``) must be set.
    """

    date: str | None = None
    start: str | None = None
    end: str | None = None
    title: str | None = None
    category: str | None = None
    event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    fatalities: str | None = None
    notes: str | None = None
    source: str | None = None
    id: str | None = None
    date_order: str = "auto"
    categories: dict[str, str] = field(default_factory=dict)  # value -> category

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (see the module docstring); unmapped fields and defaults left out."""
        out = {k: v for k, v in asdict(self).items() if v is not None and k not in OPTION_KEYS}
        if self.date_order != "auto":
            out["date_order"] = self.date_order
        if self.categories:
            out["categories"] = dict(self.categories)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        """A mapping from its JSON form, leniently (unknown keys and orders ignored)."""
        known = set(MAPPABLE_FIELDS)
        values = {k: (str(v) if v is not None else None) for k, v in data.items() if k in known}
        mapping = cls(**values)  # type: ignore[arg-type]
        order = data.get("date_order")
        mapping.date_order = order if order in DATE_ORDERS else "auto"
        rules = data.get("categories")
        if isinstance(rules, dict):
            mapping.categories = {str(k): str(v) for k, v in rules.items()}
        return mapping

    def columns(self) -> dict[str, str]:
        """Field -> source column, for the fields that are mapped."""
        out: dict[str, str] = {}
        for name in MAPPABLE_FIELDS:
            column = getattr(self, name)
            if column:
                out[name] = column
        return out

    def problem(self, header: list[str]) -> str | None:
        """Why this mapping cannot be used on a file with ``header`` (None when it can)."""
        if not (self.date or self.start):
            return "no column is mapped to the date (or start date)"
        missing = [col for col in self.columns().values() if col not in header]
        if missing:
            return f"column(s) not in this file: {', '.join(missing)}"
        return None


#: Fields shown in the mapping dialog, in order (the options are separate).
MAPPABLE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(ColumnMapping) if f.name not in OPTION_KEYS
)


def mapping_from_json(data: Any, where: str = "the mapping") -> ColumnMapping:
    """A mapping from parsed JSON, strictly: a misspelt field or a bad value is an error
    (one line), so that a mapping file cannot be half-applied in silence."""
    if not isinstance(data, dict):
        raise FormatError(f"{where}: a mapping is a JSON object of field -> column name")
    unknown = [k for k in data if k not in MAPPABLE_FIELDS and k not in OPTION_KEYS]
    if unknown:
        known = ", ".join((*MAPPABLE_FIELDS, *OPTION_KEYS))
        raise FormatError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {known})")
    for key in MAPPABLE_FIELDS:
        if key in data and data[key] is not None and not isinstance(data[key], str):
            raise FormatError(f"{where}: {key} must name a column (a string)")
    if data.get("date_order", "auto") not in DATE_ORDERS:
        raise FormatError(f"{where}: date_order must be one of {', '.join(DATE_ORDERS)}")
    rules = data.get("categories", {})
    if not isinstance(rules, dict) or not all(isinstance(v, str) for v in rules.values()):
        raise FormatError(f"{where}: categories must be an object of value -> category")
    wrong = sorted({v for v in rules.values() if v not in CATEGORIES})
    if wrong:
        raise FormatError(
            f"{where}: unknown categor(y/ies) {', '.join(wrong)} (known: {', '.join(CATEGORIES)})"
        )
    return ColumnMapping.from_dict(data)


def read_mapping_file(text: str) -> ColumnMapping:
    """``--mapping``'s value: a JSON file's path, or the JSON object itself (``{...}``,
    as an export's provenance command writes it)."""
    if text.lstrip().startswith("{"):
        where, body = "--mapping", text
    else:
        where = text
        try:
            body = Path(text).read_text(encoding="utf-8-sig")
        except OSError as err:
            raise FormatError(f"--mapping {text}: cannot read: {err.strerror or err}") from err
    try:
        data = json.loads(body)
    except ValueError as err:
        raise FormatError(f"{where}: not valid JSON ({err})") from err
    return mapping_from_json(data, where)


# Common column names for each field, compared after lower-casing and dropping
# everything but letters and digits ("Event Date" -> "eventdate"). First match wins.
_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "date": ("date", "eventdate", "day", "incidentdate", "datum", "fecha", "sqldate"),
    "start": ("start", "startdate", "datestart", "begin", "from", "datefrom", "startedon"),
    "end": ("end", "enddate", "dateend", "until", "to", "dateto", "endedon"),
    "title": ("title", "headline", "name", "eventname", "summary", "description", "event"),
    "category": ("category", "kind", "class", "lane"),
    "event_type": ("eventtype", "type", "attacktype", "typeofviolence", "incidenttype"),
    "actor1": ("actor1", "actor", "perpetrator", "actora", "sidea", "group", "gname", "by"),
    "actor2": ("actor2", "target", "victim", "actorb", "sideb", "against"),
    "country": ("country", "countryname", "nation", "pays"),
    "admin1": ("admin1", "region", "province", "state", "provstate", "adm1", "governorate"),
    "admin2": ("admin2", "district", "county", "cercle", "adm2"),
    "location": ("location", "place", "city", "town", "village", "locality", "site"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "long", "lng", "x"),
    "fatalities": ("fatalities", "deaths", "killed", "nkill", "dead", "casualties", "best"),
    "notes": ("notes", "note", "comments", "comment", "details", "remarks", "text"),
    "source": ("source", "sources", "reference", "url", "link", "citation"),
    "id": ("id", "eventid", "eventidcnty", "uid", "incidentid", "ref", "code"),
}


def _squash(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def suggest_mapping(header: list[str]) -> ColumnMapping:
    """Guess a mapping from common column names; unmatched fields stay unmapped."""
    squashed: dict[str, str] = {}
    for col in header:
        squashed.setdefault(_squash(col), col)
    mapping = ColumnMapping()
    taken: set[str] = set()
    for field_name, names in _SUGGESTIONS.items():
        for name in names:
            found = squashed.get(name)
            if found is not None and found not in taken:
                setattr(mapping, field_name, found)
                taken.add(found)
                break
    if mapping.date and mapping.start:
        mapping.date = None  # a start column is the more specific of the two
    if not (mapping.date or mapping.start):
        # Fall back to any column with "date" in its name.
        for col in header:
            if "date" in _squash(col) and col not in taken:
                mapping.date = col
                break
    return mapping


# -- saved mappings ----------------------------------------------------------------------------
def config_dir() -> Path:
    """Where the app keeps its settings: $TIMELINE_APP_CONFIG_DIR or the platform's place."""
    override = os.environ.get("TIMELINE_APP_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("timeline-app", appauthor=False, roaming=True))


def _mappings_file() -> Path:
    return config_dir() / "column_mappings.json"


def header_key(header: list[str]) -> str:
    """A key for a header that ignores case, surrounding blanks and trailing empty columns."""
    names = [str(h).strip().lower() for h in header]
    while names and not names[-1]:
        names.pop()
    return hashlib.sha256("\x1f".join(names).encode("utf-8")).hexdigest()[:20]


def _read_store() -> dict[str, Any]:
    try:
        data = json.loads(_mappings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def saved_mapping(header: list[str]) -> ColumnMapping | None:
    """The mapping saved for files with this header, if any (and if it still fits)."""
    entry = _read_store().get(header_key(header))
    if not isinstance(entry, dict) or not isinstance(entry.get("mapping"), dict):
        return None
    mapping = ColumnMapping.from_dict(entry["mapping"])
    return None if mapping.problem(list(header)) else mapping


def save_mapping(header: list[str], mapping: ColumnMapping) -> Path:
    """Remember ``mapping`` for files with this header (in the ``--mapping`` format)."""
    store = _read_store()
    store[header_key(header)] = {"header": list(header), "mapping": mapping.to_dict()}
    path = _mappings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(store, indent=1, ensure_ascii=False))
    return path
