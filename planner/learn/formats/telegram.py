"""Telegram Desktop's JSON export (result.json): one chat, or a full export's `chats.list`.

Streamed with ijson, one message object at a time, so a 1 GB export needs no more memory
than a small one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ijson

from planner.learn.formats.common import (
    ExportError,
    Message,
    Reading,
    from_epoch,
    from_local,
)

NAME = "telegram"
_NOT_GROUPS = ("personal_chat", "bot_chat", "saved_messages")
_CHAT_KEYS = ("name", "type", "id")


def messages(path: Path, reading: Reading, me: frozenset[str] = frozenset()) -> Iterator[Message]:
    """Every message of every group chat in the file."""
    try:
        with path.open("rb") as handle:
            head = _one_chat(ijson.parse(handle, use_float=True))
        with path.open("rb") as handle:
            if head is None:
                yield from _events(ijson.parse(handle, use_float=True), reading, set(me))
            else:  # one chat: ijson's C backend builds each message itself, much faster
                for raw in ijson.items(handle, "messages.item", use_float=True):
                    reading.format_seen = True
                    message = _message(raw, head, set(me), reading)
                    if message is not None:
                        yield message
    except ijson.JSONError as exc:
        raise ExportError(
            path,
            f"the JSON stops or breaks after {reading.messages} messages ({exc})",
            "a complete result.json: export the chat again",
        ) from None
    if not reading.format_seen:
        raise ExportError(path, "a JSON file without 'messages'", "Telegram Desktop's result.json")


def _one_chat(events) -> dict | None:
    """A one-chat export's name, type and id (they come before its messages); None for a
    full export (`chats.list`), read event by event instead."""
    chat: dict = {}
    for prefix, event, value in events:
        if prefix == "messages" and event == "start_array":
            return chat
        if prefix in _CHAT_KEYS:
            chat[prefix] = value
        elif prefix.startswith(("chats", "personal_information", "left_chats")):
            return None
    return None


def _events(events, reading: Reading, me: set[str]) -> Iterator[Message]:
    chat: dict = {}
    builder, message_prefix = None, ""
    for prefix, event, value in events:
        if builder is not None:
            builder.event(event, value)
            if event == "end_map" and prefix == message_prefix:
                message = _message(builder.value, chat, me, reading)
                builder = None
                if message is not None:
                    yield message
            continue
        head, _, key = prefix.rpartition(".")
        if event == "start_map" and key == "item" and head.endswith("messages"):
            reading.format_seen = True
            builder, message_prefix = ijson.ObjectBuilder(), prefix
            builder.event(event, value)
        elif event == "start_map" and prefix.endswith("list.item"):
            chat = {}
        elif key in _CHAT_KEYS and (not head or head.endswith("list.item")):
            chat[key] = value
        elif prefix == "personal_information.user_id":
            me.add(f"user{value}")


def _message(raw: dict, chat: dict, me: set[str], reading: Reading) -> Message | None:
    """One message object as a Message; None for chats that are not groups or a message
    without a readable time (counted as skipped)."""
    if chat.get("type") in _NOT_GROUPS:
        return None
    when = from_epoch(raw["date_unixtime"]) if "date_unixtime" in raw else None
    naive = when is None
    if naive:
        when = from_local(str(raw.get("date", "")))
    if when is None:
        reading.skip(f"message {raw.get('id')}: no readable date")
        return None
    reading.messages += 1
    sender = str(raw.get("from_id") or raw.get("actor_id") or "")
    return Message(
        chat_id=str(chat.get("id", "")),
        chat_name=str(chat.get("name") or ""),
        when=when,
        sender=sender,
        ours=sender in me,
        service=raw.get("type") != "message",
        text=_text(raw.get("text", "")),
        naive=naive,
    )


def _text(value) -> str:
    """Telegram's text: a string, or a list of strings and {type, text} entities."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", "")) for part in value
        )
    return ""
