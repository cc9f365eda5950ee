"""Give memory the app no longer uses back to the system.

Reading a big file briefly needs about twice what its events keep (the parse's string
columns before they become categories). Both allocators involved keep freed memory for
reuse: Arrow's (mimalloc) and the C library's (numpy, pandas). Asking them to return it
after a load lowers the resident size of a session by a few hundred MB at 1M rows.

Arrow's allocator (mimalloc) keeps what a thread freed with that thread: asked on that
thread, ``release_unused`` returns it; asked on another worker, nothing; asked on the
process's main thread, it also returns what threads that have ended left behind. A
thread that ends without asking leaves its freed memory resident until the main thread
asks (at 1M events, ~400 MB after a sort by notes on a worker). So
:func:`release_arrow_memory` asks on its own thread and, off the main thread, has the
main thread ask too, through the poster the app sets (:func:`post_releases_with`: the
UI's event loop); every worker job asks when it ends (ui/workers.py). Without a poster
(the command line) that part waits for the next release made on the main thread.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
import threading
from collections.abc import Callable

import pyarrow as pa

#: Runs a callable on the main thread, soon (set by the UI: ui/workers.py).
_post: Callable[[Callable[[], None]], None] | None = None
_posted = threading.Event()  # a release is on its way to the main thread


def release_memory() -> None:
    """Return freed memory to the system (a few ms at 1M rows), from any thread."""
    if sys.platform.startswith("linux"):
        _malloc_trim()  # every heap of the C library, from any thread
    release_arrow_memory()


def release_arrow_memory() -> None:
    """Return what Arrow's allocator holds freed: this thread's, and off the main thread
    (posted there) what ended threads left (well under a millisecond each)."""
    pa.default_memory_pool().release_unused()
    off_main = threading.current_thread() is not threading.main_thread()
    if off_main and _post is not None and not _posted.is_set():
        _posted.set()  # one on its way is enough: it returns what is free by then
        _post(_release_arrow)


def post_releases_with(post: Callable[[Callable[[], None]], None] | None) -> None:
    """Have ``post(fn)`` run ``fn`` on the main thread for a worker's release (None:
    no poster)."""
    global _post
    _post = post
    _posted.clear()


def _release_arrow() -> None:
    _posted.clear()
    pa.default_memory_pool().release_unused()


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
