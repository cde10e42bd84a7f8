"""Safe writing: a run's files appear together or not at all, and only files we wrote are replaced.

Everything is written into a temporary folder beside the target first (as it is
produced, so memory stays bounded), then moved into place file by file (each
move atomic). A manifest remembers what the
planner wrote, so a re-plan can remove its own stale files and never touches
anything else a user keeps in the folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

MANIFEST = ".planner-files.json"
PIECES = ".pieces"  # in the staging folder: parts of files still to be assembled


@contextmanager
def _no_interrupt():
    """Hold SIGINT until the block ends, so a week is never left half old, half new."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list = []
    previous = signal.signal(signal.SIGINT, lambda *args: caught.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            raise KeyboardInterrupt


class OutputFolder:
    """Writes a week's files into a staging folder as they come, then publishes them at once.

    Each file goes to disk when it is added, so a week of a million groups is never held
    in memory; only the names are. Use it as a context manager: leaving the block by an
    error or Ctrl-C before `publish` removes the staging folder and keeps the old week.
    """

    def __init__(self, target: Path):
        self.target = target
        self.names: set[str] = set()
        self._staging: Path | None = None

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()

    def add(self, relative: str, content: str | bytes) -> None:
        self.add_chunks(relative, [content])

    def add_chunks(self, relative: str, chunks: Iterable[str | bytes]) -> None:
        """A file written as it is produced (a week's plan.json need not fit in memory)."""
        path = self._staged() / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        self.names.add(relative)

    def spill(self, relative: str, text: str) -> None:
        """Keep a piece of a later file on disk, beside the staged files; never published."""
        path = self._staged() / PIECES / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def spilled(self, relative: str) -> Path | None:
        """Where a spilled piece is, or None when none was spilled under that name."""
        path = self._staged() / PIECES / relative
        return path if path.is_file() else None

    def discard(self) -> None:
        """Forget what was staged (nothing of the published week changes)."""
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def publish(self) -> list[Path]:
        """Move each staged file into place; then remove our files this run did not write."""
        previous = self._manifest()
        staging = self._staged()
        names = sorted(self.names)
        try:
            (staging / MANIFEST).write_text(
                json.dumps(names, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            self.target.mkdir(parents=True, exist_ok=True)
            with _no_interrupt():  # Ctrl-C waits the few milliseconds the moves take
                for relative in [*names, MANIFEST]:
                    destination = self.target / relative
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staging / relative, destination)
                for stale in sorted(set(previous) - self.names):
                    path = self.target / stale
                    if path.is_file():
                        path.unlink()
        finally:
            self.discard()
        return [self.target / relative for relative in names]

    def _staged(self) -> Path:
        """The staging folder beside the target (same file system: moves are atomic)."""
        if self._staging is None:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._staging = Path(
                tempfile.mkdtemp(prefix=f".{self.target.name}-", dir=self.target.parent)
            )
        return self._staging

    def _manifest(self) -> list[str]:
        path = self.target / MANIFEST
        try:
            names = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [n for n in names if isinstance(n, str) and ".." not in Path(n).parts]
