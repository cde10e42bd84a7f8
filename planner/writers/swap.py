"""Switching a week folder to its new version in one step, and clearing what dead runs left.

A run builds the new week in a staging folder beside the published one
(OUT/.<week>-<random>/week/), links the user's own files of the published week into
it, and exchanges the two folders with one atomic rename (Linux: renameat2 with
RENAME_EXCHANGE). Readers (a calendar subscribed to OUT/<week>/calendar.ics, a browser
on index.html, the next week's history) see the previous week or the new one, never a
mix. Where the exchange is not available, two renames do it; a kill between them leaves
the previous week aside in the staging folder, and the next run puts it back.

A staging folder carries a marker file, so that the next run removes only what a
planner made, never a user's folder.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
from collections.abc import Container
from pathlib import Path

MARKER = ".planner-staging"  # in a staging folder: what makes it ours
WEEK = "week"  # in a staging folder: the new week, published by the switch
ASIDE = "previous"  # in a staging folder: the previous week, while two renames switch
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def mark(staging: Path, week: str) -> None:
    """Label a new staging folder as the planner's, for the week it stages."""
    text = json.dumps({"planner staging folder for": week, "pid": os.getpid()})
    (staging / MARKER).write_text(text + "\n", encoding="utf-8")


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically; False where the system cannot (then nothing moved)."""
    if not sys.platform.startswith("linux"):
        return False
    rename = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if rename is None:  # a C library older than glibc 2.28
        return False
    done = rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # the file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(second))


def switch(new: Path, target: Path, aside: Path) -> None:
    """Put the folder `new` in the place of `target`; the previous week ends up in `new`'s
    place (exchanged) or at `aside` (two renames), to be removed with the staging folder."""
    if not os.path.lexists(target):
        os.rename(new, target)
    elif not exchange(new, target):
        os.rename(target, aside)
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(aside, target)
            raise


def carry_user_files(published: Path, new: Path, ours: Container[str]) -> None:
    """Link each file of the published week that is not the planner's (`ours`: the names
    the last run wrote and this run writes) into the new week, so that the switch keeps
    them; empty folders too. Hard links: the same file, nothing copied."""
    if not published.is_dir():
        return
    shutil.copymode(published, new)  # a folder the user shared keeps its permissions
    for root, folders, files in os.walk(published):
        here = Path(root)
        relative = here.relative_to(published)
        links = [f for f in folders if (here / f).is_symlink()]
        for name in [*files, *links]:
            name_in_week = (relative / name).as_posix()
            if name_in_week not in ours and not os.path.lexists(new / name_in_week):
                _link(here / name, new / name_in_week)
        if not folders and not files and relative.parts:
            (new / relative).mkdir(parents=True, exist_ok=True)


def _link(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:  # a file system without hard links
        shutil.copy2(source, destination, follow_symlinks=False)


def leftovers(parent: Path) -> list[Path]:
    """The staging folders of dead runs in an output folder (those with our marker)."""
    if not parent.is_dir():
        return []
    return sorted(
        entry
        for entry in parent.iterdir()
        if entry.name.startswith(".")
        and entry.is_dir()
        and not entry.is_symlink()
        and (entry / MARKER).is_file()
    )


def clear_leftovers(parent: Path) -> None:
    """Remove the staging folders of dead runs; first put back a previous week that a run
    killed between its two renames left aside. Call it only holding the output lock."""
    for staging in leftovers(parent):
        aside = staging / ASIDE
        week = _week_of(staging)
        if week and aside.is_dir() and not os.path.lexists(parent / week):
            os.rename(aside, parent / week)
        shutil.rmtree(staging, ignore_errors=True)


def _week_of(staging: Path) -> str | None:
    """The week folder a staging folder was made for, as its marker says."""
    try:
        week = json.loads((staging / MARKER).read_text(encoding="utf-8"))[
            "planner staging folder for"
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    ok = isinstance(week, str) and week not in ("", ".", "..") and Path(week).name == week
    return week if ok else None
