"""Incident Timeline Explorer: load, filter, see and export political-violence event data."""

__version__ = "0.1.0"
