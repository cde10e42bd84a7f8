"""WeCom's session archive (会话内容存档) as JSON lines: one decrypted message a line.

`roomid` is the group chat (empty: a one-to-one chat, left out), `msgtime` ms since the
epoch in UTC. Senders whose id starts with 'wo'/'wm' are external contacts (members); the
others are the company's staff, counted as ours unless `--me` names the operator's ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from planner.learn.formats.common import Message, Reading, from_epoch, text_lines

NAME = "wecom"
_EXTERNAL = ("wo", "wm")
_NOT_MESSAGES = ("revoke", "agree", "disagree")


def looks_like(line: str) -> bool:
    """A JSON object on one line with the archive's msgid and msgtime."""
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and "msgid" in record and "msgtime" in record


def messages(path: Path, reading: Reading, me: frozenset[str] = frozenset()) -> Iterator[Message]:
    for number, line in enumerate(text_lines(path, reading), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            message = _message(record, me)
        except (ValueError, TypeError, AttributeError):
            reading.skip(f"line {number}: not a complete archive record")
            continue
        reading.format_seen = True
        if message is not None:
            reading.messages += 1
            yield message


def _message(record: dict, me: frozenset[str]) -> Message | None:
    room = str(record.get("roomid") or "")
    if not room or record.get("action") == "switch":
        return None
    when = from_epoch(record["msgtime"], scale=1000)
    if when is None:
        raise ValueError("msgtime")
    sender = str(record.get("from", ""))
    ours = sender in me if me else not sender.startswith(_EXTERNAL)
    text = record.get("text") or {}
    return Message(
        chat_id=room,
        chat_name="",
        when=when,
        sender=sender,
        ours=ours,
        service=record.get("action") == "recall" or record.get("msgtype") in _NOT_MESSAGES,
        text=str(text.get("content", "")) if isinstance(text, dict) else "",
    )
