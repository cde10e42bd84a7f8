"""PyWxDump's CSV export of WeChat chats: one row a message, `room_name` the group's id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from planner.learn.formats import csvfile
from planner.learn.formats.common import Message, Reading, from_epoch, from_local

NAME = "pywxdump"
COLUMNS = (
    "id",
    "MsgSvrID",
    "type_name",
    "is_sender",
    "talker",
    "room_name",
    "msg",
    "src",
    "CreateTime",
)


def looks_like(line: str) -> bool:
    return csvfile.looks_like(line, COLUMNS)


def messages(path: Path, reading: Reading, me: frozenset[str] = frozenset()) -> Iterator[Message]:
    """Every group message (rows without a room are one-to-one chats: left out)."""
    for row in csvfile.rows(path, reading, COLUMNS):
        if not row["room_name"].strip():
            continue
        stamp = row["CreateTime"]
        when = from_epoch(stamp)
        naive = when is None
        if naive:
            when = from_local(stamp)
        if when is None:
            reading.skip(f"message {row['id']}: CreateTime '{stamp}' is not a time")
            continue
        reading.messages += 1
        yield Message(
            chat_id=row["room_name"].strip(),
            chat_name="",
            when=when,
            sender=row["talker"],
            ours=row["is_sender"].strip() == "1" or row["talker"] in me,
            service="系统" in row["type_name"] or "撤回" in row["type_name"],
            text=row["msg"],
            naive=naive,
        )
