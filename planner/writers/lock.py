"""One `planner plan` at a time per output folder.

Two runs writing the same output folder would replace each other's week and remove each
other's staging folders. A run holds an exclusive POSIX record lock (fcntl.lockf) on
OUT/.planner.lock while it reads history and writes: the system releases it when the
process ends, however it ends, so the lock of a killed run is never stale. Record locks
are not inherited by the worker processes, so a worker left running by a killed driver
does not keep the folder locked either. The file holds the holder's process id, for the
message the second run shows, and is removed when the run ends (a killed run's file is
simply locked again by the next).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: msvcrt's locks are released with their process too
    fcntl = None  # type: ignore[assignment]
    import msvcrt

LOCK = ".planner.lock"


def _lock(fd: int) -> None:
    """Lock the whole file for this process, or raise OSError when another holds it."""
    if fcntl is not None:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1 << 30)


def _holder(fd: int) -> str:
    """The process holding the lock, as its file says."""
    try:
        pid = os.read(fd, 64).decode("utf-8", "replace").strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid.isdigit() else "a process"


class Busy(Exception):
    """Another run holds the output folder."""

    def __init__(self, folder: Path, holder: str):
        super().__init__(f"{folder}: another `planner plan` ({holder}) is writing this folder")
        self.folder = folder
        self.holder = holder


class OutputLock:
    """Held for a `with` block; raises Busy when another live process holds it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._fd: int | None = None
        self._created = False  # made for this run: removed again if the run left it empty

    def __enter__(self) -> OutputLock:
        self._created = not self.folder.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        while self._fd is None:
            fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                _lock(fd)
            except OSError as exc:
                holder = _holder(fd)
                os.close(fd)
                raise Busy(self.folder, holder) from exc
            if self._still_there(fd):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self._fd = fd
            else:  # its holder removed it meanwhile: lock the one that is there now
                os.close(fd)
        return self

    def _still_there(self, fd: int) -> bool:
        try:
            path = os.stat(self.folder / LOCK)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (path.st_dev, path.st_ino) == (mine.st_dev, mine.st_ino)

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):  # Windows keeps an open file
                os.unlink(self.folder / LOCK)  # while still held: the next run makes a new one
            os.close(self._fd)
            self._fd = None
        if self._created and not any(self.folder.iterdir()):
            self.folder.rmdir()
