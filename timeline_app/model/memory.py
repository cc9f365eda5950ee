"""Give memory the app no longer uses back to the system.

Reading a big file briefly needs about twice what its events keep (the parse's string
columns before they become categories). Both allocators involved keep freed memory for
reuse: Arrow's (mimalloc) and the C library's (numpy, pandas). Asking them to return it
after a load lowers the resident size of a session by a few hundred MB at 1M rows.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

import pyarrow as pa


def release_memory() -> None:
    """Return freed memory to the system (a few ms at 1M rows)."""
    pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        _malloc_trim()


def _malloc_trim() -> None:
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library with malloc_trim, or None (musl). Looked up once: find_library runs
    ``ldconfig`` in a child process, a fork of the whole app (GBs at 1M events) each time."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 (AttributeError without it)
    except (OSError, AttributeError):  # another C library (musl): nothing to trim
        return None
    return libc
