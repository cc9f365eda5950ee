"""Sub-commands of ``timeline-app`` that run without a window (see timeline_app/cli.py)."""
