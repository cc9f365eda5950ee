"""Writing a file so that it is either the old one or the whole new one, never half.

Every file the app writes (exports, provenance, workspaces, images, saved mappings, cache
metadata) goes through here: the bytes go to a temporary file in the target's folder,
are flushed and synced to disk, and the temporary file is renamed over the target
(``os.replace`` is atomic on one file system). The temporary file's name says what it is,
``.{target name}.{pid}-{random}.tl-part``, so a part left by a killed process is
recognised and removed by the next write into the same folder, whatever file that
writes (a part whose process is still running is left alone: it may be writing now). Files get the user's normal mode
(0666 less the umask), as any other program's files would.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from timeline_app.model.units import S_PER_DAY

PART_SUFFIX = ".tl-part"
#: A part this old is removed even if its process id is alive again (a reused pid).
STALE_PART_S = float(S_PER_DAY)


def part_name(target: Path) -> str:
    """A fresh temporary name for a write of ``target``."""
    return f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}{PART_SUFFIX}"


def stale_parts(target: Path) -> list[Path]:
    """Parts of earlier writes in ``target``'s folder (of any file) whose writer is gone."""
    found = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(PART_SUFFIX)):
            continue
        writer = name[: -len(PART_SUFFIX)].rsplit(".", 1)[-1]  # "{pid}-{random}"
        pid_text, _, token = writer.partition("-")
        if not (pid_text.isdigit() and token):
            continue
        try:
            old = time.time() - entry.stat().st_mtime > STALE_PART_S
        except OSError:
            continue
        if old or not process_alive(int(pid_text)):
            found.append(Path(entry.path))
    return sorted(found)


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # this process: another thread may be writing it now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (someone else's), or cannot tell: leave it
    return True


def _clean(target: Path) -> None:
    for part in stale_parts(target):
        with contextlib.suppress(OSError):
            part.unlink()


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """A temporary path to write ``target``'s new contents to (by any writer that wants
    a path: Arrow, Qt). When the block ends without an error, the file is synced and
    renamed over ``target``; on an error (or a cancel raised in the block) it is removed
    and ``target`` is untouched."""
    target = Path(target)
    _clean(target)
    part = target.with_name(part_name(target))
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
    os.close(fd)
    try:
        yield part
        _sync(part)
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    _sync_folder(target.parent)


@contextlib.contextmanager
def atomic_open(
    target: Path | str, mode: str = "wb", *, encoding: str | None = None
) -> Iterator[IO[Any]]:
    """A file object whose contents replace ``target`` once the block ends (see
    :func:`atomic_path`). ``mode`` is "wb" or "w"."""
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open writes a new file: mode 'w' or 'wb', not {mode!r}")
    with (
        atomic_path(target) as part,
        open(part, mode, encoding=encoding if mode == "w" else None) as fh,
    ):
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_bytes(target: Path | str, data: bytes) -> Path:
    with atomic_open(target, "wb") as fh:
        fh.write(data)
    return Path(target)


def atomic_write_text(target: Path | str, text: str, encoding: str = "utf-8") -> Path:
    with atomic_open(target, "w", encoding=encoding) as fh:
        fh.write(text)
    return Path(target)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk too (POSIX; Windows has no folder handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
