"""The zoomable timeline: lanes of events, periods and milestones over a date axis."""

from timeline_app.ui.timeline.widget import TimelineWidget

__all__ = ["TimelineWidget"]
