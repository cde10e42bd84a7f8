"""Chat-history export readers, one module per format, each detected from the file's content.

Every reader streams its file and yields `Message`s; a line it cannot read is counted in
`Reading.skipped`, a file it cannot read at all raises `ExportError` (file and why).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from planner.learn.formats import memotrace, pywxdump, telegram, wecom
from planner.learn.formats.common import ExportError, Message, Reading, first_line

__all__ = ["ExportError", "Message", "Reading", "detect", "read_export"]

_CSV_READERS = (pywxdump, memotrace)


def detect(path: Path) -> str:
    """The format's name ('telegram', 'wecom', 'pywxdump', 'memotrace'), from the content."""
    line = first_line(path)
    if wecom.looks_like(line):
        return "wecom"
    if line.lstrip().startswith("{"):
        return "telegram"
    for reader in _CSV_READERS:
        if reader.looks_like(line):
            return reader.NAME
    raise ExportError(
        path,
        "not a chat export this planner reads; expected Telegram Desktop's result.json, "
        "PyWxDump or MemoTrace CSV, or WeCom archive JSON lines",
    )


def read_export(
    path: Path, reading: Reading, me: frozenset[str] = frozenset()
) -> Iterator[Message]:
    """The messages of one export, whatever its format, in file order; `me`: the sender ids
    of the operator's own accounts, for formats that do not mark them."""
    reader = {r.NAME: r for r in (telegram, wecom, *_CSV_READERS)}[detect(path)]
    reading.format = reader.NAME
    yield from reader.messages(path, reading, me)
