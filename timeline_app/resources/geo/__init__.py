"""Boundaries shipped with the app (built by tools/build_boundaries.py; see README.md here)."""
