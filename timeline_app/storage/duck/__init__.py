"""The DuckDB engine: events in Parquet, bigger than memory, queried in SQL with the
same answers as the memory engine (model/filters, model/sorting, model/export)."""

from timeline_app.storage.duck.engine import PAGE_ROWS, DuckEngine, Page
from timeline_app.storage.duck.source import EngineError

__all__ = ["PAGE_ROWS", "DuckEngine", "EngineError", "Page"]
