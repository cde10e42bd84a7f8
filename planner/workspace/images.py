"""An item's image: a file of the content library (the workspace's or the built-in one) that
is an image by its first bytes. Anything else is never read, copied or linked."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from planner.models.items import ItemBase
from planner.workspace.resources import builtin_library

_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_DRIVE = re.compile(r"^[A-Za-z]:")


def is_image(path: Path) -> bool:
    """PNG, JPEG, GIF or WebP, by the file's first bytes (not its name)."""
    with path.open("rb") as handle:
        head = handle.read(12)
    return head.startswith(_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def find_image(item: ItemBase) -> tuple[Path | None, str]:
    """(the image file, "") or (None, what is wrong with the item's `image`). Looked up
    beside the item, then in its content_library/, then in the built-in one."""
    value = item.image or ""
    if _CONTROL.search(value):
        return None, "holds a line break or another control character"
    relative = PurePosixPath(value.replace("\\", "/"))
    if relative.is_absolute() or _DRIVE.match(value) or ".." in relative.parts:
        return None, "is not a path inside content_library/"
    source = Path(item.source)
    library = next((p for p in source.parents if p.name == "content_library"), source.parent)
    allowed = [library.resolve(), builtin_library().resolve()]
    for root in dict.fromkeys([source.parent, library, builtin_library()]):
        try:
            found = _library_image(root / relative, allowed)
        except OSError as exc:  # a name too long for the file system, a folder we may not read
            return None, f"cannot be read ({exc.strerror})"
        if found is not None:
            return found
    return None, "not found"


def _library_image(candidate: Path, allowed: list[Path]) -> tuple[Path | None, str] | None:
    """None when there is no such file, else as find_image answers."""
    if not candidate.is_file():
        return None
    real = candidate.resolve()
    if not any(real.is_relative_to(folder) for folder in allowed):
        return None, "leads outside content_library/ (through a link)"
    if not is_image(real):
        return None, "is not an image (PNG, JPEG, GIF or WebP, by its content)"
    return real, ""
