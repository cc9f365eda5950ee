"""What each view shows, as evented dataclasses (psygnal): the part of the app state a
user would miss after a restart that is not the data, the filter or the selection.

Each class has ``events`` (a psygnal SignalGroupDescriptor, what ``@evented`` adds, here
spelled out so that type checkers see it): every field assignment emits ``obj.events.<field>(new, old)`` when the value changes
(psygnal compares old and new, so setting the same value is silent). Views connect to
these events to render and assign fields (through :class:`AppState`'s intents) when the
user acts; undo and workspaces copy and restore whole objects.

Fields hold immutable values (tuples, not lists; a dict is replaced, never changed in
place), so that a copy is a snapshot and a change is always an assignment that emits.

Room for the views still to come: :class:`MapView` and :class:`TrendsView` are here with
the fields their views need first; add fields to them (with defaults, JSON-friendly
values) and the workspace saves and restores them with no further code.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

from psygnal import SignalGroupDescriptor

#: Lane groupings the timeline offers (model/timeline/lanes.GROUPINGS has their labels).
DEFAULT_LANE_GROUPING = "category"
#: What the timeline's histograms count when zoomed out: "events" or "fatalities".
MEASURES = ("events", "fatalities")
#: The table's columns on a fresh start, in order (labels are the table view's).
DEFAULT_TABLE_COLUMNS: tuple[str, ...] = (
    "start",
    "category",
    "title",
    "actor1",
    "actor2",
    "admin1",
    "location",
    "fatalities",
    "dataset",
)


@dataclass
class TimelineView:
    """The timeline: visible span, lanes and display options."""

    events: ClassVar[SignalGroupDescriptor] = SignalGroupDescriptor()

    #: The visible time span (int64 ns since 1970), None until a timeline frames one.
    view_range: tuple[int, int] | None = None
    lane_grouping: str = DEFAULT_LANE_GROUPING
    #: Histogram mode: what the bars count when zoomed out (one of MEASURES).
    measure: str = "events"
    #: Mourning/blockade periods drawn as bands across all lanes.
    show_bands: bool = True


@dataclass
class TableLayout:
    """The event table's columns: which are shown, in which order, and how wide.

    The sort is AppState.sort_keys (it orders the rows every view walks through)."""

    events: ClassVar[SignalGroupDescriptor] = SignalGroupDescriptor()

    columns: tuple[str, ...] = DEFAULT_TABLE_COLUMNS
    #: Pixel widths by column name; columns not named here get the view's default.
    widths: dict[str, int] = field(default_factory=dict)


@dataclass
class MapView:
    """The map (issue 13). ``viewport`` is (west, south, east, north) in degrees;
    ``spatial_selection`` the shape drawn to select by place, as a GeoJSON geometry
    dict (None: nothing drawn). The spatial *filter* belongs in the FilterSpec."""

    events: ClassVar[SignalGroupDescriptor] = SignalGroupDescriptor()

    viewport: tuple[float, float, float, float] | None = None
    spatial_selection: dict[str, Any] | None = None
    #: The boundary layer regions are clicked and shaded on: "mali_adm1", "mali_adm2"
    #: (shipped) or "user" (the file in ``boundaries``).
    regions: str = "mali_adm1"
    #: Choropleth: "none", "events" or "fatalities" per region.
    shade: str = "none"
    #: The time slider's window, in days.
    window_days: int = 7
    #: A user's GeoJSON boundaries (File > Open Boundaries…), "" for none.
    boundaries: str = ""


@dataclass
class TrendsView:
    """The trends chart and the before-and-after comparison.

    ``unit`` is the time bin ("auto", "day", "week", "month", "year"), ``measure`` what
    is counted ("events" or known "fatalities"), ``layout`` "stacked" (one chart, the
    lanes stacked) or "multiples" (one small chart per lane). The lanes are the
    timeline's (``TimelineView.lane_grouping``).

    ``compare`` is the open before-and-after comparison, or None: ``{"at": ISO date,
    "weeks": W, "near": [lat, lon, km] or None (None: the filters' own area),
    "outer_km": km or None, "title": the milestone's title or ""}``.
    """

    events: ClassVar[SignalGroupDescriptor] = SignalGroupDescriptor()

    unit: str = "auto"
    measure: str = "events"
    layout: str = "stacked"
    compare: dict[str, Any] | None = None


#: TrendsView.layout values
TREND_LAYOUTS = ("stacked", "multiples")


@dataclass
class WindowLayout:
    """The main window's dock layout: Qt's ``saveState()`` bytes, opaque to the model."""

    events: ClassVar[SignalGroupDescriptor] = SignalGroupDescriptor()

    dock_layout: bytes | None = None


@dataclass
class Views:
    """Every view's state, one evented object each (``state.views.timeline`` ...)."""

    timeline: TimelineView = field(default_factory=TimelineView)
    table: TableLayout = field(default_factory=TableLayout)
    map: MapView = field(default_factory=MapView)
    trends: TrendsView = field(default_factory=TrendsView)
    window: WindowLayout = field(default_factory=WindowLayout)


def copy_view(obj: Any) -> Any:
    """An independent copy of one evented view object (its fields are immutable)."""
    return dataclasses.replace(obj)


def assign(target: Any, source: Any) -> None:
    """Give ``target`` every field of ``source`` (same class); only changed fields emit."""
    for f in dataclasses.fields(target):
        setattr(target, f.name, getattr(source, f.name))


def view_to_dict(obj: Any) -> dict[str, Any]:
    """The JSON form of a view object (tuples become lists; bytes are left to the caller)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def view_from_dict(cls: type, data: Any) -> Any:
    """A view object from its JSON form; unknown keys are ignored, missing or malformed
    ones keep their defaults (a workspace from another version still opens)."""
    obj = cls()
    if not isinstance(data, dict):
        return obj
    for f in dataclasses.fields(obj):
        if f.name not in data:
            continue
        value, default = data[f.name], getattr(obj, f.name)
        if isinstance(value, list):
            value = tuple(value)
        if default is not None and value is not None and not _same_kind(value, default):
            continue
        if isinstance(value, tuple) and default is None and "tuple" not in str(f.type):
            continue
        setattr(obj, f.name, value)
    return obj


def _same_kind(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, type(default))
