"""Incident Timeline Explorer: load, filter, see and export political-violence event data."""

import os as _os

__version__ = "0.1.0"

# Arrow's allocator (mimalloc) keeps freed pages for reuse: after the parse of 1M events
# ~0.5 GB that the parse's threads freed stayed resident beside ~0.7 GB of data. Purged
# as they are freed, they go back to the system. Read as Arrow's library loads; not
# passed on to child processes (the benchmark's floor is pyarrow as it comes).
if "MIMALLOC_PURGE_DELAY" not in _os.environ:
    _os.environ["MIMALLOC_PURGE_DELAY"] = "0"
    import pyarrow  # noqa: F401,E402

    del _os.environ["MIMALLOC_PURGE_DELAY"]
