"""MemoTrace's (WeChatMsg) CSV export: one file per chat, named after the chat.

`TalkerId` identifies the chat, the file's name is its name; `Type` 10000 is WeChat's
system notice (joins, recalls), `IsSender` 1 the exporting account's own message.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from planner.learn.formats import csvfile
from planner.learn.formats.common import Message, Reading, from_epoch, from_local

NAME = "memotrace"
COLUMNS = (
    "localId",
    "TalkerId",
    "Type",
    "SubType",
    "IsSender",
    "CreateTime",
    "Status",
    "StrContent",
    "StrTime",
    "Remark",
    "NickName",
    "Sender",
)
SYSTEM_TYPE = "10000"


def looks_like(line: str) -> bool:
    return csvfile.looks_like(line, COLUMNS)


def messages(path: Path, reading: Reading, me: frozenset[str] = frozenset()) -> Iterator[Message]:
    for row in csvfile.rows(path, reading, COLUMNS):
        when = from_epoch(row["CreateTime"])
        naive = when is None
        if naive:
            when = from_local(row["StrTime"])
        if when is None:
            reading.skip(f"message {row['localId']}: neither CreateTime nor StrTime is a time")
            continue
        reading.messages += 1
        yield Message(
            chat_id=row["TalkerId"].strip(),
            chat_name=path.stem,
            when=when,
            sender=row["Sender"],
            ours=row["IsSender"].strip() == "1" or row["Sender"] in me,
            service=row["Type"].strip() == SYSTEM_TYPE,
            text=row["StrContent"],
            naive=naive,
        )
