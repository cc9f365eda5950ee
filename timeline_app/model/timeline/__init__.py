"""The numbers behind the timeline, without Qt.

``lanes`` puts every event in its lane(s); ``index`` sorts the visible rows by lane and
start once per filter; ``frame`` decides per lane and view between marks and a
histogram; ``layout`` turns a frame into pixels and tests the pointer against them;
``dates`` holds date uncertainty and calendar bins.
"""

from timeline_app.model.timeline.dates import (
    BIN_UNITS,
    MIN_BIN_PX,
    bin_edges,
    choose_bin_unit,
    shown_end,
    uncertainty,
)
from timeline_app.model.timeline.frame import (
    MAX_MARKS,
    MIN_MARKS_PER_LANE,
    Frame,
    LaneFrame,
    compute_frame,
    ongoing_fade_ns,
    spread_in_span,
)
from timeline_app.model.timeline.index import LaneOrder, TimelineIndex, start_order
from timeline_app.model.timeline.lanes import (
    DEFAULT_TOP_N,
    GROUPINGS,
    OTHER,
    Lanes,
    assign_lanes,
    code_counts,
)
from timeline_app.model.timeline.layout import (
    Hit,
    Layout,
    hit_test,
    layout_frame,
    layout_labels,
    stack_rows,
)

__all__ = [
    "BIN_UNITS", "DEFAULT_TOP_N", "GROUPINGS", "MAX_MARKS", "MIN_BIN_PX",
    "MIN_MARKS_PER_LANE", "OTHER", "Frame", "Hit", "LaneFrame",
    "LaneOrder", "Lanes", "Layout", "TimelineIndex", "assign_lanes", "bin_edges",
    "choose_bin_unit", "code_counts", "compute_frame", "hit_test", "layout_frame",
    "layout_labels", "ongoing_fade_ns", "shown_end", "spread_in_span", "stack_rows",
    "start_order", "uncertainty",
]  # fmt: skip
