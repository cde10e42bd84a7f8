"""What every export reader gives: messages in UTC, and how much of the file it could read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from planner.errors import Finding, PlannerError

# Encodings tried for a line that is not UTF-8: Chinese Windows tools write GB 18030.
FALLBACK_ENCODINGS = ("gb18030",)


class ExportError(PlannerError):
    """An export file that cannot be read at all (a line that cannot is skipped instead)."""

    def __init__(self, path: Path, problem: str, expected: str = "", line: int = 0) -> None:
        super().__init__([Finding(str(path), line, problem, expected)])


@dataclass(frozen=True)
class Message:
    """One message, held only while it is counted: its text and sender never leave memory."""

    chat_id: str
    chat_name: str
    when: datetime  # UTC
    sender: str
    ours: bool  # sent by the exporting account (the operator)
    service: bool  # joins, pins, recalls, system notices: nobody's message
    text: str
    naive: bool = False  # the export gave a local time without a zone; see `local_time`


@dataclass
class Reading:
    """What reading one file came to: its format, messages read, lines skipped and why."""

    path: Path
    format: str = ""
    messages: int = 0
    skipped: int = 0
    first_skip: str = ""
    format_seen: bool = False  # the reader found the format's messages, not just its look

    def skip(self, where: str) -> None:
        self.skipped += 1
        if not self.first_skip:
            self.first_skip = where


def first_line(path: Path) -> str:
    """The first non-empty line, decoded leniently: enough to tell the formats apart."""
    try:
        with path.open("rb") as handle:
            for raw in handle:
                line = decode(raw)
                if line is not None and line.strip():
                    return line.lstrip("\ufeff")
                if line is None:
                    break
    except OSError as exc:
        raise ExportError(path, f"cannot read the export: {exc.strerror}") from None
    raise ExportError(path, "the export is empty or not text")


def decode(raw: bytes) -> str | None:
    """UTF-8, else GB 18030; None when neither reads the bytes (the line is skipped)."""
    for encoding in ("utf-8", *FALLBACK_ENCODINGS):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def text_lines(path: Path, reading: Reading) -> Iterator[str]:
    """The file's lines, each decoded on its own (exports mix encodings); a line that no
    encoding reads is counted as skipped."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            line = decode(raw)
            if line is None:
                reading.skip(f"line {number}: neither UTF-8 nor GB 18030")
                continue
            yield line.lstrip("\ufeff") if number == 1 else line


def from_epoch(value: object, scale: int = 1) -> datetime | None:
    """A UTC time from epoch seconds (or ms with scale=1000); None when not a number."""
    try:
        seconds = int(str(value).strip()) / scale
        return datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def from_local(value: str) -> datetime | None:
    """A zone-less 'YYYY-MM-DD HH:MM:SS' (or ISO 'T') time, kept naive for the group's zone."""
    try:
        return datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        return None
