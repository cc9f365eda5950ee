"""Widgets of the filter panel: checkable value lists with counts, the region tree,
removable chips. Each one reports what the user did; the panel turns that into a
FilterSpec change."""

from timeline_app.ui.filter_widgets.chips import ChipBar
from timeline_app.ui.filter_widgets.date_bound import DateBound
from timeline_app.ui.filter_widgets.facet_list import FacetList, FacetListModel
from timeline_app.ui.filter_widgets.region_tree import RegionTreeModel, RegionTreeView

__all__ = [
    "ChipBar",
    "DateBound",
    "FacetList",
    "FacetListModel",
    "RegionTreeModel",
    "RegionTreeView",
]
