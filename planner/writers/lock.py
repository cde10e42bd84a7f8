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

import fcntl
import os
from pathlib import Path

LOCK = ".planner.lock"


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
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = os.read(fd, 64).decode("utf-8", "replace").strip()
                os.close(fd)
                name = f"process {holder}" if holder.isdigit() else "a process"
                raise Busy(self.folder, name) from exc
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
            os.unlink(self.folder / LOCK)  # while still held: the next run makes a new one
            os.close(self._fd)
            self._fd = None
        if self._created and not any(self.folder.iterdir()):
            self.folder.rmdir()
