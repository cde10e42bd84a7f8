"""Safe writing: a run's files appear together or not at all, and only files we wrote are replaced.

Everything is written into a temporary folder beside the target first, then
moved into place file by file (each move atomic). A manifest remembers what the
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
from contextlib import contextmanager
from pathlib import Path

MANIFEST = ".planner-files.json"


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
    """Collects files for one output folder, then publishes them at once."""

    def __init__(self, target: Path):
        self.target = target
        self.files: dict[str, bytes] = {}

    def add(self, relative: str, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.files[relative] = data

    def publish(self) -> list[Path]:
        """Write to a temporary folder, then move each file into place."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        previous = self._manifest()
        staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}-", dir=self.target.parent))
        try:
            for relative, data in sorted(self.files.items()):
                path = staging / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            (staging / MANIFEST).write_text(
                json.dumps(sorted(self.files), ensure_ascii=False, indent=1) + "\n",
                encoding="utf-8",
            )
            self.target.mkdir(parents=True, exist_ok=True)
            with _no_interrupt():  # Ctrl-C waits the few milliseconds the moves take
                for relative in [*sorted(self.files), MANIFEST]:
                    destination = self.target / relative
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staging / relative, destination)
                for stale in sorted(set(previous) - set(self.files)):
                    path = self.target / stale
                    if path.is_file():
                        path.unlink()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return [self.target / relative for relative in sorted(self.files)]

    def _manifest(self) -> list[str]:
        path = self.target / MANIFEST
        try:
            names = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [n for n in names if isinstance(n, str) and ".." not in Path(n).parts]
