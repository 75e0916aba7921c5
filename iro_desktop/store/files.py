"""Writing files that hold child data or wrapped keys: private, flushed to disk, and named
moments in multi-step changes that tests can stop the program at.

Private means 0600 in a 0700 folder on POSIX systems; on Windows the user's profile folder
already limits access, and chmod there only sets the read-only flag, so it is skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
_BINARY = getattr(os, "O_BINARY", 0)  # Windows only: no newline translation


def _nothing(_name: str) -> None:
    return None


# Called with a step's name at each moment a crash test may stop the program (see
# tests/crash_at.py, which replaces it in a child process to kill that process there).
reached: Callable[[str], None] = _nothing


def crash_point(name: str) -> None:
    reached(name)


def private_folder(folder: Path) -> None:
    """Create the folder if need be, readable by its owner only."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(folder, PRIVATE_FOLDER)


def write_private(path: Path, data: bytes) -> None:
    """Write a whole file, owner-only, and flush it to the disk before returning."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as fh:
        if os.name == "posix":
            os.fchmod(fh.fileno(), PRIVATE_FILE)  # the file may have existed with wider rights
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def copy_private(source: Path, target: Path) -> None:
    """Copy so that the target is either absent or complete, owner-only, on the disk."""
    partial = target.with_name(target.name + ".copying")
    with open(source, "rb") as src:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as dst:
            if os.name == "posix":
                os.fchmod(dst.fileno(), PRIVATE_FILE)
            shutil.copyfileobj(src, dst, 1024 * 1024)
            dst.flush()
            os.fsync(dst.fileno())
    os.replace(partial, target)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def fsync_folder(folder: Path) -> None:
    """Make renames in the folder durable (a power cut after a rename can otherwise undo it)."""
    if os.name != "posix":
        return  # Windows has no directory handle to flush; NTFS journals the rename itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
