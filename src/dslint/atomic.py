"""Atomic writes: a temporary file in the same directory, fsync, then rename over the target.

A reader of the target sees the old content or the new, never a mix; a crash leaves the old file intact.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with open_atomic(path) as handle:
        handle.write(data)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or for a new file what `open()` would give it: mkstemp creates
    files readable by their owner only, which would make a report or a converted dataset private."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8", "replace"))


@contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A binary stream whose bytes replace `path` atomically when the block ends without an exception.

    For outputs written piece by piece (converted or generated records): on an exception, or if the
    process dies, `path` is left as it was and the temporary file is removed (or, after a kill, left
    beside it as `.<name>.*.tmp`).
    """
    directory = path.parent if str(path.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, _mode_for(path))
        os.replace(temp_name, path)
        _sync_directory(directory)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
