"""The Map dock: where the filtered events happened, linked to every other view."""

from timeline_app.ui.map.widget import MapWidget

__all__ = ["MapWidget"]
