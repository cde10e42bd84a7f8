"""Safe writing: a run's week appears whole or not at all, and only files we wrote are replaced.

Everything is written into a staging folder beside the target first (as it is
produced, so memory stays bounded); publishing links the user's own files of the
published week into it and switches the two folders in one step (planner.writers.swap).
A manifest remembers what the planner wrote, so a re-plan drops its own stale files and
keeps anything else a user keeps in the folder.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from planner.writers.lock import OutputLock
from planner.writers.manifest import MANIFEST, confined, read_manifest, write_manifest
from planner.writers.swap import ASIDE, WEEK, carry_user_files, clear_leftovers, mark, switch

__all__ = ["MANIFEST", "CannotWrite", "InterruptedAfterPublish", "OutputFolder"]
PIECES = "pieces"  # in the staging folder: parts of files still to be assembled


class CannotWrite(Exception):
    """The output folder cannot take the week (full disk, read-only, no permission)."""

    def __init__(self, folder: Path, reason: str):
        super().__init__(f"{folder}: cannot write the week: {reason}")
        self.folder = folder
        self.reason = reason


class InterruptedAfterPublish(KeyboardInterrupt):
    """Ctrl-C, held while the week was switched into place: the week *was* written."""

    def __init__(self, written: Path):
        super().__init__(str(written))
        self.written = written


@contextmanager
def _no_interrupt(published: list[Path]):
    """Hold SIGINT until the block ends, so a week is never left half switched; a Ctrl-C
    that arrived meanwhile is raised after it, naming what was written (`published`)."""
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
            raise InterruptedAfterPublish(published[0]) if published else KeyboardInterrupt


class OutputFolder:
    """Writes a week's files into a staging folder as they come, then publishes them at once.

    Each file goes to disk when it is added, so a week of a million groups is never held
    in memory; only the names are. Use it as a context manager: it holds the output
    folder's lock (one run at a time), clears what dead runs left, and leaving the block
    by an error or Ctrl-C before `publish` removes the staging folder and keeps the old
    week. `warnings`: what the user should know about the published week's manifest.
    """

    def __init__(self, target: Path):
        self.target = target
        self.names: set[str] = set()
        self.warnings: list[str] = []
        self._staging: Path | None = None
        self._held = ExitStack()

    def __enter__(self) -> OutputFolder:
        with self._writing():
            self._held.enter_context(OutputLock(self.target.parent))
            clear_leftovers(self.target.parent)
        return self

    def __exit__(self, *exc) -> None:
        self.discard()
        self._held.close()

    def add(self, relative: str, content: str | bytes) -> None:
        self.add_chunks(relative, [content])

    def add_chunks(self, relative: str, chunks: Iterable[str | bytes]) -> None:
        """A file written as it is produced (a week's plan.json need not fit in memory)."""
        if not confined(relative) or relative == MANIFEST:
            raise ValueError(f"not a file name inside the week folder: {relative!r}")
        with self._writing():
            path = self._staged() / WEEK / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                for chunk in chunks:
                    handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        self.names.add(relative)

    def keep(self, relative: str) -> bool:
        """The published week's file under this name, unchanged, in the new week; False
        when there is none (a failed unit keeps what the last run wrote)."""
        source = self.target / relative
        if not confined(relative) or source.is_symlink() or not source.is_file():
            return False
        self.add_chunks(relative, _read(source))
        return True

    def spill(self, relative: str, text: str) -> None:
        """Keep a piece of a later file on disk, beside the staged files; never published."""
        with self._writing():
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
        """Switch the staged week into place, with the user's files of the published week."""
        staging = self._staged()
        names = sorted(self.names)
        published: list[Path] = []
        try:
            with self._writing():
                write_manifest(staging / WEEK, names)
                previous, self.warnings = read_manifest(self.target)
                ours = previous | self.names | {MANIFEST}
                with _no_interrupt(published):  # Ctrl-C waits the moment the switch takes
                    carry_user_files(self.target, staging / WEEK, ours)
                    switch(staging / WEEK, self.target, staging / ASIDE)
                    published.append(self.target)
        finally:
            self.discard()
        return [self.target / relative for relative in names]

    def _staged(self) -> Path:
        """The staging folder beside the target (same file system: the switch is a rename)."""
        if self._staging is None:
            with self._writing():
                self.target.parent.mkdir(parents=True, exist_ok=True)
                staging = tempfile.mkdtemp(prefix=f".{self.target.name}-", dir=self.target.parent)
                self._staging = Path(staging)
                mark(self._staging, self.target.name)
                (self._staging / WEEK).mkdir()
        return self._staging

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A failed write (full disk, read-only folder) as one message naming the folder."""
        try:
            yield
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CannotWrite(self.target.parent, reason) from exc


def _read(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk
