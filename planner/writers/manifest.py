"""The manifest of a published week (.planner-files.json): the files the planner wrote.

A re-plan does not carry those into the new week (they are rewritten or, no longer
written, dropped); every other file in the week folder is the user's and is kept. The
manifest is a file on disk anyone can edit, so a name counts only when it is a plain
relative path inside the week folder; anything else is reported and ignored, never
followed.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

MANIFEST = ".planner-files.json"


def confined(name: object) -> bool:
    """Whether `name` is a plain relative path inside a week folder: not absolute, no
    '..', '.' or empty part, no NUL."""
    if not isinstance(name, str) or not name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    if path.is_absolute() or str(path) != name:
        return False
    return all(part not in (".", "..") for part in path.parts)


def read_manifest(folder: Path) -> tuple[set[str], list[str]]:
    """The names the last run wrote into `folder`, and warnings about what was refused."""
    path = folder / MANIFEST
    try:
        names = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set(), []
    except (OSError, ValueError) as exc:
        return set(), [_damaged(path, f"cannot be read ({exc})")]
    if not isinstance(names, list):
        return set(), [_damaged(path, "is not a list of file names")]
    kept = {name for name in names if confined(name)}
    refused = [name for name in names if not confined(name)]
    if not refused:
        return kept, []
    shown = ", ".join(json.dumps(name, ensure_ascii=False)[:80] for name in refused[:3])
    more = f" and {len(refused) - 3} more" if len(refused) > 3 else ""
    return kept, [
        f"{path}: ignored {len(refused)} name(s) outside the week folder: {shown}{more}; "
        "only files inside the week folder are ever replaced"
    ]


def _damaged(path: Path, what: str) -> str:
    return (
        f"{path}: {what}; the files of the last run that this run does not write again "
        "are kept as if they were yours (delete them by hand if you no longer need them)"
    )


def write_manifest(folder: Path, names: list[str]) -> None:
    (folder / MANIFEST).write_text(
        json.dumps(names, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
